// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's framers (user/ucproxyd/frame.c): which one each inspect
 * setting gets, and SCCP framed out of a TLS byte stream the way the
 * relay reads it, by the kernel's own ucp_sccp_frame(): whole messages
 * however the bytes arrive, none before it is complete, a length the
 * kernel would refuse ending the stream. MMP framed under a listener's
 * caps, client to server only, split anywhere, a refusal giving the
 * bytes that decided it.
 */
#include <kunit/test.h>

#include <string.h>

#include <linux/ucproxy.h>

#include "ucp_mmp.h"
#include "ucp_sccp.h"
#include "ucproxyd.h"

/* An SCCP message of @len bytes (header included): id @id, body 0xa5. */
static size_t sccp_msg(unsigned char *buf, size_t len, unsigned int version,
		       unsigned int id)
{
	unsigned int l = (unsigned int)len - UCP_SCCP_PREFIX_LEN;

	memset(buf, 0xa5, len);
	buf[0] = l & 0xff;
	buf[1] = (l >> 8) & 0xff;
	buf[2] = (l >> 16) & 0xff;
	buf[3] = l >> 24;
	memset(buf + 4, 0, 8);
	buf[4] = version;
	buf[8] = id & 0xff;
	buf[9] = id >> 8;
	return len;
}

static void framer_get_test(struct kunit *test)
{
	const struct ucpd_framer *sip = ucpd_framer_get(UCPD_INSPECT_SIP);
	const struct ucpd_framer *sccp = ucpd_framer_get(UCPD_INSPECT_SCCP);

	KUNIT_EXPECT_NULL(test, ucpd_framer_get(UCPD_INSPECT_NONE));
	KUNIT_ASSERT_NOT_NULL(test, sip);
	KUNIT_ASSERT_NOT_NULL(test, sccp);
	KUNIT_EXPECT_EQ(test, sip->proto, UCP_PROTO_SIP);
	KUNIT_EXPECT_EQ(test, sccp->proto, UCP_PROTO_SCCP);
	KUNIT_EXPECT_STREQ(test, sccp->name, "SCCP");
	/* What the kernel takes and returns: the same limit, in place. */
	KUNIT_EXPECT_EQ(test, sccp->max_msg, UCP_SCCP_MAX_MSG);
	KUNIT_EXPECT_EQ(test, sccp->max_out, UCP_SCCP_MAX_MSG);
}

static enum ucpd_frame_ret frame(const unsigned char *buf, size_t n,
				 size_t *skip, size_t *len)
{
	*skip = *len = 12345;
	return ucpd_framer_get(UCPD_INSPECT_SCCP)->frame(NULL, false,
							 (const char *)buf, n,
							 skip, len);
}

static enum ucpd_frame_ret mmp(const struct ucpd_listener_cfg *cfg, bool up,
			       const char *buf, size_t n, size_t *len)
{
	size_t skip = 12345;
	enum ucpd_frame_ret r;

	*len = 12345;
	r = ucpd_framer_get(UCPD_INSPECT_MMP)->frame(cfg, up, buf, n, &skip, len);
	/* MMP has no keep-alive bytes between messages. */
	if (skip)
		return (enum ucpd_frame_ret)-1;
	return r;
}

static void mmp_framer_test(struct kunit *test)
{
	const struct ucpd_framer *f = ucpd_framer_get(UCPD_INSPECT_MMP);

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->proto, UCP_PROTO_MMP);
	KUNIT_EXPECT_STREQ(test, f->name, "MMP");
	KUNIT_EXPECT_TRUE(test, f->strict);
	KUNIT_EXPECT_FALSE(test, ucpd_framer_get(UCPD_INSPECT_SIP)->strict);
	KUNIT_EXPECT_EQ(test, f->max_msg, UCP_MMP_MAX_MSG);
	KUNIT_EXPECT_EQ(test, f->max_out, UCP_MMP_MAX_MSG);
}

/*
 * The listener's caps, client to server; the server's messages are not
 * capped; every split of a message waits for the rest.
 */
static void mmp_caps_test(struct kunit *test)
{
	static const char msg[] = "Session: 1\r\nContent-Length: 20\r\n\r\n"
				  "01234567890123456789";
	struct ucpd_listener_cfg cfg = { .mmp_header_max = 4096,
					 .mmp_content_max = 4096 };
	size_t n = sizeof(msg) - 1, len, i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, mmp(&cfg, true, msg, i, &len), UCPD_FRAME_MORE);
	KUNIT_EXPECT_EQ(test, mmp(&cfg, true, msg, n, &len), UCPD_FRAME_MSG);
	KUNIT_EXPECT_EQ(test, len, n);

	/* The header block is 34 bytes, the body 20. */
	cfg.mmp_header_max = 34;
	cfg.mmp_content_max = 20;
	KUNIT_EXPECT_EQ(test, mmp(&cfg, true, msg, n, &len), UCPD_FRAME_MSG);
	cfg.mmp_header_max = 33;
	KUNIT_EXPECT_EQ(test, mmp(&cfg, true, msg, n, &len), UCPD_FRAME_BAD);
	KUNIT_EXPECT_EQ(test, len, 33);
	KUNIT_EXPECT_EQ(test, mmp(&cfg, false, msg, n, &len), UCPD_FRAME_MSG);
	cfg.mmp_header_max = 34;
	cfg.mmp_content_max = 19;
	KUNIT_EXPECT_EQ(test, mmp(&cfg, true, msg, n, &len), UCPD_FRAME_BAD);
	KUNIT_EXPECT_EQ(test, len, 32);	/* the end of the Content-Length line */
	KUNIT_EXPECT_EQ(test, mmp(&cfg, false, msg, n, &len), UCPD_FRAME_MSG);
}

/* Malformed either way: the bytes up to the one that decides. */
static void mmp_bad_test(struct kunit *test)
{
	struct ucpd_listener_cfg cfg = { .mmp_header_max = 4096,
					 .mmp_content_max = 4096 };
	size_t len;

	KUNIT_EXPECT_EQ(test, mmp(&cfg, true, "Content-Length:0\r\n\r\n", 20, &len),
			UCPD_FRAME_BAD);
	KUNIT_EXPECT_EQ(test, len, 16);
	KUNIT_EXPECT_EQ(test, mmp(&cfg, false, "X-A: b\r\n\r\n", 10, &len),
			UCPD_FRAME_BAD);
	KUNIT_EXPECT_EQ(test, len, 10);
	KUNIT_EXPECT_EQ(test, mmp(&cfg, false, "\x16\x03\x01", 3, &len),
			UCPD_FRAME_BAD);
	KUNIT_EXPECT_EQ(test, len, 1);
}

static void sccp_one_test(struct kunit *test)
{
	unsigned char buf[64];
	size_t skip, len, n;

	/* KeepAlive: the shortest message, a header alone. */
	n = sccp_msg(buf, UCP_SCCP_HDR_LEN, 0, 0x0000);
	KUNIT_EXPECT_EQ(test, frame(buf, n, &skip, &len), UCPD_FRAME_MSG);
	KUNIT_EXPECT_EQ(test, skip, 0);
	KUNIT_EXPECT_EQ(test, len, UCP_SCCP_HDR_LEN);

	/* Not yet whole: no bytes may be discarded. */
	n = sccp_msg(buf, 40, 0x11, 0x0022);
	KUNIT_EXPECT_EQ(test, frame(buf, 3, &skip, &len), UCPD_FRAME_MORE);
	KUNIT_EXPECT_EQ(test, skip, 0);
	KUNIT_EXPECT_EQ(test, frame(buf, n - 1, &skip, &len), UCPD_FRAME_MORE);
	KUNIT_EXPECT_EQ(test, skip, 0);
	KUNIT_EXPECT_EQ(test, frame(buf, n, &skip, &len), UCPD_FRAME_MSG);
	KUNIT_EXPECT_EQ(test, len, 40);
}

/* Lengths the kernel refuses end the stream (it cannot be followed). */
static void sccp_bad_test(struct kunit *test)
{
	unsigned char buf[16] = { 0 };
	size_t skip, len;

	buf[0] = UCP_SCCP_HDR_LEN - UCP_SCCP_PREFIX_LEN - 1;	/* no room for an id */
	KUNIT_EXPECT_EQ(test, frame(buf, sizeof(buf), &skip, &len), UCPD_FRAME_BAD);
	KUNIT_EXPECT_EQ(test, skip, 0);
	buf[0] = (UCP_SCCP_MAX_MSG - UCP_SCCP_PREFIX_LEN + 1) & 0xff;
	buf[1] = (UCP_SCCP_MAX_MSG - UCP_SCCP_PREFIX_LEN + 1) >> 8;
	KUNIT_EXPECT_EQ(test, frame(buf, sizeof(buf), &skip, &len), UCPD_FRAME_BAD);
	buf[0] = 0xff;
	buf[1] = buf[2] = buf[3] = 0xff;
	KUNIT_EXPECT_EQ(test, frame(buf, 4, &skip, &len), UCPD_FRAME_BAD);
}

/* The largest message the kernel takes is framed whole. */
static void sccp_max_test(struct kunit *test)
{
	static unsigned char buf[UCP_SCCP_MAX_MSG];
	size_t skip, len, n;

	n = sccp_msg(buf, UCP_SCCP_MAX_MSG, 0x11, 0x0111);
	KUNIT_EXPECT_EQ(test, frame(buf, n - 1, &skip, &len), UCPD_FRAME_MORE);
	KUNIT_EXPECT_EQ(test, frame(buf, n, &skip, &len), UCPD_FRAME_MSG);
	KUNIT_EXPECT_EQ(test, len, UCP_SCCP_MAX_MSG);
}

/*
 * A stream of several messages, arriving @chunk bytes at a time, taken
 * apart the way the relay does (frame, consume, keep the rest): the same
 * messages, in order, each exactly once.
 */
static void sccp_stream(struct kunit *test, size_t chunk)
{
	static const size_t lens[] = { 12, 40, 12, 200, 13, 1000, 12 };
	unsigned char stream[2048], raw[2048];
	size_t off[ARRAY_SIZE(lens)], total = 0, in = 0, have = 0, got = 0;
	size_t skip, len, i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		off[i] = total;
		total += sccp_msg(stream + total, lens[i], 0x11, 0x100 + i);
	}
	while (in < total || have) {
		size_t n = total - in < chunk ? total - in : chunk;

		memcpy(raw + have, stream + in, n);
		have += n;
		in += n;
		while (have) {
			enum ucpd_frame_ret r = frame(raw, have, &skip, &len);

			KUNIT_ASSERT_NE(test, r, UCPD_FRAME_BAD);
			if (r == UCPD_FRAME_MORE) {
				KUNIT_ASSERT_EQ(test, skip, 0);
				KUNIT_ASSERT_LT(test, in, total);
				break;
			}
			KUNIT_ASSERT_LT(test, got, ARRAY_SIZE(lens));
			KUNIT_EXPECT_EQ(test, len, lens[got]);
			KUNIT_EXPECT_EQ(test, memcmp(raw, stream + off[got], len), 0);
			memmove(raw, raw + len, have - len);
			have -= len;
			got++;
		}
	}
	KUNIT_EXPECT_EQ(test, got, ARRAY_SIZE(lens));
}

static void sccp_stream_test(struct kunit *test)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 11, 12, 13, 100, 4096 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(chunks); i++)
		sccp_stream(test, chunks[i]);
}

static struct kunit_case ucpd_frame_cases[] = {
	KUNIT_CASE(framer_get_test),
	KUNIT_CASE(sccp_one_test),
	KUNIT_CASE(sccp_bad_test),
	KUNIT_CASE(sccp_max_test),
	KUNIT_CASE(sccp_stream_test),
	KUNIT_CASE(mmp_framer_test),
	KUNIT_CASE(mmp_caps_test),
	KUNIT_CASE(mmp_bad_test),
	{}
};

static struct kunit_suite ucpd_frame_suite = {
	.name = "ucpd_frame",
	.test_cases = ucpd_frame_cases,
};

kunit_test_suite(ucpd_frame_suite);

MODULE_DESCRIPTION("KUnit tests of ucproxyd's framers");
MODULE_LICENSE("GPL");
