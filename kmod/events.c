// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" multicast group: licensed sessions up and down, and limits
 * that refused one (events.h).
 */
#include <net/genetlink.h>

#include "events.h"
#include "netlink-gen.h"
#include "ucproxy.h"

/* One event; @id 0: not of a session. GFP_ATOMIC: callers hold locks. */
static void event(struct net *net, u8 cmd, enum ucp_app app, u64 id,
		  u32 portid, const struct ucp_refusal *ref)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&ucp_genl_family, net, UCP_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ucp_genl_family, 0, cmd);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(msg, UCP_A_APP, app))
		goto err_free;
	if (id && (nla_put_u64_64bit(msg, UCP_A_SESSION_ID, id, UCP_A_PAD) ||
		   nla_put_u32(msg, UCP_A_OWNER_PORTID, portid)))
		goto err_free;
	if (ref && (nla_put_u32(msg, UCP_A_REFUSED_RULE, ref->rule) ||
		    nla_put_u32(msg, UCP_A_REFUSED_LIMIT, ref->limit)))
		goto err_free;
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&ucp_genl_family, net, msg, 0,
				UCP_NLGRP_EVENTS, GFP_ATOMIC);
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
