// SPDX-License-Identifier: GPL-2.0
/*
 * The state of one SIP signalling connection (struct ucp_sip_conn), kept
 * by the helper skeleton in help->data: the calls whose media we expect,
 * with the expectations and media sessions each holds, and the bytes of
 * TCP messages being reassembled.
 *
 * A call is found by the hash of its Call-ID. The slots are few
 * (UCP_SIP_MAX_CALLS): a new call takes a free one or evicts the least
 * recently used, whose expectations then stay until they time out. A
 * call with media sessions always takes its expectations along when it
 * ends: a flow of a translated stream must not start without its session.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/netfilter/nf_conntrack_expect.h>

#include "media.h"
#include "sip.h"
#include "ucproxy.h"

static const struct nf_conntrack_expect_policy sip_policy[__UCP_SIP_CLASS_MAX] = {
	[UCP_SIP_CLASS_SIGNALLING] = {
		.name		= "signalling",
		.max_expected	= 16,
		.timeout	= 3 * 60,
	},
	[UCP_SIP_CLASS_AUDIO] = {
		.name		= "audio",
		.max_expected	= 2 * 2 * UCP_SIP_MAX_CALLS,
		.timeout	= 3 * 60,
	},
	[UCP_SIP_CLASS_VIDEO] = {
		.name		= "video",
		.max_expected	= 2 * 2 * UCP_SIP_MAX_CALLS,
		.timeout	= 3 * 60,
	},
	[UCP_SIP_CLASS_IMAGE] = {
		.name		= "image",
		.max_expected	= 2 * UCP_SIP_MAX_CALLS,
		.timeout	= 3 * 60,
	},
};

/* --- Calls ---------------------------------------------------------- */

/*
 * Forget a call: its media sessions end, and its expectations go with it
 * when @unexpect (always when it had sessions).
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
	ucp_nat_expect_drop(call->exp, call->nexp, unexpect);
	memset(call, 0, sizeof(*call));
}

static void sip_conn_release(struct ucp_helper_conn *c)
{
	struct ucp_sip_conn *conn = container_of(c, struct ucp_sip_conn, base);
	unsigned int i;

	for (i = 0; i < UCP_SIP_MAX_CALLS; i++)
		if (conn->calls[i].id)
			call_drop(&conn->calls[i], false);
}

/**
 * ucp_sip_call_find() - a call's slot
 * @conn: the connection, its lock held
 * @id: the call's Call-ID hash (never 0)
 * @create: take a slot when the call has none (the least recently used)
 *
 * Return: the slot, or NULL when the call has none and @create is false.
 */
struct ucp_sip_call *ucp_sip_call_find(struct ucp_sip_conn *conn, u32 id,
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

/**
 * ucp_sip_call_release() - a call ended: its sessions and expectations go
 * @conn: the connection
 * @stats: counters of its namespace
 * @id: the call's Call-ID hash
 */
void ucp_sip_call_release(struct ucp_sip_conn *conn, struct ucp_stats *stats,
			  u32 id)
{
	struct ucp_sip_call *call;

	spin_lock_bh(&conn->base.lock);
	call = ucp_sip_call_find(conn, id, false);
	if (call) {
		ucp_stats_add(stats, UCP_CTR_SIP_EXPECT_RELEASED, call->nexp);
		call_drop(call, true);
	}
	spin_unlock_bh(&conn->base.lock);
}

/**
 * ucp_sip_call_keep() - keep an expectation with its call
 * @conn: the connection; NULL (no memory for state): the reference is
 *	dropped, and the expectation lives until it times out
 * @id: the call's Call-ID hash
 * @exp: our reference, which the call now owns
 * @info: which stream and flow its connections belong to
 *
 * So that the call's end removes it, and its connections find their
 * media session.
 */
void ucp_sip_call_keep(struct ucp_sip_conn *conn, u32 id,
		       struct nf_conntrack_expect *exp,
		       const struct ucp_sip_exp_info *info)
{
	struct ucp_sip_call *call;
	unsigned int n;

	if (!conn) {
		nf_ct_expect_put(exp);
		return;
	}
	spin_lock_bh(&conn->base.lock);
	call = ucp_sip_call_find(conn, id, true);
	call->used = jiffies;
	if (call->nexp < UCP_SIP_CALL_MAX_EXP) {
		n = call->nexp++;
		call->exp[n] = exp;
		call->exp_stream[n] = info->stream;
		call->exp_flow[n] = info->flow;
		call->exp_from[n] = info->from;
		call->exp_nat[n] = info->nat;
	} else {
		nf_ct_expect_put(exp);	/* it still expires on its own */
	}
	spin_unlock_bh(&conn->base.lock);
}

/**
 * ucp_sip_call_nat_source() - where a stream's NATed side sends from
 * @conn: the connection
 * @id: the call's Call-ID hash
 * @stream: the stream's index in the SDP
 * @from: the side the other party's media comes from, as kept with the
 *	expectation of the router's pair
 * @src: set to the real address of the NATed party's stream
 *
 * The other side of a stream whose NATed party the router announced a
 * pair for sends to the stream's own address; expecting that flow from
 * the NATed party's address only lets two such calls to one address
 * (two inside phones, one media server port) both be expected.
 *
 * Return: true when the call has such a pair for the stream.
 */
bool ucp_sip_call_nat_source(struct ucp_sip_conn *conn, u32 id,
			     unsigned int stream, u8 from,
			     union nf_inet_addr *src)
{
	struct ucp_sip_call *call;
	bool found = false;
	unsigned int i;

	if (!conn)
		return false;
	spin_lock_bh(&conn->base.lock);
	call = ucp_sip_call_find(conn, id, false);
	for (i = 0; call && i < call->nexp && !found; i++) {
		if (call->exp_stream[i] != stream || !call->exp_nat[i] ||
		    call->exp_from[i] != from)
			continue;
		*src = call->exp[i]->saved_addr;
		found = true;
	}
	spin_unlock_bh(&conn->base.lock);
	return found;
}

/*
 * A connection of @exp has arrived: its stream's media session, found
 * through the call that holds @exp.
 */
static struct ucp_media *sip_media_find(struct ucp_helper_conn *c,
					const struct nf_conntrack_expect *exp,
					u8 *from, u8 *flow)
{
	struct ucp_sip_conn *conn = container_of(c, struct ucp_sip_conn, base);
	struct ucp_media *m = NULL;
	unsigned int i, j;

	for (i = 0; i < UCP_SIP_MAX_CALLS; i++) {
		struct ucp_sip_call *call = &conn->calls[i];

		for (j = 0; j < call->nexp; j++)
			if (call->exp[j] == exp)
				break;
		if (j == call->nexp)
			continue;
		m = call->media[call->exp_stream[j]];
		*flow = call->exp_flow[j];
		*from = call->exp_from[j];
		if (m)
			ucp_media_get(m);
		break;
	}
	return m;
}

/* The protocol's descriptor; sip_helper.c registers it with its kinds. */
struct ucp_helper ucp_sip_helper = UCP_HELPER(SIP, sip, sip_policy, __UCP_SIP_CLASS_MAX - 1, 4096);

UCP_HELPER_MODULE_INFO(SIP, sip, "SIP");
