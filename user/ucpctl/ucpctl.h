/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ucpctl's private header: the context a command runs in, the command
 * tables the dispatcher walks, the error helpers, and what each object's
 * file offers the others. One file per object, as in iproute2:
 *
 *   ucpctl.c    options, context, dispatch, the object table, help, errors
 *   info.c      the module's identity (UCP_CMD_INFO_GET)
 *   stats.c     counters, totals and per CPU (UCP_CMD_STATS_GET)
 *   license.c   license, TLS limit, a platform's limits, clear configure
 *   sessions.c  licensed sessions held (UCP_CMD_SESSION_GET)
 *   media.c     media sessions and the media policy
 *   monitor.c   the events group, one line per event
 *   config.c    save and restore the namespace's configuration
 */
#ifndef _UCPCTL_H
#define _UCPCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "ucp.h"

#define PROG		"ucpctl"
#define EXIT_USAGE	2

struct ctx {
	struct ucp_nl *nl;	/* opened by the first command that needs it */
	struct ucp_out *out;
	char what[64];		/* the command's words, for error lines */
};

/*
 * One word of a command. Canonical commands are object first, as in ip(8):
 * "media show", "license set ...". An object alone runs its show command.
 * The earlier spellings ("show media", "tls-proxy maximum-sessions ...")
 * stay as aliases: entries with alias_of, listed apart by help.
 */
struct cmd {
	const char *name;
	/*
	 * Subcommands (ending with a NULL name) are tried on the next word
	 * unless it starts with '-'; otherwise, or without a next word, fn
	 * runs with the remaining words. With args_or_sub, a next word that
	 * names no subcommand is fn's argument too (an alias that takes
	 * one, where the canonical form has subcommands).
	 */
	const struct cmd *sub;
	int (*fn)(struct ctx *ctx, int argc, char **argv);
	const char *args;	/* synopsis of the arguments, for help */
	const char *help;	/* a command help lists; NULL: not listed */
	const char *alias_of;	/* an alias, listed as the command it is */
	bool args_or_sub;
};

/* Errors (ucpctl.c): each prints one line and returns the exit status. */

int fail(const struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Usage errors do not name the command: the message quotes it. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last netlink error of the context's handle. */
int fail_nl(const struct ctx *ctx);
/* An argument the command does not take. */
int bad_argument(const struct ctx *ctx, const char *arg);
/* 0 without arguments, else bad_argument() on the first. */
int no_args(const struct ctx *ctx, int argc, char **argv);

/* Opens the netlink handle once; 0, or the exit status of the failure. */
int ctx_open(struct ctx *ctx);
/* no_args(), then ctx_open(): the start of a command without arguments. */
int ctx_open_no_args(struct ctx *ctx, int argc, char **argv);
/*
 * Dumps @cmd, @cb printing each reply message (ucp_out is its data) as an
 * element of the JSON array @key. 0, or the exit status of the failure.
 */
int dump_array(struct ctx *ctx, uint8_t cmd, const char *key, mnl_cb_t cb);

/* A decimal u32 argument, nothing else; 0, or -1. */
int parse_u32(const char *s, uint32_t *v);

/* Reply attributes: an absent one reads as 0. */

static inline uint8_t get_u8(const struct nlattr *a)
{
	return a ? mnl_attr_get_u8(a) : 0;
}

static inline uint32_t get_u32(const struct nlattr *a)
{
	return a ? mnl_attr_get_u32(a) : 0;
}

static inline uint64_t get_u64(const struct nlattr *a)
{
	return a ? mnl_attr_get_u64(a) : 0;
}

/* The spec's name of a kernel value; "?" for one a newer module added. */
static inline const char *name_of(const struct ucp_spec_names *t,
				  unsigned int v)
{
	const char *name = ucp_spec_name(t, v);

	return name ? name : "?";
}

/* A class a newer module added still shows, as "?". */
static inline const char *app_name(uint32_t app)
{
	return name_of(&ucp_spec_app, app);
}

/*
 * Each object's subcommands (a table ending with a NULL name) and the
 * commands the core's table and aliases run.
 */

/* info.c */

struct info {
	char version[64];
	char kernel[128];
	bool has_kernel;
	uint64_t caps;
};

extern const struct cmd info_cmds[];
int info_get(struct ctx *ctx, struct info *in);
void out_info(struct ucp_out *o, const struct info *in);
int cmd_info_show(struct ctx *ctx, int argc, char **argv);

/* stats.c */

extern const struct cmd stats_cmds[];
int cmd_stats_show(struct ctx *ctx, int argc, char **argv);
/* "show": info show, then the totals of stats show. */
int cmd_show(struct ctx *ctx, int argc, char **argv);

/* license.c */

extern const struct cmd license_cmds[];
int cmd_license_show(struct ctx *ctx, int argc, char **argv);
/* The original product's spellings, aliases of license commands. */
int cmd_tls_proxy_max(struct ctx *ctx, int argc, char **argv);
int cmd_clear_configure(struct ctx *ctx, int argc, char **argv);

/* sessions.c */

extern const struct cmd sessions_cmds[];
int cmd_sessions_show(struct ctx *ctx, int argc, char **argv);

/* media.c */

extern const struct cmd media_cmds[];
int cmd_media_show(struct ctx *ctx, int argc, char **argv);

/* monitor.c */

/* "monitor": prints the events group's events until killed. */
int cmd_monitor(struct ctx *ctx, int argc, char **argv);

/* config.c */

int cmd_save(struct ctx *ctx, int argc, char **argv);
int cmd_restore(struct ctx *ctx, int argc, char **argv);

#endif /* _UCPCTL_H */
