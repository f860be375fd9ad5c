// SPDX-License-Identifier: GPL-2.0
/*
 * ucpctl: inspect and configure the ucproxy kernel module.
 *
 * This file is the core: options, the context, dispatch, the object
 * table and the aliases, help and error lines. Each object's commands live
 * in a file of their own (ucpctl.h lists them), as in iproute2.
 *
 * Commands live in tables (struct cmd) walked word by word, like ip(8):
 * the object first, then what to do with it ("media show", "license set
 * ..."), an object alone being its show command; each word may be
 * shortened to a unique prefix. The earlier spellings ("show media",
 * "tls-proxy maximum-sessions N", "clear configure") stay as aliases that
 * run the same code, so their output is the same. A command gathers all it
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

int ctx_open_no_args(struct ctx *ctx, int argc, char **argv)
{
	int rc = no_args(ctx, argc, argv);

	return rc ? rc : ctx_open(ctx);
}

int dump_array(struct ctx *ctx, uint8_t cmd, const char *key, mnl_cb_t cb)
{
	struct nlmsghdr *req;

	ucp_out_arr_begin(ctx->out, key);
	req = ucp_nl_request(ctx->nl, cmd, NLM_F_DUMP);
	if (ucp_nl_dump(ctx->nl, req, cb, ctx->out) < 0)
		return fail_nl(ctx);
	ucp_out_arr_end(ctx->out);
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

int parse_u32(const char *s, uint32_t *v)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || !*s || *end || s[0] == '-' || n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

static int cmd_help(struct ctx *ctx, int argc, char **argv);

/* The earlier word order, verb first: "show media" is "media show". */
static const struct cmd show_aliases[] = {
	{ .name = "info", .fn = cmd_info_show, .args = "",
	  .alias_of = "info show" },
	{ .name = "stats", .fn = cmd_stats_show, .args = "[--per-cpu]",
	  .alias_of = "stats show [--per-cpu]" },
	{ .name = "media", .fn = cmd_media_show, .args = "",
	  .alias_of = "media show" },
	{ .name = "sessions", .fn = cmd_sessions_show, .args = "",
	  .alias_of = "sessions show" },
	{ .name = NULL },
};

/* The original product's commands, as its administrators type them. */
static const struct cmd tls_proxy_aliases[] = {
	{ .name = "maximum-sessions", .fn = cmd_tls_proxy_max,
	  .args = "N | ? [model M]",
	  .alias_of = "license tls-limit N, license limits [model M]" },
	{ .name = NULL },
};

static const struct cmd clear_aliases[] = {
	{ .name = "configure", .fn = cmd_clear_configure, .args = "",
	  .alias_of = "license tls-limit default" },
	{ .name = NULL },
};

/* Objects first; an object alone runs its show command. */
static const struct cmd top_cmds[] = {
	{ .name = "info", .sub = info_cmds, .fn = cmd_info_show },
	{ .name = "stats", .sub = stats_cmds, .fn = cmd_stats_show },
	{ .name = "license", .sub = license_cmds, .fn = cmd_license_show },
	{ .name = "sessions", .sub = sessions_cmds, .fn = cmd_sessions_show },
	{ .name = "media", .sub = media_cmds, .fn = cmd_media_show },
	{ .name = "monitor", .fn = cmd_monitor, .args = "",
	  .help = "print the kernel's events as they come, one line each" },
	{ .name = "save", .fn = cmd_save, .args = "",
	  .help = "print the configuration as ucpctl command lines" },
	{ .name = "restore", .fn = cmd_restore, .args = "FILE",
	  .help = "apply a saved configuration, all or nothing" },
	{ .name = "show", .sub = show_aliases, .fn = cmd_show, .args = "",
	  .help = "module identity and counters (info show, then stats show)" },
	{ .name = "help", .fn = cmd_help, .args = "[COMMAND...]",
	  .help = "this help" },
	{ .name = "tls-proxy", .sub = tls_proxy_aliases },
	{ .name = "clear", .sub = clear_aliases },
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

/* Whether @word names a subcommand of @c, or is a prefix of several. */
static bool names_sub(const struct cmd *c, const char *word)
{
	int matches;

	return cmd_find(c->sub, word, &matches) || matches > 1;
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
	if (c->sub && argc && argv[0][0] != '-' &&
	    (!c->args_or_sub || names_sub(c, argv[0])))
		return cmd_run(ctx, c->sub, argc, argv);
	if (!c->fn)
		return usage_error("%s: missing command (try '" PROG " help %s')",
				   ctx->what, ctx->what);
	return c->fn(ctx, argc, argv);
}

/* Help, generated from the tables */

static void help_entry(struct ucp_out *o, const char *path, const struct cmd *c)
{
	const char *what = c->alias_of ? c->alias_of : c->help;
	char line[128];

	snprintf(line, sizeof(line), "%s%s%s", path, c->args[0] ? " " : "",
		 c->args);
	ucp_out_obj_begin(o, NULL);
	ucp_out_str(o, "command", path, "  %-28s", line);
	ucp_out_str(o, "arguments", c->args, NULL);
	ucp_out_str(o, c->alias_of ? "alias-of" : "description", what,
		    " %s\n", what);
	ucp_out_obj_end(o);
}

/* @c (at @path) and what is below it: its commands, or its aliases. */
static void help_walk(struct ucp_out *o, const char *path,
		      const struct cmd *c, bool aliases)
{
	const struct cmd *s;
	char sub[96];

	if (aliases ? c->alias_of != NULL : c->help != NULL)
		help_entry(o, path, c);
	for (s = c->sub; s && s->name; s++) {
		snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? " " : "",
			 s->name);
		help_walk(o, sub, s, aliases);
	}
}

static bool has_alias(const struct cmd *c)
{
	const struct cmd *s;

	if (c->alias_of)
		return true;
	for (s = c->sub; s && s->name; s++)
		if (has_alias(s))
			return true;
	return false;
}

static const char help_head[] =
	"Usage: " PROG " [OPTIONS] OBJECT [COMMAND [ARGUMENTS]]\n"
	"\n"
	"Commands (each word may be shortened to a unique prefix; an object\n"
	"alone is its show command: '" PROG " media' is '" PROG " media show'):\n";

static const char help_aliases[] =
	"\n"
	"Aliases (the earlier word order and the original product's commands):\n";

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
	static const struct cmd top = { .name = "", .sub = top_cmds };
	const struct cmd *c = &top;
	struct ctx sub = { 0 };
	int i, rc = 0;

	for (i = 0; i < argc; i++) {
		if (!c->sub)
			return bad_argument(ctx, argv[i]);
		c = cmd_lookup(&sub, c->sub, argv[i], &rc);
		if (!c)
			return rc;
	}
	ucp_out_text(ctx->out, "%s", help_head);
	ucp_out_arr_begin(ctx->out, "commands");
	help_walk(ctx->out, sub.what, c, false);
	ucp_out_arr_end(ctx->out);
	if (has_alias(c)) {
		ucp_out_text(ctx->out, "%s", help_aliases);
		ucp_out_arr_begin(ctx->out, "aliases");
		help_walk(ctx->out, sub.what, c, true);
		ucp_out_arr_end(ctx->out);
	}
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

