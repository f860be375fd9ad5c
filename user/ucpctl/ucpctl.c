// SPDX-License-Identifier: GPL-2.0
/*
 * ucpctl: inspect and configure the ucproxy kernel module.
 *
 * This file is the core: options, the context, dispatch, the command
 * tables, help and error lines. Each object's commands live in a file of
 * their own (ucpctl.h lists them), as in iproute2.
 *
 * Commands live in tables (struct cmd) walked word by word, like ip(8);
 * each word may be shortened to a unique prefix. A command gathers all it
 * needs from the kernel first and prints through libucp's output layer,
 * which writes text or one JSON document only once everything succeeded.
 *
 * Exit status: 0 success, 1 failure, 2 usage error. Every failure is one
 * line on stderr starting "ucpctl: ".
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucpctl.h"

#ifndef UCP_TOOLS_VERSION
#define UCP_TOOLS_VERSION "unknown"
#endif

/* Errors: one line each */

static void __attribute__((format(printf, 2, 0)))
vreport(const struct ctx *ctx, const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	if (ctx && ctx->what[0])
		fprintf(stderr, "%s: ", ctx->what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int fail(const struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ctx, fmt, ap);
	va_end(ap);
	return EXIT_FAILURE;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(NULL, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

int fail_nl(const struct ctx *ctx)
{
	char buf[512];

	return fail(ctx, "%s",
		    ucp_strerror(ucp_nl_last_error(ctx->nl), buf, sizeof(buf)));
}

/* The module's absence is about the machine, not the command: no prefix. */
int ctx_open(struct ctx *ctx)
{
	struct ucp_err err;
	char buf[512];

	if (ctx->nl)
		return 0;
	ctx->nl = ucp_nl_open(&err);
	if (!ctx->nl)
		return fail(NULL, "%s", ucp_strerror(&err, buf, sizeof(buf)));
	return 0;
}

static bool is_global_option(const char *arg)
{
	static const char *const opts[] = {
		"-j", "--json", "-p", "--pretty", "-h", "--help", "-V",
		"--version",
	};
	size_t i;

	for (i = 0; i < MNL_ARRAY_SIZE(opts); i++)
		if (!strcmp(arg, opts[i]))
			return true;
	return false;
}

int bad_argument(const struct ctx *ctx, const char *arg)
{
	if (is_global_option(arg))
		return usage_error("%s: option '%s' goes before the command",
				   ctx->what, arg);
	return usage_error("%s: unknown argument '%s' (try '" PROG " help %s')",
			   ctx->what, arg, ctx->what);
}

int no_args(const struct ctx *ctx, int argc, char **argv)
{
	return argc ? bad_argument(ctx, argv[0]) : 0;
}

static int cmd_help(struct ctx *ctx, int argc, char **argv);

static const struct cmd show_cmds[] = {
	{ "info", NULL, cmd_show_info, "",
	  "module version, kernel release, capabilities" },
	{ "stats", NULL, cmd_show_stats, "[--per-cpu]",
	  "counters: totals, or per possible CPU" },
	{ "media", NULL, cmd_show_media, "",
	  "media sessions: mode, legs, packets, drops (never keys)" },
	{ "sessions", NULL, cmd_show_sessions, "",
	  "licensed sessions held, with their owner sockets" },
	{ .name = NULL },
};

static const struct cmd license_cmds[] = {
	{ "show", NULL, cmd_license_show, "",
	  "the license, the TLS limits and each class's use" },
	{ "set", NULL, cmd_license_set,
	  "model M [uc N] [ime on|off] [export k8|k9]",
	  "install a license (a platform and its UC tier)" },
	{ .name = NULL },
};

static const struct cmd tls_proxy_cmds[] = {
	{ "maximum-sessions", NULL, cmd_tls_max, "N | ? [model M]",
	  "set the TLS proxy limit, or show a platform's limits" },
	{ .name = NULL },
};

static const struct cmd clear_cmds[] = {
	{ "configure", NULL, cmd_clear_configure, "",
	  "reset the TLS proxy limit to the platform default" },
	{ .name = NULL },
};

static const struct cmd media_cmds[] = {
	{ "policy", NULL, cmd_media_policy,
	  "[passthrough | secure-original | secure-reply | secure-both]",
	  "which side keeps SRTP with ucproxy's keys (shown without a policy)" },
	{ NULL },
};

static const struct cmd top_cmds[] = {
	{ "show", show_cmds, cmd_show, "",
	  "module identity and counters" },
	{ "license", license_cmds, cmd_license_show, "",
	  "the license (as license show)" },
	{ "tls-proxy", tls_proxy_cmds, NULL, "", "" },
	{ "clear", clear_cmds, NULL, "", "" },
	{ "media", media_cmds, NULL, "", "" },
	{ "help", NULL, cmd_help, "[COMMAND...]", "this help" },
	{ .name = NULL },
};

/* Dispatch */

static void what_append(struct ctx *ctx, const char *word)
{
	size_t len = strlen(ctx->what);

	snprintf(ctx->what + len, sizeof(ctx->what) - len, "%s%s",
		 len ? " " : "", word);
}

static int ambiguous(const struct ctx *ctx, const struct cmd *table,
		     const char *word)
{
	size_t len = strlen(word), n = 0;
	const struct cmd *c;
	char list[256];

	list[0] = '\0';
	for (c = table; c->name && n < sizeof(list); c++) {
		if (strncmp(c->name, word, len))
			continue;
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
				      n ? ", " : "", c->name);
	}
	return usage_error("ambiguous command '%s%s%s' (%s)", ctx->what,
			   ctx->what[0] ? " " : "", word, list);
}

/* The entry @word names: exactly, or as the only one it is a prefix of. */
static const struct cmd *cmd_find(const struct cmd *table, const char *word,
				  int *matches)
{
	const struct cmd *c, *found = NULL;
	size_t len = strlen(word);

	*matches = 0;
	for (c = table; c->name; c++) {
		if (!strcmp(c->name, word)) {
			*matches = 1;
			return c;
		}
		if (len && !strncmp(c->name, word, len)) {
			found = c;
			(*matches)++;
		}
	}
	return *matches == 1 ? found : NULL;
}

static const struct cmd *cmd_lookup(struct ctx *ctx, const struct cmd *table,
				    const char *word, int *rc)
{
	const struct cmd *c;
	int matches;

	c = cmd_find(table, word, &matches);
	if (c) {
		what_append(ctx, c->name);
		return c;
	}
	if (matches > 1)
		*rc = ambiguous(ctx, table, word);
	else
		*rc = usage_error("unknown command '%s%s%s' (try '" PROG " help')",
				  ctx->what, ctx->what[0] ? " " : "", word);
	return NULL;
}

static int cmd_run(struct ctx *ctx, const struct cmd *table, int argc,
		   char **argv)
{
	const struct cmd *c;
	int rc = 0;

	c = cmd_lookup(ctx, table, argv[0], &rc);
	if (!c)
		return rc;
	argc--;
	argv++;
	if (c->sub && argc && argv[0][0] != '-')
		return cmd_run(ctx, c->sub, argc, argv);
	if (!c->fn)
		return usage_error("%s: missing command (try '" PROG " help %s')",
				   ctx->what, ctx->what);
	return c->fn(ctx, argc, argv);
}

/* Help, generated from the tables */

static void help_entry(struct ucp_out *o, const char *path, const struct cmd *c)
{
	char line[128];

	snprintf(line, sizeof(line), "%s%s%s", path, c->args[0] ? " " : "",
		 c->args);
	ucp_out_obj_begin(o, NULL);
	ucp_out_str(o, "command", path, "  %-28s", line);
	ucp_out_str(o, "arguments", c->args, NULL);
	ucp_out_str(o, "description", c->help, " %s\n", c->help);
	ucp_out_obj_end(o);
}

static void help_walk(struct ucp_out *o, const char *prefix,
		      const struct cmd *table)
{
	const struct cmd *c;
	char path[96];

	for (c = table; c->name; c++) {
		snprintf(path, sizeof(path), "%s%s%s", prefix,
			 prefix[0] ? " " : "", c->name);
		if (c->fn)
			help_entry(o, path, c);
		if (c->sub)
			help_walk(o, path, c->sub);
	}
}

static const char help_head[] =
	"Usage: " PROG " [OPTIONS] COMMAND [ARGUMENTS]\n"
	"\n"
	"Commands (each word may be shortened to a unique prefix):\n";

static const char help_tail[] =
	"\n"
	"Options (before the command):\n"
	"  -j, --json       JSON output\n"
	"  -p, --pretty     JSON output, indented\n"
	"  -V, --version    print the version\n"
	"  -h, --help       this help\n"
	"\n"
	"Exit status: 0 success, 1 failure, 2 usage error. See " PROG "(8).\n";

/* "help [COMMAND...]": the whole tree, or the subtree the words name. */
static int cmd_help(struct ctx *ctx, int argc, char **argv)
{
	const struct cmd *table = top_cmds, *c = NULL;
	struct ctx sub = { 0 };
	int i, rc = 0;

	for (i = 0; i < argc; i++) {
		if (!table)
			return bad_argument(ctx, argv[i]);
		c = cmd_lookup(&sub, table, argv[i], &rc);
		if (!c)
			return rc;
		table = c->sub;
	}
	ucp_out_text(ctx->out, "%s", help_head);
	ucp_out_arr_begin(ctx->out, "commands");
	if (c && c->fn)
		help_entry(ctx->out, sub.what, c);
	if (table)
		help_walk(ctx->out, sub.what, table);
	ucp_out_arr_end(ctx->out);
	ucp_out_text(ctx->out, "%s", help_tail);
	return 0;
}

/* Options and main */

static const struct option long_opts[] = {
	{ "json",	no_argument, NULL, 'j' },
	{ "pretty",	no_argument, NULL, 'p' },
	{ "version",	no_argument, NULL, 'V' },
	{ "help",	no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

enum action { ACT_COMMAND, ACT_HELP, ACT_VERSION };

/* Options stop at the first word, so command arguments keep their dashes. */
static int parse_options(int argc, char **argv, unsigned int *flags,
			 enum action *act)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jpVh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			*flags |= UCP_OUT_JSON;
			break;
		case 'p':
			*flags |= UCP_OUT_JSON | UCP_OUT_PRETTY;
			break;
		case 'V':
			*act = ACT_VERSION;
			break;
		case 'h':
			*act = ACT_HELP;
			break;
		default:
			if (optopt)
				return usage_error("unknown option '-%c' (try '" PROG " help')",
						   optopt);
			return usage_error("unknown option '%s' (try '" PROG " help')",
					   argv[optind - 1]);
		}
	}
	return 0;
}

static int run(struct ctx *ctx, enum action act, int argc, char **argv)
{
	switch (act) {
	case ACT_VERSION:
		ucp_out_str(ctx->out, "version", UCP_TOOLS_VERSION,
			    PROG " %s\n", UCP_TOOLS_VERSION);
		return 0;
	case ACT_HELP:
		return cmd_help(ctx, 0, NULL);
	case ACT_COMMAND:
		break;
	}
	if (!argc)
		return usage_error("missing command (try '" PROG " help')");
	return cmd_run(ctx, top_cmds, argc, argv);
}

int main(int argc, char **argv)
{
	enum action act = ACT_COMMAND;
	struct ctx ctx = { 0 };
	unsigned int flags = 0;
	int rc;

	rc = parse_options(argc, argv, &flags, &act);
	if (rc)
		return rc;
	ctx.out = ucp_out_new(stdout, flags);
	if (!ctx.out)
		return fail(NULL, "%s", strerror(ENOMEM));
	rc = run(&ctx, act, argc - optind, argv + optind);
	ucp_nl_close(ctx.nl);
	if (rc) {
		ucp_out_discard(ctx.out);
		return rc;
	}
	ctx.what[0] = '\0';
	if (ucp_out_end(ctx.out) < 0)
		return fail(NULL, "write error: %s", strerror(errno));
	return 0;
}

