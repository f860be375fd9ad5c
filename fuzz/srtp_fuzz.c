// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the SRTP core (kmod/core/ucp_srtp.c) on the OpenSSL
 * backend: arbitrary packets to unprotect (SRTP and SRTCP) and protect
 * (RTP and RTCP) for every suite, with and without an MKI, and a round
 * trip that must give back what went in.
 *
 * Input: byte 0 picks the suite (% 6), byte 1 the operation (% 7) and the
 * MKI (bit 7); byte 2 a position to corrupt in the round trip; the rest is
 * the packet. The sequence operation instead reads up to 16 packets
 * (length byte, kind byte, bytes), protects them in turn, and delivers
 * them in the order (and with the repetitions) the bytes after them say:
 * every packet accepted must come back as it was sent, none twice, and
 * every SRTCP packet not replayed is accepted. Each packet sits alone in a heap buffer of exactly its
 * length (plus the room protect is promised), so ASan sees any overrun.
 * The contexts live across inputs; their SSRC state is reset for each, so
 * an input replays the same way every time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucp_srtp.h"

#define MAX_PKT	4096

enum op {
	OP_UNPROTECT_RTP,
	OP_UNPROTECT_RTCP,
	OP_PROTECT_RTP,
	OP_PROTECT_RTCP,
	OP_ROUND_TRIP_RTP,
	OP_ROUND_TRIP_RTCP,
	OP_SEQUENCE,
	OP_COUNT,
};

static struct ucp_srtp *tx[UCP_SRTP_SUITE_COUNT][2];
static struct ucp_srtp *rx[UCP_SRTP_SUITE_COUNT][2];

static struct ucp_srtp *new_ctx(enum ucp_srtp_profile suite, bool mki)
{
	static const u8 key[32] = "0123456789abcdef0123456789abcdef";
	static const u8 salt[14] = "saltsaltsalt!!";
	static const u8 mki_id[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct ucp_srtp_params p = {
		.suite = suite, .master_key = key, .master_salt = salt,
		.mki = mki_id, .mki_len = mki ? sizeof(mki_id) : 0,
	};
	struct ucp_srtp *s = calloc(1, sizeof(*s));

	if (!s || ucp_srtp_init(s, &p))
		abort();
	return s;
}

static void reset(struct ucp_srtp *s)
{
	memset(s->ssrcs, 0, sizeof(s->ssrcs));
	s->nssrcs = 0;
}

static void round_trip(struct ucp_srtp *t, struct ucp_srtp *r, bool rtcp,
		       const u8 *data, size_t len, u8 corrupt)
{
	unsigned int room = len + UCP_SRTP_MAX_TRAILER, out, back;
	enum ucp_srtp_status st;
	u8 *pkt = malloc(room);

	if (!pkt)
		abort();
	memcpy(pkt, data, len);
	st = rtcp ? ucp_srtcp_protect(t, pkt, len, room, &out) :
		ucp_srtp_protect(t, pkt, len, room, &out);
	if (st) {
		free(pkt);
		return;
	}
	if (out != len + (rtcp ? ucp_srtp_rtcp_overhead(t) :
			  ucp_srtp_rtp_overhead(t)))
		abort();
	/* Odd @corrupt: flip one bit; the result must not be accepted. */
	if (corrupt & 1)
		pkt[(corrupt >> 1) % out] ^= 1 << (corrupt % 8);
	st = rtcp ? ucp_srtcp_unprotect(r, pkt, out, &back) :
		ucp_srtp_unprotect(r, pkt, out, &back);
	if (corrupt & 1) {
		if (st == UCP_SRTP_OK) {
			fprintf(stderr, "corrupted packet accepted\n");
			abort();
		}
	} else if (st != UCP_SRTP_OK || back != len ||
		   memcmp(pkt, data, len)) {
		fprintf(stderr, "round trip failed: %s\n",
			ucp_srtp_status_name(st));
		abort();
	}
	free(pkt);
}

#define SEQ_MAX	16

static void sequence(struct ucp_srtp *t, struct ucp_srtp *r, const u8 *data,
		     size_t size)
{
	static u8 plain[SEQ_MAX][256], sent[SEQ_MAX][256 + UCP_SRTP_MAX_TRAILER];
	unsigned int plen[SEQ_MAX], slen[SEQ_MAX], n = 0, i, out;
	bool rtcp[SEQ_MAX], accepted[SEQ_MAX] = { false };
	enum ucp_srtp_status st;
	u8 *pkt;

	while (n < SEQ_MAX && size >= 2 && size - 2 >= data[0]) {
		plen[n] = data[0];
		rtcp[n] = data[1] & 1;
		memcpy(plain[n], data + 2, plen[n]);
		memcpy(sent[n], data + 2, plen[n]);
		data += 2 + plen[n];
		size -= 2 + plen[n];
		st = rtcp[n] ?
			ucp_srtcp_protect(t, sent[n], plen[n], sizeof(sent[n]),
					  &slen[n]) :
			ucp_srtp_protect(t, sent[n], plen[n], sizeof(sent[n]),
					 &slen[n]);
		if (st == UCP_SRTP_OK)
			n++;
	}
	if (!n)
		return;
	for (; size; data++, size--) {
		i = *data % n;
		pkt = malloc(slen[i]);
		if (!pkt)
			abort();
		memcpy(pkt, sent[i], slen[i]);
		st = rtcp[i] ? ucp_srtcp_unprotect(r, pkt, slen[i], &out) :
			ucp_srtp_unprotect(r, pkt, slen[i], &out);
		if (st == UCP_SRTP_OK) {
			if (accepted[i] || out != plen[i] ||
			    memcmp(pkt, plain[i], out)) {
				fprintf(stderr, "packet %u: %s\n", i,
					accepted[i] ? "accepted twice" :
					"not what was sent");
				abort();
			}
			accepted[i] = true;
		} else if (st != UCP_SRTP_REPLAY && st != UCP_SRTP_TOO_OLD &&
			   st != UCP_SRTP_SSRC_LIMIT &&
			   (rtcp[i] || st != UCP_SRTP_AUTH_FAIL)) {
			/*
			 * RTP may fail authentication: delivered in another
			 * order than sent, a receiver can rightly estimate
			 * another rollover counter than the sender used
			 * (RFC 3711 3.3.1). SRTCP carries its index.
			 */
			fprintf(stderr, "packet %u: %s\n", i,
				ucp_srtp_status_name(st));
			abort();
		}
		free(pkt);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum ucp_srtp_profile suite;
	struct ucp_srtp *t, *r;
	unsigned int out, room;
	enum op op;
	bool mki;
	u8 *pkt;

	if (size < 3 || size - 3 > MAX_PKT)
		return 0;
	suite = data[0] % UCP_SRTP_SUITE_COUNT;
	op = (data[1] & 0x7f) % OP_COUNT;
	mki = data[1] & 0x80;
	if (!tx[suite][mki]) {
		tx[suite][mki] = new_ctx(suite, mki);
		rx[suite][mki] = new_ctx(suite, mki);
	}
	t = tx[suite][mki];
	r = rx[suite][mki];
	reset(t);
	reset(r);
	if (op == OP_SEQUENCE) {
		sequence(t, r, data + 2, size - 2);
		return 0;
	}
	if (op == OP_ROUND_TRIP_RTP || op == OP_ROUND_TRIP_RTCP) {
		round_trip(t, r, op == OP_ROUND_TRIP_RTCP, data + 3, size - 3,
			   data[2]);
		return 0;
	}
	size -= 3;
	room = size + (op == OP_PROTECT_RTP || op == OP_PROTECT_RTCP ?
		       UCP_SRTP_MAX_TRAILER : 0);
	pkt = malloc(room ? room : 1);
	if (!pkt)
		abort();
	memcpy(pkt, data + 3, size);
	switch (op) {
	case OP_UNPROTECT_RTP:
		if (!ucp_srtp_unprotect(r, pkt, size, &out) && out > size)
			abort();
		break;
	case OP_UNPROTECT_RTCP:
		if (!ucp_srtcp_unprotect(r, pkt, size, &out) && out > size)
			abort();
		break;
	case OP_PROTECT_RTP:
		if (!ucp_srtp_protect(t, pkt, size, room, &out) && out > room)
			abort();
		break;
	default:
		if (!ucp_srtcp_protect(t, pkt, size, room, &out) && out > room)
			abort();
		break;
	}
	free(pkt);
	return 0;
}
