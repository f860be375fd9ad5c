// SPDX-License-Identifier: GPL-2.0
/*
 * What one SCCP message means for its signalling connection: which
 * embedded addresses and ports NAT changes, which media flows to expect
 * and which to forget, and the keys that belong to them.
 *
 * Addresses follow the connection's tuples (nat.c): an address equal to
 * the sender's own becomes what the receiver sees of the sender, one equal
 * to the address the sender sent to becomes the receiver's own. SCCP
 * fields are fixed width, so a rewrite never changes a length: no
 * sequence adjustment is needed.
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
 *             the router announced for it (nat.c).
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
 * session, with the call manager's key in the place of an SDP offer:
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

#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_expect.h>

#include "sccp.h"
#include "ucproxy.h"

/* --- Parties -------------------------------------------------------- */

/* Stop or Close: the stream ends; with both ways closed, its session. */
static void media_release(struct ucp_sccp_party *p,
			  struct ucp_sccp_stream_media *sm,
			  struct ucp_stats *stats)
{
	ucp_stats_add(stats, UCP_CTR_SCCP_EXPECT_RELEASED, sm->nexp);
	ucp_sccp_stream_media_drop(sm, true);
	if (!p->rx.nexp && !p->tx.nexp)
		ucp_sccp_party_session_end(p);
}

/* The stream is announced again: new expectations, the key it came with. */
static void exp_release(struct ucp_sccp_stream_media *sm,
			struct ucp_stats *stats)
{
	ucp_stats_add(stats, UCP_CTR_SCCP_EXPECT_RELEASED, sm->nexp);
	ucp_nat_expect_drop(sm->exp, sm->nexp, true);
	sm->nexp = 0;
}

/* Whether the stream came with a key (counted when it is expected). */
static void note_key(struct ucp_sccp_stream_media *sm,
		     const struct ucp_sccp_msg *m)
{
	sm->has_key = m->has_key && m->key.algorithm != UCP_SCCP_ALG_NONE;
}

/* --- Expectations --------------------------------------------------- */

/*
 * Expect RTP at @dst:@port and RTCP at the port above, translated to
 * @real:@real_port (and + 1). With @pick, @port is only the first choice
 * (nat.c). The references go to @sm. Returns the RTP port expected, or 0.
 */
static u16 expect_pair(const struct ucp_nat_map *map,
		       struct ucp_sccp_party *p,
		       struct ucp_sccp_stream_media *sm,
		       const union nf_inet_addr *dst, u16 port,
		       const union nf_inet_addr *real, u16 real_port, bool pick)
{
	struct ucp_nat_stream s = {
		.class = NF_CT_EXPECT_CLASS_DEFAULT,
		.dst = dst,
		.rtcp_dst = dst,
		.real = real,
		.rtcp_real = real,
		.port = port,
		.rtcp_port = port + 1,
		.real_port = real_port,
		.rtcp_real_port = real_port + 1,
		.pick = pick,
		.session = !!p->media,
	};
	struct ucp_nat_expected e;

	if (!real_port || real_port == 0xffff)
		return 0;
	if (ucp_nat_expect_stream(map, &s, &e))
		return 0;
	sm->exp[0] = e.exp[0];
	sm->exp[1] = e.exp[1];
	sm->nexp = e.nexp;
	return e.port;
}

/* The phone announces where it receives: expect it there, or at the router. */
static u16 expect_receive(const struct ucp_nat_map *map,
			  struct ucp_sccp_party *p,
			  const struct ucp_sccp_field *f, struct ucp_stats *stats)
{
	union nf_inet_addr real;
	bool nat = ucp_nat_sender_nated(map, &f->addr);
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
static void expect_transmit(const struct ucp_nat_map *map,
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
	klen = ucp_srtp_key_len(ucp_srtp_profile_of(k->suite));
	if (k->key_len != klen ||
	    k->salt_len != ucp_srtp_salt_len(ucp_srtp_profile_of(k->suite)))
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
		klen = ucp_srtp_key_len(ucp_srtp_profile_of(key->suite));
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
static struct ucp_media *party_session(const struct ucp_nat_map *map,
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
		ucp_sccp_party_session_end(p);
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
static int media_keys(const struct ucp_nat_map *map,
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
		ucp_sccp_party_session_end(p);
		p->decided = true;
		return 0;
	}
	if (ms->leg[far].secure) {
		if (!cm_key(m, &key))
			ucp_stats_inc(stats, UCP_CTR_MEDIA_KEY_FAILED);
		else if (receive)
			ucp_media_learn_rx_key(ms, far, &key);
		else
			ucp_media_learn_tx_key(ms, far, &key);
		memzero_explicit(&key, sizeof(key));
	}
	if (ms->leg[phone].secure) {
		if (receive)
			ucp_media_make_tx_key(ms, phone, p->suite, &key);
		else
			ucp_media_make_rx_key(ms, phone, p->suite, &key);
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
	const struct ucp_nat_map *map;
	struct ucp_sccp_party *party;
	u16 rx_port;		/* OpenReceiveChannelAck: the port announced */
};

/* The callback of ucp_sccp_rewrite(): see the top of this file. */
static bool map_field(void *data, const struct ucp_sccp_msg *m,
		      const struct ucp_sccp_field *f,
		      struct ucp_sccp_addr *addr, u16 *port)
{
	const struct nat_ctx *c = data;
	const struct ucp_nat_map *map = c->map;
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

/**
 * ucp_sccp_nat_message() - act on one parsed message
 * @map: how its addresses change
 * @conn: the connection's state, its lock held; NULL (no memory): the
 *	fields are rewritten, nothing is expected
 * @m: the parsed message
 * @msg: its bytes, rewritten in place
 * @len: their length
 *
 * Return: the number of fields changed, or minus a reason of the core.
 */
int ucp_sccp_nat_message(const struct ucp_nat_map *map,
			 struct ucp_sccp_conn *conn,
			 const struct ucp_sccp_msg *m, u8 *msg, size_t len)
{
	struct ucp_stats *stats = &ucp_net(nf_ct_net(map->ct))->stats;
	struct nat_ctx c = { .map = map };
	struct ucp_sccp_party *p;
	int keys = 0, n;

	switch (m->id) {
	case UCP_SCCP_OPEN_RECEIVE_CHANNEL:
		p = ucp_sccp_party_find(conn, m->party_id, true);
		if (p) {
			note_key(&p->rx, m);
			keys = media_keys(map, conn, p, m, msg, len);
		}
		break;
	case UCP_SCCP_OPEN_RECEIVE_CHANNEL_ACK:
		p = ucp_sccp_party_find(conn, m->party_id, true);
		if (p && !m->status && m->nfields &&
		    m->f[0].addr.family == ucp_nat_family(map)) {
			c.party = p;
			c.rx_port = expect_receive(map, p, &m->f[0], stats);
			if (p->media)
				ucp_media_flows_settled(p->media);
		}
		break;
	case UCP_SCCP_START_MEDIA_TRANSMISSION:
		p = ucp_sccp_party_find(conn, m->party_id, true);
		if (p && m->nfields &&
		    m->f[0].addr.family == ucp_nat_family(map)) {
			note_key(&p->tx, m);
			keys = media_keys(map, conn, p, m, msg, len);
			expect_transmit(map, p, &m->f[0], stats);
			if (p->media)
				ucp_media_flows_settled(p->media);
		}
		break;
	case UCP_SCCP_START_MEDIA_TRANSMISSION_ACK:
		c.party = ucp_sccp_party_find(conn, m->party_id, false);
		break;
	case UCP_SCCP_STOP_MEDIA_TRANSMISSION:
		p = ucp_sccp_party_find(conn, m->party_id, false);
		if (p)
			media_release(p, &p->tx, stats);
		break;
	case UCP_SCCP_CLOSE_RECEIVE_CHANNEL:
		p = ucp_sccp_party_find(conn, m->party_id, false);
		if (p)
			media_release(p, &p->rx, stats);
		break;
	}
	n = ucp_sccp_rewrite(m, msg, len, map_field, &c);
	return n < 0 ? n : n + keys;
}
