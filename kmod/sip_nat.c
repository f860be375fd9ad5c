// SPDX-License-Identifier: GPL-2.0
/*
 * What one SIP message means for its signalling connection: which
 * embedded addresses NAT changes (as nat.c maps them), which media flows
 * to expect, and which calls end.
 *
 * Media: for every stream of an SDP body the remote side's media is
 * expected. Where the stream's address is the sender's own NATed address,
 * the router announces a port pair of its own instead and the expected
 * connection is translated to the real one; otherwise the stream's own
 * address and port are expected, from the NATed party of the same stream
 * where the call has one, so that its translation pairs with the other
 * side's.
 *
 * Also here: the per-CPU scratch space a message is parsed and rewritten
 * in (struct ucp_sip_work).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_helper.h>

#include "media.h"
#include "sip.h"
#include "ucproxy.h"

#define SIP_DEFAULT_PORT	5060

static struct ucp_sip_work * __percpu *sip_work;

/**
 * ucp_sip_work_this_cpu() - this CPU's scratch space for one message
 *
 * Return: the space; the caller keeps bottom halves off while using it.
 */
struct ucp_sip_work *ucp_sip_work_this_cpu(void)
{
	return *this_cpu_ptr(sip_work);
}

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

/*
 * An address (and port, where the token has one) of the SIP headers.
 * Returns true when the token changes.
 */
static bool map_sip_token(const struct ucp_nat_map *map,
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
static bool map_rport(const struct ucp_nat_map *map,
		      const struct ucp_sip_token *tok, struct ucp_sip_subst *s)
{
	if (tok->port != ntohs(map->dst_from_port) ||
	    map->dst_from_port == map->dst_to_port)
		return false;
	s->port = ntohs(map->dst_to_port);
	s->set = 1;
	return true;
}

/* The SDP addresses of the sender itself become its NATed address. */
static bool map_sdp_addr(const struct ucp_nat_map *map,
			 const struct ucp_sip_token *tok,
			 struct ucp_sip_subst *s)
{
	if (!ucp_nat_sender_nated(map, &tok->addr))
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

/* --- Expectations -------------------------------------------------- */

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
static void register_expect(const struct ucp_nat_map *map,
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
		exp->expectfn = ucp_nat_expected_dst;
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
 * Expect one stream (RTP and, unless muxed, RTCP). When @nat (the stream
 * is the sender's own, NATed), find a port pair of the router for it and
 * return the RTP port, else expect the stream's own ports, from where the
 * call's NATed party of the stream sends, if it has one. Returns 0 when
 * nothing could be expected.
 */
static u16 media_expect(const struct ucp_nat_map *map,
			struct ucp_sip_conn *conn, u32 call, unsigned int idx,
			const struct ucp_sdp_media *md, bool nat, bool session,
			u16 *rtcp_port)
{
	struct ucp_sip_exp_info info = {
		.stream = idx,
		.flow = md->rtcp_mux ? UCP_MEDIA_FLOW_MUX : UCP_MEDIA_FLOW_RTP,
		.from = !map->dir,
		.nat = nat,
	};
	struct ucp_sip_exp_info rtcp_info = info;
	union nf_inet_addr real, rtcp_real, src;
	struct ucp_nat_stream s = {
		.class = media_class(md->type),
		.dst = nat ? &map->src_to : &real,
		.rtcp_dst = nat ? &map->src_to : &rtcp_real,
		.real = &real,
		.rtcp_real = &rtcp_real,
		.port = md->port,
		.real_port = md->port,
		.mux = md->rtcp_mux,
		.pick = nat,
		.session = session,
	};
	struct ucp_nat_expected e;

	addr_get(&real, &md->conn);
	rtcp_real = real;
	if (md->has_rtcp && md->rtcp_addr.family)
		addr_get(&rtcp_real, &md->rtcp_addr);
	s.rtcp_real_port = md->has_rtcp ? md->rtcp_port : md->port + 1;
	s.rtcp_port = s.rtcp_real_port;
	if (!nat && ucp_sip_call_nat_source(conn, call, idx, map->dir, &src))
		s.src = &src;

	if (ucp_nat_expect_stream(map, &s, &e))
		return 0;
	*rtcp_port = e.rtcp_port;
	/* The call owns our references now. */
	ucp_sip_call_keep(conn, call, e.exp[0], &info);
	rtcp_info.flow = UCP_MEDIA_FLOW_RTCP;
	if (e.exp[1])
		ucp_sip_call_keep(conn, call, e.exp[1], &rtcp_info);
	return e.port;
}

/*
 * Expect every stream of the body and set the substitutions of its ports.
 * Returns how many streams could not be expected.
 */
static unsigned int sdp_expect(const struct ucp_nat_map *map,
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
			spin_lock_bh(&conn->base.lock);
			media = ucp_sip_media_stream(map,
						     ucp_sip_call_find(conn, call, true),
						     w, i, rewrite);
			if (media)
				ucp_media_get(media);
			spin_unlock_bh(&conn->base.lock);
		}
		if (!md->port || md->type == UCP_SDP_OTHER ||
		    md->conn.family != ucp_nat_family(map)) {
			if (media)
				ucp_media_put(media);
			continue;
		}
		nat = ucp_nat_sender_nated(map, &md->conn);
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

/**
 * ucp_sip_nat_message() - act on one parsed message
 * @map: how its addresses change
 * @w: the scratch space it was parsed into (w->msg); w->subst is set
 * @msg: the message's bytes
 * @rewrite: set when w->subst changes the message
 *
 * Chooses the substitutions, creates media expectations and sessions for
 * its SDP, and releases those of calls it ends.
 *
 * Return: 0, or -errno: the message is to be dropped.
 */
int ucp_sip_nat_message(const struct ucp_nat_map *map, struct ucp_sip_work *w,
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
	conn = ucp_helper_conn_of(&ucp_sip_helper, map->ct,
				  m->has_sdp ? GFP_ATOMIC : 0, struct ucp_sip_conn);
	if ((m->is_request && (m->method == UCP_SIP_M_BYE ||
			       m->method == UCP_SIP_M_CANCEL)) ||
	    (!m->is_request && m->method == UCP_SIP_M_INVITE &&
	     m->status >= 300)) {
		if (conn)
			ucp_sip_call_release(conn, stats, call_id_hash(m, msg));
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

static void work_free(void)
{
	int cpu;

	if (!sip_work)
		return;
	for_each_possible_cpu(cpu)
		kvfree(*per_cpu_ptr(sip_work, cpu));
	free_percpu(sip_work);
	sip_work = NULL;
}

/**
 * ucp_sip_nat_init() - allocate every CPU's scratch space
 *
 * Return: 0 or -ENOMEM.
 */
int ucp_sip_nat_init(void)
{
	int cpu;

	sip_work = alloc_percpu(struct ucp_sip_work *);
	if (!sip_work)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct ucp_sip_work *w = kvzalloc_node(sizeof(*w), GFP_KERNEL,
						       cpu_to_node(cpu));

		if (!w) {
			work_free();
			return -ENOMEM;
		}
		*per_cpu_ptr(sip_work, cpu) = w;
	}
	return 0;
}

/**
 * ucp_sip_nat_exit() - free what ucp_sip_nat_init() allocated
 */
void ucp_sip_nat_exit(void)
{
	work_free();
}
