// SPDX-License-Identifier: GPL-2.0
/*
 * ucpctl info: the module's version, kernel release and capabilities
 * (UCP_CMD_INFO_GET).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ucpctl.h"

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1];
	struct info *in = data;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0)
		return MNL_CB_ERROR;
	if (!tb[UCP_A_VERSION]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	snprintf(in->version, sizeof(in->version), "%s",
		 mnl_attr_get_str(tb[UCP_A_VERSION]));
	if (tb[UCP_A_KERNEL]) {
		in->has_kernel = true;
		snprintf(in->kernel, sizeof(in->kernel), "%s",
			 mnl_attr_get_str(tb[UCP_A_KERNEL]));
	}
	if (tb[UCP_A_CAPS])
		in->caps = mnl_attr_get_u64(tb[UCP_A_CAPS]);
	return MNL_CB_OK;
}

int info_get(struct ctx *ctx, struct info *in)
{
	struct nlmsghdr *req;

	memset(in, 0, sizeof(*in));
	req = ucp_nl_request(ctx->nl, UCP_CMD_INFO_GET, 0);
	if (ucp_nl_do(ctx->nl, req, info_cb, in) < 0)
		return fail_nl(ctx);
	/* An acknowledgement without a reply is not an answer. */
	if (!in->version[0])
		return fail(ctx, "malformed reply from the kernel");
	return 0;
}

#define INFO_FMT	"%-13s %s"

void out_info(struct ucp_out *o, const struct info *in)
{
	char unknown[16];
	const char *name;
	unsigned int bit;

	ucp_out_str(o, "version", in->version, INFO_FMT "\n", "version",
		    in->version);
	if (in->has_kernel)
		ucp_out_str(o, "kernel", in->kernel, INFO_FMT "\n", "kernel",
			    in->kernel);
	ucp_out_text(o, "%-13s", "capabilities");
	ucp_out_arr_begin(o, "capabilities");
	for (bit = 0; bit < 64; bit++) {
		if (!(in->caps & (1ULL << bit)))
			continue;
		/* A newer module's capability still shows, by number. */
		name = ucp_spec_name(&ucp_spec_capability, bit);
		if (!name) {
			snprintf(unknown, sizeof(unknown), "bit%u", bit);
			name = unknown;
		}
		ucp_out_str(o, NULL, name, " %s", name);
	}
	ucp_out_arr_end(o);
	ucp_out_text(o, "%s\n", in->caps ? "" : " none");
}

int cmd_info_show(struct ctx *ctx, int argc, char **argv)
{
	struct info in;
	int rc = ctx_open_no_args(ctx, argc, argv);

	if (!rc)
		rc = info_get(ctx, &in);
	if (!rc)
		out_info(ctx->out, &in);
	return rc;
}

const struct cmd info_cmds[] = {
	{ .name = "show", .fn = cmd_info_show, .args = "",
	  .help = "module version, kernel release, capabilities" },
	{ .name = NULL },
};
