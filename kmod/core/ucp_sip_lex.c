// SPDX-License-Identifier: GPL-2.0
/*
 * What the SIP core (ucp_sip.c) and its SDP part (ucp_sdp.c) both read and
 * write with: IP literals, decimal numbers and the message's token table.
 * Apart from both so that neither calls the other back (pure core, total
 * over untrusted bytes like the rest).
 */
#include "ucp_core.h"
#include "ucp_sip_int.h"

/* IP literals */

/**
 * ucp_sip_ip4() - parse an IPv4 literal
 * @s: the text, not NUL-terminated
 * @len: its length: the literal must fill it
 * @a: set to the 4 address bytes, network order; may be partly written on
 *	failure
 *
 * Dotted decimal, four parts of 0 to 255, without leading zeros ("010" is
 * octal to some readers).
 *
 * Return: 0, or -1 when [@s, @s + @len) is no IPv4 literal.
 */
int ucp_sip_ip4(const char *s, unsigned int len, u8 *a)
{
	unsigned int i = 0, part;

	for (part = 0; part < 4; part++) {
		unsigned int v = 0, d = 0;

		if (part) {
			if (i >= len || s[i] != '.')
				return -1;
			i++;
		}
		while (i < len && ucp_is_digit(s[i]) && d < 4) {
			v = v * 10 + (s[i] - '0');
			d++;
			i++;
		}
		/* No leading zeros: "010" is octal to some readers. */
		if (!d || d > 3 || v > 255 || (d > 1 && s[i - d] == '0'))
			return -1;
		a[part] = v;
	}
	return i == len ? 0 : -1;
}

/**
 * ucp_sip_ip6() - parse an IPv6 literal
 * @s: the text, without brackets, not NUL-terminated
 * @len: its length: the literal must fill it
 * @a: set to the 16 address bytes, network order; untouched on failure
 *
 * The text forms of RFC 4291 section 2.2, "::" and an IPv4 tail included;
 * no zone index.
 *
 * Return: 0, or -1 when [@s, @s + @len) is no IPv6 literal.
 */
int ucp_sip_ip6(const char *s, unsigned int len, u8 *a)
{
	unsigned int n = 0, i = 0, j, k;
	int gap = -1;
	u16 w[8];

	if (len < 2)
		return -1;
	if (s[0] == ':') {
		if (s[1] != ':')
			return -1;
		gap = 0;
		i = 2;
	}
	while (i < len) {
		unsigned int v = 0;

		if (n >= 8)
			return -1;
		for (j = i; j < len && j - i < 5; j++) {
			int h = hex_to_bin(s[j]);

			if (h < 0)
				break;
			v = v << 4 | h;
		}
		if (j == i)
			return -1;
		if (j < len && s[j] == '.') {
			u8 v4[4];

			if (n > 6 || ucp_sip_ip4(s + i, len - i, v4))
				return -1;
			w[n++] = v4[0] << 8 | v4[1];
			w[n++] = v4[2] << 8 | v4[3];
			break;
		}
		if (j - i > 4)
			return -1;
		w[n++] = v;
		if (j == len)
			break;
		if (s[j] != ':')
			return -1;
		j++;
		if (j < len && s[j] == ':') {
			if (gap >= 0)
				return -1;
			gap = n;
			j++;
		} else if (j == len) {
			return -1;
		}
		i = j;
	}
	if (gap < 0 ? n != 8 : n > 7)
		return -1;
	memset(a, 0, 16);
	for (k = 0; k < n; k++) {
		unsigned int at = (gap < 0 || k < (unsigned int)gap) ? k : 8 - (n - k);

		a[2 * at] = w[k] >> 8;
		a[2 * at + 1] = w[k] & 0xff;
	}
	return 0;
}

/**
 * ucp_fmt_u() - write a number in decimal
 * @s: where, with room for 10 bytes; no NUL is written
 * @v: the number
 *
 * Return: the number of digits written, 1 to 10.
 */
unsigned int ucp_fmt_u(char *s, u32 v)
{
	char t[10];
	unsigned int n = 0, i;

	do {
		t[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		s[i] = t[n - 1 - i];
	return n;
}

/**
 * ucp_sip_new_token() - take the next token of a message
 * @m: the message being parsed
 * @kind: the token's enum ucp_sip_token_kind
 *
 * Return: the token, zeroed but for its kind and counted in @m->ntokens;
 * NULL when all %UCP_SIP_MAX_TOKENS are taken.
 */
struct ucp_sip_token *ucp_sip_new_token(struct ucp_sip_msg *m, u8 kind)
{
	struct ucp_sip_token *t;

	if (m->ntokens >= UCP_SIP_MAX_TOKENS)
		return NULL;
	t = &m->tok[m->ntokens++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	return t;
}
