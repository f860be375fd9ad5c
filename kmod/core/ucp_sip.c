// SPDX-License-Identifier: GPL-2.0
/*
 * SIP framing, parsing and rewriting (pure core). The API is ucp_sip.h;
 * what is accepted, and why, is Documentation/sip.md. The SDP body is
 * ucp_sdp.c's; what both read with (IP literals, numbers, the token
 * table) is ucp_sip_lex.c's.
 *
 * Every function here is total over untrusted bytes: it reads only inside
 * [buf, buf + len), every loop moves forward over those bytes or over a
 * fixed table, nothing is allocated and nothing recurses. Internally a
 * reason travels as a positive enum ucp_sip_reason, 0 meaning success.
 */
#include "ucp_core.h"
#include "ucp_sip_int.h"
#include "ucp_spec.h"

/**
 * ucp_sip_reason_name() - the name of a SIP reason
 * @reason: an enum ucp_sip_reason
 *
 * Return: a short, stable name ("too_large") for counters, logs and
 * tests; "unknown" for a value that is no reason.
 */
const char *ucp_sip_reason_name(unsigned int reason)
{
	switch (reason) {
	case UCP_SIP_OK:
		return "ok";
	case UCP_SIP_E_INCOMPLETE:
		return "incomplete";
	}
	/* A refusal: named as its counter is, by the spec. */
	return ucp_spec_name(&ucp_spec_sip_bad,
			     reason - UCP_SIP_E_TOO_LARGE) ?: "unknown";
}

static unsigned int ucp_fmt_ip4(char *s, const u8 *a)
{
	unsigned int n = 0, i;

	for (i = 0; i < 4; i++) {
		if (i)
			s[n++] = '.';
		n += ucp_fmt_u(s + n, a[i]);
	}
	return n;
}

/* RFC 5952: lower case, no leading zeros, "::" for the longest run. */
static unsigned int ucp_fmt_ip6(char *s, const u8 *a)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int w[8], i, n = 0, best = 0, best_len = 0, run = 0;

	for (i = 0; i < 8; i++)
		w[i] = a[2 * i] << 8 | a[2 * i + 1];
	/* IPv4-mapped addresses keep their dotted tail (section 5). */
	if (!w[0] && !w[1] && !w[2] && !w[3] && !w[4] && w[5] == 0xffff) {
		memcpy(s, "::ffff:", 7);
		return 7 + ucp_fmt_ip4(s + 7, a + 12);
	}
	for (i = 0; i < 8; i++) {
		if (w[i]) {
			run = 0;
			continue;
		}
		run++;
		if (run > best_len) {
			best_len = run;
			best = i + 1 - run;
		}
	}
	if (best_len < 2)
		best_len = 0;
	for (i = 0; i < 8; i++) {
		int sh = 12;

		if (best_len && i == best) {
			s[n++] = ':';
			s[n++] = ':';
			i += best_len - 1;
			continue;
		}
		if (i && (!best_len || i != best + best_len))
			s[n++] = ':';
		while (sh > 0 && !((w[i] >> sh) & 0xf))
			sh -= 4;
		for (; sh >= 0; sh -= 4)
			s[n++] = hex[(w[i] >> sh) & 0xf];
	}
	return n;
}

/* Lines and headers */

static unsigned int ucp_skip_lws(const char *b, unsigned int i, unsigned int e)
{
	while (i < e && ucp_is_lws(b[i]))
		i++;
	return i;
}

static void ucp_trim(const char *b, unsigned int *s, unsigned int *e)
{
	*s = ucp_skip_lws(b, *s, *e);
	while (*e > *s && ucp_is_lws(b[*e - 1]))
		(*e)--;
}

/* Past the quoted string that starts at b[i] == '"'; 0 if unterminated. */
static unsigned int ucp_skip_quoted(const char *b, unsigned int i,
				    unsigned int e)
{
	for (i++; i < e; i++) {
		if (b[i] == '\\') {
			i++;
			continue;
		}
		if (b[i] == '"')
			return i + 1;
	}
	return 0;
}

/*
 * The line that starts at @i ends at *e (before its CRLF or LF) and the
 * next one starts at *next. A CR anywhere else is refused (UCP_SIP_E_HEADER);
 * UCP_SIP_E_INCOMPLETE when b[0, len) holds no LF after @i.
 */
static int ucp_line_end(const char *b, unsigned int i, unsigned int len,
			unsigned int *e, unsigned int *next)
{
	const char *nl = memchr(b + i, '\n', len - i);
	const char *cr;

	if (!nl)
		return UCP_SIP_E_INCOMPLETE;
	*e = nl - b;
	*next = *e + 1;
	cr = memchr(b + i, '\r', *e - i);
	if (cr) {
		if (cr != nl - 1)
			return UCP_SIP_E_HEADER;
		(*e)--;
	}
	return 0;
}

/*
 * The start line: [0, *eol) without its line end, *next after it. A line
 * ends in CRLF or LF; a CR alone is refused.
 */
static int ucp_first_line(const char *b, unsigned int len, unsigned int *eol,
			  unsigned int *next)
{
	unsigned int e;
	int ret;

	ret = ucp_line_end(b, 0, len, &e, next);
	if (ret)
		return ret == UCP_SIP_E_HEADER ? UCP_SIP_E_START_LINE : ret;
	*eol = e;
	return 0;
}

/* One header: name, and value up to (not including) its last line end. */
struct ucp_hdr {
	unsigned int name, name_len;	/* name_len 0: the empty line */
	unsigned int val, val_end;
};

/*
 * The header at *pos, which moves past it. A value continues on the next
 * line when that starts with SP or HTAB (folding), so deciding where a
 * header ends needs the first byte after its line end: UCP_SIP_E_INCOMPLETE
 * until it is there. The empty line (name_len 0) ends the headers.
 */
static int ucp_next_header(const char *b, unsigned int len, unsigned int *pos,
			   struct ucp_hdr *h)
{
	unsigned int p = *pos, i, e = 0;

	h->name_len = 0;
	if (p >= len)
		return UCP_SIP_E_INCOMPLETE;
	if (b[p] == '\n') {
		*pos = p + 1;
		return 0;
	}
	if (b[p] == '\r') {
		if (p + 1 >= len)
			return UCP_SIP_E_INCOMPLETE;
		if (b[p + 1] != '\n')
			return UCP_SIP_E_HEADER;
		*pos = p + 2;
		return 0;
	}
	/* A fold right after the start line has no header to continue. */
	for (i = p; i < len && ucp_is_token(b[i]); i++)
		;
	if (i == p)
		return UCP_SIP_E_HEADER;
	h->name = p;
	h->name_len = i - p;
	while (i < len && ucp_is_wsp(b[i]))
		i++;
	if (i >= len)
		return UCP_SIP_E_INCOMPLETE;
	if (b[i] != ':')
		return UCP_SIP_E_HEADER;
	h->val = ++i;
	for (;;) {
		int ret = ucp_line_end(b, i, len, &e, &i);

		if (ret)
			return ret;
		if (i >= len)
			return UCP_SIP_E_INCOMPLETE;
		if (!ucp_is_wsp(b[i]))
			break;
	}
	h->val_end = e;
	*pos = i;
	return 0;
}

enum ucp_hdr_id {
	UCP_H_OTHER,
	UCP_H_VIA,
	UCP_H_CONTACT,
	UCP_H_FROM,
	UCP_H_TO,
	UCP_H_CALL_ID,
	UCP_H_CSEQ,
	UCP_H_CLEN,
	UCP_H_CTYPE,
	UCP_H_EXPIRES,
	UCP_H_ROUTE,
	UCP_H_RECORD_ROUTE,
};

/* Header names are case-insensitive; RFC 3261 section 7.3.3 compact forms. */
static enum ucp_hdr_id ucp_hdr_id(const char *n, unsigned int len)
{
	switch (len) {
	case 1:
		switch (ucp_lower(n[0])) {
		case 'v': return UCP_H_VIA;
		case 'm': return UCP_H_CONTACT;
		case 'f': return UCP_H_FROM;
		case 't': return UCP_H_TO;
		case 'i': return UCP_H_CALL_ID;
		case 'l': return UCP_H_CLEN;
		case 'c': return UCP_H_CTYPE;
		}
		break;
	case 2:
		if (UCP_IEQ(n, len, "to"))
			return UCP_H_TO;
		break;
	case 3:
		if (UCP_IEQ(n, len, "via"))
			return UCP_H_VIA;
		break;
	case 4:
		if (UCP_IEQ(n, len, "from"))
			return UCP_H_FROM;
		if (UCP_IEQ(n, len, "cseq"))
			return UCP_H_CSEQ;
		break;
	case 5:
		if (UCP_IEQ(n, len, "route"))
			return UCP_H_ROUTE;
		break;
	case 7:
		if (UCP_IEQ(n, len, "call-id"))
			return UCP_H_CALL_ID;
		if (UCP_IEQ(n, len, "contact"))
			return UCP_H_CONTACT;
		if (UCP_IEQ(n, len, "expires"))
			return UCP_H_EXPIRES;
		break;
	case 12:
		if (UCP_IEQ(n, len, "content-type"))
			return UCP_H_CTYPE;
		if (UCP_IEQ(n, len, "record-route"))
			return UCP_H_RECORD_ROUTE;
		break;
	case 14:
		if (UCP_IEQ(n, len, "content-length"))
			return UCP_H_CLEN;
		break;
	}
	return UCP_H_OTHER;
}

/* Decimal digits only, saturating at U32 max; false if not digits. */
static bool ucp_digits(const char *b, unsigned int s, unsigned int e, u32 *v)
{
	u64 x = 0;

	if (s >= e)
		return false;
	for (; s < e; s++) {
		if (!ucp_is_digit(b[s]))
			return false;
		x = x * 10 + (b[s] - '0');
		if (x > 0xffffffffULL)
			x = 0xffffffffULL + 1;
	}
	*v = x > 0xffffffffULL ? 0xffffffffU : (u32)x;
	return true;
}

/* Content-Length: digits between LWS; [*s, *e) becomes the digits. */
static int ucp_content_length(const char *b, unsigned int *s, unsigned int *e,
			      u32 *v)
{
	ucp_trim(b, s, e);
	if (!ucp_digits(b, *s, *e, v))
		return UCP_SIP_E_CONTENT_LENGTH;
	return 0;
}

/*
 * The start line and headers of b[0, len): *body is where the body
 * starts, *cl the Content-Length when *has_cl. @final: no more bytes will
 * come, so running out is the start line's or a header's fault.
 */
static int ucp_sip_head(const char *b, unsigned int len, bool final,
			unsigned int *body, u32 *cl, bool *has_cl)
{
	unsigned int pos, eol;
	struct ucp_hdr h;
	int ret;

	*has_cl = false;
	ret = ucp_first_line(b, len, &eol, &pos);
	if (ret == UCP_SIP_E_INCOMPLETE && final)
		return UCP_SIP_E_START_LINE;
	if (ret)
		return ret;
	for (;;) {
		ret = ucp_next_header(b, len, &pos, &h);
		if (ret == UCP_SIP_E_INCOMPLETE && final)
			return UCP_SIP_E_HEADER;
		if (ret)
			return ret;
		if (!h.name_len)
			break;
		if (ucp_hdr_id(b + h.name, h.name_len) == UCP_H_CLEN) {
			if (*has_cl)
				return UCP_SIP_E_CONTENT_LENGTH;
			ret = ucp_content_length(b, &h.val, &h.val_end, cl);
			if (ret)
				return ret;
			*has_cl = true;
		}
	}
	*body = pos;
	return 0;
}

/**
 * ucp_sip_frame() - find the first message in received bytes
 * @buf: the bytes, never written
 * @len: how many
 * @stream: they come from a stream (TCP, TLS), where Content-Length is
 *	mandatory; otherwise @buf is one datagram
 * @skip: set to the length of the leading CRLFs (keep-alives, RFC 5626),
 *	which are not part of the message
 * @msg_len: set to the message's length after them; 0 unless
 *	%UCP_SIP_OK
 *
 * Of the start line and headers it checks only what finding their end and
 * Content-Length needs; ucp_sip_parse() checks the rest. The body is not
 * read.
 *
 * Return: %UCP_SIP_OK; %UCP_SIP_E_INCOMPLETE when a stream needs more
 * bytes, or when there is nothing but keep-alives (datagrams too: @skip
 * then covers them); or the reason to reject the bytes.
 */
int ucp_sip_frame(const char *buf, size_t len, bool stream, size_t *skip,
		  size_t *msg_len)
{
	unsigned int n, body = 0;
	size_t s = 0, rest;
	bool has_cl;
	u32 cl = 0;
	int ret;

	*msg_len = 0;
	while (s < len) {
		if (buf[s] == '\n')
			s++;
		else if (buf[s] == '\r' && s + 1 < len && buf[s + 1] == '\n')
			s += 2;
		else
			break;
	}
	*skip = s;
	rest = len - s;
	/* Nothing but keep-alives, in a datagram too: nothing to parse. */
	if (!rest)
		return UCP_SIP_E_INCOMPLETE;
	n = rest > UCP_SIP_MAX_MSG ? UCP_SIP_MAX_MSG : rest;
	ret = ucp_sip_head(buf + s, n, !stream && rest <= UCP_SIP_MAX_MSG,
			   &body, &cl, &has_cl);
	if (ret == UCP_SIP_E_INCOMPLETE && rest >= UCP_SIP_MAX_MSG)
		return UCP_SIP_E_TOO_LARGE;
	if (ret)
		return ret;
	if (has_cl) {
		if ((u64)body + cl > UCP_SIP_MAX_MSG)
			return UCP_SIP_E_TOO_LARGE;
		if (body + cl > rest)
			return stream ? UCP_SIP_E_INCOMPLETE :
					UCP_SIP_E_CONTENT_LENGTH;
		*msg_len = body + cl;
		return UCP_SIP_OK;
	}
	if (stream)
		return UCP_SIP_E_CONTENT_LENGTH;
	if (rest > UCP_SIP_MAX_MSG)
		return UCP_SIP_E_TOO_LARGE;
	*msg_len = rest;
	return UCP_SIP_OK;
}

/* Parsing */

struct ucp_pctx {
	struct ucp_sip_msg *m;
	const char *b;
	unsigned int method, method_len;	/* of the request line */
	unsigned int nvia;			/* Via values so far */
	u32 cl;
	u32 hdr_expires;
	bool has_expires;		/* an Expires header was read */
	bool contact_expires;		/* a Contact ;expires= was read */
	bool sdp;			/* Content-Type: application/sdp */
	bool has_from, has_to, has_cseq, has_ctype;
};

static const struct {
	const char *name;
	u8 len;
	u8 id;
} ucp_methods[] = {
	{ "INVITE", 6, UCP_SIP_M_INVITE },
	{ "ACK", 3, UCP_SIP_M_ACK },
	{ "BYE", 3, UCP_SIP_M_BYE },
	{ "CANCEL", 6, UCP_SIP_M_CANCEL },
	{ "REGISTER", 8, UCP_SIP_M_REGISTER },
	{ "OPTIONS", 7, UCP_SIP_M_OPTIONS },
	{ "UPDATE", 6, UCP_SIP_M_UPDATE },
	{ "PRACK", 5, UCP_SIP_M_PRACK },
	{ "INFO", 4, UCP_SIP_M_INFO },
	{ "SUBSCRIBE", 9, UCP_SIP_M_SUBSCRIBE },
	{ "NOTIFY", 6, UCP_SIP_M_NOTIFY },
	{ "REFER", 5, UCP_SIP_M_REFER },
	{ "MESSAGE", 7, UCP_SIP_M_MESSAGE },
	{ "PUBLISH", 7, UCP_SIP_M_PUBLISH },
};

/* Methods are case-sensitive (RFC 3261 section 7.1). */
static u8 ucp_method_id(const char *s, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ucp_methods); i++)
		if (len == ucp_methods[i].len &&
		    !memcmp(s, ucp_methods[i].name, len))
			return ucp_methods[i].id;
	return UCP_SIP_M_OTHER;
}

/* RFC 3261 URI characters: unreserved, reserved, escaped, "[" "]". */
static bool ucp_is_uric(char c)
{
	if (ucp_is_alnum(c))
		return true;
	switch (c) {
	case '-': case '_': case '.': case '!': case '~': case '*':
	case '\'': case '(': case ')': case '%': case ';': case '/':
	case '?': case ':': case '@': case '&': case '=': case '+':
	case '$': case ',': case '[': case ']':
		return true;
	}
	return false;
}

/*
 * A host at *pi: "[" IPv6 "]", an IPv4 literal, or a host name (a token
 * of family 0). *pi moves past it.
 */
static int ucp_host(const char *b, unsigned int *pi, unsigned int e,
		    struct ucp_sip_token *t)
{
	unsigned int i = *pi, j;
	bool dotted = true;

	if (i < e && b[i] == '[') {
		for (j = i + 1; j < e && b[j] != ']'; j++)
			;
		if (j >= e)
			return UCP_SIP_E_URI;
		if (ucp_sip_ip6(b + i + 1, j - i - 1, t->addr.a))
			return UCP_SIP_E_ADDRESS;
		t->addr.family = 6;
		t->bracketed = 1;
		t->host.off = i + 1;
		t->host.len = j - i - 1;
		*pi = j + 1;
		return 0;
	}
	for (j = i; j < e && ucp_is_hostc(b[j]); j++)
		if (!ucp_is_digit(b[j]) && b[j] != '.')
			dotted = false;
	if (j == i)
		return UCP_SIP_E_URI;
	t->host.off = i;
	t->host.len = j - i;
	/* Digits and dots only: an IPv4 literal, since a top label has a letter. */
	if (dotted) {
		if (ucp_sip_ip4(b + i, j - i, t->addr.a))
			return UCP_SIP_E_ADDRESS;
		t->addr.family = 4;
	}
	*pi = j;
	return 0;
}

/* A port at *pi (1 to 5 digits, at most 65535); *pi moves past it. */
static int ucp_port(const char *b, unsigned int *pi, unsigned int e,
		    struct ucp_sip_token *t)
{
	unsigned int i = *pi, v = 0;

	while (i < e && ucp_is_digit(b[i]) && i - *pi < 6) {
		v = v * 10 + (b[i] - '0');
		i++;
	}
	if (i == *pi || i - *pi > 5 || v > 65535)
		return UCP_SIP_E_URI;
	t->port = v;
	t->port_span.off = *pi;
	t->port_span.len = i - *pi;
	*pi = i;
	return 0;
}

enum ucp_uri_form {
	UCP_URI_REQ,		/* Request-URI: no headers ("?") */
	UCP_URI_ANGLE,		/* inside <...> */
	UCP_URI_BARE,		/* addr-spec without <>: ends before ";" */
};

/*
 * The URI [s, e). sip: and sips: URIs give a token of @kind for their
 * host and port; other schemes (tel:, urn:, http:, ...) are checked for
 * syntax only.
 */
static int ucp_uri(struct ucp_pctx *c, unsigned int s, unsigned int e,
		   u8 kind, enum ucp_uri_form form)
{
	const char *b = c->b;
	struct ucp_sip_token *t;
	unsigned int i = s, p;
	int ret;

	if (i >= e || !ucp_is_alpha(b[i]))
		return UCP_SIP_E_URI;
	while (i < e && (ucp_is_alnum(b[i]) || b[i] == '+' || b[i] == '-' ||
			 b[i] == '.'))
		i++;
	if (i >= e || b[i] != ':' || i + 1 >= e)
		return UCP_SIP_E_URI;
	for (p = i + 1; p < e; p++)
		if (!ucp_is_uric(b[p]))
			return UCP_SIP_E_URI;
	if (!UCP_IEQ(b + s, i - s, "sip") && !UCP_IEQ(b + s, i - s, "sips"))
		return 0;
	/* "@" is escaped everywhere but after the userinfo it ends. */
	for (p = i + 1; p < e && b[p] != '@'; p++)
		;
	if (p < e) {
		if (p == i + 1)
			return UCP_SIP_E_URI;
		p++;
	} else {
		p = i + 1;
	}
	t = ucp_sip_new_token(c->m, kind);
	if (!t)
		return UCP_SIP_E_TOO_MANY;
	ret = ucp_host(b, &p, e, t);
	if (ret)
		return ret;
	t->port_span.off = p;
	if (p < e && b[p] == ':') {
		p++;
		ret = ucp_port(b, &p, e, t);
		if (ret)
			return ret;
	}
	if (p < e && b[p] != ';' && b[p] != '?')
		return UCP_SIP_E_URI;
	/*
	 * Headers are allowed only inside <>: a Request-URI has none, and
	 * an addr-spec with "?" is ambiguous (RFC 3261 section 20.10).
	 */
	if (form != UCP_URI_ANGLE)
		for (; p < e; p++)
			if (b[p] == '?')
				return UCP_SIP_E_URI;
	return 0;
}

/* One ";name[=value]" parameter. */
struct ucp_param {
	unsigned int n, nl;	/* nl 0: no more parameters */
	unsigned int v, vl;	/* vl 0: no value */
};

/*
 * The parameter at *pi, after LWS; *pi moves past it. A value is a token,
 * a host (IPv6 literals included) or a quoted string.
 */
static int ucp_next_param(const char *b, unsigned int *pi, unsigned int e,
			  struct ucp_param *pr)
{
	unsigned int i = ucp_skip_lws(b, *pi, e), j;

	pr->nl = 0;
	pr->vl = 0;
	if (i >= e) {
		*pi = e;
		return 0;
	}
	if (b[i] != ';')
		return UCP_SIP_E_HEADER;
	i = ucp_skip_lws(b, i + 1, e);
	for (j = i; j < e && ucp_is_token(b[j]); j++)
		;
	if (j == i)
		return UCP_SIP_E_HEADER;
	pr->n = i;
	pr->nl = j - i;
	i = ucp_skip_lws(b, j, e);
	if (i >= e || b[i] != '=') {
		*pi = j;
		return 0;
	}
	i = ucp_skip_lws(b, i + 1, e);
	if (i < e && b[i] == '"') {
		j = ucp_skip_quoted(b, i, e);
		if (!j)
			return UCP_SIP_E_HEADER;
	} else {
		for (j = i; j < e && (ucp_is_token(b[j]) || b[j] == '[' ||
				      b[j] == ']' || b[j] == ':'); j++)
			;
	}
	if (j == i)
		return UCP_SIP_E_HEADER;
	pr->v = i;
	pr->vl = j - i;
	*pi = j;
	return 0;
}

/*
 * One value of From, To, Contact, Route or Record-Route: name-addr
 * (display name and <URI>) or addr-spec, then parameters.
 */
static int ucp_name_addr(struct ucp_pctx *c, unsigned int s, unsigned int e,
			 u8 kind)
{
	const char *b = c->b;
	unsigned int i = s, j, us, ue;
	struct ucp_param pr;
	u32 v;
	int ret;

	if (kind == UCP_TOK_CONTACT && e - s == 1 && b[s] == '*')
		return 0;
	if (b[i] == '"') {
		i = ucp_skip_quoted(b, i, e);
		if (!i)
			return UCP_SIP_E_HEADER;
		i = ucp_skip_lws(b, i, e);
		if (i >= e || b[i] != '<')
			return UCP_SIP_E_HEADER;
	} else {
		/* A display name of tokens, or the scheme of an addr-spec. */
		for (j = i; j < e && (ucp_is_token(b[j]) || ucp_is_lws(b[j])); j++)
			;
		if (j < e && b[j] == '<')
			i = j;
	}
	if (b[i] == '<') {
		us = i + 1;
		for (ue = us; ue < e && b[ue] != '>'; ue++)
			;
		if (ue >= e)
			return UCP_SIP_E_HEADER;
		ret = ucp_uri(c, us, ue, kind, UCP_URI_ANGLE);
		i = ue + 1;
	} else {
		us = i;
		while (i < e && b[i] != ';' && !ucp_is_lws(b[i]))
			i++;
		ret = ucp_uri(c, us, i, kind, UCP_URI_BARE);
	}
	if (ret)
		return ret;
	for (;;) {
		ret = ucp_next_param(b, &i, e, &pr);
		if (ret || !pr.nl)
			return ret;
		if (kind == UCP_TOK_CONTACT && !c->contact_expires &&
		    UCP_IEQ(b + pr.n, pr.nl, "expires") &&
		    ucp_digits(b, pr.v, pr.v + pr.vl, &v)) {
			c->m->expires = v;
			c->contact_expires = true;
		}
	}
}

/* A token at [i, e) of the sent-protocol, then LWS and "/" when @slash. */
static unsigned int ucp_via_part(const char *b, unsigned int i,
				 unsigned int e, unsigned int *ts,
				 unsigned int *te, bool slash)
{
	i = ucp_skip_lws(b, i, e);
	*ts = i;
	while (i < e && ucp_is_token(b[i]))
		i++;
	*te = i;
	if (!slash)
		return i;
	i = ucp_skip_lws(b, i, e);
	if (i >= e || b[i] != '/')
		return 0;
	return i + 1;
}

/*
 * One Via value: "SIP" / "2.0" / transport (LWS allowed around the
 * slashes), LWS, sent-by host [":" port], parameters. Tokens: the
 * sent-by, then received= and rport=N in their order.
 */
static int ucp_via_value(struct ucp_pctx *c, unsigned int s, unsigned int e)
{
	const char *b = c->b;
	struct ucp_sip_token *t;
	unsigned int i, ts, te, j;
	struct ucp_param pr;
	u8 idx = c->nvia < 255 ? c->nvia : 255;
	int ret;

	c->nvia++;
	i = ucp_via_part(b, s, e, &ts, &te, true);
	if (!i || !UCP_IEQ(b + ts, te - ts, "sip"))
		return UCP_SIP_E_URI;
	i = ucp_via_part(b, i, e, &ts, &te, true);
	if (!i || !UCP_EQ(b + ts, te - ts, "2.0"))
		return UCP_SIP_E_URI;
	i = ucp_via_part(b, i, e, &ts, &te, false);
	if (ts == te || i >= e || !ucp_is_lws(b[i]))
		return UCP_SIP_E_URI;
	i = ucp_skip_lws(b, i, e);
	t = ucp_sip_new_token(c->m, UCP_TOK_VIA);
	if (!t)
		return UCP_SIP_E_TOO_MANY;
	t->via_index = idx;
	ret = ucp_host(b, &i, e, t);
	if (ret)
		return ret;
	t->port_span.off = i;
	j = ucp_skip_lws(b, i, e);
	if (j < e && b[j] == ':') {
		j = ucp_skip_lws(b, j + 1, e);
		ret = ucp_port(b, &j, e, t);
		if (ret)
			return ret;
		i = j;
	}
	if (i < e && !ucp_is_lws(b[i]) && b[i] != ';')
		return UCP_SIP_E_URI;
	for (;;) {
		ret = ucp_next_param(b, &i, e, &pr);
		if (ret || !pr.nl)
			return ret;
		if (UCP_IEQ(b + pr.n, pr.nl, "received")) {
			unsigned int hs = pr.v, he = pr.v + pr.vl;

			if (!pr.vl)
				return UCP_SIP_E_ADDRESS;
			t = ucp_sip_new_token(c->m, UCP_TOK_VIA_RECEIVED);
			if (!t)
				return UCP_SIP_E_TOO_MANY;
			t->via_index = idx;
			if (b[hs] == '[' && b[he - 1] == ']' && he - hs > 2) {
				t->bracketed = 1;
				hs++;
				he--;
			}
			t->host.off = hs;
			t->host.len = he - hs;
			t->port_span.off = t->bracketed ? he + 1 : he;
			/* RFC 3261: IPv4address / IPv6address, no names. */
			if (!ucp_sip_ip4(b + hs, he - hs, t->addr.a))
				t->addr.family = 4;
			else if (!ucp_sip_ip6(b + hs, he - hs, t->addr.a))
				t->addr.family = 6;
			else
				return UCP_SIP_E_ADDRESS;
			if (t->bracketed && t->addr.family != 6)
				return UCP_SIP_E_ADDRESS;
		} else if (UCP_IEQ(b + pr.n, pr.nl, "rport") && pr.vl) {
			j = pr.v;
			t = ucp_sip_new_token(c->m, UCP_TOK_VIA_RPORT);
			if (!t)
				return UCP_SIP_E_TOO_MANY;
			t->via_index = idx;
			ret = ucp_port(b, &j, e, t);
			if (ret)
				return ret;
			if (j != pr.v + pr.vl)
				return UCP_SIP_E_URI;
			t->host.off = pr.v;
		}
	}
}

/*
 * The comma-separated values of a Via, Contact, Route or Record-Route
 * header [s, e); commas inside quoted strings and <...> do not separate.
 */
static int ucp_list(struct ucp_pctx *c, unsigned int s, unsigned int e,
		    u8 kind)
{
	const char *b = c->b;
	unsigned int i = s;
	int ret;

	if (s >= e)
		return UCP_SIP_E_HEADER;
	while (i < e) {
		unsigned int vs = i, ve;
		bool angle = false;

		for (; i < e; i++) {
			if (b[i] == '"') {
				i = ucp_skip_quoted(b, i, e);
				if (!i)
					return UCP_SIP_E_HEADER;
				i--;
			} else if (angle) {
				angle = b[i] != '>';
			} else if (b[i] == '<') {
				angle = true;
			} else if (b[i] == ',') {
				break;
			}
		}
		if (angle)
			return UCP_SIP_E_HEADER;
		ve = i;
		ucp_trim(b, &vs, &ve);
		if (vs == ve)
			return UCP_SIP_E_HEADER;
		if (kind == UCP_TOK_VIA)
			ret = ucp_via_value(c, vs, ve);
		else
			ret = ucp_name_addr(c, vs, ve, kind);
		if (ret)
			return ret;
		if (i < e) {
			i++;
			if (i >= e)
				return UCP_SIP_E_HEADER;
		}
	}
	return 0;
}

/* CSeq: number, LWS, method; a request's must be its own method. */
static int ucp_cseq(struct ucp_pctx *c, unsigned int s, unsigned int e)
{
	const char *b = c->b;
	unsigned int i = s, j;
	u64 v = 0;

	while (i < e && ucp_is_digit(b[i]) && i - s < 11) {
		v = v * 10 + (b[i] - '0');
		i++;
	}
	if (i == s || v > 0xffffffffULL || i >= e || !ucp_is_lws(b[i]))
		return UCP_SIP_E_HEADER;
	i = ucp_skip_lws(b, i, e);
	for (j = i; j < e && ucp_is_token(b[j]); j++)
		;
	if (j == i || j != e)
		return UCP_SIP_E_HEADER;
	c->m->cseq = v;
	if (!c->m->is_request) {
		c->m->method = ucp_method_id(b + i, j - i);
		return 0;
	}
	if (j - i != c->method_len || memcmp(b + i, b + c->method, j - i))
		return UCP_SIP_E_HEADER;
	return 0;
}

/* Content-Type: type "/" subtype *(";" parameter). */
static int ucp_content_type(struct ucp_pctx *c, unsigned int s,
			    unsigned int e)
{
	const char *b = c->b;
	unsigned int i, ts, te, ss, se;
	struct ucp_param pr;
	int ret;

	for (i = s; i < e && ucp_is_token(b[i]); i++)
		;
	ts = s;
	te = i;
	i = ucp_skip_lws(b, i, e);
	if (te == ts || i >= e || b[i] != '/')
		return UCP_SIP_E_HEADER;
	ss = ucp_skip_lws(b, i + 1, e);
	for (i = ss; i < e && ucp_is_token(b[i]); i++)
		;
	se = i;
	if (se == ss)
		return UCP_SIP_E_HEADER;
	do {
		ret = ucp_next_param(b, &i, e, &pr);
		if (ret)
			return ret;
	} while (pr.nl);
	c->sdp = UCP_IEQ(b + ts, te - ts, "application") &&
		 UCP_IEQ(b + ss, se - ss, "sdp");
	return 0;
}

static int ucp_header(struct ucp_pctx *c, const struct ucp_hdr *h)
{
	struct ucp_sip_msg *m = c->m;
	const char *b = c->b;
	unsigned int s = h->val, e = h->val_end, i;
	int ret;

	switch (ucp_hdr_id(b + h->name, h->name_len)) {
	case UCP_H_VIA:
		ucp_trim(b, &s, &e);
		return ucp_list(c, s, e, UCP_TOK_VIA);
	case UCP_H_CONTACT:
		ucp_trim(b, &s, &e);
		return ucp_list(c, s, e, UCP_TOK_CONTACT);
	case UCP_H_ROUTE:
		ucp_trim(b, &s, &e);
		return ucp_list(c, s, e, UCP_TOK_ROUTE);
	case UCP_H_RECORD_ROUTE:
		ucp_trim(b, &s, &e);
		return ucp_list(c, s, e, UCP_TOK_RECORD_ROUTE);
	case UCP_H_FROM:
		ucp_trim(b, &s, &e);
		if (c->has_from || s == e)
			return UCP_SIP_E_HEADER;
		c->has_from = true;
		return ucp_name_addr(c, s, e, UCP_TOK_FROM);
	case UCP_H_TO:
		ucp_trim(b, &s, &e);
		if (c->has_to || s == e)
			return UCP_SIP_E_HEADER;
		c->has_to = true;
		return ucp_name_addr(c, s, e, UCP_TOK_TO);
	case UCP_H_CALL_ID:
		ucp_trim(b, &s, &e);
		if (m->call_id.len || s == e)
			return UCP_SIP_E_HEADER;
		for (i = s; i < e; i++)
			if (ucp_is_lws(b[i]))
				return UCP_SIP_E_HEADER;
		m->call_id.off = s;
		m->call_id.len = e - s;
		return 0;
	case UCP_H_CSEQ:
		ucp_trim(b, &s, &e);
		if (c->has_cseq)
			return UCP_SIP_E_HEADER;
		c->has_cseq = true;
		return ucp_cseq(c, s, e);
	case UCP_H_CLEN:
		if (m->content_length.len)
			return UCP_SIP_E_CONTENT_LENGTH;
		ret = ucp_content_length(b, &s, &e, &c->cl);
		if (ret)
			return ret;
		m->content_length.off = s;
		m->content_length.len = e - s;
		return 0;
	case UCP_H_CTYPE:
		ucp_trim(b, &s, &e);
		if (c->has_ctype)
			return UCP_SIP_E_HEADER;
		c->has_ctype = true;
		return ucp_content_type(c, s, e);
	case UCP_H_EXPIRES:
		/* delta-seconds; RFC 2543 dates are not read. */
		ucp_trim(b, &s, &e);
		if (!c->has_expires && ucp_digits(b, s, e, &c->hdr_expires))
			c->has_expires = true;
		return 0;
	case UCP_H_OTHER:
		break;
	}
	return 0;
}

/* Request-Line or Status-Line [0, e). */
static int ucp_start_line(struct ucp_pctx *c, unsigned int e)
{
	struct ucp_sip_msg *m = c->m;
	const char *b = c->b;
	unsigned int i, us, ue;

	if (e >= 4 && UCP_IEQ(b, 4, "sip/")) {
		if (e < 11 || !UCP_IEQ(b, 7, "sip/2.0") || b[7] != ' ' ||
		    !ucp_is_digit(b[8]) || !ucp_is_digit(b[9]) ||
		    !ucp_is_digit(b[10]) || (e > 11 && b[11] != ' '))
			return UCP_SIP_E_START_LINE;
		m->status = (b[8] - '0') * 100 + (b[9] - '0') * 10 + b[10] - '0';
		if (m->status < 100 || m->status > 699)
			return UCP_SIP_E_START_LINE;
		/* Reason-Phrase: UTF-8 text, no control characters but HTAB. */
		for (i = 12; i < e; i++)
			if (((u8)b[i] < ' ' && b[i] != '\t') || b[i] == 0x7f)
				return UCP_SIP_E_START_LINE;
		return 0;
	}
	for (i = 0; i < e && ucp_is_token(b[i]); i++)
		;
	if (!i || i >= e || b[i] != ' ')
		return UCP_SIP_E_START_LINE;
	m->is_request = 1;
	m->method = ucp_method_id(b, i);
	c->method = 0;
	c->method_len = i;
	us = i + 1;
	for (ue = us; ue < e && b[ue] != ' '; ue++)
		;
	if (ue == us || ue >= e || !UCP_IEQ(b + ue + 1, e - ue - 1, "sip/2.0"))
		return UCP_SIP_E_START_LINE;
	return ucp_uri(c, us, ue, UCP_TOK_REQUEST_URI, UCP_URI_REQ);
}

static int __ucp_sip_parse(struct ucp_sip_msg *m, const char *b, size_t size)
{
	struct ucp_pctx c = { .m = m, .b = b };
	unsigned int len, pos, eol, body;
	struct ucp_hdr h;
	int ret;

	memset(m, 0, offsetof(struct ucp_sip_msg, tok));
	memset(&m->sdp, 0, offsetof(struct ucp_sdp, media));
	if (size > UCP_SIP_MAX_MSG)
		return UCP_SIP_E_TOO_LARGE;
	len = size;
	ret = ucp_first_line(b, len, &eol, &pos);
	if (ret)
		return UCP_SIP_E_START_LINE;
	ret = ucp_start_line(&c, eol);
	if (ret)
		return ret;
	for (;;) {
		ret = ucp_next_header(b, len, &pos, &h);
		if (ret)
			return ret == UCP_SIP_E_INCOMPLETE ? UCP_SIP_E_HEADER : ret;
		if (!h.name_len)
			break;
		ret = ucp_header(&c, &h);
		if (ret)
			return ret;
	}
	body = pos;
	if (m->content_length.len) {
		if (c.cl > len - body)
			return UCP_SIP_E_CONTENT_LENGTH;
		m->len = body + c.cl;
	} else {
		m->len = len;
	}
	m->body.off = body;
	m->body.len = m->len - body;
	/* RFC 3261 section 8.1.1; Max-Forwards is not required (RFC 2543). */
	if (!c.nvia || !c.has_from || !c.has_to || !c.has_cseq ||
	    !m->call_id.len)
		return UCP_SIP_E_HEADER;
	m->expires = c.contact_expires ? m->expires : c.hdr_expires;
	if (c.sdp && m->body.len) {
		ret = ucp_sdp_parse(m, b, body, m->len);
		if (ret)
			return ret;
		m->has_sdp = 1;
	}
	return 0;
}

/**
 * ucp_sip_parse() - parse one whole message
 * @m: filled in
 * @buf: the message, never written and never read outside [@buf, @buf +
 *	@len)
 * @len: its length, exactly as framed (ucp_sip_frame())
 *
 * Records the method or status, the dialog keys and every embedded
 * address as a token with the span of its text; an application/sdp body
 * is parsed too, its a=crypto keys decoded into @m->sdp: secret, so whoever
 * holds @m after a successful parse wipes it (ucp_sip_msg_wipe()).
 *
 * Return: %UCP_SIP_OK, or the reason to reject the message; on failure
 * @m is undefined except that it holds no key material.
 */
int ucp_sip_parse(struct ucp_sip_msg *m, const char *buf, size_t len)
{
	int ret = __ucp_sip_parse(m, buf, len);

	if (ret)
		ucp_sip_msg_wipe(m);
	return ret;
}

/**
 * ucp_sip_msg_wipe() - wipe the key material of a parsed message
 * @m: a message ucp_sip_parse() filled in, whatever it returned
 *
 * Wipes every media description's a=crypto entries and sets its count to
 * 0; the tokens and the rest of @m stay usable.
 */
void ucp_sip_msg_wipe(struct ucp_sip_msg *m)
{
	unsigned int i;

	for (i = 0; i < UCP_SDP_MAX_MEDIA; i++) {
		memzero_explicit(m->sdp.media[i].crypto,
				 sizeof(m->sdp.media[i].crypto));
		m->sdp.media[i].ncrypto = 0;
	}
}

/* Rewriting */

/* One replaced span of the input and what replaces it. */
struct ucp_edit {
	unsigned int off, end;
	unsigned int len;
	const char *ptr;	/* the text tokens' own text, or NULL */
	char text[56];		/* "IP6 " or "[", an address, "]"; ":" port */
};

#define UCP_KIND_IN_URI		(UCP_KIND_ADDR | UCP_KIND_PORT | UCP_KIND_URI)
#define UCP_KIND_IN_SDP		(UCP_KIND_ADDR | UCP_KIND_SDP_ADDR)

static const u8 ucp_kinds[UCP_TOK_KIND_COUNT] = {
	[UCP_TOK_REQUEST_URI]	= UCP_KIND_IN_URI,
	[UCP_TOK_FROM]		= UCP_KIND_IN_URI,
	[UCP_TOK_TO]		= UCP_KIND_IN_URI,
	[UCP_TOK_VIA]		= UCP_KIND_IN_URI,
	[UCP_TOK_VIA_RECEIVED]	= UCP_KIND_ADDR,
	[UCP_TOK_VIA_RPORT]	= UCP_KIND_PORT,
	[UCP_TOK_CONTACT]	= UCP_KIND_IN_URI,
	[UCP_TOK_RECORD_ROUTE]	= UCP_KIND_IN_URI,
	[UCP_TOK_ROUTE]		= UCP_KIND_IN_URI,
	[UCP_TOK_SDP_ORIGIN]	= UCP_KIND_IN_SDP,
	[UCP_TOK_SDP_CONN]	= UCP_KIND_IN_SDP,
	[UCP_TOK_SDP_MEDIA_CONN] = UCP_KIND_IN_SDP,
	[UCP_TOK_SDP_MEDIA_PORT] = UCP_KIND_PORT,
	[UCP_TOK_SDP_RTCP]	= UCP_KIND_IN_SDP | UCP_KIND_PORT,
	[UCP_TOK_SDP_PROTO]	= UCP_KIND_TEXT,
	[UCP_TOK_SDP_CRYPTO]	= UCP_KIND_TEXT,
	[UCP_TOK_SDP_MEDIA_END]	= UCP_KIND_TEXT,
};

/**
 * ucp_sip_kind_flags() - what a token of a kind is, for a rewrite
 * @kind: an enum ucp_sip_token_kind
 *
 * %UCP_KIND_ADDR: the token may hold a host, which a substitution's
 * address replaces. %UCP_KIND_PORT: it may hold a port, which a
 * substitution's port replaces. %UCP_KIND_URI: it is in a URI or a Via
 * sent-by, so an IPv6 host is written in brackets and a missing port is
 * inserted. %UCP_KIND_SDP_ADDR: an SDP address, whose "IP4" or "IP6"
 * before it follows its family. %UCP_KIND_TEXT: a span a substitution's
 * text replaces whole; it has no address or port.
 *
 * Return: the UCP_KIND_* flags of @kind; 0 for a value that is no kind.
 */
unsigned int ucp_sip_kind_flags(u8 kind)
{
	return kind < UCP_TOK_KIND_COUNT ? ucp_kinds[kind] : 0;
}

/*
 * The edits (at most two, in order) that @su makes to token @t of @in
 * [0, len): its host and its port. Returns how many, or -1 when @t does
 * not describe @in (a message that is not the parse of @in).
 */
static int ucp_tok_edits(const struct ucp_sip_token *t,
			 const struct ucp_sip_subst *su, const char *in,
			 unsigned int len, struct ucp_edit *ed)
{
	unsigned int k = ucp_sip_kind_flags(t->kind), o, e;
	int n = 0;

	if (!su->set)
		return 0;
	if (k & UCP_KIND_TEXT) {
		if (!su->text)
			return 0;
		ed->off = t->host.off;
		ed->end = t->host.off + t->host.len;
		ed->len = su->text_len;
		ed->ptr = su->text;
		return ed->end > len ? -1 : 1;
	}
	if ((su->addr.family == 4 || su->addr.family == 6) &&
	    (k & UCP_KIND_ADDR) && t->host.len) {
		struct ucp_edit *x = &ed[n++];
		bool v6 = su->addr.family == 6, br;

		x->ptr = NULL;
		o = t->host.off;
		e = o + t->host.len;
		x->len = 0;
		if (t->bracketed) {
			if (!o || e >= len || in[o - 1] != '[' || in[e] != ']')
				return -1;
			o--;
			e++;
		}
		/*
		 * The family may change: a URI gets brackets for IPv6, an SDP
		 * address its "IP4"/"IP6" (which the parser requires exactly
		 * one SP before the address).
		 */
		if (k & UCP_KIND_SDP_ADDR) {
			if (o < 4 || ucp_lower(in[o - 4]) != 'i' ||
			    ucp_lower(in[o - 3]) != 'p' || in[o - 1] != ' ')
				return -1;
			o -= 4;
			memcpy(x->text, v6 ? "IP6 " : "IP4 ", 4);
			x->len = 4;
		}
		br = v6 && ((k & UCP_KIND_URI) || t->bracketed);
		if (br)
			x->text[x->len++] = '[';
		if (v6)
			x->len += ucp_fmt_ip6(x->text + x->len, su->addr.a);
		else
			x->len += ucp_fmt_ip4(x->text + x->len, su->addr.a);
		if (br)
			x->text[x->len++] = ']';
		x->off = o;
		x->end = e;
	}
	if (su->port && (k & UCP_KIND_PORT) &&
	    (t->port_span.len || (k & UCP_KIND_URI))) {
		struct ucp_edit *x = &ed[n++];

		x->ptr = NULL;
		x->off = t->port_span.off;
		x->end = x->off + t->port_span.len;
		x->len = 0;
		if (!t->port_span.len)
			x->text[x->len++] = ':';
		x->len += ucp_fmt_u(x->text + x->len, su->port);
	}
	if (n == 2 && ed[1].off < ed[0].off) {
		struct ucp_edit tmp = ed[0];

		ed[0] = ed[1];
		ed[1] = tmp;
	}
	if (n == 2 && ed[0].end > ed[1].off)
		return -1;
	for (o = 0; o < (unsigned int)n; o++)
		if (ed[o].off > ed[o].end || ed[o].end > len)
			return -1;
	return n;
}

struct ucp_out {
	char *b;
	size_t size, n;
	bool full;
};

static void ucp_put(struct ucp_out *o, const char *s, size_t len)
{
	if (o->full || len > o->size - o->n) {
		o->full = true;
		return;
	}
	memcpy(o->b + o->n, s, len);
	o->n += len;
}

/**
 * ucp_sip_rewrite() - copy a message with some of its tokens replaced
 * @m: the parse of @in
 * @in: the message
 * @subst: what to write for each token of @m, one entry per token; NULL
 *	changes nothing
 * @out: where the new message goes; it must not overlap @in
 * @out_size: the room at @out
 * @out_len: set to the new message's length; 0 unless %UCP_SIP_OK
 *
 * A single pass copies @in with the spans of the substituted tokens
 * replaced, and Content-Length corrected when the body changed length. A
 * port is inserted where a URI or Via had none; a host changing family
 * gets brackets in URIs and Via exactly when IPv6, and SDP's IP4 or IP6
 * beside it follows.
 *
 * Return: %UCP_SIP_OK; %UCP_SIP_E_NOSPACE when @out_size is too small,
 * %UCP_SIP_E_TOO_LARGE when the new message is over %UCP_SIP_MAX_MSG,
 * %UCP_SIP_E_HEADER when @m was not parsed from @in.
 */
int ucp_sip_rewrite(const struct ucp_sip_msg *m, const char *in,
		    const struct ucp_sip_subst *subst, char *out,
		    size_t out_size, size_t *out_len)
{
	struct ucp_out o = { .b = out, .size = out_size };
	unsigned int len = m->len, body = m->body.off, pos = 0, i, k;
	unsigned int cl_off = m->content_length.off, cl_len = 0;
	struct ucp_edit ed[2];
	bool cl_pending;
	char cl[10];
	int n, delta = 0;

	*out_len = 0;
	if (len > UCP_SIP_MAX_MSG || m->ntokens > UCP_SIP_MAX_TOKENS ||
	    body + m->body.len != len)
		return UCP_SIP_E_HEADER;
	/* First how the body changes, for its Content-Length. */
	for (i = 0; subst && i < m->ntokens; i++) {
		n = ucp_tok_edits(&m->tok[i], &subst[i], in, len, ed);
		if (n < 0)
			return UCP_SIP_E_HEADER;
		for (k = 0; k < (unsigned int)n; k++) {
			if (ed[k].off < body && ed[k].end > body)
				return UCP_SIP_E_HEADER;
			if (ed[k].off >= body)
				delta += (int)ed[k].len -
					 (int)(ed[k].end - ed[k].off);
		}
	}
	cl_pending = delta && m->content_length.len;
	if (cl_pending) {
		if (cl_off + m->content_length.len > body)
			return UCP_SIP_E_HEADER;
		cl_len = ucp_fmt_u(cl, m->body.len + delta);
	}
	for (i = 0; subst && i < m->ntokens; i++) {
		n = ucp_tok_edits(&m->tok[i], &subst[i], in, len, ed);
		for (k = 0; k < (unsigned int)n; k++) {
			if (cl_pending && cl_off < ed[k].off) {
				if (cl_off < pos)
					return UCP_SIP_E_HEADER;
				ucp_put(&o, in + pos, cl_off - pos);
				ucp_put(&o, cl, cl_len);
				pos = cl_off + m->content_length.len;
				cl_pending = false;
			}
			if (ed[k].off < pos)
				return UCP_SIP_E_HEADER;
			ucp_put(&o, in + pos, ed[k].off - pos);
			ucp_put(&o, ed[k].ptr ? ed[k].ptr : ed[k].text,
				ed[k].len);
			pos = ed[k].end;
		}
	}
	if (cl_pending) {
		if (cl_off < pos)
			return UCP_SIP_E_HEADER;
		ucp_put(&o, in + pos, cl_off - pos);
		ucp_put(&o, cl, cl_len);
		pos = cl_off + m->content_length.len;
	}
	ucp_put(&o, in + pos, len - pos);
	if (o.full)
		return UCP_SIP_E_NOSPACE;
	if (o.n > UCP_SIP_MAX_MSG)
		return UCP_SIP_E_TOO_LARGE;
	*out_len = o.n;
	return UCP_SIP_OK;
}
