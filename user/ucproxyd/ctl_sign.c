// SPDX-License-Identifier: GPL-2.0
/*
 * CTL and ITL file signatures. The signed bytes are the file with the
 * signature element (tag, length and value) cut out: the part before it,
 * then the part after it, the header length already counting it.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "ctl_sign.h"

const EVP_MD *ucpd_ctl_md(uint8_t digest)
{
	switch (digest) {
	case UCPD_CTL_DIGEST_SHA1:
		return EVP_sha1();
	case UCPD_CTL_DIGEST_SHA256:
		return EVP_sha256();
	case UCPD_CTL_DIGEST_SHA512:
		return EVP_sha512();
	}
	return NULL;
}

int ucpd_ctl_modulus(EVP_PKEY *key)
{
	if (!EVP_PKEY_is_a(key, "RSA"))
		return -1;
	switch (EVP_PKEY_get_bits(key)) {
	case 512:
		return UCPD_CTL_MODULUS_512;
	case 1024:
		return UCPD_CTL_MODULUS_1024;
	case 2048:
		return UCPD_CTL_MODULUS_2048;
	case 4096:
		return UCPD_CTL_MODULUS_4096;
	}
	return -1;
}

static int fail(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[160];

	if (e) {
		ERR_error_string_n(e, buf, sizeof(buf));
		snprintf(err, errlen, "%s (%s)", what, buf);
	} else {
		snprintf(err, errlen, "%s", what);
	}
	ERR_clear_error();
	return -1;
}

/* The layout must be inside the file and hold a whole element. */
static bool layout_ok(size_t len, const struct ucpd_ctl *ctl)
{
	return ctl->sig_off + 3 <= ctl->sig_end && ctl->sig_end <= len;
}

int ucpd_ctl_sign(uint8_t *file, size_t len, const struct ucpd_ctl *ctl,
		  EVP_PKEY *key, char *err, size_t errlen)
{
	const EVP_MD *md = ucpd_ctl_md(ctl->hdr.digest);
	size_t want, siglen;
	EVP_PKEY_CTX *pctx;
	EVP_MD_CTX *mctx;
	int ret = -1;

	if (!md)
		return fail(err, errlen, "unknown digest algorithm");
	if (!layout_ok(len, ctl))
		return fail(err, errlen, "no room for the signature");
	want = ctl->sig_end - ctl->sig_off - 3;
	if ((size_t)EVP_PKEY_get_size(key) != want)
		return fail(err, errlen, "the key's signature size is not the file's");
	mctx = EVP_MD_CTX_new();
	if (!mctx)
		return fail(err, errlen, "out of memory");
	siglen = want;
	if (EVP_DigestSignInit(mctx, &pctx, md, NULL, key) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_DigestSignUpdate(mctx, file, ctl->sig_off) != 1 ||
	    EVP_DigestSignUpdate(mctx, file + ctl->sig_end,
				 len - ctl->sig_end) != 1 ||
	    EVP_DigestSignFinal(mctx, file + ctl->sig_off + 3, &siglen) != 1 ||
	    siglen != want)
		fail(err, errlen, "signing failed");
	else
		ret = 0;
	EVP_MD_CTX_free(mctx);
	return ret;
}

int ucpd_ctl_verify(const uint8_t *file, size_t len,
		    const struct ucpd_ctl *ctl, char *err, size_t errlen)
{
	const struct ucpd_ctl_record *r = &ctl->rec[ctl->signer];
	const EVP_MD *md = ucpd_ctl_md(ctl->hdr.digest);
	const unsigned char *p = r->certificate.p;
	EVP_PKEY_CTX *pctx;
	EVP_MD_CTX *mctx;
	EVP_PKEY *key;
	X509 *x = NULL;
	int ret = -1;

	if (!md)
		return fail(err, errlen, "unknown digest algorithm");
	if (ctl->signer >= ctl->n_rec || !layout_ok(len, ctl))
		return fail(err, errlen, "no signature or no signer");
	if (!p)
		return fail(err, errlen, "the signer's SAST record has no certificate");
	if (r->certificate.len <= LONG_MAX)
		x = d2i_X509(NULL, &p, (long)r->certificate.len);
	if (!x || p != r->certificate.p + r->certificate.len) {
		X509_free(x);
		return fail(err, errlen, "the signer's certificate does not parse");
	}
	key = X509_get0_pubkey(x);
	if (!key || !EVP_PKEY_is_a(key, "RSA")) {
		X509_free(x);
		return fail(err, errlen, "the signer's key is not RSA");
	}
	mctx = EVP_MD_CTX_new();
	if (!mctx) {
		X509_free(x);
		return fail(err, errlen, "out of memory");
	}
	if (EVP_DigestVerifyInit(mctx, &pctx, md, NULL, key) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_DigestVerifyUpdate(mctx, file, ctl->sig_off) != 1 ||
	    EVP_DigestVerifyUpdate(mctx, file + ctl->sig_end,
				   len - ctl->sig_end) != 1 ||
	    EVP_DigestVerifyFinal(mctx, ctl->hdr.signature.p,
				  ctl->hdr.signature.len) != 1)
		fail(err, errlen,
		     "the signature does not verify against the signer's SAST certificate");
	else
		ret = 0;
	EVP_MD_CTX_free(mctx);
	X509_free(x);
	return ret;
}
