/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cisco CTL and ITL files (CTLFile.tlv, ITLFile.tlv): their TLV layout.
 *
 * Pure code (libc only): a total parser and a writer, no crypto. A
 * parsed file is a set of views into the caller's buffer; a file to
 * write is the same structure with views into whatever the caller owns.
 * Signing and verifying is ctl_sign.c's; the layout, the tags and the
 * choices made where the public descriptions are silent are in
 * Documentation/phone-proxy.md.
 */
#ifndef _UCPD_CTL_TLV_H
#define _UCPD_CTL_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Header tags. */
enum {
	UCPD_CTL_H_VERSION		= 1,	/* 2 bytes: major, minor */
	UCPD_CTL_H_LENGTH		= 2,	/* 2 bytes: header length */
	UCPD_CTL_H_SIGNER_ID		= 3,	/* holds 4, 5, 6 */
	UCPD_CTL_H_SIGNER_NAME		= 4,	/* string */
	UCPD_CTL_H_SERIAL		= 5,	/* the signer's serial */
	UCPD_CTL_H_CA_NAME		= 6,	/* string: the signer's issuer */
	UCPD_CTL_H_SIGNATURE_INFO	= 7,	/* holds 8, 9 */
	UCPD_CTL_H_DIGEST		= 8,	/* 1 byte: UCPD_CTL_DIGEST_* */
	UCPD_CTL_H_SIG_ALG_INFO		= 9,	/* holds 10, 11 */
	UCPD_CTL_H_SIG_ALG		= 10,	/* 1 byte */
	UCPD_CTL_H_SIG_MODULUS		= 11,	/* 1 byte: UCPD_CTL_MODULUS_* */
	UCPD_CTL_H_SIGNATURE		= 12,	/* the RSA signature */
	UCPD_CTL_H_PADDING		= 13,	/* one byte, no length */
	UCPD_CTL_H_FILE_NAME		= 14,	/* string */
	UCPD_CTL_H_TIMESTAMP		= 15,	/* 4 bytes: seconds since 1970 */
	UCPD_CTL_H_SIGNER_VERSION	= 28,	/* 2 bytes: major, minor */
};

/* Record tags. */
enum {
	UCPD_CTL_R_LENGTH		= 1,	/* 2 bytes: the record's length */
	UCPD_CTL_R_DNS_NAME		= 2,	/* string */
	UCPD_CTL_R_SUBJECT		= 3,	/* string */
	UCPD_CTL_R_FUNCTION		= 4,	/* 2 bytes: UCPD_CTL_F_* */
	UCPD_CTL_R_ISSUER		= 5,	/* string */
	UCPD_CTL_R_SERIAL		= 6,
	UCPD_CTL_R_PUBLIC_KEY		= 7,	/* RSAPublicKey, DER */
	UCPD_CTL_R_SIGNATURE		= 8,	/* the certificate's */
	UCPD_CTL_R_CERTIFICATE		= 9,	/* X.509, DER */
	UCPD_CTL_R_IP_ADDRESS		= 10,	/* 4 bytes (IPv4) */
	UCPD_CTL_R_CERT_HASH		= 11,
	UCPD_CTL_R_HASH_ALG		= 12,	/* 1 byte: UCPD_CTL_DIGEST_* */
};

/* Record functions (roles). */
enum {
	UCPD_CTL_F_SAST			= 0,
	UCPD_CTL_F_CCM			= 1,
	UCPD_CTL_F_CCM_TFTP		= 2,
	UCPD_CTL_F_TFTP			= 3,
	UCPD_CTL_F_CAPF			= 4,
	UCPD_CTL_F_APP_SERVER		= 7,
	UCPD_CTL_F_TVS			= 21,
};

enum {
	UCPD_CTL_DIGEST_SHA1		= 1,
	UCPD_CTL_DIGEST_SHA256		= 2,
	UCPD_CTL_DIGEST_SHA512		= 3,
};

/* The signature's size: 512 << code bits. */
enum {
	UCPD_CTL_MODULUS_512		= 0,
	UCPD_CTL_MODULUS_1024		= 1,
	UCPD_CTL_MODULUS_2048		= 2,
	UCPD_CTL_MODULUS_4096		= 3,
};

#define UCPD_CTL_MAX_RECORDS	64
#define UCPD_CTL_MAX_SAST	2
/* Every length is 16 bits: no element, header or record is longer. */
#define UCPD_CTL_MAX_ELEMENT	0xffff

/*
 * A view of bytes: absent when @p is NULL. Strings are seen without the
 * NUL that ends them in the file (the writer adds it).
 */
struct ucpd_ctl_bytes {
	const uint8_t *p;
	size_t len;
};

struct ucpd_ctl_header {
	uint8_t version[2];		/* major, minor */
	uint16_t length;		/* parsed; the writer computes it */
	bool has_signer_version;
	uint8_t signer_version[2];
	struct ucpd_ctl_bytes signer_name, serial, ca_name;
	uint8_t digest, sig_alg, modulus;
	/*
	 * The signature: parsed, its value; to write, its length (the
	 * value may be absent: zeros are written for the signer to fill).
	 */
	struct ucpd_ctl_bytes signature;
	struct ucpd_ctl_bytes file_name;
	bool has_timestamp;
	uint32_t timestamp;
};

struct ucpd_ctl_record {
	struct ucpd_ctl_bytes dns_name, subject, issuer, serial, public_key;
	struct ucpd_ctl_bytes signature, certificate, ip_address, cert_hash;
	bool has_function, has_hash_alg;
	uint16_t function;
	uint8_t hash_alg;
};

struct ucpd_ctl {
	struct ucpd_ctl_header hdr;
	struct ucpd_ctl_record rec[UCPD_CTL_MAX_RECORDS];
	unsigned int n_rec;
	/* Parsed: the SAST record whose serial is the header's. */
	unsigned int signer;
	/*
	 * Where the signature element (tag, length, value) lies in the file:
	 * the signed bytes are all the others.
	 */
	size_t sig_off, sig_end;
};

/* Why a file was refused; ucpd_ctl_strerror() says it in words. */
enum ucpd_ctl_err {
	UCPD_CTL_OK,
	UCPD_CTL_E_TRUNCATED,		/* an element runs past the end */
	UCPD_CTL_E_NO_VERSION,		/* the first element is not tag 1 */
	UCPD_CTL_E_NO_LENGTH,		/* the second is not tag 2 */
	UCPD_CTL_E_FIELD_LENGTH,	/* a fixed-size field of another size */
	UCPD_CTL_E_HEADER_LENGTH,	/* header length outside the file */
	UCPD_CTL_E_HEADER_OVERRUN,	/* an element crosses the header's end */
	UCPD_CTL_E_UNKNOWN_HEADER_TAG,
	UCPD_CTL_E_MISPLACED,		/* in the wrong group, or crossing it */
	UCPD_CTL_E_DUPLICATE,		/* a field given twice */
	UCPD_CTL_E_STRING,		/* not NUL-terminated, or NUL inside */
	UCPD_CTL_E_NO_SERIAL,
	UCPD_CTL_E_NO_DIGEST,
	UCPD_CTL_E_UNKNOWN_DIGEST,
	UCPD_CTL_E_NO_SIGNATURE,
	UCPD_CTL_E_NO_RECORD_LENGTH,	/* a record not opened by tag 1 */
	UCPD_CTL_E_RECORD_LENGTH,	/* record length outside the file */
	UCPD_CTL_E_RECORD_OVERRUN,	/* an element crosses the record's end */
	UCPD_CTL_E_UNKNOWN_RECORD_TAG,
	UCPD_CTL_E_NO_FUNCTION,
	UCPD_CTL_E_TOO_MANY_RECORDS,
	UCPD_CTL_E_TOO_MANY_SAST,	/* more than UCPD_CTL_MAX_SAST */
	UCPD_CTL_E_NO_SIGNER,		/* no SAST record of the header's serial */
	UCPD_CTL_E_NR,
};

/**
 * ucpd_ctl_parse() - parse a CTL or ITL file
 * @buf: the file
 * @len: its length
 * @ctl: filled with views into @buf (zeroed first)
 *
 * Total: every length is checked against the end of its element, group,
 * header, record and file before anything is read.
 *
 * Return: UCPD_CTL_OK, or the first reason the file is refused.
 */
enum ucpd_ctl_err ucpd_ctl_parse(const uint8_t *buf, size_t len,
				 struct ucpd_ctl *ctl);

/**
 * ucpd_ctl_strerror() - a refusal in words
 * @err: a reason from ucpd_ctl_parse()
 *
 * Return: a short phrase, never NULL.
 */
const char *ucpd_ctl_strerror(enum ucpd_ctl_err err);

/**
 * ucpd_ctl_write() - lay out a CTL or ITL file
 * @ctl: header and records; hdr.length, sig_off, sig_end are set here
 * @buf: where to write
 * @cap: its size
 * @len: the file's length
 *
 * Header: version, length, signer version (when has_signer_version),
 * signer ID (name, serial, CA name), signature info (digest, algorithm,
 * modulus), the signature (hdr.signature.len bytes: its value, or zeros
 * when absent), file name, time stamp (when has_timestamp), then padding
 * to a multiple of 4. Records: length, then each present field in tag
 * order. @ctl->sig_off and sig_end say where the signature element is.
 *
 * Return: 0, -ENOSPC when @cap is too small, -EINVAL when a header or
 * record would be longer than 65535 bytes, more than UCPD_CTL_MAX_RECORDS
 * records are given, or a required header field is absent.
 */
int ucpd_ctl_write(struct ucpd_ctl *ctl, uint8_t *buf, size_t cap,
		   size_t *len);

/**
 * ucpd_ctl_function_name() - a record function as phones' tools name it
 * @function: UCPD_CTL_F_*
 *
 * Return: "SAST", "CCM+TFTP", ..., or NULL when unknown.
 */
const char *ucpd_ctl_function_name(uint16_t function);

/**
 * ucpd_ctl_digest_name() - a digest code's name
 * @digest: UCPD_CTL_DIGEST_*
 *
 * Return: "sha1", "sha256", "sha512", or NULL when unknown.
 */
const char *ucpd_ctl_digest_name(uint8_t digest);

#endif /* _UCPD_CTL_TLV_H */
