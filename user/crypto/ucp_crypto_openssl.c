// SPDX-License-Identifier: GPL-2.0
/*
 * The crypto backend of the SRTP core (kmod/ucp_crypto.h) on OpenSSL 3,
 * for the userspace build: unit tests, fuzzing, benchmarks.
 *
 * Everything is allocated and keyed at setup; per packet nothing is
 * allocated (bench/srtp_bench.c counts OpenSSL's allocations to prove it):
 *
 * - AES-CTR: one EVP_CIPHER_CTX keyed once; per packet only the IV is set
 *   (EVP_EncryptInit_ex2 with no cipher and no key keeps the schedule).
 * - HMAC-SHA1: the inner and outer SHA-1 states after the padded key
 *   blocks are computed once; per packet a struct copy of each, so no
 *   EVP_MAC re-init (which duplicates digest contexts on the heap). The
 *   low-level SHA1_* calls are deprecated in OpenSSL 3 but remain the
 *   only allocation-free way to resume a SHA-1 midstate.
 * - AES-GCM: one EVP_CIPHER_CTX per direction keyed once; per packet the
 *   IV, the AAD, the data and the tag.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "ucp_crypto.h"

struct ucp_aes_ctr {
	EVP_CIPHER_CTX *ctx;
};

struct ucp_hmac_sha1 {
	SHA_CTX inner;
	SHA_CTX outer;
};

struct ucp_aes_gcm {
	EVP_CIPHER_CTX *enc;
	EVP_CIPHER_CTX *dec;
};

static EVP_CIPHER_CTX *ucp_cipher_ctx(const char *name, const u8 *key,
				      int enc)
{
	EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, name, NULL);
	EVP_CIPHER_CTX *ctx = NULL;

	if (!cipher)
		return NULL;
	ctx = EVP_CIPHER_CTX_new();
	if (ctx && !EVP_CipherInit_ex2(ctx, cipher, key, NULL, enc, NULL)) {
		EVP_CIPHER_CTX_free(ctx);
		ctx = NULL;
	}
	EVP_CIPHER_free(cipher);	/* the context keeps its reference */
	return ctx;
}

int ucp_aes_ctr_alloc(struct ucp_aes_ctr **ctr, const u8 *key,
		      unsigned int key_len)
{
	struct ucp_aes_ctr *c;

	*ctr = NULL;
	if (key_len != 16 && key_len != 32)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->ctx = ucp_cipher_ctx(key_len == 16 ? "AES-128-CTR" : "AES-256-CTR",
				key, 1);
	if (!c->ctx) {
		free(c);
		return -ENOMEM;
	}
	*ctr = c;
	return 0;
}

int ucp_aes_ctr_crypt(struct ucp_aes_ctr *ctr, const u8 *iv, u8 *buf,
		      unsigned int len)
{
	int out;

	if (!len)
		return 0;
	if (len > INT32_MAX ||
	    !EVP_EncryptInit_ex2(ctr->ctx, NULL, NULL, iv, NULL) ||
	    !EVP_EncryptUpdate(ctr->ctx, buf, &out, buf, (int)len))
		return -EIO;
	return 0;
}

void ucp_aes_ctr_free(struct ucp_aes_ctr *ctr)
{
	if (!ctr)
		return;
	EVP_CIPHER_CTX_free(ctr->ctx);	/* cleanses the key schedule */
	free(ctr);
}

int ucp_hmac_sha1_alloc(struct ucp_hmac_sha1 **hmac, const u8 *key,
			unsigned int key_len)
{
	u8 ipad[SHA_CBLOCK], opad[SHA_CBLOCK];
	struct ucp_hmac_sha1 *h;
	unsigned int i;

	*hmac = NULL;
	if (!key_len || key_len > SHA_CBLOCK)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	memset(ipad, 0x36, sizeof(ipad));
	memset(opad, 0x5c, sizeof(opad));
	for (i = 0; i < key_len; i++) {
		ipad[i] ^= key[i];
		opad[i] ^= key[i];
	}
	SHA1_Init(&h->inner);
	SHA1_Update(&h->inner, ipad, sizeof(ipad));
	SHA1_Init(&h->outer);
	SHA1_Update(&h->outer, opad, sizeof(opad));
	OPENSSL_cleanse(ipad, sizeof(ipad));
	OPENSSL_cleanse(opad, sizeof(opad));
	*hmac = h;
	return 0;
}

int ucp_hmac_sha1(struct ucp_hmac_sha1 *hmac, const u8 *a, unsigned int a_len,
		  const u8 *b, unsigned int b_len, u8 *out)
{
	u8 inner[SHA_DIGEST_LENGTH];
	SHA_CTX c = hmac->inner;

	SHA1_Update(&c, a, a_len);
	if (b_len)
		SHA1_Update(&c, b, b_len);
	SHA1_Final(inner, &c);
	c = hmac->outer;
	SHA1_Update(&c, inner, sizeof(inner));
	SHA1_Final(out, &c);
	OPENSSL_cleanse(inner, sizeof(inner));
	OPENSSL_cleanse(&c, sizeof(c));
	return 0;
}

void ucp_hmac_sha1_free(struct ucp_hmac_sha1 *hmac)
{
	if (!hmac)
		return;
	OPENSSL_cleanse(hmac, sizeof(*hmac));
	free(hmac);
}

int ucp_aes_gcm_alloc(struct ucp_aes_gcm **gcm, const u8 *key,
		      unsigned int key_len)
{
	const char *name = key_len == 16 ? "AES-128-GCM" : "AES-256-GCM";
	struct ucp_aes_gcm *g;

	*gcm = NULL;
	if (key_len != 16 && key_len != 32)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->enc = ucp_cipher_ctx(name, key, 1);
	g->dec = ucp_cipher_ctx(name, key, 0);
	if (!g->enc || !g->dec) {
		ucp_aes_gcm_free(g);
		return -ENOMEM;
	}
	*gcm = g;
	return 0;
}

/* The IV, then both parts of the AAD, into @ctx (either direction). */
static int ucp_gcm_start(EVP_CIPHER_CTX *ctx, const u8 *iv, const u8 *aad,
			 unsigned int aad_len, const u8 *aad2,
			 unsigned int aad2_len)
{
	int out;

	if (aad_len > INT32_MAX || aad2_len > INT32_MAX ||
	    !EVP_CipherInit_ex2(ctx, NULL, NULL, iv, -1, NULL))
		return -EIO;
	if (aad_len && !EVP_CipherUpdate(ctx, NULL, &out, aad, (int)aad_len))
		return -EIO;
	if (aad2_len &&
	    !EVP_CipherUpdate(ctx, NULL, &out, aad2, (int)aad2_len))
		return -EIO;
	return 0;
}

int ucp_aes_gcm_encrypt(struct ucp_aes_gcm *gcm, const u8 *iv, const u8 *aad,
			unsigned int aad_len, const u8 *aad2,
			unsigned int aad2_len, u8 *buf, unsigned int len)
{
	int out;

	if (len > INT32_MAX ||
	    ucp_gcm_start(gcm->enc, iv, aad, aad_len, aad2, aad2_len))
		return -EIO;
	if (len && !EVP_EncryptUpdate(gcm->enc, buf, &out, buf, (int)len))
		return -EIO;
	if (!EVP_EncryptFinal_ex(gcm->enc, buf + len, &out) ||
	    !EVP_CIPHER_CTX_ctrl(gcm->enc, EVP_CTRL_AEAD_GET_TAG,
				 UCP_AES_GCM_TAG_LEN, buf + len))
		return -EIO;
	return 0;
}

int ucp_aes_gcm_decrypt(struct ucp_aes_gcm *gcm, const u8 *iv, const u8 *aad,
			unsigned int aad_len, const u8 *aad2,
			unsigned int aad2_len, u8 *buf, unsigned int len)
{
	int out;

	if (len > INT32_MAX ||
	    ucp_gcm_start(gcm->dec, iv, aad, aad_len, aad2, aad2_len))
		return -EIO;
	if (len && !EVP_DecryptUpdate(gcm->dec, buf, &out, buf, (int)len))
		return -EIO;
	if (!EVP_CIPHER_CTX_ctrl(gcm->dec, EVP_CTRL_AEAD_SET_TAG,
				 UCP_AES_GCM_TAG_LEN, buf + len))
		return -EIO;
	if (EVP_DecryptFinal_ex(gcm->dec, buf + len, &out) <= 0)
		return -EBADMSG;
	return 0;
}

void ucp_aes_gcm_free(struct ucp_aes_gcm *gcm)
{
	if (!gcm)
		return;
	EVP_CIPHER_CTX_free(gcm->enc);
	EVP_CIPHER_CTX_free(gcm->dec);
	free(gcm);
}

int ucp_crypto_memneq(const void *a, const void *b, unsigned int len)
{
	return CRYPTO_memcmp(a, b, len);
}
