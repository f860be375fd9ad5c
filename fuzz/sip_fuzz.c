// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the SIP and SDP core (kmod/core/ucp_sip.c, ucp_sdp.c, ucp_sip_lex.c):
 * the input is framed as a datagram and as a stream (message after
 * message), parsed (framed and also whole), and every message that parses
 * is checked and rewritten:
 *
 * - what the parse says must hold in the bytes: spans inside the message,
 *   an IP token's text is that address, a port's digits are that port,
 *   the body ends the message, bounds on tokens, media and crypto lines;
 * - rewriting with no substitution gives the message back byte for byte;
 * - rewriting with substitutions (addresses of either family, ports,
 *   drawn from a generator seeded with a hash of the input) gives a
 *   message that parses again, with the same tokens and the new values;
 * - a too small output buffer gives E_NOSPACE and is not overrun.
 *
 * The whole input is the message, so the corpus (tests/sip-corpus, copied
 * to fuzz/corpus/sip) seeds it as it is. Each parse reads a heap copy of
 * exactly the message, so ASan sees any read past it. A broken rule ends
 * in __builtin_trap() after a line on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucp_sip.h"
#include "ucp_sip_int.h"

#include "fuzz_check.h"

#define MAX_STREAM_MSGS	64
/* Room for any rewrite: per token at most "IP6 [" + 39 + "]" and ":65535". */
#define OUT_ROOM(len, n) ((len) + (n) * 64 + 16)

static struct ucp_sip_msg m, m2;
static struct ucp_sip_subst subst[UCP_SIP_MAX_TOKENS];

static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool addr_eq(const struct ucp_sip_addr *a, const struct ucp_sip_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == 4)
		return !memcmp(a->a, b->a, 4);
	if (a->family == 6)
		return !memcmp(a->a, b->a, 16);
	return true;
}

static bool in_msg(struct ucp_span s, unsigned int len)
{
	return (unsigned int)s.off + s.len <= len;
}

/* What a successful parse of b[0, len) says must hold in the bytes. */
static void check_msg(const struct ucp_sip_msg *p, const char *b, size_t len)
{
	unsigned int i, j, v;

	CHECK(p->len && p->len <= len && p->len <= UCP_SIP_MAX_MSG);
	CHECK((unsigned int)p->body.off + p->body.len == p->len);
	CHECK(in_msg(p->call_id, p->body.off) && p->call_id.len);
	CHECK(in_msg(p->content_length, p->body.off));
	CHECK(p->is_request ? p->status == 0 :
	      p->status >= 100 && p->status <= 699);
	CHECK(p->method <= UCP_SIP_M_PUBLISH);
	CHECK(p->ntokens <= UCP_SIP_MAX_TOKENS);
	CHECK(p->sdp.nmedia <= UCP_SDP_MAX_MEDIA);
	CHECK(p->has_sdp || !p->sdp.nmedia);
	for (i = 0; i < p->ntokens; i++) {
		const struct ucp_sip_token *t = &p->tok[i];
		unsigned int k = ucp_sip_kind_flags(t->kind);
		struct ucp_sip_addr a = { 0 };

		CHECK(t->kind < UCP_TOK_KIND_COUNT);
		/* The text a token holds is what its kind says it may. */
		CHECK(!t->host.len || (k & (UCP_KIND_ADDR | UCP_KIND_TEXT)));
		CHECK(!t->port_span.len || (k & UCP_KIND_PORT));
		CHECK(in_msg(t->host, p->len) && in_msg(t->port_span, p->len));
		if (t->kind >= UCP_TOK_SDP_ORIGIN)
			CHECK(t->host.off >= p->body.off);
		else
			CHECK((unsigned int)t->host.off + t->host.len <= p->body.off);
		if (t->kind == UCP_TOK_SDP_MEDIA_CONN ||
		    t->kind == UCP_TOK_SDP_MEDIA_PORT || t->kind == UCP_TOK_SDP_RTCP)
			CHECK(t->media < p->sdp.nmedia);
		if (t->addr.family == 4) {
			CHECK(!ucp_sip_ip4(b + t->host.off, t->host.len, a.a));
			a.family = 4;
			CHECK(addr_eq(&a, &t->addr));
		} else if (t->addr.family == 6) {
			CHECK(!ucp_sip_ip6(b + t->host.off, t->host.len, a.a));
			a.family = 6;
			CHECK(addr_eq(&a, &t->addr));
		} else {
			CHECK(t->addr.family == 0);
		}
		if (t->bracketed)
			CHECK(t->host.off && b[t->host.off - 1] == '[' &&
			      b[t->host.off + t->host.len] == ']');
		v = 0;
		for (j = 0; j < t->port_span.len; j++) {
			CHECK(ucp_is_digit(b[t->port_span.off + j]));
			v = v * 10 + b[t->port_span.off + j] - '0';
		}
		CHECK(v == t->port && v <= 65535);
		if (t->kind == UCP_TOK_VIA_RPORT || t->kind == UCP_TOK_SDP_MEDIA_PORT)
			CHECK(t->port_span.len && !t->host.len);
	}
	for (i = 0; i < p->sdp.nmedia; i++) {
		const struct ucp_sdp_media *md = &p->sdp.media[i];

		CHECK(md->ncrypto <= UCP_SDP_MAX_CRYPTO && md->nports);
		CHECK(md->type <= UCP_SDP_OTHER);
		for (j = 0; j < md->ncrypto; j++) {
			const struct ucp_sdp_crypto *c = &md->crypto[j];

			CHECK(in_msg(c->line, p->len) && c->line.off >= p->body.off);
			CHECK(c->key_len <= UCP_SDP_MAX_KEY);
			CHECK(c->mki_len <= UCP_SDP_MAX_MKI && c->kdr <= 24);
			CHECK(c->suite == UCP_SUITE_UNKNOWN ? !c->key_len :
			      c->key_len >= 28);
			CHECK(!c->lifetime_log2 ||
			      c->lifetime == 1ULL << c->lifetime_log2);
		}
	}
}

/* Substitutions: each token kept or set, to IPv4 or IPv6, with a port or not. */
static void draw_subst(const struct ucp_sip_msg *p)
{
	unsigned int i;

	memset(subst, 0, sizeof(subst));
	for (i = 0; i < p->ntokens; i++) {
		uint64_t r = next();
		struct ucp_sip_subst *s = &subst[i];

		s->set = r % 4 != 0;
		switch ((r >> 2) % 3) {
		case 0:
			break;
		case 1:
			s->addr.family = 4;
			break;
		case 2:
			s->addr.family = 6;
			break;
		}
		if (s->addr.family) {
			uint64_t x = next(), y = next();

			memcpy(s->addr.a, &x, 8);
			memcpy(s->addr.a + 8, &y, 8);
			/* Now and then the zero runs RFC 5952 compresses. */
			if (r & 0x100)
				memset(s->addr.a + (r >> 9) % 12, 0, 4);
		}
		if ((r >> 4) & 1)
			s->port = 1 + (r >> 20) % 65535;
	}
}

/* Rewrite the message @in (parsed in m) and parse the output again. */
static void round_trip(const char *in)
{
	size_t room = OUT_ROOM(m.len, m.ntokens), out_len, len2, k;
	char *out = malloc(room), *copy, *small;
	unsigned int i;
	int ret;

	CHECK(out);
	/* Nothing substituted: the message, byte for byte. */
	memset(subst, 0, sizeof(subst));
	CHECK(ucp_sip_rewrite(&m, in, subst, out, room, &out_len) == UCP_SIP_OK);
	CHECK(out_len == m.len && !memcmp(out, in, out_len));
	CHECK(ucp_sip_rewrite(&m, in, NULL, out, room, &out_len) == UCP_SIP_OK);
	CHECK(out_len == m.len);

	draw_subst(&m);
	ret = ucp_sip_rewrite(&m, in, subst, out, room, &out_len);
	if (ret == UCP_SIP_E_TOO_LARGE) {
		free(out);
		return;
	}
	CHECK(ret == UCP_SIP_OK && out_len <= room);
	CHECK(out_len <= UCP_SIP_MAX_MSG);
	copy = malloc(out_len);
	CHECK(copy);
	memcpy(copy, out, out_len);
	ret = ucp_sip_parse(&m2, copy, out_len);
	if (ret)
		fprintf(stderr, "sip_fuzz: re-parse: %s\n", ucp_sip_reason_name(ret));
	CHECK(ret == UCP_SIP_OK);
	check_msg(&m2, copy, out_len);
	CHECK(m2.len == out_len);
	CHECK(m2.ntokens == m.ntokens && m2.sdp.nmedia == m.sdp.nmedia);
	CHECK(m2.has_sdp == m.has_sdp && m2.method == m.method &&
	      m2.cseq == m.cseq);
	for (i = 0; i < m.ntokens; i++) {
		const struct ucp_sip_token *a = &m.tok[i], *b = &m2.tok[i];
		const struct ucp_sip_subst *s = &subst[i];
		unsigned int k = ucp_sip_kind_flags(a->kind);
		bool new_addr = s->set && s->addr.family && a->host.len &&
				(k & UCP_KIND_ADDR);

		CHECK(b->kind == a->kind && b->media == a->media &&
		      b->via_index == a->via_index);
		CHECK(addr_eq(&b->addr, new_addr ? &s->addr : &a->addr));
		CHECK(b->port == (s->set && s->port && (k & UCP_KIND_PORT) ?
				  s->port : a->port));
		if (new_addr && (k & UCP_KIND_URI))
			CHECK(b->bracketed == (s->addr.family == 6));
	}
	for (i = 0; i < m.sdp.nmedia; i++) {
		const struct ucp_sdp_media *x = &m.sdp.media[i];
		const struct ucp_sdp_media *y = &m2.sdp.media[i];
		unsigned int j;

		CHECK(y->type == x->type && y->secure == x->secure &&
		      y->rtcp_mux == x->rtcp_mux && y->has_rtcp == x->has_rtcp &&
		      y->nports == x->nports && y->ncrypto == x->ncrypto);
		for (j = 0; j < x->ncrypto; j++) {
			const struct ucp_sdp_crypto *c = &x->crypto[j];
			const struct ucp_sdp_crypto *d = &y->crypto[j];

			/* All but the line's place, which edits before it move. */
			CHECK(d->tag == c->tag && d->suite == c->suite &&
			      d->key_len == c->key_len && d->mki == c->mki &&
			      d->mki_len == c->mki_len &&
			      d->lifetime == c->lifetime &&
			      d->lifetime_log2 == c->lifetime_log2 &&
			      d->kdr == c->kdr && d->line.len == c->line.len &&
			      !memcmp(d->key, c->key, sizeof(c->key)));
		}
	}
	ucp_sip_msg_wipe(&m2);

	/* A buffer one byte short, or much shorter: refused, not overrun. */
	len2 = out_len;
	k = next() % (len2 + 1);
	if (k == len2)
		k = len2 - 1;
	small = malloc(k ? k : 1);
	CHECK(small);
	CHECK(ucp_sip_rewrite(&m, in, subst, small, k, &out_len) ==
	      UCP_SIP_E_NOSPACE && out_len == 0);
	free(small);
	small = malloc(len2);
	CHECK(small);
	CHECK(ucp_sip_rewrite(&m, in, subst, small, len2, &out_len) ==
	      UCP_SIP_OK && out_len == len2 && !memcmp(small, copy, len2));
	free(small);
	free(copy);
	free(out);
}

/*
 * What the media glue does toward a side it terminates SRTP on: every
 * proto made RTP/SAVP, every a=crypto line removed, one line of ucproxy's
 * added at the end of each media description. The output parses, and
 * each stream then has exactly that one key.
 */
static void srtp_edits(const char *in)
{
	static const uint8_t key[46] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static char lines[UCP_SDP_MAX_MEDIA][UCP_SDP_CRYPTO_LINE_MAX];
	size_t room = OUT_ROOM(m.len, m.ntokens) +
		      UCP_SDP_MAX_MEDIA * UCP_SDP_CRYPTO_LINE_MAX;
	char *out = malloc(room), *copy;
	size_t out_len;
	unsigned int i;
	int ret;

	CHECK(out);
	memset(subst, 0, sizeof(subst));
	for (i = 0; i < m.ntokens; i++) {
		const struct ucp_sip_token *t = &m.tok[i];
		struct ucp_sip_subst *s = &subst[i];

		if (!(ucp_sip_kind_flags(t->kind) & UCP_KIND_TEXT))
			continue;
		CHECK(t->media < m.sdp.nmedia);
		s->set = 1;
		if (t->kind == UCP_TOK_SDP_PROTO) {
			s->text = ucp_sdp_proto_name(true, false);
			s->text_len = strlen(s->text);
		} else if (t->kind == UCP_TOK_SDP_CRYPTO) {
			CHECK(t->index < m.sdp.media[t->media].ncrypto);
			s->text = "";
		} else {
			s->text = lines[t->media];
			s->text_len = ucp_sdp_crypto_line(lines[t->media], 7,
				UCP_SUITE_AES_256_CM_HMAC_SHA1_32, key, t->flags);
			CHECK(s->text_len && s->text_len <= UCP_SDP_CRYPTO_LINE_MAX);
		}
	}
	ret = ucp_sip_rewrite(&m, in, subst, out, room, &out_len);
	if (ret == UCP_SIP_E_TOO_LARGE) {
		free(out);
		return;
	}
	CHECK(ret == UCP_SIP_OK);
	copy = malloc(out_len);
	CHECK(copy);
	memcpy(copy, out, out_len);
	ret = ucp_sip_parse(&m2, copy, out_len);
	if (ret)
		fprintf(stderr, "sip_fuzz: srtp re-parse: %s\n",
			ucp_sip_reason_name(ret));
	CHECK(ret == UCP_SIP_OK);
	check_msg(&m2, copy, out_len);
	CHECK(m2.sdp.nmedia == m.sdp.nmedia);
	for (i = 0; i < m2.sdp.nmedia; i++) {
		const struct ucp_sdp_media *md = &m2.sdp.media[i];

		CHECK(md->secure && md->ncrypto == 1 && md->crypto[0].tag == 7);
		CHECK(md->crypto[0].key_len == 46 &&
		      !memcmp(md->crypto[0].key, key, 46));
	}
	ucp_sip_msg_wipe(&m2);
	free(copy);
	free(out);
}

/* Parse b[0, len) from an exact copy; check and rewrite it if it parses. */
static void one(const char *b, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	CHECK(copy);
	memcpy(copy, b, len);
	ret = ucp_sip_parse(&m, copy, len);
	CHECK(ret >= 0 && ret < UCP_SIP_REASON_COUNT && ret != UCP_SIP_E_NOSPACE &&
	      ret != UCP_SIP_E_INCOMPLETE);
	CHECK(strcmp(ucp_sip_reason_name(ret), "unknown"));
	if (ret == UCP_SIP_OK) {
		check_msg(&m, copy, len);
		round_trip(copy);
		srtp_edits(copy);
	} else {
		for (unsigned int i = 0; i < UCP_SDP_MAX_MEDIA; i++)
			for (unsigned int j = 0; j < UCP_SDP_MAX_CRYPTO; j++)
				for (unsigned int k = 0; k < UCP_SDP_MAX_KEY; k++)
					CHECK(!m.sdp.media[i].crypto[j].key[k]);
	}
	ucp_sip_msg_wipe(&m);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	size_t off = 0, skip, msg_len;
	uint64_t h = 1469598103934665603ULL;
	unsigned int n;
	size_t i;
	int ret;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 1099511628211ULL;
	rng = h | 1;

	/* A datagram. */
	ret = ucp_sip_frame(b, size, false, &skip, &msg_len);
	CHECK(ret != UCP_SIP_E_INCOMPLETE || skip == size);
	if (ret == UCP_SIP_OK) {
		CHECK(skip + msg_len <= size && msg_len);
		one(b + skip, msg_len);
	}
	/* The same bytes as a stream: message after message. */
	for (n = 0; n < MAX_STREAM_MSGS; n++) {
		ret = ucp_sip_frame(b + off, size - off, true, &skip, &msg_len);
		CHECK(skip <= size - off);
		if (ret != UCP_SIP_OK)
			break;
		CHECK(msg_len && skip + msg_len <= size - off);
		one(b + off + skip, msg_len);
		off += skip + msg_len;
	}
	/* Unframed, whatever it is. */
	if (size <= UCP_SIP_MAX_MSG + 1)
		one(b, size);
	return 0;
}
