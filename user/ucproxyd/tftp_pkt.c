// SPDX-License-Identifier: GPL-2.0
/*
 * TFTP packets: the parser and the builders (tftp_pkt.h).
 *
 * Every read is bounded by the datagram's length: strings are searched
 * for their NUL with memchr() inside what is left, numbers are read digit
 * by digit with an overflow check. A packet is either parsed whole or
 * refused with one reason; nothing is half-filled that the caller could
 * act on.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tftp_pkt.h"

static const char * const reasons[UCPD_TFTP_P_NR] = {
	[UCPD_TFTP_OK] = "ok",
	[UCPD_TFTP_P_SHORT] = "packet shorter than its fixed part",
	[UCPD_TFTP_P_OPCODE] = "unknown opcode",
	[UCPD_TFTP_P_UNTERMINATED] = "string without its NUL",
	[UCPD_TFTP_P_NAME] = "empty file name",
	[UCPD_TFTP_P_MODE] = "mode is not octet or netascii",
	[UCPD_TFTP_P_OPTION] = "option without a value, or repeated",
	[UCPD_TFTP_P_VALUE] = "option value out of range",
	[UCPD_TFTP_P_REQ_LONG] = "request above 512 bytes",
	[UCPD_TFTP_P_DATA_LONG] = "data above the largest block",
	[UCPD_TFTP_P_TRAILING] = "bytes after the packet's end",
};

/**
 * ucpd_tftp_strerror() - the reason a TFTP packet was refused
 * @e: a parse result
 *
 * Return: a constant string.
 */
const char *ucpd_tftp_strerror(enum ucpd_tftp_perr e)
{
	if ((unsigned int)e >= UCPD_TFTP_P_NR)
		return "unknown reason";
	return reasons[e];
}

static uint16_t get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* The NUL-terminated string at @b[*off]; *off moves past its NUL. */
static const char *take_str(const uint8_t *b, size_t len, size_t *off,
			    size_t *slen)
{
	const uint8_t *nul;

	if (*off >= len)
		return NULL;
	nul = memchr(b + *off, '\0', len - *off);
	if (!nul)
		return NULL;
	*slen = (size_t)(nul - (b + *off));
	b += *off;
	*off += *slen + 1;
	return (const char *)b;
}

/* A decimal number of at most 20 digits, not above @max. */
static bool number(const char *s, size_t n, uint64_t min, uint64_t max,
		   uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n || n > 20)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* Name/value pairs from @off to the end. */
static enum ucpd_tftp_perr options(const uint8_t *b, size_t len, size_t off,
				   struct ucpd_tftp_opts *o)
{
	size_t nl, vl;
	const char *n, *v;
	uint64_t x;

	while (off < len) {
		n = take_str(b, len, &off, &nl);
		if (!n)
			return UCPD_TFTP_P_UNTERMINATED;
		if (!nl)
			return UCPD_TFTP_P_OPTION;
		if (off >= len)
			return UCPD_TFTP_P_OPTION;
		v = take_str(b, len, &off, &vl);
		if (!v)
			return UCPD_TFTP_P_UNTERMINATED;
		if (!strcasecmp(n, "blksize")) {
			if (o->has_blksize)
				return UCPD_TFTP_P_OPTION;
			if (!number(v, vl, UCPD_TFTP_BLKSIZE_MIN,
				    UCPD_TFTP_BLKSIZE_MAX, &x))
				return UCPD_TFTP_P_VALUE;
			o->has_blksize = true;
			o->blksize = (uint16_t)x;
		} else if (!strcasecmp(n, "timeout")) {
			if (o->has_timeout)
				return UCPD_TFTP_P_OPTION;
			if (!number(v, vl, 1, UCPD_TFTP_TIMEOUT_MAX, &x))
				return UCPD_TFTP_P_VALUE;
			o->has_timeout = true;
			o->timeout = (uint8_t)x;
		} else if (!strcasecmp(n, "tsize")) {
			if (o->has_tsize)
				return UCPD_TFTP_P_OPTION;
			if (!number(v, vl, 0, INT64_MAX, &x))
				return UCPD_TFTP_P_VALUE;
			o->has_tsize = true;
			o->tsize = x;
		} else {
			o->n_unknown++;
		}
	}
	return UCPD_TFTP_OK;
}

static enum ucpd_tftp_perr request(const uint8_t *b, size_t len,
				   struct ucpd_tftp_pkt *p)
{
	size_t off = 2, ml;
	const char *m;

	if (len > UCPD_TFTP_REQ_MAX)
		return UCPD_TFTP_P_REQ_LONG;
	p->file = take_str(b, len, &off, &p->file_len);
	if (!p->file)
		return UCPD_TFTP_P_UNTERMINATED;
	if (!p->file_len)
		return UCPD_TFTP_P_NAME;
	m = take_str(b, len, &off, &ml);
	if (!m)
		return UCPD_TFTP_P_UNTERMINATED;
	if (!strcasecmp(m, "octet"))
		p->mode = UCPD_TFTP_OCTET;
	else if (!strcasecmp(m, "netascii"))
		p->mode = UCPD_TFTP_NETASCII;
	else
		return UCPD_TFTP_P_MODE;
	return options(b, len, off, &p->opts);
}

/**
 * ucpd_tftp_parse() - parse one TFTP datagram
 * @b: the datagram
 * @len: its length
 * @p: filled with the packet's fields (views into @b) on success
 *
 * Return: UCPD_TFTP_OK, or why the packet is refused.
 */
enum ucpd_tftp_perr ucpd_tftp_parse(const uint8_t *b, size_t len,
				    struct ucpd_tftp_pkt *p)
{
	enum ucpd_tftp_perr e;
	size_t off;

	memset(p, 0, sizeof(*p));
	if (len < 2)
		return UCPD_TFTP_P_SHORT;
	p->op = (enum ucpd_tftp_op)get16(b);
	switch (p->op) {
	case UCPD_TFTP_RRQ:
	case UCPD_TFTP_WRQ:
		e = request(b, len, p);
		break;
	case UCPD_TFTP_OACK:
		e = options(b, len, 2, &p->opts);
		break;
	case UCPD_TFTP_DATA:
		if (len < 4)
			return UCPD_TFTP_P_SHORT;
		if (len - 4 > UCPD_TFTP_BLKSIZE_MAX)
			return UCPD_TFTP_P_DATA_LONG;
		p->block = get16(b + 2);
		p->data = b + 4;
		p->data_len = len - 4;
		return UCPD_TFTP_OK;
	case UCPD_TFTP_ACK:
		if (len < 4)
			return UCPD_TFTP_P_SHORT;
		if (len > 4)
			return UCPD_TFTP_P_TRAILING;
		p->block = get16(b + 2);
		return UCPD_TFTP_OK;
	case UCPD_TFTP_ERROR:
		if (len < 5)
			return UCPD_TFTP_P_SHORT;
		p->code = get16(b + 2);
		off = 4;
		p->msg = take_str(b, len, &off, &p->msg_len);
		if (!p->msg)
			return UCPD_TFTP_P_UNTERMINATED;
		/* Some servers pad the message; what follows its NUL is not read. */
		return UCPD_TFTP_OK;
	default:
		return UCPD_TFTP_P_OPCODE;
	}
	if (e)
		memset(p, 0, sizeof(*p));
	return e;
}

/* Appends the C string @s with its NUL at @b[*off]; false if it does not fit. */
static bool put_str(uint8_t *b, size_t cap, size_t *off, const char *s)
{
	size_t n = strlen(s) + 1;

	if (*off > cap || n > cap - *off)
		return false;
	memcpy(b + *off, s, n);
	*off += n;
	return true;
}

static bool put_opts(uint8_t *b, size_t cap, size_t *off,
		     const struct ucpd_tftp_opts *o)
{
	char v[24];

	if (o->has_blksize) {
		snprintf(v, sizeof(v), "%u", o->blksize);
		if (!put_str(b, cap, off, "blksize") || !put_str(b, cap, off, v))
			return false;
	}
	if (o->has_timeout) {
		snprintf(v, sizeof(v), "%u", o->timeout);
		if (!put_str(b, cap, off, "timeout") || !put_str(b, cap, off, v))
			return false;
	}
	if (o->has_tsize) {
		snprintf(v, sizeof(v), "%llu", (unsigned long long)o->tsize);
		if (!put_str(b, cap, off, "tsize") || !put_str(b, cap, off, v))
			return false;
	}
	return true;
}

/**
 * ucpd_tftp_build_rrq() - a read request
 * @b: output buffer
 * @cap: its size
 * @file: the file name
 * @mode: octet or netascii
 * @opts: the options to ask for (NULL: none); unknown ones are not sent
 *
 * Return: the packet's length, or 0 when it does not fit @cap or 512 bytes.
 */
size_t ucpd_tftp_build_rrq(uint8_t *b, size_t cap, const char *file,
			   enum ucpd_tftp_mode mode,
			   const struct ucpd_tftp_opts *opts)
{
	size_t off = 2;

	if (cap > UCPD_TFTP_REQ_MAX)
		cap = UCPD_TFTP_REQ_MAX;
	if (cap < 2)
		return 0;
	put16(b, UCPD_TFTP_RRQ);
	if (!put_str(b, cap, &off, file) ||
	    !put_str(b, cap, &off, mode == UCPD_TFTP_OCTET ? "octet" : "netascii") ||
	    (opts && !put_opts(b, cap, &off, opts)))
		return 0;
	return off;
}

/**
 * ucpd_tftp_build_oack() - an option acknowledgment
 * @b: output buffer
 * @cap: its size
 * @opts: the options accepted
 *
 * Return: the packet's length, or 0 when it does not fit.
 */
size_t ucpd_tftp_build_oack(uint8_t *b, size_t cap,
			    const struct ucpd_tftp_opts *opts)
{
	size_t off = 2;

	if (cap < 2)
		return 0;
	put16(b, UCPD_TFTP_OACK);
	if (!put_opts(b, cap, &off, opts))
		return 0;
	return off;
}

/**
 * ucpd_tftp_build_ack() - an acknowledgment
 * @b: output buffer
 * @cap: its size
 * @block: the block acknowledged (0: the OACK)
 *
 * Return: 4, or 0 when @cap is smaller.
 */
size_t ucpd_tftp_build_ack(uint8_t *b, size_t cap, uint16_t block)
{
	if (cap < 4)
		return 0;
	put16(b, UCPD_TFTP_ACK);
	put16(b + 2, block);
	return 4;
}

/**
 * ucpd_tftp_build_data() - the header of a data packet
 * @b: output buffer; the block's bytes go at @b + 4
 * @cap: its size
 * @block: the block number
 *
 * Return: 4, or 0 when @cap is smaller.
 */
size_t ucpd_tftp_build_data(uint8_t *b, size_t cap, uint16_t block)
{
	if (cap < 4)
		return 0;
	put16(b, UCPD_TFTP_DATA);
	put16(b + 2, block);
	return 4;
}

/**
 * ucpd_tftp_build_error() - an error packet
 * @b: output buffer
 * @cap: its size
 * @code: enum ucpd_tftp_code (or the code a peer sent)
 * @msg: the message, cut to what fits
 *
 * Return: the packet's length, or 0 when @cap is below 5.
 */
size_t ucpd_tftp_build_error(uint8_t *b, size_t cap, uint16_t code,
			     const char *msg)
{
	size_t n = strlen(msg);

	if (cap < 5)
		return 0;
	if (n > cap - 5)
		n = cap - 5;
	put16(b, UCPD_TFTP_ERROR);
	put16(b + 2, code);
	memcpy(b + 4, msg, n);
	b[4 + n] = '\0';
	return 5 + n;
}

/**
 * ucpd_tftp_oack_check() - may this OACK answer that request?
 * @req: the options requested
 * @ans: the options of the OACK
 *
 * Return: NULL when acceptable, else the reason.
 */
const char *ucpd_tftp_oack_check(const struct ucpd_tftp_opts *req,
				 const struct ucpd_tftp_opts *ans)
{
	if (ans->n_unknown)
		return "OACK with an option that was not asked";
	if (ans->has_blksize && (!req->has_blksize || ans->blksize > req->blksize))
		return "OACK blksize not asked or above the one asked";
	if (ans->has_timeout && (!req->has_timeout || ans->timeout != req->timeout))
		return "OACK timeout not asked or not the one asked";
	if (ans->has_tsize && !req->has_tsize)
		return "OACK tsize not asked";
	return NULL;
}
