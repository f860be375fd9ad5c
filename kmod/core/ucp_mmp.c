// SPDX-License-Identifier: GPL-2.0
/*
 * MMP core: the scan of a message's header block, line by line and byte by
 * byte, so that a stream is refused at the first byte that breaks a rule
 * (a binary stream at its first control byte, an overlong header block
 * at its cap) without waiting for bytes that cannot make it right.
 *
 * The header block is searched only within its cap: a scan never looks at
 * more than header_max bytes of header, whatever the caller holds.
 */
#include "ucp_mmp.h"
#include "ucp_spec.h"

/**
 * ucp_mmp_reason_name() - the name of an MMP reason
 * @reason: an enum ucp_mmp_reason
 *
 * Return: a short, stable name ("header_too_long") for counters, logs and
 * tests, the refusals' from the spec (as their counters are named);
 * "unknown" for a value that is no reason.
 */
const char *ucp_mmp_reason_name(unsigned int reason)
{
	switch (reason) {
	case UCP_MMP_OK:
		return "ok";
	case UCP_MMP_E_INCOMPLETE:
		return "incomplete";
	}
	return ucp_spec_name(&ucp_spec_mmp_bad,
			     reason - UCP_MMP_E_HEADER_TOO_LONG) ?: "unknown";
}

/* RFC 9110 token characters: what a header name is made of. */
static bool is_tchar(u8 c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'':
	case '*': case '+': case '-': case '.': case '^': case '_':
	case '`': case '|': case '~':
		return true;
	}
	return false;
}

/* A value byte: printable ASCII, space, tab, or any byte of UTF-8. */
static bool is_vchar(u8 c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static u8 lower(u8 c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* The state of one scan. */
struct mmp_scan {
	const u8 *buf;
	u32 end;		/* bytes of header the scan may look at */
	u32 header_max;		/* the effective header cap */
	u32 content_max;	/* the effective content cap */
	bool header_capped;	/* the cap is the caller's, not UCP_MMP_MAX_MSG */
	bool content_capped;
	bool have_cl;
	u32 cl;
	struct ucp_mmp_msg *m;
};

/**
 * ucp_mmp_name_is() - whether a header's name is @name, ignoring case
 * @buf: the message
 * @h: one of its header lines (ucp_mmp_header_next())
 * @name: the name, in lower case
 *
 * Return: true when the names are equal but for ASCII case.
 */
bool ucp_mmp_name_is(const u8 *buf, const struct ucp_mmp_header *h,
		     const char *name)
{
	u32 i;

	for (i = 0; i < h->name_len; i++)
		if (!name[i] || lower(buf[h->name_off + i]) != (u8)name[i])
			return false;
	return !name[i];
}

/* Content-Length: digits only, at most UCP_MMP_CL_DIGITS of them, once. */
static int content_length(struct mmp_scan *s, const struct ucp_mmp_header *h)
{
	u64 v = 0;
	u32 i;

	if (s->have_cl || !h->value_len || h->value_len > UCP_MMP_CL_DIGITS)
		return UCP_MMP_E_CONTENT_LENGTH;
	for (i = 0; i < h->value_len; i++) {
		u8 c = s->buf[h->value_off + i];

		if (c < '0' || c > '9')
			return UCP_MMP_E_CONTENT_LENGTH;
		v = v * 10 + (c - '0');
	}
	if (v > s->content_max)
		return s->content_capped ? UCP_MMP_E_CONTENT_TOO_LONG :
					   UCP_MMP_E_TOO_LARGE;
	s->have_cl = true;
	s->cl = v;
	return 0;
}

/*
 * The rules on one complete header line, in its syntax already checked.
 * Stricter rules on names or values go here.
 */
static int header_rule(struct mmp_scan *s, const struct ucp_mmp_header *h)
{
	if (ucp_mmp_name_is(s->buf, h, "content-length"))
		return content_length(s, h);
	return 0;
}

/*
 * The rules on the whole header block (@header_len bytes), once its empty
 * line is there. Rules on the set of headers go here.
 */
static int message_rule(struct mmp_scan *s, u32 header_len)
{
	if (!s->have_cl)
		return UCP_MMP_E_NO_CONTENT_LENGTH;
	if (s->cl > UCP_MMP_MAX_MSG - header_len)
		return UCP_MMP_E_TOO_LARGE;
	return 0;
}

/* A refusal decided by the first @decided bytes. */
static int refuse(struct mmp_scan *s, int reason, u32 decided)
{
	s->m->decided = decided;
	return reason;
}

/*
 * Running out of bytes inside the header block: more are needed, unless
 * the cap is reached, which the block cannot end within any more.
 */
static int out_of_bytes(struct mmp_scan *s)
{
	if (s->end < s->header_max)
		return UCP_MMP_E_INCOMPLETE;
	return refuse(s, s->header_capped ? UCP_MMP_E_HEADER_TOO_LONG :
			 UCP_MMP_E_TOO_LARGE, s->header_max);
}

/*
 * One line from @start: on its end *next is where the following line
 * starts and, for a header line, @h says where its parts are; an empty
 * line leaves h->name_len 0. Returns 0, INCOMPLETE or a refusal.
 */
static int scan_line(struct mmp_scan *s, u32 start, u32 *next,
		     struct ucp_mmp_header *h)
{
	enum { NAME, SPACE, VALUE } state = NAME;
	const u8 *b = s->buf;
	u32 i;

	memset(h, 0, sizeof(*h));
	h->name_off = start;
	for (i = start; i < s->end; i++) {
		u8 c = b[i];

		if (c == '\r' || c == '\n') {
			if (state == SPACE)
				return refuse(s, UCP_MMP_E_NO_SPACE, i + 1);
			if (state == NAME && i != start)
				return refuse(s, UCP_MMP_E_HEADER, i + 1);
			if (c == '\r') {
				if (i + 1 >= s->end)
					return out_of_bytes(s);
				if (b[i + 1] != '\n')
					return refuse(s, UCP_MMP_E_HEADER, i + 2);
			}
			if (state == VALUE)
				h->value_len = i - h->value_off;
			*next = i + (c == '\r' ? 2 : 1);
			return 0;
		}
		switch (state) {
		case NAME:
			if (c == ':' && i != start) {
				h->name_len = i - start;
				state = SPACE;
			} else if (!is_tchar(c)) {
				return refuse(s, UCP_MMP_E_HEADER, i + 1);
			}
			break;
		case SPACE:
			if (c != ' ')
				return refuse(s, UCP_MMP_E_NO_SPACE, i + 1);
			h->value_off = i + 1;
			state = VALUE;
			break;
		case VALUE:
			if (!is_vchar(c))
				return refuse(s, UCP_MMP_E_HEADER, i + 1);
			break;
		}
	}
	return out_of_bytes(s);
}

/**
 * ucp_mmp_scan() - frame and check the first message of a stream
 * @buf: the bytes received so far, from the message's first byte
 * @len: how many
 * @lim: the caps of the direction the bytes go
 * @m: what was found: the lengths on %UCP_MMP_OK, the deciding bytes on
 *	a refusal
 *
 * Looks at no more of the header block than its cap (or %UCP_MMP_MAX_MSG)
 * and never at the body.
 *
 * Return: %UCP_MMP_OK when @buf starts with a whole message of m->len
 * bytes; %UCP_MMP_E_INCOMPLETE when nothing is wrong yet but more bytes
 * are needed; another enum ucp_mmp_reason when the stream breaks a rule,
 * with m->decided the number of bytes that decided it.
 */
int ucp_mmp_scan(const u8 *buf, size_t len, const struct ucp_mmp_limits *lim,
		 struct ucp_mmp_msg *m)
{
	struct mmp_scan s = { .buf = buf, .m = m };
	struct ucp_mmp_header h;
	u32 pos = 0, next;
	int ret;

	memset(m, 0, sizeof(*m));
	s.header_capped = lim->header_max && lim->header_max <= UCP_MMP_MAX_MSG;
	s.header_max = s.header_capped ? lim->header_max : UCP_MMP_MAX_MSG;
	s.content_capped = lim->content_max && lim->content_max <= UCP_MMP_MAX_MSG;
	s.content_max = s.content_capped ? lim->content_max : UCP_MMP_MAX_MSG;
	s.end = len < s.header_max ? (u32)len : s.header_max;

	for (;;) {
		ret = scan_line(&s, pos, &next, &h);
		if (ret)
			return ret;
		if (!h.name_len)
			break;		/* the empty line */
		m->headers++;
		ret = header_rule(&s, &h);
		if (ret)
			return refuse(&s, ret, next);
		pos = next;
	}
	ret = message_rule(&s, next);
	if (ret)
		return refuse(&s, ret, next);
	m->header_len = next;
	m->content_len = s.cl;
	if (len - next < s.cl)
		return UCP_MMP_E_INCOMPLETE;
	m->len = next + s.cl;
	return UCP_MMP_OK;
}

/**
 * ucp_mmp_header_next() - the next header line of a scanned message
 * @buf: the message
 * @header_len: its header block's length (struct ucp_mmp_msg)
 * @pos: where to look, 0 for the first line; moved past the line found
 * @h: set to the line's parts
 *
 * Meant for a message ucp_mmp_scan() accepted; on any other bytes it
 * stays within @header_len and stops at what is not a header line.
 *
 * Return: true with @h set, false at the empty line (or past the block).
 */
bool ucp_mmp_header_next(const u8 *buf, u32 header_len, u32 *pos,
			 struct ucp_mmp_header *h)
{
	u32 i = *pos, colon = header_len, end;

	while (i < header_len && buf[i] != '\n') {
		if (colon == header_len && buf[i] == ':')
			colon = i;
		i++;
	}
	if (i >= header_len || colon == *pos || colon + 1 >= i)
		return false;
	end = i > *pos && buf[i - 1] == '\r' ? i - 1 : i;
	h->name_off = *pos;
	h->name_len = colon - *pos;
	h->value_off = colon + 2 <= end ? colon + 2 : end;
	h->value_len = end - h->value_off;
	*pos = i + 1;
	return true;
}
