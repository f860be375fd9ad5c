// SPDX-License-Identifier: GPL-2.0
/*
 * The media sessions' netlink operations: the dump of a namespace's
 * sessions with each leg's counters (never a key), and the namespace's
 * media policy.
 */
#include <net/genetlink.h>

#include "events.h"
#include "media.h"
#include "netlink-gen.h"
#include "ucproxy.h"

/* One leg: what its side sent, and the suite it is kept on. */
static int put_leg(struct sk_buff *skb, const struct ucp_media *m, int side)
{
	const struct ucp_media_leg *leg = &m->leg[side];
	unsigned long seen = READ_ONCE(leg->last_seen);
	struct ucp_media_totals t;
	struct nlattr *nest;

	ucp_media_leg_totals(m, side, &t);
	nest = nla_nest_start(skb, UCP_A_MEDIA_LEG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, UCP_LEG_A_DIR, side) ||
	    nla_put_u8(skb, UCP_LEG_A_SUITE,
		       leg->secure ? READ_ONCE(leg->rx.key.suite) : 0) ||
	    nla_put_u64_64bit(skb, UCP_LEG_A_PACKETS, t.packets, UCP_LEG_A_PAD) ||
	    nla_put_u64_64bit(skb, UCP_LEG_A_BYTES, t.bytes, UCP_LEG_A_PAD) ||
	    nla_put_u64_64bit(skb, UCP_LEG_A_AUTH_FAILURES, t.auth_failures,
			      UCP_LEG_A_PAD) ||
	    nla_put_u64_64bit(skb, UCP_LEG_A_REPLAYS, t.replays, UCP_LEG_A_PAD) ||
	    nla_put_u64_64bit(skb, UCP_LEG_A_DROPPED, t.dropped, UCP_LEG_A_PAD) ||
	    (seen && nla_put_u64_64bit(skb, UCP_LEG_A_LAST_SEEN_MS,
				       jiffies_to_msecs(jiffies - seen),
				       UCP_LEG_A_PAD))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One session, as one message of the dump. */
static int put_media(struct sk_buff *skb, struct netlink_callback *cb,
		     const struct ucp_media *m)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &ucp_genl_family,
				NLM_F_MULTI, UCP_CMD_MEDIA_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, UCP_A_MEDIA_ID, m->id, UCP_A_PAD) ||
	    nla_put_u8(skb, UCP_A_MEDIA_MODE, ucp_media_mode(m)) ||
	    nla_put_u8(skb, UCP_A_MEDIA_STATE, READ_ONCE(m->state)) ||
	    nla_put_u8(skb, UCP_A_PROTO, m->proto) ||
	    nla_put_u8(skb, UCP_A_MEDIA_STREAM, m->stream) ||
	    nla_put_u64_64bit(skb, UCP_A_MEDIA_AGE_MS,
			      jiffies_to_msecs(jiffies - m->created),
			      UCP_A_PAD) ||
	    put_leg(skb, m, IP_CT_DIR_ORIGINAL) ||
	    put_leg(skb, m, IP_CT_DIR_REPLY)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: the id of the last session sent (the list is by id). */
int ucp_nl_media_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ucp_media_net *mn = &ucp_net(sock_net(skb->sk))->media;
	struct ucp_media *m;
	int err = 0;

	spin_lock_bh(&mn->lock);
	list_for_each_entry(m, &mn->sessions, node) {
		if (m->id <= cb->args[0])
			continue;
		err = put_media(skb, cb, m);
		if (err)
			break;
		cb->args[0] = m->id;
	}
	spin_unlock_bh(&mn->lock);
	/* A full buffer ends this part of the dump; others are errors. */
	return err == -EMSGSIZE && skb->len ? skb->len : (err ?: skb->len);
}

static int put_policy(struct sk_buff *msg, const void *arg)
{
	const struct ucp_media_net *mn = arg;

	return nla_put_u8(msg, UCP_A_MEDIA_POLICY, READ_ONCE(mn->policy));
}

int ucp_nl_media_policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return ucp_nl_reply(info, UCP_CMD_MEDIA_POLICY_GET, put_policy,
			    &ucp_net(genl_info_net(info))->media);
}

int ucp_nl_media_policy_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ucp_media_net *mn = &ucp_net(genl_info_net(info))->media;

	if (GENL_REQ_ATTR_CHECK(info, UCP_A_MEDIA_POLICY))
		return -EINVAL;
	WRITE_ONCE(mn->policy, nla_get_u8(info->attrs[UCP_A_MEDIA_POLICY]));
	ucp_event_config(genl_info_net(info));
	return 0;
}
