/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the SIP core (ucp_sip.c) and the SDP core (ucp_sdp.c); not
 * part of the API (ucp_sip.h).
 *
 * Positions are unsigned int offsets into the message, which is at most
 * UCP_SIP_MAX_MSG bytes; a span [s, e) never leaves [0, len).
 * Internal functions return 0 or a positive enum ucp_sip_reason.
 */
#ifndef _UCP_SIP_INT_H
#define _UCP_SIP_INT_H

#include "ucp_core.h"
#include "ucp_sip.h"

static inline bool ucp_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool ucp_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool ucp_is_alnum(char c)
{
	return ucp_is_alpha(c) || ucp_is_digit(c);
}

/* SP or HTAB. */
static inline bool ucp_is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Linear white space inside a header value: the header iterator only lets
 * CR and LF into a value as part of a fold (CRLF or LF, then SP or HTAB).
 */
static inline bool ucp_is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline char ucp_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* RFC 3261 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" */
static inline bool ucp_is_token(char c)
{
	if (ucp_is_alnum(c))
		return true;
	switch (c) {
	case '-': case '.': case '!': case '%': case '*':
	case '_': case '+': case '`': case '\'': case '~':
		return true;
	}
	return false;
}

/* A host name character (RFC 3261 hostname, plus "_" seen in the wild). */
static inline bool ucp_is_hostc(char c)
{
	return ucp_is_alnum(c) || c == '-' || c == '.' || c == '_';
}

/* [s, s + len) equals the lower-case @lit, ignoring ASCII case. */
static inline bool ucp_ieq(const char *s, unsigned int len, const char *lit,
			   unsigned int lit_len)
{
	unsigned int i;

	if (len != lit_len)
		return false;
	for (i = 0; i < len; i++)
		if (ucp_lower(s[i]) != lit[i])
			return false;
	return true;
}

#define UCP_IEQ(s, len, lit) ucp_ieq(s, len, lit, sizeof(lit) - 1)
#define UCP_EQ(s, len, lit) \
	((len) == sizeof(lit) - 1 && !memcmp(s, lit, sizeof(lit) - 1))

/* Defined in ucp_sip_lex.c: IP literals, numbers, tokens. */
int ucp_sip_ip4(const char *s, unsigned int len, u8 *a);
int ucp_sip_ip6(const char *s, unsigned int len, u8 *a);
unsigned int ucp_fmt_u(char *s, u32 v);
struct ucp_sip_token *ucp_sip_new_token(struct ucp_sip_msg *m, u8 kind);

/* Defined in ucp_sdp.c. */
int ucp_sdp_parse(struct ucp_sip_msg *m, const char *b, unsigned int off,
		  unsigned int end);

#endif /* _UCP_SIP_INT_H */
