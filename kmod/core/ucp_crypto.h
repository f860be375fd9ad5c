/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The crypto backend interface of the SRTP core (kmod/ucp_srtp.c).
 *
 * Two implementations: the kernel crypto API (kmod/crypto_kernel.c) in the
 * module, OpenSSL 3 (user/crypto/ucp_crypto_openssl.c) in the userspace
 * build (unit tests, fuzzing, benchmarks).
 *
 * Rules every implementation keeps:
 *
 * - Setup (the *_alloc functions) may sleep and allocate (GFP_KERNEL) and
 *   may fail; it keeps the key schedule, and for HMAC the inner and outer
 *   states, so the per-packet calls never see the raw key again.
 * - Per-packet calls (ucp_aes_ctr_crypt, ucp_hmac_sha1, ucp_aes_gcm_*) never
 *   allocate and never sleep: in the kernel they run in softirq context.
 * - Concurrency: a context is used by one CPU at a time. The backend may
 *   keep per-context scratch (the kernel's preallocated AEAD request, the
 *   OpenSSL cipher context), so it does not lock; the caller serializes.
 *   The SRTP core's contexts are per direction of one leg and already need
 *   that (rollover counter, replay window), so the glue holds one spinlock
 *   per direction around ucp_srtp_protect()/unprotect(), and those are the
 *   only users of the backend contexts they own. Different contexts run
 *   concurrently on different CPUs.
 * - Buffers handed to a per-packet call must not live on the stack: the
 *   kernel backend maps them with scatterlists, which cannot describe a
 *   virtually mapped stack. IVs, the HMAC's second buffer and tags may be
 *   on the stack only where noted.
 * - Free functions accept NULL and wipe every copy of key material.
 *
 * Errors are negative errnos. Each function's contract is its kernel-doc
 * in crypto_kernel.c; the OpenSSL backend keeps the same.
 */
#ifndef _UCP_CRYPTO_H
#define _UCP_CRYPTO_H

#include "ucp_core.h"

#define UCP_AES_BLOCK		16
#define UCP_AES_GCM_IV_LEN	12
#define UCP_AES_GCM_TAG_LEN	16
#define UCP_SHA1_LEN		20

struct ucp_aes_ctr;
struct ucp_hmac_sha1;
struct ucp_aes_gcm;

/* AES in counter mode (NIST SP 800-38A). */
int ucp_aes_ctr_alloc(struct ucp_aes_ctr **ctr, const u8 *key,
		      unsigned int key_len);
int ucp_aes_ctr_crypt(struct ucp_aes_ctr *ctr, const u8 *iv, u8 *buf,
		      unsigned int len);
void ucp_aes_ctr_free(struct ucp_aes_ctr *ctr);

/* HMAC-SHA1 (RFC 2104). */
int ucp_hmac_sha1_alloc(struct ucp_hmac_sha1 **hmac, const u8 *key,
			unsigned int key_len);
int ucp_hmac_sha1(struct ucp_hmac_sha1 *hmac, const u8 *a, unsigned int a_len,
		  const u8 *b, unsigned int b_len, u8 *out);
void ucp_hmac_sha1_free(struct ucp_hmac_sha1 *hmac);

/* AES-GCM (NIST SP 800-38D), as RFC 7714 uses it. */
int ucp_aes_gcm_alloc(struct ucp_aes_gcm **gcm, const u8 *key,
		      unsigned int key_len);
int ucp_aes_gcm_encrypt(struct ucp_aes_gcm *gcm, const u8 *iv, const u8 *aad,
			unsigned int aad_len, const u8 *aad2,
			unsigned int aad2_len, u8 *buf, unsigned int len);
int ucp_aes_gcm_decrypt(struct ucp_aes_gcm *gcm, const u8 *iv, const u8 *aad,
			unsigned int aad_len, const u8 *aad2,
			unsigned int aad2_len, u8 *buf, unsigned int len);
void ucp_aes_gcm_free(struct ucp_aes_gcm *gcm);

/* Comparing secrets in constant time. */
int ucp_crypto_memneq(const void *a, const void *b, unsigned int len);

#endif /* _UCP_CRYPTO_H */
