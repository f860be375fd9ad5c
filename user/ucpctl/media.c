// SPDX-License-Identifier: GPL-2.0
/*
 * ucpctl media: the media sessions of the namespace, their legs and what
 * each side sent (UCP_CMD_MEDIA_GET; never keys), and the media policy
 * (UCP_CMD_MEDIA_POLICY_GET, MEDIA_POLICY_SET).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ucpctl.h"

/*
 * A leg's suite as RFC 4568 spells it (the spec's name in capitals,
 * "AES_CM_128_HMAC_SHA1_80"); "rtp" for a plain leg.
 */
static const char *suite_name(uint8_t suite, char *buf, size_t len)
{
	const char *name = ucp_spec_name(&ucp_spec_srtp_suite, suite);
	size_t i;

	if (suite == UCP_SUITE_NONE)
		return "rtp";
	if (!name || strlen(name) >= len)
		return "?";
	for (i = 0; name[i]; i++)
		buf[i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	buf[i] = '\0';
	return buf;
}

/* One leg: what one side of the call sent. */
static int media_leg(struct ucp_out *o, const struct nlattr *nest)
{
	const struct nlattr *tb[UCP_LEG_A_MAX + 1];
	uint64_t packets, bytes, auth, replays, dropped;
	const char *side, *suite;
	char suite_buf[32];
	uint8_t dir, s;

	if (ucp_parse_nested(nest, ucp_leg_attr_types, UCP_LEG_A_MAX, tb) < 0 ||
	    !tb[UCP_LEG_A_DIR])
		return -1;
	dir = get_u8(tb[UCP_LEG_A_DIR]);
	s = get_u8(tb[UCP_LEG_A_SUITE]);
	side = name_of(&ucp_spec_dir, dir);
	suite = suite_name(s, suite_buf, sizeof(suite_buf));
	packets = get_u64(tb[UCP_LEG_A_PACKETS]);
	bytes = get_u64(tb[UCP_LEG_A_BYTES]);
	auth = get_u64(tb[UCP_LEG_A_AUTH_FAILURES]);
	replays = get_u64(tb[UCP_LEG_A_REPLAYS]);
	dropped = get_u64(tb[UCP_LEG_A_DROPPED]);
	ucp_out_obj_begin(o, NULL);
	ucp_out_str(o, "side", side, "      %-8s", side);
	ucp_out_str(o, "suite", suite, "  %-23s", suite);
	ucp_out_u64(o, "packets", packets, "  %10" PRIu64, packets);
	ucp_out_u64(o, "bytes", bytes, "  %12" PRIu64, bytes);
	ucp_out_u64(o, "auth-failures", auth, "  %6" PRIu64, auth);
	ucp_out_u64(o, "replays", replays, "  %6" PRIu64, replays);
	ucp_out_u64(o, "dropped", dropped, "  %6" PRIu64, dropped);
	if (tb[UCP_LEG_A_LAST_SEEN_MS]) {
		uint64_t ms = get_u64(tb[UCP_LEG_A_LAST_SEEN_MS]);

		ucp_out_u64(o, "last-seen-ms", ms, "  %" PRIu64 " ms ago\n",
			    ms);
	} else {
		ucp_out_text(o, "  never\n");
	}
	ucp_out_obj_end(o);
	return 0;
}

static int media_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1], *a;
	struct ucp_out *o = data;
	const char *mode, *state, *proto;
	uint64_t id, age;
	uint8_t stream;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0 ||
	    !tb[UCP_A_MEDIA_ID] || !tb[UCP_A_MEDIA_MODE]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	id = get_u64(tb[UCP_A_MEDIA_ID]);
	mode = name_of(&ucp_spec_media_mode, get_u8(tb[UCP_A_MEDIA_MODE]));
	state = name_of(&ucp_spec_media_state, get_u8(tb[UCP_A_MEDIA_STATE]));
	proto = name_of(&ucp_spec_proto, get_u8(tb[UCP_A_PROTO]));
	stream = get_u8(tb[UCP_A_MEDIA_STREAM]);
	age = get_u64(tb[UCP_A_MEDIA_AGE_MS]) / 1000;
	ucp_out_obj_begin(o, NULL);
	ucp_out_u64(o, "id", id, "%6" PRIu64, id);
	ucp_out_str(o, "mode", mode, "  %-13s", mode);
	ucp_out_str(o, "state", state, "  %-8s", state);
	ucp_out_str(o, "proto", proto, "  %s", proto);
	ucp_out_u64(o, "stream", stream, " stream %u", stream);
	ucp_out_u64(o, "age-s", age, "  %" PRIu64 " s\n", age);
	ucp_out_arr_begin(o, "legs");
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == UCP_A_MEDIA_LEG &&
		    media_leg(o, a) < 0) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
	}
	ucp_out_arr_end(o);
	ucp_out_obj_end(o);
	return MNL_CB_OK;
}

int cmd_media_show(struct ctx *ctx, int argc, char **argv)
{
	int rc = ctx_open_no_args(ctx, argc, argv);

	if (rc)
		return rc;
	ucp_out_text(ctx->out, "%6s  %-13s  %-8s  %s\n", "id", "mode", "state",
		     "signalling, age");
	ucp_out_text(ctx->out, "      %-8s  %-23s  %10s  %12s  %6s  %6s  %6s  %s\n",
		     "side", "suite", "packets", "bytes", "auth", "replay",
		     "drop", "last seen");
	return dump_array(ctx, UCP_CMD_MEDIA_GET, "media", media_cb);
}

static int media_policy_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1];
	struct ucp_out *o = data;
	const char *name;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0 ||
	    !tb[UCP_A_MEDIA_POLICY]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	name = name_of(&ucp_spec_media_policy, get_u8(tb[UCP_A_MEDIA_POLICY]));
	ucp_out_str(o, "media-policy", name, "media policy %s\n", name);
	return MNL_CB_OK;
}

/* The spec's policy names, "a, b, c", for a usage error. */
static const char *policy_names(char *buf, size_t len)
{
	const struct ucp_spec_names *t = &ucp_spec_media_policy;
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < t->n && n < len; i++)
		if (t->names[i])
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? ", " : "", t->names[i]);
	return buf;
}

/* Sets @policy unless it is NULL, then shows the policy in force. */
static int media_policy(struct ctx *ctx, const char *policy)
{
	struct nlmsghdr *req;
	char names[128];
	int i;
	int rc;

	rc = ctx_open(ctx);
	if (rc)
		return rc;
	if (policy) {
		i = ucp_spec_value(&ucp_spec_media_policy, policy);
		if (i < 0)
			return usage_error("%s: unknown policy '%s' (%s)",
					   ctx->what, policy,
					   policy_names(names, sizeof(names)));
		req = ucp_nl_request(ctx->nl, UCP_CMD_MEDIA_POLICY_SET, 0);
		mnl_attr_put_u8(req, UCP_A_MEDIA_POLICY, i);
		if (ucp_nl_do(ctx->nl, req, NULL, NULL) < 0)
			return fail_nl(ctx);
	}
	req = ucp_nl_request(ctx->nl, UCP_CMD_MEDIA_POLICY_GET, 0);
	if (ucp_nl_do(ctx->nl, req, media_policy_cb, ctx->out) < 0)
		return fail_nl(ctx);
	return 0;
}

static int cmd_media_policy_show(struct ctx *ctx, int argc, char **argv)
{
	int rc = no_args(ctx, argc, argv);

	return rc ? rc : media_policy(ctx, NULL);
}

static int cmd_media_policy_set(struct ctx *ctx, int argc, char **argv)
{
	char names[128];

	if (!argc)
		return usage_error("%s: a policy is required (%s)", ctx->what,
				   policy_names(names, sizeof(names)));
	if (argc > 1)
		return bad_argument(ctx, argv[1]);
	return media_policy(ctx, argv[0]);
}

/* "media policy [POLICY]": the earlier form of both. */
static int cmd_media_policy(struct ctx *ctx, int argc, char **argv)
{
	if (argc > 1)
		return usage_error("%s: one policy at most", ctx->what);
	return media_policy(ctx, argc ? argv[0] : NULL);
}

static const struct cmd media_policy_cmds[] = {
	{ .name = "show", .fn = cmd_media_policy_show, .args = "",
	  .help = "which side keeps SRTP with ucproxy's keys" },
	{ .name = "set", .fn = cmd_media_policy_set, .args = "POLICY",
	  .help = "set it (calls already set up keep theirs)" },
	{ .name = NULL },
};

const struct cmd media_cmds[] = {
	{ .name = "show", .fn = cmd_media_show, .args = "",
	  .help = "media sessions: mode, legs, packets, drops (never keys)" },
	{ .name = "policy", .sub = media_policy_cmds, .fn = cmd_media_policy,
	  .args = "[POLICY]",
	  .alias_of = "media policy show, media policy set POLICY",
	  .args_or_sub = true },
	{ .name = NULL },
};
