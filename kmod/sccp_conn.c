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

static const struct nf_conntrack_expect_policy sccp_policy = {
	.name		= "media",
	/* RTP and RTCP of both directions of every party. */
	.max_expected	= 2 * 2 * UCP_SCCP_MAX_PARTIES,
	.timeout	= 3 * 60,
};

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
	struct ucp_sccp_conn *conn = container_of(c, struct ucp_sccp_conn, base);
	unsigned int i;

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
	struct ucp_sccp_conn *conn = container_of(c, struct ucp_sccp_conn, base);
	struct ucp_media *m = NULL;
	unsigned int i, k;

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
	return m;
}

/* The protocol's descriptor; sccp_helper.c registers it with its kinds. */
struct ucp_helper ucp_sccp_helper = UCP_HELPER(SCCP, sccp, &sccp_policy, 0, 1024);

UCP_HELPER_MODULE_INFO(SCCP, sccp, "SCCP");
