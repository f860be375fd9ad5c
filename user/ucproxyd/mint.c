// SPDX-License-Identifier: GPL-2.0
/*
 * Local dynamic certificates (table 47-1, client role of the phone proxy
 * and TLS proxy): toward the call manager the proxy presents a
 * certificate with the phone's own subject, signed by the proxy's CA, so
 * the call manager, which trusts that CA, sees the phone it expects.
 *
 * Only OpenSSL: no daemon state, so the unit tests link this file alone.
 */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ucproxyd.h"

EVP_PKEY *ucpd_mint_key(void)
{
	return EVP_EC_gen("P-256");
}

static int add_ext(X509 *cert, const X509 *ca, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ret;

	X509V3_set_ctx(&ctx, (X509 *)ca, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -1;
	ret = X509_add_ext(cert, ext, -1) == 1 ? 0 : -1;
	X509_EXTENSION_free(ext);
	return ret;
}

X509 *ucpd_mint(const X509_NAME *subject, EVP_PKEY *key, const X509 *ca,
		EVP_PKEY *ca_key, int days)
{
	unsigned char serial[16];
	BIGNUM *bn = NULL;
	X509 *cert;

	cert = X509_new();
	if (!cert)
		return NULL;
	/* A random positive serial: distinct per minted certificate. */
	if (RAND_bytes(serial, sizeof(serial)) != 1)
		goto err;
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)))
		goto err;
	if (X509_set_version(cert, X509_VERSION_3) != 1 ||
	    X509_set_subject_name(cert, subject) != 1 ||
	    X509_set_issuer_name(cert, X509_get_subject_name(ca)) != 1 ||
	    X509_set_pubkey(cert, key) != 1)
		goto err;
	/* Backdated a little: the router's and the server's clocks differ. */
	if (!X509_gmtime_adj(X509_getm_notBefore(cert), -300) ||
	    !X509_time_adj_ex(X509_getm_notAfter(cert), days, 0, NULL))
		goto err;
	if (add_ext(cert, ca, NID_basic_constraints, "critical,CA:FALSE") ||
	    add_ext(cert, ca, NID_key_usage, "critical,digitalSignature") ||
	    add_ext(cert, ca, NID_ext_key_usage, "clientAuth") ||
	    add_ext(cert, ca, NID_subject_key_identifier, "hash"))
		goto err;
	/* Only a CA with a key identifier can be named by it. */
	if (X509_get0_subject_key_id((X509 *)ca) &&
	    add_ext(cert, ca, NID_authority_key_identifier, "keyid"))
		goto err;
	if (!X509_sign(cert, ca_key, EVP_sha256()))
		goto err;
	BN_free(bn);
	return cert;
err:
	BN_free(bn);
	X509_free(cert);
	return NULL;
}
