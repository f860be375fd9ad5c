// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the MMP core (kmod/core/ucp_mmp.c). The first byte
 * picks the caps (the default client-to-server caps, none as from the
 * server, or small ones); the rest is a byte stream, scanned message after
 * message as the TLS agent frames a connection. What must hold:
 *
 * - an accepted message: its lengths add up, within the caps and
 *   UCP_MMP_MAX_MSG; its header lines, iterated, are as many as the scan
 *   counted, with names of token characters and exactly one
 *   Content-Length whose digits are the content length; one byte less is
 *   incomplete;
 * - a refusal: decided within the bytes given; exactly those bytes are
 *   refused the same, one byte fewer is incomplete (the agent and the
 *   kernel inspector, which sees only those bytes, agree);
 * - incomplete: the bytes are within the header cap or the header block
 *   is whole.
 *
 * Each scan reads a heap copy of exactly its bytes, so ASan sees any read
 * past them. A broken rule ends in __builtin_trap() after a line on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucp_mmp.h"

#include "fuzz_check.h"

static const struct ucp_mmp_limits lims[] = {
	{ UCP_MMP_HEADER_MAX_DEFAULT, UCP_MMP_CONTENT_MAX_DEFAULT },
	{ 0, 0 },
	{ 64, 16 },
};

static int scan_copy(const uint8_t *p, size_t n, const struct ucp_mmp_limits *lim,
		     struct ucp_mmp_msg *m)
{
	uint8_t *b = malloc(n ? n : 1);
	int ret;

	if (!b)
		abort();
	memcpy(b, p, n);
	ret = ucp_mmp_scan(b, n, lim, m);
	free(b);
	return ret;
}

static bool tchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static void check_message(const uint8_t *p, const struct ucp_mmp_limits *lim,
			  const struct ucp_mmp_msg *m)
{
	struct ucp_mmp_header h;
	struct ucp_mmp_msg m2;
	uint32_t pos = 0, n = 0, cls = 0, i;

	CHECK(m->len == m->header_len + m->content_len);
	CHECK(m->len <= UCP_MMP_MAX_MSG);
	if (lim->header_max)
		CHECK(m->header_len <= lim->header_max);
	if (lim->content_max)
		CHECK(m->content_len <= lim->content_max);
	CHECK(m->header_len >= 1 && p[m->header_len - 1] == '\n');
	while (ucp_mmp_header_next(p, m->header_len, &pos, &h)) {
		n++;
		CHECK(h.name_len && h.name_off + h.name_len < h.value_off);
		CHECK(h.value_off + h.value_len <= m->header_len);
		CHECK(p[h.name_off + h.name_len] == ':');
		CHECK(p[h.name_off + h.name_len + 1] == ' ');
		for (i = 0; i < h.name_len; i++)
			CHECK(tchar(p[h.name_off + i]));
		for (i = 0; i < h.value_len; i++)
			CHECK(p[h.value_off + i] == '\t' ||
			      (p[h.value_off + i] >= 0x20 && p[h.value_off + i] != 0x7f));
		if (ucp_mmp_name_is(p, &h, "content-length")) {
			uint64_t v = 0;

			cls++;
			for (i = 0; i < h.value_len; i++) {
				CHECK(p[h.value_off + i] >= '0' && p[h.value_off + i] <= '9');
				v = v * 10 + (p[h.value_off + i] - '0');
			}
			CHECK(v == m->content_len);
		}
	}
	CHECK(n == m->headers);
	CHECK(cls == 1);
	/* The empty line ends the block. */
	CHECK(m->header_len - pos <= 2);
	CHECK(scan_copy(p, m->len - 1, lim, &m2) == UCP_MMP_E_INCOMPLETE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ucp_mmp_limits *lim;
	struct ucp_mmp_msg m, m2;
	size_t off = 1;
	int ret;

	if (!size)
		return 0;
	lim = &lims[data[0] % 3];
	while (off < size) {
		ret = scan_copy(data + off, size - off, lim, &m);
		if (ret == UCP_MMP_OK) {
			CHECK(m.len <= size - off);
			check_message(data + off, lim, &m);
			off += m.len;
			continue;
		}
		if (ret == UCP_MMP_E_INCOMPLETE) {
			size_t cap = lim->header_max && lim->header_max <= UCP_MMP_MAX_MSG ?
				     lim->header_max : UCP_MMP_MAX_MSG;

			CHECK(size - off < cap || m.header_len);
			break;
		}
		CHECK(ret > UCP_MMP_E_INCOMPLETE && ret < UCP_MMP_REASON_COUNT);
		CHECK(m.decided >= 1 && m.decided <= size - off);
		CHECK(scan_copy(data + off, m.decided, lim, &m2) == ret);
		CHECK(m2.decided == m.decided);
		CHECK(scan_copy(data + off, m.decided - 1, lim, &m2) ==
		      UCP_MMP_E_INCOMPLETE);
		break;
	}
	return 0;
}
