// SPDX-License-Identifier: GPL-2.0
/*
 * CTL/ITL signatures (ctl_sign.c) and records from certificates
 * (ctl_cert.c): a file laid out, signed with SHA-1 and SHA-256, parsed
 * and verified; any changed byte, another key or a missing certificate
 * makes verification fail. The openssl command line checks the same
 * files independently in ctl_openssl.sh.
 */
#include <kunit/test.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ctl_cert.h"
#include "ctl_sign.h"
#include "ctl_tlv.h"

static X509 *self_signed(EVP_PKEY *key, const char *cn, long serial)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();

	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
				   (const unsigned char *)"NZ", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "emailAddress", MBSTRING_ASC,
				   (const unsigned char *)"a@example.com", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
				   (const unsigned char *)"Example", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, n);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	X509_sign(x, key, EVP_sha256());
	X509_NAME_free(n);
	return x;
}

struct fixture {
	EVP_PKEY *key, *other;
	X509 *sast, *ccm;
	struct ucpd_ctl_cert sast_c, ccm_c;
	struct ucpd_ctl ctl, parsed;
	uint8_t *file;
	size_t len;
};

static int sign_init(struct kunit *test)
{
	struct fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -1;
	test->priv = f;
	f->key = EVP_RSA_gen(1024);
	f->other = EVP_RSA_gen(1024);
	if (!f->key || !f->other)
		return -1;
	f->sast = self_signed(f->key, "SAST", 0x1234);
	f->ccm = self_signed(f->other, "proxy", 0x99);
	if (ucpd_ctl_cert_init(&f->sast_c, f->sast) ||
	    ucpd_ctl_cert_init(&f->ccm_c, f->ccm))
		return -1;
	return 0;
}

static void sign_exit(struct kunit *test)
{
	struct fixture *f = test->priv;

	ucpd_ctl_cert_free(&f->sast_c);
	ucpd_ctl_cert_free(&f->ccm_c);
	X509_free(f->sast);
	X509_free(f->ccm);
	EVP_PKEY_free(f->key);
	EVP_PKEY_free(f->other);
	free(f->file);
}

/* Lay out, sign with @key, and parse back into f->parsed. */
static int make_file(struct fixture *f, uint8_t digest, EVP_PKEY *key)
{
	struct ucpd_ctl_header *h = &f->ctl.hdr;
	char err[256];

	memset(&f->ctl, 0, sizeof(f->ctl));
	h->version[0] = 1;
	h->version[1] = 2;
	ucpd_ctl_cert_signer(&f->sast_c, h);
	h->digest = digest;
	h->modulus = (uint8_t)ucpd_ctl_modulus(f->key);
	h->signature.len = (size_t)EVP_PKEY_get_size(f->key);
	ucpd_ctl_cert_record(&f->sast_c, UCPD_CTL_F_SAST, &f->ctl.rec[0]);
	ucpd_ctl_cert_record(&f->ccm_c, UCPD_CTL_F_CCM_TFTP, &f->ctl.rec[1]);
	f->ctl.n_rec = 2;
	free(f->file);
	f->file = NULL;
	if (ucpd_ctl_write(&f->ctl, NULL, 0, &f->len) != -ENOSPC)
		return -1;
	f->file = malloc(f->len);
	if (!f->file || ucpd_ctl_write(&f->ctl, f->file, f->len, &f->len) ||
	    ucpd_ctl_sign(f->file, f->len, &f->ctl, key, err, sizeof(err)))
		return -1;
	return ucpd_ctl_parse(f->file, f->len, &f->parsed) ? -1 : 0;
}

static const uint8_t digests[] = {
	UCPD_CTL_DIGEST_SHA1, UCPD_CTL_DIGEST_SHA256, UCPD_CTL_DIGEST_SHA512,
};

static void digest_desc(const uint8_t *d, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", ucpd_ctl_digest_name(*d));
}

KUNIT_ARRAY_PARAM(digest, digests, digest_desc);

static void sign_verify_test(struct kunit *test)
{
	const uint8_t *digest = test->param_value;
	struct fixture *f = test->priv;
	char err[256];
	size_t i;

	KUNIT_ASSERT_EQ(test, make_file(f, *digest, f->key), 0);
	KUNIT_EXPECT_EQ(test, f->parsed.signer, 0);
	KUNIT_EXPECT_EQ(test, f->parsed.hdr.modulus, UCPD_CTL_MODULUS_1024);
	KUNIT_EXPECT_EQ(test, f->parsed.hdr.signature.len, 128);
	KUNIT_EXPECT_EQ(test, ucpd_ctl_verify(f->file, f->len, &f->parsed, err,
					      sizeof(err)), 0);
	/* Any byte changed, signed part or signature, breaks it. */
	for (i = 0; i < f->len; i += 37) {
		f->file[i] ^= 0x01;
		if (!ucpd_ctl_parse(f->file, f->len, &f->parsed))
			KUNIT_EXPECT_NE_MSG(test, ucpd_ctl_verify(f->file, f->len,
								  &f->parsed, err,
								  sizeof(err)),
					    0, "byte %zu changed", i);
		f->file[i] ^= 0x01;
	}
}

static void wrong_key_test(struct kunit *test)
{
	struct fixture *f = test->priv;
	char err[256] = "";

	/* Signed by a key that is not the SAST record's. */
	KUNIT_ASSERT_EQ(test, make_file(f, UCPD_CTL_DIGEST_SHA1, f->other), 0);
	KUNIT_EXPECT_NE(test, ucpd_ctl_verify(f->file, f->len, &f->parsed, err,
					      sizeof(err)), 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(err, "does not verify"));
}

static void digest_mismatch_test(struct kunit *test)
{
	struct fixture *f = test->priv;
	char err[256];

	KUNIT_ASSERT_EQ(test, make_file(f, UCPD_CTL_DIGEST_SHA1, f->key), 0);
	f->parsed.hdr.digest = UCPD_CTL_DIGEST_SHA256;
	KUNIT_EXPECT_NE(test, ucpd_ctl_verify(f->file, f->len, &f->parsed, err,
					      sizeof(err)), 0);
}

static void no_certificate_test(struct kunit *test)
{
	struct fixture *f = test->priv;
	char err[256] = "";

	KUNIT_ASSERT_EQ(test, make_file(f, UCPD_CTL_DIGEST_SHA1, f->key), 0);
	f->parsed.rec[0].certificate.p = NULL;
	KUNIT_EXPECT_NE(test, ucpd_ctl_verify(f->file, f->len, &f->parsed, err,
					      sizeof(err)), 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(err, "no certificate"));
	/* A certificate that does not parse, or with bytes after it. */
	KUNIT_ASSERT_EQ(test, make_file(f, UCPD_CTL_DIGEST_SHA1, f->key), 0);
	f->parsed.rec[0].certificate.len--;
	KUNIT_EXPECT_NE(test, ucpd_ctl_verify(f->file, f->len, &f->parsed, err,
					      sizeof(err)), 0);
}

static void sign_refuses_test(struct kunit *test)
{
	struct fixture *f = test->priv;
	char err[256];

	KUNIT_ASSERT_EQ(test, make_file(f, UCPD_CTL_DIGEST_SHA1, f->key), 0);
	/* The layout holds 128 bytes: a 2048-bit key does not fit. */
	{
		EVP_PKEY *big = EVP_RSA_gen(2048);

		KUNIT_ASSERT_NOT_NULL(test, big);
		KUNIT_EXPECT_NE(test, ucpd_ctl_sign(f->file, f->len, &f->ctl,
						    big, err, sizeof(err)), 0);
		KUNIT_EXPECT_EQ(test, ucpd_ctl_modulus(big), UCPD_CTL_MODULUS_2048);
		EVP_PKEY_free(big);
	}
	f->ctl.hdr.digest = 9;
	KUNIT_EXPECT_NE(test, ucpd_ctl_sign(f->file, f->len, &f->ctl, f->key,
					    err, sizeof(err)), 0);
	KUNIT_EXPECT_NULL(test, ucpd_ctl_md(0));
}

static void record_fields_test(struct kunit *test)
{
	struct fixture *f = test->priv;
	const struct ucpd_ctl_record *r;
	const unsigned char *p;
	EVP_PKEY *pub;

	KUNIT_ASSERT_EQ(test, make_file(f, UCPD_CTL_DIGEST_SHA1, f->key), 0);
	r = &f->parsed.rec[0];
	/* CN, O, C in the certificate's order; emailAddress left out. */
	KUNIT_EXPECT_EQ(test, r->subject.len, strlen("C=NZ;O=Example;CN=SAST"));
	KUNIT_EXPECT_EQ(test, memcmp(r->subject.p, "C=NZ;O=Example;CN=SAST",
				     r->subject.len), 0);
	KUNIT_EXPECT_EQ(test, r->serial.len, 2);
	KUNIT_EXPECT_EQ(test, r->serial.p[0], 0x12);
	KUNIT_EXPECT_EQ(test, r->serial.p[1], 0x34);
	KUNIT_EXPECT_EQ(test, f->parsed.hdr.serial.len, 2);
	/* The public key element is a PKCS#1 RSAPublicKey. */
	p = r->public_key.p;
	pub = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)r->public_key.len);
	KUNIT_ASSERT_NOT_NULL(test, pub);
	KUNIT_EXPECT_PTR_EQ(test, p, r->public_key.p + r->public_key.len);
	KUNIT_EXPECT_EQ(test, EVP_PKEY_eq(pub, f->key), 1);
	EVP_PKEY_free(pub);
	KUNIT_EXPECT_EQ(test, r->signature.len, 128);
	KUNIT_EXPECT_EQ(test, f->parsed.rec[1].function, UCPD_CTL_F_CCM_TFTP);
	KUNIT_EXPECT_EQ(test, f->parsed.rec[1].serial.p[0], 0x99);
	KUNIT_EXPECT_EQ(test, f->parsed.hdr.length % 4, 0);
}

static struct kunit_case ctl_sign_cases[] = {
	KUNIT_CASE_PARAM(sign_verify_test, digest_gen_params),
	KUNIT_CASE(wrong_key_test),
	KUNIT_CASE(digest_mismatch_test),
	KUNIT_CASE(no_certificate_test),
	KUNIT_CASE(sign_refuses_test),
	KUNIT_CASE(record_fields_test),
	{}
};

static struct kunit_suite ctl_sign_suite = {
	.name = "ucpd_ctl_sign",
	.init = sign_init,
	.exit = sign_exit,
	.test_cases = ctl_sign_cases,
};

kunit_test_suite(ctl_sign_suite);

MODULE_LICENSE("GPL");
