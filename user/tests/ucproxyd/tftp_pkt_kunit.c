// SPDX-License-Identifier: GPL-2.0
/*
 * TFTP packets (tftp_pkt.c): each packet type parsed from bytes written
 * by hand, each refusal with its reason, and the builders' bytes compared
 * with the RFCs' layouts.
 */
#include <kunit/test.h>

#include <string.h>

#include "tftp_pkt.h"

#define P(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

static void rrq_test(struct kunit *test)
{
	struct ucpd_tftp_pkt p;

	KUNIT_ASSERT_EQ(test, ucpd_tftp_parse(P("\0\1SEP001122AABBCC.cnf.xml\0OCTET\0"
						"BlkSize\0001428\0tsize\0000\0"
						"timeout\0003\0windowsize\0004\0"), &p),
			UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, p.op, UCPD_TFTP_RRQ);
	KUNIT_EXPECT_STREQ(test, p.file, "SEP001122AABBCC.cnf.xml");
	KUNIT_EXPECT_EQ(test, p.file_len, 23u);
	KUNIT_EXPECT_EQ(test, p.mode, UCPD_TFTP_OCTET);
	KUNIT_EXPECT_TRUE(test, p.opts.has_blksize);
	KUNIT_EXPECT_EQ(test, p.opts.blksize, 1428);
	KUNIT_EXPECT_TRUE(test, p.opts.has_tsize);
	KUNIT_EXPECT_EQ(test, p.opts.tsize, 0u);
	KUNIT_EXPECT_TRUE(test, p.opts.has_timeout);
	KUNIT_EXPECT_EQ(test, p.opts.timeout, 3);
	KUNIT_EXPECT_EQ(test, p.opts.n_unknown, 1u);

	KUNIT_ASSERT_EQ(test, ucpd_tftp_parse(P("\0\2up\0netascii\0"), &p),
			UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, p.op, UCPD_TFTP_WRQ);
	KUNIT_EXPECT_EQ(test, p.mode, UCPD_TFTP_NETASCII);
	KUNIT_EXPECT_FALSE(test, p.opts.has_blksize);
}

static void data_ack_error_test(struct kunit *test)
{
	struct ucpd_tftp_pkt p;

	KUNIT_ASSERT_EQ(test, ucpd_tftp_parse(P("\0\3\1\2abc"), &p), UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, p.block, 0x102);
	KUNIT_EXPECT_EQ(test, p.data_len, 3u);
	KUNIT_EXPECT_EQ(test, memcmp(p.data, "abc", 3), 0);
	/* An empty last block. */
	KUNIT_ASSERT_EQ(test, ucpd_tftp_parse(P("\0\3\xff\xff"), &p), UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, p.block, 0xffff);
	KUNIT_EXPECT_EQ(test, p.data_len, 0u);
	KUNIT_ASSERT_EQ(test, ucpd_tftp_parse(P("\0\4\0\0"), &p), UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, p.op, UCPD_TFTP_ACK);
	KUNIT_EXPECT_EQ(test, p.block, 0);
	KUNIT_ASSERT_EQ(test, ucpd_tftp_parse(P("\0\5\0\1File not found\0"), &p),
			UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, p.code, 1);
	KUNIT_EXPECT_STREQ(test, p.msg, "File not found");
	KUNIT_ASSERT_EQ(test, ucpd_tftp_parse(P("\0\6tsize\0002097485\0blksize\000512\0"), &p),
			UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, p.op, UCPD_TFTP_OACK);
	KUNIT_EXPECT_EQ(test, p.opts.tsize, 2097485u);
	KUNIT_EXPECT_EQ(test, p.opts.blksize, 512);
}

struct bad {
	const char *b;
	size_t len;
	enum ucpd_tftp_perr e;
};

#define BAD(s, e) { s, sizeof(s) - 1, e }

static const struct bad bads[] = {
	BAD("", UCPD_TFTP_P_SHORT),
	BAD("\0", UCPD_TFTP_P_SHORT),
	BAD("\0\7", UCPD_TFTP_P_OPCODE),
	BAD("\0\0", UCPD_TFTP_P_OPCODE),
	BAD("\0\1file", UCPD_TFTP_P_UNTERMINATED),
	BAD("\0\1file\0", UCPD_TFTP_P_UNTERMINATED),
	BAD("\0\1file\0octet", UCPD_TFTP_P_UNTERMINATED),
	BAD("\0\1\0octet\0", UCPD_TFTP_P_NAME),
	BAD("\0\1f\0mail\0", UCPD_TFTP_P_MODE),
	BAD("\0\1f\0octet\0blksize\0", UCPD_TFTP_P_OPTION),
	BAD("\0\1f\0octet\0blksize", UCPD_TFTP_P_UNTERMINATED),
	BAD("\0\1f\0octet\0blksize\000512", UCPD_TFTP_P_UNTERMINATED),
	BAD("\0\1f\0octet\0\0x\0", UCPD_TFTP_P_OPTION),
	BAD("\0\1f\0octet\0blksize\000512\0BLKSIZE\000512\0", UCPD_TFTP_P_OPTION),
	BAD("\0\1f\0octet\0blksize\0007\0", UCPD_TFTP_P_VALUE),
	BAD("\0\1f\0octet\0blksize\00065465\0", UCPD_TFTP_P_VALUE),
	BAD("\0\1f\0octet\0blksize\0\0", UCPD_TFTP_P_VALUE),
	BAD("\0\1f\0octet\0blksize\0+512\0", UCPD_TFTP_P_VALUE),
	BAD("\0\1f\0octet\0timeout\0000\0", UCPD_TFTP_P_VALUE),
	BAD("\0\1f\0octet\0timeout\000256\0", UCPD_TFTP_P_VALUE),
	BAD("\0\1f\0octet\0tsize\00099999999999999999999\0", UCPD_TFTP_P_VALUE),
	BAD("\0\1f\0octet\0tsize\0009223372036854775808\0", UCPD_TFTP_P_VALUE),
	BAD("\0\3\0", UCPD_TFTP_P_SHORT),
	BAD("\0\4\0", UCPD_TFTP_P_SHORT),
	BAD("\0\4\0\1\0", UCPD_TFTP_P_TRAILING),
	BAD("\0\5\0\1", UCPD_TFTP_P_SHORT),
	BAD("\0\5\0\1oops", UCPD_TFTP_P_UNTERMINATED),
	BAD("\0\6blksize\0", UCPD_TFTP_P_OPTION),
};

static void bad_desc(const struct bad *b, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu bytes: %s", b->len,
		 ucpd_tftp_strerror(b->e));
}

KUNIT_ARRAY_PARAM(bad, bads, bad_desc);

static void bad_test(struct kunit *test)
{
	const struct bad *b = test->param_value;
	struct ucpd_tftp_pkt p;

	KUNIT_EXPECT_EQ(test, ucpd_tftp_parse((const uint8_t *)b->b, b->len, &p), b->e);
	/* Nothing half-filled to act on. */
	KUNIT_EXPECT_NULL(test, p.file);
}

static void long_test(struct kunit *test)
{
	static uint8_t b[UCPD_TFTP_PKT_MAX + 1];
	struct ucpd_tftp_pkt p;

	memset(b, 'a', sizeof(b));
	b[0] = 0;
	b[1] = 1;
	b[UCPD_TFTP_REQ_MAX - 1] = 0;
	b[UCPD_TFTP_REQ_MAX - 7] = 0;
	memcpy(b + UCPD_TFTP_REQ_MAX - 6, "octet", 5);
	KUNIT_EXPECT_EQ(test, ucpd_tftp_parse(b, UCPD_TFTP_REQ_MAX, &p), UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, ucpd_tftp_parse(b, UCPD_TFTP_REQ_MAX + 1, &p),
			UCPD_TFTP_P_REQ_LONG);
	b[1] = 3;
	KUNIT_EXPECT_EQ(test, ucpd_tftp_parse(b, UCPD_TFTP_PKT_MAX, &p), UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, p.data_len, (size_t)UCPD_TFTP_BLKSIZE_MAX);
	KUNIT_EXPECT_EQ(test, ucpd_tftp_parse(b, UCPD_TFTP_PKT_MAX + 1, &p),
			UCPD_TFTP_P_DATA_LONG);
}

static void build_test(struct kunit *test)
{
	struct ucpd_tftp_opts o = {
		.has_blksize = true, .blksize = 1428,
		.has_timeout = true, .timeout = 2,
		.has_tsize = true, .tsize = 0,
	};
	static const char rrq[] = "\0\1a.bin\0octet\0blksize\0001428\0timeout\0002\0tsize\0000\0";
	static const char oack[] = "\0\6blksize\000512\0";
	uint8_t b[UCPD_TFTP_REQ_MAX + 8];
	char big[600];

	KUNIT_ASSERT_EQ(test, ucpd_tftp_build_rrq(b, sizeof(b), "a.bin",
						  UCPD_TFTP_OCTET, &o), sizeof(rrq) - 1);
	KUNIT_EXPECT_EQ(test, memcmp(b, rrq, sizeof(rrq) - 1), 0);
	/* Too small by one byte: nothing. */
	KUNIT_EXPECT_EQ(test, ucpd_tftp_build_rrq(b, sizeof(rrq) - 2, "a.bin",
						  UCPD_TFTP_OCTET, &o), 0u);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	KUNIT_EXPECT_EQ(test, ucpd_tftp_build_rrq(b, sizeof(b), big,
						  UCPD_TFTP_OCTET, NULL), 0u);
	memset(&o, 0, sizeof(o));
	o.has_blksize = true;
	o.blksize = 512;
	KUNIT_ASSERT_EQ(test, ucpd_tftp_build_oack(b, sizeof(b), &o), sizeof(oack) - 1);
	KUNIT_EXPECT_EQ(test, memcmp(b, oack, sizeof(oack) - 1), 0);
	KUNIT_ASSERT_EQ(test, ucpd_tftp_build_ack(b, 4, 0x1234), 4u);
	KUNIT_EXPECT_EQ(test, memcmp(b, "\0\4\x12\x34", 4), 0);
	KUNIT_EXPECT_EQ(test, ucpd_tftp_build_ack(b, 3, 1), 0u);
	KUNIT_ASSERT_EQ(test, ucpd_tftp_build_data(b, 4, 0xffff), 4u);
	KUNIT_EXPECT_EQ(test, memcmp(b, "\0\3\xff\xff", 4), 0);
	KUNIT_ASSERT_EQ(test, ucpd_tftp_build_error(b, sizeof(b), 2, "access violation"), 21u);
	KUNIT_EXPECT_EQ(test, memcmp(b, "\0\5\0\2access violation\0", 21), 0);
	/* Cut to fit, still terminated. */
	KUNIT_ASSERT_EQ(test, ucpd_tftp_build_error(b, 8, 0, "too long"), 8u);
	KUNIT_EXPECT_EQ(test, memcmp(b, "\0\5\0\0too\0", 8), 0);
	KUNIT_EXPECT_EQ(test, ucpd_tftp_build_error(b, 4, 0, ""), 0u);
}

/* What the builders write, the parser reads back. */
static void round_trip_test(struct kunit *test)
{
	struct ucpd_tftp_opts o = { .has_tsize = true, .tsize = 1ull << 40 };
	struct ucpd_tftp_pkt p;
	uint8_t b[UCPD_TFTP_REQ_MAX];
	size_t n;

	n = ucpd_tftp_build_oack(b, sizeof(b), &o);
	KUNIT_ASSERT_EQ(test, ucpd_tftp_parse(b, n, &p), UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, p.opts.tsize, 1ull << 40);
	n = ucpd_tftp_build_rrq(b, sizeof(b), "f", UCPD_TFTP_NETASCII, &o);
	KUNIT_ASSERT_EQ(test, ucpd_tftp_parse(b, n, &p), UCPD_TFTP_OK);
	KUNIT_EXPECT_EQ(test, p.mode, UCPD_TFTP_NETASCII);
}

static void oack_check_test(struct kunit *test)
{
	struct ucpd_tftp_opts req = { .has_blksize = true, .blksize = 1428,
				      .has_tsize = true, .has_timeout = true,
				      .timeout = 2 };
	struct ucpd_tftp_opts ans = { .has_blksize = true, .blksize = 1024,
				      .has_tsize = true, .tsize = 5 };

	KUNIT_EXPECT_NULL(test, ucpd_tftp_oack_check(&req, &ans));
	ans.blksize = 1429;
	KUNIT_EXPECT_NOT_NULL(test, ucpd_tftp_oack_check(&req, &ans));
	ans.blksize = 1428;
	ans.has_timeout = true;
	ans.timeout = 3;
	KUNIT_EXPECT_NOT_NULL(test, ucpd_tftp_oack_check(&req, &ans));
	ans.timeout = 2;
	KUNIT_EXPECT_NULL(test, ucpd_tftp_oack_check(&req, &ans));
	ans.n_unknown = 1;
	KUNIT_EXPECT_NOT_NULL(test, ucpd_tftp_oack_check(&req, &ans));
	ans.n_unknown = 0;
	req.has_tsize = false;
	KUNIT_EXPECT_NOT_NULL(test, ucpd_tftp_oack_check(&req, &ans));
}

static struct kunit_case tftp_pkt_cases[] = {
	KUNIT_CASE(rrq_test),
	KUNIT_CASE(data_ack_error_test),
	KUNIT_CASE_PARAM(bad_test, bad_gen_params),
	KUNIT_CASE(long_test),
	KUNIT_CASE(build_test),
	KUNIT_CASE(round_trip_test),
	KUNIT_CASE(oack_check_test),
	{}
};

static struct kunit_suite tftp_pkt_suite = {
	.name = "ucpd_tftp_pkt",
	.test_cases = tftp_pkt_cases,
};

kunit_test_suite(tftp_pkt_suite);

MODULE_LICENSE("GPL");
