// SPDX-License-Identifier: GPL-2.0
/*
 * The crypto backend of the SRTP core (ucp_crypto.h) on the kernel crypto
 * API: "ctr(aes)" skcipher, "hmac(sha1)" shash, "gcm(aes)" AEAD.
 *
 * Setup allocates the transforms (GFP_KERNEL, may sleep) and sets the
 * keys. Per packet nothing is allocated and nothing sleeps:
 *
 * - Only synchronous implementations are used (CRYPTO_ALG_ASYNC in the
 *   mask): the per-packet calls run in softirq context and cannot wait
 *   for a completion.
 * - Where the architecture has an internal SIMD implementation ("__ctr(aes)",
 *   "__gcm(aes)": AES-NI on x86), it is allocated too and used whenever
 *   crypto_simd_usable() says the FPU may be touched, as the crypto API's
 *   own simd wrapper does; otherwise (or where none exists) the generic
 *   synchronous one. The async "ctr(aes)" the API would pick first is
 *   exactly that wrapper plus a cryptd queue we cannot use.
 * - CTR requests and HMAC descriptors live on the stack
 *   (SYNC_SKCIPHER_REQUEST_ON_STACK, SHASH_DESC_ON_STACK); the
 *   transforms are shared read-only state, so any CPU may use them at once.
 * - An AEAD request has no on-stack form: each GCM context preallocates
 *   one request per transform. That is the one piece of per-context
 *   mutable state, and the reason for the concurrency rule of
 *   ucp_crypto.h: a context is used by one CPU at a time, under the
 *   caller's per-direction lock (the SRTP context needs that lock anyway).
 * - AES-NI GCM bounces (kmalloc, GFP_ATOMIC) an AAD that is not within
 *   the first scatterlist entry; a split AAD (SRTCP with the E flag clear,
 *   rare) therefore goes to the generic implementation.
 */
#include <crypto/aead.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/internal/simd.h>
#include <crypto/skcipher.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <asm/simd.h>

#include "ucp_crypto.h"

struct ucp_aes_ctr {
	struct crypto_sync_skcipher *simd;	/* NULL when none */
	struct crypto_sync_skcipher *tfm;
};

struct ucp_hmac_sha1 {
	struct crypto_shash *tfm;
};

struct ucp_aes_gcm {
	struct crypto_aead *simd;		/* NULL when none */
	struct aead_request *simd_req;
	struct crypto_aead *tfm;
	struct aead_request *req;
};

#define UCP_INTERNAL_TYPE	CRYPTO_ALG_INTERNAL
#define UCP_INTERNAL_MASK	(CRYPTO_ALG_INTERNAL | CRYPTO_ALG_ASYNC)

/*
 * Set once a lookup of an internal SIMD algorithm found none: every miss
 * costs the crypto API module requests (usermode helpers), which context
 * setup should not pay each time. A racing setup may try once more.
 */
static bool ucp_no_simd_ctr;
static bool ucp_no_simd_gcm;

static struct crypto_sync_skcipher *ucp_ctr_tfm(const char *name, u32 type,
						u32 mask, const u8 *key,
						unsigned int key_len)
{
	struct crypto_sync_skcipher *tfm;
	int err;

	tfm = crypto_alloc_sync_skcipher(name, type, mask);
	if (IS_ERR(tfm))
		return tfm;
	err = crypto_sync_skcipher_setkey(tfm, key, key_len);
	if (err) {
		crypto_free_sync_skcipher(tfm);
		return ERR_PTR(err);
	}
	return tfm;
}

/**
 * ucp_aes_ctr_alloc() - set up AES in counter mode
 * @ctr: set to the new context; NULL on failure
 * @key: the AES key, kept only as the transforms' key schedules
 * @key_len: 16 or 32
 *
 * NIST SP 800-38A, the 128-bit counter block incremented as one big-endian
 * number. Allocates the synchronous "ctr(aes)" and, where there is one,
 * the internal SIMD "__ctr(aes)".
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for another key length, -ENOMEM, or the crypto API's
 * error.
 */
int ucp_aes_ctr_alloc(struct ucp_aes_ctr **ctr, const u8 *key,
		      unsigned int key_len)
{
	struct ucp_aes_ctr *c;
	int err;

	*ctr = NULL;
	if (key_len != 16 && key_len != 32)
		return -EINVAL;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->tfm = ucp_ctr_tfm("ctr(aes)", 0, 0, key, key_len);
	if (IS_ERR(c->tfm)) {
		err = PTR_ERR(c->tfm);
		kfree(c);
		return err;
	}
	c->simd = NULL;
	if (!READ_ONCE(ucp_no_simd_ctr)) {
		c->simd = ucp_ctr_tfm("__ctr(aes)", UCP_INTERNAL_TYPE,
				      UCP_INTERNAL_MASK, key, key_len);
		if (IS_ERR(c->simd)) {
			if (PTR_ERR(c->simd) == -ENOENT)
				WRITE_ONCE(ucp_no_simd_ctr, true);
			c->simd = NULL;
		}
	}
	*ctr = c;
	return 0;
}

/**
 * ucp_aes_ctr_crypt() - XOR a buffer with the AES-CTR keystream, in place
 * @ctr: the context
 * @iv: the first counter block, 16 bytes; may be on the stack
 * @buf: the bytes to encrypt or decrypt; not on the stack
 * @len: how many; 0 does nothing
 *
 * Uses the SIMD transform when crypto_simd_usable() allows it.
 *
 * Context: any context, softirq included; never sleeps or allocates.
 * Return: 0, or the crypto API's error.
 */
int ucp_aes_ctr_crypt(struct ucp_aes_ctr *ctr, const u8 *iv, u8 *buf,
		      unsigned int len)
{
	struct crypto_sync_skcipher *tfm = ctr->tfm;
	u8 counter[UCP_AES_BLOCK];
	struct scatterlist sg;
	int err;

	if (!len)
		return 0;
	if (ctr->simd && crypto_simd_usable())
		tfm = ctr->simd;
	{
		SYNC_SKCIPHER_REQUEST_ON_STACK(req, tfm);

		memcpy(counter, iv, sizeof(counter));	/* the walk advances it */
		sg_init_one(&sg, buf, len);
		skcipher_request_set_sync_tfm(req, tfm);
		skcipher_request_set_callback(req, 0, NULL, NULL);
		skcipher_request_set_crypt(req, &sg, &sg, len, counter);
		err = crypto_skcipher_encrypt(req);
		skcipher_request_zero(req);
	}
	return err;
}

/**
 * ucp_aes_ctr_free() - free an AES-CTR context
 * @ctr: the context, or NULL
 *
 * Freeing the transforms wipes their key schedules.
 *
 * Context: process context.
 */
void ucp_aes_ctr_free(struct ucp_aes_ctr *ctr)
{
	if (!ctr)
		return;
	/* Freeing a transform wipes its key schedule. */
	if (ctr->simd)
		crypto_free_sync_skcipher(ctr->simd);
	crypto_free_sync_skcipher(ctr->tfm);
	kfree(ctr);
}

/**
 * ucp_hmac_sha1_alloc() - set up HMAC-SHA1
 * @hmac: set to the new context; NULL on failure
 * @key: the key, kept only as the transform's padded inner and outer
 *	states
 * @key_len: 1 to 64 bytes
 *
 * RFC 2104, on the "hmac(sha1)" shash.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for another key length, -ENOMEM, or the crypto API's
 * error.
 */
int ucp_hmac_sha1_alloc(struct ucp_hmac_sha1 **hmac, const u8 *key,
			unsigned int key_len)
{
	struct ucp_hmac_sha1 *h;
	int err;

	*hmac = NULL;
	if (!key_len || key_len > 64)
		return -EINVAL;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->tfm = crypto_alloc_shash("hmac(sha1)", 0, 0);
	if (IS_ERR(h->tfm)) {
		err = PTR_ERR(h->tfm);
		kfree(h);
		return err;
	}
	err = crypto_shash_setkey(h->tfm, key, key_len);
	if (err) {
		crypto_free_shash(h->tfm);
		kfree(h);
		return err;
	}
	*hmac = h;
	return 0;
}

/**
 * ucp_hmac_sha1() - the MAC of two buffers, one after the other
 * @hmac: the context
 * @a: the first buffer; not on the stack
 * @a_len: its length
 * @b: the second buffer; may be on the stack (SRTP's rollover counter)
 * @b_len: its length; 0 when there is none
 * @out: the 20-byte MAC; may be on the stack
 *
 * Context: any context, softirq included; never sleeps or allocates.
 * Return: 0, or the crypto API's error.
 */
int ucp_hmac_sha1(struct ucp_hmac_sha1 *hmac, const u8 *a, unsigned int a_len,
		  const u8 *b, unsigned int b_len, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, hmac->tfm);
	int err;

	desc->tfm = hmac->tfm;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, a, a_len);
	if (!err && b_len)
		err = crypto_shash_update(desc, b, b_len);
	if (!err)
		err = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return err;
}

/**
 * ucp_hmac_sha1_free() - free an HMAC-SHA1 context
 * @hmac: the context, or NULL
 *
 * Freeing the transform wipes the padded key states.
 *
 * Context: process context.
 */
void ucp_hmac_sha1_free(struct ucp_hmac_sha1 *hmac)
{
	if (!hmac)
		return;
	crypto_free_shash(hmac->tfm);	/* wipes the padded key states */
	kfree(hmac);
}

static int ucp_gcm_tfm(const char *name, u32 type, u32 mask, const u8 *key,
		       unsigned int key_len, struct crypto_aead **tfm,
		       struct aead_request **req)
{
	int err;

	*tfm = crypto_alloc_aead(name, type, mask);
	if (IS_ERR(*tfm)) {
		err = PTR_ERR(*tfm);
		*tfm = NULL;
		return err;
	}
	err = crypto_aead_setkey(*tfm, key, key_len);
	if (!err)
		err = crypto_aead_setauthsize(*tfm, UCP_AES_GCM_TAG_LEN);
	if (!err && crypto_aead_ivsize(*tfm) != UCP_AES_GCM_IV_LEN)
		err = -EINVAL;
	if (!err) {
		*req = aead_request_alloc(*tfm, GFP_KERNEL);
		if (!*req)
			err = -ENOMEM;
	}
	if (err) {
		crypto_free_aead(*tfm);
		*tfm = NULL;
	}
	return err;
}

/**
 * ucp_aes_gcm_alloc() - set up AES-GCM
 * @gcm: set to the new context; NULL on failure
 * @key: the AES key, kept only as the transforms' key schedules
 * @key_len: 16 or 32
 *
 * NIST SP 800-38D with a 12-byte IV and a 16-byte tag, as RFC 7714 uses
 * it. Allocates the synchronous "gcm(aes)" and, where there is one, the
 * internal SIMD "__gcm(aes)", each with the one request it will use: that
 * request is why @gcm is used by one CPU at a time.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for another key length, -ENOMEM, or the crypto API's
 * error.
 */
int ucp_aes_gcm_alloc(struct ucp_aes_gcm **gcm, const u8 *key,
		      unsigned int key_len)
{
	struct ucp_aes_gcm *g;
	int err;

	*gcm = NULL;
	if (key_len != 16 && key_len != 32)
		return -EINVAL;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	err = ucp_gcm_tfm("gcm(aes)", 0, CRYPTO_ALG_ASYNC, key, key_len,
			  &g->tfm, &g->req);
	if (err) {
		kfree(g);
		return err;
	}
	if (!READ_ONCE(ucp_no_simd_gcm)) {
		err = ucp_gcm_tfm("__gcm(aes)", UCP_INTERNAL_TYPE,
				  UCP_INTERNAL_MASK, key, key_len, &g->simd,
				  &g->simd_req);
		if (err == -ENOENT)
			WRITE_ONCE(ucp_no_simd_gcm, true);
	}
	*gcm = g;
	return 0;
}

/*
 * Run one GCM operation over [aad][aad2][buf, @len bytes, then the tag]:
 * @cryptlen is @len (encrypt) or @len plus the tag (decrypt).
 */
static int ucp_gcm_run(struct ucp_aes_gcm *gcm, const u8 *iv, const u8 *aad,
		       unsigned int aad_len, const u8 *aad2,
		       unsigned int aad2_len, u8 *buf, unsigned int len,
		       bool enc)
{
	unsigned int total = len + UCP_AES_GCM_TAG_LEN;
	struct aead_request *req = gcm->req;
	struct crypto_aead *tfm = gcm->tfm;
	u8 nonce[UCP_AES_GCM_IV_LEN];
	struct scatterlist sg[3];
	unsigned int n = 0;

	if (gcm->simd && !aad2_len && crypto_simd_usable()) {
		tfm = gcm->simd;
		req = gcm->simd_req;
	}
	sg_init_table(sg, ARRAY_SIZE(sg));
	if (aad + aad_len == buf && !aad2_len) {
		/* RTP: the header is the AAD and sits before the payload. */
		sg_set_buf(&sg[n++], aad, aad_len + total);
	} else {
		if (aad_len)
			sg_set_buf(&sg[n++], aad, aad_len);
		if (aad2_len)
			sg_set_buf(&sg[n++], aad2, aad2_len);
		sg_set_buf(&sg[n++], buf, total);
	}
	sg_mark_end(&sg[n - 1]);

	memcpy(nonce, iv, sizeof(nonce));
	aead_request_set_tfm(req, tfm);
	aead_request_set_callback(req, 0, NULL, NULL);
	aead_request_set_ad(req, aad_len + aad2_len);
	aead_request_set_crypt(req, sg, sg, enc ? len : total, nonce);
	return enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
}

/**
 * ucp_aes_gcm_encrypt() - encrypt in place and append the tag
 * @gcm: the context
 * @iv: the 12-byte IV; may be on the stack
 * @aad: the additional authenticated data; it may end exactly where @buf
 *	starts (RTP's header)
 * @aad_len: its length
 * @aad2: more AAD after @aad, or NULL: SRTCP authenticates its index
 *	word, which does not follow the header in the packet
 * @aad2_len: its length, or 0
 * @buf: the plaintext, then room for the tag; not on the stack
 * @len: the plaintext's length; the tag is written at @buf + @len
 *
 * Context: any context, softirq included; never sleeps or allocates. The
 * caller serialises the calls on @gcm.
 * Return: 0, or the crypto API's error.
 */
int ucp_aes_gcm_encrypt(struct ucp_aes_gcm *gcm, const u8 *iv, const u8 *aad,
			unsigned int aad_len, const u8 *aad2,
			unsigned int aad2_len, u8 *buf, unsigned int len)
{
	return ucp_gcm_run(gcm, iv, aad, aad_len, aad2, aad2_len, buf, len,
			   true);
}

/**
 * ucp_aes_gcm_decrypt() - check the tag and decrypt in place
 * @gcm: the context
 * @iv: the 12-byte IV; may be on the stack
 * @aad: the additional authenticated data, as ucp_aes_gcm_encrypt() took it
 * @aad_len: its length
 * @aad2: more AAD after @aad, or NULL
 * @aad2_len: its length, or 0
 * @buf: the ciphertext, then its tag; not on the stack
 * @len: the ciphertext's length; the tag is at @buf + @len
 *
 * Context: any context, softirq included; never sleeps or allocates. The
 * caller serialises the calls on @gcm.
 * Return: 0; -EBADMSG when the tag does not match, and then the contents
 * of @buf are unspecified; or the crypto API's error.
 */
int ucp_aes_gcm_decrypt(struct ucp_aes_gcm *gcm, const u8 *iv, const u8 *aad,
			unsigned int aad_len, const u8 *aad2,
			unsigned int aad2_len, u8 *buf, unsigned int len)
{
	return ucp_gcm_run(gcm, iv, aad, aad_len, aad2, aad2_len, buf, len,
			   false);
}

/**
 * ucp_aes_gcm_free() - free an AES-GCM context
 * @gcm: the context, or NULL
 *
 * Freeing the requests and transforms wipes the key schedules.
 *
 * Context: process context.
 */
void ucp_aes_gcm_free(struct ucp_aes_gcm *gcm)
{
	if (!gcm)
		return;
	if (gcm->simd) {
		aead_request_free(gcm->simd_req);
		crypto_free_aead(gcm->simd);
	}
	aead_request_free(gcm->req);
	crypto_free_aead(gcm->tfm);
	kfree(gcm);
}

/**
 * ucp_crypto_memneq() - compare secrets in constant time
 * @a: one buffer
 * @b: the other
 * @len: their length
 *
 * crypto_memneq(): the time depends only on @len.
 *
 * Return: 0 when the buffers are equal, non-zero (here 1) otherwise.
 */
int ucp_crypto_memneq(const void *a, const void *b, unsigned int len)
{
	return crypto_memneq(a, b, len) ? 1 : 0;
}
