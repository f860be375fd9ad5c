/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The license engine: platforms, UC license tiers, export classes, the TLS
 * proxy limit and the counting of licensed sessions (DESIGN.md rules 1-10;
 * Documentation/licensing.md describes the rules as implemented and every
 * value chosen where the seed is silent).
 *
 * A pure core: the same source in the module and in the userspace unit
 * tests (kmod/tests/ucp_license_kunit.c). It allocates nothing, sleeps
 * never and takes no lock: every function reads or writes only the
 * struct ucp_license it is given, and the caller serialises all calls on
 * one struct (the module holds its per-namespace lock around each call,
 * acquire and release included). The platform table is constant.
 *
 * Counting: acquire() takes one session of an application class, or
 * refuses it and says which rule refused and at what limit; release()
 * gives one back. Nothing here revokes a session: lowering a limit below
 * what is in use only refuses new sessions until enough are released.
 */
#ifndef _UCP_LICENSE_H
#define _UCP_LICENSE_H

#include "ucp_core.h"
#include "ucp_spec.h"		/* the classes' names */
#include <linux/ucproxy.h>

/* The license every platform has without buying one (table 47-1). */
#define UCP_LICENSE_BASE_SESSIONS	2
/* Rule 4: K8 caps TLS proxy and SRTP sessions. */
#define UCP_LICENSE_K8_TLS_MAX		1000
#define UCP_LICENSE_K8_SRTP_MAX		250
/* Rule 6: with the 10,000-session UC license, at most 5,000 phone proxy. */
#define UCP_LICENSE_PHONE_CAP_TIER	10000
#define UCP_LICENSE_PHONE_CAP		5000
/* A limit that is not one (K9 SRTP). */
#define UCP_LICENSE_UNLIMITED		((u32)~0U)

#define UCP_LICENSE_DEFAULT_PLATFORM	"linux"
#define UCP_LICENSE_DEFAULT_EXPORT	UCP_EXPORT_K9
/* "asa5520-npe": the model without payload encryption (rule 9). */
#define UCP_LICENSE_NPE_SUFFIX		"-npe"

#define UCP_LICENSE_MAX_TIERS		12
/* A platform name with the -npe suffix, and the NUL (the spec's limit). */
#define UCP_PLATFORM_NAME_LEN		(UCP_PLATFORM_MAX_LEN + 1)
/* Refusal and warning texts: one sentence, NUL-terminated. */
#define UCP_LICENSE_MSG_LEN		128

/* One row of the platform table (tables 47-1 and 47-2). */
struct ucp_platform {
	const char *name;		/* "asa5540", lower case */
	const char *model;		/* "ASA 5540", as the seed writes it */
	u32 tls_default;		/* default TLS proxy sessions */
	u32 tls_max;			/* maximum TLS proxy sessions */
	u32 ime_extra;			/* rule 8: TLS sessions added for IME */
	u32 tiers[UCP_LICENSE_MAX_TIERS]; /* UC tiers, ascending; 0 ends */
};

/* What one application class has used. */
struct ucp_license_usage {
	u32 in_use;
	u32 peak;			/* highest in_use since init */
	u32 refused;			/* acquires refused, saturating */
};

/* Everything licensing keeps for one network namespace. */
struct ucp_license {
	const struct ucp_platform *platform;
	bool npe;			/* no payload encryption variant */
	bool ime;			/* IME license installed */
	enum ucp_export_class export_class;
	u32 uc_sessions;		/* UC license tier */
	u32 tls_max;			/* tls-proxy maximum-sessions */
	struct ucp_license_usage usage[__UCP_APP_MAX];	/* [enum ucp_app] */
};

/* What license-set asks for. */
struct ucp_license_cfg {
	const char *platform;		/* NULL: keep the current one */
	u32 uc_sessions;		/* 0: the base license */
	bool ime;
	enum ucp_export_class export_class;	/* 0: the default, K9 */
};

/* Why an operation was refused: the rule, its limit, one sentence. */
struct ucp_refusal {
	enum ucp_rule rule;
	u32 limit;
	char msg[UCP_LICENSE_MSG_LEN];
};

/* "tls-proxy maximum-sessions ?" and license-get. */
struct ucp_license_limits {
	char platform[UCP_PLATFORM_NAME_LEN];	/* with -npe if so */
	const char *model;
	bool npe;
	bool ime;
	enum ucp_export_class export_class;
	u32 uc_sessions;
	u32 tls_default;
	u32 tls_platform_max;
	u32 tls_configured;
	u32 tls_effective;		/* configured, capped by K8; 0 on -npe */
	u32 uc_in_use;			/* phone + TLS proxy + presence */
	u32 tls_in_use;			/* every class but SRTP */
	struct {
		u32 limit;		/* effective; UCP_LICENSE_UNLIMITED */
		u32 in_use;
		u32 peak;
		u32 refused;
	} app[__UCP_APP_MAX];		/* [enum ucp_app]; [0] unused */
};

/* The platform table. */
const struct ucp_platform *ucp_platform_at(unsigned int idx);
const struct ucp_platform *ucp_platform_find(const char *name, bool *npe);
unsigned int ucp_platform_tier_count(const struct ucp_platform *p);
bool ucp_platform_has_tier(const struct ucp_platform *p, u32 sessions);

/* Configuration: the defaults, license-set, tls-proxy, clear configure. */
void ucp_license_init(struct ucp_license *lic);
int ucp_license_set(struct ucp_license *lic, const struct ucp_license_cfg *cfg,
		    char *warning, size_t len, struct ucp_refusal *ref);
int ucp_license_set_tls_max(struct ucp_license *lic, u32 sessions,
			    struct ucp_refusal *ref);
int ucp_license_clear_config(struct ucp_license *lic, char *warning,
			     size_t len);

/* Counting sessions. */
int ucp_license_acquire(struct ucp_license *lic, enum ucp_app app,
			struct ucp_refusal *ref);
int ucp_license_release(struct ucp_license *lic, enum ucp_app app);

/* The limits in force, and what license-get reports. */
u32 ucp_license_tls_limit(const struct ucp_license *lic);
u32 ucp_license_class_limit(const struct ucp_license *lic, enum ucp_app app);
void ucp_license_limits(const struct ucp_license *lic,
			struct ucp_license_limits *out);

#endif /* _UCP_LICENSE_H */
