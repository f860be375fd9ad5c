/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CTL and ITL records and signer fields from X.509 certificates: the
 * names as phones print them, the serial, the public key, the
 * certificate's own signature and its DER form.
 */
#ifndef _UCPD_CTL_CERT_H
#define _UCPD_CTL_CERT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "ctl_tlv.h"

/* What a record or the header needs of one certificate, owned here. */
struct ucpd_ctl_cert {
	X509 *x509;
	char *subject, *issuer;		/* "CN=...;OU=...;O=..." */
	uint8_t *serial, *public_key, *der;
	size_t serial_len, public_key_len, der_len;
	const uint8_t *signature;	/* inside x509 */
	size_t signature_len;
};

/**
 * ucpd_ctl_cert_name() - a name as CTL files spell it
 * @name: a certificate's subject or issuer
 *
 * The CN, OU, O, L, ST and C attributes in the certificate's order, as
 * "TYPE=value" joined by ';'; other attributes are left out.
 *
 * Return: a string to free(), or NULL when out of memory or when a value
 * does not convert to UTF-8 or holds a NUL.
 */
char *ucpd_ctl_cert_name(const X509_NAME *name);

/**
 * ucpd_ctl_cert_init() - take what records need from a certificate
 * @c: filled (zeroed first); it holds a reference to @x
 * @x: the certificate
 *
 * Return: 0, or -1 when out of memory or the certificate cannot be
 * encoded (@c is then empty).
 */
int ucpd_ctl_cert_init(struct ucpd_ctl_cert *c, X509 *x);

/**
 * ucpd_ctl_cert_load() - ucpd_ctl_cert_init() of a PEM file's certificate
 * @c: filled
 * @path: the PEM file (its first certificate is taken)
 * @err: one line on failure, naming @path
 * @errlen: its size
 *
 * Return: 0, or -1 with @err set.
 */
int ucpd_ctl_cert_load(struct ucpd_ctl_cert *c, const char *path, char *err,
		       size_t errlen);

/**
 * ucpd_ctl_cert_record() - a record for a certificate in a role
 * @c: the certificate
 * @function: UCPD_CTL_F_*
 * @r: filled (zeroed first) with views into @c: subject, function,
 *     issuer, serial, public key, signature, certificate
 */
void ucpd_ctl_cert_record(const struct ucpd_ctl_cert *c, uint16_t function,
			  struct ucpd_ctl_record *r);

/**
 * ucpd_ctl_cert_signer() - the header's signer fields for a certificate
 * @c: the signer's (SAST) certificate
 * @h: its signer name, serial and CA name set to views into @c
 */
void ucpd_ctl_cert_signer(const struct ucpd_ctl_cert *c,
			  struct ucpd_ctl_header *h);

/**
 * ucpd_ctl_cert_free() - release what ucpd_ctl_cert_init() took
 * @c: emptied
 */
void ucpd_ctl_cert_free(struct ucpd_ctl_cert *c);

#endif /* _UCPD_CTL_CERT_H */
