// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the SIP and SDP core (kmod/ucp_sip.c, kmod/ucp_sdp.c):
 * framing, parsing (every token, SDP and a=crypto field), rejections with
 * their reasons, and rewriting, checked by parsing the output again.
 *
 * In userspace the suite also reads the corpus tests/sip-corpus/ (real
 * world messages and the RFC 4475 torture tests) as its MANIFEST says;
 * the runner starts in the tree's root. In the kernel that case is left
 * out and the messages written here stand for it.
 */
#include <kunit/test.h>

#include "ucp_sip.h"
#include "ucp_sip_int.h"

#define CRLF "\r\n"

/* Headers every request below needs, for an OPTIONS. */
#define OPT_HDRS							\
	"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1" CRLF		\
	"From: <sip:a@example.com>;tag=1" CRLF				\
	"To: <sip:b@example.com>" CRLF					\
	"Call-ID: x@10.0.0.1" CRLF					\
	"CSeq: 1 OPTIONS" CRLF

#define OPT_LINE "OPTIONS sip:b@example.com SIP/2.0" CRLF
#define OPT "OPTIONS sip:b@example.com SIP/2.0" CRLF OPT_HDRS

/* An INVITE with an SDP body, and the start of such a body. */
#define INV_BASE							\
	"INVITE sip:b@example.com SIP/2.0" CRLF				\
	"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1" CRLF		\
	"From: <sip:a@example.com>;tag=1" CRLF				\
	"To: <sip:b@example.com>" CRLF					\
	"Call-ID: x@10.0.0.1" CRLF					\
	"CSeq: 1 INVITE" CRLF
#define INV_HDRS INV_BASE "Content-Type: application/sdp" CRLF
#define SDP_HEAD							\
	"v=0" CRLF "o=- 1 1 IN IP4 10.0.0.1" CRLF "s=-" CRLF		\
	"c=IN IP4 10.0.0.1" CRLF "t=0 0" CRLF
#define SDP_AUDIO SDP_HEAD "m=audio 4000 RTP/SAVP 0" CRLF

/* Keys of bytes 0, 1, 2, ... and 0x80, 0x81, ... in base64. */
#define K28 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw=="
#define K30 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"
#define K30B "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5yd"
#define K44 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis="
#define K46NP \
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLQ"
#define K28BAD "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGx=="	/* bits left */
#define K46 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLQ=="

/* What one test works with; all of it test-managed memory. */
struct sip_t {
	struct ucp_sip_msg *m;		/* the input's parse */
	struct ucp_sip_msg *m2;		/* the output's parse */
	struct ucp_sip_subst *subst;	/* UCP_SIP_MAX_TOKENS of them */
	char *out;
	size_t out_size;
};

static struct sip_t *sip_new(struct kunit *test)
{
	struct sip_t *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	t->m = kunit_kzalloc(test, sizeof(*t->m), GFP_KERNEL);
	t->m2 = kunit_kzalloc(test, sizeof(*t->m2), GFP_KERNEL);
	t->subst = kunit_kcalloc(test, UCP_SIP_MAX_TOKENS, sizeof(*t->subst),
				 GFP_KERNEL);
	t->out_size = 2 * UCP_SIP_MAX_MSG;
	t->out = kunit_kmalloc(test, t->out_size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->m);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->m2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->subst);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->out);
	return t;
}

/* A copy of @len bytes in memory of exactly that size (ASan sees overreads). */
static char *exact(struct kunit *test, const char *s, size_t len)
{
	char *p = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	memcpy(p, s, len);
	return p;
}

/* @head (start line and headers), Content-Length, empty line, @body. */
static char *build(struct kunit *test, const char *head, const char *body,
		   size_t *len)
{
	size_t n = strlen(head) + strlen(body) + 40;
	char *p = kunit_kmalloc(test, n, GFP_KERNEL);
	int k;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	k = snprintf(p, n, "%sContent-Length: %zu\r\n\r\n%s", head,
		     strlen(body), body);
	KUNIT_ASSERT_LT(test, k, (int)n);
	*len = k;
	return exact(test, p, k);
}

/* An OPTIONS of exactly @want bytes, padded by an X: header. */
static char *sized(struct kunit *test, size_t want)
{
	static const char pre[] = OPT "X: ";
	static const char post[] = CRLF "Content-Length: 0" CRLF CRLF;
	size_t pad = want - (sizeof(pre) - 1) - (sizeof(post) - 1);
	char *p = kunit_kmalloc(test, want, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	memcpy(p, pre, sizeof(pre) - 1);
	memset(p + sizeof(pre) - 1, 'x', pad);
	memcpy(p + sizeof(pre) - 1 + pad, post, sizeof(post) - 1);
	return p;
}

static bool span_is(const char *b, struct ucp_span s, const char *want)
{
	return s.len == strlen(want) && !memcmp(b + s.off, want, s.len);
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

static struct ucp_sip_addr v4(u8 a, u8 b, u8 c, u8 d)
{
	struct ucp_sip_addr x = { .family = 4, .a = { a, b, c, d } };

	return x;
}

/* Spans replaced whole by the caller's text, never by an address. */
static bool is_text_kind(u8 kind)
{
	return kind == UCP_TOK_SDP_PROTO || kind == UCP_TOK_SDP_CRYPTO ||
	       kind == UCP_TOK_SDP_MEDIA_END;
}

static bool is_uri_kind(u8 kind)
{
	return kind == UCP_TOK_REQUEST_URI || kind == UCP_TOK_FROM ||
	       kind == UCP_TOK_TO || kind == UCP_TOK_VIA ||
	       kind == UCP_TOK_CONTACT || kind == UCP_TOK_RECORD_ROUTE ||
	       kind == UCP_TOK_ROUTE;
}

/* The contract: which tokens a substituted port is written to. */
static bool takes_port(const struct ucp_sip_token *k)
{
	return is_uri_kind(k->kind) || k->kind == UCP_TOK_VIA_RPORT ||
	       k->kind == UCP_TOK_SDP_MEDIA_PORT || k->kind == UCP_TOK_SDP_RTCP;
}

static void reason_names_test(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < UCP_SIP_REASON_COUNT; i++) {
		const char *n = ucp_sip_reason_name(i);

		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, n);
		KUNIT_EXPECT_GT(test, strlen(n), 1);
		KUNIT_EXPECT_STRNEQ(test, n, "unknown");
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, n, ucp_sip_reason_name(j));
	}
	KUNIT_EXPECT_STREQ(test, ucp_sip_reason_name(UCP_SIP_OK), "ok");
	KUNIT_EXPECT_STREQ(test, ucp_sip_reason_name(UCP_SIP_E_CRYPTO),
			   "crypto");
	KUNIT_EXPECT_STREQ(test, ucp_sip_reason_name(UCP_SIP_REASON_COUNT),
			   "unknown");
	KUNIT_EXPECT_STREQ(test, ucp_sip_reason_name(~0U), "unknown");
}

/* ucp_sip_kind_flags() against the contract the rewrite tests state. */
static void kind_flags_test(struct kunit *test)
{
	unsigned int kind;

	for (kind = 0; kind < UCP_TOK_KIND_COUNT; kind++) {
		struct ucp_sip_token tok = { .kind = kind };
		unsigned int f = ucp_sip_kind_flags(kind);
		bool port_only = kind == UCP_TOK_VIA_RPORT ||
				 kind == UCP_TOK_SDP_MEDIA_PORT;
		bool sdp_addr = kind == UCP_TOK_SDP_ORIGIN ||
				kind == UCP_TOK_SDP_CONN ||
				kind == UCP_TOK_SDP_MEDIA_CONN ||
				kind == UCP_TOK_SDP_RTCP;

		KUNIT_EXPECT_EQ_MSG(test, !!(f & UCP_KIND_TEXT),
				    is_text_kind(kind), "kind %u", kind);
		KUNIT_EXPECT_EQ_MSG(test, !!(f & UCP_KIND_URI),
				    is_uri_kind(kind), "kind %u", kind);
		KUNIT_EXPECT_EQ_MSG(test, !!(f & UCP_KIND_PORT),
				    takes_port(&tok), "kind %u", kind);
		KUNIT_EXPECT_EQ_MSG(test, !!(f & UCP_KIND_SDP_ADDR), sdp_addr,
				    "kind %u", kind);
		KUNIT_EXPECT_EQ_MSG(test, !!(f & UCP_KIND_ADDR),
				    !is_text_kind(kind) && !port_only,
				    "kind %u", kind);
	}
	KUNIT_EXPECT_EQ(test, ucp_sip_kind_flags(UCP_TOK_KIND_COUNT), 0U);
	KUNIT_EXPECT_EQ(test, ucp_sip_kind_flags(0xff), 0U);
}

/* IP literals */

struct ip_case {
	const char *text;
	int family;		/* 0: invalid */
	u8 a[16];
};

#define IP4(t, ...) { .text = t, .family = 4, .a = { __VA_ARGS__ } }
#define IP6(t, ...) { .text = t, .family = 6, .a = { __VA_ARGS__ } }
#define NOT_IP(t) { .text = t }

static const struct ip_case ip_cases[] = {
	IP4("192.0.2.1", 192, 0, 2, 1),
	IP4("0.0.0.0", 0),
	IP4("255.255.255.255", 255, 255, 255, 255),
	NOT_IP("256.0.0.1"), NOT_IP("1.2.3"), NOT_IP("1.2.3.4.5"),
	NOT_IP("01.2.3.4"), NOT_IP("1..3.4"), NOT_IP("1.2.3.4."), NOT_IP(""),
	NOT_IP("1234.1.1.1"),
	IP6("::", 0),
	IP6("::1", [15] = 1),
	IP6("1::", 0, 1),
	IP6("2001:db8::1", 0x20, 0x01, 0x0d, 0xb8, [15] = 1),
	IP6("2001:DB8:0:0:0:0:0:1", 0x20, 0x01, 0x0d, 0xb8, [15] = 1),
	IP6("1:2:3:4:5:6:7:8", 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8),
	IP6("::ffff:192.0.2.1", [10] = 0xff, 0xff, 192, 0, 2, 1),
	IP6("1:2:3:4:5:6:1.2.3.4", 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4),
	IP6("1::2:3:4:5:6:7", 0, 1, 0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7),
	IP6("fe80::abcd", 0xfe, 0x80, [14] = 0xab, 0xcd),
	NOT_IP(":"), NOT_IP(":::"), NOT_IP("1:2:3:4:5:6:7:8:9"), NOT_IP("1::2::3"),
	NOT_IP("12345::"), NOT_IP("1:2:3:4:5:6:7"), NOT_IP("g::"), NOT_IP("1:"),
	NOT_IP(":1"), NOT_IP("::1.2.3"), NOT_IP("1:2:3:4:5:6:7:1.2.3.4"),
	NOT_IP("::1%eth0"), NOT_IP("1:2:3:4:5:6:7:8::"), NOT_IP("::1:"),
	NOT_IP("[::1]"),
};

static void ip_case_desc(const struct ip_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->text);
}

KUNIT_ARRAY_PARAM(ip, ip_cases, ip_case_desc);

static void ip_parse_test(struct kunit *test)
{
	const struct ip_case *c = test->param_value;
	unsigned int len = strlen(c->text);
	char *s = exact(test, c->text, len);
	u8 a[16];
	int r4 = ucp_sip_ip4(s, len, a);

	if (c->family == 4) {
		KUNIT_ASSERT_EQ(test, r4, 0);
		KUNIT_EXPECT_EQ(test, memcmp(a, c->a, 4), 0);
	} else {
		KUNIT_EXPECT_EQ(test, r4, -1);
	}
	if (c->family == 6) {
		KUNIT_ASSERT_EQ(test, ucp_sip_ip6(s, len, a), 0);
		KUNIT_EXPECT_EQ(test, memcmp(a, c->a, 16), 0);
	} else {
		KUNIT_EXPECT_EQ(test, ucp_sip_ip6(s, len, a), -1);
	}
}

/* RFC 5952 text of IPv6 addresses, as the rewriter writes them. */
struct fmt_case {
	u8 a[16];
	const char *text;
};

static const struct fmt_case fmt_cases[] = {
	{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1 },
	  "2001:db8::1:0:0:1" },		/* the first of equal runs */
	{ { 0x20, 0x01, 0x0d, 0xb8, [13] = 2, [15] = 1 }, "2001:db8::2:1" },
	{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 },
	  "2001:db8:0:1:1:1:1:1" },		/* one 0 field stays */
	{ { 0 }, "::" },
	{ { [15] = 1 }, "::1" },
	{ { 0, 1 }, "1::" },
	{ { [10] = 0xff, 0xff, 192, 0, 2, 1 }, "::ffff:192.0.2.1" },
	{ { 0xfe, 0x80, [9] = 1 }, "fe80::1:0:0:0" },
	{ { 0x20, 0x01, 0x0d, 0xb8, 0xab, 0xcd, 0x0e, 0xf0, 0, 0x12, 0x34, 0x56,
	    0x78, 0x9a, 0xbc, 0xde }, "2001:db8:abcd:ef0:12:3456:789a:bcde" },
	{ { 0x20, 0x01, 0x0d, 0xb8, [6] = 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	  "2001:db8::" },
};

static void fmt_case_desc(const struct fmt_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->text);
}

KUNIT_ARRAY_PARAM(fmt, fmt_cases, fmt_case_desc);

static void ip6_format_test(struct kunit *test)
{
	const struct fmt_case *c = test->param_value;
	struct sip_t *t = sip_new(test);
	char want[80];
	size_t len, out_len;
	char *msg = build(test, "OPTIONS sip:b@[::1] SIP/2.0" CRLF OPT_HDRS, "",
			  &len);

	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	KUNIT_ASSERT_EQ(test, t->m->tok[0].kind, UCP_TOK_REQUEST_URI);
	t->subst[0].set = 1;
	t->subst[0].addr.family = 6;
	memcpy(t->subst[0].addr.a, c->a, 16);
	KUNIT_ASSERT_EQ(test, ucp_sip_rewrite(t->m, msg, t->subst, t->out,
					      t->out_size, &out_len), UCP_SIP_OK);
	snprintf(want, sizeof(want), "OPTIONS sip:b@[%s] SIP/2.0\r\n", c->text);
	KUNIT_EXPECT_EQ(test, memcmp(t->out, want, strlen(want)), 0);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m2, t->out, out_len), UCP_SIP_OK);
	KUNIT_EXPECT_TRUE(test, addr_eq(&t->m2->tok[0].addr, &t->subst[0].addr));
}

/* One message, every field */

#define FACTS_HEAD							\
	"INVITE sip:bob@192.0.2.20 SIP/2.0" CRLF				\
	"Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK1;rport" CRLF	\
	"Via: SIP/2.0/TCP [2001:db8::1]:5070;received=198.51.100.2;rport=40000" CRLF \
	"From: \"Alice\" <sip:alice@192.168.1.10>;tag=1" CRLF		\
	"To: <sip:bob@example.com>" CRLF					\
	"Call-ID: abc@192.168.1.10" CRLF					\
	"CSeq: 7 INVITE" CRLF						\
	"Contact: <sip:alice@192.168.1.10:5060>;expires=120" CRLF		\
	"Expires: 300" CRLF							\
	"Record-Route: <sip:[2001:db8::9];lr>" CRLF			\
	"Content-Type: application/sdp" CRLF
#define FACTS_BODY							\
	"v=0" CRLF "o=- 1 1 IN IP4 192.168.1.10" CRLF "s=-" CRLF	\
	"c=IN IP4 192.168.1.10" CRLF "t=0 0" CRLF			\
	"m=audio 4000 RTP/SAVP 0" CRLF					\
	"a=rtcp:4001 IN IP4 192.168.1.11" CRLF				\
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K30 "|2^20|1:4" CRLF \
	"m=video 0 RTP/AVP 96" CRLF					\
	"c=IN IP6 2001:db8::2" CRLF					\
	"a=rtcp-mux" CRLF

struct tok_want {
	u8 kind;
	const char *host;	/* "" for none */
	u16 port;
	const char *port_text;	/* NULL: absent */
	u8 family, bracketed, via_index, media;
};

#define TOK(k, h, p, pt, f, ...) \
	{ .kind = k, .host = h, .port = p, .port_text = pt, .family = f, __VA_ARGS__ }

static const struct tok_want facts_tokens[] = {
	TOK(UCP_TOK_REQUEST_URI, "192.0.2.20", 0, NULL, 4),
	TOK(UCP_TOK_VIA, "192.168.1.10", 5060, "5060", 4),
	TOK(UCP_TOK_VIA, "2001:db8::1", 5070, "5070", 6, .bracketed = 1,
	    .via_index = 1),
	TOK(UCP_TOK_VIA_RECEIVED, "198.51.100.2", 0, NULL, 4, .via_index = 1),
	TOK(UCP_TOK_VIA_RPORT, "", 40000, "40000", 0, .via_index = 1),
	TOK(UCP_TOK_FROM, "192.168.1.10", 0, NULL, 4),
	TOK(UCP_TOK_TO, "example.com", 0, NULL, 0),
	TOK(UCP_TOK_CONTACT, "192.168.1.10", 5060, "5060", 4),
	TOK(UCP_TOK_RECORD_ROUTE, "2001:db8::9", 0, NULL, 6, .bracketed = 1),
	TOK(UCP_TOK_SDP_ORIGIN, "192.168.1.10", 0, NULL, 4),
	TOK(UCP_TOK_SDP_CONN, "192.168.1.10", 0, NULL, 4),
	TOK(UCP_TOK_SDP_MEDIA_PORT, "", 4000, "4000", 0, .media = 0),
	TOK(UCP_TOK_SDP_PROTO, "RTP/SAVP", 0, NULL, 0, .media = 0),
	TOK(UCP_TOK_SDP_RTCP, "192.168.1.11", 4001, "4001", 4, .media = 0),
	TOK(UCP_TOK_SDP_CRYPTO,
	    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K30 "|2^20|1:4" CRLF,
	    0, NULL, 0, .media = 0),
	TOK(UCP_TOK_SDP_MEDIA_END, "", 0, NULL, 0, .media = 0),
	TOK(UCP_TOK_SDP_MEDIA_PORT, "", 0, "0", 0, .media = 1),
	TOK(UCP_TOK_SDP_PROTO, "RTP/AVP", 0, NULL, 0, .media = 1),
	TOK(UCP_TOK_SDP_MEDIA_CONN, "2001:db8::2", 0, NULL, 6, .media = 1),
	TOK(UCP_TOK_SDP_MEDIA_END, "", 0, NULL, 0, .media = 1),
};

static void invite_facts_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	const struct ucp_sdp_media *md;
	const struct ucp_sdp_crypto *cr;
	struct ucp_sip_addr a;
	size_t len;
	char *msg = build(test, FACTS_HEAD, FACTS_BODY, &len);
	struct ucp_sip_msg *m = t->m;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ucp_sip_parse(m, msg, len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, m->is_request, 1);
	KUNIT_EXPECT_EQ(test, m->method, UCP_SIP_M_INVITE);
	KUNIT_EXPECT_EQ(test, m->cseq, 7);
	KUNIT_EXPECT_EQ(test, m->expires, 120);	/* Contact's, not the header's */
	KUNIT_EXPECT_TRUE(test, span_is(msg, m->call_id, "abc@192.168.1.10"));
	KUNIT_EXPECT_EQ(test, m->len, len);
	KUNIT_EXPECT_EQ(test, m->body.off + m->body.len, len);
	KUNIT_EXPECT_EQ(test, m->body.len, strlen(FACTS_BODY));
	KUNIT_EXPECT_EQ(test, m->has_sdp, 1);
	KUNIT_ASSERT_EQ(test, m->ntokens, ARRAY_SIZE(facts_tokens));
	for (i = 0; i < ARRAY_SIZE(facts_tokens); i++) {
		const struct tok_want *w = &facts_tokens[i];
		const struct ucp_sip_token *k = &m->tok[i];

		KUNIT_EXPECT_EQ_MSG(test, k->kind, w->kind, "token %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, span_is(msg, k->host, w->host),
				      "token %u host", i);
		KUNIT_EXPECT_EQ_MSG(test, k->port, w->port, "token %u", i);
		KUNIT_EXPECT_EQ_MSG(test, k->addr.family, w->family, "token %u", i);
		KUNIT_EXPECT_EQ_MSG(test, k->bracketed, w->bracketed, "token %u", i);
		KUNIT_EXPECT_EQ_MSG(test, k->via_index, w->via_index, "token %u", i);
		KUNIT_EXPECT_EQ_MSG(test, k->media, w->media, "token %u", i);
		if (w->port_text) {
			KUNIT_EXPECT_TRUE_MSG(test, span_is(msg, k->port_span,
							    w->port_text),
					      "token %u port", i);
		} else if (is_uri_kind(k->kind)) {
			/* Where ":port" would go: after the host or its "]". */
			KUNIT_EXPECT_EQ_MSG(test, k->port_span.len, 0, "token %u", i);
			KUNIT_EXPECT_EQ_MSG(test, k->port_span.off,
					    k->host.off + k->host.len + k->bracketed,
					    "token %u", i);
		}
	}
	a = v4(192, 0, 2, 20);
	KUNIT_EXPECT_TRUE(test, addr_eq(&m->tok[0].addr, &a));
	a = v4(198, 51, 100, 2);
	KUNIT_EXPECT_TRUE(test, addr_eq(&m->tok[3].addr, &a));

	a = v4(192, 168, 1, 10);
	KUNIT_EXPECT_TRUE(test, addr_eq(&m->sdp.origin, &a));
	KUNIT_EXPECT_TRUE(test, addr_eq(&m->sdp.conn, &a));
	KUNIT_ASSERT_EQ(test, m->sdp.nmedia, 2);
	md = &m->sdp.media[0];
	KUNIT_EXPECT_EQ(test, md->type, UCP_SDP_AUDIO);
	KUNIT_EXPECT_EQ(test, md->port, 4000);
	KUNIT_EXPECT_EQ(test, md->nports, 1);
	KUNIT_EXPECT_EQ(test, md->secure, 1);
	KUNIT_EXPECT_EQ(test, md->rtcp_mux, 0);
	KUNIT_EXPECT_EQ(test, md->has_rtcp, 1);
	KUNIT_EXPECT_EQ(test, md->rtcp_port, 4001);
	KUNIT_EXPECT_TRUE(test, addr_eq(&md->conn, &a));	/* session c= */
	a = v4(192, 168, 1, 11);
	KUNIT_EXPECT_TRUE(test, addr_eq(&md->rtcp_addr, &a));
	KUNIT_ASSERT_EQ(test, md->ncrypto, 1);
	cr = &md->crypto[0];
	KUNIT_EXPECT_EQ(test, cr->tag, 1);
	KUNIT_EXPECT_EQ(test, cr->suite, UCP_SUITE_AES_CM_128_HMAC_SHA1_80);
	KUNIT_ASSERT_EQ(test, cr->key_len, 30);
	for (i = 0; i < 30; i++)
		KUNIT_EXPECT_EQ(test, cr->key[i], i);
	KUNIT_EXPECT_EQ(test, cr->lifetime, 1ULL << 20);
	KUNIT_EXPECT_EQ(test, cr->lifetime_log2, 20);
	KUNIT_EXPECT_EQ(test, cr->mki, 1);
	KUNIT_EXPECT_EQ(test, cr->mki_len, 4);
	KUNIT_EXPECT_TRUE(test, span_is(msg, cr->line,
					"1 AES_CM_128_HMAC_SHA1_80 inline:" K30
					"|2^20|1:4"));
	md = &m->sdp.media[1];
	KUNIT_EXPECT_EQ(test, md->type, UCP_SDP_VIDEO);
	KUNIT_EXPECT_EQ(test, md->port, 0);
	KUNIT_EXPECT_EQ(test, md->secure, 0);
	KUNIT_EXPECT_EQ(test, md->rtcp_mux, 1);
	KUNIT_EXPECT_EQ(test, md->has_rtcp, 0);
	KUNIT_EXPECT_EQ(test, md->ncrypto, 0);
	KUNIT_EXPECT_EQ(test, md->conn.family, 6);
	KUNIT_EXPECT_TRUE(test, addr_eq(&md->conn, &m->tok[18].addr));

	ucp_sip_msg_wipe(m);
	for (i = 0; i < UCP_SDP_MAX_KEY; i++)
		KUNIT_EXPECT_EQ(test, m->sdp.media[0].crypto[0].key[i], 0);
	KUNIT_EXPECT_EQ(test, m->sdp.media[0].ncrypto, 0);
}

/* A response takes its method from CSeq. */
static void response_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	size_t len;
	char *msg = build(test, "SIP/2.0 180 Ringing" CRLF
			  "v: SIP/2.0/UDP 10.0.0.1" CRLF
			  "f: <sip:a@example.com>;tag=1" CRLF
			  "t: <sip:b@example.com>;tag=2" CRLF
			  "i: r@10.0.0.1" CRLF
			  "CSeq: 4294967295 PRACK" CRLF, "", &len);

	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, t->m->is_request, 0);
	KUNIT_EXPECT_EQ(test, t->m->status, 180);
	KUNIT_EXPECT_EQ(test, t->m->method, UCP_SIP_M_PRACK);
	KUNIT_EXPECT_EQ(test, t->m->cseq, 4294967295U);
	KUNIT_EXPECT_EQ(test, t->m->has_sdp, 0);
	KUNIT_EXPECT_EQ(test, t->m->ntokens, 3);
	KUNIT_EXPECT_EQ(test, t->m->content_length.len, 1);
}

/* a=crypto forms */

struct crypto_case {
	const char *name;
	const char *line;	/* after "a=crypto:" */
	u8 reason;
	u8 suite, key_len, key0;	/* key bytes: key0, key0 + 1, ... */
	u64 lifetime;
	u8 log2;
	u32 mki;
	u8 mki_len, kdr, flags;		/* 1 UNENC_SRTP, 2 UNENC_SRTCP, 4 UNAUTH */
};

#define AES80 "AES_CM_128_HMAC_SHA1_80"

/* Accepted: suite, key length, then any of the other fields. */
#define CR_OK(n, l, s, len, ...) \
	{ .name = n, .line = l, .suite = s, .key_len = len, __VA_ARGS__ }
#define CR_BAD(n, l) { .name = n, .line = l, .reason = UCP_SIP_E_CRYPTO }
#define AES128 UCP_SUITE_AES_CM_128_HMAC_SHA1_80
#define SESSION1 " KDR=24 UNENCRYPTED_SRTP UNENCRYPTED_SRTCP"
#define SESSION2 " UNAUTHENTICATED_SRTP FEC_ORDER=FEC_SRTP WSH=64 -X"

static const struct crypto_case crypto_cases[] = {
	CR_OK("aes128", "1 " AES80 " inline:" K30, AES128, 30),
	CR_OK("aes128_32", "9 AES_CM_128_HMAC_SHA1_32 inline:" K30B,
	      UCP_SUITE_AES_CM_128_HMAC_SHA1_32, 30, .key0 = 0x80),
	CR_OK("lifetime_pow", "1 " AES80 " inline:" K30 "|2^31", AES128, 30,
	      .lifetime = 1ULL << 31, .log2 = 31),
	CR_OK("lifetime_dec_pow", "1 " AES80 " inline:" K30 "|1048576", AES128,
	      30, .lifetime = 1048576, .log2 = 20),
	CR_OK("lifetime_dec", "1 " AES80 " inline:" K30 "|1000", AES128, 30,
	      .lifetime = 1000),
	CR_OK("lifetime_mki", "1 " AES80 " inline:" K30 "|2^20|1:4", AES128, 30,
	      .lifetime = 1 << 20, .log2 = 20, .mki = 1, .mki_len = 4),
	CR_OK("mki_only", "1 " AES80 " inline:" K30 "|7:2", AES128, 30,
	      .mki = 7, .mki_len = 2),
	CR_OK("mki_max", "1 " AES80 " inline:" K30 "|4294967295:4", AES128, 30,
	      .mki = 4294967295U, .mki_len = 4),
	CR_OK("mki_255_1", "1 " AES80 " inline:" K30 "|255:1", AES128, 30,
	      .mki = 255, .mki_len = 1),
	CR_OK("aes256", "2 AES_256_CM_HMAC_SHA1_80 inline:" K46,
	      UCP_SUITE_AES_256_CM_HMAC_SHA1_80, 46),
	CR_OK("aes256_nopad", "2 AES_256_CM_HMAC_SHA1_32 inline:" K46NP,
	      UCP_SUITE_AES_256_CM_HMAC_SHA1_32, 46),
	CR_OK("gcm128", "3 AEAD_AES_128_GCM inline:" K28,
	      UCP_SUITE_AEAD_AES_128_GCM, 28),
	CR_OK("gcm256", "4 AEAD_AES_256_GCM inline:" K44 "|2^48",
	      UCP_SUITE_AEAD_AES_256_GCM, 44, .lifetime = 1ULL << 48, .log2 = 48),
	CR_OK("two_keys", "1 " AES80 " inline:" K30 "|2^20|1:4;inline:" K30B
	      "|2^20|2:4", AES128, 30, .lifetime = 1 << 20, .log2 = 20,
	      .mki = 1, .mki_len = 4),
	CR_OK("session_params", "1 " AES80 " inline:" K30 SESSION1 SESSION2,
	      AES128, 30, .kdr = 24, .flags = 7),
	CR_OK("unencrypted_srtcp", "1 " AES80 " inline:" K30
	      " UNENCRYPTED_SRTCP", AES128, 30, .flags = 2),
	CR_OK("kdr0", "1 " AES80 " inline:" K30 " KDR=0", AES128, 30),
	CR_OK("unknown_suite", "5 F8_128_HMAC_SHA1_80 inline:anything|2^20 WSH=9",
	      UCP_SUITE_UNKNOWN, 0),
	CR_OK("tag_max", "999999999 " AES80 " inline:" K30, AES128, 30),

	CR_BAD("tag_10_digits", "1234567890 " AES80 " inline:" K30),
	CR_BAD("tag_word", "one " AES80 " inline:" K30),
	CR_BAD("suite_chars", "1 AES-CM-128 inline:" K30),
	CR_BAD("no_key", "1 " AES80),
	CR_BAD("not_inline", "1 " AES80 " outline:" K30),
	CR_BAD("b64_char", "1 " AES80
	       " inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGx!d"),
	CR_BAD("b64_pad3", "1 " AES80 " inline:" K30 "==="),
	CR_BAD("b64_noncanonical", "1 AEAD_AES_128_GCM inline:" K28BAD),
	CR_BAD("key_short", "1 " AES80 " inline:" K28),
	CR_BAD("key_long", "1 " AES80 " inline:" K46),
	CR_BAD("gcm_key_30", "1 AEAD_AES_128_GCM inline:" K30),
	CR_BAD("lifetime_0", "1 " AES80 " inline:" K30 "|0"),
	CR_BAD("lifetime_2_0", "1 " AES80 " inline:" K30 "|2^0"),
	CR_BAD("lifetime_2_64", "1 " AES80 " inline:" K30 "|2^64"),
	CR_BAD("lifetime_word", "1 " AES80 " inline:" K30 "|2^x"),
	CR_BAD("lifetime_twice", "1 " AES80 " inline:" K30 "|2^20|2^20"),
	CR_BAD("lifetime_after_mki", "1 " AES80 " inline:" K30 "|1:4|2^20"),
	CR_BAD("mki_len_0", "1 " AES80 " inline:" K30 "|1:0"),
	CR_BAD("mki_len_5", "1 " AES80 " inline:" K30 "|1:5"),
	CR_BAD("mki_too_big", "1 " AES80 " inline:" K30 "|256:1"),
	CR_BAD("mki_over_u32", "1 " AES80 " inline:" K30 "|4294967296:4"),
	CR_BAD("mki_twice", "1 " AES80 " inline:" K30 "|1:4|2:4"),
	CR_BAD("empty_field", "1 " AES80 " inline:" K30 "||1:4"),
	CR_BAD("kdr_25", "1 " AES80 " inline:" K30 " KDR=25"),
	CR_BAD("kdr_word", "1 " AES80 " inline:" K30 " KDR=x"),
	CR_BAD("trailing_semicolon", "1 " AES80 " inline:" K30 ";"),
	CR_BAD("second_key_bad", "1 " AES80 " inline:" K30 ";inline:" K28),
	CR_BAD("double_space", "1 " AES80 "  inline:" K30),
};

static void crypto_case_desc(const struct crypto_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(crypto, crypto_cases, crypto_case_desc);

/* No key byte left in any a=crypto slot. */
static bool keys_wiped(const struct ucp_sip_msg *m)
{
	unsigned int i, j, k;

	for (i = 0; i < UCP_SDP_MAX_MEDIA; i++)
		for (j = 0; j < UCP_SDP_MAX_CRYPTO; j++)
			for (k = 0; k < UCP_SDP_MAX_KEY; k++)
				if (m->sdp.media[i].crypto[j].key[k])
					return false;
	return true;
}

static void crypto_test(struct kunit *test)
{
	const struct crypto_case *c = test->param_value;
	struct sip_t *t = sip_new(test);
	const struct ucp_sdp_crypto *cr;
	char body[512];
	unsigned int i;
	size_t len;
	char *msg;

	snprintf(body, sizeof(body), SDP_AUDIO "a=crypto:%s" CRLF, c->line);
	msg = build(test, INV_HDRS, body, &len);
	/* A key of an earlier parse must not survive a failed one either. */
	memset(t->m->sdp.media, 0x5a, sizeof(t->m->sdp.media));
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), c->reason);
	if (c->reason) {
		KUNIT_EXPECT_TRUE(test, keys_wiped(t->m));
		return;
	}
	KUNIT_ASSERT_EQ(test, t->m->sdp.nmedia, 1);
	KUNIT_ASSERT_EQ(test, t->m->sdp.media[0].ncrypto, 1);
	cr = &t->m->sdp.media[0].crypto[0];
	KUNIT_EXPECT_EQ(test, cr->suite, c->suite);
	KUNIT_ASSERT_EQ(test, cr->key_len, c->key_len);
	for (i = 0; i < c->key_len; i++)
		KUNIT_EXPECT_EQ(test, cr->key[i], (u8)(c->key0 + i));
	KUNIT_EXPECT_EQ(test, cr->lifetime, c->lifetime);
	KUNIT_EXPECT_EQ(test, cr->lifetime_log2, c->log2);
	KUNIT_EXPECT_EQ(test, cr->mki, c->mki);
	KUNIT_EXPECT_EQ(test, cr->mki_len, c->mki_len);
	KUNIT_EXPECT_EQ(test, cr->kdr, c->kdr);
	KUNIT_EXPECT_EQ(test, (u8)cr->unencrypted_srtp, !!(c->flags & 1));
	KUNIT_EXPECT_EQ(test, (u8)cr->unencrypted_srtcp, !!(c->flags & 2));
	KUNIT_EXPECT_EQ(test, (u8)cr->unauthenticated_srtp, !!(c->flags & 4));
	KUNIT_EXPECT_TRUE(test, span_is(msg, cr->line, c->line));
	ucp_sip_msg_wipe(t->m);
	KUNIT_EXPECT_TRUE(test, keys_wiped(t->m));
}

/* Rejections, one per rule */

struct reject_case {
	const char *name;
	const char *head;	/* start line and headers */
	const char *body;	/* NULL: @head is the whole message */
	u8 reason;
};

static const struct reject_case reject_cases[] = {
	{ "empty", "", NULL, UCP_SIP_E_START_LINE },
	{ "crlf_only", CRLF, NULL, UCP_SIP_E_START_LINE },
	{ "no_version", "OPTIONS sip:b@example.com" CRLF OPT_HDRS, "",
	  UCP_SIP_E_START_LINE },
	{ "version_3", "OPTIONS sip:b@example.com SIP/3.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_START_LINE },
	{ "two_spaces", "OPTIONS  sip:b@example.com SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_START_LINE },
	{ "trailing_space", "OPTIONS sip:b@example.com SIP/2.0 " CRLF OPT_HDRS,
	  "", UCP_SIP_E_START_LINE },
	{ "method_char", "OPT@ONS sip:b@example.com SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_START_LINE },
	{ "status_700", "SIP/2.0 700 Huh" CRLF OPT_HDRS, "", UCP_SIP_E_START_LINE },
	{ "status_2_digits", "SIP/2.0 20 OK" CRLF OPT_HDRS, "",
	  UCP_SIP_E_START_LINE },
	{ "status_4_digits", "SIP/2.0 2000 OK" CRLF OPT_HDRS, "",
	  UCP_SIP_E_START_LINE },
	{ "reason_ctl", "SIP/2.0 200 O\x01K" CRLF OPT_HDRS, "",
	  UCP_SIP_E_START_LINE },
	{ "lone_cr_start", "OPTIONS sip:b@example.com SIP/2.0\r" OPT_HDRS, "",
	  UCP_SIP_E_START_LINE },

	{ "no_colon", OPT "Foobar roobar" CRLF, "", UCP_SIP_E_HEADER },
	{ "space_in_name", OPT "Max Forwards: 70" CRLF, "", UCP_SIP_E_HEADER },
	{ "fold_first", OPT_LINE " x: y" CRLF OPT_HDRS, "", UCP_SIP_E_HEADER },
	{ "lone_cr", OPT "Subject: a\rb" CRLF, "", UCP_SIP_E_HEADER },
	{ "unterminated", OPT, NULL, UCP_SIP_E_HEADER },
	{ "no_via", OPT_LINE "From: <sip:a@example.com>;tag=1" CRLF
	  "To: <sip:b@example.com>" CRLF "Call-ID: x" CRLF "CSeq: 1 OPTIONS" CRLF,
	  "", UCP_SIP_E_HEADER },
	{ "no_call_id", OPT_LINE "Via: SIP/2.0/UDP h" CRLF
	  "From: <sip:a@example.com>;tag=1" CRLF "To: <sip:b@example.com>" CRLF
	  "CSeq: 1 OPTIONS" CRLF, "", UCP_SIP_E_HEADER },
	{ "no_cseq", OPT_LINE "Via: SIP/2.0/UDP h" CRLF
	  "From: <sip:a@example.com>;tag=1" CRLF "To: <sip:b@example.com>" CRLF
	  "Call-ID: x" CRLF, "", UCP_SIP_E_HEADER },
	{ "two_from", OPT "f: <sip:c@example.com>" CRLF, "", UCP_SIP_E_HEADER },
	{ "two_call_ids", OPT "i: y" CRLF, "", UCP_SIP_E_HEADER },
	{ "two_cseqs", OPT "CSeq: 1 OPTIONS" CRLF, "", UCP_SIP_E_HEADER },
	{ "empty_call_id", OPT_LINE "Call-ID:  " CRLF OPT_HDRS, "",
	  UCP_SIP_E_HEADER },
	{ "call_id_space", OPT_LINE "Call-ID: a b" CRLF OPT_HDRS, "",
	  UCP_SIP_E_HEADER },
	{ "cseq_2_32", OPT_LINE "Via: SIP/2.0/UDP h" CRLF
	  "From: <sip:a@example.com>;tag=1" CRLF "To: <sip:b@example.com>" CRLF
	  "Call-ID: x" CRLF "CSeq: 4294967296 OPTIONS" CRLF, "",
	  UCP_SIP_E_HEADER },
	{ "cseq_method", OPT_LINE "Via: SIP/2.0/UDP h" CRLF
	  "From: <sip:a@example.com>;tag=1" CRLF "To: <sip:b@example.com>" CRLF
	  "Call-ID: x" CRLF "CSeq: 1 options" CRLF, "", UCP_SIP_E_HEADER },
	{ "cseq_no_method", OPT_LINE "Via: SIP/2.0/UDP h" CRLF
	  "From: <sip:a@example.com>;tag=1" CRLF "To: <sip:b@example.com>" CRLF
	  "Call-ID: x" CRLF "CSeq: 1" CRLF, "", UCP_SIP_E_HEADER },
	{ "empty_contact", OPT "Contact:" CRLF, "", UCP_SIP_E_HEADER },
	{ "contact_trailing_comma", OPT "Contact: <sip:c@h>," CRLF, "",
	  UCP_SIP_E_HEADER },
	{ "contact_empty_value", OPT "Contact: <sip:c@h>, ,<sip:d@h>" CRLF, "",
	  UCP_SIP_E_HEADER },
	{ "unbalanced_angle", OPT "Contact: <sip:c@h" CRLF, "",
	  UCP_SIP_E_HEADER },
	{ "unterminated_quote", OPT "Contact: \"c <sip:c@h>" CRLF, "",
	  UCP_SIP_E_HEADER },
	{ "quote_without_angle", OPT "Contact: \"c\" sip:c@h" CRLF, "",
	  UCP_SIP_E_HEADER },
	{ "empty_param", OPT "Contact: <sip:c@h>;;q=1" CRLF, "",
	  UCP_SIP_E_HEADER },
	{ "junk_after_angle", OPT "Contact: <sip:c@h> x" CRLF, "",
	  UCP_SIP_E_HEADER },
	{ "param_no_value", OPT "Contact: <sip:c@h>;q=" CRLF, "",
	  UCP_SIP_E_HEADER },
	{ "ctype_no_subtype", OPT "Content-Type: application" CRLF, "",
	  UCP_SIP_E_HEADER },
	{ "two_ctypes", OPT "c: text/plain" CRLF "c: text/plain" CRLF, "",
	  UCP_SIP_E_HEADER },

	{ "two_lengths", OPT "l: 0" CRLF, "", UCP_SIP_E_CONTENT_LENGTH },
	{ "length_negative", OPT "Content-Length: -1" CRLF CRLF, NULL,
	  UCP_SIP_E_CONTENT_LENGTH },
	{ "length_hex", OPT "Content-Length: 0x10" CRLF CRLF, NULL,
	  UCP_SIP_E_CONTENT_LENGTH },
	{ "length_empty", OPT "Content-Length:" CRLF CRLF, NULL,
	  UCP_SIP_E_CONTENT_LENGTH },
	{ "length_over_body", OPT "Content-Length: 5" CRLF CRLF "abcd", NULL,
	  UCP_SIP_E_CONTENT_LENGTH },

	{ "ruri_angle", "OPTIONS <sip:b@example.com> SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_URI },
	{ "ruri_no_scheme", "OPTIONS b@example.com SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_URI },
	{ "ruri_empty_user", "OPTIONS sip:@example.com SIP/2.0" CRLF OPT_HDRS,
	  "", UCP_SIP_E_URI },
	{ "ruri_no_host", "OPTIONS sip:b@ SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_URI },
	{ "ruri_headers", "OPTIONS sip:b@h?Route=x SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_URI },
	{ "ruri_port_big", "OPTIONS sip:b@h:65536 SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_URI },
	{ "ruri_port_empty", "OPTIONS sip:b@h: SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_URI },
	{ "ruri_host_char", "OPTIONS sip:b@h!x SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_URI },
	{ "ruri_v6_open", "OPTIONS sip:b@[::1 SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_URI },
	{ "ruri_utf8", "OPTIONS sip:b\xc3\xa9@h SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_URI },
	{ "addr_spec_headers", OPT "Contact: sip:c@h?Route=x" CRLF, "",
	  UCP_SIP_E_URI },
	{ "space_in_angle", OPT "Contact: < sip:c@h>" CRLF, "", UCP_SIP_E_URI },
	{ "display_comma", OPT_LINE "Via: SIP/2.0/UDP h" CRLF
	  "From: Bell, Alex <sip:a@example.com>;tag=1" CRLF
	  "To: <sip:b@example.com>" CRLF "Call-ID: x" CRLF "CSeq: 1 OPTIONS" CRLF,
	  "", UCP_SIP_E_URI },
	{ "via_version", OPT "Via: SIP/3.0/UDP h" CRLF, "", UCP_SIP_E_URI },
	{ "via_no_host", OPT "Via: SIP/2.0/UDP" CRLF, "", UCP_SIP_E_URI },
	{ "via_no_transport", OPT "Via: SIP/2.0/ h" CRLF, "", UCP_SIP_E_URI },
	{ "via_rport_word", OPT "Via: SIP/2.0/UDP h;rport=x" CRLF, "",
	  UCP_SIP_E_URI },
	{ "via_port_big", OPT "Via: SIP/2.0/UDP h:70000" CRLF, "",
	  UCP_SIP_E_URI },

	{ "ruri_v4_256", "OPTIONS sip:b@1.2.3.256 SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_ADDRESS },
	{ "ruri_v4_short", "OPTIONS sip:b@1.2.3 SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_ADDRESS },
	{ "ruri_bare_v6", "OPTIONS sip:b@2001:db8::1 SIP/2.0" CRLF OPT_HDRS, "",
	  UCP_SIP_E_ADDRESS },
	{ "ruri_v6_two_gaps", "OPTIONS sip:b@[1::2::3] SIP/2.0" CRLF OPT_HDRS,
	  "", UCP_SIP_E_ADDRESS },
	{ "via_received_short", OPT "Via: SIP/2.0/UDP h;received=1.2.3" CRLF, "",
	  UCP_SIP_E_ADDRESS },
	{ "via_received_v4_brackets", OPT
	  "Via: SIP/2.0/UDP h;received=[1.2.3.4]" CRLF, "", UCP_SIP_E_ADDRESS },
	{ "via_received_name", OPT "Via: SIP/2.0/UDP h;received=h" CRLF, "",
	  UCP_SIP_E_ADDRESS },
	{ "sdp_v6_bad", INV_HDRS, SDP_HEAD "m=audio 4 RTP/AVP 0" CRLF
	  "c=IN IP6 2001:db8:::1" CRLF, UCP_SIP_E_ADDRESS },

	{ "sdp_version", INV_HDRS, "v=1" CRLF "o=- 1 1 IN IP4 1.2.3.4" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_no_origin", INV_HDRS, "v=0" CRLF "s=-" CRLF, UCP_SIP_E_SDP },
	{ "sdp_only_version", INV_HDRS, "v=0" CRLF, UCP_SIP_E_SDP },
	{ "sdp_two_origins", INV_HDRS, SDP_HEAD "o=- 1 1 IN IP4 1.2.3.4" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_two_versions", INV_HDRS, SDP_HEAD "v=0" CRLF, UCP_SIP_E_SDP },
	{ "sdp_two_conns", INV_HDRS, SDP_HEAD "c=IN IP4 1.2.3.4" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_two_media_conns", INV_HDRS, SDP_AUDIO "c=IN IP4 1.2.3.4" CRLF
	  "c=IN IP4 1.2.3.4" CRLF, UCP_SIP_E_SDP },
	{ "sdp_ip7", INV_HDRS, SDP_AUDIO "c=IN IP7 1.2.3.4" CRLF, UCP_SIP_E_SDP },
	{ "sdp_v4_says_v6", INV_HDRS, SDP_AUDIO "c=IN IP6 1.2.3.4" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_bad_name", INV_HDRS, SDP_AUDIO "c=IN IP4 h!x" CRLF, UCP_SIP_E_SDP },
	{ "sdp_extra_field", INV_HDRS, SDP_AUDIO "c=IN IP4 1.2.3.4 x" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_origin_ttl", INV_HDRS, "v=0" CRLF "o=- 1 1 IN IP4 224.1.1.1/3" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_ttl_word", INV_HDRS, SDP_AUDIO "c=IN IP4 224.1.1.1/x" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_short_m", INV_HDRS, SDP_HEAD "m=audio 4000" CRLF, UCP_SIP_E_SDP },
	{ "sdp_port_word", INV_HDRS, SDP_HEAD "m=audio x RTP/AVP 0" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_nports_0", INV_HDRS, SDP_HEAD "m=audio 4000/0 RTP/AVP 0" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_nports_256", INV_HDRS, SDP_HEAD "m=audio 4000/256 RTP/AVP 0" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_rtcp_word", INV_HDRS, SDP_AUDIO "a=rtcp:x" CRLF, UCP_SIP_E_SDP },
	{ "sdp_rtcp_two", INV_HDRS, SDP_AUDIO "a=rtcp:5" CRLF "a=rtcp:7" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_rtcp_short_addr", INV_HDRS, SDP_AUDIO "a=rtcp:5 IN IP4" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_lone_cr", INV_HDRS, "v=0\ro=- 1 1 IN IP4 1.2.3.4" CRLF,
	  UCP_SIP_E_SDP },
	{ "sdp_upper_type", INV_HDRS, "V=0" CRLF, UCP_SIP_E_SDP },
	{ "sdp_no_equals", INV_HDRS, SDP_AUDIO "a" CRLF, UCP_SIP_E_SDP },

	{ "crypto_in_second_media", INV_HDRS, SDP_AUDIO
	  "m=video 4002 RTP/SAVP 96" CRLF "a=crypto:1 " AES80 " inline:x" CRLF,
	  UCP_SIP_E_CRYPTO },
};

static void reject_case_desc(const struct reject_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(reject, reject_cases, reject_case_desc);

static void reject_test(struct kunit *test)
{
	const struct reject_case *c = test->param_value;
	struct sip_t *t = sip_new(test);
	size_t len;
	char *msg;

	if (c->body) {
		msg = build(test, c->head, c->body, &len);
	} else {
		len = strlen(c->head);
		msg = exact(test, c->head, len);
	}
	KUNIT_EXPECT_EQ_MSG(test, ucp_sip_parse(t->m, msg, len), c->reason,
			    "want %s", ucp_sip_reason_name(c->reason));
}

/* What is accepted though unusual: each must parse. */
#define ACC(n, h, b) { .name = n, .head = h, .body = b }

static const struct reject_case accept_cases[] = {
	ACC("lf_only", OPT_LINE "Via: SIP/2.0/UDP h\nFrom: <sip:a@h>;tag=1\n"
	    "To: <sip:b@h>\nCall-ID: x\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n",
	    NULL),
	ACC("mixed_line_ends", OPT "Content-Length: 0\n\r\n", NULL),
	ACC("no_reason_phrase", "SIP/2.0 200" CRLF OPT_HDRS, ""),
	ACC("utf8_reason", "SIP/2.0 200 \xd0\x9e\xd0\x9a" CRLF OPT_HDRS, ""),
	ACC("lowercase_version", "OPTIONS sip:b@h sip/2.0" CRLF OPT_HDRS, ""),
	ACC("unknown_scheme", "OPTIONS urn:service:sos SIP/2.0" CRLF OPT_HDRS, ""),
	ACC("tel_uri", "OPTIONS tel:+1-201-555-0123 SIP/2.0" CRLF OPT_HDRS, ""),
	ACC("contact_star", OPT "Contact: *" CRLF "Expires: 0" CRLF, ""),
	ACC("contact_list", OPT "m: <sip:a@h>,\"x, y\" <sip:b@h>;p=\"q,r\";q=0.1," CRLF
	    " sip:c@h;expires=5" CRLF, ""),
	ACC("quoted_escapes", OPT "Contact: \"a\\\"b\\\\\" <sip:c@h>" CRLF, ""),
	ACC("angle_headers", OPT "Contact: <sip:c@h?Route=%3Csip:x%3E&a=b,c>" CRLF,
	    ""),
	ACC("folded_everywhere", OPT "Route:" CRLF " <sip:r@h;lr>" CRLF
	    "\t, <sip:s@h;lr>" CRLF, ""),
	ACC("via_lws", OPT "Via: SIP / 2.0 / TLS h : 5061 ; received = 1.2.3.4 ;"
	    " rport = 9" CRLF, ""),
	ACC("via_v6_received", OPT "Via: SIP/2.0/UDP [::1];received=::2" CRLF, ""),
	ACC("via_v6_received_br", OPT "Via: SIP/2.0/UDP h;received=[::2]" CRLF,
	    ""),
	ACC("rport_bare", OPT "Via: SIP/2.0/UDP h;rport;x=\"a,b\"" CRLF, ""),
	ACC("empty_header", OPT "Subject:" CRLF "s:  " CRLF, ""),
	ACC("binary_body", OPT "Content-Type: application/octet-stream" CRLF,
	    "\x01\x7f\xff"),
	ACC("multipart_ignored", OPT "Content-Type: multipart/mixed;boundary=x" CRLF,
	    "--x" CRLF "Content-Type: application/sdp" CRLF CRLF "v=9" CRLF),
	ACC("sdp_ctype_params", INV_BASE
	    "c: Application/SDP ; charset=utf-8;x=\"y\"" CRLF, SDP_AUDIO),
	ACC("sdp_lf_no_final_eol", INV_HDRS,
	    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nm=audio 4 RTP/AVP 0"),
	ACC("sdp_blank_lines", INV_HDRS, SDP_AUDIO CRLF CRLF),
	ACC("sdp_trailing_space", INV_HDRS, SDP_HEAD "m=audio 4 RTP/AVP 0  " CRLF),
	ACC("sdp_multicast", INV_HDRS, SDP_HEAD "m=audio 4/2 RTP/AVP 0" CRLF
	    "c=IN IP4 224.2.1.1/127/3" CRLF "m=video 6 RTP/AVP 0" CRLF
	    "c=IN IP6 ff15::101/3" CRLF),
	ACC("sdp_fqdn", INV_HDRS, "v=0" CRLF "o=- 1 1 IN IP6 h.example.com" CRLF
	    "c=IN IP4 h.example.com" CRLF),
	ACC("sdp_other_nettype", INV_HDRS, "v=0" CRLF "o=- 1 1 ATM NSAP x" CRLF
	    "c=TN RFC2543 +1" CRLF),
	ACC("sdp_session_attrs", INV_HDRS, SDP_HEAD "a=rtcp:9" CRLF
	    "a=crypto:1 x" CRLF),
	ACC("sdp_empty_body", INV_HDRS, ""),
};

KUNIT_ARRAY_PARAM(accept, accept_cases, reject_case_desc);

static void accept_test(struct kunit *test)
{
	const struct reject_case *c = test->param_value;
	struct sip_t *t = sip_new(test);
	size_t len, skip, msg_len;
	char *msg;

	if (c->body) {
		msg = build(test, c->head, c->body, &len);
	} else {
		len = strlen(c->head);
		msg = exact(test, c->head, len);
	}
	KUNIT_ASSERT_EQ(test, ucp_sip_frame(msg, len, true, &skip, &msg_len),
			UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, skip, 0);
	KUNIT_EXPECT_EQ(test, msg_len, len);
	KUNIT_EXPECT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
}

/* Limits */

static void limits_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	size_t cap = 8 * UCP_SIP_MAX_MSG, len = 0, skip, msg_len;
	char *head = kunit_kmalloc(test, cap, GFP_KERNEL);
	char *msg;
	int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, head);
	/* Tokens: exactly the maximum (3 + Vias), then one more. */
	len = snprintf(head, cap, "%s", OPT_LINE "From: <sip:a@h>;tag=1" CRLF
		       "To: <sip:b@h>" CRLF "Call-ID: x" CRLF "CSeq: 1 OPTIONS" CRLF);
	for (i = 3; i < UCP_SIP_MAX_TOKENS; i++)
		len += snprintf(head + len, cap - len,
				"Via: SIP/2.0/UDP 10.0.0.%d" CRLF, i);
	msg = build(test, head, "", &len);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, t->m->ntokens, UCP_SIP_MAX_TOKENS);
	KUNIT_EXPECT_EQ(test, t->m->tok[UCP_SIP_MAX_TOKENS - 1].via_index,
			UCP_SIP_MAX_TOKENS - 4);
	len = strlen(head);
	snprintf(head + len, cap - len, "Contact: <sip:c@h>" CRLF);
	msg = build(test, head, "", &len);
	KUNIT_EXPECT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_E_TOO_MANY);

	/* Media: 8, then 9. */
	len = snprintf(head, cap, "%s", SDP_HEAD);
	for (i = 0; i < UCP_SDP_MAX_MEDIA; i++)
		len += snprintf(head + len, cap - len,
				"m=audio %d RTP/AVP 0" CRLF, 4000 + 2 * i);
	msg = build(test, INV_HDRS, head, &len);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, t->m->sdp.nmedia, UCP_SDP_MAX_MEDIA);
	strcat(head, "m=audio 9 RTP/AVP 0" CRLF);
	msg = build(test, INV_HDRS, head, &len);
	KUNIT_EXPECT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_E_TOO_MANY);

	/* a=crypto: 4, then 5. */
	len = snprintf(head, cap, "%s", SDP_AUDIO);
	for (i = 1; i <= UCP_SDP_MAX_CRYPTO; i++)
		len += snprintf(head + len, cap - len,
				"a=crypto:%d " AES80 " inline:" K30 CRLF, i);
	msg = build(test, INV_HDRS, head, &len);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, t->m->sdp.media[0].ncrypto, UCP_SDP_MAX_CRYPTO);
	strcat(head, "a=crypto:9 " AES80 " inline:" K30 CRLF);
	msg = build(test, INV_HDRS, head, &len);
	KUNIT_EXPECT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_E_TOO_MANY);
	KUNIT_EXPECT_TRUE(test, keys_wiped(t->m));

	/* Size: UCP_SIP_MAX_MSG is accepted, one more byte is not. */
	len = UCP_SIP_MAX_MSG;
	msg = sized(test, len);
	KUNIT_EXPECT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, true, &skip, &msg_len),
			UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, false, &skip, &msg_len),
			UCP_SIP_OK);
	len = UCP_SIP_MAX_MSG + 1;
	msg = sized(test, len);
	KUNIT_EXPECT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_E_TOO_LARGE);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, true, &skip, &msg_len),
			UCP_SIP_E_TOO_LARGE);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, false, &skip, &msg_len),
			UCP_SIP_E_TOO_LARGE);
	/* Headers that do not end within the limit, on a stream. */
	len = UCP_SIP_MAX_MSG + 100;
	msg = sized(test, len);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, UCP_SIP_MAX_MSG, true, &skip,
					    &msg_len), UCP_SIP_E_TOO_LARGE);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, UCP_SIP_MAX_MSG - 1, true, &skip,
					    &msg_len), UCP_SIP_E_INCOMPLETE);
	/* A Content-Length that would pass the limit. */
	msg = exact(test, OPT "Content-Length: 99999999999999999999" CRLF CRLF,
		    strlen(OPT "Content-Length: 99999999999999999999" CRLF CRLF));
	len = strlen(OPT "Content-Length: 99999999999999999999" CRLF CRLF);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, true, &skip, &msg_len),
			UCP_SIP_E_TOO_LARGE);
	KUNIT_EXPECT_EQ(test, ucp_sip_parse(t->m, msg, len),
			UCP_SIP_E_CONTENT_LENGTH);
}

/* Framing */

static void keepalive_test(struct kunit *test)
{
	size_t skip = 99, msg_len = 99, len;
	char *b = exact(test, CRLF CRLF "\n" CRLF, 7);
	char *msg;

	KUNIT_EXPECT_EQ(test, ucp_sip_frame(b, 7, true, &skip, &msg_len),
			UCP_SIP_E_INCOMPLETE);
	KUNIT_EXPECT_EQ(test, skip, 7);
	KUNIT_EXPECT_EQ(test, msg_len, 0);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(b, 7, false, &skip, &msg_len),
			UCP_SIP_E_INCOMPLETE);
	KUNIT_EXPECT_EQ(test, skip, 7);
	/* Half a CRLF: a stream waits, a datagram has no start line. */
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(b, 6, true, &skip, &msg_len),
			UCP_SIP_E_INCOMPLETE);
	KUNIT_EXPECT_EQ(test, skip, 5);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(b, 6, false, &skip, &msg_len),
			UCP_SIP_E_START_LINE);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(b, 0, true, &skip, &msg_len),
			UCP_SIP_E_INCOMPLETE);
	KUNIT_EXPECT_EQ(test, skip, 0);

	msg = build(test, CRLF CRLF OPT, "", &len);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, false, &skip, &msg_len),
			UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, skip, 4);
	KUNIT_EXPECT_EQ(test, msg_len, len - 4);
}

static void datagram_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	size_t len, skip, msg_len;
	char *msg;

	/* No Content-Length: the rest of the datagram is the body. */
	len = strlen(OPT CRLF "body");
	msg = exact(test, OPT CRLF "body", len);
	KUNIT_ASSERT_EQ(test, ucp_sip_frame(msg, len, false, &skip, &msg_len),
			UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, msg_len, len);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, t->m->body.len, 4);
	KUNIT_EXPECT_EQ(test, t->m->content_length.len, 0);
	/* ... and a stream cannot frame it. */
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, true, &skip, &msg_len),
			UCP_SIP_E_CONTENT_LENGTH);
	/* Bytes after the body are not part of the message. */
	len = strlen(OPT "l: 2" CRLF CRLF "body");
	msg = exact(test, OPT "l: 2" CRLF CRLF "body", len);
	KUNIT_ASSERT_EQ(test, ucp_sip_frame(msg, len, false, &skip, &msg_len),
			UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, msg_len, len - 2);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, t->m->len, len - 2);
	KUNIT_EXPECT_EQ(test, t->m->body.len, 2);
	/* A body shorter than its Content-Length. */
	len = strlen(OPT "l: 9" CRLF CRLF "body");
	msg = exact(test, OPT "l: 9" CRLF CRLF "body", len);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, false, &skip, &msg_len),
			UCP_SIP_E_CONTENT_LENGTH);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, true, &skip, &msg_len),
			UCP_SIP_E_INCOMPLETE);
	/* Headers cut short: a datagram's fault, a stream's wait. */
	len = strlen(OPT);
	msg = exact(test, OPT, len);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, false, &skip, &msg_len),
			UCP_SIP_E_HEADER);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, len, true, &skip, &msg_len),
			UCP_SIP_E_INCOMPLETE);
	KUNIT_EXPECT_EQ(test, ucp_sip_frame(msg, 10, false, &skip, &msg_len),
			UCP_SIP_E_START_LINE);
}

/* The messages written here, for framing and rewriting. */
static const struct {
	const char *head, *body;
} messages[] = {
	{ FACTS_HEAD, FACTS_BODY },
	{ OPT, "" },
	{ "SIP/2.0 200 OK" CRLF
	  "Via: SIP/2.0/UDP 192.168.1.5:5060;received=203.0.113.9;rport=4000," CRLF
	  " SIP/2.0/TCP [2001:db8::7];received=[2001:db8::8]" CRLF
	  "From: sip:a@192.168.1.5;tag=1" CRLF
	  "To: \"B\" <sips:b@[2001:db8::3]:5061>;tag=2" CRLF
	  "Call-ID: y" CRLF "CSeq: 2 INVITE" CRLF
	  "Contact: <sip:b@192.168.1.5>;expires=30, sip:c@h.example.com" CRLF
	  "Route: <sip:192.168.1.1;lr>" CRLF
	  "c: application/sdp" CRLF,
	  "v=0\no=- 1 1 IN IP6 2001:db8::3\ns=-\nc=IN IP4 224.2.1.1/127/3\n"
	  "t=0 0\nm=audio 5004 RTP/SAVPF 0\na=rtcp:5005\na=rtcp-mux\n"
	  "a=crypto:2 AEAD_AES_256_GCM inline:" K44 "|2^20|1:1\n"
	  "m=image 6000 udptl t38\nc=IN IP4 t38.example.com\n"
	  "a=rtcp:6001 IN IP6 ::1\n" },
	{ "REGISTER sip:registrar.example.com SIP/2.0" CRLF
	  "v: SIP/2.0/UDP 10.1.2.3" CRLF "f: <sip:u@example.com>;tag=9" CRLF
	  "t: <sip:u@example.com>" CRLF "i: reg@10.1.2.3" CRLF
	  "CSeq: 9 REGISTER" CRLF "m: <sip:u@10.1.2.3>" CRLF "Expires: 600" CRLF,
	  "" },
};

static char *message(struct kunit *test, unsigned int i, size_t *len)
{
	return build(test, messages[i].head, messages[i].body, len);
}

/* N messages and keep-alives back to back, on a stream. */
static void concat_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	size_t lens[ARRAY_SIZE(messages)], total = 0, off = 0, skip, msg_len;
	unsigned int i, round, n = 0;
	char *all, *buf;

	for (i = 0; i < ARRAY_SIZE(messages); i++) {
		message(test, i, &lens[i]);
		total += 2 * (lens[i] + 4);
	}
	buf = kunit_kmalloc(test, total, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < ARRAY_SIZE(messages); i++) {
			if ((i + round) % 2) {
				memcpy(buf + off, CRLF CRLF, 4);
				off += 4;
			}
			memcpy(buf + off, message(test, i, &lens[i]), lens[i]);
			off += lens[i];
		}
	}
	all = exact(test, buf, off);
	total = off;
	off = 0;
	for (;;) {
		int ret = ucp_sip_frame(all + off, total - off, true, &skip,
					&msg_len);

		if (ret == UCP_SIP_E_INCOMPLETE) {
			KUNIT_EXPECT_EQ(test, off + skip, total);
			break;
		}
		KUNIT_ASSERT_EQ(test, ret, UCP_SIP_OK);
		KUNIT_EXPECT_EQ(test, msg_len, lens[n % ARRAY_SIZE(messages)]);
		KUNIT_EXPECT_EQ(test, ucp_sip_parse(t->m, all + off + skip,
						    msg_len), UCP_SIP_OK);
		off += skip + msg_len;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 2 * ARRAY_SIZE(messages));
}

/* Every prefix of a message on a stream needs more bytes; all of it frames. */
static void split_check(struct kunit *test, const char *msg, size_t len)
{
	size_t k, skip, msg_len;
	char *p;

	for (k = 0; k < len; k++) {
		p = exact(test, msg, k);
		KUNIT_ASSERT_EQ_MSG(test, ucp_sip_frame(p, k, true, &skip,
							&msg_len),
				    UCP_SIP_E_INCOMPLETE, "prefix of %zu/%zu", k,
				    len);
		kunit_kfree(test, p);
	}
	KUNIT_ASSERT_EQ(test, ucp_sip_frame(msg, len, true, &skip, &msg_len),
			UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, skip, 0);
	KUNIT_EXPECT_EQ(test, msg_len, len);
}

static void split_test(struct kunit *test)
{
	unsigned int i;
	size_t len;
	char *msg;

	for (i = 0; i < ARRAY_SIZE(messages); i++) {
		msg = message(test, i, &len);
		split_check(test, msg, len);
	}
}

/* Rewriting */

/* Ways to substitute, each applied to every token of a message. */
enum subst_way {
	WAY_IDENTITY,		/* nothing set: the output is the input */
	WAY_SHORT,		/* IPv4 -> 1.2.3.4, IPv6 -> 2001:db8::1, port 7 */
	WAY_LONG_V4,		/* everything -> 203.113.255.254:65535 */
	WAY_V6,			/* everything -> full IPv6, port 1 */
	WAY_MIXED,		/* families alternate, some tokens kept */
	WAY_PORTS,		/* ports only */
	WAY_COUNT
};

static const char *const way_names[WAY_COUNT] = {
	"identity", "short", "long_v4", "v6", "mixed", "ports",
};

static void make_subst(const struct ucp_sip_msg *m, struct ucp_sip_subst *s,
		       enum subst_way way)
{
	static const u8 v6_short[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const u8 v6_long[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0xaa, 0xaa, 0xbb, 0xbb,
		0xcc, 0xcc, 0xdd, 0xdd, 0xee, 0xee, 0xff, 0xff };
	static const u8 v6_mapped[16] = { [10] = 0xff, 0xff, 10, 0, 0, 2 };
	unsigned int i;

	memset(s, 0, sizeof(*s) * UCP_SIP_MAX_TOKENS);
	for (i = 0; i < m->ntokens; i++) {
		const struct ucp_sip_token *k = &m->tok[i];
		struct ucp_sip_subst *x = &s[i];

		switch (way) {
		case WAY_IDENTITY:
		case WAY_COUNT:
			break;
		case WAY_SHORT:
			x->set = 1;
			x->port = 7;
			if (k->addr.family == 4)
				x->addr = v4(1, 2, 3, 4);
			if (k->addr.family == 6) {
				x->addr.family = 6;
				memcpy(x->addr.a, v6_short, 16);
			}
			break;
		case WAY_LONG_V4:
			x->set = 1;
			x->port = 65535;
			x->addr = v4(203, 113, 255, 254);
			break;
		case WAY_V6:
			x->set = 1;
			x->port = 1;
			x->addr.family = 6;
			memcpy(x->addr.a, v6_long, 16);
			break;
		case WAY_MIXED:
			x->set = i % 3 != 2;
			x->port = i % 2 ? 1000 + i : 0;
			if (i % 2) {
				x->addr = v4(10, 0, 0, 1);
			} else {
				x->addr.family = 6;
				memcpy(x->addr.a, v6_mapped, 16);
			}
			break;
		case WAY_PORTS:
			x->set = 1;
			x->port = 5060 + i;
			break;
		}
	}
}

static u32 digits_value(const char *b, struct ucp_span s)
{
	u32 v = 0;
	unsigned int i;

	for (i = 0; i < s.len; i++)
		v = v * 10 + (b[s.off + i] - '0');
	return v;
}

/*
 * Rewrite @in (already parsed into t->m) as t->subst says, parse the
 * output and check it against the contract: same tokens, the new values
 * where set, the old ones elsewhere, Content-Length the body's length.
 */
static void check_rewrite(struct kunit *test, struct sip_t *t, const char *in,
			  const char *what)
{
	const struct ucp_sip_msg *m = t->m, *m2 = t->m2;
	size_t out_len;
	unsigned int i, j;
	char *out;
	int ret;

	ret = ucp_sip_rewrite(m, in, t->subst, t->out, t->out_size, &out_len);
	KUNIT_ASSERT_EQ_MSG(test, ret, UCP_SIP_OK, "%s: rewrite: %s", what,
			    ucp_sip_reason_name(ret));
	out = exact(test, t->out, out_len);
	ret = ucp_sip_parse(t->m2, out, out_len);
	KUNIT_ASSERT_EQ_MSG(test, ret, UCP_SIP_OK, "%s: re-parse: %s\n%.*s", what,
			    ucp_sip_reason_name(ret), (int)out_len, out);
	KUNIT_EXPECT_EQ_MSG(test, m2->len, out_len, "%s", what);
	if (m2->content_length.len)
		KUNIT_EXPECT_EQ_MSG(test, digits_value(out, m2->content_length),
				    m2->body.len, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, m2->is_request, m->is_request, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, m2->method, m->method, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, m2->status, m->status, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, m2->cseq, m->cseq, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, m2->expires, m->expires, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, m2->has_sdp, m->has_sdp, "%s", what);
	KUNIT_ASSERT_EQ_MSG(test, m2->ntokens, m->ntokens, "%s", what);
	for (i = 0; i < m->ntokens; i++) {
		const struct ucp_sip_token *a = &m->tok[i], *b = &m2->tok[i];
		const struct ucp_sip_subst *s = &t->subst[i];
		bool new_addr = s->set && (s->addr.family == 4 ||
					   s->addr.family == 6) && a->host.len &&
				!is_text_kind(a->kind);
		const struct ucp_sip_addr *want = new_addr ? &s->addr : &a->addr;
		u16 port = s->set && s->port && takes_port(a) ? s->port : a->port;

		KUNIT_EXPECT_EQ_MSG(test, b->kind, a->kind, "%s: token %u", what, i);
		KUNIT_EXPECT_EQ_MSG(test, b->media, a->media, "%s: token %u", what, i);
		KUNIT_EXPECT_EQ_MSG(test, b->via_index, a->via_index, "%s: token %u",
				    what, i);
		KUNIT_EXPECT_TRUE_MSG(test, addr_eq(&b->addr, want),
				      "%s: token %u address", what, i);
		KUNIT_EXPECT_EQ_MSG(test, b->port, port, "%s: token %u port", what, i);
		if (!new_addr) {
			KUNIT_EXPECT_EQ_MSG(test, b->bracketed, a->bracketed,
					    "%s: token %u", what, i);
			KUNIT_EXPECT_TRUE_MSG(test, b->host.len == a->host.len &&
					      !memcmp(out + b->host.off,
						      in + a->host.off,
						      a->host.len),
					      "%s: token %u host kept", what, i);
		} else if (is_uri_kind(a->kind)) {
			KUNIT_EXPECT_EQ_MSG(test, b->bracketed,
					    want->family == 6, "%s: token %u",
					    what, i);
		}
		if (!(s->set && s->port && takes_port(a)))
			KUNIT_EXPECT_EQ_MSG(test, b->port_span.len,
					    a->port_span.len, "%s: token %u",
					    what, i);
	}
	KUNIT_ASSERT_EQ_MSG(test, m2->sdp.nmedia, m->sdp.nmedia, "%s", what);
	for (i = 0; i < m->sdp.nmedia; i++) {
		const struct ucp_sdp_media *a = &m->sdp.media[i];
		const struct ucp_sdp_media *b = &m2->sdp.media[i];

		KUNIT_EXPECT_EQ_MSG(test, b->type, a->type, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, b->nports, a->nports, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, b->secure, a->secure, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, b->rtcp_mux, a->rtcp_mux, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, b->has_rtcp, a->has_rtcp, "%s", what);
		KUNIT_ASSERT_EQ_MSG(test, b->ncrypto, a->ncrypto, "%s", what);
		for (j = 0; j < a->ncrypto; j++) {
			KUNIT_EXPECT_EQ(test, b->crypto[j].suite, a->crypto[j].suite);
			KUNIT_EXPECT_EQ(test, b->crypto[j].key_len,
					a->crypto[j].key_len);
			KUNIT_EXPECT_EQ(test, memcmp(b->crypto[j].key, a->crypto[j].key,
						     UCP_SDP_MAX_KEY), 0);
			KUNIT_EXPECT_EQ(test, b->crypto[j].lifetime,
					a->crypto[j].lifetime);
			KUNIT_EXPECT_EQ(test, b->crypto[j].mki, a->crypto[j].mki);
		}
	}
	/* Nothing substituted: byte for byte the message. */
	for (i = 0; i < m->ntokens; i++)
		if (t->subst[i].set)
			return;
	KUNIT_EXPECT_TRUE_MSG(test, out_len == m->len &&
			      !memcmp(out, in, out_len),
			      "%s: nothing substituted, yet the output differs",
			      what);
}

/* Every way of substituting, on a message that ucp_sip_parse() took. */
static void rewrite_all_ways(struct kunit *test, struct sip_t *t, const char *in,
			     const char *name)
{
	char what[160];
	int way;

	for (way = 0; way < WAY_COUNT; way++) {
		make_subst(t->m, t->subst, way);
		snprintf(what, sizeof(what), "%s, %s", name, way_names[way]);
		check_rewrite(test, t, in, what);
	}
}

static void rewrite_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	char name[32];
	unsigned int i;
	size_t len;
	char *msg;

	for (i = 0; i < ARRAY_SIZE(messages); i++) {
		msg = message(test, i, &len);
		KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
		snprintf(name, sizeof(name), "message %u", i);
		rewrite_all_ways(test, t, msg, name);
	}
}

/* Whether @lit occurs in [b, b + len) (not NUL-terminated). */
static bool has_text(const char *b, size_t len, const char *lit)
{
	size_t n = strlen(lit), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(b + i, lit, n))
			return true;
	return false;
}

/* The token of @kind for media @media (the first of its kind). */
static int find_tok(const struct ucp_sip_msg *m, u8 kind, u8 media)
{
	unsigned int i;

	for (i = 0; i < m->ntokens; i++)
		if (m->tok[i].kind == kind && m->tok[i].media == media)
			return i;
	return -1;
}

static const u8 test_key[46] = {
	0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xa9, 0xba,
	0xcb, 0xdc, 0xed, 0xfe, 0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69,
	0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0, 0x01, 0x12,
	0x23, 0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd,
	0xde, 0xef,
};

/*
 * What the media glue does to a secure stream toward a plain side: the
 * proto becomes RTP/AVP and the a=crypto line goes; and back: the proto
 * becomes RTP/SAVP and a line with the proxy's key is added at the end of
 * the media description, where the parser reads it back exactly.
 */
static void srtp_strip_and_add_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	struct ucp_sip_subst *s = t->subst;
	size_t len, out_len, len2;
	char *msg = build(test, FACTS_HEAD, FACTS_BODY, &len);
	char line[UCP_SDP_CRYPTO_LINE_MAX], *plain, *again;
	const struct ucp_sdp_media *md;
	int proto, crypto, end;
	unsigned int n;

	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	proto = find_tok(t->m, UCP_TOK_SDP_PROTO, 0);
	crypto = find_tok(t->m, UCP_TOK_SDP_CRYPTO, 0);
	KUNIT_ASSERT_GE(test, proto, 0);
	KUNIT_ASSERT_GE(test, crypto, 0);
	memset(s, 0, sizeof(*s) * UCP_SIP_MAX_TOKENS);
	s[proto].set = 1;
	s[proto].text = ucp_sdp_proto_name(false, t->m->sdp.media[0].feedback);
	s[proto].text_len = strlen(s[proto].text);
	s[crypto].set = 1;
	s[crypto].text = "";
	KUNIT_ASSERT_EQ(test, ucp_sip_rewrite(t->m, msg, s, t->out, t->out_size,
					      &out_len), UCP_SIP_OK);
	plain = exact(test, t->out, out_len);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m2, plain, out_len), UCP_SIP_OK);
	md = &t->m2->sdp.media[0];
	KUNIT_EXPECT_EQ(test, md->secure, 0);
	KUNIT_EXPECT_EQ(test, md->rtp, 1);
	KUNIT_EXPECT_EQ(test, md->ncrypto, 0);
	KUNIT_EXPECT_EQ(test, md->port, 4000);
	KUNIT_EXPECT_EQ(test, md->rtcp_port, 4001);
	KUNIT_EXPECT_FALSE(test, has_text(plain, out_len, "crypto"));
	KUNIT_EXPECT_TRUE(test, has_text(plain, out_len, "m=audio 4000 RTP/AVP 0\r\n"
					    "a=rtcp:4001"));
	/* Content-Length follows the body. */
	KUNIT_EXPECT_EQ(test, t->m2->body.len, strlen(FACTS_BODY) -
			t->m->tok[crypto].host.len - 1);

	/* Back: the plain stream made secure with our key. */
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, plain, out_len), UCP_SIP_OK);
	proto = find_tok(t->m, UCP_TOK_SDP_PROTO, 0);
	end = find_tok(t->m, UCP_TOK_SDP_MEDIA_END, 0);
	KUNIT_ASSERT_GE(test, end, 0);
	KUNIT_EXPECT_EQ(test, t->m->tok[end].flags, UCP_TOKF_CRLF);
	n = ucp_sdp_crypto_line(line, 7, UCP_SUITE_AES_CM_128_HMAC_SHA1_80,
				test_key, t->m->tok[end].flags);
	KUNIT_ASSERT_GT(test, n, 0);
	memset(s, 0, sizeof(*s) * UCP_SIP_MAX_TOKENS);
	s[proto] = (struct ucp_sip_subst){ .set = 1, .text = "RTP/SAVP",
					   .text_len = 8 };
	s[end] = (struct ucp_sip_subst){ .set = 1, .text = line,
					 .text_len = n };
	KUNIT_ASSERT_EQ(test, ucp_sip_rewrite(t->m, plain, s, t->out,
					      t->out_size, &len2), UCP_SIP_OK);
	again = exact(test, t->out, len2);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m2, again, len2), UCP_SIP_OK);
	md = &t->m2->sdp.media[0];
	KUNIT_EXPECT_EQ(test, md->secure, 1);
	KUNIT_ASSERT_EQ(test, md->ncrypto, 1);
	KUNIT_EXPECT_EQ(test, md->crypto[0].tag, 7);
	KUNIT_EXPECT_EQ(test, md->crypto[0].suite,
			UCP_SUITE_AES_CM_128_HMAC_SHA1_80);
	KUNIT_EXPECT_EQ(test, md->crypto[0].key_len, 30);
	KUNIT_EXPECT_EQ(test, memcmp(md->crypto[0].key, test_key, 30), 0);
	/* Added before the next m= line, after the stream's own attributes. */
	KUNIT_EXPECT_TRUE(test, has_text(again, len2, "IN IP4 192.168.1.11\r\n"
					    "a=crypto:7 "));
	KUNIT_EXPECT_EQ(test, t->m2->sdp.media[1].ncrypto, 0);
	ucp_sip_msg_wipe(t->m2);
	ucp_sip_msg_wipe(t->m);
	memzero_explicit(line, sizeof(line));
}

/* A body whose last line has no line ending gets one before the new line. */
static void srtp_add_at_body_end_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	struct ucp_sip_subst *s = t->subst;
	char line[UCP_SDP_CRYPTO_LINE_MAX], *out;
	size_t len, out_len;
	char *msg = build(test, FACTS_HEAD,
			  "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\n"
			  "t=0 0\nm=audio 4000 RTP/AVPF 0", &len);
	unsigned int n;
	int end, proto;

	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, t->m->sdp.media[0].feedback, 1);
	end = find_tok(t->m, UCP_TOK_SDP_MEDIA_END, 0);
	proto = find_tok(t->m, UCP_TOK_SDP_PROTO, 0);
	KUNIT_ASSERT_GE(test, end, 0);
	KUNIT_EXPECT_EQ(test, t->m->tok[end].flags, UCP_TOKF_EOL_FIRST);
	KUNIT_EXPECT_EQ(test, t->m->tok[end].host.off, len);
	n = ucp_sdp_crypto_line(line, 1, UCP_SUITE_AEAD_AES_256_GCM, test_key,
				t->m->tok[end].flags);
	memset(s, 0, sizeof(*s) * UCP_SIP_MAX_TOKENS);
	s[end] = (struct ucp_sip_subst){ .set = 1, .text = line,
					 .text_len = n };
	s[proto].set = 1;
	s[proto].text = ucp_sdp_proto_name(true, true);
	s[proto].text_len = strlen(s[proto].text);
	KUNIT_ASSERT_EQ(test, ucp_sip_rewrite(t->m, msg, s, t->out, t->out_size,
					      &out_len), UCP_SIP_OK);
	out = exact(test, t->out, out_len);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m2, out, out_len), UCP_SIP_OK);
	KUNIT_EXPECT_TRUE(test, has_text(out, out_len,
					 "RTP/SAVPF 0\na=crypto:1 AEAD_AES_256_GCM inline:"));
	KUNIT_ASSERT_EQ(test, t->m2->sdp.media[0].ncrypto, 1);
	KUNIT_EXPECT_EQ(test, t->m2->sdp.media[0].crypto[0].key_len, 44);
	KUNIT_EXPECT_EQ(test, memcmp(t->m2->sdp.media[0].crypto[0].key,
				     test_key, 44), 0);
	ucp_sip_msg_wipe(t->m2);
	memzero_explicit(line, sizeof(line));
}

/*
 * A media description with no crypto line gains one when made secure, and
 * with it a token. The parser keeps a token for that line: the last
 * message it accepts is rewritten into one it accepts again (at exactly
 * the maximum), and the message one token larger, which could not be, is
 * refused as too_many before any rewrite (fuzz finding
 * sip-rewrite-too-many, kept in the SIP corpus).
 */
static void srtp_token_room_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	struct ucp_sip_subst *s = t->subst;
	size_t cap = 8 * UCP_SIP_MAX_MSG, hlen, ok_hlen = 0, len, out_len;
	char *head = kunit_kmalloc(test, cap, GFP_KERNEL);
	char line[UCP_SDP_CRYPTO_LINE_MAX], *msg, *out;
	const char *body = SDP_HEAD "m=audio 4000 RTP/AVP 0" CRLF;
	unsigned int n, ntok = 0;
	int i, ret, end, proto;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, head);
	hlen = snprintf(head, cap, "%s", INV_HDRS);
	/* Add Vias until the parser refuses; keep the last accepted. */
	for (i = 0; i <= UCP_SIP_MAX_TOKENS; i++) {
		msg = build(test, head, body, &len);
		ret = ucp_sip_parse(t->m, msg, len);
		if (ret)
			break;
		ntok = t->m->ntokens;
		ok_hlen = hlen;
		hlen += snprintf(head + hlen, cap - hlen,
				 "Via: SIP/2.0/UDP 10.0.1.%d" CRLF, i);
	}
	KUNIT_ASSERT_EQ(test, ret, UCP_SIP_E_TOO_MANY);
	/* One token short of the maximum: the room for the crypto line. */
	KUNIT_EXPECT_EQ(test, ntok, UCP_SIP_MAX_TOKENS - 1);

	/* The last message accepted, made secure. */
	head[ok_hlen] = '\0';
	msg = build(test, head, body, &len);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	KUNIT_ASSERT_EQ(test, t->m->ntokens, ntok);
	end = find_tok(t->m, UCP_TOK_SDP_MEDIA_END, 0);
	proto = find_tok(t->m, UCP_TOK_SDP_PROTO, 0);
	KUNIT_ASSERT_GE(test, end, 0);
	KUNIT_ASSERT_GE(test, proto, 0);
	n = ucp_sdp_crypto_line(line, 1, UCP_SUITE_AES_CM_128_HMAC_SHA1_80,
				test_key, t->m->tok[end].flags);
	KUNIT_ASSERT_GT(test, n, 0);
	memset(s, 0, sizeof(*s) * UCP_SIP_MAX_TOKENS);
	s[end] = (struct ucp_sip_subst){ .set = 1, .text = line,
					 .text_len = n };
	s[proto] = (struct ucp_sip_subst){ .set = 1, .text = "RTP/SAVP",
					   .text_len = 8 };
	KUNIT_ASSERT_EQ(test, ucp_sip_rewrite(t->m, msg, s, t->out, t->out_size,
					      &out_len), UCP_SIP_OK);
	out = exact(test, t->out, out_len);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m2, out, out_len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, t->m2->ntokens, UCP_SIP_MAX_TOKENS);
	KUNIT_EXPECT_EQ(test, t->m2->sdp.media[0].ncrypto, 1);

	/* The same message with a crypto line of its own needs no room. */
	KUNIT_EXPECT_EQ(test, ucp_sip_parse(t->m, out, out_len), UCP_SIP_OK);
	ucp_sip_msg_wipe(t->m2);
	ucp_sip_msg_wipe(t->m);
	memzero_explicit(line, sizeof(line));
}

/* Every suite's line parses back to its suite and key; others are refused. */
static void crypto_line_suites_test(struct kunit *test)
{
	static const u8 suites[] = {
		UCP_SUITE_AES_CM_128_HMAC_SHA1_80, UCP_SUITE_AES_CM_128_HMAC_SHA1_32,
		UCP_SUITE_AES_256_CM_HMAC_SHA1_80, UCP_SUITE_AES_256_CM_HMAC_SHA1_32,
		UCP_SUITE_AEAD_AES_128_GCM, UCP_SUITE_AEAD_AES_256_GCM,
	};
	static const u8 key_lens[] = { 30, 30, 46, 46, 28, 44 };
	struct sip_t *t = sip_new(test);
	char line[UCP_SDP_CRYPTO_LINE_MAX], body[256];
	unsigned int i, n;
	size_t len;
	char *msg;

	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		KUNIT_EXPECT_EQ(test, ucp_sdp_suite_key_len(suites[i]),
				key_lens[i]);
		/* The longest tag, with the leading line ending too. */
		n = ucp_sdp_crypto_line(line, 999999999, suites[i], test_key,
					UCP_TOKF_CRLF | UCP_TOKF_EOL_FIRST);
		KUNIT_ASSERT_GT(test, n, 2);
		KUNIT_ASSERT_LE(test, n, UCP_SDP_CRYPTO_LINE_MAX);
		snprintf(body, sizeof(body),
			 "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n"
			 "c=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/SAVP 0%.*s",
			 (int)n, line);
		msg = build(test, FACTS_HEAD, body, &len);
		KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
		KUNIT_ASSERT_EQ(test, t->m->sdp.media[0].ncrypto, 1);
		KUNIT_EXPECT_EQ(test, t->m->sdp.media[0].crypto[0].tag, 999999999);
		KUNIT_EXPECT_EQ(test, t->m->sdp.media[0].crypto[0].suite, suites[i]);
		KUNIT_EXPECT_EQ(test, t->m->sdp.media[0].crypto[0].key_len,
				key_lens[i]);
		KUNIT_EXPECT_EQ(test, memcmp(t->m->sdp.media[0].crypto[0].key,
					     test_key, key_lens[i]), 0);
		ucp_sip_msg_wipe(t->m);
	}
	KUNIT_EXPECT_EQ(test, ucp_sdp_crypto_line(line, 1, UCP_SUITE_NONE,
						  test_key, 0), 0);
	KUNIT_EXPECT_EQ(test, ucp_sdp_crypto_line(line, 1, UCP_SUITE_UNKNOWN,
						  test_key, 0), 0);
	KUNIT_EXPECT_EQ(test, ucp_sdp_suite_key_len(UCP_SUITE_UNKNOWN), 0);
	memzero_explicit(line, sizeof(line));
}

/* One rewrite, byte for byte: NAT of a phone's INVITE. */
static void rewrite_golden_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	struct ucp_sip_subst *s = t->subst;
	size_t len, want_len, out_len;
	char *msg = build(test, FACTS_HEAD, FACTS_BODY, &len);
	char *want = build(test,
		"INVITE sip:bob@192.0.2.20:5080 SIP/2.0" CRLF
		"Via: SIP/2.0/UDP 203.0.113.5:40001;branch=z9hG4bK1;rport" CRLF
		"Via: SIP/2.0/TCP [2001:db8::1]:5070;received=198.51.100.2;rport=40000" CRLF
		"From: \"Alice\" <sip:alice@203.0.113.5>;tag=1" CRLF
		"To: <sip:bob@example.com>" CRLF
		"Call-ID: abc@192.168.1.10" CRLF
		"CSeq: 7 INVITE" CRLF
		"Contact: <sip:alice@203.0.113.5:40001>;expires=120" CRLF
		"Expires: 300" CRLF
		"Record-Route: <sip:10.9.8.7:5062;lr>" CRLF
		"Content-Type: application/sdp" CRLF,
		"v=0" CRLF "o=- 1 1 IN IP4 203.0.113.5" CRLF "s=-" CRLF
		"c=IN IP4 203.0.113.5" CRLF "t=0 0" CRLF
		"m=audio 30000 RTP/SAVP 0" CRLF
		"a=rtcp:30001 IN IP6 2001:db8::1:0:0:5" CRLF
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K30 "|2^20|1:4" CRLF
		"m=video 0 RTP/AVP 96" CRLF
		"c=IN IP4 203.0.113.5" CRLF
		"a=rtcp-mux" CRLF, &want_len);
	const struct ucp_sip_addr pub = v4(203, 0, 113, 5);
	static const u8 v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [9] = 1, [15] = 5 };

	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	memset(s, 0, sizeof(*s) * UCP_SIP_MAX_TOKENS);
	s[0] = (struct ucp_sip_subst){ .set = 1, .port = 5080 };
	s[1] = (struct ucp_sip_subst){ .set = 1, .addr = pub, .port = 40001 };
	s[5] = (struct ucp_sip_subst){ .set = 1, .addr = pub };
	s[7] = s[1];
	s[8] = (struct ucp_sip_subst){ .set = 1, .addr = v4(10, 9, 8, 7),
				       .port = 5062 };
	s[9] = s[5];
	s[10] = s[5];
	s[11] = (struct ucp_sip_subst){ .set = 1, .port = 30000 };
	s[13] = (struct ucp_sip_subst){ .set = 1, .port = 30001,
					.addr = { .family = 6 } };
	memcpy(s[13].addr.a, v6, 16);
	s[18] = s[5];
	/*
	 * Not applicable: a port for received=, an address for a port, an
	 * address for a proto or a crypto line (text tokens take only text).
	 */
	s[3] = (struct ucp_sip_subst){ .set = 1, .port = 9 };
	s[16] = (struct ucp_sip_subst){ .set = 1, .addr = pub };
	s[12] = s[5];
	s[14] = s[5];
	KUNIT_ASSERT_EQ(test, ucp_sip_rewrite(t->m, msg, s, t->out, t->out_size,
					      &out_len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, out_len, want_len);
	KUNIT_EXPECT_TRUE_MSG(test, out_len == want_len &&
			      !memcmp(t->out, want, want_len),
			      "got:\n%.*s", (int)out_len, t->out);
	check_rewrite(test, t, msg, "golden");
}

/* A too small buffer: E_NOSPACE, and not one byte written past its end. */
static void nospace_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	size_t len, need, out_len, k, i;
	char *msg = build(test, FACTS_HEAD, FACTS_BODY, &len);
	char *buf;

	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	make_subst(t->m, t->subst, WAY_V6);
	KUNIT_ASSERT_EQ(test, ucp_sip_rewrite(t->m, msg, t->subst, t->out,
					      t->out_size, &need), UCP_SIP_OK);
	KUNIT_EXPECT_GT(test, need, len);
	buf = kunit_kmalloc(test, need + 16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (k = 0; k < need; k++) {
		memset(buf, 0xa5, need + 16);
		out_len = 77;
		KUNIT_ASSERT_EQ(test, ucp_sip_rewrite(t->m, msg, t->subst, buf, k,
						      &out_len),
				UCP_SIP_E_NOSPACE);
		KUNIT_EXPECT_EQ(test, out_len, 0);
		for (i = k; i < need + 16; i++)
			if (buf[i] != (char)0xa5)
				break;
		KUNIT_ASSERT_EQ_MSG(test, i, need + 16, "out_size %zu", k);
	}
	KUNIT_EXPECT_EQ(test, ucp_sip_rewrite(t->m, msg, t->subst, buf, need,
					      &out_len), UCP_SIP_OK);
	KUNIT_EXPECT_EQ(test, out_len, need);
	KUNIT_EXPECT_EQ(test, memcmp(buf, t->out, need), 0);
	KUNIT_EXPECT_EQ(test, (u8)buf[need], 0xa5);
}

/* An output over UCP_SIP_MAX_MSG is refused, a message of it allowed. */
static void rewrite_too_large_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	size_t len, out_len;
	char *msg;

	len = UCP_SIP_MAX_MSG;
	msg = sized(test, len);
	KUNIT_ASSERT_EQ(test, len, UCP_SIP_MAX_MSG);
	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	memset(t->subst, 0, sizeof(*t->subst) * UCP_SIP_MAX_TOKENS);
	KUNIT_EXPECT_EQ(test, ucp_sip_rewrite(t->m, msg, t->subst, t->out,
					      t->out_size, &out_len), UCP_SIP_OK);
	t->subst[0] = (struct ucp_sip_subst){ .set = 1, .port = 5060 };
	KUNIT_EXPECT_EQ(test, ucp_sip_rewrite(t->m, msg, t->subst, t->out,
					      t->out_size, &out_len),
			UCP_SIP_E_TOO_LARGE);
}

/* A parse that is not of this input: refused, nothing read outside it. */
static void rewrite_mismatch_test(struct kunit *test)
{
	struct sip_t *t = sip_new(test);
	size_t len, out_len;
	char *msg = build(test, FACTS_HEAD, FACTS_BODY, &len);
	char *other;

	KUNIT_ASSERT_EQ(test, ucp_sip_parse(t->m, msg, len), UCP_SIP_OK);
	make_subst(t->m, t->subst, WAY_V6);
	/* Same length, other bytes: the SDP addresses are not after "IPx ". */
	other = exact(test, msg, len);
	memset(other + t->m->body.off, 'x', t->m->body.len);
	KUNIT_EXPECT_EQ(test, ucp_sip_rewrite(t->m, other, t->subst, t->out,
					      t->out_size, &out_len),
			UCP_SIP_E_HEADER);
	t->m->tok[3].host.off = t->m->tok[1].host.off;
	KUNIT_EXPECT_EQ(test, ucp_sip_rewrite(t->m, msg, t->subst, t->out,
					      t->out_size, &out_len),
			UCP_SIP_E_HEADER);
	t->m->body.len++;
	KUNIT_EXPECT_EQ(test, ucp_sip_rewrite(t->m, msg, t->subst, t->out,
					      t->out_size, &out_len),
			UCP_SIP_E_HEADER);
}

#ifndef __KERNEL__
/* The corpus: userspace only (files), see tests/sip-corpus/MANIFEST. */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#define CORPUS "tests/sip-corpus/"

static const char *const method_names[] = {
	"OTHER", "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS",
	"UPDATE", "PRACK", "INFO", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE",
	"PUBLISH",
};

struct corpus_entry {
	char file[96];
	char mode[8];
	char result[24];
	char facts[256];
};

static struct corpus_entry corpus[160];
static unsigned int ncorpus;
static bool corpus_loaded;

static void corpus_load(void)
{
	char line[512];
	FILE *f;

	corpus_loaded = true;
	f = fopen(CORPUS "MANIFEST", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && ncorpus < ARRAY_SIZE(corpus)) {
		struct corpus_entry *e = &corpus[ncorpus];
		char *hash = strchr(line, '#'), *p;
		int n = 0;

		if (hash)
			*hash = 0;
		if (sscanf(line, "%95s %7s %23s %n", e->file, e->mode, e->result,
			   &n) < 3)
			continue;
		p = line + n;
		while (*p && isspace((unsigned char)p[strlen(p) - 1]))
			p[strlen(p) - 1] = 0;
		snprintf(e->facts, sizeof(e->facts), "%s", p);
		ncorpus++;
	}
	fclose(f);
}

static const void *corpus_gen_params(const void *prev, char *desc)
{
	const struct corpus_entry *e;

	if (!corpus_loaded)
		corpus_load();
	e = prev ? (const struct corpus_entry *)prev + 1 : corpus;
	if (e >= corpus + ncorpus)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", e->file);
	return e;
}

static char *read_file(struct kunit *test, const char *name, size_t *len)
{
	char path[160];
	long n;
	char *b;
	FILE *f;

	snprintf(path, sizeof(path), CORPUS "%s", name);
	f = fopen(path, "rb");
	KUNIT_ASSERT_NOT_NULL_MSG(test, f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = kunit_kmalloc(test, n ? n : 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	KUNIT_ASSERT_EQ(test, fread(b, 1, n, f), (size_t)n);
	fclose(f);
	*len = n;
	return b;
}

/* Every FACT=VALUE of @e about @m (of message @buf). */
static void check_facts(struct kunit *test, const struct corpus_entry *e,
			const struct ucp_sip_msg *m, unsigned int msgs)
{
	char facts[256], *p, *save = NULL;
	unsigned int i, crypto = 0;

	for (i = 0; i < m->sdp.nmedia; i++)
		crypto += m->sdp.media[i].ncrypto;
	snprintf(facts, sizeof(facts), "%s", e->facts);
	for (p = strtok_r(facts, " \t", &save); p;
	     p = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(p, '=');
		unsigned long v;

		KUNIT_ASSERT_NOT_NULL_MSG(test, eq, "fact %s", p);
		*eq++ = 0;
		v = strtoul(eq, NULL, 10);
		if (!strcmp(p, "method"))
			KUNIT_EXPECT_STREQ(test, method_names[m->method], eq);
		else if (!strcmp(p, "status"))
			KUNIT_EXPECT_EQ(test, m->status, v);
		else if (!strcmp(p, "cseq"))
			KUNIT_EXPECT_EQ(test, m->cseq, v);
		else if (!strcmp(p, "tokens"))
			KUNIT_EXPECT_EQ(test, m->ntokens, v);
		else if (!strcmp(p, "media"))
			KUNIT_EXPECT_EQ(test, m->sdp.nmedia, v);
		else if (!strcmp(p, "sdp"))
			KUNIT_EXPECT_EQ(test, m->has_sdp, v);
		else if (!strcmp(p, "crypto"))
			KUNIT_EXPECT_EQ(test, crypto, v);
		else if (!strcmp(p, "expires"))
			KUNIT_EXPECT_EQ(test, m->expires, v);
		else if (!strcmp(p, "len"))
			KUNIT_EXPECT_EQ(test, m->len, v);
		else if (!strcmp(p, "msgs"))
			KUNIT_EXPECT_EQ(test, msgs, v);
		else
			KUNIT_FAIL(test, "unknown fact %s", p);
	}
}

static void corpus_test(struct kunit *test)
{
	const struct corpus_entry *e = test->param_value;
	bool stream = !strcmp(e->mode, "stream");
	struct sip_t *t = sip_new(test);
	size_t len, off = 0, skip, msg_len;
	struct ucp_sip_msg *first;
	unsigned int msgs = 0;
	const char *reason;
	char *buf;
	int ret;

	KUNIT_ASSERT_TRUE_MSG(test, stream || !strcmp(e->mode, "dgram"),
			      "mode %s", e->mode);
	buf = read_file(test, e->file, &len);
	buf = exact(test, buf, len);
	first = kunit_kzalloc(test, sizeof(*first), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, first);
	for (;;) {
		ret = ucp_sip_frame(buf + off, len - off, stream, &skip, &msg_len);
		if (ret == UCP_SIP_E_INCOMPLETE && stream && msgs &&
		    off + skip == len) {
			ret = UCP_SIP_OK;	/* the end of the stream */
			break;
		}
		if (!ret)
			ret = ucp_sip_parse(t->m, buf + off + skip, msg_len);
		if (ret)
			break;
		/* Each message round-trips through every way to rewrite. */
		rewrite_all_ways(test, t, buf + off + skip, e->file);
		if (!stream && t->m->content_length.len) {
			size_t s2, l2;

			KUNIT_EXPECT_EQ(test, ucp_sip_frame(buf, len, true, &s2,
							    &l2), UCP_SIP_OK);
			KUNIT_EXPECT_EQ(test, s2 + l2, skip + msg_len);
			split_check(test, buf + skip, msg_len);
		}
		if (!msgs++)
			memcpy(first, t->m, sizeof(*first));
		off += skip + msg_len;
		if (!stream)
			break;
	}
	reason = ucp_sip_reason_name(ret);
	KUNIT_ASSERT_STREQ(test, reason, e->result);
	if (ret)
		return;
	check_facts(test, e, first, msgs);
	ucp_sip_msg_wipe(first);
}
#endif /* __KERNEL__ */

static struct kunit_case ucp_sip_cases[] = {
	KUNIT_CASE(reason_names_test),
	KUNIT_CASE(kind_flags_test),
	KUNIT_CASE_PARAM(ip_parse_test, ip_gen_params),
	KUNIT_CASE_PARAM(ip6_format_test, fmt_gen_params),
	KUNIT_CASE(invite_facts_test),
	KUNIT_CASE(response_test),
	KUNIT_CASE_PARAM(crypto_test, crypto_gen_params),
	KUNIT_CASE_PARAM(reject_test, reject_gen_params),
	KUNIT_CASE_PARAM(accept_test, accept_gen_params),
	KUNIT_CASE(limits_test),
	KUNIT_CASE(keepalive_test),
	KUNIT_CASE(datagram_test),
	KUNIT_CASE(concat_test),
	KUNIT_CASE(split_test),
	KUNIT_CASE(rewrite_test),
	KUNIT_CASE(rewrite_golden_test),
	KUNIT_CASE(srtp_strip_and_add_test),
	KUNIT_CASE(srtp_add_at_body_end_test),
	KUNIT_CASE(srtp_token_room_test),
	KUNIT_CASE(crypto_line_suites_test),
	KUNIT_CASE(nospace_test),
	KUNIT_CASE(rewrite_too_large_test),
	KUNIT_CASE(rewrite_mismatch_test),
#ifndef __KERNEL__
	KUNIT_CASE_PARAM(corpus_test, corpus_gen_params),
#endif
	{}
};

static struct kunit_suite ucp_sip_suite = {
	.name = "ucp_sip",
	.test_cases = ucp_sip_cases,
};

kunit_test_suite(ucp_sip_suite);

MODULE_DESCRIPTION("KUnit tests of the ucproxy SIP and SDP core");
MODULE_LICENSE("GPL");
