// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the SCCP core (kmod/ucp_sccp.c): every message the core
 * knows, built here at every header version where its layout differs and
 * parsed back; framing of several and of split messages; refusals with
 * their reasons (lengths, truncation, address types, key lengths);
 * unknown ids; and rewriting, checked by parsing the output again.
 *
 * Every message is parsed from a buffer of exactly its length, so that a
 * read past the end is caught (ASan in userspace, KASAN in the kernel).
 */
#include <kunit/test.h>

#include "ucp_sccp.h"

/* Versions whose layouts differ: basic, V11, V15, V17, V22. */
static const u32 versions[] = { 0x00, 0x0b, 0x0f, 0x11, 0x16 };

static const u8 ip4_a[4] = { 10, 0, 1, 2 };
static const u8 ip4_b[4] = { 192, 0, 2, 10 };
static const u8 ip6_a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
			      0, 0, 0, 0, 0, 0, 0, 0x02 };

/* A message under construction. */
struct mb {
	u8 b[512];
	u32 len;
	u32 version;
};

static void put32(struct mb *mb, u32 v)
{
	mb->b[mb->len++] = v;
	mb->b[mb->len++] = v >> 8;
	mb->b[mb->len++] = v >> 16;
	mb->b[mb->len++] = v >> 24;
}

static void put_bytes(struct mb *mb, const void *p, u32 n)
{
	memcpy(mb->b + mb->len, p, n);
	mb->len += n;
}

static void start(struct mb *mb, u32 version, u32 id)
{
	memset(mb, 0, sizeof(*mb));
	mb->version = version;
	mb->len = 4;		/* the length, set by finish() */
	put32(mb, version);
	put32(mb, id);
}

static void finish(struct mb *mb)
{
	u32 l = mb->len - UCP_SCCP_PREFIX_LEN;

	mb->b[0] = l;
	mb->b[1] = l >> 8;
	mb->b[2] = l >> 16;
	mb->b[3] = l >> 24;
}

/* An address field as the version writes it: plain IPv4, or typed. */
static void put_addr(struct mb *mb, u8 family, const u8 *a)
{
	u8 z[16] = {};

	if (mb->version < UCP_SCCP_V17) {
		put_bytes(mb, a, 4);
		return;
	}
	put32(mb, family == 4 ? UCP_SCCP_IPADDR_V4 : UCP_SCCP_IPADDR_V6);
	memcpy(z, a, family == 4 ? 4 : 16);
	put_bytes(mb, z, 16);
}

/* Key info: algorithm 2, key bytes 1..16, salt 0x81..0x8e, KDR 7. */
static void put_key(struct mb *mb, u32 alg, u16 key_len, u16 salt_len)
{
	u8 key[16], salt[16];
	int i;

	for (i = 0; i < 16; i++) {
		key[i] = 1 + i;
		salt[i] = 0x81 + i;
	}
	put32(mb, alg);
	mb->b[mb->len++] = key_len;
	mb->b[mb->len++] = key_len >> 8;
	mb->b[mb->len++] = salt_len;
	mb->b[mb->len++] = salt_len >> 8;
	put_bytes(mb, key, 16);
	put_bytes(mb, salt, 16);
	put32(mb, 0);
	put32(mb, 7);
}

static void build_register(struct mb *mb, u32 v, bool long_form)
{
	u8 sid[16] = "SEP001122334455";

	start(mb, v, UCP_SCCP_REGISTER);
	put_bytes(mb, sid, 16);
	put32(mb, 0);
	put32(mb, 1);
	put_bytes(mb, ip4_a, 4);	/* plain in every version */
	put32(mb, 30016);		/* device type */
	put32(mb, 5);			/* max streams */
	if (long_form) {
		u8 pad[36] = {};

		put_bytes(mb, pad, 36);	/* ... up to the IPv6 address at 72 */
		put_bytes(mb, ip6_a, 16);
		put32(mb, 0);
	}
	finish(mb);
}

static void build_orc_ack(struct mb *mb, u32 v, u8 family, const u8 *a)
{
	start(mb, v, UCP_SCCP_OPEN_RECEIVE_CHANNEL_ACK);
	put32(mb, 0);
	put_addr(mb, family, a);
	put32(mb, 20000);
	put32(mb, 42);		/* passThruPartyId */
	put32(mb, 77);		/* callReference */
	finish(mb);
}

static void build_smt(struct mb *mb, u32 v, u8 family, const u8 *a)
{
	u8 qual[16] = {};

	start(mb, v, UCP_SCCP_START_MEDIA_TRANSMISSION);
	put32(mb, 1);
	put32(mb, 42);
	put_addr(mb, family, a);
	put32(mb, 30000);
	put32(mb, 20);
	put32(mb, 4);
	put_bytes(mb, qual, 16);
	put32(mb, 77);
	put_key(mb, UCP_SCCP_ALG_AES_CM_128_SHA1_80, 16, 14);
	put32(mb, 0);
	put32(mb, 0);
	put32(mb, 101);
	put32(mb, 0);
	put32(mb, 0);
	finish(mb);
}

static void build_orc(struct mb *mb, u32 v, u8 family, const u8 *a)
{
	start(mb, v, UCP_SCCP_OPEN_RECEIVE_CHANNEL);
	put32(mb, 1);
	put32(mb, 42);
	put32(mb, 20);
	put32(mb, 4);
	put32(mb, 0);
	put32(mb, 0);
	put32(mb, 77);
	put_key(mb, UCP_SCCP_ALG_AES_CM_128_SHA1_32, 16, 14);
	put32(mb, 0);
	put32(mb, 0);
	put32(mb, 101);
	put32(mb, 0);
	put32(mb, 0);
	put32(mb, 0);
	if (v >= UCP_SCCP_V11) {
		put_addr(mb, family, a);
		put32(mb, 40000);
	}
	finish(mb);
}

static void build_smt_ack(struct mb *mb, u32 v, u8 family, const u8 *a)
{
	start(mb, v, UCP_SCCP_START_MEDIA_TRANSMISSION_ACK);
	put32(mb, 1);
	put32(mb, 42);
	put32(mb, 77);
	put_addr(mb, family, a);
	put32(mb, 20000);
	put32(mb, 0);
	finish(mb);
}

static void build_stop(struct mb *mb, u32 v, u32 id)
{
	start(mb, v, id);
	put32(mb, 1);
	put32(mb, 42);
	put32(mb, 77);
	put32(mb, 0);
	finish(mb);
}

/* Parse @len bytes of @mb from a buffer of exactly that size. */
static int parse_exact(struct kunit *test, struct ucp_sccp_msg *m,
		       const u8 *b, u32 len)
{
	u8 *copy = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, copy);
	memcpy(copy, b, len);
	return ucp_sccp_parse(m, copy, len);
}

static struct ucp_sccp_msg *msg_new(struct kunit *test)
{
	struct ucp_sccp_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	return m;
}

static void expect_field(struct kunit *test, const struct ucp_sccp_msg *m,
			 unsigned int i, u8 kind, u8 family, const u8 *a,
			 u16 port)
{
	KUNIT_ASSERT_GT(test, m->nfields, i);
	KUNIT_EXPECT_EQ(test, m->f[i].kind, kind);
	KUNIT_EXPECT_EQ(test, m->f[i].addr.family, family);
	KUNIT_EXPECT_EQ(test, memcmp(m->f[i].addr.a, a, family == 4 ? 4 : 16), 0);
	KUNIT_EXPECT_EQ(test, m->f[i].port, port);
	KUNIT_EXPECT_EQ(test, m->f[i].typed, m->version >= UCP_SCCP_V17 &&
			kind != UCP_SCCP_F_STATION && kind != UCP_SCCP_F_STATION6);
}

static void expect_key(struct kunit *test, const struct ucp_sccp_msg *m,
		       u8 suite)
{
	int i;

	KUNIT_ASSERT_TRUE(test, m->has_key);
	KUNIT_EXPECT_EQ(test, m->key.suite, suite);
	KUNIT_EXPECT_EQ(test, m->key.key_len, 16);
	KUNIT_EXPECT_EQ(test, m->key.salt_len, 14);
	KUNIT_EXPECT_EQ(test, m->key.kdr, 7);
	KUNIT_EXPECT_EQ(test, m->key.mki_present, 0);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, m->key.key[i], 1 + i);
	for (i = 0; i < 14; i++)
		KUNIT_EXPECT_EQ(test, m->key.salt[i], 0x81 + i);
	/* Salt bytes past salt_len are padding, not kept. */
	KUNIT_EXPECT_EQ(test, m->key.salt[14], 0);
}

static void version_desc(const u32 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "version 0x%02x", *v);
}

KUNIT_ARRAY_PARAM(version, versions, version_desc);

/* Each message at each version, IPv4, parsed back. */
static void messages_v4_test(struct kunit *test)
{
	u32 v = *(const u32 *)test->param_value;
	struct ucp_sccp_msg *m = msg_new(test);
	struct mb mb;

	build_register(&mb, v, false);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, m->id, UCP_SCCP_REGISTER);
	KUNIT_EXPECT_EQ(test, m->version, v);
	KUNIT_EXPECT_EQ(test, m->nfields, 1);
	expect_field(test, m, 0, UCP_SCCP_F_STATION, 4, ip4_a, 0);

	build_orc_ack(&mb, v, 4, ip4_a);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_TRUE(test, m->known);
	KUNIT_EXPECT_EQ(test, m->len, mb.len);
	KUNIT_EXPECT_EQ(test, m->party_id, 42);
	KUNIT_EXPECT_EQ(test, m->call_ref, 77);
	KUNIT_EXPECT_EQ(test, m->nfields, 1);
	expect_field(test, m, 0, UCP_SCCP_F_RECEIVE, 4, ip4_a, 20000);

	build_smt(&mb, v, 4, ip4_b);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, m->conference_id, 1);
	KUNIT_EXPECT_EQ(test, m->party_id, 42);
	KUNIT_EXPECT_EQ(test, m->call_ref, 77);
	expect_field(test, m, 0, UCP_SCCP_F_REMOTE, 4, ip4_b, 30000);
	expect_key(test, m, UCP_SUITE_AES_CM_128_HMAC_SHA1_80);

	build_orc(&mb, v, 4, ip4_b);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, m->party_id, 42);
	KUNIT_EXPECT_EQ(test, m->call_ref, 77);
	expect_key(test, m, UCP_SUITE_AES_CM_128_HMAC_SHA1_32);
	if (v >= UCP_SCCP_V11)
		expect_field(test, m, 0, UCP_SCCP_F_SOURCE, 4, ip4_b, 40000);
	else
		KUNIT_EXPECT_EQ(test, m->nfields, 0);

	build_smt_ack(&mb, v, 4, ip4_a);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, m->party_id, 42);
	KUNIT_EXPECT_EQ(test, m->call_ref, 77);
	expect_field(test, m, 0, UCP_SCCP_F_TRANSMIT, 4, ip4_a, 20000);

	build_stop(&mb, v, UCP_SCCP_STOP_MEDIA_TRANSMISSION);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, m->party_id, 42);
	KUNIT_EXPECT_TRUE(test, m->has_call_ref);
	KUNIT_EXPECT_EQ(test, m->nfields, 0);

	build_stop(&mb, v, UCP_SCCP_CLOSE_RECEIVE_CHANNEL);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, m->id, UCP_SCCP_CLOSE_RECEIVE_CHANNEL);
	KUNIT_EXPECT_EQ(test, m->party_id, 42);
	ucp_sccp_msg_wipe(m);
}

/* The typed form carries IPv6 from version 0x11 on. */
static void messages_v6_test(struct kunit *test)
{
	struct ucp_sccp_msg *m = msg_new(test);
	struct mb mb;

	build_orc_ack(&mb, 0x11, 6, ip6_a);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	expect_field(test, m, 0, UCP_SCCP_F_RECEIVE, 6, ip6_a, 20000);
	KUNIT_EXPECT_EQ(test, m->f[0].type_off, UCP_SCCP_HDR_LEN + 4);
	KUNIT_EXPECT_EQ(test, m->f[0].addr_off, UCP_SCCP_HDR_LEN + 8);
	KUNIT_EXPECT_EQ(test, m->f[0].port_off, UCP_SCCP_HDR_LEN + 24);

	build_smt(&mb, 0x16, 6, ip6_a);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	expect_field(test, m, 0, UCP_SCCP_F_REMOTE, 6, ip6_a, 30000);
	expect_key(test, m, UCP_SUITE_AES_CM_128_HMAC_SHA1_80);

	build_orc(&mb, 0x12, 6, ip6_a);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	expect_field(test, m, 0, UCP_SCCP_F_SOURCE, 6, ip6_a, 40000);

	build_smt_ack(&mb, 0x11, 6, ip6_a);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	expect_field(test, m, 0, UCP_SCCP_F_TRANSMIT, 6, ip6_a, 20000);

	/* Dual stack (type 2) gives the IPv6 address. */
	build_orc_ack(&mb, 0x11, 6, ip6_a);
	mb.b[UCP_SCCP_HDR_LEN + 4] = UCP_SCCP_IPADDR_V4_V6;
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, m->f[0].addr.family, 6);

	build_register(&mb, 0x11, true);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_ASSERT_EQ(test, m->nfields, 2);
	expect_field(test, m, 0, UCP_SCCP_F_STATION, 4, ip4_a, 0);
	expect_field(test, m, 1, UCP_SCCP_F_STATION6, 6, ip6_a, 0);
	KUNIT_EXPECT_EQ(test, m->f[1].addr_off, UCP_SCCP_HDR_LEN + 72);
}

static void ip_port_test(struct kunit *test)
{
	struct ucp_sccp_msg *m = msg_new(test);
	struct mb mb;

	start(&mb, 0, UCP_SCCP_IP_PORT);
	put32(&mb, 16384);
	finish(&mb);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_ASSERT_EQ(test, m->nfields, 1);
	KUNIT_EXPECT_EQ(test, m->f[0].kind, UCP_SCCP_F_RTP_PORT);
	KUNIT_EXPECT_EQ(test, m->f[0].port, 16384);
	KUNIT_EXPECT_EQ(test, m->f[0].addr_off, 0);

	start(&mb, 0, UCP_SCCP_IP_PORT);
	put32(&mb, 0x10000);	/* not a port */
	finish(&mb);
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, mb.b, mb.len),
			UCP_SCCP_E_ADDRESS);
}

/* Several messages in one buffer, and every split of them. */
static void framing_test(struct kunit *test)
{
	struct mb a, b;
	u8 *buf = kunit_kmalloc(test, 1024, GFP_KERNEL);
	size_t len, off, n, cut;
	int count = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	build_orc_ack(&a, 0x11, 4, ip4_a);
	build_smt(&b, 0, 4, ip4_b);
	memcpy(buf, a.b, a.len);
	memcpy(buf + a.len, b.b, b.len);
	memcpy(buf + a.len + b.len, a.b, a.len);
	len = 2 * a.len + b.len;

	for (off = 0; off < len; off += n, count++)
		KUNIT_ASSERT_EQ(test, ucp_sccp_frame(buf + off, len - off, &n),
				UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, count, 3);
	KUNIT_EXPECT_EQ(test, off, len);

	/* Any prefix of a message asks for more. */
	for (cut = 0; cut < a.len; cut++)
		KUNIT_EXPECT_EQ(test, ucp_sccp_frame(a.b, cut, &n),
				UCP_SCCP_E_INCOMPLETE);
	KUNIT_EXPECT_EQ(test, ucp_sccp_frame(a.b, a.len, &n), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, n, a.len);
}

static void length_test(struct kunit *test)
{
	struct ucp_sccp_msg *m = msg_new(test);
	u8 b[16] = {};
	size_t n;

	/* A length that cannot hold the message id. */
	b[0] = 3;
	KUNIT_EXPECT_EQ(test, ucp_sccp_frame(b, sizeof(b), &n), UCP_SCCP_E_LENGTH);
	b[0] = 0;
	KUNIT_EXPECT_EQ(test, ucp_sccp_frame(b, sizeof(b), &n), UCP_SCCP_E_LENGTH);
	/* The largest accepted, and one more. */
	b[0] = (UCP_SCCP_MAX_MSG - 8) & 0xff;
	b[1] = (UCP_SCCP_MAX_MSG - 8) >> 8;
	KUNIT_EXPECT_EQ(test, ucp_sccp_frame(b, sizeof(b), &n),
			UCP_SCCP_E_INCOMPLETE);
	KUNIT_EXPECT_EQ(test, n, UCP_SCCP_MAX_MSG);
	b[0]++;
	KUNIT_EXPECT_EQ(test, ucp_sccp_frame(b, sizeof(b), &n),
			UCP_SCCP_E_TOO_LARGE);
	b[0] = 0;
	b[1] = 0;
	b[3] = 0x80;	/* huge: no overflow in the sum */
	KUNIT_EXPECT_EQ(test, ucp_sccp_frame(b, sizeof(b), &n),
			UCP_SCCP_E_TOO_LARGE);

	/* parse() wants exactly one message. */
	b[0] = 4;
	b[3] = 0;
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, b, 12), UCP_SCCP_OK);
	KUNIT_EXPECT_FALSE(test, m->known);
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, b, 13), UCP_SCCP_E_LENGTH);
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, b, 11), UCP_SCCP_E_TRUNCATED);
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, b, 3), UCP_SCCP_E_LENGTH);
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, b, 0), UCP_SCCP_E_LENGTH);
}

/*
 * Every shortened form of every known message (length field and buffer
 * cut alike): refused as truncated where a required field is cut, parsed
 * without the cut trailing parts otherwise; never a read past the end.
 */
static void truncation_test(struct kunit *test)
{
	u32 v = *(const u32 *)test->param_value;
	struct ucp_sccp_msg *m = msg_new(test);
	/* On the heap: nine of them are too much stack for a KASAN kernel. */
	struct mb *all = kunit_kcalloc(test, 8, sizeof(*all), GFP_KERNEL);
	struct mb *mb = kunit_kzalloc(test, sizeof(*mb), GFP_KERNEL);
	unsigned int i;
	u32 cut;

	KUNIT_ASSERT_NOT_NULL(test, all);
	KUNIT_ASSERT_NOT_NULL(test, mb);

	build_register(&all[0], v, true);
	build_orc_ack(&all[1], v, 4, ip4_a);
	build_smt(&all[2], v, 4, ip4_b);
	build_orc(&all[3], v, 4, ip4_b);
	build_smt_ack(&all[4], v, 4, ip4_a);
	build_stop(&all[5], v, UCP_SCCP_STOP_MEDIA_TRANSMISSION);
	build_stop(&all[6], v, UCP_SCCP_CLOSE_RECEIVE_CHANNEL);
	start(&all[7], v, UCP_SCCP_IP_PORT);
	put32(&all[7], 2000);
	finish(&all[7]);

	for (i = 0; i < 8; i++) {
		for (cut = UCP_SCCP_HDR_LEN; cut <= all[i].len; cut++) {
			int err;

			*mb = all[i];
			mb->len = cut;
			finish(mb);
			err = parse_exact(test, m, mb->b, mb->len);
			KUNIT_EXPECT_TRUE_MSG(test, err == UCP_SCCP_OK ||
					      err == UCP_SCCP_E_TRUNCATED,
					      "message %u cut at %u: %d", i, cut, err);
			/* What was parsed lies inside the message. */
			if (!err && m->nfields)
				KUNIT_EXPECT_LE(test, (u32)m->f[0].port_off + 4, cut);
			if (!err && m->has_key)
				KUNIT_EXPECT_GE(test, cut, 12 + 28 + 48);
			ucp_sccp_msg_wipe(m);
		}
	}
	/* The required parts: the address field of the acks and of SMT. */
	*mb = all[1];
	mb->len -= 12;	/* party id and call reference and port gone */
	finish(mb);
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, mb->b, mb->len),
			UCP_SCCP_E_TRUNCATED);
	/* A short StartMediaTransmission has no key, and is still parsed. */
	*mb = all[2];
	mb->len -= 40;
	finish(mb);
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, mb->b, mb->len), UCP_SCCP_OK);
	KUNIT_EXPECT_FALSE(test, m->has_key);
	KUNIT_EXPECT_TRUE(test, m->has_call_ref);
}

static void unknown_test(struct kunit *test)
{
	struct ucp_sccp_msg *m = msg_new(test);
	struct mb mb;

	start(&mb, 0x11, 0x0098);	/* KeepAliveAck-like, not ours */
	put32(&mb, 0xffffffff);
	finish(&mb);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_FALSE(test, m->known);
	KUNIT_EXPECT_EQ(test, m->id, 0x0098);
	KUNIT_EXPECT_EQ(test, m->nfields, 0);
	KUNIT_EXPECT_FALSE(test, m->has_key);
}

static void bad_address_test(struct kunit *test)
{
	struct ucp_sccp_msg *m = msg_new(test);
	struct mb mb;

	build_orc_ack(&mb, 0x11, 4, ip4_a);
	mb.b[UCP_SCCP_HDR_LEN + 4] = 3;		/* no such address type */
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, mb.b, mb.len),
			UCP_SCCP_E_ADDRESS);
	build_smt(&mb, 0x00, 4, ip4_a);
	mb.b[UCP_SCCP_HDR_LEN + 12 + 2] = 1;	/* port 0x10000 + ... */
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, mb.b, mb.len),
			UCP_SCCP_E_ADDRESS);
}

static void bad_key_test(struct kunit *test)
{
	struct ucp_sccp_msg *m = msg_new(test);
	struct mb mb;
	u32 key_off = UCP_SCCP_HDR_LEN + 28;

	build_orc(&mb, 0x11, 4, ip4_a);
	mb.b[key_off + 4] = 17;			/* key length */
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_E_KEY);
	KUNIT_EXPECT_FALSE(test, m->has_key);
	KUNIT_EXPECT_EQ(test, m->key.key[0], 0);
	build_orc(&mb, 0x11, 4, ip4_a);
	mb.b[key_off + 7] = 1;			/* salt length 0x10e */
	KUNIT_EXPECT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_E_KEY);

	/* Wiping leaves no key byte behind. */
	build_orc(&mb, 0x11, 4, ip4_a);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_ASSERT_TRUE(test, m->has_key);
	ucp_sccp_msg_wipe(m);
	KUNIT_EXPECT_FALSE(test, m->has_key);
	KUNIT_EXPECT_EQ(test, m->key.key[0], 0);
	KUNIT_EXPECT_EQ(test, m->key.salt[0], 0);
}

static void suite_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ucp_sccp_suite(0), UCP_SUITE_NONE);
	KUNIT_EXPECT_EQ(test, ucp_sccp_suite(1), UCP_SUITE_AES_CM_128_HMAC_SHA1_32);
	KUNIT_EXPECT_EQ(test, ucp_sccp_suite(2), UCP_SUITE_AES_CM_128_HMAC_SHA1_80);
	KUNIT_EXPECT_EQ(test, ucp_sccp_suite(3), UCP_SCCP_SUITE_UNKNOWN);
	KUNIT_EXPECT_EQ(test, ucp_sccp_suite(4), UCP_SCCP_SUITE_UNKNOWN);
	KUNIT_EXPECT_EQ(test, ucp_sccp_suite(5), UCP_SUITE_AEAD_AES_128_GCM);
	KUNIT_EXPECT_EQ(test, ucp_sccp_suite(6), UCP_SUITE_AEAD_AES_256_GCM);
	KUNIT_EXPECT_EQ(test, ucp_sccp_suite(7), UCP_SCCP_SUITE_UNKNOWN);
	KUNIT_EXPECT_STREQ(test, ucp_sccp_reason_name(UCP_SCCP_E_KEY), "key");
	KUNIT_EXPECT_STREQ(test, ucp_sccp_reason_name(99), "unknown");
}

/* Rewrite: what the map says, where it says. */
struct map_ctx {
	struct ucp_sccp_addr to;
	u16 port;
	unsigned int calls;
};

static bool map_all(void *ctx, const struct ucp_sccp_msg *m,
		    const struct ucp_sccp_field *f, struct ucp_sccp_addr *addr,
		    u16 *port)
{
	struct map_ctx *c = ctx;

	/* Every field of the message parsed is offered. */
	if (f < m->f || f >= m->f + m->nfields)
		return false;
	c->calls++;
	if (f->addr_off)
		*addr = c->to;
	if (c->port)
		*port = c->port;
	return true;
}

static bool map_none(void *ctx, const struct ucp_sccp_msg *m,
		     const struct ucp_sccp_field *f, struct ucp_sccp_addr *addr,
		     u16 *port)
{
	/* Values set by a map that returns false are ignored. */
	*port = 1;
	addr->family = 6;
	return !ctx && (!m || !f);
}

static void rewrite_test(struct kunit *test)
{
	u32 v = *(const u32 *)test->param_value;
	struct ucp_sccp_msg *m = msg_new(test), *m2 = msg_new(test);
	struct map_ctx ctx = { .to = { .family = 4 }, .port = 5004 };
	struct mb mb, orig;
	u32 i;

	memcpy(ctx.to.a, ip4_b, 4);
	build_orc_ack(&mb, v, 4, ip4_a);
	orig = mb;
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, ucp_sccp_rewrite(m, mb.b, mb.len, map_all, &ctx), 1);
	KUNIT_EXPECT_EQ(test, ctx.calls, 1);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m2, mb.b, mb.len), UCP_SCCP_OK);
	expect_field(test, m2, 0, UCP_SCCP_F_RECEIVE, 4, ip4_b, 5004);
	KUNIT_EXPECT_EQ(test, m2->party_id, 42);
	KUNIT_EXPECT_EQ(test, m2->call_ref, 77);
	/* Only the address and port bytes changed. */
	for (i = 0; i < mb.len; i++) {
		bool in_addr = i >= m->f[0].addr_off && i < m->f[0].addr_off + 4u;
		bool in_port = i >= m->f[0].port_off && i < m->f[0].port_off + 4u;

		if (!in_addr && !in_port)
			KUNIT_EXPECT_EQ(test, mb.b[i], orig.b[i]);
	}
	/* The same again changes nothing. */
	KUNIT_EXPECT_EQ(test, ucp_sccp_rewrite(m2, mb.b, mb.len, map_all, &ctx), 0);
	KUNIT_EXPECT_EQ(test, ucp_sccp_rewrite(m2, mb.b, mb.len, map_none, NULL), 0);
	KUNIT_EXPECT_EQ(test, memcmp(mb.b + m->f[0].addr_off, ip4_b, 4), 0);

	/* Plain fields take no IPv6; nothing is written then. */
	ctx.to.family = 6;
	memcpy(ctx.to.a, ip6_a, 16);
	build_smt(&mb, v, 4, ip4_a);
	orig = mb;
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	if (v < UCP_SCCP_V17) {
		KUNIT_EXPECT_EQ(test, ucp_sccp_rewrite(m, mb.b, mb.len, map_all, &ctx),
				-UCP_SCCP_E_FAMILY);
		KUNIT_EXPECT_EQ(test, memcmp(mb.b, orig.b, mb.len), 0);
	} else {
		/* Typed ones change family. */
		KUNIT_EXPECT_EQ(test, ucp_sccp_rewrite(m, mb.b, mb.len, map_all, &ctx), 1);
		KUNIT_ASSERT_EQ(test, parse_exact(test, m2, mb.b, mb.len), UCP_SCCP_OK);
		expect_field(test, m2, 0, UCP_SCCP_F_REMOTE, 6, ip6_a, 5004);
		expect_key(test, m2, UCP_SUITE_AES_CM_128_HMAC_SHA1_80);
		/* And back, with the 12 bytes after IPv4 zeroed. */
		ctx.to.family = 4;
		memcpy(ctx.to.a, ip4_a, 4);
		ctx.port = 30000;
		KUNIT_EXPECT_EQ(test, ucp_sccp_rewrite(m2, mb.b, mb.len, map_all, &ctx), 1);
		KUNIT_EXPECT_EQ(test, memcmp(mb.b, orig.b, mb.len), 0);
	}
	/* A message of another length is not the one parsed. */
	KUNIT_EXPECT_EQ(test, ucp_sccp_rewrite(m, mb.b, mb.len - 1, map_all, &ctx),
			-UCP_SCCP_E_LENGTH);
	ucp_sccp_msg_wipe(m);
	ucp_sccp_msg_wipe(m2);
}

/* Register: the station addresses, each in its own width. */
static void rewrite_register_test(struct kunit *test)
{
	struct ucp_sccp_msg *m = msg_new(test), *m2 = msg_new(test);
	struct map_ctx ctx = { .to = { .family = 4 } };
	struct mb mb;

	memcpy(ctx.to.a, ip4_b, 4);
	build_register(&mb, 0x11, false);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, ucp_sccp_rewrite(m, mb.b, mb.len, map_all, &ctx), 1);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m2, mb.b, mb.len), UCP_SCCP_OK);
	expect_field(test, m2, 0, UCP_SCCP_F_STATION, 4, ip4_b, 0);
	/* The long form's IPv6 field takes no IPv4. */
	build_register(&mb, 0x11, true);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, ucp_sccp_rewrite(m, mb.b, mb.len, map_all, &ctx),
			-UCP_SCCP_E_FAMILY);
}

/* A key info block written in place: parsed back, nothing else touched. */
static void write_key_test(struct kunit *test)
{
	u32 v = *(const u32 *)test->param_value;
	struct ucp_sccp_msg *m = msg_new(test), *m2 = msg_new(test);
	struct ucp_sccp_key k = {
		.algorithm = UCP_SCCP_ALG_AEAD_AES_128_GCM,
		.key_len = 16, .salt_len = 12,
	};
	struct ucp_sccp_key none = {};
	struct mb mb, orig;
	int pass, i;

	for (i = 0; i < 16; i++) {
		k.key[i] = 0xc0 + i;
		k.salt[i] = i < 12 ? 0xe0 + i : 0;
	}
	for (pass = 0; pass < 2; pass++) {
		if (pass)
			build_smt(&mb, v, 4, ip4_a);
		else
			build_orc(&mb, v, 4, ip4_a);
		orig = mb;
		KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
		KUNIT_ASSERT_TRUE(test, m->has_key);
		KUNIT_ASSERT_EQ(test, ucp_sccp_write_key(m, mb.b, mb.len, &k), 0);
		KUNIT_ASSERT_EQ(test, parse_exact(test, m2, mb.b, mb.len), UCP_SCCP_OK);
		KUNIT_EXPECT_EQ(test, m2->key.suite, UCP_SUITE_AEAD_AES_128_GCM);
		KUNIT_EXPECT_EQ(test, m2->key.key_len, 16);
		KUNIT_EXPECT_EQ(test, m2->key.salt_len, 12);
		KUNIT_EXPECT_EQ(test, m2->key.kdr, 0);
		KUNIT_EXPECT_EQ(test, memcmp(m2->key.key, k.key, 16), 0);
		KUNIT_EXPECT_EQ(test, memcmp(m2->key.salt, k.salt, 12), 0);
		KUNIT_EXPECT_EQ(test, m2->party_id, 42);
		KUNIT_EXPECT_EQ(test, m2->nfields, m->nfields);
		for (i = 0; i < (int)mb.len; i++)
			if (i < m->key_off || i >= m->key_off + UCP_SCCP_KEYINFO_LEN)
				KUNIT_EXPECT_EQ(test, mb.b[i], orig.b[i]);
		/* "No encryption": the block all zero, no byte of the key left. */
		KUNIT_ASSERT_EQ(test, ucp_sccp_write_key(m2, mb.b, mb.len, &none), 0);
		for (i = 0; i < UCP_SCCP_KEYINFO_LEN; i++)
			KUNIT_EXPECT_EQ(test, mb.b[m->key_off + i], 0);
		KUNIT_ASSERT_EQ(test, parse_exact(test, m2, mb.b, mb.len), UCP_SCCP_OK);
		KUNIT_EXPECT_EQ(test, m2->key.suite, UCP_SUITE_NONE);
		/* Refused: too long a key, or another length; nothing written. */
		orig = mb;
		k.key_len = 17;
		KUNIT_EXPECT_EQ(test, ucp_sccp_write_key(m2, mb.b, mb.len, &k),
				-UCP_SCCP_E_KEY);
		k.key_len = 16;
		KUNIT_EXPECT_EQ(test, ucp_sccp_write_key(m2, mb.b, mb.len - 1, &k),
				-UCP_SCCP_E_LENGTH);
		KUNIT_EXPECT_EQ(test, memcmp(mb.b, orig.b, mb.len), 0);
	}
	/* A message without a block (a short StartMediaTransmission). */
	build_smt_ack(&mb, v, 4, ip4_a);
	KUNIT_ASSERT_EQ(test, parse_exact(test, m, mb.b, mb.len), UCP_SCCP_OK);
	KUNIT_EXPECT_EQ(test, ucp_sccp_write_key(m, mb.b, mb.len, &k),
			-UCP_SCCP_E_LENGTH);
	KUNIT_EXPECT_EQ(test, ucp_sccp_algorithm(UCP_SUITE_AES_CM_128_HMAC_SHA1_80),
			UCP_SCCP_ALG_AES_CM_128_SHA1_80);
	KUNIT_EXPECT_EQ(test, ucp_sccp_algorithm(UCP_SUITE_AES_256_CM_HMAC_SHA1_80),
			UCP_SCCP_ALG_NONE);
	for (i = UCP_SCCP_ALG_NONE; i <= UCP_SCCP_ALG_AEAD_AES_256_GCM; i++)
		if (ucp_sccp_suite(i) != UCP_SCCP_SUITE_UNKNOWN)
			KUNIT_EXPECT_EQ(test, ucp_sccp_algorithm(ucp_sccp_suite(i)), i);
	memzero_explicit(&k, sizeof(k));
	ucp_sccp_msg_wipe(m);
	ucp_sccp_msg_wipe(m2);
}

static struct kunit_case ucp_sccp_cases[] = {
	KUNIT_CASE_PARAM(messages_v4_test, version_gen_params),
	KUNIT_CASE(messages_v6_test),
	KUNIT_CASE(ip_port_test),
	KUNIT_CASE(framing_test),
	KUNIT_CASE(length_test),
	KUNIT_CASE_PARAM(truncation_test, version_gen_params),
	KUNIT_CASE(unknown_test),
	KUNIT_CASE(bad_address_test),
	KUNIT_CASE(bad_key_test),
	KUNIT_CASE(suite_test),
	KUNIT_CASE_PARAM(rewrite_test, version_gen_params),
	KUNIT_CASE(rewrite_register_test),
	KUNIT_CASE_PARAM(write_key_test, version_gen_params),
	{}
};

static struct kunit_suite ucp_sccp_test_suite = {
	.name = "ucp_sccp",
	.test_cases = ucp_sccp_cases,
};

kunit_test_suite(ucp_sccp_test_suite);

MODULE_DESCRIPTION("KUnit tests of the ucproxy SCCP core");
MODULE_LICENSE("GPL");
