// SPDX-License-Identifier: GPL-2.0
/*
 * The NAT of signalling (nat.h), the same for every protocol.
 *
 * The mapping follows a connection's two tuples. A message travels in
 * direction @dir; its sender knows the addresses of tuple[dir] (its own
 * source and the destination it sent to), its receiver those of
 * tuple[!dir]. An embedded address equal to tuple[dir]'s source becomes
 * tuple[!dir]'s destination (source NAT: the inside phone's address
 * becomes the router's), one equal to tuple[dir]'s destination becomes
 * tuple[!dir]'s source (destination NAT, and the way back). Without NAT
 * both are the identity and nothing changes. A message the TLS agent
 * relays between two connections maps from the one it was read from to
 * the one it is written to instead (ucp_nat_map_relay()).
 *
 * Media: a stream whose address is the sender's own NATed one is expected
 * at a port pair of the router, and its connections are translated to the
 * real address; any other stream is expected at its own address and port,
 * so that its connections' source pairs with the other side's
 * (media_expected_nat()). Media may come from any source address unless
 * the protocol knows better: in a call through a proxy it does not come
 * from the signalling peer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_nat.h>

#include "helper.h"
#include "media.h"
#include "nat.h"

/* Pairs tried for a stream whose ports the router picks. */
#define NAT_PORT_TRIES	64

/* @map's ends: as the sender wrote them (@from), as the receiver sees them. */
static void map_ends(struct ucp_nat_map *map,
		     const struct nf_conntrack_tuple *from,
		     const union nf_inet_addr *src_to, __be16 src_to_port,
		     const union nf_inet_addr *dst_to, __be16 dst_to_port)
{
	map->src_from = from->src.u3;
	map->src_from_port = from->src.u.all;
	map->src_to = *src_to;
	map->src_to_port = src_to_port;
	map->dst_from = from->dst.u3;
	map->dst_from_port = from->dst.u.all;
	map->dst_to = *dst_to;
	map->dst_to_port = dst_to_port;
}

/**
 * ucp_nat_map_conntrack() - the map of a message crossing a connection
 * @map: filled in; rewritable is set, the caller may clear it
 * @ct: the connection the message travels on
 * @dir: the direction it travels in
 */
void ucp_nat_map_conntrack(struct ucp_nat_map *map, struct nf_conn *ct,
			   enum ip_conntrack_dir dir)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[dir].tuple;
	const struct nf_conntrack_tuple *r = &ct->tuplehash[!dir].tuple;

	map->ct = ct;
	map->dir = dir;
	map->l3num = nf_ct_l3num(ct);
	map->nated = ct->status & IPS_NAT_MASK;
	map->rewritable = true;
	/* The reply tuple, reversed, is what the far end sees. */
	map_ends(map, t, &r->dst.u3, r->dst.u.all, &r->src.u3, r->src.u.all);
}

/**
 * ucp_nat_map_relay() - remap a message read from another connection
 * @map: the map of the connection the message is written to (map->ct,
 *	map->dir), from ucp_nat_map_conntrack(); its addresses are replaced
 * @peer: the connection the message was read from
 * @pdir: the direction it travelled in there
 *
 * The sender wrote the addresses of @peer's tuple; the receiver must see
 * those of the tuple it is written to.
 */
void ucp_nat_map_relay(struct ucp_nat_map *map, const struct nf_conn *peer,
		       enum ip_conntrack_dir pdir)
{
	const struct nf_conntrack_tuple *p = &peer->tuplehash[pdir].tuple;
	const struct nf_conntrack_tuple *f = &map->ct->tuplehash[map->dir].tuple;

	map_ends(map, p, &f->src.u3, f->src.u.all, &f->dst.u3, f->dst.u.all);
	map->nated = !nf_inet_addr_cmp(&map->src_from, &map->src_to) ||
		     map->src_from_port != map->src_to_port ||
		     !nf_inet_addr_cmp(&map->dst_from, &map->dst_to) ||
		     map->dst_from_port != map->dst_to_port;
}

/**
 * ucp_nat_addr_sender_nated() - whether an address is the sender's, NATed
 * @map: the message's map
 * @family: the embedded address's family (4 or 6)
 * @a: the address, network order
 *
 * Return: true when the address is the sender's own and the receiver sees
 * the sender at another one.
 */
bool ucp_nat_addr_sender_nated(const struct ucp_nat_map *map, u8 family,
			       const u8 *a)
{
	return map->nated && ucp_nat_addr_is(family, a, map->l3num, &map->src_from) &&
	       !nf_inet_addr_cmp(&map->src_from, &map->src_to);
}

/* --- Connections of expectations ------------------------------------ */

/*
 * An expected media connection has arrived: translate its destination to
 * the stream's real address, and its source to what the other side was
 * told, found in the paired expectation of the same master whose real
 * address is this connection's source. Nothing here depends on the
 * master's protocol.
 */
static void media_expected_nat(struct nf_conn *ct,
			       struct nf_conntrack_expect *exp)
{
	const struct nf_conntrack_tuple *orig =
		&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	struct nf_conn_help *help = nfct_help(ct->master);
	struct nf_conntrack_expect *pair;
	struct nf_nat_range2 range = {};
	bool snat = false;

	range.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED;
	range.min_proto = exp->saved_proto;
	range.max_proto = exp->saved_proto;
	range.min_addr = exp->saved_addr;
	range.max_addr = exp->saved_addr;
	nf_nat_setup_info(ct, &range, NF_NAT_MANIP_DST);

	if (help) {
		spin_lock_bh(&nf_conntrack_expect_lock);
		hlist_for_each_entry(pair, &help->expectations, lnode) {
			if (pair->tuple.src.l3num != orig->src.l3num ||
			    pair->tuple.dst.protonum != orig->dst.protonum ||
			    !nf_inet_addr_cmp(&pair->saved_addr, &orig->src.u3) ||
			    pair->saved_proto.all != orig->src.u.all)
				continue;
			range.min_proto.all = pair->tuple.dst.u.all;
			range.max_proto.all = pair->tuple.dst.u.all;
			range.min_addr = pair->tuple.dst.u3;
			range.max_addr = pair->tuple.dst.u3;
			snat = true;
			break;
		}
		spin_unlock_bh(&nf_conntrack_expect_lock);
	}
	/* No pair: come from where the master's peer sends to, as the NAT does. */
	if (!snat && nf_inet_addr_cmp(&orig->src.u3,
				      &ct->master->tuplehash[exp->dir].tuple.src.u3)) {
		range.flags = NF_NAT_RANGE_MAP_IPS;
		range.min_addr = ct->master->tuplehash[!exp->dir].tuple.dst.u3;
		range.max_addr = range.min_addr;
		snat = true;
	}
	if (snat)
		nf_nat_setup_info(ct, &range, NF_NAT_MANIP_SRC);
}

/* Give the new connection the media session its master's state holds. */
static void media_attach(struct nf_conn *ct, struct nf_conntrack_expect *exp)
{
	struct ucp_media *m;
	u8 from = 0, flow = 0;

	m = ucp_helper_media_find(ct->master, exp, &from, &flow);
	if (m) {
		ucp_media_attach(ct, m, from, flow);
		ucp_media_put(m);
	}
}

/* A media connection of a NATed master: its NAT, then its session. */
static void media_expected(struct nf_conn *ct, struct nf_conntrack_expect *exp)
{
	media_expected_nat(ct, exp);
	media_attach(ct, exp);
}

static struct nf_ct_helper_expectfn media_expectfn = {
	.name		= "ucp-media",
	.expectfn	= media_expected,
};

/* Without NAT only the media session is to be found. */
static struct nf_ct_helper_expectfn media_session_expectfn = {
	.name		= "ucp-media-session",
	.expectfn	= media_attach,
};

/**
 * ucp_nat_expected_dst() - expectfn: to the expectation's saved address
 * @ct: the connection that arrived
 * @exp: its expectation, whose saved_addr and saved_proto are the real
 *	destination
 *
 * For a protocol's own expectations of signalling (a request for a phone
 * registered behind the NAT).
 */
void ucp_nat_expected_dst(struct nf_conn *ct, struct nf_conntrack_expect *exp)
{
	struct nf_nat_range2 range = {
		.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED,
		.min_addr = exp->saved_addr,
		.max_addr = exp->saved_addr,
		.min_proto = exp->saved_proto,
		.max_proto = exp->saved_proto,
	};

	nf_nat_setup_info(ct, &range, NF_NAT_MANIP_DST);
}

static struct nf_ct_helper_expectfn dst_expectfn = {
	.name		= "ucp-nat-dst",
	.expectfn	= ucp_nat_expected_dst,
};

/* --- Expecting a stream --------------------------------------------- */

/*
 * One expectation of UDP toward @dst:@port, whose connections are
 * translated to @real:@real_port when the master is NATed.
 */
static struct nf_conntrack_expect *
expect_new(const struct ucp_nat_map *map, const struct ucp_nat_stream *s,
	   const union nf_inet_addr *dst, u16 port,
	   const union nf_inet_addr *real, u16 real_port)
{
	struct nf_conntrack_expect *exp = nf_ct_expect_alloc(map->ct);
	__be16 p = htons(port);

	if (!exp)
		return NULL;
	nf_ct_expect_init(exp, s->class, map->l3num, s->src, dst, IPPROTO_UDP,
			  NULL, &p);
	if (map->nated) {
		exp->saved_addr = *real;
		exp->saved_proto.udp.port = htons(real_port);
		exp->dir = !map->dir;
		exp->expectfn = media_expected;
	} else if (s->session) {
		exp->expectfn = media_attach;
	}
	/*
	 * A media session's packets go through the ucp-media helper. Its
	 * expectations stay after a first use (until the call ends or they
	 * time out): a flow whose first packet a session not yet ready
	 * dropped never exists, and one ended by ucp_media_flows_settled()
	 * is set up again by its next packet.
	 */
	if (s->session) {
		rcu_assign_pointer(exp->assign_helper,
				   ucp_media_helper(map->l3num));
		exp->flags |= NF_CT_EXPECT_PERMANENT;
	}
	return exp;
}

/**
 * ucp_nat_expect_stream() - expect a media stream's RTP and RTCP
 * @map: the map of the message that announced the stream
 * @s: the stream
 * @out: what was expected, our references; untouched on failure
 *
 * The pair is expected whole or not at all. Objects are fresh for every
 * try: one that was inserted and then withdrawn stays linked until the
 * expectation collector unlinks it, and must not be inserted again.
 *
 * Return: 0, -EBUSY when every pair tried was taken, or -errno.
 */
int ucp_nat_expect_stream(const struct ucp_nat_map *map,
			  const struct ucp_nat_stream *s,
			  struct ucp_nat_expected *out)
{
	struct nf_conntrack_expect *rtp, *rtcp;
	int i, err = -EBUSY;

	for (i = 0; i < (s->pick ? NAT_PORT_TRIES : 1); i++) {
		/* The first choice, then random even ports. */
		u16 port = i ? 1024 + 2 * get_random_u32_below(32256) : s->port;
		u16 rtcp_port = s->pick ? port + 1 : s->rtcp_port;

		rtp = expect_new(map, s, s->dst, port, s->real, s->real_port);
		rtcp = NULL;
		if (rtp && !s->mux)
			rtcp = expect_new(map, s, s->rtcp_dst, rtcp_port,
					  s->rtcp_real, s->rtcp_real_port);
		if (!rtp || (!s->mux && !rtcp))
			err = -ENOMEM;
		else
			err = nf_ct_expect_related(rtp, 0);
		if (!err && rtcp) {
			err = nf_ct_expect_related(rtcp, 0);
			if (err)
				nf_ct_unexpect_related(rtp);
		}
		if (!err) {
			out->exp[0] = rtp;
			out->exp[1] = rtcp;
			out->nexp = rtcp ? 2 : 1;
			out->port = port;
			out->rtcp_port = rtcp ? rtcp_port : port;
			return 0;
		}
		if (rtcp)
			nf_ct_expect_put(rtcp);
		if (rtp)
			nf_ct_expect_put(rtp);
		if (err != -EBUSY)
			break;
	}
	return err;
}

/**
 * ucp_nat_expect_drop() - let go of expectations
 * @exp: our references
 * @n: how many
 * @unexpect: also withdraw them (else they stay until they time out)
 */
void ucp_nat_expect_drop(struct nf_conntrack_expect **exp, unsigned int n,
			 bool unexpect)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (unexpect)
			nf_ct_unexpect_related(exp[i]);
		nf_ct_expect_put(exp[i]);
	}
}

/**
 * ucp_nat_init() - register the expectfns of ucproxy's expectations
 *
 * By name, so that ctnetlink can show and restore expectations that
 * carry them.
 *
 * Return: 0.
 */
int ucp_nat_init(void)
{
	nf_ct_helper_expectfn_register(&media_expectfn);
	nf_ct_helper_expectfn_register(&media_session_expectfn);
	nf_ct_helper_expectfn_register(&dst_expectfn);
	return 0;
}

/**
 * ucp_nat_exit() - unregister what ucp_nat_init() registered
 */
void ucp_nat_exit(void)
{
	nf_ct_helper_expectfn_unregister(&dst_expectfn);
	nf_ct_helper_expectfn_unregister(&media_session_expectfn);
	nf_ct_helper_expectfn_unregister(&media_expectfn);
}
