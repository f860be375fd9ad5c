/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CTL and ITL file signatures: RSA PKCS#1 v1.5 with SHA-1, SHA-256 or
 * SHA-512 (OpenSSL EVP) over the whole file less its signature element.
 */
#ifndef _UCPD_CTL_SIGN_H
#define _UCPD_CTL_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "ctl_tlv.h"

/**
 * ucpd_ctl_md() - the digest a CTL digest code names
 * @digest: UCPD_CTL_DIGEST_*
 *
 * Return: the OpenSSL digest, or NULL when unknown.
 */
const EVP_MD *ucpd_ctl_md(uint8_t digest);

/**
 * ucpd_ctl_modulus() - the header's modulus code for a signing key
 * @key: an RSA key
 *
 * Return: UCPD_CTL_MODULUS_*, or -1 when @key is not RSA of 512, 1024,
 * 2048 or 4096 bits.
 */
int ucpd_ctl_modulus(EVP_PKEY *key);

/**
 * ucpd_ctl_sign() - sign a laid-out file in place
 * @file: the file, its signature element's value to be filled
 * @len: the file's length
 * @ctl: the layout ucpd_ctl_write() returned (sig_off, sig_end, digest)
 * @key: the SAST's private key, EVP_PKEY_get_size() bytes of signature
 * @err: one line on failure
 * @errlen: its size
 *
 * Return: 0, or -1 with @err set.
 */
int ucpd_ctl_sign(uint8_t *file, size_t len, const struct ucpd_ctl *ctl,
		  EVP_PKEY *key, char *err, size_t errlen);

/**
 * ucpd_ctl_verify() - check a parsed file's signature
 * @file: the file
 * @len: its length
 * @ctl: what ucpd_ctl_parse() made of it
 * @err: one line on failure
 * @errlen: its size
 *
 * The key is the certificate's of the SAST record whose serial is the
 * header's (@ctl->signer).
 *
 * Return: 0 when the signature verifies, -1 with @err set otherwise.
 */
int ucpd_ctl_verify(const uint8_t *file, size_t len,
		    const struct ucpd_ctl *ctl, char *err, size_t errlen);

#endif /* _UCPD_CTL_SIGN_H */
