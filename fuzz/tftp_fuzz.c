// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the TFTP packet parser and builders
 * (user/ucproxyd/tftp_pkt.c): the input is one datagram, parsed from a
 * heap copy of exactly its size, so ASan sees any read past it. Checked:
 *
 * - a refusal has a reason string and leaves no view set;
 * - an accepted packet's views lie inside the input; its file name and
 *   error message end with a NUL there and hold none; requests are at most
 *   512 bytes, data at most the largest block; option values in range;
 * - a request's or OACK's known options, built again, parse to the same
 *   values; an OACK is acceptable for the request it was built from;
 *   ACK, DATA and ERROR built from the fields parse to the same fields.
 *
 * A broken rule ends in __builtin_trap() after a line on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "tftp_pkt.h"

static void in_str(const char *s, size_t n, const uint8_t *b, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;

	CHECK(p >= b && p + n < b + len && p[n] == 0);
	CHECK(!memchr(p, 0, n));
}

static void same_opts(const struct ucpd_tftp_opts *a,
		      const struct ucpd_tftp_opts *b)
{
	CHECK(a->has_blksize == b->has_blksize && a->has_timeout == b->has_timeout &&
	      a->has_tsize == b->has_tsize);
	CHECK(!a->has_blksize || a->blksize == b->blksize);
	CHECK(!a->has_timeout || a->timeout == b->timeout);
	CHECK(!a->has_tsize || a->tsize == b->tsize);
	CHECK(!b->n_unknown);
}

static void check_opts(const struct ucpd_tftp_opts *o)
{
	CHECK(!o->has_blksize || (o->blksize >= UCPD_TFTP_BLKSIZE_MIN &&
				  o->blksize <= UCPD_TFTP_BLKSIZE_MAX));
	CHECK(!o->has_timeout || (o->timeout >= 1));
	CHECK(!o->has_tsize || o->tsize <= INT64_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[UCPD_TFTP_PKT_MAX];
	struct ucpd_tftp_pkt p, q;
	enum ucpd_tftp_perr e;
	uint8_t *b = malloc(size ? size : 1);
	size_t n;

	if (!b)
		return 0;
	memcpy(b, data, size);
	e = ucpd_tftp_parse(b, size, &p);
	CHECK(ucpd_tftp_strerror(e) != NULL);
	if (e) {
		CHECK(!p.file && !p.msg && !p.data);
		free(b);
		return 0;
	}
	switch (p.op) {
	case UCPD_TFTP_RRQ:
	case UCPD_TFTP_WRQ:
		CHECK(size <= UCPD_TFTP_REQ_MAX);
		CHECK(p.file_len > 0);
		in_str(p.file, p.file_len, b, size);
		check_opts(&p.opts);
		n = ucpd_tftp_build_rrq(out, sizeof(out), p.file, p.mode, &p.opts);
		if (n) {
			CHECK(ucpd_tftp_parse(out, n, &q) == UCPD_TFTP_OK);
			CHECK(q.op == UCPD_TFTP_RRQ && q.mode == p.mode);
			CHECK(q.file_len == p.file_len && !memcmp(q.file, p.file, p.file_len));
			same_opts(&p.opts, &q.opts);
		}
		break;
	case UCPD_TFTP_OACK:
		check_opts(&p.opts);
		n = ucpd_tftp_build_oack(out, sizeof(out), &p.opts);
		CHECK(n);
		CHECK(ucpd_tftp_parse(out, n, &q) == UCPD_TFTP_OK);
		same_opts(&p.opts, &q.opts);
		CHECK(!ucpd_tftp_oack_check(&p.opts, &q.opts));
		break;
	case UCPD_TFTP_DATA:
		CHECK(p.data == b + 4 && p.data_len == size - 4);
		CHECK(p.data_len <= UCPD_TFTP_BLKSIZE_MAX);
		n = ucpd_tftp_build_data(out, sizeof(out), p.block);
		CHECK(n == 4);
		memcpy(out + 4, p.data, p.data_len);
		CHECK(ucpd_tftp_parse(out, 4 + p.data_len, &q) == UCPD_TFTP_OK);
		CHECK(q.block == p.block && q.data_len == p.data_len);
		break;
	case UCPD_TFTP_ACK:
		CHECK(size == 4);
		n = ucpd_tftp_build_ack(out, sizeof(out), p.block);
		CHECK(n == 4 && !memcmp(out, b, 4));
		break;
	case UCPD_TFTP_ERROR:
		in_str(p.msg, p.msg_len, b, size);
		n = ucpd_tftp_build_error(out, sizeof(out), p.code, p.msg);
		CHECK(ucpd_tftp_parse(out, n, &q) == UCPD_TFTP_OK);
		CHECK(q.code == p.code && q.msg_len == p.msg_len);
		break;
	default:
		CHECK(0);
	}
	free(b);
	return 0;
}
