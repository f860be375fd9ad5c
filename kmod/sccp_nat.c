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
 * Keys: the call manager tells each phone the key it receives with (in
 * OpenReceiveChannel) and the one it sends with (StartMediaTransmission);
 * the far side of the stream uses them the other way round. At a party's
 * first such message the namespace's media policy decides its media
 * session, as SIP's offer does (sip_media.c), with the call manager's key
 * in the place of the offer:
 *
 *   call manager's key   far side   phone's side   session
 *   usable               secure     secure         SRTP<->SRTP
 *   usable               secure     plain          SRTP<->RTP
 *   any                  plain      either         passthrough
 *   none                 either     secure         RTP<->SRTP
 *   none                 either     plain          none
 *
 * The far side's keys are the call manager's: its phone's signalling does
 * not cross the router, so they cannot be changed. Toward a secure phone
 * ucproxy writes keys of its own into the key info blocks it relays (a
 * fixed-size block: in place), toward a plain one a block of zeros.
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

/* The stream is over: its expectations. */
static void media_drop(struct ucp_sccp_stream_media *sm, bool unexpect)
{
	exp_drop(sm, unexpect);
	sm->has_key = 0;
}

/* The party's media session ends: no more translation, its flows go. */
static void session_end(struct ucp_sccp_party *p)
{
	if (p->media) {
		ucp_media_end(p->media);
		ucp_media_put(p->media);
		p->media = NULL;
	}
	p->decided = false;
}

static void party_drop(struct ucp_sccp_party *p, bool unexpect)
{
	media_drop(&p->rx, unexpect);
	media_drop(&p->tx, unexpect);
	session_end(p);
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
		/* The first free slot, else the least recently used. */
		if (lru->id && (!p->id || time_before(p->used, lru->used)))
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

/* Stop or Close: the stream ends; with both ways closed, its session. */
static void media_release(struct ucp_sccp_party *p,
			  struct ucp_sccp_stream_media *sm,
			  struct ucp_stats *stats)
{
	ucp_stats_add(stats, UCP_CTR_SCCP_EXPECT_RELEASED, sm->nexp);
	media_drop(sm, true);
	if (!p->rx.nexp && !p->tx.nexp)
		session_end(p);
}

/* The stream is announced again: new expectations, the key it came with. */
static void exp_release(struct ucp_sccp_stream_media *sm,
			struct ucp_stats *stats)
{
	ucp_stats_add(stats, UCP_CTR_SCCP_EXPECT_RELEASED, sm->nexp);
	exp_drop(sm, true);
}

/* Whether the stream came with a key (counted when it is expected). */
static void note_key(struct ucp_sccp_stream_media *sm,
		     const struct ucp_sccp_msg *m)
{
	sm->has_key = m->has_key && m->key.algorithm != UCP_SCCP_ALG_NONE;
}

/* --- Expectations --------------------------------------------------- */

/*
 * A connection of @exp has arrived: give it its party's media session.
 * A receive expectation's connections come from the far side, a transmit
 * one's from the phone; the first of a pair is RTP, the second RTCP.
 */
static void media_attach(struct nf_conn *ct, struct nf_conntrack_expect *exp)
{
	struct ucp_sccp_conn *conn = ucp_sccp_conn_get(ct->master, 0);
	struct ucp_media *m = NULL;
	unsigned int i, j;
	u8 from = 0, flow = 0;

	if (!conn)
		return;
	spin_lock_bh(&conn->lock);
	for (i = 0; i < UCP_SCCP_MAX_PARTIES && !m; i++) {
		struct ucp_sccp_party *p = &conn->parties[i];

		if (!p->id || !p->media)
			continue;
		for (j = 0; j < 2 * ARRAY_SIZE(p->rx.exp); j++) {
			bool rx = j < ARRAY_SIZE(p->rx.exp);
			struct ucp_sccp_stream_media *sm = rx ? &p->rx : &p->tx;
			unsigned int k = j % ARRAY_SIZE(p->rx.exp);

			if (k >= sm->nexp || sm->exp[k] != exp)
				continue;
			m = p->media;
			ucp_media_get(m);
			from = rx ? !p->phone : p->phone;
			flow = k ? UCP_MEDIA_FLOW_RTCP : UCP_MEDIA_FLOW_RTP;
			break;
		}
	}
	spin_unlock_bh(&conn->lock);
	if (m) {
		ucp_media_attach(ct, m, from, flow);
		ucp_media_put(m);
	}
}

/*
 * A media connection of an SCCP party has arrived: its NAT, then its
 * media session. Not the SIP expectfn: that one takes the master's
 * helper data for SIP's.
 */
static void ucp_sccp_media_expected(struct nf_conn *ct,
				    struct nf_conntrack_expect *exp)
{
	ucp_media_expected_nat(ct, exp);
	media_attach(ct, exp);
}

/* Without NAT only the media session is to be found. */
static void ucp_sccp_media_session_expected(struct nf_conn *ct,
					    struct nf_conntrack_expect *exp)
{
	media_attach(ct, exp);
}

/*
 * One expectation of UDP toward @dst:@port, whose connection is
 * translated to @saved:@saved_port (the real destination, toward
 * direction !@dir) when the master is NATed.
 */
static struct nf_conntrack_expect *
expect_new(const struct ucp_sip_map *map, const union nf_inet_addr *dst,
	   u16 port, const union nf_inet_addr *saved, u16 saved_port,
	   bool session)
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
	} else if (session) {
		exp->expectfn = ucp_sccp_media_session_expected;
	}
	/* Through ucp-media, and kept after a first use: as in SIP's. */
	if (session) {
		rcu_assign_pointer(exp->assign_helper,
				   ucp_media_helper(map->l3num));
		exp->flags |= NF_CT_EXPECT_PERMANENT;
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
		       struct ucp_sccp_party *p,
		       struct ucp_sccp_stream_media *sm,
		       const union nf_inet_addr *dst, u16 port,
		       const union nf_inet_addr *real, u16 real_port, bool pick)
{
	bool session = !!p->media;
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
		rtp = expect_new(map, dst, try, real, real_port, session);
		rtcp = rtp ? expect_new(map, dst, try + 1, real, real_port + 1,
					session) : NULL;
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
	port = expect_pair(map, p, &p->rx, nat ? &map->src_to : &real,
			   f->port, &real, f->port, nat);
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
	if (!expect_pair(map, p, &p->tx, &remote, f->port, &remote, f->port,
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

/* --- Media sessions and keys --------------------------------------- */

/* The suite ucproxy gives a secure phone when the call manager gave none. */
#define SCCP_MEDIA_DEFAULT_SUITE	UCP_SUITE_AES_CM_128_HMAC_SHA1_80

/*
 * The call manager's key info as a media key, when ucproxy can use it:
 * a suite it implements with the lengths of that suite, no MKI, KDR 0.
 */
static bool cm_key(const struct ucp_sccp_msg *m, struct ucp_media_key *out)
{
	const struct ucp_sccp_key *k = &m->key;
	unsigned int klen;

	if (!m->has_key || k->suite == UCP_SUITE_NONE ||
	    k->suite == UCP_SCCP_SUITE_UNKNOWN || k->mki_present || k->kdr)
		return false;
	klen = ucp_srtp_key_len(k->suite - 1);
	if (k->key_len != klen ||
	    klen + k->salt_len != ucp_sdp_suite_key_len(k->suite))
		return false;
	memset(out, 0, sizeof(*out));
	out->suite = k->suite;
	out->len = klen + k->salt_len;
	memcpy(out->key, k->key, klen);
	memcpy(out->key + klen, k->salt, k->salt_len);
	return true;
}

/* Write @key (NULL: no encryption) into the message's key info block. */
static void key_write(const struct ucp_sccp_msg *m, u8 *msg, size_t len,
		      const struct ucp_media_key *key)
{
	struct ucp_sccp_key k = {};
	unsigned int klen;

	if (key) {
		klen = ucp_srtp_key_len(key->suite - 1);
		k.algorithm = ucp_sccp_algorithm(key->suite);
		k.key_len = klen;
		k.salt_len = key->len - klen;
		memcpy(k.key, key->key, klen);
		memcpy(k.salt, key->key + klen, k.salt_len);
	}
	/* Cannot fail: the block is there, and SCCP suites fit in it. */
	WARN_ON_ONCE(ucp_sccp_write_key(m, msg, len, &k));
	memzero_explicit(&k, sizeof(k));
}

/*
 * The party's media session, decided at its first OpenReceiveChannel or
 * StartMediaTransmission (@m, toward the phone) by the table at the top
 * of this file. NULL: nothing to translate or count.
 */
static struct ucp_media *party_session(const struct ucp_sip_map *map,
				       struct ucp_sccp_conn *conn,
				       struct ucp_sccp_party *p,
				       const struct ucp_sccp_msg *m)
{
	struct net *net = nf_ct_net(map->ct);
	enum ip_conntrack_dir phone = !map->dir, far = map->dir;
	struct ucp_media_key key;
	bool cm_secure, term_far, term_phone;
	struct ucp_media *ms;

	if (p->media && READ_ONCE(p->media->state) == UCP_MEDIA_STATE_ENDED)
		session_end(p);
	if (p->decided)
		return p->media;
	p->decided = true;
	p->phone = phone;
	cm_secure = m->has_key && m->key.algorithm != UCP_SCCP_ALG_NONE;
	term_far = cm_key(m, &key) && ucp_media_side_secure(net, far);
	/* A phone is given keys in the block: without one it stays plain. */
	term_phone = m->has_key && (term_far || !cm_secure) &&
		     ucp_media_side_secure(net, phone);
	p->suite = term_far ? key.suite : SCCP_MEDIA_DEFAULT_SUITE;
	memzero_explicit(&key, sizeof(key));
	if (!term_far && !term_phone && !cm_secure)
		return NULL;		/* plain RTP both ways: nothing to do */

	ms = ucp_media_new(net, UCP_PROTO_SCCP, p - conn->parties);
	if (!ms) {
		ucp_stats_inc(&ucp_net(net)->stats, UCP_CTR_SCCP_NOMEM);
		return NULL;
	}
	ms->leg[far].secure = term_far;
	ms->leg[phone].secure = term_phone;
	if (ucp_media_commit(ms)) {
		/* Refused by the SRTP limit: the messages go on untouched. */
		ucp_media_end(ms);
		ucp_media_put(ms);
		return NULL;
	}
	p->media = ms;
	return ms;
}

/*
 * OpenReceiveChannel (what the phone receives with, which the far side
 * sends with) or StartMediaTransmission (what the phone sends with, which
 * the far side receives with): the keys of the party's session, and what
 * the phone is given. Returns 1 when the message's key info was written.
 */
static int media_keys(const struct ucp_sip_map *map,
		      struct ucp_sccp_conn *conn, struct ucp_sccp_party *p,
		      const struct ucp_sccp_msg *m, u8 *msg, size_t len)
{
	struct ucp_stats *stats = &ucp_net(nf_ct_net(map->ct))->stats;
	bool receive = m->id == UCP_SCCP_OPEN_RECEIVE_CHANNEL;
	struct ucp_media *ms = party_session(map, conn, p, m);
	enum ip_conntrack_dir phone, far;
	struct ucp_media_key key;

	if (!ms)
		return 0;
	if (ucp_media_mode(ms) == UCP_MEDIA_PASSTHROUGH) {
		/* Counted only: active once the phone also transmits. */
		if (!receive)
			ucp_media_activate(ms);
		return 0;
	}
	phone = p->phone;
	far = !phone;
	if (!m->has_key) {
		/* The phone's key cannot be given (or taken): no translation. */
		ucp_stats_inc(stats, UCP_CTR_MEDIA_KEY_FAILED);
		session_end(p);
		p->decided = true;
		return 0;
	}
	if (ms->leg[far].secure) {
		if (!cm_key(m, &key))
			ucp_stats_inc(stats, UCP_CTR_MEDIA_KEY_FAILED);
		else if (receive)
			ucp_media_set_rx_key(ms, far, &key);
		else
			ucp_media_set_tx_key(ms, far, &key);
		memzero_explicit(&key, sizeof(key));
	}
	if (ms->leg[phone].secure) {
		if (receive)
			ucp_media_tx_key(ms, phone, p->suite, &key);
		else
			ucp_media_rx_key(ms, phone, p->suite, &key);
		key_write(m, msg, len, &key);
		memzero_explicit(&key, sizeof(key));
	} else {
		key_write(m, msg, len, NULL);
	}
	if (ucp_media_keys_complete(ms))
		ucp_media_activate(ms);
	else
		ucp_media_prepare(ms);
	return 1;
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
	int keys = 0, n;

	switch (m->id) {
	case UCP_SCCP_OPEN_RECEIVE_CHANNEL:
		p = party_find(conn, m->party_id, true);
		if (p) {
			note_key(&p->rx, m);
			keys = media_keys(map, conn, p, m, msg, len);
		}
		break;
	case UCP_SCCP_OPEN_RECEIVE_CHANNEL_ACK:
		p = party_find(conn, m->party_id, true);
		if (p && !m->status && m->nfields &&
		    m->f[0].addr.family == (map->l3num == NFPROTO_IPV4 ? 4 : 6)) {
			c.party = p;
			c.rx_port = expect_receive(map, p, &m->f[0], stats);
			if (p->media)
				ucp_media_flows_settled(p->media);
		}
		break;
	case UCP_SCCP_START_MEDIA_TRANSMISSION:
		p = party_find(conn, m->party_id, true);
		if (p && m->nfields &&
		    m->f[0].addr.family == (map->l3num == NFPROTO_IPV4 ? 4 : 6)) {
			note_key(&p->tx, m);
			keys = media_keys(map, conn, p, m, msg, len);
			expect_transmit(map, p, &m->f[0], stats);
			if (p->media)
				ucp_media_flows_settled(p->media);
		}
		break;
	case UCP_SCCP_START_MEDIA_TRANSMISSION_ACK:
		c.party = party_find(conn, m->party_id, false);
		break;
	case UCP_SCCP_STOP_MEDIA_TRANSMISSION:
		p = party_find(conn, m->party_id, false);
		if (p)
			media_release(p, &p->tx, stats);
		break;
	case UCP_SCCP_CLOSE_RECEIVE_CHANNEL:
		p = party_find(conn, m->party_id, false);
		if (p)
			media_release(p, &p->rx, stats);
		break;
	}
	n = ucp_sccp_rewrite(m, msg, len, map_field, &c);
	return n < 0 ? n : n + keys;
}
