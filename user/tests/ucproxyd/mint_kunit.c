// SPDX-License-Identifier: GPL-2.0
/*
 * Certificates minted per client: the client's subject, issued and
 * signed by the proxy's CA, verifiable against that CA as a TLS client
 * certificate, for the proxy's key, each with its own serial.
 */
#include <kunit/test.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ucproxyd.h"

struct mint_fixture {
	EVP_PKEY *ca_key, *key;
	X509 *ca;
	X509_NAME *subject;
};

static X509 *self_signed_ca(EVP_PKEY *key)
{
	X509 *ca = X509_new();
	X509_NAME *n = X509_NAME_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
				   (const unsigned char *)"proxy CA", -1, -1, 0);
	X509_set_version(ca, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(ca), 1);
	X509_set_subject_name(ca, n);
	X509_set_issuer_name(ca, n);
	X509_gmtime_adj(X509_getm_notBefore(ca), -3600);
	X509_gmtime_adj(X509_getm_notAfter(ca), 86400);
	X509_set_pubkey(ca, key);
	X509V3_set_ctx(&ctx, ca, ca, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
				  "critical,CA:TRUE");
	X509_add_ext(ca, ext, -1);
	X509_EXTENSION_free(ext);
	X509_sign(ca, key, EVP_sha256());
	X509_NAME_free(n);
	return ca;
}

static int mint_init(struct kunit *test)
{
	struct mint_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -1;
	f->ca_key = EVP_EC_gen("P-256");
	f->key = ucpd_mint_key();
	f->ca = f->ca_key ? self_signed_ca(f->ca_key) : NULL;
	f->subject = X509_NAME_new();
	X509_NAME_add_entry_by_txt(f->subject, "O", MBSTRING_ASC,
				   (const unsigned char *)"Example", -1, -1, 0);
	X509_NAME_add_entry_by_txt(f->subject, "CN", MBSTRING_ASC,
				   (const unsigned char *)"SEP001122334455", -1, -1, 0);
	test->priv = f;
	return f->ca_key && f->key && f->ca ? 0 : -1;
}

static void mint_exit(struct kunit *test)
{
	struct mint_fixture *f = test->priv;

	EVP_PKEY_free(f->ca_key);
	EVP_PKEY_free(f->key);
	X509_free(f->ca);
	X509_NAME_free(f->subject);
}

static void minted_fields_test(struct kunit *test)
{
	struct mint_fixture *f = test->priv;
	EVP_PKEY *pub;
	X509 *c;

	c = ucpd_mint(f->subject, f->key, f->ca, f->ca_key, 1);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, X509_NAME_cmp(X509_get_subject_name(c), f->subject), 0);
	KUNIT_EXPECT_EQ(test, X509_NAME_cmp(X509_get_issuer_name(c),
					    X509_get_subject_name(f->ca)), 0);
	pub = X509_get0_pubkey(c);
	KUNIT_EXPECT_EQ(test, EVP_PKEY_eq(pub, f->key), 1);
	KUNIT_EXPECT_EQ(test, X509_verify(c, f->ca_key), 1);
	/* A client certificate, not a CA. */
	KUNIT_EXPECT_EQ(test, X509_check_ca(c), 0);
	KUNIT_EXPECT_EQ(test, X509_check_purpose(c, X509_PURPOSE_SSL_CLIENT, 0), 1);
	KUNIT_EXPECT_EQ(test, X509_check_purpose(c, X509_PURPOSE_SSL_SERVER, 0), 0);
	/* Valid now, and for about a day. */
	KUNIT_EXPECT_LT(test, X509_cmp_current_time(X509_get0_notBefore(c)), 0);
	KUNIT_EXPECT_GT(test, X509_cmp_current_time(X509_get0_notAfter(c)), 0);
	X509_free(c);
}

static void minted_verifies_test(struct kunit *test)
{
	struct mint_fixture *f = test->priv;
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509 *c = ucpd_mint(f->subject, f->key, f->ca, f->ca_key, 1);

	KUNIT_ASSERT_NOT_NULL(test, c);
	X509_STORE_add_cert(store, f->ca);
	X509_STORE_CTX_init(ctx, store, c, NULL);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
	KUNIT_EXPECT_EQ_MSG(test, X509_verify_cert(ctx), 1, "%s",
			    X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(c);
}

static void other_ca_refuses_test(struct kunit *test)
{
	struct mint_fixture *f = test->priv;
	EVP_PKEY *other_key = EVP_EC_gen("P-256");
	X509 *other = self_signed_ca(other_key);
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509 *c = ucpd_mint(f->subject, f->key, f->ca, f->ca_key, 1);

	KUNIT_ASSERT_NOT_NULL(test, c);
	/* Same CA name, other key: the signature must not verify. */
	X509_STORE_add_cert(store, other);
	X509_STORE_CTX_init(ctx, store, c, NULL);
	KUNIT_EXPECT_NE(test, X509_verify_cert(ctx), 1);
	KUNIT_EXPECT_NE(test, X509_verify(c, other_key), 1);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(c);
	X509_free(other);
	EVP_PKEY_free(other_key);
}

static void serials_differ_test(struct kunit *test)
{
	struct mint_fixture *f = test->priv;
	X509 *a = ucpd_mint(f->subject, f->key, f->ca, f->ca_key, 1);
	X509 *b = ucpd_mint(f->subject, f->key, f->ca, f->ca_key, 1);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_NE(test, ASN1_INTEGER_cmp(X509_get0_serialNumber(a),
					       X509_get0_serialNumber(b)), 0);
	/* Positive (RFC 5280, 4.1.2.2). */
	KUNIT_EXPECT_EQ(test, X509_get0_serialNumber(a)->type, V_ASN1_INTEGER);
	X509_free(a);
	X509_free(b);
}

static struct kunit_case ucpd_mint_cases[] = {
	KUNIT_CASE(minted_fields_test),
	KUNIT_CASE(minted_verifies_test),
	KUNIT_CASE(other_ca_refuses_test),
	KUNIT_CASE(serials_differ_test),
	{}
};

static struct kunit_suite ucpd_mint_suite = {
	.name = "ucpd_mint",
	.init = mint_init,
	.exit = mint_exit,
	.test_cases = ucpd_mint_cases,
};

kunit_test_suite(ucpd_mint_suite);

MODULE_DESCRIPTION("KUnit tests of ucproxyd's certificate minting");
MODULE_LICENSE("GPL");
