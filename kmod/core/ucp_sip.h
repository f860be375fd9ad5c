/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP and SDP: framing, parsing and rewriting (pure core).
 *
 * The parser never writes to the message and never reads outside
 * [buf, buf + len). It records what the NAT glue needs: the method or
 * status, the dialog keys, and every embedded address ("token") with the
 * span of its text, so that a rewrite is a single pass copying the
 * message with some spans replaced. Every rejection is a reason with a
 * stable name, counted by the glue.
 *
 * Offsets are u16: a message is at most UCP_SIP_MAX_MSG bytes.
 */
#ifndef _UCP_SIP_H
#define _UCP_SIP_H

#include <linux/ucproxy.h>	/* enum ucp_srtp_suite */

#include "ucp_core.h"

#define UCP_SIP_MAX_MSG		16384	/* bytes, start line to end of body */
/*
 * Room for a rewritten message: every token may grow to "[v6]:port".
 * Here, not in the glue, because the TLS agent sizes its buffers by it.
 */
#define UCP_SIP_OUT_MAX		(UCP_SIP_MAX_MSG + 4096)
#define UCP_SIP_MAX_TOKENS	96	/* embedded addresses and SDP spans */
#define UCP_SDP_MAX_MEDIA	8	/* m= lines */
#define UCP_SDP_MAX_CRYPTO	4	/* a=crypto lines per m= line */
#define UCP_SDP_MAX_KEY		46	/* master key + salt, AES-256: 32 + 14 */
#define UCP_SDP_MAX_MKI		4	/* MKI length in bytes */

/* Outcome of framing, parsing and rewriting: 0 or a reason to reject. */
enum ucp_sip_reason {
	UCP_SIP_OK = 0,
	UCP_SIP_E_INCOMPLETE,	/* framing: more bytes needed (not an error) */
	UCP_SIP_E_TOO_LARGE,	/* over UCP_SIP_MAX_MSG */
	UCP_SIP_E_START_LINE,	/* request or status line */
	UCP_SIP_E_HEADER,	/* header line: no colon, bad name, bad fold */
	UCP_SIP_E_CONTENT_LENGTH, /* missing on a stream, invalid, too long */
	UCP_SIP_E_URI,		/* a URI or Via sent-by that cannot be parsed */
	UCP_SIP_E_ADDRESS,	/* an IP literal that is not a valid address */
	UCP_SIP_E_TOO_MANY,	/* tokens, media or crypto lines over bounds */
	UCP_SIP_E_SDP,		/* SDP line order or syntax */
	UCP_SIP_E_CRYPTO,	/* a=crypto attribute (RFC 4568) */
	UCP_SIP_E_NOSPACE,	/* rewrite: output buffer too small */
	UCP_SIP_REASON_COUNT
};

const char *ucp_sip_reason_name(unsigned int reason);

enum ucp_sip_method {
	UCP_SIP_M_OTHER = 0,	/* a valid token we do not act on */
	UCP_SIP_M_INVITE,
	UCP_SIP_M_ACK,
	UCP_SIP_M_BYE,
	UCP_SIP_M_CANCEL,
	UCP_SIP_M_REGISTER,
	UCP_SIP_M_OPTIONS,
	UCP_SIP_M_UPDATE,
	UCP_SIP_M_PRACK,
	UCP_SIP_M_INFO,
	UCP_SIP_M_SUBSCRIBE,
	UCP_SIP_M_NOTIFY,
	UCP_SIP_M_REFER,
	UCP_SIP_M_MESSAGE,
	UCP_SIP_M_PUBLISH,
};

struct ucp_span {
	u16 off;
	u16 len;
};

/* An address as written in the message. */
struct ucp_sip_addr {
	u8 family;		/* 4, 6, or 0: a host name, not an IP literal */
	u8 a[16];		/* network order; IPv4 in the first 4 bytes */
};

enum ucp_sip_token_kind {
	UCP_TOK_REQUEST_URI,
	UCP_TOK_FROM,
	UCP_TOK_TO,
	UCP_TOK_VIA,		/* sent-by host and port */
	UCP_TOK_VIA_RECEIVED,	/* ;received= (host only) */
	UCP_TOK_VIA_RPORT,	/* ;rport=N (port only; bare ;rport is none) */
	UCP_TOK_CONTACT,
	UCP_TOK_RECORD_ROUTE,
	UCP_TOK_ROUTE,
	UCP_TOK_SDP_ORIGIN,	/* o= unicast address */
	UCP_TOK_SDP_CONN,	/* session-level c= */
	UCP_TOK_SDP_MEDIA_CONN,	/* media-level c= (token.media says which) */
	UCP_TOK_SDP_MEDIA_PORT,	/* m= port (port only) */
	UCP_TOK_SDP_RTCP,	/* a=rtcp: port, and address when present */
	/*
	 * Spans the media glue may replace with text of its own
	 * (ucp_sip_subst.text): the proto of an m= line ("RTP/SAVP"), a
	 * whole a=crypto line with its line ending, and the empty span at
	 * the end of a media description, where a line can be added.
	 */
	UCP_TOK_SDP_PROTO,
	UCP_TOK_SDP_CRYPTO,	/* token.index: the media's crypto[] entry */
	UCP_TOK_SDP_MEDIA_END,
	UCP_TOK_KIND_COUNT
};

/* What a token of a kind is, as ucp_sip_kind_flags() says. */
#define UCP_KIND_ADDR		0x01	/* a host, ucp_sip_subst.addr's */
#define UCP_KIND_PORT		0x02	/* a port, ucp_sip_subst.port's */
#define UCP_KIND_URI		0x04	/* in a URI or a Via sent-by */
#define UCP_KIND_SDP_ADDR	0x08	/* after SDP's "IP4 " or "IP6 " */
#define UCP_KIND_TEXT		0x10	/* a span ucp_sip_subst.text replaces */

unsigned int ucp_sip_kind_flags(u8 kind);

/*
 * One embedded address. @host is the address text without IPv6 brackets
 * (len 0 for port-only tokens); @port_span the digits of the port, len 0
 * when the port is absent, in which case its off is where ":port" would be
 * inserted (right after the host or its closing bracket). @bracketed: the
 * host is written as [v6] (URIs, Via); SDP writes IPv6 bare.
 */
/* Token flags: how a line added at a UCP_TOK_SDP_MEDIA_END must look. */
#define UCP_TOKF_CRLF		0x1	/* the body's lines end in CRLF */
#define UCP_TOKF_EOL_FIRST	0x2	/* the last line has no line ending */

struct ucp_sip_token {
	u8 kind;		/* enum ucp_sip_token_kind */
	u8 media;		/* SDP tokens: index into ucp_sdp.media */
	u8 bracketed;
	u8 via_index;		/* Via tokens: 0 for the topmost Via value */
	u8 index;		/* UCP_TOK_SDP_CRYPTO: which crypto[] entry */
	u8 flags;		/* UCP_TOKF_* */
	struct ucp_sip_addr addr;
	u16 port;		/* 0 when absent */
	struct ucp_span host;
	struct ucp_span port_span;
};

enum ucp_sdp_media_type {
	UCP_SDP_AUDIO,
	UCP_SDP_VIDEO,
	UCP_SDP_IMAGE,
	UCP_SDP_OTHER,		/* application, text, message, unknown */
};

/* A valid SRTP suite name that ucproxy does not implement. */
#define UCP_SUITE_UNKNOWN	0xff

/*
 * One a=crypto line (RFC 4568) with its first key (inline:...). Secret:
 * whoever holds a parsed message wipes it (ucp_sip_msg_wipe()).
 */
struct ucp_sdp_crypto {
	u32 tag;
	u8 suite;		/* enum ucp_srtp_suite, or UCP_SUITE_UNKNOWN */
	u8 key_len;		/* decoded master key + salt bytes */
	u8 mki_len;		/* 0: no MKI */
	u8 lifetime_log2;	/* 0: no lifetime given; else 2^n packets */
	u64 lifetime;		/* packets; 0 when absent */
	u32 mki;		/* MKI value (decimal in the SDP) */
	u8 key[UCP_SDP_MAX_KEY];
	u8 unencrypted_srtp:1, unencrypted_srtcp:1, unauthenticated_srtp:1;
	u8 kdr;			/* KDR=n, 0 when absent */
	struct ucp_span line;	/* the attribute value after "a=crypto:" */
};

struct ucp_sdp_media {
	u8 type;		/* enum ucp_sdp_media_type */
	u8 nports;		/* m=<media> <port>/<n>, 1 when absent */
	u8 secure;		/* proto RTP/SAVP or RTP/SAVPF */
	u8 feedback;		/* proto RTP/AVPF or RTP/SAVPF */
	u8 rtp;			/* proto RTP/AVP, RTP/AVPF, RTP/SAVP(F) */
	u8 rtcp_mux;		/* a=rtcp-mux */
	u8 has_rtcp;		/* a=rtcp:<port> [IN IP4 addr] */
	u8 ncrypto;
	u16 port;		/* 0: stream rejected or disabled */
	u16 rtcp_port;
	struct ucp_sip_addr conn;	/* media c=, else session c= */
	struct ucp_sip_addr rtcp_addr;	/* family 0 when a=rtcp has none */
	struct ucp_sdp_crypto crypto[UCP_SDP_MAX_CRYPTO];
};

struct ucp_sdp {
	struct ucp_sip_addr origin;
	struct ucp_sip_addr conn;	/* session-level c=, family 0 if none */
	u8 nmedia;
	struct ucp_sdp_media media[UCP_SDP_MAX_MEDIA];
};

struct ucp_sip_msg {
	u8 is_request;
	u8 method;		/* request method, or CSeq method of a response */
	u16 status;		/* responses: 100..699 */
	u32 cseq;
	u32 expires;		/* Expires header or Contact ;expires=, 0 none */
	struct ucp_span call_id;
	struct ucp_span content_length;	/* the value digits; len 0 if absent */
	struct ucp_span body;
	u16 len;		/* whole message, start line to end of body */
	u8 has_sdp;		/* body is application/sdp and was parsed */
	u8 ntokens;
	struct ucp_sip_token tok[UCP_SIP_MAX_TOKENS];
	struct ucp_sdp sdp;
};

/* Framing, parsing, and wiping what a parse kept of the keys. */
int ucp_sip_frame(const char *buf, size_t len, bool stream, size_t *skip,
		  size_t *msg_len);
int ucp_sip_parse(struct ucp_sip_msg *m, const char *buf, size_t len);
void ucp_sip_msg_wipe(struct ucp_sip_msg *m);

/*
 * What to write for one token; set == 0 keeps the token as it is. A text
 * token (proto, crypto, media end) changes only when @text is not NULL:
 * its whole span becomes the @text_len bytes at @text (0: deleted). The
 * caller keeps @text alive until the rewrite.
 */
struct ucp_sip_subst {
	u8 set;
	struct ucp_sip_addr addr;	/* family 0: keep the host text */
	u16 port;			/* 0: keep the port text */
	u16 text_len;
	const char *text;
};

int ucp_sip_rewrite(const struct ucp_sip_msg *m, const char *in,
		    const struct ucp_sip_subst *subst, char *out,
		    size_t out_size, size_t *out_len);

/* What the media glue writes into SDP: an m= line's proto, a=crypto lines. */
const char *ucp_sdp_proto_name(bool secure, bool feedback);

/*
 * Longest a=crypto line ucp_sdp_crypto_line() writes: "a=crypto:" tag
 * (9 digits) SP suite (23) SP "inline:" key (46 bytes in base64: 64),
 * and up to two line endings.
 */
#define UCP_SDP_CRYPTO_LINE_MAX	128

unsigned int ucp_sdp_crypto_line(char *buf, u32 tag, u8 suite, const u8 *key,
				 u8 flags);
unsigned int ucp_sdp_suite_key_len(u8 suite);

#endif /* _UCP_SIP_H */
