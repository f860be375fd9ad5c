// SPDX-License-Identifier: GPL-2.0
/*
 * ucpctl license: the namespace's license and each class's use (show:
 * UCP_CMD_LICENSE_GET; set: LICENSE_SET), a platform's limits (limits:
 * LIMITS_GET) and the TLS proxy limit (tls-limit N: TLS_LIMIT_SET;
 * tls-limit default: CONFIG_CLEAR), with the original product's spellings
 * "tls-proxy maximum-sessions N | ?" and "clear configure" as aliases.
 * Every reply is a license; a refusal carries the rule's sentence, which
 * is printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucpctl.h"

struct usage {
	uint32_t app, in_use, peak, refused, limit;
	bool limited;
};

/* What the kernel answered: the license, or why it refused. */
struct license {
	char platform[32];
	uint32_t uc, tls_max, tls_default, tls_platform_max;
	uint8_t ime, export_class;
	uint32_t tiers[16];
	size_t n_tiers;
	struct usage usage[UCP_APP_MAX];
	size_t n_usage;
	bool has_config;	/* a namespace's license, not a model's row */
	char warning[160];
	char reason[160];	/* a refusal's sentence */
};

static int usage_parse(const struct nlattr *nest, struct usage *u)
{
	const struct nlattr *tb[UCP_USAGE_A_MAX + 1];

	if (ucp_parse_nested(nest, ucp_usage_attr_types, UCP_USAGE_A_MAX, tb) < 0)
		return -1;
	u->app = get_u32(tb[UCP_USAGE_A_APP]);
	u->limited = tb[UCP_USAGE_A_LIMIT];
	u->limit = get_u32(tb[UCP_USAGE_A_LIMIT]);
	u->in_use = get_u32(tb[UCP_USAGE_A_IN_USE]);
	u->peak = get_u32(tb[UCP_USAGE_A_PEAK]);
	u->refused = get_u32(tb[UCP_USAGE_A_REFUSED]);
	return 0;
}

/* The repeated attributes (tiers, usage) need a walk of their own. */
static int license_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1];
	struct license *l = data;
	const struct nlattr *a;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0)
		return MNL_CB_ERROR;
	if (tb[UCP_A_REASON])
		snprintf(l->reason, sizeof(l->reason), "%s",
			 mnl_attr_get_str(tb[UCP_A_REASON]));
	if (tb[UCP_A_WARNING])
		snprintf(l->warning, sizeof(l->warning), "%s",
			 mnl_attr_get_str(tb[UCP_A_WARNING]));
	if (!tb[UCP_A_PLATFORM])
		return MNL_CB_OK;
	snprintf(l->platform, sizeof(l->platform), "%s",
		 mnl_attr_get_str(tb[UCP_A_PLATFORM]));
	l->has_config = tb[UCP_A_UC_SESSIONS];
	l->uc = get_u32(tb[UCP_A_UC_SESSIONS]);
	l->ime = tb[UCP_A_IME] ? mnl_attr_get_u8(tb[UCP_A_IME]) : 0;
	l->export_class = tb[UCP_A_EXPORT] ? mnl_attr_get_u8(tb[UCP_A_EXPORT]) : 0;
	l->tls_max = get_u32(tb[UCP_A_TLS_MAX]);
	l->tls_default = get_u32(tb[UCP_A_TLS_DEFAULT]);
	l->tls_platform_max = get_u32(tb[UCP_A_TLS_PLATFORM_MAX]);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == UCP_A_TIER &&
		    l->n_tiers < MNL_ARRAY_SIZE(l->tiers))
			l->tiers[l->n_tiers++] = mnl_attr_get_u32(a);
		if (mnl_attr_get_type(a) == UCP_A_USAGE &&
		    l->n_usage < MNL_ARRAY_SIZE(l->usage) &&
		    usage_parse(a, &l->usage[l->n_usage++]) < 0)
			return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Sends @req; on a refusal prints the kernel's sentence when it gave one. */
static int license_do(struct ctx *ctx, struct nlmsghdr *req,
		      struct license *l)
{
	if (ucp_nl_do(ctx->nl, req, license_cb, l) < 0) {
		if (l->reason[0])
			return fail(ctx, "%s", l->reason);
		return fail_nl(ctx);
	}
	if (l->warning[0])
		fprintf(stderr, PROG ": warning: %s\n", l->warning);
	return 0;
}

#define LIC_FMT	"%-22s "

static void out_tiers(struct ucp_out *o, const struct license *l)
{
	size_t i;

	ucp_out_text(o, LIC_FMT, "uc-tiers");
	ucp_out_arr_begin(o, "uc-tiers");
	for (i = 0; i < l->n_tiers; i++)
		ucp_out_u64(o, NULL, l->tiers[i], "%s%u", i ? " " : "",
			    l->tiers[i]);
	ucp_out_arr_end(o);
	ucp_out_text(o, "\n");
}

static void out_license(struct ucp_out *o, const struct license *l)
{
	const char *export = name_of(&ucp_spec_export_class, l->export_class);
	size_t i;

	ucp_out_str(o, "platform", l->platform, LIC_FMT "%s\n", "platform",
		    l->platform);
	if (!l->has_config) {
		/* A model's row of the table: its limits and tiers only. */
		ucp_out_u64(o, "tls-default", l->tls_default, LIC_FMT "%u\n",
			    "tls-default", l->tls_default);
		ucp_out_u64(o, "tls-platform-maximum", l->tls_platform_max,
			    LIC_FMT "%u\n", "tls-platform-maximum",
			    l->tls_platform_max);
		out_tiers(o, l);
		return;
	}
	ucp_out_u64(o, "uc-sessions", l->uc, LIC_FMT "%u\n", "uc-sessions",
		    l->uc);
	ucp_out_str(o, "ime", l->ime ? "on" : "off", LIC_FMT "%s\n", "ime",
		    l->ime ? "on" : "off");
	ucp_out_str(o, "export", export, LIC_FMT "%s\n", "export", export);
	ucp_out_u64(o, "tls-maximum-sessions", l->tls_max, LIC_FMT "%u\n",
		    "tls-maximum-sessions", l->tls_max);
	ucp_out_u64(o, "tls-default", l->tls_default, LIC_FMT "%u\n",
		    "tls-default", l->tls_default);
	ucp_out_u64(o, "tls-platform-maximum", l->tls_platform_max,
		    LIC_FMT "%u\n", "tls-platform-maximum", l->tls_platform_max);
	out_tiers(o, l);
	if (!l->n_usage)
		return;
	ucp_out_text(o, "\n%-14s %10s %8s %8s %8s\n", "class", "limit",
		     "in-use", "peak", "refused");
	ucp_out_obj_begin(o, "usage");
	for (i = 0; i < l->n_usage; i++) {
		const struct usage *u = &l->usage[i];
		const char *name = app_name(u->app);
		char limit[16];

		snprintf(limit, sizeof(limit), "%u", u->limit);
		ucp_out_obj_begin(o, name);
		ucp_out_text(o, "%-14s %10s", name,
			     u->limited ? limit : "unlimited");
		if (u->limited)
			ucp_out_u64(o, "limit", u->limit, NULL);
		ucp_out_u64(o, "in-use", u->in_use, " %8u", u->in_use);
		ucp_out_u64(o, "peak", u->peak, " %8u", u->peak);
		ucp_out_u64(o, "refused", u->refused, " %8u\n", u->refused);
		ucp_out_obj_end(o);
	}
	ucp_out_obj_end(o);
}

static int license_run(struct ctx *ctx, uint8_t cmd, struct nlmsghdr *req,
		       bool show)
{
	struct license l;
	int rc;

	memset(&l, 0, sizeof(l));
	rc = license_do(ctx, req, &l);
	if (rc)
		return rc;
	if (!l.platform[0])
		return fail(ctx, "malformed reply from the kernel");
	if (show || cmd == UCP_CMD_LIMITS_GET)
		out_license(ctx->out, &l);
	else
		ucp_out_u64(ctx->out, "tls-maximum-sessions", l.tls_max,
			    "tls-proxy maximum-sessions %u\n", l.tls_max);
	return 0;
}

/* A request of its own without arguments: show, clear configure. */
static int license_simple(struct ctx *ctx, int argc, char **argv, uint8_t cmd,
			  bool show)
{
	int rc = ctx_open_no_args(ctx, argc, argv);

	if (rc)
		return rc;
	return license_run(ctx, cmd, ucp_nl_request(ctx->nl, cmd, 0), show);
}

int cmd_license_show(struct ctx *ctx, int argc, char **argv)
{
	return license_simple(ctx, argc, argv, UCP_CMD_LICENSE_GET, true);
}

/* license set model M uc N [ime on|off] [export k8|k9] */
static int cmd_license_set(struct ctx *ctx, int argc, char **argv)
{
	const char *model = NULL;
	uint32_t uc = 0;
	int ime = -1, export_class = 0, i, rc;
	struct nlmsghdr *req;

	for (i = 0; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "model"))
			model = v;
		else if (!strcmp(k, "uc") && !parse_u32(v, &uc))
			continue;
		else if (!strcmp(k, "ime") && (!strcmp(v, "on") || !strcmp(v, "off")))
			ime = !strcmp(v, "on");
		else if (!strcmp(k, "export") &&
			 ucp_spec_value(&ucp_spec_export_class, v) > 0)
			export_class = ucp_spec_value(&ucp_spec_export_class, v);
		else
			return usage_error("license set: bad argument '%s %s' (try '"
					   PROG " help license')", k, v);
	}
	if (i < argc)
		return usage_error("license set: '%s' needs a value", argv[i]);
	if (!model)
		return usage_error("license set: model M is required");
	rc = ctx_open(ctx);
	if (rc)
		return rc;
	req = ucp_nl_request(ctx->nl, UCP_CMD_LICENSE_SET, 0);
	mnl_attr_put_strz(req, UCP_A_PLATFORM, model);
	if (uc)
		mnl_attr_put_u32(req, UCP_A_UC_SESSIONS, uc);
	if (ime >= 0)
		mnl_attr_put_u8(req, UCP_A_IME, (uint8_t)ime);
	if (export_class)
		mnl_attr_put_u8(req, UCP_A_EXPORT, (uint8_t)export_class);
	return license_run(ctx, UCP_CMD_LICENSE_SET, req, true);
}

/* license limits [model M]: the namespace's limits, or a model's row. */
static int cmd_license_limits(struct ctx *ctx, int argc, char **argv)
{
	struct nlmsghdr *req;
	int rc;

	if (argc && strcmp(argv[0], "model"))
		return bad_argument(ctx, argv[0]);
	if (argc == 1)
		return usage_error("%s: 'model' needs a value", ctx->what);
	if (argc > 2)
		return bad_argument(ctx, argv[2]);
	rc = ctx_open(ctx);
	if (rc)
		return rc;
	req = ucp_nl_request(ctx->nl, UCP_CMD_LIMITS_GET, 0);
	if (argc == 2)
		mnl_attr_put_strz(req, UCP_A_PLATFORM, argv[1]);
	return license_run(ctx, UCP_CMD_LIMITS_GET, req, true);
}

/* The TLS proxy limit set to @arg; prints the limit now in force. */
static int tls_limit_set(struct ctx *ctx, const char *arg)
{
	struct nlmsghdr *req;
	uint32_t n;
	int rc;

	if (parse_u32(arg, &n))
		return usage_error("%s: not a number: '%s'", ctx->what, arg);
	rc = ctx_open(ctx);
	if (rc)
		return rc;
	req = ucp_nl_request(ctx->nl, UCP_CMD_TLS_LIMIT_SET, 0);
	mnl_attr_put_u32(req, UCP_A_TLS_MAX, n);
	return license_run(ctx, UCP_CMD_TLS_LIMIT_SET, req, false);
}

/*
 * clear configure: the TLS limit back to the platform default, with the
 * warning of rule 7 when that is below the UC license.
 */
int cmd_clear_configure(struct ctx *ctx, int argc, char **argv)
{
	return license_simple(ctx, argc, argv, UCP_CMD_CONFIG_CLEAR, false);
}

/* license tls-limit N | default */
static int cmd_license_tls_limit(struct ctx *ctx, int argc, char **argv)
{
	if (!argc)
		return usage_error("%s: N or default is required", ctx->what);
	if (argc > 1)
		return bad_argument(ctx, argv[1]);
	if (!strcmp(argv[0], "default"))
		return cmd_clear_configure(ctx, 0, NULL);
	return tls_limit_set(ctx, argv[0]);
}

/* tls-proxy maximum-sessions N | ? [model M]: the original's spelling. */
int cmd_tls_proxy_max(struct ctx *ctx, int argc, char **argv)
{
	if (!argc)
		return usage_error("%s: N or ? is required", ctx->what);
	if (!strcmp(argv[0], "?"))
		return cmd_license_limits(ctx, argc - 1, argv + 1);
	if (argc > 1)
		return bad_argument(ctx, argv[1]);
	return tls_limit_set(ctx, argv[0]);
}

const struct cmd license_cmds[] = {
	{ .name = "show", .fn = cmd_license_show, .args = "",
	  .help = "the license, the TLS limits and each class's use" },
	{ .name = "set", .fn = cmd_license_set,
	  .args = "model M [uc N] [ime on|off] [export k8|k9]",
	  .help = "install a license (a platform and its UC tier)" },
	{ .name = "limits", .fn = cmd_license_limits, .args = "[model M]",
	  .help = "TLS limits and UC tiers: the namespace's, or a model's" },
	{ .name = "tls-limit", .fn = cmd_license_tls_limit,
	  .args = "N | default",
	  .help = "set the TLS proxy limit, or reset it to the platform default" },
	{ .name = NULL },
};
