// SPDX-License-Identifier: GPL-2.0
/*
 * What one SCCP message means for its signalling connection: which
 * embedded addresses and ports NAT changes, which media flows to expect
 * and which to forget, and the keys that belong to them.
 *
 * Addresses follow the connection's tuples as in SIP (sip_nat.c): an
 * address equal to the sender's own becomes what the receiver sees of the
 * sender, one equal to the address the sender sent to becomes the
 * receiver's own. SCCP fields are fixed width, so a rewrite never
 * changes a length: no sequence adjustment is needed.
 *
 * Media of one pass-through party (passThruPartyId), as the phone sees it:
 *
 *   receive   OpenReceiveChannel (manager -> phone) brings the key the
 *             phone decrypts with; the phone's OpenReceiveChannelAck says
 *             where it receives. Behind the NAT the router announces a
 *             port pair of its own instead, expects RTP and RTCP there
 *             and translates them to the phone.
 *   transmit  StartMediaTransmission (manager -> phone) says where the
 *             phone sends, with the key it encrypts with. That flow is
 *             expected as it is, so that its translation pairs with the
 *             receive expectation: the phone's media leaves from the port
 *             the router announced for it (ucp_media_expected_nat()).
 *
 * CloseReceiveChannel and StopMediaTransmission release the party's
 * expectations of that direction and wipe its key; the end of the
 * connection releases the rest (sccp_helper.c); unused expectations time
 * out by their class's policy.
 *
 * Keys: a stream's key info is kept beside its expectations, in
 * struct ucp_sccp_stream_media, for the media session of the expected
 * connection to take over.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_expect.h>

#include "nat_addr.h"
#include "sccp.h"
#include "ucproxy.h"

/* Ports tried for a NATed receive stream before giving up. */
#define MEDIA_PORT_TRIES	64

/* The address is the sender's own, which the receiver sees NATed. */
static bool sender_nated(const struct ucp_sip_map *map,
			 const struct ucp_sccp_addr *a)
{
	return map->nated && addr_is(a, map->l3num, &map->src_from) &&
	       !nf_inet_addr_cmp(&map->src_from, &map->src_to);
}

/* --- Parties -------------------------------------------------------- */

/* Release (@unexpect) or only let go of the stream's expectations. */
static void exp_drop(struct ucp_sccp_stream_media *sm, bool unexpect)
{
	unsigned int i;

	for (i = 0; i < sm->nexp; i++) {
		if (unexpect)
			nf_ct_unexpect_related(sm->exp[i]);
		nf_ct_expect_put(sm->exp[i]);
	}
	sm->nexp = 0;
}

/* The stream is over: its expectations, and its key. */
static void media_drop(struct ucp_sccp_stream_media *sm, bool unexpect)
{
	exp_drop(sm, unexpect);
	memzero_explicit(&sm->key, sizeof(sm->key));
	sm->has_key = 0;
}

static void party_drop(struct ucp_sccp_party *p, bool unexpect)
{
	media_drop(&p->rx, unexpect);
	media_drop(&p->tx, unexpect);
	memset(p, 0, sizeof(*p));
}

/* The party's slot; a new one (the least recently used) when @create. */
static struct ucp_sccp_party *party_find(struct ucp_sccp_conn *conn, u32 id,
					 bool create)
{
	struct ucp_sccp_party *lru;
	unsigned int i;

	if (!conn || !id)
		return NULL;
	lru = &conn->parties[0];
	for (i = 0; i < UCP_SCCP_MAX_PARTIES; i++) {
		struct ucp_sccp_party *p = &conn->parties[i];

		if (p->id == id) {
			p->used = jiffies;
			return p;
		}
		if (!p->id || (lru->id && time_before(p->used, lru->used)))
			lru = p;
	}
	if (!create)
		return NULL;
	/* An evicted party's expectations stay until they time out. */
	if (lru->id)
		party_drop(lru, false);
	lru->id = id;
	lru->used = jiffies;
	return lru;
}

void ucp_sccp_conn_release(struct ucp_sccp_conn *conn)
{
	unsigned int i;

	for (i = 0; i < UCP_SCCP_MAX_PARTIES; i++)
		if (conn->parties[i].id)
			party_drop(&conn->parties[i], false);
}

/* Stop or Close: the stream ends. */
static void media_release(struct ucp_sccp_stream_media *sm,
			  struct ucp_stats *stats)
{
	ucp_stats_add(stats, UCP_CTR_SCCP_EXPECT_RELEASED, sm->nexp);
	media_drop(sm, true);
}

/* The stream is announced again: new expectations, the key it came with. */
static void exp_release(struct ucp_sccp_stream_media *sm,
			struct ucp_stats *stats)
{
	ucp_stats_add(stats, UCP_CTR_SCCP_EXPECT_RELEASED, sm->nexp);
	exp_drop(sm, true);
}

static void keep_key(struct ucp_sccp_stream_media *sm,
		     const struct ucp_sccp_msg *m)
{
	memzero_explicit(&sm->key, sizeof(sm->key));
	sm->has_key = m->has_key && m->key.algorithm != UCP_SCCP_ALG_NONE;
	if (sm->has_key)
		sm->key = m->key;
}

/* --- Expectations --------------------------------------------------- */

/*
 * A media connection of an SCCP party has arrived: its NAT. (The media
 * session of issue 6 attaches here, finding the party whose rx.exp[] or
 * tx.exp[] is @exp, and its key, in the master's struct ucp_sccp_conn.)
 * Not the SIP expectfn: that one takes the master's helper data for SIP's.
 */
static void ucp_sccp_media_expected(struct nf_conn *ct,
				    struct nf_conntrack_expect *exp)
{
	ucp_media_expected_nat(ct, exp);
}

/*
 * One expectation of UDP toward @dst:@port, whose connection is
 * translated to @saved:@saved_port (the real destination, toward
 * direction !@dir) when the master is NATed.
 */
static struct nf_conntrack_expect *
expect_new(const struct ucp_sip_map *map, const union nf_inet_addr *dst,
	   u16 port, const union nf_inet_addr *saved, u16 saved_port)
{
	struct nf_conntrack_expect *exp = nf_ct_expect_alloc(map->ct);
	__be16 p = htons(port);

	if (!exp)
		return NULL;
	nf_ct_expect_init(exp, NF_CT_EXPECT_CLASS_DEFAULT, map->l3num, NULL,
			  dst, IPPROTO_UDP, NULL, &p);
	if (map->nated) {
		exp->saved_addr = *saved;
		exp->saved_proto.udp.port = htons(saved_port);
		exp->dir = !map->dir;
		exp->expectfn = ucp_sccp_media_expected;
	}
	return exp;
}

/*
 * Expect RTP at @dst:@port and RTCP at the port above, translated to
 * @real:@real_port (and + 1). With @pick, @port is only the first choice:
 * random even ports follow while the pair is taken. The references go to
 * @sm. Returns the RTP port expected, or 0.
 */
static u16 expect_pair(const struct ucp_sip_map *map,
		       struct ucp_sccp_stream_media *sm,
		       const union nf_inet_addr *dst, u16 port,
		       const union nf_inet_addr *real, u16 real_port, bool pick)
{
	struct nf_conntrack_expect *rtp, *rtcp;
	int i, err;

	if (!real_port || real_port == 0xffff)
		return 0;
	for (i = 0; i < (pick ? MEDIA_PORT_TRIES : 1); i++) {
		u16 try = i ? 1024 + 2 * get_random_u32_below(32256) : port;

		/*
		 * Fresh objects for every try: one that was inserted and then
		 * withdrawn stays linked until the expectation collector
		 * unlinks it, and must not be inserted again.
		 */
		rtp = expect_new(map, dst, try, real, real_port);
		rtcp = rtp ? expect_new(map, dst, try + 1, real, real_port + 1) :
			     NULL;
		err = rtp && rtcp ? nf_ct_expect_related(rtp, 0) : -ENOMEM;
		if (!err) {
			err = nf_ct_expect_related(rtcp, 0);
			if (err)
				nf_ct_unexpect_related(rtp);
		}
		if (!err) {
			sm->exp[0] = rtp;
			sm->exp[1] = rtcp;
			sm->nexp = 2;
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

/* The phone announces where it receives: expect it there, or at the router. */
static u16 expect_receive(const struct ucp_sip_map *map,
			  struct ucp_sccp_party *p,
			  const struct ucp_sccp_field *f, struct ucp_stats *stats)
{
	union nf_inet_addr real;
	bool nat = sender_nated(map, &f->addr);
	u16 port;

	/* The same announcement again (a retransmission): the same answer. */
	if (p->rx.nexp && p->rx_real == f->port &&
	    !memcmp(&p->rx_addr, &f->addr, sizeof(f->addr)))
		return p->rx_nat;
	addr_get(&real, &f->addr);
	exp_release(&p->rx, stats);
	port = expect_pair(map, &p->rx, nat ? &map->src_to : &real, f->port,
			   &real, f->port, nat);
	if (!port) {
		ucp_stats_inc(stats, UCP_CTR_SCCP_EXPECT_FAILED);
		return 0;
	}
	ucp_stats_add(stats, UCP_CTR_SCCP_EXPECTATIONS, p->rx.nexp);
	if (p->rx.has_key)
		ucp_stats_inc(stats, UCP_CTR_SCCP_KEYS);
	p->rx_real = f->port;
	p->rx_nat = nat ? port : f->port;
	p->rx_addr = f->addr;
	return port;
}

/* The phone is told where to send: expect that flow as it is. */
static void expect_transmit(const struct ucp_sip_map *map,
			    struct ucp_sccp_party *p,
			    const struct ucp_sccp_field *f,
			    struct ucp_stats *stats)
{
	union nf_inet_addr remote;

	if (p->tx.nexp && p->tx_port == f->port &&
	    !memcmp(&p->tx_addr, &f->addr, sizeof(f->addr)))
		return;		/* sent again: expected already */
	addr_get(&remote, &f->addr);
	exp_release(&p->tx, stats);
	if (!expect_pair(map, &p->tx, &remote, f->port, &remote, f->port,
			 false)) {
		ucp_stats_inc(stats, UCP_CTR_SCCP_EXPECT_FAILED);
		return;
	}
	ucp_stats_add(stats, UCP_CTR_SCCP_EXPECTATIONS, p->tx.nexp);
	if (p->tx.has_key)
		ucp_stats_inc(stats, UCP_CTR_SCCP_KEYS);
	p->tx_port = f->port;
	p->tx_addr = f->addr;
}

/* --- Rewriting ------------------------------------------------------ */

struct nat_ctx {
	const struct ucp_sip_map *map;
	struct ucp_sccp_party *party;
	u16 rx_port;		/* OpenReceiveChannelAck: the port announced */
};

/* The callback of ucp_sccp_rewrite(): see the top of this file. */
static bool map_field(void *data, const struct ucp_sccp_msg *m,
		      const struct ucp_sccp_field *f,
		      struct ucp_sccp_addr *addr, u16 *port)
{
	const struct nat_ctx *c = data;
	const struct ucp_sip_map *map = c->map;
	bool set = false;

	if (!map->nated || !f->addr_off)
		return false;
	if (addr_is(addr, map->l3num, &map->src_from) &&
	    !addr_is(addr, map->l3num, &map->src_to)) {
		addr_set(addr, map->l3num, &map->src_to);
		set = true;
	} else if (addr_is(addr, map->l3num, &map->dst_from) &&
		   !addr_is(addr, map->l3num, &map->dst_to)) {
		addr_set(addr, map->l3num, &map->dst_to);
		set = true;
	}
	if (f->kind == UCP_SCCP_F_RECEIVE && set && c->rx_port &&
	    c->rx_port != *port) {
		*port = c->rx_port;
	} else if (f->kind == UCP_SCCP_F_TRANSMIT && set && c->party &&
		   c->party->rx_real == *port && c->party->rx_nat) {
		/* It sends from its receive port, which the NAT maps so. */
		*port = c->party->rx_nat;
	}
	return set;
}

int ucp_sccp_nat_message(const struct ucp_sip_map *map,
			 struct ucp_sccp_conn *conn,
			 const struct ucp_sccp_msg *m, u8 *msg, size_t len)
{
	struct ucp_stats *stats = &ucp_net(nf_ct_net(map->ct))->stats;
	struct nat_ctx c = { .map = map };
	struct ucp_sccp_party *p;

	switch (m->id) {
	case UCP_SCCP_OPEN_RECEIVE_CHANNEL:
		p = party_find(conn, m->party_id, m->has_key);
		if (p)
			keep_key(&p->rx, m);
		break;
	case UCP_SCCP_OPEN_RECEIVE_CHANNEL_ACK:
		p = party_find(conn, m->party_id, true);
		if (p && !m->status && m->nfields &&
		    m->f[0].addr.family == (map->l3num == NFPROTO_IPV4 ? 4 : 6)) {
			c.party = p;
			c.rx_port = expect_receive(map, p, &m->f[0], stats);
		}
		break;
	case UCP_SCCP_START_MEDIA_TRANSMISSION:
		p = party_find(conn, m->party_id, true);
		if (p && m->nfields &&
		    m->f[0].addr.family == (map->l3num == NFPROTO_IPV4 ? 4 : 6)) {
			keep_key(&p->tx, m);
			expect_transmit(map, p, &m->f[0], stats);
		}
		break;
	case UCP_SCCP_START_MEDIA_TRANSMISSION_ACK:
		c.party = party_find(conn, m->party_id, false);
		break;
	case UCP_SCCP_STOP_MEDIA_TRANSMISSION:
		p = party_find(conn, m->party_id, false);
		if (p)
			media_release(&p->tx, stats);
		break;
	case UCP_SCCP_CLOSE_RECEIVE_CHANNEL:
		p = party_find(conn, m->party_id, false);
		if (p)
			media_release(&p->rx, stats);
		break;
	}
	return ucp_sccp_rewrite(m, msg, len, map_field, &c);
}
