// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the SRTP core (kmod/ucp_srtp.c) through whichever crypto
 * backend it is linked with: OpenSSL in userspace, the kernel crypto API
 * in the module. Known answers from RFC 3711 appendix B (AES-CM keystream,
 * key derivation), RFC 6188 7.2 (AES-256 key derivation), RFC 7714 16 and
 * 17 (AES-GCM, RTP and RTCP), and libsrtp's own packet vectors (which the
 * interop test also checks against libsrtp itself); then the rules:
 * rollover counter, replay window, tampering, truncation, MKI, SSRC
 * table, refusals.
 *
 * Every buffer the backend sees is on the heap: the kernel backend maps
 * them with scatterlists.
 */
#include <kunit/test.h>
#if defined(__KERNEL__) && defined(CONFIG_X86)
#include <crypto/internal/simd.h>
#include <asm/fpu/api.h>
#include <asm/simd.h>
#endif

#include "ucp_srtp.h"

#define MAX_CTX		8
#define PKT_ROOM	2048

struct srtp_test {
	struct ucp_srtp *ctx[MAX_CTX];
	unsigned int n;
	struct ucp_aes_ctr *ctr;
	struct ucp_hmac_sha1 *hmac;
	struct ucp_aes_gcm *gcm;
};

static int srtp_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct srtp_test), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void srtp_test_exit(struct kunit *test)
{
	struct srtp_test *t = test->priv;
	unsigned int i;

	for (i = 0; i < t->n; i++)
		ucp_srtp_destroy(t->ctx[i]);
	ucp_aes_ctr_free(t->ctr);
	ucp_hmac_sha1_free(t->hmac);
	ucp_aes_gcm_free(t->gcm);
}

/* @hex (spaces allowed) into a heap buffer of PKT_ROOM bytes; its length. */
static u8 *unhex(struct kunit *test, const char *hex, unsigned int *len)
{
	u8 *buf = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	unsigned int n = 0;
	int hi = -1, v;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (; *hex; hex++) {
		if (*hex == ' ')
			continue;
		v = hex_to_bin(*hex);
		KUNIT_ASSERT_GE_MSG(test, v, 0, "bad hex digit '%c'", *hex);
		if (hi < 0) {
			hi = v;
			continue;
		}
		KUNIT_ASSERT_LT(test, n, PKT_ROOM);
		buf[n++] = hi << 4 | v;
		hi = -1;
	}
	KUNIT_ASSERT_LT(test, hi, 0);
	if (len)
		*len = n;
	return buf;
}

static bool same(const u8 *a, const u8 *b, unsigned int n)
{
	return !memcmp(a, b, n);
}

static struct ucp_srtp *new_ctx(struct kunit *test, enum ucp_srtp_profile suite,
				const u8 *key, const u8 *salt, const u8 *mki,
				unsigned int mki_len)
{
	struct srtp_test *t = test->priv;
	struct ucp_srtp_params p = {
		.suite = suite, .master_key = key, .master_salt = salt,
		.mki = mki, .mki_len = mki_len,
	};
	struct ucp_srtp *s;

	KUNIT_ASSERT_LT(test, t->n, MAX_CTX);
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, ucp_srtp_init(s, &p), 0);
	t->ctx[t->n++] = s;
	return s;
}

/* A context of @suite with fixed test master keys (distinct per @seed). */
static struct ucp_srtp *seeded_ctx(struct kunit *test,
				   enum ucp_srtp_profile suite, u8 seed,
				   unsigned int mki_len)
{
	u8 *key = kunit_kzalloc(test, 64 + UCP_SRTP_MAX_MKI_LEN, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, key);
	for (i = 0; i < 64; i++)
		key[i] = (u8)(seed + 7 * i);
	for (i = 0; i < UCP_SRTP_MAX_MKI_LEN; i++)	/* the same for all */
		key[64 + i] = (u8)(0xa0 + i);
	return new_ctx(test, suite, key, key + 32, key + 64, mki_len);
}

/* An RTP packet: V=2, PT 0, @seq, SSRC, @n payload bytes; its length. */
static unsigned int make_rtp(u8 *buf, u16 seq, u32 ssrc, unsigned int n)
{
	unsigned int i;

	buf[0] = 0x80;
	buf[1] = 0x00;
	buf[2] = seq >> 8;
	buf[3] = seq;
	buf[4] = 0xde;
	buf[5] = 0xca;
	buf[6] = 0xfb;
	buf[7] = 0xad;
	buf[8] = ssrc >> 24;
	buf[9] = ssrc >> 16;
	buf[10] = ssrc >> 8;
	buf[11] = ssrc;
	for (i = 0; i < n; i++)
		buf[12 + i] = (u8)(seq + i);
	return 12 + n;
}

/* An RTCP receiver report from @ssrc with @n bytes more. */
static unsigned int make_rtcp(u8 *buf, u32 ssrc, unsigned int n)
{
	unsigned int i, len = 8 + n;

	buf[0] = 0x81;
	buf[1] = 201;
	buf[2] = 0;
	buf[3] = len / 4 - 1;
	buf[4] = ssrc >> 24;
	buf[5] = ssrc >> 16;
	buf[6] = ssrc >> 8;
	buf[7] = ssrc;
	for (i = 0; i < n; i++)
		buf[8 + i] = (u8)(0x30 + i);
	return len;
}

/*
 * The vectors. RFC 3711 B.2: AES-CM keystream blocks at counters 0000..0002
 * and FEFF..FF01. B.3: key derivation (the SRTCP labels 3..5 of the same
 * master key as libsrtp's tests give them). RFC 6188 7.2: AES-256 key
 * derivation. libsrtp's srtp_driver packets under those master keys.
 * RFC 7714 16 and 17: GCM session keys and packets (SRTCP index 0x5d4).
 */
#define B2_KEY "2B7E151628AED2A6ABF7158809CF4F3C"
#define B2_IV "F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"
#define B2_KS_0000 "E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0"
#define B2_KS_FEFF "EC8CDF7398607CB0F2D21675EA9EA1E4362B7C3C6773516318A077D7FC5073AE6A2CC3787889374FBEB4C81B17BA6C44"

#define B3_MASTER_KEY "E1F97A0D3E018BE0D64FA32C06DE4139"
#define B3_MASTER_SALT "0EC675AD498AFEEBB6960B3AABE6"
#define B3_RTP_KEY "C61E7A93744F39EE10734AFE3FF7A087"
#define B3_RTP_SALT "30CBBC08863D8C85D49DB34A9AE1"
#define B3_RTP_AUTH "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"
#define B3_RTCP_KEY "4c1aa45a81f73d61c800bbb00fbb1eaa"
#define B3_RTCP_SALT "9581c7ad87b3e530bf3e4454a8b3"
#define B3_RTCP_AUTH "8d54534feb49ae8e7993a6bd0b844fc323a93dfd"

#define R6188_MASTER_KEY "f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b6"
#define R6188_MASTER_SALT "3b04803de51ee7c96423ab5b78d2"
#define R6188_RTP_KEY "5ba1064e30ec51613cad926c5a28ef731ec7fb397f70a960653caf06554cd8c4"
#define R6188_RTP_SALT "fa31791685ca444a9e07c6c64e93"
#define R6188_RTP_AUTH "fd9c32d39ed5fbb5a9dc96b30818454d1313dc05"

#define LIBSRTP_RTP "800f1234decafbadcafebabeabababababababababababababababab"
#define LIBSRTP_SRTP_128 "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb"
#define LIBSRTP_SRTP_256 "800f1234decafbadcafebabef1d9de17ff251ff1aa007774b0b4b40da08d9d9a5b3a55d8873b"
#define LIBSRTP_RTCP "81c8000bcafebabeabababababababababababababababab"
#define LIBSRTP_SRTCP_128 "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798"

#define R7714_KEY "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define R7714_SALT "517569642070726f2071756f"
#define R7714_RTP "8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573"
#define R7714_SRTP_128 "8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce"
#define R7714_SRTP_256 "8040f17b8041f8d35501a0b232b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f1ba63799b87b7aa3db36dfffd6b0f9bb7878d7a76c13"
#define R7714_RTCP "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"
#define R7714_SRTCP_128 "81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4"
#define R7714_SRTCP_256 "81c8000d4d617273d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658c61de0476f1b6fad1d1eb30c4446839f57ff6f6cb26ac3be800005d4"

/* ---- RFC 3711 B.2: the AES-CM keystream ---- */

static void rfc3711_b2_keystream(struct kunit *test)
{
	struct srtp_test *t = test->priv;
	const u8 *key = unhex(test, B2_KEY, NULL);
	u8 *iv = unhex(test, B2_IV, NULL);
	u8 *ks = kunit_kzalloc(test, 48, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ks);
	KUNIT_ASSERT_EQ(test, ucp_aes_ctr_alloc(&t->ctr, key, 16), 0);
	KUNIT_ASSERT_EQ(test, ucp_aes_ctr_crypt(t->ctr, iv, ks, 48), 0);
	KUNIT_EXPECT_TRUE(test, same(ks, unhex(test, B2_KS_0000, NULL), 48));

	/* The counter's low 16 bits carry into the next byte. */
	iv[14] = 0xfe;
	iv[15] = 0xff;
	memset(ks, 0, 48);
	KUNIT_ASSERT_EQ(test, ucp_aes_ctr_crypt(t->ctr, iv, ks, 48), 0);
	KUNIT_EXPECT_TRUE(test, same(ks, unhex(test, B2_KS_FEFF, NULL), 48));
}

/* ---- Key derivation: the session keys, seen through the contexts ---- */

/* Does @ctr encrypt like a fresh context keyed with @key? */
static bool ctr_has_key(struct kunit *test, struct ucp_aes_ctr *ctr,
			const char *key)
{
	struct srtp_test *t = test->priv;
	u8 *a = kunit_kzalloc(test, 64, GFP_KERNEL);
	u8 *iv = kunit_kzalloc(test, 16, GFP_KERNEL);
	unsigned int key_len;
	const u8 *k = unhex(test, key, &key_len);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, iv);
	ucp_aes_ctr_free(t->ctr);
	t->ctr = NULL;
	KUNIT_ASSERT_EQ(test, ucp_aes_ctr_alloc(&t->ctr, k, key_len), 0);
	KUNIT_ASSERT_EQ(test, ucp_aes_ctr_crypt(ctr, iv, a, 32), 0);
	KUNIT_ASSERT_EQ(test, ucp_aes_ctr_crypt(t->ctr, iv, a + 32, 32), 0);
	return same(a, a + 32, 32);
}

static bool hmac_has_key(struct kunit *test, struct ucp_hmac_sha1 *hmac,
			 const char *key)
{
	struct srtp_test *t = test->priv;
	u8 *a = kunit_kzalloc(test, 64, GFP_KERNEL);
	static const u8 msg[] = "packet";
	const u8 *k = unhex(test, key, NULL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	ucp_hmac_sha1_free(t->hmac);
	t->hmac = NULL;
	KUNIT_ASSERT_EQ(test, ucp_hmac_sha1_alloc(&t->hmac, k, 20), 0);
	KUNIT_ASSERT_EQ(test, ucp_hmac_sha1(hmac, msg, 6, NULL, 0, a), 0);
	KUNIT_ASSERT_EQ(test, ucp_hmac_sha1(t->hmac, msg, 6, NULL, 0, a + 32),
			0);
	return same(a, a + 32, 20);
}

static bool salt_is(struct kunit *test, const u8 *salt, const char *want)
{
	unsigned int len;
	const u8 *w = unhex(test, want, &len);

	return same(salt, w, len);
}

static void rfc3711_b3_key_derivation(struct kunit *test)
{
	struct ucp_srtp *s;

	s = new_ctx(test, UCP_SRTP_AES_CM_128_HMAC_SHA1_80,
		    unhex(test, B3_MASTER_KEY, NULL),
		    unhex(test, B3_MASTER_SALT, NULL), NULL, 0);
	KUNIT_EXPECT_TRUE(test, ctr_has_key(test, s->rtp.ctr, B3_RTP_KEY));
	KUNIT_EXPECT_TRUE(test, salt_is(test, s->rtp.salt, B3_RTP_SALT));
	KUNIT_EXPECT_TRUE(test, hmac_has_key(test, s->rtp.hmac, B3_RTP_AUTH));
	KUNIT_EXPECT_TRUE(test, ctr_has_key(test, s->rtcp.ctr, B3_RTCP_KEY));
	KUNIT_EXPECT_TRUE(test, salt_is(test, s->rtcp.salt, B3_RTCP_SALT));
	KUNIT_EXPECT_TRUE(test, hmac_has_key(test, s->rtcp.hmac, B3_RTCP_AUTH));
}

static void rfc6188_aes256_key_derivation(struct kunit *test)
{
	struct ucp_srtp *s;

	s = new_ctx(test, UCP_SRTP_AES_256_CM_HMAC_SHA1_80,
		    unhex(test, R6188_MASTER_KEY, NULL),
		    unhex(test, R6188_MASTER_SALT, NULL), NULL, 0);
	KUNIT_EXPECT_TRUE(test, ctr_has_key(test, s->rtp.ctr, R6188_RTP_KEY));
	KUNIT_EXPECT_TRUE(test, salt_is(test, s->rtp.salt, R6188_RTP_SALT));
	KUNIT_EXPECT_TRUE(test, hmac_has_key(test, s->rtp.hmac,
					     R6188_RTP_AUTH));
}

/* ---- Whole packets ---- */

/* Protect @plain under @s and expect @want; then unprotect it under @r. */
static void packet_kat(struct kunit *test, struct ucp_srtp *s,
		       struct ucp_srtp *r, bool rtcp, const char *plain,
		       const char *want)
{
	unsigned int len, want_len, plain_len, out = 0;
	u8 *pkt = unhex(test, plain, &len);
	u8 *ref = unhex(test, plain, &plain_len);
	u8 *exp = unhex(test, want, &want_len);
	enum ucp_srtp_status st;

	if (s) {
		st = rtcp ? ucp_srtcp_protect(s, pkt, len, PKT_ROOM, &out) :
			ucp_srtp_protect(s, pkt, len, PKT_ROOM, &out);
		KUNIT_ASSERT_EQ(test, st, UCP_SRTP_OK);
		KUNIT_ASSERT_EQ(test, out, want_len);
		KUNIT_EXPECT_TRUE(test, same(pkt, exp, want_len));
	}
	memcpy(pkt, exp, want_len);
	st = rtcp ? ucp_srtcp_unprotect(r, pkt, want_len, &out) :
		ucp_srtp_unprotect(r, pkt, want_len, &out);
	KUNIT_ASSERT_EQ(test, st, UCP_SRTP_OK);
	KUNIT_ASSERT_EQ(test, out, plain_len);
	KUNIT_EXPECT_TRUE(test, same(pkt, ref, plain_len));
	/* The same packet again is a replay. */
	memcpy(pkt, exp, want_len);
	st = rtcp ? ucp_srtcp_unprotect(r, pkt, want_len, &out) :
		ucp_srtp_unprotect(r, pkt, want_len, &out);
	KUNIT_EXPECT_EQ(test, st, UCP_SRTP_REPLAY);
}

/* libsrtp's srtp_driver vectors, B.3's master key (AES-CM-128, SHA1-80). */
static void libsrtp_aes_cm_128_packets(struct kunit *test)
{
	const u8 *key = unhex(test, B3_MASTER_KEY, NULL);
	const u8 *salt = unhex(test, B3_MASTER_SALT, NULL);
	enum ucp_srtp_profile su = UCP_SRTP_AES_CM_128_HMAC_SHA1_80;
	struct ucp_srtp *s = new_ctx(test, su, key, salt, NULL, 0);
	struct ucp_srtp *r = new_ctx(test, su, key, salt, NULL, 0);
	unsigned int len, out;
	u8 *pkt;

	packet_kat(test, s, r, false, LIBSRTP_RTP, LIBSRTP_SRTP_128);
	/* The reference SRTCP packet has index 1: protect index 0 first. */
	pkt = unhex(test, LIBSRTP_RTCP, &len);
	KUNIT_ASSERT_EQ(test, ucp_srtcp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_OK);
	packet_kat(test, s, r, true, LIBSRTP_RTCP, LIBSRTP_SRTCP_128);
}

static void libsrtp_aes_256_cm_packet(struct kunit *test)
{
	const u8 *key = unhex(test, R6188_MASTER_KEY, NULL);
	const u8 *salt = unhex(test, R6188_MASTER_SALT, NULL);
	enum ucp_srtp_profile su = UCP_SRTP_AES_256_CM_HMAC_SHA1_80;

	packet_kat(test, new_ctx(test, su, key, salt, NULL, 0),
		   new_ctx(test, su, key, salt, NULL, 0), false, LIBSRTP_RTP,
		   LIBSRTP_SRTP_256);
}

/*
 * RFC 7714's vectors give session keys, not master keys: re-key both
 * directions of @s with them.
 */
static void set_gcm_session(struct kunit *test, struct ucp_srtp *s,
			    unsigned int key_len)
{
	const u8 *k = unhex(test, R7714_KEY, NULL);
	const u8 *salt = unhex(test, R7714_SALT, NULL);

	ucp_aes_gcm_free(s->rtp.gcm);
	ucp_aes_gcm_free(s->rtcp.gcm);
	s->rtp.gcm = NULL;
	s->rtcp.gcm = NULL;
	KUNIT_ASSERT_EQ(test, ucp_aes_gcm_alloc(&s->rtp.gcm, k, key_len), 0);
	KUNIT_ASSERT_EQ(test, ucp_aes_gcm_alloc(&s->rtcp.gcm, k, key_len), 0);
	memcpy(s->rtp.salt, salt, 12);
	memcpy(s->rtcp.salt, salt, 12);
}

static struct ucp_srtp *gcm_session(struct kunit *test, bool aes256)
{
	struct ucp_srtp *s;

	s = seeded_ctx(test, aes256 ? UCP_SRTP_AEAD_AES_256_GCM :
		       UCP_SRTP_AEAD_AES_128_GCM, 1, 0);
	set_gcm_session(test, s, aes256 ? 32 : 16);
	return s;
}

static void rfc7714_16_rtp(struct kunit *test)
{
	packet_kat(test, gcm_session(test, false), gcm_session(test, false),
		   false, R7714_RTP, R7714_SRTP_128);
	packet_kat(test, gcm_session(test, true), gcm_session(test, true),
		   false, R7714_RTP, R7714_SRTP_256);
}

static void rfc7714_17_rtcp(struct kunit *test)
{
	struct ucp_srtp *s = gcm_session(test, false);
	unsigned int i, len, out;
	u8 *pkt;

	/* The vector's SRTCP index is 0x5d4: send that many before it. */
	for (i = 0; i < 0x5d4; i++) {
		pkt = unhex(test, R7714_RTCP, &len);
		KUNIT_ASSERT_EQ(test,
				ucp_srtcp_protect(s, pkt, len, PKT_ROOM, &out),
				UCP_SRTP_OK);
		kunit_kfree(test, pkt);
	}
	packet_kat(test, s, gcm_session(test, false), true, R7714_RTCP,
		   R7714_SRTCP_128);
	packet_kat(test, NULL, gcm_session(test, true), true, R7714_RTCP,
		   R7714_SRTCP_256);
}

/*
 * The kernel backend takes the AES-NI internals when the FPU is usable and
 * the generic synchronous implementations when not (softirq interrupting a
 * kernel FPU section): run known answers with the FPU held, on x86, to
 * cover the second path too. Nothing in the section may sleep or assert.
 */
static void generic_path(struct kunit *test)
{
#if defined(__KERNEL__) && defined(CONFIG_X86)
	struct srtp_test *t = test->priv;
	struct ucp_srtp *g = gcm_session(test, false);
	struct ucp_srtp *g2 = gcm_session(test, true);
	const u8 *key = unhex(test, B2_KEY, NULL);
	const u8 *iv = unhex(test, B2_IV, NULL);
	u8 *ks = kunit_kzalloc(test, 48, GFP_KERNEL);
	unsigned int len, len2, out = 0, out2 = 0;
	u8 *pkt = unhex(test, R7714_RTP, &len);
	u8 *srtcp = unhex(test, R7714_SRTCP_256, &len2);
	enum ucp_srtp_status st, st2;
	bool usable;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, ks);
	KUNIT_ASSERT_EQ(test, ucp_aes_ctr_alloc(&t->ctr, key, 16), 0);
	kernel_fpu_begin();
	usable = crypto_simd_usable();
	err = ucp_aes_ctr_crypt(t->ctr, iv, ks, 48);
	st = ucp_srtp_protect(g, pkt, len, PKT_ROOM, &out);
	st2 = ucp_srtcp_unprotect(g2, srtcp, len2, &out2);
	kernel_fpu_end();
	KUNIT_EXPECT_FALSE(test, usable);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, same(ks, unhex(test, B2_KS_0000, NULL), 48));
	KUNIT_EXPECT_EQ(test, st, UCP_SRTP_OK);
	KUNIT_EXPECT_TRUE(test, same(pkt, unhex(test, R7714_SRTP_128, NULL),
				     out));
	KUNIT_EXPECT_EQ(test, st2, UCP_SRTP_OK);
	KUNIT_EXPECT_TRUE(test, same(srtcp, unhex(test, R7714_RTCP, NULL),
				     out2));
#else
	kunit_skip(test, "the kernel backend's generic path, on x86");
#endif
}

/* ---- Rules, for every suite ---- */

static const enum ucp_srtp_profile all_suites[] = {
	UCP_SRTP_AES_CM_128_HMAC_SHA1_80,
	UCP_SRTP_AES_CM_128_HMAC_SHA1_32,
	UCP_SRTP_AES_256_CM_HMAC_SHA1_80,
	UCP_SRTP_AES_256_CM_HMAC_SHA1_32,
	UCP_SRTP_AEAD_AES_128_GCM,
	UCP_SRTP_AEAD_AES_256_GCM,
};

static void suite_desc(const enum ucp_srtp_profile *s, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", ucp_srtp_suite_name(*s));
}

KUNIT_ARRAY_PARAM(suites, all_suites, suite_desc);

static enum ucp_srtp_profile param_suite(struct kunit *test)
{
	return *(const enum ucp_srtp_profile *)test->param_value;
}

/* Round trips of RTP and RTCP, with CSRCs, an extension, and MKIs. */
static void round_trip(struct kunit *test)
{
	static const unsigned int mkis[] = { 0, 1, 4, UCP_SRTP_MAX_MKI_LEN };
	enum ucp_srtp_profile su = param_suite(test);
	u8 *pkt = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	u8 *ref = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	unsigned int m, n, len, out, plen;
	struct ucp_srtp *s, *r;

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	for (m = 0; m < ARRAY_SIZE(mkis); m++) {
		struct srtp_test *t = test->priv;

		s = seeded_ctx(test, su, 3, mkis[m]);
		r = seeded_ctx(test, su, 3, mkis[m]);
		for (n = 0; n < 40; n++) {
			plen = n * 13 % 300;
			len = make_rtp(pkt, 100 + n, 0x1234, plen);
			if (n % 3 == 1) {	/* two CSRCs and an extension */
				pkt[0] = 0x92;
				pkt[20] = 0xbe;
				pkt[21] = 0xde;
				pkt[22] = 0;
				pkt[23] = 1;
				len = max(len, 28u);
			}
			memcpy(ref, pkt, len);
			KUNIT_ASSERT_EQ(test, ucp_srtp_protect(s, pkt, len,
							       PKT_ROOM, &out),
					UCP_SRTP_OK);
			KUNIT_ASSERT_EQ(test, out,
					len + ucp_srtp_rtp_overhead(s));
			KUNIT_ASSERT_EQ(test, ucp_srtp_unprotect(r, pkt, out,
								 &out),
					UCP_SRTP_OK);
			KUNIT_ASSERT_EQ(test, out, len);
			KUNIT_ASSERT_TRUE(test, same(pkt, ref, len));

			len = make_rtcp(pkt, 0x1234, plen & ~3u);
			memcpy(ref, pkt, len);
			KUNIT_ASSERT_EQ(test, ucp_srtcp_protect(s, pkt, len,
								PKT_ROOM, &out),
					UCP_SRTP_OK);
			KUNIT_ASSERT_EQ(test, out,
					len + ucp_srtp_rtcp_overhead(s));
			KUNIT_ASSERT_EQ(test, ucp_srtcp_unprotect(r, pkt, out,
								  &out),
					UCP_SRTP_OK);
			KUNIT_ASSERT_EQ(test, out, len);
			KUNIT_ASSERT_TRUE(test, same(pkt, ref, len));
		}
		ucp_srtp_destroy(s);
		ucp_srtp_destroy(r);
		t->n -= 2;
	}
}

/* The rollover counter across a wrap, with reordering around it. */
static void rollover(struct kunit *test)
{
	static const u16 order[] = {
		65530, 65531, 65533, 65532, 65535, 0, 65534, 2, 1, 3,
		32768, 32769, 65535 - 5, 100, 65535, 5, 4,
	};
	enum ucp_srtp_profile su = param_suite(test);
	struct ucp_srtp *s = seeded_ctx(test, su, 9, 0);
	struct ucp_srtp *r = seeded_ctx(test, su, 9, 0);
	u8 *pkt = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	unsigned int i, len, out;

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		len = make_rtp(pkt, order[i], 77, 160);
		KUNIT_ASSERT_EQ_MSG(test, ucp_srtp_protect(s, pkt, len,
							   PKT_ROOM, &out),
				    UCP_SRTP_OK, "seq %u", order[i]);
		KUNIT_ASSERT_EQ_MSG(test, ucp_srtp_unprotect(r, pkt, out,
							     &out),
				    UCP_SRTP_OK, "seq %u", order[i]);
	}
	/* 65530.. is ROC 0, 0.. ROC 1, 100 ROC 2, then 65535 ROC 1 again. */
	KUNIT_EXPECT_EQ(test, r->ssrcs[0].rtp.top, (2ULL << 16) | 100);
	KUNIT_EXPECT_EQ(test, s->ssrcs[0].rtp.top, (2ULL << 16) | 100);
}

/* Replays and packets behind the window are refused; reordering is not. */
static void replay_window(struct kunit *test)
{
	enum ucp_srtp_profile su = param_suite(test);
	struct ucp_srtp *s = seeded_ctx(test, su, 5, 0);
	struct ucp_srtp *r = seeded_ctx(test, su, 5, 0);
	u8 *pkt = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	u8 *saved = kunit_kzalloc(test, 300 * 256, GFP_KERNEL);
	unsigned int *lens = kunit_kcalloc(test, 300, sizeof(*lens),
					   GFP_KERNEL);
	unsigned int i, out;

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_ASSERT_NOT_NULL(test, saved);
	KUNIT_ASSERT_NOT_NULL(test, lens);
	for (i = 0; i < 300; i++) {
		u8 *p = saved + i * 256;

		lens[i] = make_rtp(p, 1000 + i, 0xabc, 20);
		KUNIT_ASSERT_EQ(test, ucp_srtp_protect(s, p, lens[i], 256,
						       &lens[i]),
				UCP_SRTP_OK);
		/* Protecting an index twice would reuse keystream. */
		make_rtp(pkt, 1000 + i, 0xabc, 20);
		KUNIT_EXPECT_EQ(test, ucp_srtp_protect(s, pkt, 32, PKT_ROOM,
						       &out),
				UCP_SRTP_REPLAY);
	}
	/* Deliver 200..299, then odd ones of 172..199 (within 128). */
	for (i = 200; i < 300; i++) {
		memcpy(pkt, saved + i * 256, lens[i]);
		KUNIT_ASSERT_EQ(test, ucp_srtp_unprotect(r, pkt, lens[i], &out),
				UCP_SRTP_OK);
	}
	for (i = 173; i < 200; i += 2) {
		memcpy(pkt, saved + i * 256, lens[i]);
		KUNIT_EXPECT_EQ(test, ucp_srtp_unprotect(r, pkt, lens[i], &out),
				UCP_SRTP_OK);
	}
	for (i = 173; i < 300; i++) {
		memcpy(pkt, saved + i * 256, lens[i]);
		KUNIT_EXPECT_EQ_MSG(test,
				    ucp_srtp_unprotect(r, pkt, lens[i], &out),
				    (i < 200 && !(i & 1)) ? UCP_SRTP_OK :
				    UCP_SRTP_REPLAY, "packet %u", i);
	}
	/* 299 - 171 = 128: just outside the window. */
	memcpy(pkt, saved + 171 * 256, lens[171]);
	KUNIT_EXPECT_EQ(test, ucp_srtp_unprotect(r, pkt, lens[171], &out),
			UCP_SRTP_TOO_OLD);
	memcpy(pkt, saved + 172 * 256, lens[172]);
	KUNIT_EXPECT_EQ(test, ucp_srtp_unprotect(r, pkt, lens[172], &out),
			UCP_SRTP_OK);
}

/* SRTCP: indexes count from 0 per SSRC; replays refused. */
static void srtcp_replay(struct kunit *test)
{
	enum ucp_srtp_profile su = param_suite(test);
	struct ucp_srtp *s = seeded_ctx(test, su, 6, 2);
	struct ucp_srtp *r = seeded_ctx(test, su, 6, 2);
	u8 *a = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	u8 *b = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	unsigned int la, lb, out;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	la = make_rtcp(a, 42, 24);
	KUNIT_ASSERT_EQ(test, ucp_srtcp_protect(s, a, la, PKT_ROOM, &la),
			UCP_SRTP_OK);
	lb = make_rtcp(b, 42, 24);
	KUNIT_ASSERT_EQ(test, ucp_srtcp_protect(s, b, lb, PKT_ROOM, &lb),
			UCP_SRTP_OK);
	/* E flag set, index 0 then 1, where the suite puts the word. */
	out = s->aead ? la - 2 - 4 : la - 2 - s->rtcp_tag_len - 4;
	KUNIT_EXPECT_EQ(test, a[out], 0x80);
	KUNIT_EXPECT_EQ(test, a[out + 3], 0);
	KUNIT_EXPECT_EQ(test, b[out + 3], 1);
	KUNIT_EXPECT_EQ(test, ucp_srtcp_unprotect(r, b, lb, &out), UCP_SRTP_OK);
	KUNIT_EXPECT_EQ(test, ucp_srtcp_unprotect(r, a, la, &out), UCP_SRTP_OK);
	KUNIT_EXPECT_EQ(test, ucp_srtcp_unprotect(r, a, la, &out),
			UCP_SRTP_REPLAY);
}

/* Every single-bit flip and every truncation is refused. */
static void tamper_and_truncate(struct kunit *test)
{
	enum ucp_srtp_profile su = param_suite(test);
	struct ucp_srtp *s = seeded_ctx(test, su, 8, 4);
	struct ucp_srtp *r = seeded_ctx(test, su, 8, 4);
	u8 *good = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	u8 *pkt = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	unsigned int len, glen, out, i, bit, pass;
	enum ucp_srtp_status st;

	KUNIT_ASSERT_NOT_NULL(test, good);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	for (pass = 0; pass < 2; pass++) {
		bool rtcp = pass;

		len = rtcp ? make_rtcp(good, 5, 20) : make_rtp(good, 9, 5, 20);
		st = rtcp ? ucp_srtcp_protect(s, good, len, PKT_ROOM, &glen) :
			ucp_srtp_protect(s, good, len, PKT_ROOM, &glen);
		KUNIT_ASSERT_EQ(test, st, UCP_SRTP_OK);
		for (i = 0; i < glen * 8; i++) {
			bit = i;
			memcpy(pkt, good, glen);
			pkt[bit / 8] ^= 1 << (bit % 8);
			st = rtcp ? ucp_srtcp_unprotect(r, pkt, glen, &out) :
				ucp_srtp_unprotect(r, pkt, glen, &out);
			KUNIT_EXPECT_NE_MSG(test, st, UCP_SRTP_OK,
					    "%s bit %u accepted",
					    rtcp ? "rtcp" : "rtp", bit);
		}
		for (i = 0; i < glen; i++) {
			memcpy(pkt, good, glen);
			st = rtcp ? ucp_srtcp_unprotect(r, pkt, i, &out) :
				ucp_srtp_unprotect(r, pkt, i, &out);
			KUNIT_EXPECT_NE_MSG(test, st, UCP_SRTP_OK,
					    "%s length %u accepted",
					    rtcp ? "rtcp" : "rtp", i);
		}
		memcpy(pkt, good, glen);
		st = rtcp ? ucp_srtcp_unprotect(r, pkt, glen, &out) :
			ucp_srtp_unprotect(r, pkt, glen, &out);
		KUNIT_EXPECT_EQ(test, st, UCP_SRTP_OK);
	}
}

/* Statuses with their reasons. */
static void statuses(struct kunit *test)
{
	enum ucp_srtp_profile su = param_suite(test);
	struct ucp_srtp *s = seeded_ctx(test, su, 2, 4);
	struct ucp_srtp *r = seeded_ctx(test, su, 2, 4);
	struct ucp_srtp *other = seeded_ctx(test, su, 4, 4);
	u8 *pkt = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	unsigned int len, out, plen;

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	len = make_rtp(pkt, 1, 1, 10);
	KUNIT_EXPECT_EQ(test, ucp_srtp_protect(s, pkt, len, len + 3, &out),
			UCP_SRTP_NO_ROOM);
	KUNIT_EXPECT_EQ(test, ucp_srtp_protect(s, pkt, 11, PKT_ROOM, &out),
			UCP_SRTP_TOO_SHORT);
	pkt[0] = 0x40;
	KUNIT_EXPECT_EQ(test, ucp_srtp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_BAD_VERSION);
	pkt[0] = 0x8f;		/* 15 CSRCs: 72 bytes of header */
	KUNIT_EXPECT_EQ(test, ucp_srtp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_BAD_HEADER);
	pkt[0] = 0x90;		/* extension header beyond the end */
	KUNIT_EXPECT_EQ(test, ucp_srtp_protect(s, pkt, 14, PKT_ROOM, &out),
			UCP_SRTP_BAD_HEADER);
	pkt[0] = 0x80;
	KUNIT_ASSERT_EQ(test, ucp_srtp_protect(s, pkt, len, PKT_ROOM, &plen),
			UCP_SRTP_OK);
	/* Another master key, same MKI: authentication fails. */
	KUNIT_EXPECT_EQ(test, ucp_srtp_unprotect(other, pkt, plen, &out),
			UCP_SRTP_AUTH_FAIL);
	/* Our MKI is the one before the tag (AES-CM) or at the end (GCM). */
	if (s->aead)
		pkt[plen - 1] ^= 1;
	else
		pkt[plen - s->rtp_tag_len - 1] ^= 1;
	KUNIT_EXPECT_EQ(test, ucp_srtp_unprotect(r, pkt, plen, &out),
			UCP_SRTP_UNKNOWN_MKI);
	KUNIT_EXPECT_EQ(test, ucp_srtp_unprotect(r, pkt, 12, &out),
			UCP_SRTP_TOO_SHORT);
	len = make_rtcp(pkt, 1, 0);
	KUNIT_EXPECT_EQ(test, ucp_srtcp_protect(s, pkt, len, len + 3, &out),
			UCP_SRTP_NO_ROOM);
	KUNIT_EXPECT_EQ(test, ucp_srtcp_protect(s, pkt, 7, PKT_ROOM, &out),
			UCP_SRTP_TOO_SHORT);
	KUNIT_EXPECT_EQ(test, ucp_srtcp_unprotect(r, pkt, 8, &out),
			UCP_SRTP_TOO_SHORT);
	pkt[0] = 0xc1;
	KUNIT_EXPECT_EQ(test, ucp_srtcp_unprotect(r, pkt, 64, &out),
			UCP_SRTP_BAD_VERSION);
}

/* More SSRCs than the table holds: the new one is refused, the rest go on. */
static void ssrc_table(struct kunit *test)
{
	enum ucp_srtp_profile su = param_suite(test);
	struct ucp_srtp *s = seeded_ctx(test, su, 11, 0);
	struct ucp_srtp *r = seeded_ctx(test, su, 11, 0);
	struct ucp_srtp *s2 = seeded_ctx(test, su, 11, 0);
	u8 *pkt = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	u8 *old = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	unsigned int i, len, out, old_len = 0;

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_ASSERT_NOT_NULL(test, old);
	for (i = 0; i < UCP_SRTP_SSRCS; i++) {
		len = make_rtp(pkt, 7, 1000 + i, 8);
		KUNIT_ASSERT_EQ(test, ucp_srtp_protect(s, pkt, len, PKT_ROOM,
						       &out),
				UCP_SRTP_OK);
		if (!i) {
			memcpy(old, pkt, out);
			old_len = out;
		}
		KUNIT_ASSERT_EQ(test, ucp_srtp_unprotect(r, pkt, out, &out),
				UCP_SRTP_OK);
	}
	/* One more SSRC: refused by the sender and by the receiver. */
	len = make_rtp(pkt, 7, 2000, 8);
	KUNIT_EXPECT_EQ(test, ucp_srtp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_SSRC_LIMIT);
	len = make_rtcp(pkt, 2000, 8);
	KUNIT_EXPECT_EQ(test, ucp_srtcp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_SSRC_LIMIT);
	len = make_rtp(pkt, 7, 2000, 8);
	KUNIT_ASSERT_EQ(test, ucp_srtp_protect(s2, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_OK);
	KUNIT_EXPECT_EQ(test, ucp_srtp_unprotect(r, pkt, out, &out),
			UCP_SRTP_SSRC_LIMIT);
	/* The known ones go on, and their replays are still caught. */
	len = make_rtp(pkt, 8, 1000, 8);
	KUNIT_ASSERT_EQ(test, ucp_srtp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_OK);
	KUNIT_EXPECT_EQ(test, ucp_srtp_unprotect(r, pkt, out, &out),
			UCP_SRTP_OK);
	KUNIT_EXPECT_EQ(test, ucp_srtp_unprotect(r, old, old_len, &out),
			UCP_SRTP_REPLAY);
	len = make_rtcp(pkt, 1003, 8);
	KUNIT_ASSERT_EQ(test, ucp_srtcp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_OK);
	KUNIT_EXPECT_EQ(test, ucp_srtcp_unprotect(r, pkt, out, &out),
			UCP_SRTP_OK);
}

/* Index exhaustion, forced through the state: refuse, do not wrap. */
static void exhaustion(struct kunit *test)
{
	enum ucp_srtp_profile su = param_suite(test);
	struct ucp_srtp *s = seeded_ctx(test, su, 12, 0);
	u8 *pkt = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	unsigned int len, out;

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	len = make_rtp(pkt, 65535, 3, 8);
	KUNIT_ASSERT_EQ(test, ucp_srtp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_OK);
	len = make_rtcp(pkt, 3, 8);
	KUNIT_ASSERT_EQ(test, ucp_srtcp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_OK);
	s->ssrcs[0].rtp.top = 0xffffffffffffULL;
	s->ssrcs[0].rtcp.top = 0x7fffffff;
	len = make_rtp(pkt, 0, 3, 8);
	KUNIT_EXPECT_EQ(test, ucp_srtp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_EXHAUSTED);
	len = make_rtcp(pkt, 3, 8);
	KUNIT_EXPECT_EQ(test, ucp_srtcp_protect(s, pkt, len, PKT_ROOM, &out),
			UCP_SRTP_EXHAUSTED);
}

/*
 * SRTCP with the E flag clear (RFC 3711 3.4: encryption is optional):
 * built here by hand, accepted with its payload untouched.
 */
static void srtcp_unencrypted(struct kunit *test)
{
	enum ucp_srtp_profile su = param_suite(test);
	struct ucp_srtp *s = seeded_ctx(test, su, 13, 0);
	struct ucp_srtp *r = seeded_ctx(test, su, 13, 0);
	u8 *pkt = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	u8 *ref = kunit_kzalloc(test, PKT_ROOM, GFP_KERNEL);
	u8 *iv = kunit_kzalloc(test, 16, GFP_KERNEL);
	unsigned int i, len, out, end;

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	KUNIT_ASSERT_NOT_NULL(test, iv);
	len = make_rtcp(pkt, 0x01020304, 16);
	memcpy(ref, pkt, len);
	if (s->aead) {
		/* IV: (00 00 SSRC 00 00 index) XOR salt, index 7. */
		iv[2] = 1;
		iv[3] = 2;
		iv[4] = 3;
		iv[5] = 4;
		iv[11] = 7;
		for (i = 0; i < 12; i++)
			iv[i] ^= s->rtcp.salt[i];
		memset(s->aad, 0, sizeof(s->aad));
		s->aad[3] = 7;
		KUNIT_ASSERT_EQ(test, ucp_aes_gcm_encrypt(s->rtcp.gcm, iv, pkt,
							  len, s->aad, 4,
							  pkt + len, 0), 0);
		end = len + 16;
		memcpy(pkt + end, s->aad, 4);
		end += 4;
	} else {
		pkt[len + 3] = 7;
		KUNIT_ASSERT_EQ(test, ucp_hmac_sha1(s->rtcp.hmac, pkt, len + 4,
						    NULL, 0, pkt + len + 4), 0);
		end = len + 4 + s->rtcp_tag_len;
	}
	KUNIT_ASSERT_EQ(test, ucp_srtcp_unprotect(r, pkt, end, &out),
			UCP_SRTP_OK);
	KUNIT_EXPECT_EQ(test, out, len);
	KUNIT_EXPECT_TRUE(test, same(pkt, ref, len));
	KUNIT_EXPECT_EQ(test, r->ssrcs[0].rtcp.top, 7u);
}

/* ---- Setup ---- */

static void refusals(struct kunit *test)
{
	struct ucp_srtp *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	u8 *key = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct ucp_srtp_params p = {
		.suite = UCP_SRTP_AES_CM_128_HMAC_SHA1_80,
	};

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, key);
	p.master_key = key;
	p.master_salt = key + 32;
	p.kdr = 1 << 16;
	KUNIT_EXPECT_EQ(test, ucp_srtp_init(s, &p), -EOPNOTSUPP);
	p.kdr = 0;
	p.mki_len = UCP_SRTP_MAX_MKI_LEN + 1;
	p.mki = key;
	KUNIT_EXPECT_EQ(test, ucp_srtp_init(s, &p), -EINVAL);
	p.mki_len = 2;
	p.mki = NULL;
	KUNIT_EXPECT_EQ(test, ucp_srtp_init(s, &p), -EINVAL);
	p.mki_len = 0;
	p.suite = UCP_SRTP_SUITE_COUNT;
	KUNIT_EXPECT_EQ(test, ucp_srtp_init(s, &p), -EINVAL);
	p.suite = UCP_SRTP_AEAD_AES_256_GCM;
	p.master_salt = NULL;
	KUNIT_EXPECT_EQ(test, ucp_srtp_init(s, &p), -EINVAL);
	ucp_srtp_destroy(s);

	KUNIT_EXPECT_EQ(test, ucp_srtp_key_len(UCP_SRTP_AES_256_CM_HMAC_SHA1_32),
			32u);
	KUNIT_EXPECT_EQ(test, ucp_srtp_salt_len(UCP_SRTP_AEAD_AES_128_GCM), 12u);
	KUNIT_EXPECT_EQ(test, ucp_srtp_salt_len(UCP_SRTP_SUITE_COUNT), 0u);
	KUNIT_EXPECT_STREQ(test, ucp_srtp_status_name(UCP_SRTP_AUTH_FAIL),
			   "auth-fail");
	KUNIT_EXPECT_STREQ(test, ucp_srtp_status_name(UCP_SRTP_STATUS_COUNT),
			   "unknown");
	KUNIT_EXPECT_STREQ(test,
			   ucp_srtp_suite_name(UCP_SRTP_AES_CM_128_HMAC_SHA1_32),
			   "AES_CM_128_HMAC_SHA1_32");
}

/* Destroy wipes the keys and state. */
static void wipe_on_destroy(struct kunit *test)
{
	struct ucp_srtp *s = seeded_ctx(test, UCP_SRTP_AES_CM_128_HMAC_SHA1_80,
					14, 4);
	struct srtp_test *t = test->priv;
	const u8 *b = (const u8 *)s;
	unsigned int i, nonzero = 0;

	ucp_srtp_destroy(s);
	t->n--;
	for (i = 0; i < sizeof(*s); i++)
		nonzero |= b[i];
	KUNIT_EXPECT_EQ(test, nonzero, 0u);
}

static void rtcp_mux(struct kunit *test)
{
	u8 *pkt = kunit_kzalloc(test, 16, GFP_KERNEL);
	unsigned int pt;

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	for (pt = 0; pt < 256; pt++) {
		pkt[1] = pt;
		KUNIT_EXPECT_EQ(test, ucp_srtp_is_rtcp(pkt, 2),
				pt >= 192 && pt <= 223);
	}
	pkt[1] = 200;
	KUNIT_EXPECT_FALSE(test, ucp_srtp_is_rtcp(pkt, 1));
}

static struct kunit_case ucp_srtp_cases[] = {
	KUNIT_CASE(rfc3711_b2_keystream),
	KUNIT_CASE(rfc3711_b3_key_derivation),
	KUNIT_CASE(rfc6188_aes256_key_derivation),
	KUNIT_CASE(libsrtp_aes_cm_128_packets),
	KUNIT_CASE(libsrtp_aes_256_cm_packet),
	KUNIT_CASE(rfc7714_16_rtp),
	KUNIT_CASE(rfc7714_17_rtcp),
	KUNIT_CASE(generic_path),
	KUNIT_CASE_PARAM(round_trip, suites_gen_params),
	KUNIT_CASE_PARAM(rollover, suites_gen_params),
	KUNIT_CASE_PARAM(replay_window, suites_gen_params),
	KUNIT_CASE_PARAM(srtcp_replay, suites_gen_params),
	KUNIT_CASE_PARAM(tamper_and_truncate, suites_gen_params),
	KUNIT_CASE_PARAM(statuses, suites_gen_params),
	KUNIT_CASE_PARAM(ssrc_table, suites_gen_params),
	KUNIT_CASE_PARAM(exhaustion, suites_gen_params),
	KUNIT_CASE_PARAM(srtcp_unencrypted, suites_gen_params),
	KUNIT_CASE(refusals),
	KUNIT_CASE(wipe_on_destroy),
	KUNIT_CASE(rtcp_mux),
	{}
};

static struct kunit_suite ucp_srtp_suite = {
	.name = "ucp_srtp",
	.init = srtp_test_init,
	.exit = srtp_test_exit,
	.test_cases = ucp_srtp_cases,
};

kunit_test_suite(ucp_srtp_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the ucproxy SRTP core");
