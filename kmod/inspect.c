// SPDX-License-Identifier: GPL-2.0
/*
 * UCP_CMD_SIGNAL_INSPECT: the TLS agent's way into the SIP and SCCP paths,
 * and to the MMP checks (UCP_A_PROTO says which).
 *
 * The agent reads a message in clear from a TLS connection it terminated
 * and hands it over with the identity of the connection it will write it
 * to ("flow": that connection's tuple in the direction the message goes)
 * and, when it relays between two connections, of the one it read it from
 * ("peer-flow", likewise). The message is parsed and rewritten by the
 * same code as the helper's; the sender's addresses as written become the
 * flow's, and media expectations hang off the flow's conntrack, which
 * must carry a helper of the protocol (ucp-sip-tls and ucp-sccp-tls are
 * the ones meant for connections whose bytes are TLS records) so that it
 * can own them.
 * Without a peer flow the flow's own NAT maps the addresses, as for a
 * message seen by the helper. With one, the call state and expectations
 * belong to the client's leg (see ucp_nl_signal_inspect_doit()). The reply
 * is the verdict and the message to write: a refused message gets
 * UCP_VERDICT_DROP and the reason's name.
 *
 * MMP, the mobility proxy's protocol, has no addresses to map and no
 * media: its messages go through unchanged or end the connection. It
 * takes no flow (the mobility proxy needs no conntrack), only the
 * direction (UCP_A_DIR, original: client to server) and that direction's
 * caps; the message is one whole MMP message, or the bytes of the stream
 * up to the point where they break a rule (the agent frames with the same
 * core, kmod/core/ucp_mmp.c, so both see the same point).
 *
 * The command is the same for every protocol; what differs (framing, the
 * helper that owns the expectations, parsing and rewriting) is in one
 * struct inspect_proto each.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <linux/ucproxy.h>

#include "netlink-gen.h"
#include "sccp.h"
#include "sip.h"
#include "ucp_mmp.h"
#include "ucp_spec.h"
#include "ucproxy.h"

static_assert(UCP_SPEC_CTR_MMP_BAD_COUNT ==
	      UCP_MMP_REASON_COUNT - UCP_MMP_E_HEADER_TOO_LONG,
	      "one MMP bad-* counter per reason of the core");

/* A flow attribute as a conntrack tuple and zone. */
static int flow_parse(const struct nlattr *nest, struct nf_conntrack_tuple *t,
		      struct nf_conntrack_zone *zone,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[UCP_FLOW_A_MAX + 1];
	unsigned int alen;
	u8 family;
	int err;

	err = nla_parse_nested(tb, UCP_FLOW_A_MAX, nest, ucp_flow_nl_policy,
			       extack);
	if (err)
		return err;
	if (!tb[UCP_FLOW_A_FAMILY] || !tb[UCP_FLOW_A_L4PROTO] ||
	    !tb[UCP_FLOW_A_SADDR] || !tb[UCP_FLOW_A_DADDR] ||
	    !tb[UCP_FLOW_A_SPORT] || !tb[UCP_FLOW_A_DPORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a flow needs family, l4proto, addresses and ports");
		return -EINVAL;
	}
	family = nla_get_u8(tb[UCP_FLOW_A_FAMILY]);
	if (family != AF_INET && family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[UCP_FLOW_A_FAMILY],
				    "family must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	alen = family == AF_INET ? 4 : 16;
	if (nla_len(tb[UCP_FLOW_A_SADDR]) != alen ||
	    nla_len(tb[UCP_FLOW_A_DADDR]) != alen) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "address length does not match the family");
		return -EINVAL;
	}
	memset(t, 0, sizeof(*t));
	t->src.l3num = family;
	t->dst.protonum = nla_get_u8(tb[UCP_FLOW_A_L4PROTO]);
	if (t->dst.protonum != IPPROTO_TCP && t->dst.protonum != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[UCP_FLOW_A_L4PROTO],
				    "l4proto must be TCP or UDP");
		return -EINVAL;
	}
	nla_memcpy(&t->src.u3, tb[UCP_FLOW_A_SADDR], alen);
	nla_memcpy(&t->dst.u3, tb[UCP_FLOW_A_DADDR], alen);
	t->src.u.all = nla_get_be16(tb[UCP_FLOW_A_SPORT]);
	t->dst.u.all = nla_get_be16(tb[UCP_FLOW_A_DPORT]);
	nf_ct_zone_init(zone, tb[UCP_FLOW_A_ZONE] ?
			nla_get_u16(tb[UCP_FLOW_A_ZONE]) : NF_CT_DEFAULT_ZONE_ID,
			NF_CT_DEFAULT_ZONE_DIR, 0);
	return 0;
}

/* The conntrack (held) and direction of a flow attribute. */
static struct nf_conn *flow_find(struct net *net, const struct nlattr *nest,
				 enum ip_conntrack_dir *dir,
				 struct netlink_ext_ack *extack)
{
	struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_zone zone;
	struct nf_conntrack_tuple t;
	int err;

	err = flow_parse(nest, &t, &zone, extack);
	if (err)
		return ERR_PTR(err);
	h = nf_conntrack_find_get(net, &zone, &t);
	if (!h) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "no tracked connection has this flow");
		return ERR_PTR(-ENOENT);
	}
	*dir = NF_CT_DIRECTION(h);
	return nf_ct_tuplehash_to_ctrack(h);
}

/* The connection is helped by one of ours whose name starts with @prefix. */
static bool has_helper(const struct nf_conn *ct, const char *prefix)
{
	const struct nf_conn_help *help = nfct_help(ct);
	const struct nf_conntrack_helper *helper;
	bool ours = false;

	if (!help)
		return false;
	rcu_read_lock();
	helper = rcu_dereference(help->helper);
	if (helper && helper->me == THIS_MODULE &&
	    !strncmp(helper->name, prefix, strlen(prefix)))
		ours = true;
	rcu_read_unlock();
	return ours;
}

/* Put the verdict on a message into @reply: @out, or a refusal's @reason. */
static int put_verdict(struct sk_buff *reply, const char *reason,
		       const void *out, size_t out_len)
{
	if (reason)
		return nla_put_u8(reply, UCP_A_VERDICT, UCP_VERDICT_DROP) ?:
		       nla_put_string(reply, UCP_A_REASON, reason);
	return nla_put_u8(reply, UCP_A_VERDICT, UCP_VERDICT_FORWARD) ?:
	       nla_put(reply, UCP_A_MESSAGE, out_len, out);
}

/* SIP: exactly one whole message, as read from a stream. */
static bool sip_one_message(const void *msg, size_t len)
{
	size_t skip, msg_len;

	return !ucp_sip_frame(msg, len, true, &skip, &msg_len) && !skip &&
	       msg_len == len;
}

/* SIP: parse, act, and put the verdict and message into @reply. */
static int sip_inspect(const struct ucp_nat_map *map, const void *data,
		       size_t len, struct sk_buff *reply)
{
	const char *msg = data;
	struct ucp_stats *stats = &ucp_net(nf_ct_net(map->ct))->stats;
	struct ucp_sip_work *w;
	const char *out = msg;
	size_t out_len = len;
	bool rewrite;
	int reason;
	int err;

	local_bh_disable();
	w = ucp_sip_work_this_cpu();
	reason = ucp_sip_parse(&w->msg, msg, len);
	if (!reason) {
		ucp_stats_inc(stats, UCP_CTR_SIP_MESSAGES);
		/*
		 * Under RCU, as in the packet path: creating expectations
		 * reads the master's helper with rcu_dereference().
		 */
		rcu_read_lock();
		err = ucp_sip_nat_message(map, w, msg, &rewrite);
		rcu_read_unlock();
		if (err)
			goto out;
		if (rewrite) {
			reason = ucp_sip_rewrite(&w->msg, msg, w->subst, w->out,
						 sizeof(w->out), &out_len);
			out = w->out;
			if (!reason)
				ucp_stats_inc(stats, UCP_CTR_SIP_REWRITTEN);
		}
	}
	if (reason)
		ucp_helper_count_reason(&ucp_sip_helper, stats, reason);
	err = put_verdict(reply, reason ? ucp_sip_reason_name(reason) : NULL,
			  out, out_len);
out:
	ucp_sip_msg_wipe(&w->msg);
	ucp_sip_media_wipe(w, out_len);
	local_bh_enable();
	return err;
}

/* SCCP: exactly one whole message. */
static bool sccp_one_message(const void *msg, size_t len)
{
	size_t msg_len;

	return !ucp_sccp_frame(msg, len, &msg_len) && msg_len == len;
}

/*
 * SCCP: parse, act, and put the verdict and message into @reply. The
 * rewrite is in place, in a copy: the attribute is the request's.
 */
static int sccp_inspect(const struct ucp_nat_map *map, const void *data,
			size_t len, struct sk_buff *reply)
{
	struct ucp_stats *stats = &ucp_net(nf_ct_net(map->ct))->stats;
	struct ucp_sccp_conn *conn;
	struct ucp_sccp_msg *m;
	int reason, err;
	u8 *msg;

	m = kmalloc(sizeof(*m) + len, GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	msg = (u8 *)(m + 1);
	memcpy(msg, data, len);
	reason = ucp_sccp_parse(m, msg, len);
	if (!reason) {
		ucp_stats_inc(stats, UCP_CTR_SCCP_MESSAGES);
		if (!m->known) {
			ucp_stats_inc(stats, UCP_CTR_SCCP_UNKNOWN);
		} else {
			conn = ucp_helper_conn_of(&ucp_sccp_helper, map->ct, GFP_KERNEL,
						  struct ucp_sccp_conn);
			/* Under RCU, as in the packet path (see sip_inspect). */
			rcu_read_lock();
			if (conn) {
				spin_lock_bh(&conn->base.lock);
				err = ucp_sccp_nat_message(map, conn, m, msg, len);
				spin_unlock_bh(&conn->base.lock);
			} else {
				/* No memory for state: rewritten, nothing expected. */
				err = ucp_sccp_nat_message(map, NULL, m, msg, len);
			}
			rcu_read_unlock();
			if (err < 0)
				reason = -err;
			else if (err)
				ucp_stats_inc(stats, UCP_CTR_SCCP_REWRITTEN);
		}
	}
	if (reason)
		ucp_helper_count_reason(&ucp_sccp_helper, stats, reason);
	err = put_verdict(reply, reason ? ucp_sccp_reason_name(reason) : NULL,
			  msg, len);
	ucp_sccp_msg_wipe(m);
	kfree_sensitive(m);
	return err;
}

/*
 * NL_SET_ERR_MSG_ATTR() with a message chosen at run time, which the
 * macro (a string literal only) does not take; @msg is static.
 */
static void set_err_attr(struct netlink_ext_ack *extack,
			 const struct nlattr *attr, const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = attr;
	}
}

/* A u32 attribute, or @def when absent. */
static u32 get_u32_or(const struct nlattr *a, u32 def)
{
	return a ? nla_get_u32(a) : def;
}

/*
 * MMP: the verdict on one whole message (*reason NULL: forward it as it
 * is) or on the bytes up to a refusal (*reason its name), counted; or
 * -EINVAL for bytes that are neither.
 */
static int mmp_judge(struct genl_info *info, const void *msg, size_t len,
		     const char **reason)
{
	struct ucp_stats *stats = &ucp_net(genl_info_net(info))->stats;
	struct nlattr **attrs = info->attrs;
	struct ucp_mmp_limits lim = {};
	struct ucp_mmp_msg m;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, UCP_A_DIR))
		return -EINVAL;
	if (nla_get_u8(attrs[UCP_A_DIR]) == UCP_DIR_ORIGINAL) {
		lim.header_max = get_u32_or(attrs[UCP_A_MMP_HEADER_MAX],
					    UCP_MMP_HEADER_MAX_DEFAULT);
		lim.content_max = get_u32_or(attrs[UCP_A_MMP_CONTENT_MAX],
					     UCP_MMP_CONTENT_MAX_DEFAULT);
	} else if (attrs[UCP_A_MMP_HEADER_MAX] || attrs[UCP_A_MMP_CONTENT_MAX]) {
		set_err_attr(info->extack, attrs[UCP_A_MMP_HEADER_MAX] ?:
			     attrs[UCP_A_MMP_CONTENT_MAX],
			     "MMP caps apply to the client-to-server direction only");
		return -EINVAL;
	}
	ret = ucp_mmp_scan(msg, len, &lim, &m);
	if (ret == UCP_MMP_OK && m.len == len) {
		ucp_stats_inc(stats, UCP_CTR_MMP_MESSAGES);
		*reason = NULL;
		return 0;
	}
	if (ret != UCP_MMP_OK && ret != UCP_MMP_E_INCOMPLETE && m.decided == len) {
		ucp_stats_inc(stats, UCP_CTR_MMP_DROPPED);
		ucp_stats_inc(stats, UCP_CTR_MMP_BAD_HEADER_TOO_LONG + ret -
			      UCP_MMP_E_HEADER_TOO_LONG);
		*reason = ucp_mmp_reason_name(ret);
		return 0;
	}
	set_err_attr(info->extack, attrs[UCP_A_MESSAGE],
		     "message must be one whole MMP message, or a stream up to where it breaks a rule");
	return -EINVAL;
}

/* What the command does differently per protocol. */
struct inspect_proto {
	const char *helper;	/* prefix of the helpers that own expectations */
	/* extack messages (6.1 has no formatted ones) */
	const char *not_one_message;
	const char *no_helper;
	size_t out_max;		/* longest message the reply carries */
	bool (*one_message)(const void *msg, size_t len);
	int (*inspect)(const struct ucp_nat_map *map, const void *msg,
		       size_t len, struct sk_buff *reply);
	/*
	 * Instead of the above, for a protocol without addresses or media
	 * (MMP): no flow; the verdict on the message, which is passed on as
	 * it is, or -errno with the extack set.
	 */
	int (*judge)(struct genl_info *info, const void *msg, size_t len,
		     const char **reason);
};

static const struct inspect_proto inspect_protos[] = {
	[UCP_PROTO_SIP] = {
		.helper = UCP_SIP_HELPER_NAME,
		.not_one_message = "message must be exactly one whole SIP message",
		.no_helper = "flow has no ucp-sip helper to own its expectations",
		.out_max = UCP_SIP_OUT_MAX,
		.one_message = sip_one_message,
		.inspect = sip_inspect,
	},
	[UCP_PROTO_SCCP] = {
		.helper = UCP_SCCP_HELPER_NAME,
		.not_one_message = "message must be exactly one whole SCCP message",
		.no_helper = "flow has no ucp-sccp helper to own its expectations",
		.out_max = UCP_SCCP_MAX_MSG,
		.one_message = sccp_one_message,
		.inspect = sccp_inspect,
	},
	[UCP_PROTO_MMP] = {
		.out_max = UCP_MMP_MAX_MSG,
		.judge = mmp_judge,
	},
};

/* A protocol without flows: judge the message, reply with the verdict. */
static int inspect_flowless(struct genl_info *info,
			    const struct inspect_proto *proto)
{
	const struct nlattr *a = info->attrs[UCP_A_MESSAGE];
	const struct nlattr *flow = info->attrs[UCP_A_FLOW] ?:
				    info->attrs[UCP_A_PEER_FLOW];
	const char *reason;
	struct sk_buff *reply;
	void *hdr;
	int err;

	if (flow) {
		NL_SET_ERR_MSG_ATTR(info->extack, flow,
				    "this protocol takes no flow (no addresses, no media)");
		return -EINVAL;
	}
	err = proto->judge(info, nla_data(a), nla_len(a), &reason);
	if (err)
		return err;
	reply = genlmsg_new(nla_total_size(proto->out_max) + 128, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &ucp_genl_family, 0,
				UCP_CMD_SIGNAL_INSPECT);
	if (!hdr || put_verdict(reply, reason, nla_data(a), nla_len(a))) {
		nlmsg_free(reply);
		NL_SET_ERR_MSG(info->extack, "the reply does not fit");
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

int ucp_nl_signal_inspect_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct net *net = genl_info_net(info);
	struct nf_conn *ct, *peer = NULL;
	enum ip_conntrack_dir pdir = 0;
	struct ucp_nat_map map;
	const struct inspect_proto *proto;
	const struct nlattr *a;
	struct sk_buff *reply;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, UCP_A_PROTO) ||
	    GENL_REQ_ATTR_CHECK(info, UCP_A_MESSAGE))
		return -EINVAL;
	/* The policy's range leaves only protocols of the table. */
	proto = &inspect_protos[nla_get_u8(info->attrs[UCP_A_PROTO])];
	if (proto->judge)
		return inspect_flowless(info, proto);
	a = info->attrs[UCP_A_DIR] ?: info->attrs[UCP_A_MMP_HEADER_MAX] ?:
	    info->attrs[UCP_A_MMP_CONTENT_MAX];
	if (a) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "dir and the MMP caps are for proto mmp only");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, UCP_A_FLOW))
		return -EINVAL;
	a = info->attrs[UCP_A_MESSAGE];
	if (!proto->one_message(nla_data(a), nla_len(a))) {
		set_err_attr(extack, a, proto->not_one_message);
		return -EINVAL;
	}

	ct = flow_find(net, info->attrs[UCP_A_FLOW], &map.dir, extack);
	if (IS_ERR(ct))
		return PTR_ERR(ct);
	err = -EINVAL;
	if (!has_helper(ct, proto->helper)) {
		set_err_attr(extack, info->attrs[UCP_A_FLOW], proto->no_helper);
		goto put_ct;
	}
	ucp_nat_map_conntrack(&map, ct, map.dir);
	if (info->attrs[UCP_A_PEER_FLOW]) {
		peer = flow_find(net, info->attrs[UCP_A_PEER_FLOW], &pdir, extack);
		if (IS_ERR(peer)) {
			err = PTR_ERR(peer);
			goto put_ct;
		}
		if (nf_ct_l3num(peer) != nf_ct_l3num(ct)) {
			NL_SET_ERR_MSG_ATTR(extack, info->attrs[UCP_A_PEER_FLOW],
					    "peer flow and flow differ in family");
			goto put_peer;
		}
		ucp_nat_map_relay(&map, peer, pdir);
		/*
		 * Both directions of a relayed dialog must meet the same call
		 * state, and a media stream's two expectations the same master
		 * (its NAT pairs them): both hang off the client's leg, the
		 * connection the agent accepted. Its directions are the server
		 * leg's (client to server is original on both), so map.dir
		 * holds. The addresses stay the out flow's.
		 */
		if (map.dir == IP_CT_DIR_ORIGINAL) {
			if (!has_helper(peer, proto->helper)) {
				set_err_attr(extack, info->attrs[UCP_A_PEER_FLOW],
					     proto->no_helper);
				goto put_peer;
			}
			map.ct = peer;
		}
	}

	err = -ENOMEM;
	reply = genlmsg_new(nla_total_size(proto->out_max) + 128, GFP_KERNEL);
	if (!reply)
		goto put_peer;
	hdr = genlmsg_put_reply(reply, info, &ucp_genl_family, 0,
				UCP_CMD_SIGNAL_INSPECT);
	if (!hdr)
		goto free_reply;
	err = proto->inspect(&map, nla_data(a), nla_len(a), reply);
	if (err) {
		NL_SET_ERR_MSG(extack, "the reply does not fit");
		goto free_reply;
	}
	genlmsg_end(reply, hdr);
	err = genlmsg_reply(reply, info);
	goto put_peer;

free_reply:
	nlmsg_free(reply);
put_peer:
	if (peer && !IS_ERR(peer))
		nf_ct_put(peer);
put_ct:
	nf_ct_put(ct);
	return err;
}
