/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ucpctl save's plan (save_plan.c): the command lines that give a
 * namespace's configuration back, whatever the configuration in force
 * when they are restored. Pure (libc and the uapi header only), so the
 * unit tests check it against the kernel's license engine.
 */
#ifndef _UCPCTL_SAVE_PLAN_H
#define _UCPCTL_SAVE_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/ucproxy.h>

/* One namespace's configuration, as license-get and media-policy-get say. */
struct config {
	char platform[UCP_PLATFORM_MAX_LEN + 1];	/* with -npe if so */
	uint32_t uc, tls, tls_default;
	uint8_t ime, export_class, policy;
};

/* What a line of a saved file does. */
enum op_kind {
	OP_LICENSE,	/* license set model M uc N ime on|off export k8|k9 */
	OP_TLS,		/* license tls-limit N */
	OP_CLEAR,	/* clear configure */
	OP_POLICY,	/* media policy set P */
};

/* One line: its kind and the fields of @c that kind sets. */
struct op {
	enum op_kind kind;
	unsigned int line;	/* of a restore file; 0 in a plan */
	struct config c;
};

#define SAVE_PLAN_MAX	5

/* An -npe model has no TLS proxy: its limit cannot be set (rule 9). */
bool config_has_tls(const struct config *c);

/*
 * The lines, in order, that make @c the configuration in force from any
 * other (SAVE_PLAN_MAX at most, into @ops); how many.
 */
unsigned int save_plan(const struct config *c, struct op *ops);

#endif /* _UCPCTL_SAVE_PLAN_H */
