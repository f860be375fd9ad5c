// SPDX-License-Identifier: GPL-2.0
/*
 * The SIP core per message, against memcpy() of the same bytes: the least
 * any helper that hands a message on must do. The message is a phone's
 * INVITE from behind a NAT (Via, Contact, From with the private address,
 * SDP audio and video with a=rtcp and a=crypto), rewritten as the glue
 * would: the private address becomes the public one wherever a token
 * carries it, the Via and Contact ports and the media ports change, and
 * Content-Length follows the body.
 *
 *   frame+parse+rewrite  what the helper does per message: ucp_sip_frame(),
 *                        ucp_sip_parse(), pick the substitutions,
 *                        ucp_sip_rewrite(), ucp_sip_msg_wipe()
 *   parse                ucp_sip_parse() and the wipe alone
 *   rewrite              ucp_sip_rewrite() of an already parsed message
 *
 * One operation is one message, so the rates are messages per second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "ucp_sip.h"

#define ROUNDS		9
#define ROUND_MS	150

#define CRLF "\r\n"

static const char invite_head[] =
	"INVITE sip:2001@cucm.example.com:5060 SIP/2.0" CRLF
	"Via: SIP/2.0/UDP 192.168.1.23:5060;branch=z9hG4bK6c2d1a2f;rport" CRLF
	"From: \"Alice Anders\" <sip:1001@192.168.1.23>;tag=a1b2c3d4-e5f6" CRLF
	"To: <sip:2001@cucm.example.com>" CRLF
	"Call-ID: 0a1b2c3d-4e5f6071-8293a4b5-c6d7e8f9@192.168.1.23" CRLF
	"Max-Forwards: 70" CRLF
	"CSeq: 101 INVITE" CRLF
	"User-Agent: Cisco-CP8865/14.2.1" CRLF
	"Contact: <sip:1001@192.168.1.23:5060>;+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-00aabbccddee>\"" CRLF
	"Expires: 180" CRLF
	"Allow: ACK,BYE,CANCEL,INVITE,NOTIFY,OPTIONS,REFER,REGISTER,UPDATE,SUBSCRIBE,INFO" CRLF
	"Supported: replaces,join,sdp-anat,norefersub,resource-priority,extended-refer" CRLF
	"Allow-Events: kpml,dialog" CRLF
	"Content-Type: application/sdp" CRLF;

static const char invite_body[] =
	"v=0" CRLF
	"o=CiscoSystemsSIP-GW-UserAgent 4711 1 IN IP4 192.168.1.23" CRLF
	"s=SIP Call" CRLF
	"c=IN IP4 192.168.1.23" CRLF
	"t=0 0" CRLF
	"m=audio 16384 RTP/SAVP 0 8 18 101" CRLF
	"a=rtpmap:0 PCMU/8000" CRLF
	"a=rtpmap:101 telephone-event/8000" CRLF
	"a=fmtp:101 0-15" CRLF
	"a=rtcp:16385 IN IP4 192.168.1.23" CRLF
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WF2rxT1AbWVhjAAyKwiHuMd8Ua2ZwxXNI7OVIQDv|2^31|1:4" CRLF
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:KNYCimYr5wYX2MgzhdJDvlrd3CadynPQ3aUIY/TD|2^20" CRLF
	"a=sendrecv" CRLF
	"m=video 16386 RTP/SAVP 126" CRLF
	"a=rtpmap:126 H264/90000" CRLF
	"a=fmtp:126 profile-level-id=42801E;packetization-mode=1" CRLF
	"a=rtcp-mux" CRLF
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:OJjubz1URZGOSjDPd+OQZ0BGUdge0Tap/CjnGQAB|2^31" CRLF;

struct ctx {
	char *msg;
	size_t len;
	char *out;
	size_t out_size;
	struct ucp_sip_msg m;
	struct ucp_sip_subst subst[UCP_SIP_MAX_TOKENS];
};

static const u8 private_ip[4] = { 192, 168, 1, 23 };
static const u8 public_ip[4] = { 203, 0, 113, 10 };

/* The glue's choice, in short: the private address and its ports move. */
static void nat_subst(struct ctx *c)
{
	unsigned int i;

	memset(c->subst, 0, sizeof(c->subst[0]) * c->m.ntokens);
	for (i = 0; i < c->m.ntokens; i++) {
		const struct ucp_sip_token *t = &c->m.tok[i];
		struct ucp_sip_subst *s = &c->subst[i];

		if (t->kind == UCP_TOK_SDP_MEDIA_PORT) {
			s->set = 1;
			s->port = 30000 + 2 * t->media;
			continue;
		}
		if (t->addr.family != 4 || memcmp(t->addr.a, private_ip, 4))
			continue;
		s->set = 1;
		s->addr.family = 4;
		memcpy(s->addr.a, public_ip, 4);
		if (t->kind == UCP_TOK_VIA || t->kind == UCP_TOK_CONTACT)
			s->port = 40123;
		else if (t->kind == UCP_TOK_SDP_RTCP)
			s->port = 30001;
	}
}

static int full(void *p)
{
	struct ctx *c = p;
	size_t skip, msg_len, out_len;

	if (ucp_sip_frame(c->msg, c->len, false, &skip, &msg_len) ||
	    ucp_sip_parse(&c->m, c->msg + skip, msg_len))
		return 1;
	nat_subst(c);
	if (ucp_sip_rewrite(&c->m, c->msg + skip, c->subst, c->out, c->out_size,
			    &out_len))
		return 1;
	ucp_sip_msg_wipe(&c->m);
	bench_keep(c->out);
	return 0;
}

static int parse_only(void *p)
{
	struct ctx *c = p;

	if (ucp_sip_parse(&c->m, c->msg, c->len))
		return 1;
	ucp_sip_msg_wipe(&c->m);
	bench_keep(&c->m);
	return 0;
}

static int rewrite_only(void *p)
{
	struct ctx *c = p;
	size_t out_len;

	if (ucp_sip_rewrite(&c->m, c->msg, c->subst, c->out, c->out_size,
			    &out_len))
		return 1;
	bench_keep(c->out);
	return 0;
}

static int copy(void *p)
{
	struct ctx *c = p;

	memcpy(c->out, c->msg, c->len);
	bench_keep(c->out);
	return 0;
}

int main(void)
{
	struct ctx *c = calloc(1, sizeof(*c));
	size_t head = sizeof(invite_head) - 1, body = sizeof(invite_body) - 1;
	size_t out_len;
	int n;

	if (!c)
		return 1;
	c->len = head + body + 32;
	c->msg = malloc(c->len);
	c->out_size = 2 * UCP_SIP_MAX_MSG;
	c->out = malloc(c->out_size);
	if (!c->msg || !c->out)
		return 1;
	n = snprintf(c->msg, c->len, "%sContent-Length: %zu\r\n\r\n%s",
		     invite_head, body, invite_body);
	c->len = n;

	/* Check the case before timing it: parsed, rewritten, parsed again. */
	if (ucp_sip_parse(&c->m, c->msg, c->len)) {
		fprintf(stderr, "sip_bench: the INVITE does not parse\n");
		return 1;
	}
	nat_subst(c);
	if (ucp_sip_rewrite(&c->m, c->msg, c->subst, c->out, c->out_size,
			    &out_len)) {
		fprintf(stderr, "sip_bench: the INVITE does not rewrite\n");
		return 1;
	}
	{
		struct ucp_sip_msg *m2 = calloc(1, sizeof(*m2));
		char *again = malloc(out_len);

		if (!m2 || !again)
			return 1;
		memcpy(again, c->out, out_len);
		if (ucp_sip_parse(m2, again, out_len) || m2->ntokens != c->m.ntokens) {
			fprintf(stderr, "sip_bench: the rewritten INVITE does not parse\n");
			return 1;
		}
		ucp_sip_msg_wipe(m2);
		free(m2);
		free(again);
	}
	printf("SIP: one operation is one INVITE with SDP, %zu bytes (%u tokens, "
	       "%zu bytes rewritten); rates are messages/s\n", c->len,
	       c->m.ntokens, out_len);

	{
		const struct bench_case ours = { "frame+parse+rewrite (ucproxy)",
						 full, c };
		const struct bench_case parse = { "parse (ucproxy)", parse_only, c };
		const struct bench_case rewrite = { "rewrite (ucproxy)",
						    rewrite_only, c };
		const struct bench_case peer = { "memcpy", copy, c };

		if (bench_compare("sip: NAT rewrite of an INVITE vs memcpy", &ours,
				  &peer, ROUNDS, ROUND_MS) < 0)
			return 1;
		if (bench_compare("sip: parse alone vs memcpy", &parse, &peer,
				  ROUNDS, ROUND_MS) < 0)
			return 1;
		/* rewrite_only needs the parse and substitutions left in c. */
		if (ucp_sip_parse(&c->m, c->msg, c->len))
			return 1;
		nat_subst(c);
		if (bench_compare("sip: rewrite alone vs memcpy", &rewrite, &peer,
				  ROUNDS, ROUND_MS) < 0)
			return 1;
	}
	ucp_sip_msg_wipe(&c->m);
	free(c->msg);
	free(c->out);
	free(c);
	return 0;
}
