// SPDX-License-Identifier: GPL-2.0
/*
 * Interop of the SRTP core with libsrtp2, the independent implementation,
 * both ways, for every suite with and without an MKI: RTP across a
 * rollover counter wrap and RTCP; replays and tampered packets refused on
 * both sides.
 *
 * Userspace only (it links libsrtp2): kmod/Kbuild does not list it, and
 * a kernel build of it stops here.
 */
#ifdef __KERNEL__
#error "ucp_srtp_interop_kunit.c links libsrtp2: userspace only"
#endif

#include <kunit/test.h>
#include <srtp2/srtp.h>

#include "ucp_srtp.h"

#define ROOM		2048
#define NPKT		300
#define FIRST_SEQ	65400	/* wraps the rollover counter at packet 136 */
#define SSRC		0x5eed1e55u
#define MKI_LEN		4

struct interop_param {
	enum ucp_srtp_profile suite;
	unsigned int mki_len;
};

static const struct interop_param interop_params[] = {
	{ UCP_SRTP_AES_CM_128_HMAC_SHA1_80, 0 },
	{ UCP_SRTP_AES_CM_128_HMAC_SHA1_32, 0 },
	{ UCP_SRTP_AES_256_CM_HMAC_SHA1_80, 0 },
	{ UCP_SRTP_AES_256_CM_HMAC_SHA1_32, 0 },
	{ UCP_SRTP_AEAD_AES_128_GCM, 0 },
	{ UCP_SRTP_AEAD_AES_256_GCM, 0 },
	{ UCP_SRTP_AES_CM_128_HMAC_SHA1_80, MKI_LEN },
	{ UCP_SRTP_AES_CM_128_HMAC_SHA1_32, MKI_LEN },
	{ UCP_SRTP_AES_256_CM_HMAC_SHA1_80, MKI_LEN },
	{ UCP_SRTP_AES_256_CM_HMAC_SHA1_32, MKI_LEN },
	{ UCP_SRTP_AEAD_AES_128_GCM, MKI_LEN },
	{ UCP_SRTP_AEAD_AES_256_GCM, MKI_LEN },
};

static void interop_desc(const struct interop_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s%s",
		 ucp_srtp_suite_name(p->suite), p->mki_len ? " MKI" : "");
}

KUNIT_ARRAY_PARAM(interop, interop_params, interop_desc);

struct interop {
	const struct interop_param *p;
	u8 master[64];			/* key then salt, as libsrtp wants */
	u8 mki[MKI_LEN];
	srtp_master_key_t mkey;
	srtp_master_key_t *mkeys[1];
	srtp_t lib;
	struct ucp_srtp *ours;
	u8 *pkt;			/* ROOM bytes, 4-byte aligned */
	u8 *ref;
	u8 *saved;			/* NPKT * ROOM: what was sent */
	int saved_len[NPKT];
};

static bool srtp_library_up;

static int interop_suite_init(struct kunit_suite *suite)
{
	(void)suite;
	if (srtp_init() != srtp_err_status_ok)
		return -EIO;
	srtp_library_up = true;
	return 0;
}

static void interop_suite_exit(struct kunit_suite *suite)
{
	(void)suite;
	if (srtp_library_up)
		srtp_shutdown();
	srtp_library_up = false;
}

static int interop_init(struct kunit *test)
{
	struct interop *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);

	if (!x)
		return -ENOMEM;
	x->pkt = kunit_kzalloc(test, ROOM, GFP_KERNEL);
	x->ref = kunit_kzalloc(test, ROOM, GFP_KERNEL);
	x->saved = kunit_kzalloc(test, NPKT * ROOM, GFP_KERNEL);
	x->ours = kunit_kzalloc(test, sizeof(*x->ours), GFP_KERNEL);
	if (!x->pkt || !x->ref || !x->saved || !x->ours)
		return -ENOMEM;
	test->priv = x;
	return 0;
}

static void interop_exit(struct kunit *test)
{
	struct interop *x = test->priv;

	if (x->lib)
		srtp_dealloc(x->lib);
	ucp_srtp_destroy(x->ours);
}

/* libsrtp's policy for our suite (SRTCP keeps 80 bits for the _32 ones). */
static void lib_crypto_policy(enum ucp_srtp_profile suite,
			      srtp_crypto_policy_t *rtp,
			      srtp_crypto_policy_t *rtcp)
{
	switch (suite) {
	case UCP_SRTP_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
		break;
	case UCP_SRTP_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
		break;
	case UCP_SRTP_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
		break;
	case UCP_SRTP_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
		break;
	case UCP_SRTP_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(rtcp);
		break;
	default:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(rtcp);
		break;
	}
}

/* A libsrtp session and our context on the same master key and MKI. */
static void setup(struct kunit *test, bool lib_sends)
{
	struct interop *x = test->priv;
	const struct interop_param *p = test->param_value;
	unsigned int key_len = ucp_srtp_key_len(p->suite);
	struct ucp_srtp_params up = {
		.suite = p->suite, .master_key = x->master,
		.master_salt = x->master + key_len,
		.mki = x->mki, .mki_len = p->mki_len,
	};
	srtp_policy_t pol;
	unsigned int i;

	x->p = p;
	for (i = 0; i < sizeof(x->master); i++)
		x->master[i] = (u8)(0x3c + 11 * i + p->suite);
	for (i = 0; i < MKI_LEN; i++)
		x->mki[i] = (u8)(0xe0 + i);
	memset(&pol, 0, sizeof(pol));
	lib_crypto_policy(p->suite, &pol.rtp, &pol.rtcp);
	pol.ssrc.type = lib_sends ? ssrc_any_outbound : ssrc_any_inbound;
	pol.window_size = 128;
	pol.allow_repeat_tx = 0;
	if (p->mki_len) {
		x->mkey.key = x->master;
		x->mkey.mki_id = x->mki;
		x->mkey.mki_size = p->mki_len;
		x->mkeys[0] = &x->mkey;
		pol.keys = x->mkeys;
		pol.num_master_keys = 1;
	} else {
		pol.key = x->master;
	}
	KUNIT_ASSERT_EQ(test, srtp_create(&x->lib, &pol), srtp_err_status_ok);
	KUNIT_ASSERT_EQ(test, ucp_srtp_init(x->ours, &up), 0);
}

static unsigned int rtp_packet(u8 *buf, u16 seq, unsigned int n)
{
	unsigned int i;

	buf[0] = 0x80;
	buf[1] = 8;			/* PCMA */
	buf[2] = seq >> 8;
	buf[3] = seq;
	buf[4] = 0;
	buf[5] = 1;
	buf[6] = seq >> 8;
	buf[7] = seq;
	buf[8] = (u8)(SSRC >> 24);
	buf[9] = (u8)(SSRC >> 16);
	buf[10] = (u8)(SSRC >> 8);
	buf[11] = (u8)SSRC;
	for (i = 0; i < n; i++)
		buf[12 + i] = (u8)(seq * 31 + i);
	return 12 + n;
}

/* A sender report with one report block: 52 bytes. */
static unsigned int rtcp_packet(u8 *buf, unsigned int k)
{
	unsigned int i;

	buf[0] = 0x81;
	buf[1] = 200;
	buf[2] = 0;
	buf[3] = 12;
	buf[4] = (u8)(SSRC >> 24);
	buf[5] = (u8)(SSRC >> 16);
	buf[6] = (u8)(SSRC >> 8);
	buf[7] = (u8)SSRC;
	for (i = 8; i < 52; i++)
		buf[i] = (u8)(k + i);
	return 52;
}

static int lib_protect(struct interop *x, bool rtcp, int *len)
{
	if (rtcp)
		return x->p->mki_len ?
			srtp_protect_rtcp_mki(x->lib, x->pkt, len, 1, 0) :
			srtp_protect_rtcp(x->lib, x->pkt, len);
	return x->p->mki_len ? srtp_protect_mki(x->lib, x->pkt, len, 1, 0) :
		srtp_protect(x->lib, x->pkt, len);
}

static int lib_unprotect(struct interop *x, bool rtcp, int *len)
{
	if (rtcp)
		return x->p->mki_len ?
			srtp_unprotect_rtcp_mki(x->lib, x->pkt, len, 1) :
			srtp_unprotect_rtcp(x->lib, x->pkt, len);
	return x->p->mki_len ? srtp_unprotect_mki(x->lib, x->pkt, len, 1) :
		srtp_unprotect(x->lib, x->pkt, len);
}

/* Packet @i of the stream: every 10th is RTCP. Its plaintext in x->pkt. */
static unsigned int make_packet(struct interop *x, unsigned int i, bool *rtcp)
{
	*rtcp = i % 10 == 9;
	if (*rtcp)
		return rtcp_packet(x->pkt, i);
	return rtp_packet(x->pkt, (u16)(FIRST_SEQ + i), 20 + i * 7 % 200);
}

/* libsrtp protects, we unprotect; then replays and tampering. */
static void libsrtp_to_ucproxy(struct kunit *test)
{
	struct interop *x = test->priv;
	unsigned int i, plen, out;
	enum ucp_srtp_status st;
	bool rtcp;
	int len;

	setup(test, true);
	for (i = 0; i < NPKT; i++) {
		plen = make_packet(x, i, &rtcp);
		memcpy(x->ref, x->pkt, plen);
		len = plen;
		KUNIT_ASSERT_EQ_MSG(test, lib_protect(x, rtcp, &len),
				    srtp_err_status_ok, "packet %u", i);
		memcpy(x->saved + i * ROOM, x->pkt, len);
		x->saved_len[i] = len;
		st = rtcp ? ucp_srtcp_unprotect(x->ours, x->pkt, len, &out) :
			ucp_srtp_unprotect(x->ours, x->pkt, len, &out);
		KUNIT_ASSERT_EQ_MSG(test, st, UCP_SRTP_OK, "packet %u (%s): %s",
				    i, rtcp ? "rtcp" : "rtp",
				    ucp_srtp_status_name(st));
		KUNIT_ASSERT_EQ(test, out, plen);
		KUNIT_ASSERT_TRUE_MSG(test, !memcmp(x->pkt, x->ref, plen),
				      "packet %u differs", i);
	}
	/* The RTP packet after the wrap went with ROC 1. */
	KUNIT_EXPECT_EQ(test, x->ours->ssrcs[0].rtp.top >> 16, 1u);
	for (i = NPKT - 100; i < NPKT; i++) {
		rtcp = i % 10 == 9;
		len = x->saved_len[i];
		memcpy(x->pkt, x->saved + i * ROOM, len);
		st = rtcp ? ucp_srtcp_unprotect(x->ours, x->pkt, len, &out) :
			ucp_srtp_unprotect(x->ours, x->pkt, len, &out);
		KUNIT_EXPECT_EQ_MSG(test, st, UCP_SRTP_REPLAY, "replay %u", i);
		/* A fresh one, one bit changed in its payload. */
		plen = make_packet(x, NPKT + i, &rtcp);
		len = plen;
		KUNIT_ASSERT_EQ(test, lib_protect(x, rtcp, &len),
				srtp_err_status_ok);
		x->pkt[13 + i % (plen - 13)] ^= 0x10;
		st = rtcp ? ucp_srtcp_unprotect(x->ours, x->pkt, len, &out) :
			ucp_srtp_unprotect(x->ours, x->pkt, len, &out);
		KUNIT_EXPECT_EQ_MSG(test, st, UCP_SRTP_AUTH_FAIL, "tamper %u", i);
	}
}

/*
 * libsrtp 2.5.0 (Debian 12) looks for an SRTCP MKI one SRTP tag before the
 * end: with a _32 suite it reads the MKI 6 bytes off and fails with
 * bad_mki (cisco/libsrtp#733, fixed after 2.5.0). Its own SRTCP packets
 * have the MKI where RFC 3711 puts it, and we read those; ours it cannot.
 */
static bool lib_misreads_srtcp_mki(const struct interop_param *p, bool rtcp)
{
	return rtcp && p->mki_len &&
	       (p->suite == UCP_SRTP_AES_CM_128_HMAC_SHA1_32 ||
		p->suite == UCP_SRTP_AES_256_CM_HMAC_SHA1_32);
}

/* We protect, libsrtp unprotects; then replays and tampering. */
static void ucproxy_to_libsrtp(struct kunit *test)
{
	struct interop *x = test->priv;
	unsigned int i, plen, out;
	enum ucp_srtp_status st;
	bool rtcp;
	int len;

	setup(test, false);
	for (i = 0; i < NPKT; i++) {
		plen = make_packet(x, i, &rtcp);
		memcpy(x->ref, x->pkt, plen);
		st = rtcp ? ucp_srtcp_protect(x->ours, x->pkt, plen, ROOM, &out) :
			ucp_srtp_protect(x->ours, x->pkt, plen, ROOM, &out);
		KUNIT_ASSERT_EQ_MSG(test, st, UCP_SRTP_OK, "packet %u", i);
		memcpy(x->saved + i * ROOM, x->pkt, out);
		x->saved_len[i] = out;
		if (lib_misreads_srtcp_mki(x->p, rtcp))
			continue;
		len = out;
		KUNIT_ASSERT_EQ_MSG(test, lib_unprotect(x, rtcp, &len),
				    srtp_err_status_ok, "packet %u (%s)", i,
				    rtcp ? "rtcp" : "rtp");
		KUNIT_ASSERT_EQ(test, len, (int)plen);
		KUNIT_ASSERT_TRUE_MSG(test, !memcmp(x->pkt, x->ref, plen),
				      "packet %u differs", i);
	}
	for (i = NPKT - 100; i < NPKT; i++) {
		rtcp = i % 10 == 9;
		if (lib_misreads_srtcp_mki(x->p, rtcp))
			continue;
		len = x->saved_len[i];
		memcpy(x->pkt, x->saved + i * ROOM, len);
		KUNIT_EXPECT_EQ_MSG(test, lib_unprotect(x, rtcp, &len),
				    srtp_err_status_replay_fail, "replay %u", i);
		plen = make_packet(x, NPKT + i, &rtcp);
		st = rtcp ? ucp_srtcp_protect(x->ours, x->pkt, plen, ROOM, &out) :
			ucp_srtp_protect(x->ours, x->pkt, plen, ROOM, &out);
		KUNIT_ASSERT_EQ(test, st, UCP_SRTP_OK);
		x->pkt[13 + i % (plen - 13)] ^= 0x10;
		len = out;
		KUNIT_EXPECT_EQ_MSG(test, lib_unprotect(x, rtcp, &len),
				    srtp_err_status_auth_fail, "tamper %u", i);
	}
}

static struct kunit_case ucp_srtp_interop_cases[] = {
	KUNIT_CASE_PARAM(libsrtp_to_ucproxy, interop_gen_params),
	KUNIT_CASE_PARAM(ucproxy_to_libsrtp, interop_gen_params),
	{}
};

static struct kunit_suite ucp_srtp_interop_suite = {
	.name = "ucp_srtp_interop",
	.suite_init = interop_suite_init,
	.suite_exit = interop_suite_exit,
	.init = interop_init,
	.exit = interop_exit,
	.test_cases = ucp_srtp_interop_cases,
};

kunit_test_suite(ucp_srtp_interop_suite);

MODULE_LICENSE("GPL");
