// SPDX-License-Identifier: GPL-2.0
/*
 * The SCCP core per message, against memcpy() of the same bytes: the
 * least any helper that hands a message on must do. The stream is what a
 * phone behind a NAT and its call manager exchange for one call's media
 * at header version 0x11: OpenReceiveChannel with its key info,
 * OpenReceiveChannelAck, StartMediaTransmission with its key info,
 * StartMediaTransmissionAck, as the glue sees them: every message is
 * framed, parsed, its address fields rewritten in place (the phone's
 * private address and port become the router's), and its key wiped.
 *
 * One operation is the four messages; the rates are printed per
 * operation, so messages per second are four times the figure shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "ucp_sccp.h"

#define ROUNDS		9
#define ROUND_MS	150

struct ctx {
	u8 in[1024];
	u8 work[1024];
	size_t len;
	struct ucp_sccp_msg m;
	unsigned long rewritten;
};

static void put32(struct ctx *c, u32 v)
{
	memcpy(c->in + c->len, &(u32){ v }, 4);	/* little endian host */
	c->len += 4;
}

static void put_addr(struct ctx *c, const u8 *a)
{
	put32(c, UCP_SCCP_IPADDR_V4);
	memset(c->in + c->len, 0, 16);
	memcpy(c->in + c->len, a, 4);
	c->len += 16;
}

static void put_key(struct ctx *c)
{
	put32(c, UCP_SCCP_ALG_AES_CM_128_SHA1_80);
	put32(c, 16 | 14 << 16);
	memset(c->in + c->len, 0x5a, 32);
	c->len += 32;
	put32(c, 0);
	put32(c, 0);
}

/* Start a message; returns where its length goes. */
static size_t start(struct ctx *c, u32 id)
{
	size_t at = c->len;

	c->len += 4;
	put32(c, UCP_SCCP_V17);
	put32(c, id);
	return at;
}

static void finish(struct ctx *c, size_t at)
{
	u32 l = c->len - at - UCP_SCCP_PREFIX_LEN;

	memcpy(c->in + at, &l, 4);
}

static const u8 phone[4] = { 10, 0, 1, 2 }, router[4] = { 192, 0, 2, 1 };
static const u8 remote[4] = { 198, 51, 100, 7 };

static void build(struct ctx *c)
{
	size_t at;
	int i;

	at = start(c, UCP_SCCP_OPEN_RECEIVE_CHANNEL);
	for (i = 0; i < 7; i++)
		put32(c, i);
	put_key(c);
	for (i = 0; i < 6; i++)
		put32(c, 0);
	put_addr(c, remote);
	put32(c, 30000);
	put32(c, 0);
	put32(c, 0);
	finish(c, at);

	at = start(c, UCP_SCCP_OPEN_RECEIVE_CHANNEL_ACK);
	put32(c, 0);
	put_addr(c, phone);
	put32(c, 20000);
	put32(c, 42);
	put32(c, 77);
	finish(c, at);

	at = start(c, UCP_SCCP_START_MEDIA_TRANSMISSION);
	put32(c, 1);
	put32(c, 42);
	put_addr(c, remote);
	put32(c, 30000);
	for (i = 0; i < 7; i++)
		put32(c, 0);
	put32(c, 77);
	put_key(c);
	for (i = 0; i < 6; i++)
		put32(c, 0);
	finish(c, at);

	at = start(c, UCP_SCCP_START_MEDIA_TRANSMISSION_ACK);
	put32(c, 1);
	put32(c, 42);
	put32(c, 77);
	put_addr(c, phone);
	put32(c, 20000);
	put32(c, 0);
	finish(c, at);
}

/* The NAT's map: the phone's address and port become the router's. */
static bool map(void *ctx, const struct ucp_sccp_msg *m,
		const struct ucp_sccp_field *f, struct ucp_sccp_addr *addr,
		u16 *port)
{
	if (!ctx || !m || addr->family != 4 || memcmp(addr->a, phone, 4))
		return false;
	memcpy(addr->a, router, 4);
	if (f->port_off)
		*port = 40000;
	return true;
}

static int nat_stream(void *p)
{
	struct ctx *c = p;
	size_t off = 0, n;
	int ret;

	/* The copy stands for the packet the helper gets, rewritten in place. */
	memcpy(c->work, c->in, c->len);
	while (off < c->len) {
		if (ucp_sccp_frame(c->work + off, c->len - off, &n))
			return 1;
		if (ucp_sccp_parse(&c->m, c->work + off, n))
			return 1;
		ret = ucp_sccp_rewrite(&c->m, c->work + off, n, map, c);
		ucp_sccp_msg_wipe(&c->m);
		if (ret < 0)
			return 1;
		c->rewritten += ret;
		off += n;
	}
	bench_keep(c->work);
	return 0;
}

int main(void)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct bench_case ours = { "frame+parse+rewrite", nat_stream, c };
	struct bench_copy copy;
	struct bench_case peer = { "memcpy", bench_copy, &copy };

	if (!c)
		return 1;
	build(c);
	copy = (struct bench_copy){ c->in, c->work, c->len };
	/* The stream must do what it stands for: two fields change. */
	if (nat_stream(c) || c->rewritten != 2) {
		fprintf(stderr, "sccp bench: the stream did not rewrite as built\n");
		return 1;
	}
	if (bench_compare("sccp: NAT rewrite of a call's 4 media messages vs memcpy",
			  &ours, &peer, ROUNDS, ROUND_MS) < 0)
		return 1;
	free(c);
	return 0;
}
