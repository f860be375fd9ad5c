// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the MMP core (kmod/core/ucp_mmp.c): messages accepted
 * with their lengths, every refusal with its reason and the bytes that
 * decide it, every prefix of a message (a header split anywhere across
 * packets), the caps at their exact boundaries (4096 passes, 4097 does
 * not) in both directions and configured, several messages in one
 * stream, header iteration with names in any case.
 *
 * Every scan reads a buffer of exactly the bytes given, so that a read
 * past the end is caught (ASan in userspace, KASAN in the kernel).
 */
#include <kunit/test.h>

#include "ucp_mmp.h"
#include "ucp_spec.h"

static const struct ucp_mmp_limits client_lim = {
	.header_max = UCP_MMP_HEADER_MAX_DEFAULT,
	.content_max = UCP_MMP_CONTENT_MAX_DEFAULT,
};

static const struct ucp_mmp_limits server_lim = {};

/* Scans a heap copy of exactly @len bytes of @p. */
static int scan(struct kunit *test, const void *p, size_t len,
		const struct ucp_mmp_limits *lim, struct ucp_mmp_msg *m)
{
	u8 *copy = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, copy);
	memcpy(copy, p, len);
	ret = ucp_mmp_scan(copy, len, lim, m);
	kunit_kfree(test, copy);
	return ret;
}

struct good_case {
	const char *name;
	const char *msg;
	u32 len, header_len, headers;	/* len 0: the whole string */
};

static const struct good_case good_cases[] = {
	{ "empty-body", "Content-Length: 0\r\n\r\n", 0, 21, 1 },
	{ "lf-only", "Content-Length: 0\n\n", 0, 19, 1 },
	{ "mixed-endings", "A: b\nContent-Length: 0\r\n\n", 0, 25, 2 },
	{ "lower-case", "content-length: 3\r\n\r\nabc", 0, 21, 1 },
	{ "upper-case", "CONTENT-LENGTH: 3\r\n\r\nabc", 0, 21, 1 },
	{ "mixed-case", "CoNtEnT-lEnGtH: 3\r\n\r\nabc", 0, 21, 1 },
	{ "leading-zeros", "Content-Length: 0000000003\r\n\r\nabc", 0, 30, 1 },
	{ "body-with-crlf", "Content-Length: 6\r\n\r\n\r\n\r\n\r\n", 0, 21, 1 },
	{ "headers", "Session-Id: 42\r\nMsg-Type: oml\r\nContent-Length: 2\r\n"
	  "X-Token: a!#$%&'*+-.^_`|~z\r\n\r\nok", 0, 80, 4 },
	{ "empty-value", "X-Empty: \r\nContent-Length: 0\r\n\r\n", 0, 32, 2 },
	{ "value-spaces-tabs", "X-A: b  c\td  \r\nContent-Length: 0\r\n\r\n", 0, 36, 2 },
	{ "value-utf8", "X-Name: J\xc3\xbcrgen\r\nContent-Length: 0\r\n\r\n", 0, 38, 2 },
	{ "value-colon", "Url: http://uma:5443/x\r\nContent-Length: 0\r\n\r\n", 0, 45, 2 },
	{ "second-message-after", "Content-Length: 1\r\n\r\nxContent-Length: 0\r\n\r\n",
	  22, 21, 1 },
};

static void good_desc(const struct good_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(good, good_cases, good_desc);

static void accept_test(struct kunit *test)
{
	const struct good_case *c = test->param_value;
	size_t n = strlen(c->msg);
	u32 want = c->len ? c->len : n;
	struct ucp_mmp_msg m;

	KUNIT_ASSERT_EQ(test, scan(test, c->msg, n, &client_lim, &m), UCP_MMP_OK);
	KUNIT_EXPECT_EQ(test, m.len, want);
	KUNIT_EXPECT_EQ(test, m.header_len, c->header_len);
	KUNIT_EXPECT_EQ(test, m.content_len, want - c->header_len);
	KUNIT_EXPECT_EQ(test, m.headers, c->headers);
	/* The other direction takes it too. */
	KUNIT_EXPECT_EQ(test, scan(test, c->msg, n, &server_lim, &m), UCP_MMP_OK);
	KUNIT_EXPECT_EQ(test, m.len, want);
}

struct bad_case {
	const char *name;
	const char *msg;
	size_t len;		/* 0: strlen */
	int reason;
	u32 decided;
};

static const struct bad_case bad_cases[] = {
	{ "no-colon-space-in-name", "Content-Length 0\r\n\r\n", 0, UCP_MMP_E_HEADER, 15 },
	{ "no-colon", "NoColon\r\n\r\n", 0, UCP_MMP_E_HEADER, 8 },
	{ "no-colon-lf", "NoColon\n\n", 0, UCP_MMP_E_HEADER, 8 },
	{ "empty-name", ": value\r\n", 0, UCP_MMP_E_HEADER, 1 },
	{ "space-before-colon", "X-A : b\r\n", 0, UCP_MMP_E_HEADER, 4 },
	{ "leading-space", " X-A: b\r\n", 0, UCP_MMP_E_HEADER, 1 },
	{ "bad-name-char", "X(A): b\r\n", 0, UCP_MMP_E_HEADER, 2 },
	{ "no-space", "Content-Length:0\r\n\r\n", 0, UCP_MMP_E_NO_SPACE, 16 },
	{ "no-space-tab", "X-A:\tb\r\nContent-Length: 0\r\n\r\n", 0, UCP_MMP_E_NO_SPACE, 5 },
	{ "no-space-cr", "X-A:\r\nContent-Length: 0\r\n\r\n", 0, UCP_MMP_E_NO_SPACE, 5 },
	{ "no-space-lf", "X-A:\nContent-Length: 0\n\n", 0, UCP_MMP_E_NO_SPACE, 5 },
	{ "nul-in-value", "X-A: b\0c\r\n", 10, UCP_MMP_E_HEADER, 7 },
	{ "del-in-value", "X-A: b\x7f\r\n", 0, UCP_MMP_E_HEADER, 7 },
	{ "esc-in-value", "X-A: \x1b[0m\r\n", 0, UCP_MMP_E_HEADER, 6 },
	{ "bare-cr", "X-A: b\rc: d\r\n", 0, UCP_MMP_E_HEADER, 8 },
	{ "cr-in-name", "X-A\r: b\r\n", 0, UCP_MMP_E_HEADER, 4 },
	{ "cr-not-lf-empty-line", "Content-Length: 0\r\n\rX", 0, UCP_MMP_E_HEADER, 21 },
	{ "tls-record", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11,
	  UCP_MMP_E_HEADER, 1 },
	{ "http-request-line", "GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 0,
	  UCP_MMP_E_HEADER, 4 },
	{ "cl-letters", "Content-Length: 1a\r\n\r\n", 0, UCP_MMP_E_CONTENT_LENGTH, 20 },
	{ "cl-empty", "Content-Length: \r\n\r\n", 0, UCP_MMP_E_CONTENT_LENGTH, 18 },
	{ "cl-two-spaces", "Content-Length:  5\r\n\r\n", 0, UCP_MMP_E_CONTENT_LENGTH, 20 },
	{ "cl-trailing-space", "Content-Length: 5 \r\n\r\n", 0, UCP_MMP_E_CONTENT_LENGTH, 20 },
	{ "cl-negative", "Content-Length: -1\r\n\r\n", 0, UCP_MMP_E_CONTENT_LENGTH, 20 },
	{ "cl-plus", "Content-Length: +1\r\n\r\n", 0, UCP_MMP_E_CONTENT_LENGTH, 20 },
	{ "cl-hex", "Content-Length: 0x10\r\n\r\n", 0, UCP_MMP_E_CONTENT_LENGTH, 22 },
	{ "cl-eleven-digits", "Content-Length: 00000000001\r\n\r\n", 0,
	  UCP_MMP_E_CONTENT_LENGTH, 29 },
	{ "cl-twice", "Content-Length: 0\r\ncontent-length: 0\r\n\r\n", 0,
	  UCP_MMP_E_CONTENT_LENGTH, 38 },
	{ "cl-missing", "X-A: b\r\n\r\n", 0, UCP_MMP_E_NO_CONTENT_LENGTH, 10 },
	{ "cl-name-longer", "Content-Lengths: 0\r\n\r\n", 0, UCP_MMP_E_NO_CONTENT_LENGTH, 22 },
	{ "cl-name-shorter", "Content-Lengt: 0\r\n\r\n", 0, UCP_MMP_E_NO_CONTENT_LENGTH, 20 },
	{ "empty-block", "\r\n", 0, UCP_MMP_E_NO_CONTENT_LENGTH, 2 },
	{ "content-over-cap", "Content-Length: 4097\r\n\r\n", 0,
	  UCP_MMP_E_CONTENT_TOO_LONG, 22 },
	{ "content-far-over-cap", "Content-Length: 9999999999\r\n\r\n", 0,
	  UCP_MMP_E_CONTENT_TOO_LONG, 28 },
};

static void bad_desc(const struct bad_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_desc);

/*
 * Each refusal, with the bytes that decide it; every shorter prefix wants
 * more, and every longer one is refused the same.
 */
static void reject_test(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	size_t n = c->len ? c->len : strlen(c->msg), i;
	struct ucp_mmp_msg m;

	KUNIT_ASSERT_EQ(test, scan(test, c->msg, n, &client_lim, &m), c->reason);
	KUNIT_EXPECT_EQ(test, m.decided, c->decided);
	for (i = 0; i < c->decided; i++)
		KUNIT_EXPECT_EQ_MSG(test, scan(test, c->msg, i, &client_lim, &m),
				    UCP_MMP_E_INCOMPLETE, "prefix %zu", i);
	for (i = c->decided; i <= n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, scan(test, c->msg, i, &client_lim, &m),
				    c->reason, "prefix %zu", i);
		KUNIT_EXPECT_EQ(test, m.decided, c->decided);
	}
}

/* Every prefix of every good message wants more; the whole one passes. */
static void split_test(struct kunit *test)
{
	struct ucp_mmp_msg m;
	unsigned int k;
	size_t i, n;

	for (k = 0; k < ARRAY_SIZE(good_cases); k++) {
		const struct good_case *c = &good_cases[k];

		n = c->len ? c->len : strlen(c->msg);
		for (i = 0; i < n; i++)
			KUNIT_EXPECT_EQ_MSG(test, scan(test, c->msg, i, &client_lim, &m),
					    UCP_MMP_E_INCOMPLETE, "%s: prefix %zu",
					    c->name, i);
		KUNIT_EXPECT_EQ(test, scan(test, c->msg, n, &client_lim, &m), UCP_MMP_OK);
	}
}

/*
 * A message whose header block is exactly @hlen bytes (@hlen >= 40) and
 * whose body is @clen bytes of 'b', into @buf (room for hlen + clen).
 * The padding header comes first, Content-Length last.
 */
static size_t build(u8 *buf, size_t hlen, size_t clen, bool crlf)
{
	char cl[40];
	size_t cll, pad, eol = crlf ? 2 : 1;

	cll = snprintf(cl, sizeof(cl), "Content-Length: %zu%s%s", clen,
		       crlf ? "\r\n" : "\n", crlf ? "\r\n" : "\n");
	/* "X-Pad: " + pad + eol, then cl */
	pad = hlen - cll - 7 - eol;
	memcpy(buf, "X-Pad: ", 7);
	memset(buf + 7, 'a', pad);
	memcpy(buf + 7 + pad, crlf ? "\r\n" : "\n", eol);
	memcpy(buf + 7 + pad + eol, cl, cll);
	memset(buf + hlen, 'b', clen);
	return hlen + clen;
}

/* The header cap: 4096 passes, 4097 does not; only client to server. */
static void header_cap_test(struct kunit *test)
{
	u8 *buf = kunit_kmalloc(test, 2 * UCP_MMP_MAX_MSG, GFP_KERNEL);
	struct ucp_mmp_limits small = { .header_max = 100, .content_max = 10 };
	struct ucp_mmp_msg m;
	size_t n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = build(buf, 4096, 0, true);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &client_lim, &m), UCP_MMP_OK);
	KUNIT_EXPECT_EQ(test, m.header_len, 4096);
	n = build(buf, 4096, 0, false);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &client_lim, &m), UCP_MMP_OK);

	n = build(buf, 4097, 0, true);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &client_lim, &m),
			UCP_MMP_E_HEADER_TOO_LONG);
	KUNIT_EXPECT_EQ(test, m.decided, 4096);
	/* Decided by the first 4096 bytes, before the rest arrives. */
	KUNIT_EXPECT_EQ(test, scan(test, buf, 4096, &client_lim, &m),
			UCP_MMP_E_HEADER_TOO_LONG);
	KUNIT_EXPECT_EQ(test, scan(test, buf, 4095, &client_lim, &m),
			UCP_MMP_E_INCOMPLETE);
	/* The CR of the last line's end at 4095, its LF the 4097th byte. */
	n = build(buf, 4097, 0, true);
	KUNIT_EXPECT_EQ(test, buf[4095], '\r');
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &client_lim, &m),
			UCP_MMP_E_HEADER_TOO_LONG);
	/* The server's messages are not capped. */
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &server_lim, &m), UCP_MMP_OK);
	KUNIT_EXPECT_EQ(test, m.header_len, 4097);

	/* A configured cap. */
	n = build(buf, 100, 10, true);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &small, &m), UCP_MMP_OK);
	n = build(buf, 101, 10, true);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &small, &m),
			UCP_MMP_E_HEADER_TOO_LONG);
	KUNIT_EXPECT_EQ(test, m.decided, 100);

	/* Either way a header block ends within UCP_MMP_MAX_MSG. */
	n = build(buf, UCP_MMP_MAX_MSG, 0, true);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &server_lim, &m), UCP_MMP_OK);
	n = build(buf, UCP_MMP_MAX_MSG + 1, 0, true);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &server_lim, &m), UCP_MMP_E_TOO_LARGE);
	KUNIT_EXPECT_EQ(test, m.decided, UCP_MMP_MAX_MSG);
	small.header_max = UCP_MMP_MAX_MSG + 100;	/* above: the absolute cap */
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &small, &m), UCP_MMP_E_TOO_LARGE);
	small.header_max = UCP_MMP_MAX_MSG;
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &small, &m),
			UCP_MMP_E_HEADER_TOO_LONG);
}

/* The content cap: 4096 passes, 4097 does not; only client to server. */
static void content_cap_test(struct kunit *test)
{
	u8 *buf = kunit_kmalloc(test, 2 * UCP_MMP_MAX_MSG, GFP_KERNEL);
	struct ucp_mmp_limits big = { .header_max = UCP_MMP_MAX_MSG,
				      .content_max = UCP_MMP_MAX_MSG };
	struct ucp_mmp_msg m;
	size_t n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = build(buf, 64, 4096, true);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &client_lim, &m), UCP_MMP_OK);
	KUNIT_EXPECT_EQ(test, m.len, 64 + 4096);
	KUNIT_EXPECT_EQ(test, m.content_len, 4096);
	/* The body is not needed to decide, only framed. */
	KUNIT_EXPECT_EQ(test, scan(test, buf, n - 1, &client_lim, &m),
			UCP_MMP_E_INCOMPLETE);

	n = build(buf, 64, 4097, true);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &client_lim, &m),
			UCP_MMP_E_CONTENT_TOO_LONG);
	/* At the end of its line, before the empty line. */
	KUNIT_EXPECT_EQ(test, m.decided, 62);
	KUNIT_EXPECT_EQ(test, scan(test, buf, 62, &client_lim, &m),
			UCP_MMP_E_CONTENT_TOO_LONG);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &server_lim, &m), UCP_MMP_OK);
	KUNIT_EXPECT_EQ(test, m.content_len, 4097);

	/* The whole message within UCP_MMP_MAX_MSG, either way. */
	n = build(buf, 64, UCP_MMP_MAX_MSG - 64, true);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &server_lim, &m), UCP_MMP_OK);
	KUNIT_EXPECT_EQ(test, m.len, UCP_MMP_MAX_MSG);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &big, &m), UCP_MMP_OK);
	n = build(buf, 64, UCP_MMP_MAX_MSG - 63, true);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &server_lim, &m), UCP_MMP_E_TOO_LARGE);
	KUNIT_EXPECT_EQ(test, m.decided, 64);
	KUNIT_EXPECT_EQ(test, scan(test, buf, n, &big, &m), UCP_MMP_E_TOO_LARGE);
	/* A length over the absolute cap is refused at its line. */
	KUNIT_EXPECT_EQ(test, scan(test, "Content-Length: 16385\r\n", 23,
				   &server_lim, &m), UCP_MMP_E_TOO_LARGE);
	KUNIT_EXPECT_EQ(test, m.decided, 23);
}

/* Messages one after another in one buffer, as several in one record. */
static void stream_test(struct kunit *test)
{
	/* Three whole messages, then one cut short. */
	static const char s[] =
		"Content-Length: 3\r\n\r\n"
		"abcmsg-type: ping\r\ncontent-length: 0\r\n\r\n"
		"Content-Length: 5\nX: y\n\n"
		"helloContent-Length: 2\r\n\r\n"
		"x";
	static const u32 lens[] = { 24, 37, 29 };
	struct ucp_mmp_msg m;
	size_t off = 0, n = sizeof(s) - 1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		KUNIT_ASSERT_EQ(test, scan(test, s + off, n - off, &client_lim, &m),
				UCP_MMP_OK);
		KUNIT_EXPECT_EQ(test, m.len, lens[i]);
		off += m.len;
	}
	KUNIT_EXPECT_EQ(test, scan(test, s + off, n - off, &client_lim, &m),
			UCP_MMP_E_INCOMPLETE);
	KUNIT_EXPECT_EQ(test, m.header_len, 21);
	KUNIT_EXPECT_EQ(test, m.content_len, 2);
}

/* Header lines of a scanned message, with names in any case. */
static void header_next_test(struct kunit *test)
{
	static const char s[] = "Session-ID: 42\r\nX-Empty: \r\n"
		"CONTENT-length: 2\nUrl: a:b\r\n\r\nok";
	static const char *const names[] = { "Session-ID", "X-Empty",
					     "CONTENT-length", "Url" };
	static const char *const values[] = { "42", "", "2", "a:b" };
	const u8 *b = (const u8 *)s;
	struct ucp_mmp_header h;
	struct ucp_mmp_msg m;
	unsigned int i = 0;
	u32 pos = 0;

	KUNIT_ASSERT_EQ(test, ucp_mmp_scan(b, sizeof(s) - 1, &client_lim, &m),
			UCP_MMP_OK);
	KUNIT_EXPECT_EQ(test, m.headers, 4);
	while (ucp_mmp_header_next(b, m.header_len, &pos, &h)) {
		KUNIT_ASSERT_LT(test, i, 4u);
		KUNIT_EXPECT_EQ(test, h.name_len, strlen(names[i]));
		KUNIT_EXPECT_TRUE(test, !memcmp(b + h.name_off, names[i], h.name_len));
		KUNIT_EXPECT_EQ(test, h.value_len, strlen(values[i]));
		KUNIT_EXPECT_TRUE(test, !memcmp(b + h.value_off, values[i], h.value_len));
		if (i == 2) {
			KUNIT_EXPECT_TRUE(test, ucp_mmp_name_is(b, &h, "content-length"));
			KUNIT_EXPECT_FALSE(test, ucp_mmp_name_is(b, &h, "content-lengths"));
			KUNIT_EXPECT_FALSE(test, ucp_mmp_name_is(b, &h, "content-lengt"));
		}
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, 4u);
	KUNIT_EXPECT_EQ(test, pos, m.header_len - 2);
	/* Within the block on bytes that are no header. */
	pos = 0;
	KUNIT_EXPECT_FALSE(test, ucp_mmp_header_next((const u8 *)"abc", 3, &pos, &h));
	pos = 0;
	KUNIT_EXPECT_FALSE(test, ucp_mmp_header_next((const u8 *)"a:\n", 3, &pos, &h));
}

static void reason_name_test(struct kunit *test)
{
	unsigned int i;

	KUNIT_EXPECT_STREQ(test, ucp_mmp_reason_name(UCP_MMP_E_HEADER_TOO_LONG),
			   "header_too_long");
	KUNIT_EXPECT_STREQ(test, ucp_mmp_reason_name(UCP_MMP_E_NO_CONTENT_LENGTH),
			   "no_content_length");
	KUNIT_EXPECT_STREQ(test, ucp_mmp_reason_name(UCP_MMP_REASON_COUNT), "unknown");
	for (i = 0; i < UCP_MMP_REASON_COUNT; i++)
		KUNIT_EXPECT_NOT_NULL(test, ucp_mmp_reason_name(i));
	/*
	 * The kernel counts refusal i under mmp-bad-* counter i - first: each
	 * reason's counter, from the spec, must carry that reason's name.
	 */
	for (i = UCP_MMP_E_HEADER_TOO_LONG; i < UCP_MMP_REASON_COUNT; i++) {
		char want[64];

		snprintf(want, sizeof(want), "mmp.bad_%s", ucp_mmp_reason_name(i));
		KUNIT_EXPECT_STREQ(test, ucp_spec_name(&ucp_spec_counter,
						       UCP_CTR_MMP_BAD_HEADER_TOO_LONG +
						       i - UCP_MMP_E_HEADER_TOO_LONG),
				   want);
	}
}

static struct kunit_case ucp_mmp_cases[] = {
	KUNIT_CASE_PARAM(accept_test, good_gen_params),
	KUNIT_CASE_PARAM(reject_test, bad_gen_params),
	KUNIT_CASE(split_test),
	KUNIT_CASE(header_cap_test),
	KUNIT_CASE(content_cap_test),
	KUNIT_CASE(stream_test),
	KUNIT_CASE(header_next_test),
	KUNIT_CASE(reason_name_test),
	{}
};

static struct kunit_suite ucp_mmp_test_suite = {
	.name = "ucp_mmp",
	.test_cases = ucp_mmp_cases,
};

kunit_test_suite(ucp_mmp_test_suite);

MODULE_DESCRIPTION("KUnit tests of the ucproxy MMP core");
MODULE_LICENSE("GPL");
