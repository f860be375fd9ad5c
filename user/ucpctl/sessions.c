// SPDX-License-Identifier: GPL-2.0
/*
 * ucpctl sessions: the licensed sessions held in the namespace, each with
 * the netlink port id of the socket that owns it (UCP_CMD_SESSION_GET).
 */
#include <errno.h>
#include <inttypes.h>

#include "ucpctl.h"

static int session_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1];
	struct ucp_out *o = data;
	uint32_t app, owner;
	const char *name;
	uint64_t id;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0 ||
	    !tb[UCP_A_SESSION_ID] || !tb[UCP_A_APP]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	id = mnl_attr_get_u64(tb[UCP_A_SESSION_ID]);
	app = mnl_attr_get_u32(tb[UCP_A_APP]);
	owner = get_u32(tb[UCP_A_OWNER_PORTID]);
	name = app_name(app);
	ucp_out_obj_begin(o, NULL);
	ucp_out_u64(o, "id", id, "%10" PRIu64, id);
	ucp_out_str(o, "app", name, "  %-14s", name);
	ucp_out_u64(o, "owner-portid", owner, "  %u\n", owner);
	ucp_out_obj_end(o);
	return MNL_CB_OK;
}

int cmd_sessions_show(struct ctx *ctx, int argc, char **argv)
{
	int rc = ctx_open_no_args(ctx, argc, argv);

	if (rc)
		return rc;
	ucp_out_text(ctx->out, "%10s  %-14s  %s\n", "id", "app", "owner-portid");
	return dump_array(ctx, UCP_CMD_SESSION_GET, "sessions", session_cb);
}

const struct cmd sessions_cmds[] = {
	{ .name = "show", .fn = cmd_sessions_show, .args = "",
	  .help = "licensed sessions held, with their owner sockets" },
	{ .name = NULL },
};
