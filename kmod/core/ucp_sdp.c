// SPDX-License-Identifier: GPL-2.0
/*
 * SDP (RFC 4566) and SDES a=crypto (RFC 4568) in a SIP body: the part of
 * ucp_sip_parse() that reads application/sdp. What is accepted, and why,
 * is Documentation/sip.md.
 *
 * Same rules as ucp_sip.c: reads stay inside the body, loops move forward,
 * no allocation, no recursion. Decoded keys go straight into the message
 * (which the caller wipes); a scratch copy is wiped before returning.
 */
#include "ucp_core.h"
#include "ucp_sip_int.h"

/*
 * The next field of a line at *pi: a run of non-SP bytes, which must be
 * followed by exactly one SP or the end of the line. False when there is
 * none (end of line, or an empty field: two SPs in a row).
 */
static bool ucp_field(const char *b, unsigned int *pi, unsigned int e,
		      unsigned int *fs, unsigned int *fe)
{
	unsigned int i = *pi, j;
	const char *sp;

	if (i >= e)
		return false;
	sp = memchr(b + i, ' ', e - i);
	j = sp ? sp - b : e;
	if (j == i)
		return false;
	*fs = i;
	*fe = j;
	*pi = j < e ? j + 1 : e;
	return true;
}

/* A decimal number of at most @maxd digits filling [s, e), into *v. */
static bool ucp_num(const char *b, unsigned int s, unsigned int e,
		    unsigned int maxd, u64 *v)
{
	u64 x = 0;

	if (s >= e || e - s > maxd)
		return false;
	for (; s < e; s++) {
		if (!ucp_is_digit(b[s]))
			return false;
		x = x * 10 + (b[s] - '0');
	}
	*v = x;
	return true;
}

/*
 * "<nettype> <addrtype> <address>" at *pi. For IN IP4 and IN IP6 the
 * address (a literal of the family the addrtype says, or a host name)
 * goes into *tp, which is allocated as a token of @kind when NULL. c=
 * (@suffix) may add a multicast "/ttl[/n]" or "/n", which is checked and
 * left out of the token. Other network types are not read.
 */
static int ucp_sdp_addr(struct ucp_sip_msg *m, const char *b, unsigned int *pi,
			unsigned int e, struct ucp_sip_token **tp, u8 kind,
			u8 media, bool suffix)
{
	unsigned int ns, ne, ts, te, as, ae, q, k;
	bool v6, dotted = true, colon = false;
	struct ucp_sip_token *t;
	u64 x;

	if (!ucp_field(b, pi, e, &ns, &ne) || !ucp_field(b, pi, e, &ts, &te) ||
	    !ucp_field(b, pi, e, &as, &ae))
		return UCP_SIP_E_SDP;
	if (!UCP_IEQ(b + ns, ne - ns, "in"))
		return 0;
	if (UCP_IEQ(b + ts, te - ts, "ip4"))
		v6 = false;
	else if (UCP_IEQ(b + ts, te - ts, "ip6"))
		v6 = true;
	else
		return UCP_SIP_E_SDP;
	for (q = as; q < ae && b[q] != '/'; q++) {
		if (b[q] == ':')
			colon = true;
		else if (!ucp_is_digit(b[q]) && b[q] != '.')
			dotted = false;
	}
	if (q == as)
		return UCP_SIP_E_SDP;
	if (q < ae) {
		if (!suffix)
			return UCP_SIP_E_SDP;
		for (k = q + 1; k < ae && b[k] != '/'; k++)
			;
		if (!ucp_num(b, q + 1, k, 5, &x))
			return UCP_SIP_E_SDP;
		if (k < ae && !ucp_num(b, k + 1, ae, 5, &x))
			return UCP_SIP_E_SDP;
	}
	t = *tp;
	if (!t) {
		t = ucp_sip_new_token(m, kind);
		if (!t)
			return UCP_SIP_E_TOO_MANY;
		*tp = t;
	}
	t->media = media;
	t->host.off = as;
	t->host.len = q - as;
	if (colon) {
		if (!v6)
			return UCP_SIP_E_SDP;
		if (ucp_sip_ip6(b + as, q - as, t->addr.a))
			return UCP_SIP_E_ADDRESS;
		t->addr.family = 6;
	} else if (dotted) {
		if (v6)
			return UCP_SIP_E_SDP;
		if (ucp_sip_ip4(b + as, q - as, t->addr.a))
			return UCP_SIP_E_ADDRESS;
		t->addr.family = 4;
	} else {
		for (k = as; k < q; k++)
			if (!ucp_is_hostc(b[k]))
				return UCP_SIP_E_SDP;
	}
	if (kind != UCP_TOK_SDP_RTCP)
		t->port_span.off = q;
	return 0;
}

/*
 * The end of the current media description, where a line may be added:
 * @at is the start of the next m= line, or the end of the body.
 */
static int ucp_sdp_media_end(struct ucp_sip_msg *m, unsigned int at, u8 flags)
{
	struct ucp_sip_token *t;

	if (!m->sdp.nmedia)
		return 0;
	t = ucp_sip_new_token(m, UCP_TOK_SDP_MEDIA_END);
	if (!t)
		return UCP_SIP_E_TOO_MANY;
	t->media = m->sdp.nmedia - 1;
	t->host.off = at;
	t->flags = flags;
	return 0;
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
static int ucp_sdp_media(struct ucp_sip_msg *m, const char *b, unsigned int i,
			 unsigned int e, u8 flags)
{
	struct ucp_sdp *sdp = &m->sdp;
	struct ucp_sdp_media *md;
	struct ucp_sip_token *t;
	unsigned int fs, fe, p;
	u64 port, n = 1;
	int ret;

	if (sdp->nmedia >= UCP_SDP_MAX_MEDIA)
		return UCP_SIP_E_TOO_MANY;
	ret = ucp_sdp_media_end(m, i - 2, flags);
	if (ret)
		return ret;
	md = &sdp->media[sdp->nmedia];
	memset(md, 0, sizeof(*md));
	if (!ucp_field(b, &i, e, &fs, &fe))
		return UCP_SIP_E_SDP;
	if (UCP_EQ(b + fs, fe - fs, "audio"))
		md->type = UCP_SDP_AUDIO;
	else if (UCP_EQ(b + fs, fe - fs, "video"))
		md->type = UCP_SDP_VIDEO;
	else if (UCP_EQ(b + fs, fe - fs, "image"))
		md->type = UCP_SDP_IMAGE;
	else
		md->type = UCP_SDP_OTHER;
	if (!ucp_field(b, &i, e, &fs, &fe))
		return UCP_SIP_E_SDP;
	for (p = fs; p < fe && b[p] != '/'; p++)
		;
	if (!ucp_num(b, fs, p, 5, &port) || port > 65535)
		return UCP_SIP_E_SDP;
	if (p < fe && (!ucp_num(b, p + 1, fe, 3, &n) || !n || n > 255))
		return UCP_SIP_E_SDP;
	t = ucp_sip_new_token(m, UCP_TOK_SDP_MEDIA_PORT);
	if (!t)
		return UCP_SIP_E_TOO_MANY;
	t->media = sdp->nmedia;
	t->port = port;
	t->port_span.off = fs;
	t->port_span.len = p - fs;
	t->host.off = fs;
	md->port = port;
	md->nports = n;
	if (!ucp_field(b, &i, e, &fs, &fe))
		return UCP_SIP_E_SDP;
	md->secure = UCP_IEQ(b + fs, fe - fs, "rtp/savp") ||
		     UCP_IEQ(b + fs, fe - fs, "rtp/savpf");
	md->feedback = UCP_IEQ(b + fs, fe - fs, "rtp/avpf") ||
		       UCP_IEQ(b + fs, fe - fs, "rtp/savpf");
	md->rtp = md->secure || md->feedback ||
		  UCP_IEQ(b + fs, fe - fs, "rtp/avp");
	t = ucp_sip_new_token(m, UCP_TOK_SDP_PROTO);
	if (!t)
		return UCP_SIP_E_TOO_MANY;
	t->media = sdp->nmedia;
	t->host.off = fs;
	t->host.len = fe - fs;
	md->conn = sdp->conn;
	sdp->nmedia++;
	return 0;
}

/* a=rtcp:<port> [<nettype> <addrtype> <address>] (RFC 3605) */
static int ucp_sdp_rtcp(struct ucp_sip_msg *m, const char *b, unsigned int i,
			unsigned int e)
{
	u8 idx = m->sdp.nmedia - 1;
	struct ucp_sdp_media *md = &m->sdp.media[idx];
	struct ucp_sip_token *t;
	unsigned int fs, fe;
	u64 port;
	int ret;

	if (md->has_rtcp)
		return UCP_SIP_E_SDP;
	if (!ucp_field(b, &i, e, &fs, &fe) || !ucp_num(b, fs, fe, 5, &port) ||
	    port > 65535)
		return UCP_SIP_E_SDP;
	t = ucp_sip_new_token(m, UCP_TOK_SDP_RTCP);
	if (!t)
		return UCP_SIP_E_TOO_MANY;
	t->media = idx;
	t->port = port;
	t->port_span.off = fs;
	t->port_span.len = fe - fs;
	t->host.off = fe;
	md->has_rtcp = 1;
	md->rtcp_port = port;
	if (i < e) {
		ret = ucp_sdp_addr(m, b, &i, e, &t, UCP_TOK_SDP_RTCP, idx,
				   false);
		if (ret)
			return ret;
		md->rtcp_addr = t->addr;
		if (i < e)
			return UCP_SIP_E_SDP;
	}
	return 0;
}

static const struct {
	const char *name;
	u8 len;
	u8 id;
	u8 key_len;		/* master key + master salt */
} ucp_suites[] = {
	{ "AES_CM_128_HMAC_SHA1_80", 23, UCP_SUITE_AES_CM_128_HMAC_SHA1_80, 30 },
	{ "AES_CM_128_HMAC_SHA1_32", 23, UCP_SUITE_AES_CM_128_HMAC_SHA1_32, 30 },
	{ "AES_256_CM_HMAC_SHA1_80", 23, UCP_SUITE_AES_256_CM_HMAC_SHA1_80, 46 },
	{ "AES_256_CM_HMAC_SHA1_32", 23, UCP_SUITE_AES_256_CM_HMAC_SHA1_32, 46 },
	{ "AEAD_AES_128_GCM", 16, UCP_SUITE_AEAD_AES_128_GCM, 28 },
	{ "AEAD_AES_256_GCM", 16, UCP_SUITE_AEAD_AES_256_GCM, 44 },
};

static int ucp_b64_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Base64 (RFC 4648 section 4), padded or not, canonical (unused bits
 * zero), into @out of @cap bytes. Returns the decoded length, or -1.
 */
static int ucp_b64(const char *s, unsigned int len, u8 *out, unsigned int cap)
{
	unsigned int pad = 0, i, o = 0, acc = 0, bits = 0;

	while (len && s[len - 1] == '=' && pad < 2) {
		len--;
		pad++;
	}
	if (len % 4 == 1 || (pad && (len + pad) % 4))
		return -1;
	if (len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0) > cap)
		return -1;
	for (i = 0; i < len; i++) {
		int v = ucp_b64_val(s[i]);

		if (v < 0)
			return -1;
		acc = acc << 6 | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = acc >> bits;
			acc &= (1U << bits) - 1;
		}
	}
	return acc ? -1 : (int)o;
}

static const char ucp_b64_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of @len bytes into @out, padded; returns the length written. */
static unsigned int ucp_b64_encode(const u8 *in, unsigned int len, char *out)
{
	unsigned int i, o = 0;

	for (i = 0; i + 2 < len; i += 3) {
		u32 v = in[i] << 16 | in[i + 1] << 8 | in[i + 2];

		out[o++] = ucp_b64_chars[v >> 18];
		out[o++] = ucp_b64_chars[(v >> 12) & 63];
		out[o++] = ucp_b64_chars[(v >> 6) & 63];
		out[o++] = ucp_b64_chars[v & 63];
	}
	if (i < len) {
		u32 v = in[i] << 16 | (i + 1 < len ? in[i + 1] << 8 : 0);

		out[o++] = ucp_b64_chars[v >> 18];
		out[o++] = ucp_b64_chars[(v >> 12) & 63];
		out[o++] = i + 1 < len ? ucp_b64_chars[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	return o;
}

/**
 * ucp_sdp_suite_key_len() - the inline key length of an SDES suite
 * @suite: an enum ucp_srtp_suite
 *
 * Return: the master key plus master salt bytes an a=crypto line of
 * @suite carries; 0 for a suite ucproxy does not implement.
 */
unsigned int ucp_sdp_suite_key_len(u8 suite)
{
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(ucp_suites); k++)
		if (ucp_suites[k].id == suite)
			return ucp_suites[k].key_len;
	return 0;
}

/**
 * ucp_sdp_proto_name() - the proto of an m= line
 * @secure: SRTP rather than RTP
 * @feedback: with the RTCP feedback profile (RFC 4585)
 *
 * Return: "RTP/AVP", "RTP/AVPF", "RTP/SAVP" or "RTP/SAVPF"; a constant.
 */
const char *ucp_sdp_proto_name(bool secure, bool feedback)
{
	if (secure)
		return feedback ? "RTP/SAVPF" : "RTP/SAVP";
	return feedback ? "RTP/AVPF" : "RTP/AVP";
}

/**
 * ucp_sdp_crypto_line() - write the a=crypto line that offers a key
 * @buf: where, with room for %UCP_SDP_CRYPTO_LINE_MAX bytes; no NUL is
 *	written
 * @tag: the line's tag
 * @suite: an enum ucp_srtp_suite
 * @key: the master key and salt, ucp_sdp_suite_key_len() bytes
 * @flags: the UCP_TOKF_* of the UCP_TOK_SDP_MEDIA_END or
 *	UCP_TOK_SDP_CRYPTO token the line replaces, which say its line
 *	ending (CRLF or LF, before the line too when the body's last line
 *	has none)
 *
 * The line holds @key: secret, so the caller wipes @buf.
 *
 * Return: the line's length, or 0 for a suite ucproxy does not implement
 * (and then nothing is written).
 */
unsigned int ucp_sdp_crypto_line(char *buf, u32 tag, u8 suite, const u8 *key,
				 u8 flags)
{
	const char *eol = flags & UCP_TOKF_CRLF ? "\r\n" : "\n";
	unsigned int k, n = 0, eol_len = strlen(eol);

	for (k = 0; k < ARRAY_SIZE(ucp_suites); k++)
		if (ucp_suites[k].id == suite)
			break;
	if (k == ARRAY_SIZE(ucp_suites))
		return 0;
	if (flags & UCP_TOKF_EOL_FIRST) {
		memcpy(buf, eol, eol_len);
		n = eol_len;
	}
	memcpy(buf + n, "a=crypto:", 9);
	n += 9;
	n += ucp_fmt_u(buf + n, tag);
	buf[n++] = ' ';
	memcpy(buf + n, ucp_suites[k].name, ucp_suites[k].len);
	n += ucp_suites[k].len;
	memcpy(buf + n, " inline:", 8);
	n += 8;
	n += ucp_b64_encode(key, ucp_suites[k].key_len, buf + n);
	memcpy(buf + n, eol, eol_len);
	return n + eol_len;
}

/* What one inline: key parameter says. */
struct ucp_key {
	u8 key[UCP_SDP_MAX_KEY];
	u64 lifetime;
	u8 lifetime_log2;
	u8 mki_len;
	u32 mki;
};

/* The first @c in [i, e), or e. */
static unsigned int ucp_find(const char *b, unsigned int i, unsigned int e,
			     char c)
{
	const char *p = memchr(b + i, c, e - i);

	return p ? p - b : e;
}

/*
 * "inline:" <key||salt in base64> ["|" lifetime] ["|" MKI ":" length]
 * [s, e). Lifetime is "2^n" or decimal; an MKI length is 1 to 4 bytes and
 * its value must fit in them.
 */
static int ucp_key_param(const char *b, unsigned int s, unsigned int e,
			 unsigned int key_len, struct ucp_key *k)
{
	unsigned int i, fs, fe, c;
	u64 v, len;

	if (e - s < 7 || !UCP_IEQ(b + s, 7, "inline:"))
		return UCP_SIP_E_CRYPTO;
	i = ucp_find(b, s + 7, e, '|');
	if (ucp_b64(b + s + 7, i - s - 7, k->key, sizeof(k->key)) !=
	    (int)key_len)
		return UCP_SIP_E_CRYPTO;
	while (i < e) {
		fs = i + 1;
		fe = ucp_find(b, fs, e, '|');
		c = ucp_find(b, fs, fe, ':');
		if (c < fe) {
			/* MKI:length; nothing may follow it. */
			if (k->mki_len || !ucp_num(b, fs, c, 10, &v) ||
			    v > 0xffffffffULL || !ucp_num(b, c + 1, fe, 3, &len) ||
			    !len || len > UCP_SDP_MAX_MKI ||
			    (len < 4 && v >> (8 * len)))
				return UCP_SIP_E_CRYPTO;
			k->mki = v;
			k->mki_len = len;
		} else {
			if (k->lifetime || k->mki_len)
				return UCP_SIP_E_CRYPTO;
			if (fe - fs > 2 && b[fs] == '2' && b[fs + 1] == '^') {
				if (!ucp_num(b, fs + 2, fe, 2, &v) || !v ||
				    v > 63)
					return UCP_SIP_E_CRYPTO;
				k->lifetime = 1ULL << v;
			} else if (!ucp_num(b, fs, fe, 19, &k->lifetime) ||
				   !k->lifetime) {
				return UCP_SIP_E_CRYPTO;
			}
			/* n when the lifetime is 2^n, however written. */
			if (!(k->lifetime & (k->lifetime - 1)))
				for (v = k->lifetime; v > 1; v >>= 1)
					k->lifetime_log2++;
		}
		i = fe;
	}
	return 0;
}

/*
 * a=crypto:<tag> <crypto-suite> <key-params> [<session-params>] (RFC 4568
 * section 9.1). Key parameters are ";"-separated; all are checked, the
 * first is kept. A suite we do not implement is kept by tag with no key.
 */
static int ucp_sdp_crypto(struct ucp_sdp_media *md, const char *b,
			  unsigned int s, unsigned int e)
{
	struct ucp_sdp_crypto *cr;
	unsigned int i = s, fs, fe, j, k, key_len = 0;
	struct ucp_key key;
	int ret = 0;
	u64 v;

	if (md->ncrypto >= UCP_SDP_MAX_CRYPTO)
		return UCP_SIP_E_TOO_MANY;
	cr = &md->crypto[md->ncrypto];
	memset(cr, 0, sizeof(*cr));
	cr->line.off = s;
	cr->line.len = e - s;
	if (!ucp_field(b, &i, e, &fs, &fe) || !ucp_num(b, fs, fe, 9, &v))
		return UCP_SIP_E_CRYPTO;
	cr->tag = v;
	if (!ucp_field(b, &i, e, &fs, &fe))
		return UCP_SIP_E_CRYPTO;
	for (j = fs; j < fe; j++)
		if (!ucp_is_alnum(b[j]) && b[j] != '_')
			return UCP_SIP_E_CRYPTO;
	cr->suite = UCP_SUITE_UNKNOWN;
	for (k = 0; k < ARRAY_SIZE(ucp_suites); k++) {
		if (fe - fs == ucp_suites[k].len &&
		    !memcmp(b + fs, ucp_suites[k].name, ucp_suites[k].len)) {
			cr->suite = ucp_suites[k].id;
			key_len = ucp_suites[k].key_len;
		}
	}
	if (!ucp_field(b, &i, e, &fs, &fe))
		return UCP_SIP_E_CRYPTO;
	for (j = fs; key_len && !ret && j < fe; j = k + 1) {
		k = ucp_find(b, j, fe, ';');
		memset(&key, 0, sizeof(key));
		ret = ucp_key_param(b, j, k, key_len, &key);
		if (!ret && j == fs) {
			memcpy(cr->key, key.key, key_len);
			cr->key_len = key_len;
			cr->lifetime = key.lifetime;
			cr->lifetime_log2 = key.lifetime_log2;
			cr->mki = key.mki;
			cr->mki_len = key.mki_len;
		}
		if (!ret && k + 1 == fe)
			ret = UCP_SIP_E_CRYPTO;	/* a trailing ";" */
	}
	memzero_explicit(&key, sizeof(key));
	if (ret)
		return ret;
	/* Session parameters; unknown ones are left to the glue's policy. */
	while (ucp_field(b, &i, e, &fs, &fe)) {
		if (fe - fs > 4 && UCP_EQ(b + fs, 4, "KDR=")) {
			if (!ucp_num(b, fs + 4, fe, 2, &v) || v > 24)
				return UCP_SIP_E_CRYPTO;
			cr->kdr = v;
		} else if (UCP_EQ(b + fs, fe - fs, "UNENCRYPTED_SRTP")) {
			cr->unencrypted_srtp = 1;
		} else if (UCP_EQ(b + fs, fe - fs, "UNENCRYPTED_SRTCP")) {
			cr->unencrypted_srtcp = 1;
		} else if (UCP_EQ(b + fs, fe - fs, "UNAUTHENTICATED_SRTP")) {
			cr->unauthenticated_srtp = 1;
		}
	}
	if (i < e)
		return UCP_SIP_E_CRYPTO;
	md->ncrypto++;
	return 0;
}

/*
 * An a=crypto line, whole: [@ls, @next) is the line with its ending, the
 * span the media glue replaces or deletes.
 */
static int ucp_sdp_crypto_token(struct ucp_sip_msg *m, const char *b,
				unsigned int ls, unsigned int next)
{
	struct ucp_sdp_media *md = &m->sdp.media[m->sdp.nmedia - 1];
	struct ucp_sip_token *t;

	t = ucp_sip_new_token(m, UCP_TOK_SDP_CRYPTO);
	if (!t)
		return UCP_SIP_E_TOO_MANY;
	t->media = m->sdp.nmedia - 1;
	t->index = md->ncrypto - 1;
	t->host.off = ls;
	t->host.len = next - ls;
	/* A line put in its place ends as the line did (or in CRLF). */
	if (next - ls < 2 || b[next - 1] != '\n' || b[next - 2] == '\r')
		t->flags = UCP_TOKF_CRLF;
	return 0;
}

/*
 * A media-level a= line [s, e) (after "a="); the whole line, with its
 * ending, is [s - 2, next).
 */
static int ucp_sdp_attr(struct ucp_sip_msg *m, const char *b, unsigned int s,
			unsigned int e, unsigned int next)
{
	struct ucp_sdp_media *md = &m->sdp.media[m->sdp.nmedia - 1];
	int ret;

	if (e - s > 5 && UCP_EQ(b + s, 5, "rtcp:"))
		return ucp_sdp_rtcp(m, b, s + 5, e);
	if (UCP_EQ(b + s, e - s, "rtcp-mux")) {
		md->rtcp_mux = 1;
		return 0;
	}
	if (e - s > 7 && UCP_EQ(b + s, 7, "crypto:")) {
		ret = ucp_sdp_crypto(md, b, s + 7, e);
		return ret ? ret : ucp_sdp_crypto_token(m, b, s - 2, next);
	}
	return 0;
}

/*
 * Translation to SRTP writes one a=crypto line into a media description
 * that has none, at its UCP_TOK_SDP_MEDIA_END (and removes all but one
 * where there are several). Re-parsed, such a description has one token
 * more. Refuse now what could only be rewritten into a message this
 * parser would refuse at the next hop or on a retransmission: the token
 * budget holds a crypto line for every media description.
 */
static int ucp_sdp_crypto_room(const struct ucp_sip_msg *m)
{
	unsigned int i, need = m->ntokens;

	for (i = 0; i < m->sdp.nmedia; i++)
		if (!m->sdp.media[i].ncrypto)
			need++;
	return need > UCP_SIP_MAX_TOKENS ? UCP_SIP_E_TOO_MANY : 0;
}

/**
 * ucp_sdp_parse() - parse the SDP body of a SIP message
 * @m: the message being parsed: its SDP into @m->sdp, its tokens added to
 *	@m->tok
 * @b: the message
 * @off: where the body starts
 * @end: where it ends, the message's end
 *
 * The part of ucp_sip_parse() that reads an application/sdp body. Lines
 * end in CRLF or LF (a lone CR is refused), the last may end without.
 * Empty lines and trailing white space are skipped. v=0 comes first and
 * o= second; c= at most once per level; attributes are read at media
 * level only (a=rtcp and a=crypto are media-level attributes). Each media
 * description gets a UCP_TOK_SDP_MEDIA_END token, and the token budget
 * keeps room for the a=crypto line each one without can gain. Keys are
 * decoded into @m->sdp, which the caller wipes.
 *
 * Return: 0, or a positive enum ucp_sip_reason.
 */
int ucp_sdp_parse(struct ucp_sip_msg *m, const char *b, unsigned int off,
		  unsigned int end)
{
	struct ucp_sdp *sdp = &m->sdp;
	unsigned int p = off, ls, le, vs, fs, fe, n = 0;
	bool conn = false, mconn = false;
	struct ucp_sip_token *t;
	u8 eol = 0;
	int ret;

	while (p < end) {
		const char *nl = memchr(b + p, '\n', end - p);
		const char *cr;

		ls = p;
		le = nl ? nl - b : end;
		p = nl ? le + 1 : end;
		cr = memchr(b + ls, '\r', le - ls);
		if (cr) {
			if (!nl || cr != nl - 1)
				return UCP_SIP_E_SDP;
			le--;
		}
		if (nl)
			eol = cr ? UCP_TOKF_CRLF : 0;
		while (le > ls && ucp_is_wsp(b[le - 1]))
			le--;
		if (le == ls)
			continue;
		if (le - ls < 2 || b[ls] < 'a' || b[ls] > 'z' || b[ls + 1] != '=')
			return UCP_SIP_E_SDP;
		vs = ls + 2;
		n++;
		if (n == 1) {
			if (b[ls] != 'v' || !UCP_EQ(b + vs, le - vs, "0"))
				return UCP_SIP_E_SDP;
			continue;
		}
		if (n == 2 && b[ls] != 'o')
			return UCP_SIP_E_SDP;
		ret = 0;
		t = NULL;
		switch (b[ls]) {
		case 'v':
			return UCP_SIP_E_SDP;
		case 'o':
			if (n != 2)
				return UCP_SIP_E_SDP;
			/* <username> <sess-id> <sess-version>, then the address */
			if (!ucp_field(b, &vs, le, &fs, &fe) ||
			    !ucp_field(b, &vs, le, &fs, &fe) ||
			    !ucp_field(b, &vs, le, &fs, &fe))
				return UCP_SIP_E_SDP;
			ret = ucp_sdp_addr(m, b, &vs, le, &t, UCP_TOK_SDP_ORIGIN,
					   0, false);
			if (!ret && t)
				sdp->origin = t->addr;
			break;
		case 'c':
			if (!sdp->nmedia) {
				if (conn)
					return UCP_SIP_E_SDP;
				conn = true;
				ret = ucp_sdp_addr(m, b, &vs, le, &t,
						   UCP_TOK_SDP_CONN, 0, true);
				if (!ret && t)
					sdp->conn = t->addr;
				break;
			}
			if (mconn)
				return UCP_SIP_E_SDP;
			mconn = true;
			ret = ucp_sdp_addr(m, b, &vs, le, &t,
					   UCP_TOK_SDP_MEDIA_CONN,
					   sdp->nmedia - 1, true);
			if (!ret && t)
				sdp->media[sdp->nmedia - 1].conn = t->addr;
			break;
		case 'm':
			mconn = false;
			ret = ucp_sdp_media(m, b, vs, le, eol);
			break;
		case 'a':
			if (sdp->nmedia)
				ret = ucp_sdp_attr(m, b, vs, le, p);
			break;
		}
		if (ret)
			return ret;
		/* Nothing after the address of o= and c=. */
		if ((b[ls] == 'o' || b[ls] == 'c') && vs < le)
			return UCP_SIP_E_SDP;
	}
	if (n < 2)
		return UCP_SIP_E_SDP;
	if (end > off && b[end - 1] != '\n')
		eol |= UCP_TOKF_EOL_FIRST;
	ret = ucp_sdp_media_end(m, end, eol);
	if (ret)
		return ret;
	return ucp_sdp_crypto_room(m);
}
