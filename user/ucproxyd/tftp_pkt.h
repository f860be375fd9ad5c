/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TFTP packets (RFC 1350) with option negotiation (RFC 2347) and the
 * blksize (RFC 2348), timeout and tsize (RFC 2349) options: a total parser
 * and the builders the proxy needs. Pure code (libc only): the unit tests
 * and fuzz/tftp_fuzz.c link it alone.
 */
#ifndef _UCPD_TFTP_PKT_H
#define _UCPD_TFTP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UCPD_TFTP_SEGSIZE	512	/* the block size without options */
#define UCPD_TFTP_BLKSIZE_MIN	8	/* RFC 2348 */
#define UCPD_TFTP_BLKSIZE_MAX	65464
#define UCPD_TFTP_TIMEOUT_MAX	255	/* RFC 2349, seconds */
/* RFC 2347: a request with its options fits 512 octets. */
#define UCPD_TFTP_REQ_MAX	512
/* The largest datagram: a DATA of the largest block. */
#define UCPD_TFTP_PKT_MAX	(4 + UCPD_TFTP_BLKSIZE_MAX)

enum ucpd_tftp_op {
	UCPD_TFTP_RRQ = 1,
	UCPD_TFTP_WRQ = 2,
	UCPD_TFTP_DATA = 3,
	UCPD_TFTP_ACK = 4,
	UCPD_TFTP_ERROR = 5,
	UCPD_TFTP_OACK = 6,
};

/* Error codes of RFC 1350 and RFC 2347 (8). */
enum ucpd_tftp_code {
	UCPD_TFTP_E_UNDEF = 0,
	UCPD_TFTP_E_NOT_FOUND = 1,
	UCPD_TFTP_E_ACCESS = 2,
	UCPD_TFTP_E_DISK_FULL = 3,
	UCPD_TFTP_E_ILLEGAL = 4,
	UCPD_TFTP_E_UNKNOWN_TID = 5,
	UCPD_TFTP_E_EXISTS = 6,
	UCPD_TFTP_E_NO_USER = 7,
	UCPD_TFTP_E_OPTION = 8,
};

enum ucpd_tftp_mode {
	UCPD_TFTP_OCTET,
	UCPD_TFTP_NETASCII,
};

/* The options this proxy knows; others are counted and left out. */
struct ucpd_tftp_opts {
	bool has_blksize, has_timeout, has_tsize;
	uint16_t blksize;		/* 8-65464 */
	uint8_t timeout;		/* 1-255 seconds */
	uint64_t tsize;			/* bytes; 0 in a request asks for it */
	unsigned int n_unknown;		/* options of other names, skipped */
};

/*
 * One parsed packet; the views point into the parsed buffer. Strings
 * (file, msg) end with the NUL the packet carried, so they are C strings.
 */
struct ucpd_tftp_pkt {
	enum ucpd_tftp_op op;
	/* RRQ, WRQ */
	const char *file;
	size_t file_len;
	enum ucpd_tftp_mode mode;
	/* RRQ, WRQ, OACK */
	struct ucpd_tftp_opts opts;
	/* DATA, ACK */
	uint16_t block;
	const uint8_t *data;		/* DATA */
	size_t data_len;
	/* ERROR */
	uint16_t code;
	const char *msg;
	size_t msg_len;
};

/* Why a packet was refused; each one a counter and a log reason. */
enum ucpd_tftp_perr {
	UCPD_TFTP_OK,
	UCPD_TFTP_P_SHORT,		/* shorter than its fixed part */
	UCPD_TFTP_P_OPCODE,		/* not 1-6 */
	UCPD_TFTP_P_UNTERMINATED,	/* a string without its NUL */
	UCPD_TFTP_P_NAME,		/* empty file name */
	UCPD_TFTP_P_MODE,		/* not octet or netascii */
	UCPD_TFTP_P_OPTION,		/* option without a value, or repeated */
	UCPD_TFTP_P_VALUE,		/* blksize/timeout/tsize out of range */
	UCPD_TFTP_P_REQ_LONG,		/* request above 512 bytes */
	UCPD_TFTP_P_DATA_LONG,		/* data above the largest block */
	UCPD_TFTP_P_TRAILING,		/* bytes after an ACK or ERROR */
	UCPD_TFTP_P_NR,
};

/* A short English reason for @e ("request above 512 bytes"). */
const char *ucpd_tftp_strerror(enum ucpd_tftp_perr e);
/* Parses @len bytes of @b into @p. UCPD_TFTP_OK or the reason. */
enum ucpd_tftp_perr ucpd_tftp_parse(const uint8_t *b, size_t len,
				    struct ucpd_tftp_pkt *p);

/*
 * Builders: each writes one packet into @b (@cap bytes) and returns its
 * length, or 0 when it does not fit (nothing useful is left in @b).
 */
size_t ucpd_tftp_build_rrq(uint8_t *b, size_t cap, const char *file,
			   enum ucpd_tftp_mode mode,
			   const struct ucpd_tftp_opts *opts);
size_t ucpd_tftp_build_oack(uint8_t *b, size_t cap,
			    const struct ucpd_tftp_opts *opts);
size_t ucpd_tftp_build_ack(uint8_t *b, size_t cap, uint16_t block);
/* The 4-byte header of a DATA packet; its data follows at b + 4. */
size_t ucpd_tftp_build_data(uint8_t *b, size_t cap, uint16_t block);
/* @msg is cut where it would not fit. */
size_t ucpd_tftp_build_error(uint8_t *b, size_t cap, uint16_t code,
			     const char *msg);

/*
 * An OACK @ans against the request @req it answers (RFC 2347): only
 * options that were asked, blksize not above the one asked, timeout as
 * asked. NULL when it is acceptable, else why not.
 */
const char *ucpd_tftp_oack_check(const struct ucpd_tftp_opts *req,
				 const struct ucpd_tftp_opts *ans);

#endif /* _UCPD_TFTP_PKT_H */
