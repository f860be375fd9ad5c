// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" multicast group: licensed sessions up and down, limits
 * that refused one, media sessions starting and ending, configuration
 * changes and bursts of authentication failures (events.h).
 */
#include <net/genetlink.h>

#include "events.h"
#include "netlink-gen.h"
#include "ucproxy.h"

/* A new event message, or NULL (no listener, no memory). */
static struct sk_buff *event_new(struct net *net, u8 cmd, void **hdr)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&ucp_genl_family, net, UCP_NLGRP_EVENTS))
		return NULL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &ucp_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void event_send(struct net *net, struct sk_buff *msg, void *hdr)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&ucp_genl_family, net, msg, 0,
				UCP_NLGRP_EVENTS, GFP_ATOMIC);
}

/* One event; @id 0: not of a session. GFP_ATOMIC: callers hold locks. */
static void event(struct net *net, u8 cmd, enum ucp_app app, u64 id,
		  u32 portid, const struct ucp_refusal *ref)
{
	struct sk_buff *msg;
	void *hdr;

	msg = event_new(net, cmd, &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, UCP_A_APP, app))
		goto err_free;
	if (id && (nla_put_u64_64bit(msg, UCP_A_SESSION_ID, id, UCP_A_PAD) ||
		   nla_put_u32(msg, UCP_A_OWNER_PORTID, portid)))
		goto err_free;
	if (ref && (nla_put_u32(msg, UCP_A_REFUSED_RULE, ref->rule) ||
		    nla_put_u32(msg, UCP_A_REFUSED_LIMIT, ref->limit)))
		goto err_free;
	event_send(net, msg, hdr);
	return;

err_free:
	nlmsg_free(msg);
}

/**
 * ucp_event_session() - a licensed session went up or down
 * @net: its namespace
 * @cmd: UCP_CMD_EVENT_SESSION_UP or UCP_CMD_EVENT_SESSION_DOWN
 * @id: the session's id (never 0)
 * @portid: the socket that holds it
 * @app: its application class
 */
void ucp_event_session(struct net *net, u8 cmd, u64 id, u32 portid,
		       enum ucp_app app)
{
	event(net, cmd, app, id, portid, NULL);
}

/**
 * ucp_event_limit() - a limit refused a session
 * @net: the namespace
 * @app: the class refused
 * @ref: the rule and limit that refused it
 */
void ucp_event_limit(struct net *net, enum ucp_app app,
		     const struct ucp_refusal *ref)
{
	event(net, UCP_CMD_EVENT_LIMIT_REACHED, app, 0, 0, ref);
}

static int put_leg(struct sk_buff *msg, const struct ucp_event_media *ev,
		   int side)
{
	const struct ucp_media_totals *t = &ev->leg[side];
	struct nlattr *nest = nla_nest_start(msg, UCP_A_MEDIA_LEG);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, UCP_LEG_A_DIR, side) ||
	    nla_put_u8(msg, UCP_LEG_A_SUITE, ev->suite[side]) ||
	    nla_put_u64_64bit(msg, UCP_LEG_A_PACKETS, t->packets, UCP_LEG_A_PAD) ||
	    nla_put_u64_64bit(msg, UCP_LEG_A_BYTES, t->bytes, UCP_LEG_A_PAD) ||
	    nla_put_u64_64bit(msg, UCP_LEG_A_AUTH_FAILURES, t->auth_failures,
			      UCP_LEG_A_PAD) ||
	    nla_put_u64_64bit(msg, UCP_LEG_A_REPLAYS, t->replays, UCP_LEG_A_PAD) ||
	    nla_put_u64_64bit(msg, UCP_LEG_A_DROPPED, t->dropped, UCP_LEG_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/**
 * ucp_event_media() - a media session started or ended
 * @net: its namespace
 * @cmd: UCP_CMD_EVENT_MEDIA_START or UCP_CMD_EVENT_MEDIA_END (which also
 *	sends @ev's age and per-leg counters)
 * @ev: what the session's owner (media.c) gathered
 */
void ucp_event_media(struct net *net, u8 cmd, const struct ucp_event_media *ev)
{
	bool end = cmd == UCP_CMD_EVENT_MEDIA_END;
	struct sk_buff *msg;
	void *hdr;

	msg = event_new(net, cmd, &hdr);
	if (!msg)
		return;
	if (nla_put_u64_64bit(msg, UCP_A_MEDIA_ID, ev->id, UCP_A_PAD) ||
	    nla_put_u8(msg, UCP_A_MEDIA_MODE, ev->mode) ||
	    nla_put_u8(msg, UCP_A_PROTO, ev->proto) ||
	    nla_put_u8(msg, UCP_A_MEDIA_STREAM, ev->stream) ||
	    (end && (nla_put_u64_64bit(msg, UCP_A_MEDIA_AGE_MS, ev->age_ms,
				       UCP_A_PAD) ||
		     put_leg(msg, ev, IP_CT_DIR_ORIGINAL) ||
		     put_leg(msg, ev, IP_CT_DIR_REPLY)))) {
		nlmsg_free(msg);
		return;
	}
	event_send(net, msg, hdr);
}

/**
 * ucp_event_config() - the namespace's configuration changed
 * @net: the namespace; its license and media policy are read here
 */
void ucp_event_config(struct net *net)
{
	struct ucp_licensing *l = &ucp_net(net)->licensing;
	struct ucp_license_limits lim;
	struct sk_buff *msg;
	void *hdr;

	msg = event_new(net, UCP_CMD_EVENT_CONFIG, &hdr);
	if (!msg)
		return;
	spin_lock_bh(&l->lock);
	ucp_license_limits(&l->lic, &lim);
	spin_unlock_bh(&l->lock);
	if (nla_put_string(msg, UCP_A_PLATFORM, lim.platform) ||
	    nla_put_u32(msg, UCP_A_UC_SESSIONS, lim.uc_sessions) ||
	    nla_put_u8(msg, UCP_A_IME, lim.ime) ||
	    nla_put_u8(msg, UCP_A_EXPORT, lim.export_class) ||
	    nla_put_u32(msg, UCP_A_TLS_MAX, lim.tls_configured) ||
	    nla_put_u8(msg, UCP_A_MEDIA_POLICY,
		       READ_ONCE(ucp_net(net)->media.policy))) {
		nlmsg_free(msg);
		return;
	}
	event_send(net, msg, hdr);
}

/**
 * ucp_event_auth_burst() - a window's authentication failures went over
 *	%UCP_AUTH_BURST_FAILURES
 * @net: the namespace
 * @app: the class of the listener
 * @listener: the agent's listener of the failure that crossed it ("": none
 *	named)
 * @dir: the leg that failed: original, the client's; reply, the server's
 * @failures: the window's failures so far
 */
void ucp_event_auth_burst(struct net *net, u32 app, const char *listener,
			  u8 dir, u32 failures)
{
	struct sk_buff *msg;
	void *hdr;

	msg = event_new(net, UCP_CMD_EVENT_AUTH_FAILURE_BURST, &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, UCP_A_APP, app) ||
	    (listener[0] && nla_put_string(msg, UCP_A_LISTENER, listener)) ||
	    nla_put_u8(msg, UCP_A_DIR, dir) ||
	    nla_put_u32(msg, UCP_A_AUTH_FAILURES, failures) ||
	    nla_put_u32(msg, UCP_A_WINDOW_MS, UCP_AUTH_BURST_WINDOW_MS)) {
		nlmsg_free(msg);
		return;
	}
	event_send(net, msg, hdr);
}
