// SPDX-License-Identifier: GPL-2.0
/*
 * The SRTP core (userspace build, OpenSSL backend) per packet, against
 * libsrtp2 and against the bare OpenSSL primitives on the same bytes, for
 * every suite. A packet is a 12-byte RTP header and a 160-byte payload
 * (20 ms of G.711); every operation copies the plaintext in and advances
 * the sequence number (rollover counter included), on both sides alike.
 *
 *   protect     RTP to SRTP.
 *   round trip  protect, then unprotect on the receiving context: replay
 *               windows make a lone unprotect impossible to repeat, so
 *               unprotect is measured inside the pair.
 *
 * The primitives are the least OpenSSL can do for the same bytes: for the
 * AES-CM suites an AES-CTR pass over the payload (EVP, the IV set per
 * packet) and HMAC-SHA1 over header, payload and ROC resumed from
 * precomputed inner and outer states; for GCM one EVP seal (and open).
 *
 * Before timing, OpenSSL's allocator is counted over thousands of packets
 * of every suite: the core must allocate nothing per packet.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <srtp2/srtp.h>

#include "bench.h"
#include "ucp_srtp.h"

#define PAYLOAD		160
#define HDR		12
#define ROOM		512
#define ROUNDS		11
#define ROUND_MS	120

/* ---- Counting OpenSSL's allocations ---- */

static unsigned long n_alloc;

static void *count_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	n_alloc++;
	return malloc(n);
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	n_alloc++;
	return realloc(p, n);
}

static void count_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

/* ---- One suite's contexts ---- */

struct bench_ctx {
	enum ucp_srtp_profile suite;
	u8 master[64];
	u8 tmpl[HDR + PAYLOAD];
	u8 *buf;
	/*
	 * Each side its own sequence: a batch of one side must not look
	 * like a jump of 2^15 (a rollover) to the other.
	 */
	u16 seq_ours, seq_lib, seq_prim;
	/* ours */
	struct ucp_srtp *tx, *rx;
	/* libsrtp */
	srtp_t lib_tx, lib_rx;
	/* primitives */
	EVP_CIPHER_CTX *ctr, *gcm_enc, *gcm_dec;
	SHA_CTX inner, outer;
};

static void next_packet(struct bench_ctx *b, u16 *seq)
{
	memcpy(b->buf, b->tmpl, sizeof(b->tmpl));
	++*seq;
	b->buf[2] = *seq >> 8;
	b->buf[3] = *seq & 0xff;
}

static int ours_protect(void *arg)
{
	struct bench_ctx *b = arg;
	unsigned int out;

	next_packet(b, &b->seq_ours);
	return ucp_srtp_protect(b->tx, b->buf, sizeof(b->tmpl), ROOM, &out);
}

static int ours_round_trip(void *arg)
{
	struct bench_ctx *b = arg;
	unsigned int out;

	next_packet(b, &b->seq_ours);
	if (ucp_srtp_protect(b->tx, b->buf, sizeof(b->tmpl), ROOM, &out))
		return -1;
	return ucp_srtp_unprotect(b->rx, b->buf, out, &out);
}

static int lib_protect(void *arg)
{
	struct bench_ctx *b = arg;
	int len = sizeof(b->tmpl);

	next_packet(b, &b->seq_lib);
	return srtp_protect(b->lib_tx, b->buf, &len);
}

static int lib_round_trip(void *arg)
{
	struct bench_ctx *b = arg;
	int len = sizeof(b->tmpl);

	next_packet(b, &b->seq_lib);
	if (srtp_protect(b->lib_tx, b->buf, &len))
		return -1;
	return srtp_unprotect(b->lib_rx, b->buf, &len);
}

/* AES-CTR over the payload, HMAC-SHA1 over header, payload and ROC. */
static int prim_cm(struct bench_ctx *b, u8 *tag)
{
	static const u8 roc[4];
	u8 iv[16] = { 0 }, inner[SHA_DIGEST_LENGTH];
	SHA_CTX c;
	int out;

	iv[12] = b->buf[2];
	iv[13] = b->buf[3];
	if (!EVP_EncryptInit_ex2(b->ctr, NULL, NULL, iv, NULL) ||
	    !EVP_EncryptUpdate(b->ctr, b->buf + HDR, &out, b->buf + HDR,
			       PAYLOAD))
		return -1;
	c = b->inner;
	SHA1_Update(&c, b->buf, HDR + PAYLOAD);
	SHA1_Update(&c, roc, sizeof(roc));
	SHA1_Final(inner, &c);
	c = b->outer;
	SHA1_Update(&c, inner, sizeof(inner));
	SHA1_Final(tag, &c);
	return 0;
}

static int prim_gcm(struct bench_ctx *b, EVP_CIPHER_CTX *ctx, bool enc)
{
	u8 iv[12] = { 0 };
	int out;

	iv[10] = b->buf[2];
	iv[11] = b->buf[3];
	if (!EVP_CipherInit_ex2(ctx, NULL, NULL, iv, -1, NULL) ||
	    !EVP_CipherUpdate(ctx, NULL, &out, b->buf, HDR) ||
	    !EVP_CipherUpdate(ctx, b->buf + HDR, &out, b->buf + HDR, PAYLOAD))
		return -1;
	if (enc)
		return !EVP_EncryptFinal_ex(ctx, b->buf + HDR + PAYLOAD, &out) ||
		       !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16,
					    b->buf + HDR + PAYLOAD);
	return !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16,
				    b->buf + HDR + PAYLOAD) ||
	       EVP_DecryptFinal_ex(ctx, b->buf + HDR + PAYLOAD, &out) <= 0;
}

static int prim_protect(void *arg)
{
	struct bench_ctx *b = arg;
	u8 tag[SHA_DIGEST_LENGTH];

	next_packet(b, &b->seq_prim);
	if (b->gcm_enc)
		return prim_gcm(b, b->gcm_enc, true);
	if (prim_cm(b, tag))
		return -1;
	memcpy(b->buf + HDR + PAYLOAD, tag, 10);
	return 0;
}

static int prim_round_trip(void *arg)
{
	struct bench_ctx *b = arg;
	u8 tag[SHA_DIGEST_LENGTH];

	next_packet(b, &b->seq_prim);
	if (b->gcm_enc)
		return prim_gcm(b, b->gcm_enc, true) ||
		       prim_gcm(b, b->gcm_dec, false);
	/* Encrypt and MAC, then MAC and decrypt: the same work twice. */
	if (prim_cm(b, tag))
		return -1;
	memcpy(b->buf + HDR + PAYLOAD, tag, 10);
	return prim_cm(b, tag);
}

/* ---- Setup ---- */

static void lib_policy(enum ucp_srtp_profile suite, srtp_policy_t *pol)
{
	switch (suite) {
	case UCP_SRTP_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol->rtp);
		break;
	case UCP_SRTP_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol->rtp);
		break;
	case UCP_SRTP_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&pol->rtp);
		break;
	case UCP_SRTP_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&pol->rtp);
		break;
	case UCP_SRTP_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol->rtp);
		break;
	default:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&pol->rtp);
		break;
	}
	pol->rtcp = pol->rtp;
}

static srtp_t lib_session(struct bench_ctx *b, bool tx)
{
	srtp_policy_t pol;
	srtp_t s;

	memset(&pol, 0, sizeof(pol));
	lib_policy(b->suite, &pol);
	pol.ssrc.type = tx ? ssrc_any_outbound : ssrc_any_inbound;
	pol.key = b->master;
	pol.window_size = 128;
	if (srtp_create(&s, &pol) != srtp_err_status_ok) {
		fprintf(stderr, "srtp_bench: srtp_create failed\n");
		exit(1);
	}
	return s;
}

static struct ucp_srtp *ours_ctx(struct bench_ctx *b)
{
	struct ucp_srtp_params p = {
		.suite = b->suite, .master_key = b->master,
		.master_salt = b->master + ucp_srtp_key_len(b->suite),
	};
	struct ucp_srtp *s = calloc(1, sizeof(*s));

	if (!s || ucp_srtp_init(s, &p)) {
		fprintf(stderr, "srtp_bench: ucp_srtp_init failed\n");
		exit(1);
	}
	return s;
}

static EVP_CIPHER_CTX *cipher(const char *name, const u8 *key, int enc)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!c || !ctx || !EVP_CipherInit_ex2(ctx, c, key, NULL, enc, NULL)) {
		fprintf(stderr, "srtp_bench: %s unavailable\n", name);
		exit(1);
	}
	EVP_CIPHER_free(c);
	return ctx;
}

static void setup(struct bench_ctx *b, enum ucp_srtp_profile suite)
{
	bool aes256 = ucp_srtp_key_len(suite) == 32;
	u8 pad[64];
	unsigned int i;

	memset(b, 0, sizeof(*b));
	b->suite = suite;
	for (i = 0; i < sizeof(b->master); i++)
		b->master[i] = (u8)(i * 37 + 11);
	b->tmpl[0] = 0x80;
	b->tmpl[1] = 0;
	b->tmpl[8] = 0x12;
	b->tmpl[9] = 0x34;
	b->tmpl[10] = 0x56;
	b->tmpl[11] = 0x78;
	for (i = HDR; i < sizeof(b->tmpl); i++)
		b->tmpl[i] = (u8)i;
	b->buf = aligned_alloc(64, ROOM);
	b->tx = ours_ctx(b);
	b->rx = ours_ctx(b);
	b->lib_tx = lib_session(b, true);
	b->lib_rx = lib_session(b, false);
	if (suite == UCP_SRTP_AEAD_AES_128_GCM ||
	    suite == UCP_SRTP_AEAD_AES_256_GCM) {
		b->gcm_enc = cipher(aes256 ? "AES-256-GCM" : "AES-128-GCM",
				    b->master, 1);
		b->gcm_dec = cipher(aes256 ? "AES-256-GCM" : "AES-128-GCM",
				    b->master, 0);
		return;
	}
	b->ctr = cipher(aes256 ? "AES-256-CTR" : "AES-128-CTR", b->master, 1);
	memset(pad, 0x36, sizeof(pad));
	for (i = 0; i < 20; i++)
		pad[i] ^= b->master[i];
	SHA1_Init(&b->inner);
	SHA1_Update(&b->inner, pad, sizeof(pad));
	memset(pad, 0x5c, sizeof(pad));
	for (i = 0; i < 20; i++)
		pad[i] ^= b->master[i];
	SHA1_Init(&b->outer);
	SHA1_Update(&b->outer, pad, sizeof(pad));
}

static void teardown(struct bench_ctx *b)
{
	ucp_srtp_destroy(b->tx);
	ucp_srtp_destroy(b->rx);
	free(b->tx);
	free(b->rx);
	srtp_dealloc(b->lib_tx);
	srtp_dealloc(b->lib_rx);
	EVP_CIPHER_CTX_free(b->ctr);
	EVP_CIPHER_CTX_free(b->gcm_enc);
	EVP_CIPHER_CTX_free(b->gcm_dec);
	free(b->buf);
}

/* Protect and unprotect 100000 packets (a ROC wrap); count allocations. */
static int check_no_allocation(struct bench_ctx *b)
{
	unsigned long before = n_alloc;
	unsigned int i;

	for (i = 0; i < 100000; i++)
		if (ours_round_trip(b)) {
			fprintf(stderr, "srtp_bench: %s: packet %u failed\n",
				ucp_srtp_suite_name(b->suite), i);
			return -1;
		}
	printf("%s: %lu OpenSSL allocations in 100000 protect+unprotect\n",
	       ucp_srtp_suite_name(b->suite), n_alloc - before);
	return n_alloc == before ? 0 : -1;
}

int main(void)
{
	double r[UCP_SRTP_SUITE_COUNT][4];
	struct bench_ctx b;
	char title[128];
	int suite, k, fail = 0;

	if (!CRYPTO_set_mem_functions(count_malloc, count_realloc,
				      count_free)) {
		fprintf(stderr, "srtp_bench: cannot count allocations\n");
		return 1;
	}
	if (srtp_init() != srtp_err_status_ok)
		return 1;
	for (suite = 0; suite < UCP_SRTP_SUITE_COUNT; suite++) {
		setup(&b, suite);
		if (check_no_allocation(&b))
			fail = 1;
		teardown(&b);
	}
	printf("\n");
	for (suite = 0; suite < UCP_SRTP_SUITE_COUNT; suite++) {
		const char *name = ucp_srtp_suite_name(suite);
		struct bench_case cases[][2] = {
			{ { "ucproxy protect", ours_protect, &b },
			  { "libsrtp2 protect", lib_protect, &b } },
			{ { "ucproxy protect+unprotect", ours_round_trip, &b },
			  { "libsrtp2 protect+unprotect", lib_round_trip, &b } },
			{ { "ucproxy protect", ours_protect, &b },
			  { "OpenSSL primitives", prim_protect, &b } },
			{ { "ucproxy protect+unprotect", ours_round_trip, &b },
			  { "OpenSSL primitives x2", prim_round_trip, &b } },
		};

		for (k = 0; k < 4; k++) {
			setup(&b, suite);
			snprintf(title, sizeof(title), "srtp %s, 160-byte payload",
				 name);
			r[suite][k] = bench_compare(title, &cases[k][0],
						    &cases[k][1], ROUNDS,
						    ROUND_MS);
			teardown(&b);
			if (r[suite][k] < 0)
				fail = 1;
		}
	}
	printf("\nsrtp: ucproxy per-packet rate / peer's (>= 3 vs libsrtp2, >= 0.67 vs primitives: the goals)\n");
	printf("  %-26s %10s %10s %12s %12s\n", "suite", "libsrtp", "libsrtp",
	       "primitives", "primitives");
	printf("  %-26s %10s %10s %12s %12s\n", "", "protect", "round", "protect",
	       "round");
	for (suite = 0; suite < UCP_SRTP_SUITE_COUNT; suite++)
		printf("  %-26s %10.2f %10.2f %12.2f %12.2f\n",
		       ucp_srtp_suite_name(suite), r[suite][0], r[suite][1],
		       r[suite][2], r[suite][3]);
	srtp_shutdown();
	return fail;
}
