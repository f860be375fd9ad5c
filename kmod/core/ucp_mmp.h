/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MMP (Mobile Multiplexing Protocol, between the Cisco UMC client and the
 * UMA server): framing and checking (pure core).
 *
 * No full specification of MMP is public. What is public, and all this
 * core enforces (Documentation/mobility.md says why each choice was made):
 *
 *   message      header block, then a body of Content-Length bytes
 *   header block header lines, then an empty line; every line ends with
 *                LF or CR LF
 *   header line  Name: value  - a name of token characters, a colon, one
 *                space, a value of printable bytes (tab, UTF-8 allowed);
 *                names are case-insensitive
 *   framing      exactly one Content-Length (decimal digits) per message
 *   caps         client to server: the header block and the content length
 *                each at most a configured cap (default 4096); either way
 *                a message at most UCP_MMP_MAX_MSG
 *
 * The body (OML or HTTP on top of MMP) is not looked into.
 *
 * The scan works on a stream: given the first bytes of a message it says
 * "whole message of N bytes", "need more", or the reason the stream is
 * refused together with how many bytes decided it. Every decision depends
 * only on the bytes before that point, so the same scan of exactly those
 * bytes reaches the same verdict: the TLS agent frames with this core and
 * the kernel inspector re-checks what the agent hands it.
 *
 * Stricter rules (known header names, values, header order) go into
 * header_rule() and message_rule() of ucp_mmp.c, each with a reason of its
 * own appended to enum ucp_mmp_reason.
 */
#ifndef _UCP_MMP_H
#define _UCP_MMP_H

#include "ucp_core.h"

/* Longest message either way (the inspect command's message-max-len). */
#define UCP_MMP_MAX_MSG		16384
/* The documented caps, client to server. */
#define UCP_MMP_HEADER_MAX_DEFAULT	4096
#define UCP_MMP_CONTENT_MAX_DEFAULT	4096
/* Digits a Content-Length may have (leading zeros included). */
#define UCP_MMP_CL_DIGITS	10

/* Outcome of a scan: 0, more bytes needed, or a reason to refuse. */
enum ucp_mmp_reason {
	UCP_MMP_OK = 0,
	UCP_MMP_E_INCOMPLETE,		/* more bytes needed (not an error) */
	UCP_MMP_E_HEADER_TOO_LONG,	/* header block over the header cap */
	UCP_MMP_E_CONTENT_TOO_LONG,	/* Content-Length over the content cap */
	UCP_MMP_E_TOO_LARGE,		/* message over UCP_MMP_MAX_MSG */
	UCP_MMP_E_NO_SPACE,		/* no space after the colon */
	UCP_MMP_E_HEADER,		/* not a header line: garbage */
	UCP_MMP_E_CONTENT_LENGTH,	/* Content-Length not digits, or twice */
	UCP_MMP_E_NO_CONTENT_LENGTH,	/* header block without one */
	UCP_MMP_REASON_COUNT
};

const char *ucp_mmp_reason_name(unsigned int reason);

/*
 * Caps of one direction; 0: none but UCP_MMP_MAX_MSG (the server-to-client
 * direction, which the documentation does not cap).
 */
struct ucp_mmp_limits {
	u32 header_max;
	u32 content_max;
};

/* What a scan found. */
struct ucp_mmp_msg {
	u32 len;		/* OK: the whole message */
	u32 header_len;		/* the header block, its empty line included */
	u32 content_len;	/* the body */
	u32 headers;		/* header lines */
	/*
	 * A refusal: the bytes that decided it. The same scan of exactly
	 * these bytes gives the same reason.
	 */
	u32 decided;
};

/* One header line: offsets into the message. */
struct ucp_mmp_header {
	u32 name_off, name_len;
	u32 value_off, value_len;
};

int ucp_mmp_scan(const u8 *buf, size_t len, const struct ucp_mmp_limits *lim,
		 struct ucp_mmp_msg *m);
bool ucp_mmp_header_next(const u8 *buf, u32 header_len, u32 *pos,
			 struct ucp_mmp_header *h);
bool ucp_mmp_name_is(const u8 *buf, const struct ucp_mmp_header *h,
		     const char *name);

#endif /* _UCP_MMP_H */
