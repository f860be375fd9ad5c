// SPDX-License-Identifier: GPL-2.0
/*
 * ucpctl monitor: joins the family's "events" group and prints one line
 * per event as it comes (JSON: one document per line), like conntrack -E.
 * Runs until killed (each line is flushed as it is printed, so nothing is
 * lost to a buffer); events the socket could not hold are reported on
 * stderr and monitoring goes on. Joining needs CAP_NET_ADMIN in the
 * user namespace that owns the network namespace (the group's
 * GENL_MCAST_CAP_NET_ADMIN).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ucpctl.h"

/* One leg of a media end: what one side sent during the session. */
static int event_leg(struct ucp_out *o, const struct nlattr *nest)
{
	const struct nlattr *tb[UCP_LEG_A_MAX + 1];
	const char *side, *suite;
	uint64_t v;

	if (ucp_parse_nested(nest, ucp_leg_attr_types, UCP_LEG_A_MAX, tb) < 0)
		return -1;
	side = name_of(&ucp_spec_dir, get_u8(tb[UCP_LEG_A_DIR]));
	suite = name_of(&ucp_spec_srtp_suite, get_u8(tb[UCP_LEG_A_SUITE]));
	ucp_out_obj_begin(o, NULL);
	ucp_out_str(o, "side", side, " %s", side);
	ucp_out_str(o, "suite", suite, " suite %s", suite);
	v = get_u64(tb[UCP_LEG_A_PACKETS]);
	ucp_out_u64(o, "packets", v, " packets %" PRIu64, v);
	v = get_u64(tb[UCP_LEG_A_BYTES]);
	ucp_out_u64(o, "bytes", v, " bytes %" PRIu64, v);
	v = get_u64(tb[UCP_LEG_A_AUTH_FAILURES]);
	ucp_out_u64(o, "auth-failures", v, " auth-failures %" PRIu64, v);
	v = get_u64(tb[UCP_LEG_A_REPLAYS]);
	ucp_out_u64(o, "replays", v, " replays %" PRIu64, v);
	v = get_u64(tb[UCP_LEG_A_DROPPED]);
	ucp_out_u64(o, "dropped", v, " dropped %" PRIu64, v);
	ucp_out_obj_end(o);
	return 0;
}

/* Every attribute an event may carry, in the spec's order. */
static int event_body(struct ucp_out *o, const struct nlmsghdr *nlh,
		      const struct nlattr **tb)
{
	const struct nlattr *a;
	const char *s;
	uint64_t v;

	if (tb[UCP_A_SESSION_ID]) {
		v = get_u64(tb[UCP_A_SESSION_ID]);
		ucp_out_u64(o, "session-id", v, " id %" PRIu64, v);
	}
	if (tb[UCP_A_APP]) {
		s = app_name(get_u32(tb[UCP_A_APP]));
		ucp_out_str(o, "app", s, " app %s", s);
	}
	if (tb[UCP_A_OWNER_PORTID]) {
		v = get_u32(tb[UCP_A_OWNER_PORTID]);
		ucp_out_u64(o, "owner-portid", v, " portid %" PRIu64, v);
	}
	if (tb[UCP_A_LISTENER]) {
		s = mnl_attr_get_str(tb[UCP_A_LISTENER]);
		ucp_out_str(o, "listener", s, " listener %s", s);
	}
	if (tb[UCP_A_AUTH_FAILURES]) {
		s = name_of(&ucp_spec_dir, get_u8(tb[UCP_A_DIR]));
		ucp_out_str(o, "dir", s, " dir %s", s);
		v = get_u32(tb[UCP_A_AUTH_FAILURES]);
		ucp_out_u64(o, "failures", v, " failures %" PRIu64, v);
		v = get_u32(tb[UCP_A_WINDOW_MS]);
		ucp_out_u64(o, "window-ms", v, " window-ms %" PRIu64, v);
	}
	if (tb[UCP_A_REFUSED_RULE]) {
		s = name_of(&ucp_spec_rule, get_u32(tb[UCP_A_REFUSED_RULE]));
		ucp_out_str(o, "refused-rule", s, " rule %s", s);
		v = get_u32(tb[UCP_A_REFUSED_LIMIT]);
		ucp_out_u64(o, "refused-limit", v, " limit %" PRIu64, v);
	}
	if (tb[UCP_A_MEDIA_ID]) {
		v = get_u64(tb[UCP_A_MEDIA_ID]);
		ucp_out_u64(o, "media-id", v, " id %" PRIu64, v);
		s = name_of(&ucp_spec_media_mode, get_u8(tb[UCP_A_MEDIA_MODE]));
		ucp_out_str(o, "mode", s, " mode %s", s);
		s = name_of(&ucp_spec_proto, get_u8(tb[UCP_A_PROTO]));
		ucp_out_str(o, "proto", s, " proto %s", s);
		v = get_u8(tb[UCP_A_MEDIA_STREAM]);
		ucp_out_u64(o, "stream", v, " stream %" PRIu64, v);
	}
	if (tb[UCP_A_MEDIA_AGE_MS]) {
		v = get_u64(tb[UCP_A_MEDIA_AGE_MS]);
		ucp_out_u64(o, "age-ms", v, " age-ms %" PRIu64, v);
		ucp_out_arr_begin(o, "legs");
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == UCP_A_MEDIA_LEG &&
			    event_leg(o, a) < 0)
				return -1;
		ucp_out_arr_end(o);
	}
	if (tb[UCP_A_PLATFORM]) {
		s = mnl_attr_get_str(tb[UCP_A_PLATFORM]);
		ucp_out_str(o, "platform", s, " model %s", s);
		v = get_u32(tb[UCP_A_UC_SESSIONS]);
		ucp_out_u64(o, "uc-sessions", v, " uc %" PRIu64, v);
		s = get_u8(tb[UCP_A_IME]) ? "on" : "off";
		ucp_out_str(o, "ime", s, " ime %s", s);
		s = name_of(&ucp_spec_export_class, get_u8(tb[UCP_A_EXPORT]));
		ucp_out_str(o, "export", s, " export %s", s);
		v = get_u32(tb[UCP_A_TLS_MAX]);
		ucp_out_u64(o, "tls-maximum-sessions", v, " tls-limit %" PRIu64, v);
		s = name_of(&ucp_spec_media_policy,
			    get_u8(tb[UCP_A_MEDIA_POLICY]));
		ucp_out_str(o, "media-policy", s, " media-policy %s", s);
	}
	return 0;
}

/* One event, printed and flushed at once. */
static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[UCP_A_MAX + 1];
	unsigned int *flags = data;
	const char *name;
	struct ucp_out *o;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0)
		return MNL_CB_ERROR;
	o = ucp_out_new(stdout, *flags);
	if (!o) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	/* "event-media-end" is "media-end"; a newer module's shows as "?". */
	name = name_of(&ucp_spec_cmd, genl->cmd);
	if (!strncmp(name, "event-", 6))
		name += 6;
	ucp_out_str(o, "event", name, "%s", name);
	if (event_body(o, nlh, tb) < 0) {
		ucp_out_discard(o);
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	ucp_out_text(o, "\n");
	if (ucp_out_end(o) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

int cmd_monitor(struct ctx *ctx, int argc, char **argv)
{
	unsigned int flags = ucp_out_is_json(ctx->out) ? UCP_OUT_JSON : 0;
	const struct ucp_err *err;
	int rc;

	rc = ctx_open_no_args(ctx, argc, argv);
	if (rc)
		return rc;
	if (ucp_nl_join(ctx->nl, "events") < 0)
		return fail_nl(ctx);
	for (;;) {
		if (!ucp_nl_recv(ctx->nl, event_cb, &flags))
			continue;
		err = ucp_nl_last_error(ctx->nl);
		if (err->kind == UCP_ERR_SYS && err->errnum == ENOBUFS) {
			fprintf(stderr, PROG ": monitor: events lost (socket buffer full)\n");
			continue;
		}
		return fail_nl(ctx);
	}
}
