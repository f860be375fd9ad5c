// SPDX-License-Identifier: GPL-2.0
/*
 * The state of one SCCP signalling connection (struct ucp_sccp_conn),
 * kept by the helper skeleton in help->data: the pass-through parties
 * whose media we expect, with each direction's expectations and the
 * party's media session, and the bytes of messages being reassembled.
 *
 * A party is found by its passThruPartyId. The slots are few
 * (UCP_SCCP_MAX_PARTIES): a new party takes a free one or evicts the
 * least recently used, whose expectations then stay until they time out.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/netfilter/nf_conntrack_expect.h>

#include "media.h"
#include "sccp.h"
#include "ucproxy.h"

static void sccp_conn_init(struct ucp_helper_conn *c);
static void sccp_conn_release(struct ucp_helper_conn *c);
static struct ucp_media *sccp_media_find(struct ucp_helper_conn *c,
					 const struct nf_conntrack_expect *exp,
					 u8 *from, u8 *flow);

static bool sccp_pass_malformed;
module_param_named(sccp_pass_malformed, sccp_pass_malformed, bool, 0644);
MODULE_PARM_DESC(sccp_pass_malformed,
		 "Pass malformed SCCP messages unmodified instead of dropping them (default: drop)");

static unsigned int sccp_reassembly_kb = 1024;
module_param_named(sccp_reassembly_kb, sccp_reassembly_kb, uint, 0644);
MODULE_PARM_DESC(sccp_reassembly_kb,
		 "Memory for SCCP messages split across TCP segments, all connections (KiB)");

static const struct nf_conntrack_expect_policy sccp_policy = {
	.name		= "media",
	/* RTP and RTCP of both directions of every party. */
	.max_expected	= 2 * 2 * UCP_SCCP_MAX_PARTIES,
	.timeout	= 3 * 60,
};

/* The protocol's descriptor; sccp_helper.c registers it with its kinds. */
struct ucp_helper ucp_sccp_helper = {
	.name		= UCP_SCCP_HELPER_NAME,
	.tls_name	= UCP_SCCP_TLS_HELPER_NAME,
	.policy		= &sccp_policy,
	.class_max	= 0,
	.conn_size	= sizeof(struct ucp_sccp_conn),
	.conn_init	= sccp_conn_init,
	.conn_release	= sccp_conn_release,
	.media_find	= sccp_media_find,
	.pass_malformed	= &sccp_pass_malformed,
	.reassembly_kb	= &sccp_reassembly_kb,
	.max_msg	= UCP_SCCP_MAX_MSG,
	.ctrs = {
		.dropped		= UCP_CTR_SCCP_DROPPED,
		.malformed_passed	= UCP_CTR_SCCP_MALFORMED_PASSED,
		.nomem			= UCP_CTR_SCCP_NOMEM,
		.reassembly_full	= UCP_CTR_SCCP_REASSEMBLY_FULL,
		.reason_ctr		= UCP_CTR_SCCP_BAD_TOO_LARGE,
		.reason_min		= UCP_SCCP_E_TOO_LARGE,
		.reason_count		= UCP_SCCP_REASON_COUNT,
	},
};

/* The core's reasons and their counters run in the same order. */
static_assert(UCP_CTR_SCCP_BAD_FAMILY - UCP_CTR_SCCP_BAD_TOO_LARGE ==
	      UCP_SCCP_E_FAMILY - UCP_SCCP_E_TOO_LARGE);

static struct ucp_sccp_conn *sccp_conn(struct ucp_helper_conn *c)
{
	return container_of(c, struct ucp_sccp_conn, base);
}

/**
 * ucp_sccp_conn_get() - the SCCP state of a connection
 * @ct: a connection helped by ucp-sccp or ucp-sccp-tls
 * @gfp: allocation flags for a state not there yet; 0: only look
 *
 * Return: the state, or NULL.
 */
struct ucp_sccp_conn *ucp_sccp_conn_get(struct nf_conn *ct, gfp_t gfp)
{
	struct ucp_helper_conn *c = ucp_helper_conn_get(&ucp_sccp_helper, ct,
							gfp);

	return c ? sccp_conn(c) : NULL;
}

static void sccp_conn_init(struct ucp_helper_conn *c)
{
	spin_lock_init(&sccp_conn(c)->lock);
}

/**
 * ucp_sccp_stream_buf() - the reassembly buffer of a stream
 * @st: one direction of a connection's TCP stream
 *
 * Return: UCP_SCCP_MAX_MSG bytes within the budget of all connections, or
 * NULL.
 */
u8 *ucp_sccp_stream_buf(struct ucp_sccp_stream *st)
{
	return ucp_helper_buf_get(&ucp_sccp_helper, (void **)&st->held);
}

static void stream_free(struct ucp_sccp_stream *st)
{
	ucp_helper_buf_free(&ucp_sccp_helper, (void **)&st->held);
	memset(st, 0, sizeof(*st));
}

/* --- Parties -------------------------------------------------------- */

/**
 * ucp_sccp_stream_media_drop() - a direction's stream is over
 * @sm: its expectations, let go of; its key mark cleared
 * @unexpect: also withdraw them (else they stay until they time out)
 */
void ucp_sccp_stream_media_drop(struct ucp_sccp_stream_media *sm,
				bool unexpect)
{
	ucp_nat_expect_drop(sm->exp, sm->nexp, unexpect);
	sm->nexp = 0;
	sm->has_key = 0;
}

/**
 * ucp_sccp_party_session_end() - the party's media session ends
 * @p: the party; its flows go, nothing is translated any more, and its
 *	next media message decides a session again
 */
void ucp_sccp_party_session_end(struct ucp_sccp_party *p)
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
	ucp_sccp_stream_media_drop(&p->rx, unexpect);
	ucp_sccp_stream_media_drop(&p->tx, unexpect);
	ucp_sccp_party_session_end(p);
	memset(p, 0, sizeof(*p));
}

/**
 * ucp_sccp_party_find() - a party's slot
 * @conn: the connection, its lock held; NULL: none
 * @id: the passThruPartyId; 0: none
 * @create: take a slot when the party has none (the least recently used)
 *
 * Return: the slot, or NULL.
 */
struct ucp_sccp_party *ucp_sccp_party_find(struct ucp_sccp_conn *conn, u32 id,
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

static void sccp_conn_release(struct ucp_helper_conn *c)
{
	struct ucp_sccp_conn *conn = sccp_conn(c);
	unsigned int i;

	stream_free(&conn->stream[IP_CT_DIR_ORIGINAL]);
	stream_free(&conn->stream[IP_CT_DIR_REPLY]);
	for (i = 0; i < UCP_SCCP_MAX_PARTIES; i++)
		if (conn->parties[i].id)
			party_drop(&conn->parties[i], false);
}

/*
 * A connection of @exp has arrived: its party's media session. A receive
 * expectation's connections come from the far side, a transmit one's
 * from the phone; the first of a pair is RTP, the second RTCP.
 */
static struct ucp_media *sccp_media_find(struct ucp_helper_conn *c,
					 const struct nf_conntrack_expect *exp,
					 u8 *from, u8 *flow)
{
	struct ucp_sccp_conn *conn = sccp_conn(c);
	struct ucp_media *m = NULL;
	unsigned int i, k;

	spin_lock_bh(&conn->lock);
	for (i = 0; i < UCP_SCCP_MAX_PARTIES && !m; i++) {
		struct ucp_sccp_party *p = &conn->parties[i];

		if (!p->id || !p->media)
			continue;
		for (k = 0; k < 2 * ARRAY_SIZE(p->rx.exp); k++) {
			bool rx = k < ARRAY_SIZE(p->rx.exp);
			struct ucp_sccp_stream_media *sm = rx ? &p->rx : &p->tx;
			unsigned int j = k % ARRAY_SIZE(p->rx.exp);

			if (j >= sm->nexp || sm->exp[j] != exp)
				continue;
			m = p->media;
			ucp_media_get(m);
			*from = rx ? !p->phone : p->phone;
			*flow = j ? UCP_MEDIA_FLOW_RTCP : UCP_MEDIA_FLOW_RTP;
			break;
		}
	}
	spin_unlock_bh(&conn->lock);
	return m;
}
