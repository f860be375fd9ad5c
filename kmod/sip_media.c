// SPDX-License-Identifier: GPL-2.0
/*
 * What the SDP of one SIP message means for the media sessions of its
 * call: for each RTP stream, whether ucproxy terminates SRTP on each side,
 * the keys it learns and the keys it gives, and the SDP edits that follow
 * (the proto, and a=crypto lines removed, replaced or added).
 *
 * The decision is made once per stream, at its first offer, from the
 * namespace's media policy and what the offer carries:
 *
 *   offerer's stream      offerer's side   answerer's side   session
 *   SRTP, usable key      secure           secure            SRTP<->SRTP
 *   SRTP, usable key      secure           plain             SRTP<->RTP
 *   SRTP                  plain            either            passthrough
 *   RTP                   either           secure            RTP<->SRTP
 *   RTP                   either           plain             none
 *
 * "Secure" is the policy's word for a side (ucp_media_side_secure). A key
 * is usable when its suite is one ucproxy implements, without MKI longer
 * than 4 bytes, KDR 0 and no UNENCRYPTED/UNAUTHENTICATED parameter.
 *
 * In SDES (RFC 4568) each side's a=crypto carries the key it sends with.
 * A terminated side's own key is therefore what ucproxy unprotects its
 * packets with; the line ucproxy writes toward it carries the key ucproxy
 * protects packets to it with, under the tag of that side's offer in an
 * answer, and under tag 1 in an offer.
 */
#include <net/netfilter/nf_conntrack.h>

#include "media.h"
#include "sip.h"
#include "ucproxy.h"

/* The suite ucproxy offers a side when the other side sends plain RTP. */
#define SIP_MEDIA_DEFAULT_SUITE	UCP_SUITE_AES_CM_128_HMAC_SHA1_80
/* The tag of the line ucproxy offers. */
#define SIP_MEDIA_OFFER_TAG	1

static const struct ucp_sdp_crypto *usable_crypto(const struct ucp_sdp_media *md,
						  u32 want_tag)
{
	const struct ucp_sdp_crypto *first = NULL;
	unsigned int i;

	for (i = 0; i < md->ncrypto; i++) {
		const struct ucp_sdp_crypto *cr = &md->crypto[i];

		if (cr->suite == UCP_SUITE_UNKNOWN || !cr->key_len ||
		    cr->kdr || cr->unencrypted_srtp || cr->unencrypted_srtcp ||
		    cr->unauthenticated_srtp ||
		    cr->key_len != ucp_sdp_suite_key_len(cr->suite))
			continue;
		if (cr->tag == want_tag)
			return cr;
		if (!first)
			first = cr;
	}
	return first;
}

static_assert(sizeof_field(struct ucp_media_key, key) >=
	      sizeof_field(struct ucp_sdp_crypto, key));

static void crypto_key(struct ucp_media_key *k, const struct ucp_sdp_crypto *cr)
{
	memset(k, 0, sizeof(*k));
	k->suite = cr->suite;
	k->len = cr->key_len;
	k->mki_len = cr->mki_len;
	k->mki = cr->mki;
	memcpy(k->key, cr->key, cr->key_len);
}

/* A new session for stream @i of an offer from @from, or NULL for none. */
static struct ucp_media *offer_session(const struct ucp_nat_map *map,
				       const struct ucp_sdp_media *md,
				       const struct ucp_sdp_crypto *cr,
				       unsigned int i)
{
	struct net *net = nf_ct_net(map->ct);
	enum ip_conntrack_dir x = map->dir, y = !map->dir;
	/* Translation needs its SDP edits: none on a message that cannot grow. */
	bool term_x = map->rewritable && cr && ucp_media_side_secure(net, x);
	bool term_y = map->rewritable && (term_x || !md->secure) &&
		      ucp_media_side_secure(net, y);
	struct ucp_media_key key;
	struct ucp_media *m;

	if (!term_x && !term_y && !md->secure)
		return NULL;		/* plain RTP both ways: nothing to do */
	m = ucp_media_new(net, UCP_PROTO_SIP, i);
	if (!m) {
		ucp_stats_inc(&ucp_net(net)->stats, UCP_CTR_SIP_NOMEM);
		return NULL;
	}
	m->leg[x].secure = term_x;
	m->leg[y].secure = term_y;
	if (term_x) {
		m->leg[x].tag = cr->tag;
		crypto_key(&key, cr);
		ucp_media_learn_rx_key(m, x, &key);
		/*
		 * Ours toward it now, in its suite: its context is then built
		 * before the answer, which it goes into, comes.
		 */
		ucp_media_make_tx_key(m, x, cr->suite, &key);
		memzero_explicit(&key, sizeof(key));
	}
	if (ucp_media_commit(m)) {
		/* Refused by the SRTP limit: the offer goes on untouched. */
		ucp_media_end(m);
		ucp_media_put(m);
		return NULL;
	}
	return m;
}

/*
 * The edits toward the receiver (side !map->dir) of stream @i: its proto
 * and a=crypto lines as its leg of @m says.
 */
static void stream_edits(const struct ucp_nat_map *map, struct ucp_media *m,
			 struct ucp_sip_work *w, unsigned int i, bool answer,
			 const struct ucp_sdp_crypto *cr, bool *rewrite)
{
	const struct ucp_sip_msg *msg = &w->msg;
	const struct ucp_sdp_media *md = &msg->sdp.media[i];
	enum ip_conntrack_dir x = map->dir, y = !map->dir;
	bool secure_y = m->leg[y].secure, line_done = false;
	char *line = w->lines[i];
	struct ucp_media_key key;
	unsigned int n = 0, t;
	u32 tag;
	u8 suite;

	if (!secure_y && !m->leg[x].secure)
		return;			/* passthrough: as it came */
	if (secure_y) {
		if (answer) {
			/* Y offered: answer in its suite, under its tag. */
			spin_lock_bh(&m->lock);
			suite = m->leg[y].rx.key.suite;
			spin_unlock_bh(&m->lock);
			tag = m->leg[y].tag;
		} else {
			suite = cr ? cr->suite : SIP_MEDIA_DEFAULT_SUITE;
			tag = SIP_MEDIA_OFFER_TAG;
		}
		ucp_media_make_tx_key(m, y, suite, &key);
	}

	for (t = 0; t < msg->ntokens; t++) {
		const struct ucp_sip_token *tok = &msg->tok[t];
		struct ucp_sip_subst *s = &w->subst[t];

		if (tok->media != i)
			continue;
		switch (tok->kind) {
		case UCP_TOK_SDP_PROTO:
			if (md->secure == secure_y)
				continue;
			s->text = ucp_sdp_proto_name(secure_y, md->feedback);
			s->text_len = strlen(s->text);
			break;
		case UCP_TOK_SDP_CRYPTO:
		case UCP_TOK_SDP_MEDIA_END:
			/* The first crypto line becomes ours, the others go. */
			if (tok->kind == UCP_TOK_SDP_MEDIA_END &&
			    (line_done || !secure_y))
				continue;
			s->text = "";
			s->text_len = 0;
			if (secure_y && !line_done) {
				n = ucp_sdp_crypto_line(line, tag, suite,
							key.key, tok->flags);
				s->text = line;
				s->text_len = n;
				line_done = true;
				w->keys = true;
			}
			break;
		default:
			continue;
		}
		s->set = 1;
		*rewrite = true;
	}
	if (secure_y)
		memzero_explicit(&key, sizeof(key));
}

/**
 * ucp_sip_media_stream() - the media session of one SDP stream
 * @map: how the message's addresses change
 * @call: the message's call, under its connection's lock
 * @w: the parsed message; its substitutions and a=crypto lines are set
 * @i: the stream's index
 * @rewrite: set when the stream's proto or crypto lines change
 *
 * Created at the stream's first offer as the namespace's media policy
 * says, given the keys of an answer or a re-offer, ended when an answer
 * refuses the stream.
 *
 * Return: the session (the call's reference), or NULL when the stream has
 * none.
 */
struct ucp_media *ucp_sip_media_stream(const struct ucp_nat_map *map,
				       struct ucp_sip_call *call,
				       struct ucp_sip_work *w, unsigned int i,
				       bool *rewrite)
{
	const struct ucp_sdp_media *md = &w->msg.sdp.media[i];
	enum ip_conntrack_dir x = map->dir, y = !map->dir;
	const struct ucp_sdp_crypto *cr;
	struct ucp_media *m = call->media[i];
	struct ucp_media_key key;
	bool answer;

	if (m && READ_ONCE(m->state) == UCP_MEDIA_STATE_ENDED) {
		ucp_media_put(m);
		call->media[i] = NULL;
		m = NULL;
	}
	if (m && !map->rewritable &&
	    ucp_media_mode(m) != UCP_MEDIA_PASSTHROUGH) {
		/* Its edits cannot be made: the call cannot be translated. */
		ucp_stats_inc(&ucp_net(nf_ct_net(map->ct))->stats,
			      UCP_CTR_MEDIA_KEY_FAILED);
		ucp_media_end(m);
		ucp_media_put(m);
		call->media[i] = NULL;
		return NULL;
	}
	answer = m && m->awaiting_answer && m->offerer == y;
	if (!md->rtp || !md->port) {
		/* A stream refused in the answer (port 0) has no media. */
		if (m && answer && !md->port) {
			ucp_media_end(m);
			ucp_media_put(m);
			call->media[i] = NULL;
		}
		return NULL;
	}
	cr = usable_crypto(md, answer ? SIP_MEDIA_OFFER_TAG : 0);

	if (!m) {
		m = offer_session(map, md, cr, i);
		if (!m)
			return NULL;
		call->media[i] = m;
	} else if (m->leg[x].secure && cr) {
		/* A re-offer, or the answer: what this side sends with now. */
		if (!answer)
			m->leg[x].tag = cr->tag;
		crypto_key(&key, cr);
		ucp_media_learn_rx_key(m, x, &key);
		memzero_explicit(&key, sizeof(key));
	} else if (m->leg[x].secure && answer) {
		/* Offered SRTP, answered without a key we can use. */
		ucp_stats_inc(&ucp_net(nf_ct_net(map->ct))->stats,
			      UCP_CTR_MEDIA_KEY_FAILED);
	}
	m->awaiting_answer = !answer;
	m->offerer = x;

	stream_edits(map, m, w, i, answer, cr, rewrite);
	if ((answer || READ_ONCE(m->state) == UCP_MEDIA_STATE_ACTIVE) &&
	    ucp_media_keys_complete(m))
		ucp_media_activate(m);	/* the answer, or a re-offer's key */
	else
		ucp_media_prepare(m);
	return m;
}

/**
 * ucp_sip_media_wipe() - wipe ucproxy's keys from the scratch space
 * @w: the scratch space, once its output is sent
 * @out_len: bytes of output written, which may hold keys
 */
void ucp_sip_media_wipe(struct ucp_sip_work *w, size_t out_len)
{
	if (!w->keys)
		return;
	memzero_explicit(w->lines, sizeof(w->lines));
	memzero_explicit(w->out, min(out_len, sizeof(w->out)));
	w->keys = false;
}
