// SPDX-License-Identifier: GPL-2.0
/*
 * The MMP core per stream, against memcpy() of the same bytes: the least
 * the agent does with what it relays. The stream is eight messages as a
 * mobile client might send them (a few header lines of session and type,
 * Content-Length, an OML or HTTP body of 40 to 600 bytes), each framed
 * and checked by ucp_mmp_scan() under the default client-to-server caps,
 * as the agent and then the kernel inspector each do once.
 *
 * One operation is the whole stream (eight messages).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "ucp_mmp.h"

#define ROUNDS		9
#define ROUND_MS	150
#define MESSAGES	8

struct ctx {
	u8 in[8192];
	u8 work[8192];
	size_t len;
	struct ucp_mmp_msg m;
	unsigned long messages;
};

static const struct ucp_mmp_limits lim = {
	UCP_MMP_HEADER_MAX_DEFAULT, UCP_MMP_CONTENT_MAX_DEFAULT,
};

static void build(struct ctx *c)
{
	static const unsigned int body[MESSAGES] = { 40, 600, 120, 64, 300, 41, 256, 90 };
	unsigned int i;

	for (i = 0; i < MESSAGES; i++) {
		c->len += snprintf((char *)c->in + c->len, sizeof(c->in) - c->len,
				   "Session-Id: 0x%08x\r\nMsg-Type: %s\r\n"
				   "Sequence: %u\r\nContent-Type: application/x-oml\r\n"
				   "Content-Length: %u\r\n\r\n", 0x1234abcdu,
				   i & 1 ? "http" : "oml", i, body[i]);
		memset(c->in + c->len, 'a' + i, body[i]);
		c->len += body[i];
	}
}

static int scan_stream(void *p)
{
	struct ctx *c = p;
	size_t off = 0;

	memcpy(c->work, c->in, c->len);
	while (off < c->len) {
		if (ucp_mmp_scan(c->work + off, c->len - off, &lim, &c->m))
			return 1;
		off += c->m.len;
		c->messages++;
	}
	bench_keep(c->work);
	return 0;
}

int main(void)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct bench_case ours = { "copy+scan", scan_stream, c };
	struct bench_copy copy;
	struct bench_case peer = { "memcpy", bench_copy, &copy };

	if (!c)
		return 1;
	build(c);
	copy = (struct bench_copy){ c->in, c->work, c->len };
	/* The stream must be what it stands for: eight messages. */
	if (scan_stream(c) || c->messages != MESSAGES) {
		fprintf(stderr, "mmp bench: the stream did not scan as built\n");
		return 1;
	}
	if (bench_compare("mmp: framing and checking 8 client messages vs memcpy",
			  &ours, &peer, ROUNDS, ROUND_MS) < 0)
		return 1;
	free(c);
	return 0;
}
