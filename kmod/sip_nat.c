// SPDX-License-Identifier: GPL-2.0
/*
 * What one SIP message means for its signalling connection: which
 * embedded addresses NAT changes, which media flows to expect, and which
 * calls end.
 *
 * The mapping follows the connection's two tuples. A message travels in
 * direction @dir; its sender knows the addresses of tuple[dir] (its own
 * source and the destination it sent to), its receiver those of
 * tuple[!dir]. An embedded address equal to tuple[dir]'s source becomes
 * tuple[!dir]'s destination (source NAT: the inside phone's address
 * becomes the router's), one equal to tuple[dir]'s destination becomes
 * tuple[!dir]'s source (destination NAT, and the way back). Without NAT
 * both are the identity and nothing changes.
 *
 * Media: for every stream of an SDP body the remote side's media is
 * expected. Where the stream's address is the sender's own NATed address,
 * the router announces a port pair of its own instead and the expected
 * connection is translated to the real one; otherwise the stream's own
 * address and port are expected, so that its translation pairs with the
 * other side's (see ucp_media_expected_nat()). Media may come from any
 * source address: in a call through a proxy it does not come from the
 * signalling peer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jhash.h>
#include <linux/random.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_nat.h>

#include "media.h"
#include "nat_addr.h"
#include "sip.h"
#include "ucproxy.h"

#define SIP_DEFAULT_PORT	5060
/* Ports tried for a NATed media stream before giving up. */
#define MEDIA_PORT_TRIES	64

static bool is_sip_token(u8 kind)
{
	switch (kind) {
	case UCP_TOK_REQUEST_URI:
	case UCP_TOK_FROM:
	case UCP_TOK_TO:
	case UCP_TOK_VIA:
	case UCP_TOK_VIA_RECEIVED:
	case UCP_TOK_CONTACT:
	case UCP_TOK_RECORD_ROUTE:
	case UCP_TOK_ROUTE:
		return true;
	}
	return false;
}

void ucp_sip_map_conntrack(struct ucp_sip_map *map, struct nf_conn *ct,
			   enum ip_conntrack_dir dir)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[dir].tuple;
	const struct nf_conntrack_tuple *r = &ct->tuplehash[!dir].tuple;

	map->ct = ct;
	map->dir = dir;
	map->l3num = nf_ct_l3num(ct);
	map->nated = ct->status & IPS_NAT_MASK;
	map->rewritable = true;
	map->src_from = t->src.u3;
	map->src_from_port = t->src.u.all;
	map->src_to = r->dst.u3;
	map->src_to_port = r->dst.u.all;
	map->dst_from = t->dst.u3;
	map->dst_from_port = t->dst.u.all;
	map->dst_to = r->src.u3;
	map->dst_to_port = r->src.u.all;
}

/*
 * An address (and port, where the token has one) of the SIP headers.
 * Returns true when the token changes.
 */
static bool map_sip_token(const struct ucp_sip_map *map,
			  const struct ucp_sip_token *tok,
			  struct ucp_sip_subst *s)
{
	const union nf_inet_addr *to;
	__be16 from_port, to_port;
	u16 port = tok->port ? tok->port : SIP_DEFAULT_PORT;

	if (addr_is(&tok->addr, map->l3num, &map->src_from)) {
		to = &map->src_to;
		from_port = map->src_from_port;
		to_port = map->src_to_port;
	} else if (addr_is(&tok->addr, map->l3num, &map->dst_from)) {
		to = &map->dst_to;
		from_port = map->dst_from_port;
		to_port = map->dst_to_port;
	} else {
		return false;
	}

	if (!addr_is(&tok->addr, map->l3num, to))
		addr_set(&s->addr, map->l3num, to);
	/* A port of another socket of the same host is not ours to map. */
	if (tok->kind != UCP_TOK_VIA_RECEIVED && port == ntohs(from_port) &&
	    from_port != to_port)
		s->port = ntohs(to_port);
	s->set = s->addr.family || s->port;
	return s->set;
}

/* ;rport=N of a Via whose ;received= was mapped: the port the NAT used. */
static bool map_rport(const struct ucp_sip_map *map,
		      const struct ucp_sip_token *tok, struct ucp_sip_subst *s)
{
	if (tok->port != ntohs(map->dst_from_port) ||
	    map->dst_from_port == map->dst_to_port)
		return false;
	s->port = ntohs(map->dst_to_port);
	s->set = 1;
	return true;
}

/* The stream's address is the sender's own, which the receiver sees NATed. */
static bool sender_nated(const struct ucp_sip_map *map,
			 const struct ucp_sip_addr *a)
{
	return addr_is(a, map->l3num, &map->src_from) &&
	       !nf_inet_addr_cmp(&map->src_from, &map->src_to);
}

/* The SDP addresses of the sender itself become its NATed address. */
static bool map_sdp_addr(const struct ucp_sip_map *map,
			 const struct ucp_sip_token *tok,
			 struct ucp_sip_subst *s)
{
	if (!sender_nated(map, &tok->addr))
		return false;
	addr_set(&s->addr, map->l3num, &map->src_to);
	s->set = 1;
	return true;
}

/* --- Calls ---------------------------------------------------------- */

static u32 call_id_hash(const struct ucp_sip_msg *m, const char *msg)
{
	u32 h = jhash(msg + m->call_id.off, m->call_id.len, 0);

	return h ? h : 1;	/* 0 marks a free slot */
}

/*
 * Forget a call: its media sessions end, and its expectations go with it
 * when @unexpect. A call with media sessions always takes its
 * expectations along: a flow of a translated stream must not start
 * without its session.
 */
static void call_drop(struct ucp_sip_call *call, bool unexpect)
{
	unsigned int i;

	for (i = 0; i < UCP_SDP_MAX_MEDIA; i++) {
		if (!call->media[i])
			continue;
		ucp_media_end(call->media[i]);
		ucp_media_put(call->media[i]);
		unexpect = true;
	}
	for (i = 0; i < call->nexp; i++) {
		if (unexpect)
			nf_ct_unexpect_related(call->exp[i]);
		nf_ct_expect_put(call->exp[i]);
	}
	memset(call, 0, sizeof(*call));
}

/* The call's slot; a new one (the least recently used) when @create. */
static struct ucp_sip_call *call_find(struct ucp_sip_conn *conn, u32 id,
				      bool create)
{
	struct ucp_sip_call *lru = &conn->calls[0];
	unsigned int i;

	for (i = 0; i < UCP_SIP_MAX_CALLS; i++) {
		struct ucp_sip_call *c = &conn->calls[i];

		if (c->id == id)
			return c;
		if (!c->id || (lru->id && time_before(c->used, lru->used)))
			lru = c;
	}
	if (!create)
		return NULL;
	/* Evicted calls keep their expectations until these time out. */
	if (lru->id)
		call_drop(lru, false);
	lru->id = id;
	return lru;
}

static void call_release(struct ucp_sip_conn *conn, struct ucp_stats *stats,
			 u32 id)
{
	struct ucp_sip_call *call;

	spin_lock_bh(&conn->lock);
	call = call_find(conn, id, false);
	if (call) {
		ucp_stats_add(stats, UCP_CTR_SIP_EXPECT_RELEASED, call->nexp);
		call_drop(call, true);
	}
	spin_unlock_bh(&conn->lock);
}

void ucp_sip_conn_release_calls(struct ucp_sip_conn *conn)
{
	unsigned int i;

	for (i = 0; i < UCP_SIP_MAX_CALLS; i++)
		if (conn->calls[i].id)
			call_drop(&conn->calls[i], false);
}

/* How an expectation's connections join their stream's media session. */
struct media_exp_info {
	u8 stream;
	u8 flow;		/* enum ucp_media_flow */
	u8 from;		/* side the new connections come from */
};

/*
 * Keep @exp (our reference) with its call, so that the call's end removes
 * it, and so that its connections find their media session.
 */
static void call_keep(struct ucp_sip_conn *conn, u32 id,
		      struct nf_conntrack_expect *exp,
		      const struct media_exp_info *info)
{
	struct ucp_sip_call *call;
	unsigned int n;

	if (!conn) {
		nf_ct_expect_put(exp);
		return;
	}
	spin_lock_bh(&conn->lock);
	call = call_find(conn, id, true);
	call->used = jiffies;
	if (call->nexp < UCP_SIP_CALL_MAX_EXP) {
		n = call->nexp++;
		call->exp[n] = exp;
		call->exp_stream[n] = info->stream;
		call->exp_flow[n] = info->flow;
		call->exp_from[n] = info->from;
	} else {
		nf_ct_expect_put(exp);	/* it still expires on its own */
	}
	spin_unlock_bh(&conn->lock);
}

/*
 * A connection of @exp has arrived: give it its stream's media session,
 * found through the master's call that holds @exp.
 */
static void media_attach(struct nf_conn *ct, struct nf_conntrack_expect *exp)
{
	struct ucp_sip_conn *conn = ucp_sip_conn_get(ct->master, 0);
	struct ucp_media *m = NULL;
	unsigned int i, j;
	u8 flow = 0, from = 0;

	if (!conn)
		return;
	spin_lock_bh(&conn->lock);
	for (i = 0; i < UCP_SIP_MAX_CALLS && !m; i++) {
		struct ucp_sip_call *call = &conn->calls[i];

		for (j = 0; j < call->nexp; j++) {
			if (call->exp[j] != exp)
				continue;
			m = call->media[call->exp_stream[j]];
			flow = call->exp_flow[j];
			from = call->exp_from[j];
			if (m)
				ucp_media_get(m);
			break;
		}
		if (j < call->nexp)
			break;
	}
	spin_unlock_bh(&conn->lock);
	if (m) {
		ucp_media_attach(ct, m, from, flow);
		ucp_media_put(m);
	}
}

/* --- Media expectations --------------------------------------------- */

/*
 * An expected media connection has arrived: translate its destination to
 * the stream's real address, and its source to what the other side was
 * told, found in the paired expectation of the same master whose real
 * address is this connection's source. Shared with SCCP (sccp_nat.c):
 * nothing here depends on the master's helper.
 */
void ucp_media_expected_nat(struct nf_conn *ct,
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

/* A SIP media connection: its NAT, then its stream's media session. */
static void ucp_sip_media_expected(struct nf_conn *ct,
				   struct nf_conntrack_expect *exp)
{
	ucp_media_expected_nat(ct, exp);
	media_attach(ct, exp);
}

/* Without NAT only the media session is to be found. */
static void ucp_sip_media_session_expected(struct nf_conn *ct,
					   struct nf_conntrack_expect *exp)
{
	media_attach(ct, exp);
}

static struct nf_ct_helper_expectfn ucp_sip_media_expectfn = {
	.name		= "ucp-sip-media",
	.expectfn	= ucp_sip_media_expected,
};

static struct nf_ct_helper_expectfn ucp_sip_media_session_expectfn = {
	.name		= "ucp-sip-media-session",
	.expectfn	= ucp_sip_media_session_expected,
};

/* A request for a registered phone: to the phone's real contact. */
static void ucp_sip_signalling_expected(struct nf_conn *ct,
					struct nf_conntrack_expect *exp)
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

static struct nf_ct_helper_expectfn ucp_sip_signalling_expectfn = {
	.name		= "ucp-sip-signalling",
	.expectfn	= ucp_sip_signalling_expected,
};

/* Longest registration kept open for requests from anywhere (seconds). */
#define REGISTER_EXPECT_MAX	7200

/*
 * A phone behind the NAT registers: the registrar learns the router's
 * address for it. Requests for the phone may come from the registrar on
 * another flow than the REGISTER's: over UDP from another socket, over TCP
 * on a new connection to the contact's port. Expect them there (from the
 * registrar's address only) for as long as the registration asks,
 * translated to the phone's contact and helped like the registration.
 */
static void register_expect(const struct ucp_sip_map *map,
			    const struct ucp_sip_msg *m, struct ucp_stats *stats)
{
	struct nf_conn *ct = map->ct;
	struct nf_conn_help *help = nfct_help(ct);
	struct nf_conntrack_helper *helper;
	struct nf_conntrack_expect *exp;
	__be16 port, to_port;
	unsigned int i;

	if (!map->nated || !m->expires || !help ||
	    nf_inet_addr_cmp(&map->src_from, &map->src_to))
		return;
	for (i = 0; i < m->ntokens; i++) {
		const struct ucp_sip_token *tok = &m->tok[i];

		if (tok->kind != UCP_TOK_CONTACT ||
		    !addr_is(&tok->addr, map->l3num, &map->src_from))
			continue;
		/* The port as map_sip_token() left it in the Contact. */
		port = htons(tok->port ? tok->port : SIP_DEFAULT_PORT);
		to_port = port == map->src_from_port ? map->src_to_port : port;
		exp = nf_ct_expect_alloc(ct);
		if (!exp)
			return;
		nf_ct_expect_init(exp, UCP_SIP_CLASS_SIGNALLING, map->l3num,
				  &map->dst_from, &map->src_to,
				  nf_ct_protonum(ct), NULL, &to_port);
		exp->flags = NF_CT_EXPECT_PERMANENT;
		exp->saved_addr = map->src_from;
		exp->saved_proto.all = port;
		exp->dir = !map->dir;
		exp->expectfn = ucp_sip_signalling_expected;
		rcu_read_lock();
		helper = rcu_dereference(help->helper);
		rcu_assign_pointer(exp->assign_helper, helper);
		rcu_read_unlock();
		if (!nf_ct_expect_related(exp, 0)) {
			ucp_stats_inc(stats, UCP_CTR_SIP_EXPECTATIONS);
			/* As long as the registration, not the class's minutes. */
			spin_lock_bh(&nf_conntrack_expect_lock);
			WRITE_ONCE(exp->timeout, nfct_time_stamp +
				   min_t(u32, m->expires, REGISTER_EXPECT_MAX) * HZ);
			spin_unlock_bh(&nf_conntrack_expect_lock);
		} else {
			ucp_stats_inc(stats, UCP_CTR_SIP_EXPECT_FAILED);
		}
		nf_ct_expect_put(exp);
		return;
	}
}

static unsigned int media_class(u8 type)
{
	switch (type) {
	case UCP_SDP_AUDIO:
		return UCP_SIP_CLASS_AUDIO;
	case UCP_SDP_VIDEO:
		return UCP_SIP_CLASS_VIDEO;
	default:
		return UCP_SIP_CLASS_IMAGE;
	}
}

/*
 * One expectation of UDP toward @dst, whose connection is translated to
 * @saved:@saved_port when the master is NATed (@nated).
 */
static struct nf_conntrack_expect *
media_expect_new(struct nf_conn *ct, enum ip_conntrack_dir dir,
		 unsigned int class, const union nf_inet_addr *dst,
		 const union nf_inet_addr *saved, u16 saved_port, bool nated,
		 bool session)
{
	struct nf_conntrack_expect *exp = nf_ct_expect_alloc(ct);
	__be16 port = htons(saved_port);

	if (!exp)
		return NULL;
	nf_ct_expect_init(exp, class, nf_ct_l3num(ct), NULL, dst, IPPROTO_UDP,
			  NULL, &port);
	if (nated) {
		exp->saved_addr = *saved;
		exp->saved_proto.udp.port = port;
		exp->dir = !dir;
		exp->expectfn = ucp_sip_media_expected;
	} else if (session) {
		exp->expectfn = ucp_sip_media_session_expected;
	}
	/*
	 * The media session's packets go through the ucp-media helper. Its
	 * expectations stay after a first use (until the call ends or they
	 * time out): a flow whose first packet a session not yet ready
	 * dropped never exists, and one ended by ucp_media_flows_settled()
	 * is set up again by its next packet.
	 */
	if (session) {
		rcu_assign_pointer(exp->assign_helper,
				   ucp_media_helper(nf_ct_l3num(ct)));
		exp->flags |= NF_CT_EXPECT_PERMANENT;
	}
	return exp;
}

static int media_expect_at(struct nf_conntrack_expect *exp, u16 port)
{
	exp->tuple.dst.u.udp.port = htons(port);
	return nf_ct_expect_related(exp, 0);
}

/*
 * Expect one stream (RTP and, unless muxed, RTCP). When @nat (the stream
 * is the sender's own, NATed), find a port pair of the router for it and
 * return the RTP port, else expect the stream's own ports. @nated: the
 * master is NATed, so expected connections are translated. Returns 0
 * when nothing could be expected.
 */
static u16 media_expect(const struct ucp_sip_map *map,
			struct ucp_sip_conn *conn, u32 call, unsigned int idx,
			const struct ucp_sdp_media *md, bool nat, bool session,
			u16 *rtcp_port)
{
	struct media_exp_info info = {
		.stream = idx,
		.flow = md->rtcp_mux ? UCP_MEDIA_FLOW_MUX : UCP_MEDIA_FLOW_RTP,
		.from = !map->dir,
	};
	struct media_exp_info rtcp_info = info;
	unsigned int class = media_class(md->type);
	struct nf_conntrack_expect *rtp, *rtcp;
	union nf_inet_addr saved, rtcp_saved, dst;
	struct nf_conn *ct = map->ct;
	u16 rtcp_real;
	int i, err;

	addr_get(&saved, &md->conn);
	rtcp_saved = saved;
	if (md->has_rtcp && md->rtcp_addr.family)
		addr_get(&rtcp_saved, &md->rtcp_addr);
	rtcp_real = md->has_rtcp ? md->rtcp_port : md->port + 1;
	dst = nat ? map->src_to : saved;

	for (i = 0; i < (nat ? MEDIA_PORT_TRIES : 1); i++) {
		/* The stream's own port first, then random even ports. */
		u16 try = i ? 1024 + 2 * get_random_u32_below(32256) : md->port;

		/*
		 * Fresh objects for every try: one that was inserted and
		 * then withdrawn stays linked until the expectation
		 * collector unlinks it, and must not be inserted again.
		 */
		rtp = media_expect_new(ct, map->dir, class, &dst, &saved,
				       md->port, map->nated, session);
		rtcp = NULL;
		if (rtp && !md->rtcp_mux)
			rtcp = media_expect_new(ct, map->dir, class,
						nat ? &dst : &rtcp_saved,
						&rtcp_saved, rtcp_real,
						map->nated, session);
		if (!rtp || (!md->rtcp_mux && !rtcp))
			err = -ENOMEM;
		else
			err = media_expect_at(rtp, try);
		if (!err && rtcp) {
			err = media_expect_at(rtcp, nat ? try + 1 : rtcp_real);
			if (err)
				nf_ct_unexpect_related(rtp);
		}
		if (!err) {
			*rtcp_port = rtcp ? ntohs(rtcp->tuple.dst.u.udp.port) : try;
			/* The call owns our references now. */
			call_keep(conn, call, rtp, &info);
			rtcp_info.flow = UCP_MEDIA_FLOW_RTCP;
			if (rtcp)
				call_keep(conn, call, rtcp, &rtcp_info);
			return try;
		}
		if (rtcp)
			nf_ct_expect_put(rtcp);
		if (rtp)
			nf_ct_expect_put(rtp);
		if (err != -EBUSY)
			break;
	}
	return 0;
}

/*
 * Expect every stream of the body and set the substitutions of its ports.
 * Returns how many streams could not be expected.
 */
static unsigned int sdp_expect(const struct ucp_sip_map *map,
			       struct ucp_sip_conn *conn, struct ucp_sip_work *w,
			       const char *msg, bool *rewrite)
{
	const struct ucp_sip_msg *m = &w->msg;
	u16 rtp[UCP_SDP_MAX_MEDIA] = {}, rtcp[UCP_SDP_MAX_MEDIA] = {};
	u32 call = call_id_hash(m, msg);
	unsigned int i, failed = 0;

	for (i = 0; i < m->sdp.nmedia; i++) {
		const struct ucp_sdp_media *md = &m->sdp.media[i];
		struct ucp_media *media = NULL;
		bool nat;

		if (conn) {
			spin_lock_bh(&conn->lock);
			media = ucp_sip_media_stream(map,
						     call_find(conn, call, true),
						     w, i, rewrite);
			if (media)
				ucp_media_get(media);
			spin_unlock_bh(&conn->lock);
		}
		if (!md->port || md->type == UCP_SDP_OTHER ||
		    md->conn.family != (map->l3num == NFPROTO_IPV4 ? 4 : 6)) {
			if (media)
				ucp_media_put(media);
			continue;
		}
		nat = map->nated && sender_nated(map, &md->conn);
		rtp[i] = media_expect(map, conn, call, i, md, nat, media,
				      &rtcp[i]);
		if (media) {
			ucp_media_flows_settled(media);
			ucp_media_put(media);
		}
		if (!rtp[i]) {
			failed++;
			continue;
		}
		ucp_stats_add(&ucp_net(nf_ct_net(map->ct))->stats,
			      UCP_CTR_SIP_EXPECTATIONS, md->rtcp_mux ? 1 : 2);
		if (!nat)
			rtp[i] = 0;	/* nothing to rewrite */
	}

	for (i = 0; i < m->ntokens; i++) {
		const struct ucp_sip_token *tok = &m->tok[i];
		struct ucp_sip_subst *s = &w->subst[i];

		if (tok->media >= UCP_SDP_MAX_MEDIA || !rtp[tok->media])
			continue;
		if (tok->kind == UCP_TOK_SDP_MEDIA_PORT) {
			if (rtp[tok->media] != tok->port)
				s->port = rtp[tok->media];
		} else if (tok->kind == UCP_TOK_SDP_RTCP) {
			if (rtcp[tok->media] != tok->port)
				s->port = rtcp[tok->media];
			if (tok->host.len)
				map_sdp_addr(map, tok, s);
		} else {
			continue;
		}
		s->set = s->port || s->addr.family;
		*rewrite |= s->set;
	}
	return failed;
}

int ucp_sip_nat_message(const struct ucp_sip_map *map, struct ucp_sip_work *w,
			const char *msg, bool *rewrite)
{
	struct ucp_stats *stats = &ucp_net(nf_ct_net(map->ct))->stats;
	const struct ucp_sip_msg *m = &w->msg;
	u32 received_mapped = 0;
	struct ucp_sip_conn *conn;
	unsigned int i;

	*rewrite = false;
	memset(w->subst, 0, sizeof(w->subst[0]) * m->ntokens);

	if (map->nated) {
		for (i = 0; i < m->ntokens; i++) {
			const struct ucp_sip_token *tok = &m->tok[i];
			struct ucp_sip_subst *s = &w->subst[i];

			if (is_sip_token(tok->kind) && tok->addr.family) {
				if (map_sip_token(map, tok, s) &&
				    tok->kind == UCP_TOK_VIA_RECEIVED &&
				    tok->via_index < 32)
					received_mapped |= BIT(tok->via_index);
			} else if ((tok->kind == UCP_TOK_SDP_ORIGIN ||
				    tok->kind == UCP_TOK_SDP_CONN ||
				    tok->kind == UCP_TOK_SDP_MEDIA_CONN) &&
				   tok->addr.family) {
				map_sdp_addr(map, tok, s);
			}
			*rewrite |= s->set;
		}
		for (i = 0; i < m->ntokens; i++) {
			const struct ucp_sip_token *tok = &m->tok[i];

			if (tok->kind == UCP_TOK_VIA_RPORT && tok->via_index < 32 &&
			    (received_mapped & BIT(tok->via_index)))
				*rewrite |= map_rport(map, tok, &w->subst[i]);
		}
	}

	/* Only a call with media to expect needs state. */
	conn = ucp_sip_conn_get(map->ct, m->has_sdp ? GFP_ATOMIC : 0);
	if ((m->is_request && (m->method == UCP_SIP_M_BYE ||
			       m->method == UCP_SIP_M_CANCEL)) ||
	    (!m->is_request && m->method == UCP_SIP_M_INVITE &&
	     m->status >= 300)) {
		if (conn)
			call_release(conn, stats, call_id_hash(m, msg));
		return 0;
	}
	if (m->is_request && m->method == UCP_SIP_M_REGISTER)
		register_expect(map, m, stats);
	if (m->has_sdp && (m->is_request || m->status < 300)) {
		unsigned int failed = sdp_expect(map, conn, w, msg, rewrite);

		if (failed)
			ucp_stats_add(stats, UCP_CTR_SIP_EXPECT_FAILED, failed);
	}
	return 0;
}

int ucp_sip_nat_init(void)
{
	nf_ct_helper_expectfn_register(&ucp_sip_media_expectfn);
	nf_ct_helper_expectfn_register(&ucp_sip_media_session_expectfn);
	nf_ct_helper_expectfn_register(&ucp_sip_signalling_expectfn);
	return 0;
}

void ucp_sip_nat_exit(void)
{
	nf_ct_helper_expectfn_unregister(&ucp_sip_signalling_expectfn);
	nf_ct_helper_expectfn_unregister(&ucp_sip_media_session_expectfn);
	nf_ct_helper_expectfn_unregister(&ucp_sip_media_expectfn);
}
