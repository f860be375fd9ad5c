// SPDX-License-Identifier: GPL-2.0
/*
 * CTL and ITL records from X.509 certificates (OpenSSL).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "ctl_cert.h"

static const struct {
	int nid;
	const char *type;
} name_types[] = {
	{ NID_commonName, "CN" },
	{ NID_organizationalUnitName, "OU" },
	{ NID_organizationName, "O" },
	{ NID_localityName, "L" },
	{ NID_stateOrProvinceName, "ST" },
	{ NID_countryName, "C" },
};

static const char *type_of(int nid)
{
	size_t i;

	for (i = 0; i < sizeof(name_types) / sizeof(name_types[0]); i++)
		if (name_types[i].nid == nid)
			return name_types[i].type;
	return NULL;
}

char *ucpd_ctl_cert_name(const X509_NAME *name)
{
	size_t len = 0, cap = 1;
	char *s = NULL, *t;
	int i, n;

	for (i = 0; i < X509_NAME_entry_count(name); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
		const char *type = type_of(OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)));
		unsigned char *utf8;

		if (!type)
			continue;
		n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
		if (n < 0 || memchr(utf8, 0, (size_t)n)) {
			if (n >= 0)
				OPENSSL_free(utf8);
			free(s);
			return NULL;
		}
		cap = len + strlen(type) + (size_t)n + 3;
		t = realloc(s, cap);
		if (!t) {
			OPENSSL_free(utf8);
			free(s);
			return NULL;
		}
		s = t;
		len += (size_t)snprintf(s + len, cap - len, "%s%s=%.*s",
					len ? ";" : "", type, n, utf8);
		OPENSSL_free(utf8);
	}
	return s ? s : strdup("");
}

/* i2d into a malloc()ed buffer. */
static uint8_t *der_of(int n, uint8_t *(*fill)(void *, uint8_t *), void *obj,
		       size_t *len)
{
	uint8_t *b;

	if (n <= 0)
		return NULL;
	b = malloc((size_t)n);
	if (b && fill(obj, b) != b + n) {
		free(b);
		return NULL;
	}
	*len = (size_t)n;
	return b;
}

static uint8_t *fill_x509(void *obj, uint8_t *b)
{
	i2d_X509(obj, &b);
	return b;
}

static uint8_t *fill_pubkey(void *obj, uint8_t *b)
{
	i2d_PublicKey(obj, &b);
	return b;
}

int ucpd_ctl_cert_init(struct ucpd_ctl_cert *c, X509 *x)
{
	const ASN1_BIT_STRING *sig;
	EVP_PKEY *key = X509_get0_pubkey(x);
	BIGNUM *bn;
	int n;

	memset(c, 0, sizeof(*c));
	if (!key || !X509_up_ref(x))
		return -1;
	c->x509 = x;
	c->subject = ucpd_ctl_cert_name(X509_get_subject_name(x));
	c->issuer = ucpd_ctl_cert_name(X509_get_issuer_name(x));
	c->der = der_of(i2d_X509(x, NULL), fill_x509, x, &c->der_len);
	c->public_key = der_of(i2d_PublicKey(key, NULL), fill_pubkey, key,
			       &c->public_key_len);
	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	if (bn && !BN_is_negative(bn)) {
		n = BN_num_bytes(bn);
		c->serial = malloc(n ? (size_t)n : 1);
		if (c->serial)
			c->serial_len = (size_t)BN_bn2bin(bn, c->serial);
	}
	BN_free(bn);
	X509_get0_signature(&sig, NULL, x);
	c->signature = ASN1_STRING_get0_data(sig);
	c->signature_len = (size_t)ASN1_STRING_length(sig);
	if (!c->subject || !c->issuer || !c->der || !c->public_key ||
	    !c->serial) {
		ucpd_ctl_cert_free(c);
		return -1;
	}
	return 0;
}

int ucpd_ctl_cert_load(struct ucpd_ctl_cert *c, const char *path, char *err,
		       size_t errlen)
{
	FILE *fp = fopen(path, "r");
	X509 *x;
	int ret;

	memset(c, 0, sizeof(*c));
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	ERR_clear_error();
	if (!x) {
		snprintf(err, errlen, "%s: no PEM certificate", path);
		return -1;
	}
	ret = ucpd_ctl_cert_init(c, x);
	X509_free(x);
	if (ret)
		snprintf(err, errlen,
			 "%s: the certificate's names, serial or key cannot be taken",
			 path);
	return ret;
}

static void view(struct ucpd_ctl_bytes *v, const void *p, size_t len)
{
	v->p = p;
	v->len = len;
}

void ucpd_ctl_cert_record(const struct ucpd_ctl_cert *c, uint16_t function,
			  struct ucpd_ctl_record *r)
{
	memset(r, 0, sizeof(*r));
	view(&r->subject, c->subject, strlen(c->subject));
	r->has_function = true;
	r->function = function;
	view(&r->issuer, c->issuer, strlen(c->issuer));
	view(&r->serial, c->serial, c->serial_len);
	view(&r->public_key, c->public_key, c->public_key_len);
	view(&r->signature, c->signature, c->signature_len);
	view(&r->certificate, c->der, c->der_len);
}

void ucpd_ctl_cert_signer(const struct ucpd_ctl_cert *c,
			  struct ucpd_ctl_header *h)
{
	view(&h->signer_name, c->subject, strlen(c->subject));
	view(&h->serial, c->serial, c->serial_len);
	view(&h->ca_name, c->issuer, strlen(c->issuer));
}

void ucpd_ctl_cert_free(struct ucpd_ctl_cert *c)
{
	X509_free(c->x509);
	free(c->subject);
	free(c->issuer);
	free(c->serial);
	free(c->public_key);
	free(c->der);
	memset(c, 0, sizeof(*c));
}
