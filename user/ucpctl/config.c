// SPDX-License-Identifier: GPL-2.0
/*
 * ucpctl save and restore: the namespace's whole kernel configuration as
 * ucpctl command lines, like "nft list ruleset" and "nft -f".
 *
 * The settable state is what the spec's set operations change: the
 * license (license-set), the TLS proxy limit (tls-limit-set) and the media
 * policy (media-policy-set); save prints the lines of their plan
 * (save_plan.c), which give them back whatever is in force when they are
 * restored, the K8 cases of the license rules included. Helper options
 * are module parameters, global, and not part of it.
 *
 * restore FILE is all or nothing: every line is parsed and checked first
 * (a bad one: "FILE:LINE: reason", nothing changed); the configuration in
 * force is then read, the lines applied in order, and should the kernel
 * refuse one, what was read is put back by its own plan.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "save_plan.h"
#include "ucpctl.h"

#define CFG_MAX_LINES	64
#define CFG_WORDS	12

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1];
	struct config *c = data;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0)
		return MNL_CB_ERROR;
	if (tb[UCP_A_PLATFORM]) {
		snprintf(c->platform, sizeof(c->platform), "%s",
			 mnl_attr_get_str(tb[UCP_A_PLATFORM]));
		c->uc = get_u32(tb[UCP_A_UC_SESSIONS]);
		c->ime = get_u8(tb[UCP_A_IME]);
		c->export_class = get_u8(tb[UCP_A_EXPORT]);
		c->tls = get_u32(tb[UCP_A_TLS_MAX]);
		c->tls_default = get_u32(tb[UCP_A_TLS_DEFAULT]);
	}
	if (tb[UCP_A_MEDIA_POLICY])
		c->policy = get_u8(tb[UCP_A_MEDIA_POLICY]);
	return MNL_CB_OK;
}

static int config_read(struct ctx *ctx, struct config *c)
{
	struct nlmsghdr *req;

	memset(c, 0, sizeof(*c));
	req = ucp_nl_request(ctx->nl, UCP_CMD_LICENSE_GET, 0);
	if (ucp_nl_do(ctx->nl, req, config_cb, c) < 0)
		return -1;
	req = ucp_nl_request(ctx->nl, UCP_CMD_MEDIA_POLICY_GET, 0);
	if (ucp_nl_do(ctx->nl, req, config_cb, c) < 0)
		return -1;
	if (!c->platform[0]) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* The lines of @c's plan, in the order restore applies them. */
static void config_print(struct ucp_out *o, const struct config *c)
{
	struct op ops[SAVE_PLAN_MAX];
	const struct config *l;
	unsigned int n, i;

	n = save_plan(c, ops);
	for (i = 0; i < n; i++) {
		l = &ops[i].c;
		switch (ops[i].kind) {
		case OP_LICENSE:
			ucp_out_text(o, "license set model %s uc %u ime %s export %s\n",
				     l->platform, l->uc, l->ime ? "on" : "off",
				     name_of(&ucp_spec_export_class, l->export_class));
			break;
		case OP_TLS:
			ucp_out_text(o, "license tls-limit %u\n", l->tls);
			break;
		case OP_CLEAR:
			ucp_out_text(o, "clear configure\n");
			break;
		case OP_POLICY:
			ucp_out_text(o, "media policy set %s\n",
				     name_of(&ucp_spec_media_policy, l->policy));
			break;
		}
	}
}

int cmd_save(struct ctx *ctx, int argc, char **argv)
{
	struct config c;
	int rc = ctx_open_no_args(ctx, argc, argv);

	if (rc)
		return rc;
	if (ucp_out_is_json(ctx->out))
		return usage_error("%s: prints command lines only, not JSON",
				   ctx->what);
	if (config_read(ctx, &c) < 0)
		return fail_nl(ctx);
	ucp_out_text(ctx->out, "# ucproxy configuration (ucpctl restore FILE)\n");
	config_print(ctx->out, &c);
	return 0;
}

/* "license set model M [uc N] [ime on|off] [export k8|k9]" */
static const char *parse_license(char **w, int n, struct config *c)
{
	int i, v;

	c->export_class = UCP_EXPORT_K9;
	for (i = 2; i + 1 < n; i += 2) {
		if (!strcmp(w[i], "model")) {
			if (strlen(w[i + 1]) > UCP_PLATFORM_MAX_LEN)
				return "model name too long";
			snprintf(c->platform, sizeof(c->platform), "%s", w[i + 1]);
		} else if (!strcmp(w[i], "uc")) {
			if (parse_u32(w[i + 1], &c->uc))
				return "uc needs a number";
		} else if (!strcmp(w[i], "ime")) {
			if (strcmp(w[i + 1], "on") && strcmp(w[i + 1], "off"))
				return "ime is on or off";
			c->ime = !strcmp(w[i + 1], "on");
		} else if (!strcmp(w[i], "export")) {
			v = ucp_spec_value(&ucp_spec_export_class, w[i + 1]);
			if (v <= 0)
				return "export is k8 or k9";
			c->export_class = (uint8_t)v;
		} else {
			return "unknown license set argument";
		}
	}
	if (i < n)
		return "an argument without its value";
	if (!c->platform[0])
		return "license set needs model M";
	return NULL;
}

/* One line into @op; NULL, or why it is refused. */
static const char *parse_line(char *line, struct op *op, bool *empty)
{
	char *w[CFG_WORDS], *save = NULL, *t;
	int n = 0, v;

	*empty = false;
	t = strchr(line, '#');
	if (t)
		*t = '\0';
	for (t = strtok_r(line, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == CFG_WORDS)
			return "too many words";
		w[n++] = t;
	}
	if (!n) {
		*empty = true;
		return NULL;
	}
	memset(&op->c, 0, sizeof(op->c));
	if (n >= 2 && !strcmp(w[0], "license") && !strcmp(w[1], "set")) {
		op->kind = OP_LICENSE;
		return parse_license(w, n, &op->c);
	}
	if (n >= 2 && !strcmp(w[0], "license") && !strcmp(w[1], "tls-limit")) {
		op->kind = OP_TLS;
		if (n != 3 || parse_u32(w[2], &op->c.tls) || !op->c.tls)
			return "license tls-limit needs a number above 0";
		return NULL;
	}
	if (n == 2 && !strcmp(w[0], "clear") && !strcmp(w[1], "configure")) {
		op->kind = OP_CLEAR;
		return NULL;
	}
	if (n >= 3 && !strcmp(w[0], "media") && !strcmp(w[1], "policy") &&
	    !strcmp(w[2], "set")) {
		op->kind = OP_POLICY;
		if (n != 4)
			return "media policy set needs one policy";
		v = ucp_spec_value(&ucp_spec_media_policy, w[3]);
		if (v < 0)
			return "unknown media policy";
		op->c.policy = (uint8_t)v;
		return NULL;
	}
	return "not a line of ucpctl save (license set, license tls-limit, clear configure, media policy set)";
}

/* Applies one line; 0, or -1 with the kernel's error in the handle. */
static int apply(struct ctx *ctx, const struct op *op)
{
	struct nlmsghdr *req;

	switch (op->kind) {
	case OP_LICENSE:
		req = ucp_nl_request(ctx->nl, UCP_CMD_LICENSE_SET, 0);
		mnl_attr_put_strz(req, UCP_A_PLATFORM, op->c.platform);
		if (op->c.uc)
			mnl_attr_put_u32(req, UCP_A_UC_SESSIONS, op->c.uc);
		mnl_attr_put_u8(req, UCP_A_IME, op->c.ime);
		mnl_attr_put_u8(req, UCP_A_EXPORT, op->c.export_class);
		break;
	case OP_TLS:
		req = ucp_nl_request(ctx->nl, UCP_CMD_TLS_LIMIT_SET, 0);
		mnl_attr_put_u32(req, UCP_A_TLS_MAX, op->c.tls);
		break;
	case OP_CLEAR:
		req = ucp_nl_request(ctx->nl, UCP_CMD_CONFIG_CLEAR, 0);
		break;
	default:
		req = ucp_nl_request(ctx->nl, UCP_CMD_MEDIA_POLICY_SET, 0);
		mnl_attr_put_u8(req, UCP_A_MEDIA_POLICY, op->c.policy);
		break;
	}
	return ucp_nl_do(ctx->nl, req, NULL, NULL);
}

/* Puts @c back: the lines of its plan. */
static int put_back(struct ctx *ctx, const struct config *c)
{
	struct op ops[SAVE_PLAN_MAX];
	unsigned int n, i;

	n = save_plan(c, ops);
	for (i = 0; i < n; i++)
		if (apply(ctx, &ops[i]) < 0)
			return -1;
	return 0;
}

int cmd_restore(struct ctx *ctx, int argc, char **argv)
{
	static struct op ops[CFG_MAX_LINES];
	unsigned int lineno = 0, n = 0, i;
	char buf[512], err[512];
	struct config before;
	const char *why;
	bool empty;
	FILE *fp;
	int rc;

	if (argc != 1)
		return argc ? bad_argument(ctx, argv[1]) :
			      usage_error("%s: FILE is required", ctx->what);
	fp = fopen(argv[0], "r");
	if (!fp)
		return fail(ctx, "%s: %s", argv[0], strerror(errno));
	while (fgets(buf, sizeof(buf), fp)) {
		lineno++;
		if (!strchr(buf, '\n') && !feof(fp))
			why = "line too long";
		else if (n == CFG_MAX_LINES)
			why = "too many lines";
		else
			why = parse_line(buf, &ops[n], &empty);
		if (why) {
			fclose(fp);
			return fail(NULL, "%s:%u: %s; nothing changed", argv[0],
				    lineno, why);
		}
		if (!empty)
			ops[n++].line = lineno;
	}
	rc = ferror(fp);
	fclose(fp);
	if (rc)
		return fail(ctx, "%s: read error", argv[0]);
	rc = ctx_open(ctx);
	if (rc)
		return rc;
	if (config_read(ctx, &before) < 0)
		return fail_nl(ctx);
	for (i = 0; i < n; i++) {
		if (!apply(ctx, &ops[i]))
			continue;
		ucp_strerror(ucp_nl_last_error(ctx->nl), err, sizeof(err));
		if (put_back(ctx, &before) < 0)
			return fail(NULL, "%s:%u: %s; the configuration before could not be put back: %s",
				    argv[0], ops[i].line, err,
				    ucp_strerror(ucp_nl_last_error(ctx->nl),
						 buf, sizeof(buf)));
		return fail(NULL, "%s:%u: %s; the configuration before was put back",
			    argv[0], ops[i].line, err);
	}
	return 0;
}
