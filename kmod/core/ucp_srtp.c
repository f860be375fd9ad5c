// SPDX-License-Identifier: GPL-2.0
/*
 * SRTP and SRTCP (RFC 3711), with the AES-256 suites of RFC 6188 and the
 * AES-GCM suites of RFC 7714: the pure transform. It includes only the
 * shim and the crypto backend interface, so the module and the userspace
 * build (unit tests, fuzzing, benchmarks) compile the same source.
 *
 * Packets are transformed in place. Per packet: no allocation, no
 * recursion, every length checked before it is used, tags compared in
 * constant time, state (rollover counter, replay window) changed only
 * after a packet authenticated.
 */
#include "ucp_core.h"
#include "ucp_crypto.h"
#include "ucp_srtp.h"

struct ucp_srtp_suite_info {
	const char *name;
	u8 key_len;
	u8 salt_len;
	u8 rtp_tag_len;
	u8 rtcp_tag_len;
	bool aead;
};

/*
 * RFC 4568 6.2: the _32 suites shorten only the SRTP tag; SRTCP keeps 80
 * bits. RFC 7714: GCM's tag is 16 bytes, its salt 12.
 */
static const struct ucp_srtp_suite_info ucp_srtp_suites[UCP_SRTP_SUITE_COUNT] = {
	[UCP_SRTP_AES_CM_128_HMAC_SHA1_80] = {
		"AES_CM_128_HMAC_SHA1_80", 16, 14, 10, 10, false },
	[UCP_SRTP_AES_CM_128_HMAC_SHA1_32] = {
		"AES_CM_128_HMAC_SHA1_32", 16, 14, 4, 10, false },
	[UCP_SRTP_AES_256_CM_HMAC_SHA1_80] = {
		"AES_256_CM_HMAC_SHA1_80", 32, 14, 10, 10, false },
	[UCP_SRTP_AES_256_CM_HMAC_SHA1_32] = {
		"AES_256_CM_HMAC_SHA1_32", 32, 14, 4, 10, false },
	[UCP_SRTP_AEAD_AES_128_GCM] = {
		"AEAD_AES_128_GCM", 16, 12, 16, 16, true },
	[UCP_SRTP_AEAD_AES_256_GCM] = {
		"AEAD_AES_256_GCM", 32, 12, 16, 16, true },
};

static const char *const ucp_srtp_status_names[UCP_SRTP_STATUS_COUNT] = {
	[UCP_SRTP_OK] = "ok",
	[UCP_SRTP_TOO_SHORT] = "too-short",
	[UCP_SRTP_BAD_VERSION] = "bad-version",
	[UCP_SRTP_BAD_HEADER] = "bad-header",
	[UCP_SRTP_NO_ROOM] = "no-room",
	[UCP_SRTP_UNKNOWN_MKI] = "unknown-mki",
	[UCP_SRTP_AUTH_FAIL] = "auth-fail",
	[UCP_SRTP_REPLAY] = "replay",
	[UCP_SRTP_TOO_OLD] = "too-old",
	[UCP_SRTP_EXHAUSTED] = "exhausted",
	[UCP_SRTP_SSRC_LIMIT] = "ssrc-limit",
	[UCP_SRTP_CRYPTO_ERR] = "crypto-error",
};

/* RFC 3711 4.3.2: key derivation labels. */
enum {
	UCP_LABEL_RTP_ENC,
	UCP_LABEL_RTP_AUTH,
	UCP_LABEL_RTP_SALT,
	UCP_LABEL_RTCP_ENC,
	UCP_LABEL_RTCP_AUTH,
	UCP_LABEL_RTCP_SALT,
};

#define UCP_AUTH_KEY_LEN	20	/* HMAC-SHA1 session key, n_a = 160 */
#define UCP_RTP_HDR_LEN		12
#define UCP_RTCP_HDR_LEN	8
#define UCP_SRTCP_INDEX_LEN	4
#define UCP_SRTCP_E_FLAG	0x80000000u
#define UCP_SRTCP_INDEX_MAX	0x7fffffffu
#define UCP_ROC_MAX		0xffffffffu

static inline u16 ucp_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 ucp_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void ucp_put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/**
 * ucp_srtp_status_name() - the name of a per-packet status
 * @st: the status
 *
 * Return: a short, stable name ("auth-fail") for counters and logs;
 * "unknown" for a value that is no status.
 */
const char *ucp_srtp_status_name(enum ucp_srtp_status st)
{
	if ((unsigned int)st >= UCP_SRTP_STATUS_COUNT)
		return "unknown";
	return ucp_srtp_status_names[st];
}

/**
 * ucp_srtp_suite_name() - the SDES name of a profile
 * @suite: the profile
 *
 * Return: its RFC 4568 name ("AES_CM_128_HMAC_SHA1_80"), or "unknown".
 */
const char *ucp_srtp_suite_name(enum ucp_srtp_profile suite)
{
	if ((unsigned int)suite >= UCP_SRTP_SUITE_COUNT)
		return "unknown";
	return ucp_srtp_suites[suite].name;
}

/**
 * ucp_srtp_key_len() - the master key length of a profile
 * @suite: the profile
 *
 * Return: 16 or 32 bytes; 0 for an unknown profile.
 */
unsigned int ucp_srtp_key_len(enum ucp_srtp_profile suite)
{
	if ((unsigned int)suite >= UCP_SRTP_SUITE_COUNT)
		return 0;
	return ucp_srtp_suites[suite].key_len;
}

/**
 * ucp_srtp_salt_len() - the master salt length of a profile
 * @suite: the profile
 *
 * Return: 14 bytes (AES-CM) or 12 (GCM); 0 for an unknown profile.
 */
unsigned int ucp_srtp_salt_len(enum ucp_srtp_profile suite)
{
	if ((unsigned int)suite >= UCP_SRTP_SUITE_COUNT)
		return 0;
	return ucp_srtp_suites[suite].salt_len;
}

/**
 * ucp_srtp_rtp_overhead() - what protecting an RTP packet appends
 * @s: the context
 *
 * Return: the bytes ucp_srtp_protect() adds to a packet: MKI and tag.
 */
unsigned int ucp_srtp_rtp_overhead(const struct ucp_srtp *s)
{
	return s->mki_len + s->rtp_tag_len;
}

/**
 * ucp_srtp_rtcp_overhead() - what protecting an RTCP packet appends
 * @s: the context
 *
 * Return: the bytes ucp_srtcp_protect() adds to a packet: SRTCP index,
 * MKI and tag.
 */
unsigned int ucp_srtp_rtcp_overhead(const struct ucp_srtp *s)
{
	return UCP_SRTCP_INDEX_LEN + s->mki_len + s->rtcp_tag_len;
}

/**
 * ucp_srtp_is_rtcp() - whether a packet on an rtcp-mux port is RTCP
 * @pkt: the packet
 * @len: its length
 *
 * RFC 5761 section 4: the second byte, RTCP's packet type, is in
 * 192..223. The caller then uses the ucp_srtcp_* calls on the same
 * context.
 *
 * Return: true for RTCP; false for RTP and for a packet of under 2 bytes.
 */
bool ucp_srtp_is_rtcp(const u8 *pkt, unsigned int len)
{
	return len >= 2 && pkt[1] >= 192 && pkt[1] <= 223;
}

/* ---- Key derivation (RFC 3711 4.3.1, with KDR 0: r = 0) ---- */

/*
 * Session key of @label, @len bytes, into @out: the AES-CM keystream of
 * the master key from IV = (master_salt XOR label << 48) * 2^16. A GCM
 * master salt (12 bytes) is zero-padded to 14, as libsrtp does.
 */
static int ucp_srtp_kdf(struct ucp_aes_ctr *prf, const u8 *msalt, u8 label,
			u8 *out, unsigned int len)
{
	u8 iv[UCP_AES_BLOCK];

	memcpy(iv, msalt, UCP_SRTP_MAX_SALT_LEN);
	iv[14] = 0;
	iv[15] = 0;
	iv[7] ^= label;
	memset(out, 0, len);
	return ucp_aes_ctr_crypt(prf, iv, out, len);
}

static int ucp_srtp_derive(struct ucp_srtp *s, struct ucp_aes_ctr *prf,
			   const u8 *msalt, struct ucp_srtp_keys *k, u8 base)
{
	int err;

	err = ucp_srtp_kdf(prf, msalt, base, s->scratch, s->key_len);
	if (err)
		return err;
	if (s->aead)
		err = ucp_aes_gcm_alloc(&k->gcm, s->scratch, s->key_len);
	else
		err = ucp_aes_ctr_alloc(&k->ctr, s->scratch, s->key_len);
	if (err)
		return err;
	if (!s->aead) {
		err = ucp_srtp_kdf(prf, msalt, base + 1, s->scratch,
				   UCP_AUTH_KEY_LEN);
		if (err)
			return err;
		err = ucp_hmac_sha1_alloc(&k->hmac, s->scratch,
					  UCP_AUTH_KEY_LEN);
		if (err)
			return err;
	}
	return ucp_srtp_kdf(prf, msalt, base + 2, k->salt, s->salt_len);
}

static void ucp_srtp_keys_free(struct ucp_srtp_keys *k)
{
	ucp_aes_ctr_free(k->ctr);
	ucp_hmac_sha1_free(k->hmac);
	ucp_aes_gcm_free(k->gcm);
	k->ctr = NULL;
	k->hmac = NULL;
	k->gcm = NULL;
}

/**
 * ucp_srtp_destroy() - free a context and wipe it
 * @s: the context; after ucp_srtp_init(), failed or not, or all zero
 *
 * Frees the backend contexts and wipes every key and state in @s.
 *
 * Context: where the crypto API's frees may run: process context (a
 * workqueue, or after synchronize_rcu()), not the packet path.
 */
void ucp_srtp_destroy(struct ucp_srtp *s)
{
	ucp_srtp_keys_free(&s->rtp);
	ucp_srtp_keys_free(&s->rtcp);
	memzero_explicit(s, sizeof(*s));
}

/**
 * ucp_srtp_init() - set up a context from its master key
 * @s: the context, overwritten; not on the stack (the backend maps its
 *	scratch)
 * @p: the profile, master key and salt, MKI and key derivation rate; the
 *	key and salt are not kept
 *
 * Derives the session keys of RTP and RTCP (RFC 3711 section 4.3) and
 * allocates the backend contexts that hold them. No later call on @s
 * allocates.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for a bad parameter, -EOPNOTSUPP for a key
 * derivation rate other than 0, -ENOMEM or a backend error. On failure @s
 * holds nothing to free (ucp_srtp_destroy() is still safe).
 */
int ucp_srtp_init(struct ucp_srtp *s, const struct ucp_srtp_params *p)
{
	const struct ucp_srtp_suite_info *info;
	u8 msalt[UCP_SRTP_MAX_SALT_LEN] = { 0 };
	struct ucp_aes_ctr *prf = NULL;
	int err;

	memset(s, 0, sizeof(*s));
	if ((unsigned int)p->suite >= UCP_SRTP_SUITE_COUNT || !p->master_key ||
	    !p->master_salt || p->mki_len > UCP_SRTP_MAX_MKI_LEN ||
	    (p->mki_len && !p->mki))
		return -EINVAL;
	/*
	 * A KDR other than 0 re-derives the session keys every KDR packets,
	 * per SSRC: keys per packet index. Not supported (nor by libsrtp).
	 */
	if (p->kdr)
		return -EOPNOTSUPP;
	info = &ucp_srtp_suites[p->suite];
	s->suite = p->suite;
	s->key_len = info->key_len;
	s->salt_len = info->salt_len;
	s->rtp_tag_len = info->rtp_tag_len;
	s->rtcp_tag_len = info->rtcp_tag_len;
	s->aead = info->aead;
	s->mki_len = p->mki_len;
	if (p->mki_len)
		memcpy(s->mki, p->mki, p->mki_len);
	memcpy(msalt, p->master_salt, info->salt_len);

	err = ucp_aes_ctr_alloc(&prf, p->master_key, info->key_len);
	if (!err)
		err = ucp_srtp_derive(s, prf, msalt, &s->rtp,
				      UCP_LABEL_RTP_ENC);
	if (!err)
		err = ucp_srtp_derive(s, prf, msalt, &s->rtcp,
				      UCP_LABEL_RTCP_ENC);
	ucp_aes_ctr_free(prf);
	memzero_explicit(msalt, sizeof(msalt));
	memzero_explicit(s->scratch, sizeof(s->scratch));
	if (err)
		ucp_srtp_destroy(s);
	return err;
}

/* ---- SSRC table and replay windows ---- */

/*
 * The state of @ssrc, or NULL for a new one: then UCP_SRTP_SSRC_LIMIT in
 * *@st when there is no room for it (checked before any crypto).
 */
static struct ucp_srtp_ssrc *ucp_srtp_find(struct ucp_srtp *s, u32 ssrc,
					   enum ucp_srtp_status *st)
{
	unsigned int i;

	for (i = 0; i < s->nssrcs; i++)
		if (s->ssrcs[i].ssrc == ssrc)
			return &s->ssrcs[i];
	*st = s->nssrcs < UCP_SRTP_SSRCS ? UCP_SRTP_OK : UCP_SRTP_SSRC_LIMIT;
	return NULL;
}

/* The state of @ssrc after a packet of it authenticated (or was sent). */
static struct ucp_srtp_ssrc *ucp_srtp_claim(struct ucp_srtp *s,
					    struct ucp_srtp_ssrc *e, u32 ssrc)
{
	if (e)
		return e;
	e = &s->ssrcs[s->nssrcs++];	/* ucp_srtp_find() checked the room */
	memset(e, 0, sizeof(*e));
	e->used = true;
	e->ssrc = ssrc;
	return e;
}

/* May @idx pass the window @w (@seen: any index accepted before)? */
static enum ucp_srtp_status ucp_window_check(const struct ucp_srtp_window *w,
					     bool seen, u64 idx)
{
	u64 d;

	if (!seen || idx > w->top)
		return UCP_SRTP_OK;
	d = w->top - idx;
	if (d >= UCP_SRTP_WINDOW)
		return UCP_SRTP_TOO_OLD;
	if ((w->bits[d / 64] >> (d % 64)) & 1)
		return UCP_SRTP_REPLAY;
	return UCP_SRTP_OK;
}

/* Record @idx, which ucp_window_check() let pass. */
static void ucp_window_accept(struct ucp_srtp_window *w, bool seen, u64 idx)
{
	unsigned int words, bits, i;
	u64 n, d;

	if (!seen) {
		memset(w, 0, sizeof(*w));
		w->top = idx;
		w->bits[0] = 1;
		return;
	}
	if (idx <= w->top) {
		d = w->top - idx;
		w->bits[d / 64] |= 1ULL << (d % 64);
		return;
	}
	n = idx - w->top;
	w->top = idx;
	if (n >= UCP_SRTP_WINDOW) {
		memset(w->bits, 0, sizeof(w->bits));
	} else {
		/* Bit i moves to bit i + n. */
		words = n / 64;
		bits = n % 64;
		for (i = UCP_SRTP_WINDOW_WORDS; i-- > 0;) {
			u64 v = 0;

			if (i >= words) {
				v = w->bits[i - words] << bits;
				if (bits && i > words)
					v |= w->bits[i - words - 1] >>
					     (64 - bits);
			}
			w->bits[i] = v;
		}
	}
	w->bits[0] |= 1;
}

/*
 * RFC 3711 3.3.1 and appendix A: the packet index of @seq from the highest
 * index accepted for its SSRC (none: a new SSRC starts with ROC 0).
 */
static enum ucp_srtp_status ucp_rtp_index(const struct ucp_srtp_ssrc *e,
					  u16 seq, u64 *idx)
{
	u32 roc, v;
	u16 s_l;

	if (!e || !e->rtp_seen) {
		*idx = seq;
		return UCP_SRTP_OK;
	}
	roc = e->rtp.top >> 16;
	s_l = e->rtp.top & 0xffff;
	v = roc;
	if (s_l < 0x8000) {
		if (seq > s_l && seq - s_l > 0x8000) {
			if (!roc)	/* before the stream's first packet */
				return UCP_SRTP_TOO_OLD;
			v = roc - 1;
		}
	} else if (s_l - 0x8000 > seq) {
		if (roc == UCP_ROC_MAX)
			return UCP_SRTP_EXHAUSTED;
		v = roc + 1;
	}
	*idx = (u64)v << 16 | seq;
	return UCP_SRTP_OK;
}

/* ---- RTP ---- */

/* The RTP header's length (fixed part, CSRCs, extension), checked. */
static enum ucp_srtp_status ucp_rtp_header(const u8 *pkt, unsigned int len,
					   unsigned int *hlen)
{
	unsigned int h;

	if (len < UCP_RTP_HDR_LEN)
		return UCP_SRTP_TOO_SHORT;
	if ((pkt[0] >> 6) != 2)
		return UCP_SRTP_BAD_VERSION;
	h = UCP_RTP_HDR_LEN + 4 * (pkt[0] & 0x0f);
	if (pkt[0] & 0x10) {
		if (len < 4 || h > len - 4)
			return UCP_SRTP_BAD_HEADER;
		h += 4 + 4 * ucp_get_be16(pkt + h + 2);
	}
	if (h > len)
		return UCP_SRTP_BAD_HEADER;
	*hlen = h;
	return UCP_SRTP_OK;
}

/* AES-CM IV: (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16). */
static void ucp_cm_iv(u8 *iv, const u8 *salt, u32 ssrc, u64 idx)
{
	unsigned int i;

	iv[0] = 0;
	iv[1] = 0;
	iv[2] = 0;
	iv[3] = 0;
	ucp_put_be32(iv + 4, ssrc);
	iv[8] = idx >> 40;
	iv[9] = idx >> 32;
	ucp_put_be32(iv + 10, (u32)idx);
	for (i = 0; i < UCP_SRTP_MAX_SALT_LEN; i++)
		iv[i] ^= salt[i];
	iv[14] = 0;
	iv[15] = 0;
}

/* RFC 7714 8.1 and 9.1: 00 00 || SSRC || ROC (or 00 00 || index) || SEQ. */
static void ucp_gcm_iv(u8 *iv, const u8 *salt, u32 ssrc, u32 hi, u16 lo)
{
	unsigned int i;

	iv[0] = 0;
	iv[1] = 0;
	ucp_put_be32(iv + 2, ssrc);
	ucp_put_be32(iv + 6, hi);
	iv[10] = lo >> 8;
	iv[11] = lo;
	for (i = 0; i < UCP_AES_GCM_IV_LEN; i++)
		iv[i] ^= salt[i];
}

/**
 * ucp_srtp_protect() - RTP to SRTP, in place
 * @s: the sender's context
 * @pkt: the RTP packet, in a buffer that is not on the stack
 * @len: its length
 * @room: the size of the buffer: at least @len plus
 *	ucp_srtp_rtp_overhead()
 * @out_len: set to the SRTP packet's length on %UCP_SRTP_OK
 *
 * Encrypts the payload and appends the MKI and tag. An index already sent
 * for the SSRC is refused: the same keystream never goes out twice.
 *
 * Context: any context, under the caller's lock of @s; never sleeps or
 * allocates.
 * Return: %UCP_SRTP_OK, or why the packet was refused; then it must be
 * dropped, as its bytes may have changed.
 */
enum ucp_srtp_status ucp_srtp_protect(struct ucp_srtp *s, u8 *pkt,
				      unsigned int len, unsigned int room,
				      unsigned int *out_len)
{
	u8 iv[UCP_AES_BLOCK], roc[4], tag[UCP_SHA1_LEN];
	struct ucp_srtp_ssrc *e;
	enum ucp_srtp_status st;
	unsigned int h, end;
	u32 ssrc;
	u16 seq;
	u64 idx;

	st = ucp_rtp_header(pkt, len, &h);
	if (st)
		return st;
	if (room < len || room - len < ucp_srtp_rtp_overhead(s))
		return UCP_SRTP_NO_ROOM;
	seq = ucp_get_be16(pkt + 2);
	ssrc = ucp_get_be32(pkt + 8);
	e = ucp_srtp_find(s, ssrc, &st);
	if (st)
		return st;
	st = ucp_rtp_index(e, seq, &idx);
	if (st)
		return st;
	/* Never the same keystream twice: an index already sent is refused. */
	if (e) {
		st = ucp_window_check(&e->rtp, e->rtp_seen, idx);
		if (st)
			return st;
	}

	if (s->aead) {
		ucp_gcm_iv(iv, s->rtp.salt, ssrc, idx >> 16, seq);
		if (ucp_aes_gcm_encrypt(s->rtp.gcm, iv, pkt, h, NULL, 0,
					pkt + h, len - h))
			return UCP_SRTP_CRYPTO_ERR;
		end = len + UCP_AES_GCM_TAG_LEN;
		if (s->mki_len)
			memcpy(pkt + end, s->mki, s->mki_len);
		end += s->mki_len;
	} else {
		ucp_cm_iv(iv, s->rtp.salt, ssrc, idx);
		if (len > h &&
		    ucp_aes_ctr_crypt(s->rtp.ctr, iv, pkt + h, len - h))
			return UCP_SRTP_CRYPTO_ERR;
		ucp_put_be32(roc, idx >> 16);
		if (ucp_hmac_sha1(s->rtp.hmac, pkt, len, roc, sizeof(roc), tag))
			return UCP_SRTP_CRYPTO_ERR;
		end = len;
		if (s->mki_len)
			memcpy(pkt + end, s->mki, s->mki_len);
		end += s->mki_len;
		memcpy(pkt + end, tag, s->rtp_tag_len);
		end += s->rtp_tag_len;
		memzero_explicit(tag, sizeof(tag));
	}
	e = ucp_srtp_claim(s, e, ssrc);
	ucp_window_accept(&e->rtp, e->rtp_seen, idx);
	e->rtp_seen = true;
	*out_len = end;
	return UCP_SRTP_OK;
}

/**
 * ucp_srtp_unprotect() - SRTP to RTP, in place
 * @s: the receiver's context
 * @pkt: the SRTP packet, in a buffer that is not on the stack
 * @len: its length
 * @out_len: set to the RTP packet's length on %UCP_SRTP_OK
 *
 * Checks the MKI and tag (in constant time) and the replay window, then
 * decrypts. The rollover counter and the replay window change only for a
 * packet that authenticated.
 *
 * Context: any context, under the caller's lock of @s; never sleeps or
 * allocates.
 * Return: %UCP_SRTP_OK, or why the packet was refused; then it must be
 * dropped, as its bytes may have changed.
 */
enum ucp_srtp_status ucp_srtp_unprotect(struct ucp_srtp *s, u8 *pkt,
					unsigned int len,
					unsigned int *out_len)
{
	u8 iv[UCP_AES_BLOCK], roc[4], tag[UCP_SHA1_LEN];
	unsigned int h, end, trailer;
	struct ucp_srtp_ssrc *e;
	enum ucp_srtp_status st;
	const u8 *mki;
	u32 ssrc;
	u16 seq;
	u64 idx;
	int err;

	st = ucp_rtp_header(pkt, len, &h);
	if (st)
		return st;
	trailer = ucp_srtp_rtp_overhead(s);
	if (len - h < trailer)
		return UCP_SRTP_TOO_SHORT;
	/* CM: payload | MKI | tag. GCM: payload | tag | MKI. */
	end = len - trailer;
	mki = s->aead ? pkt + len - s->mki_len : pkt + end;
	if (s->mki_len && memcmp(mki, s->mki, s->mki_len))
		return UCP_SRTP_UNKNOWN_MKI;
	seq = ucp_get_be16(pkt + 2);
	ssrc = ucp_get_be32(pkt + 8);
	e = ucp_srtp_find(s, ssrc, &st);
	if (st)
		return st;
	st = ucp_rtp_index(e, seq, &idx);
	if (st)
		return st;
	if (e) {
		st = ucp_window_check(&e->rtp, e->rtp_seen, idx);
		if (st)
			return st;
	}

	if (s->aead) {
		ucp_gcm_iv(iv, s->rtp.salt, ssrc, idx >> 16, seq);
		err = ucp_aes_gcm_decrypt(s->rtp.gcm, iv, pkt, h, NULL, 0,
					  pkt + h, end - h);
		if (err == -EBADMSG) {
			/* Leave no keystream behind in a dropped packet. */
			memzero_explicit(pkt + h, end - h);
			return UCP_SRTP_AUTH_FAIL;
		}
		if (err)
			return UCP_SRTP_CRYPTO_ERR;
	} else {
		ucp_put_be32(roc, idx >> 16);
		if (ucp_hmac_sha1(s->rtp.hmac, pkt, end, roc, sizeof(roc), tag))
			return UCP_SRTP_CRYPTO_ERR;
		err = ucp_crypto_memneq(tag, pkt + end + s->mki_len,
					s->rtp_tag_len);
		memzero_explicit(tag, sizeof(tag));
		if (err)
			return UCP_SRTP_AUTH_FAIL;
		ucp_cm_iv(iv, s->rtp.salt, ssrc, idx);
		if (end > h &&
		    ucp_aes_ctr_crypt(s->rtp.ctr, iv, pkt + h, end - h))
			return UCP_SRTP_CRYPTO_ERR;
	}
	e = ucp_srtp_claim(s, e, ssrc);
	ucp_window_accept(&e->rtp, e->rtp_seen, idx);
	e->rtp_seen = true;
	*out_len = end;
	return UCP_SRTP_OK;
}

/* ---- RTCP ---- */

static enum ucp_srtp_status ucp_rtcp_header(const u8 *pkt, unsigned int len)
{
	if (len < UCP_RTCP_HDR_LEN)
		return UCP_SRTP_TOO_SHORT;
	if ((pkt[0] >> 6) != 2)
		return UCP_SRTP_BAD_VERSION;
	return UCP_SRTP_OK;
}

/**
 * ucp_srtcp_protect() - RTCP to SRTCP, in place
 * @s: the sender's context
 * @pkt: the RTCP packet, in a buffer that is not on the stack
 * @len: its length
 * @room: the size of the buffer: at least @len plus
 *	ucp_srtp_rtcp_overhead()
 * @out_len: set to the SRTCP packet's length on %UCP_SRTP_OK
 *
 * Always encrypts (E flag set), with the SSRC's next SRTCP index. AES-CM:
 * header | encrypted | E+index | MKI | tag; the tag covers all before the
 * MKI. GCM (RFC 7714 section 9): header | encrypted | tag | E+index | MKI;
 * the AAD is the 8-byte header and the E+index word.
 *
 * Context: any context, under the caller's lock of @s; never sleeps or
 * allocates.
 * Return: %UCP_SRTP_OK, or why the packet was refused; then it must be
 * dropped, as its bytes may have changed.
 */
enum ucp_srtp_status ucp_srtcp_protect(struct ucp_srtp *s, u8 *pkt,
				       unsigned int len, unsigned int room,
				       unsigned int *out_len)
{
	u8 iv[UCP_AES_BLOCK], tag[UCP_SHA1_LEN];
	struct ucp_srtp_ssrc *e;
	enum ucp_srtp_status st;
	unsigned int end;
	u32 ssrc, idx;

	st = ucp_rtcp_header(pkt, len);
	if (st)
		return st;
	if (room < len || room - len < ucp_srtp_rtcp_overhead(s))
		return UCP_SRTP_NO_ROOM;
	ssrc = ucp_get_be32(pkt + 4);
	e = ucp_srtp_find(s, ssrc, &st);
	if (st)
		return st;
	idx = 0;
	if (e && e->rtcp_seen) {
		if (e->rtcp.top >= UCP_SRTCP_INDEX_MAX)
			return UCP_SRTP_EXHAUSTED;
		idx = e->rtcp.top + 1;
	}

	if (s->aead) {
		memcpy(s->aad, pkt, UCP_RTCP_HDR_LEN);
		ucp_put_be32(s->aad + UCP_RTCP_HDR_LEN, UCP_SRTCP_E_FLAG | idx);
		ucp_gcm_iv(iv, s->rtcp.salt, ssrc, idx >> 16, idx & 0xffff);
		if (ucp_aes_gcm_encrypt(s->rtcp.gcm, iv, s->aad, sizeof(s->aad),
					NULL, 0, pkt + UCP_RTCP_HDR_LEN,
					len - UCP_RTCP_HDR_LEN))
			return UCP_SRTP_CRYPTO_ERR;
		end = len + UCP_AES_GCM_TAG_LEN;
		ucp_put_be32(pkt + end, UCP_SRTCP_E_FLAG | idx);
		end += UCP_SRTCP_INDEX_LEN;
		if (s->mki_len)
			memcpy(pkt + end, s->mki, s->mki_len);
		end += s->mki_len;
	} else {
		ucp_cm_iv(iv, s->rtcp.salt, ssrc, idx);
		if (len > UCP_RTCP_HDR_LEN &&
		    ucp_aes_ctr_crypt(s->rtcp.ctr, iv, pkt + UCP_RTCP_HDR_LEN,
				      len - UCP_RTCP_HDR_LEN))
			return UCP_SRTP_CRYPTO_ERR;
		ucp_put_be32(pkt + len, UCP_SRTCP_E_FLAG | idx);
		end = len + UCP_SRTCP_INDEX_LEN;
		if (ucp_hmac_sha1(s->rtcp.hmac, pkt, end, NULL, 0, tag))
			return UCP_SRTP_CRYPTO_ERR;
		if (s->mki_len)
			memcpy(pkt + end, s->mki, s->mki_len);
		end += s->mki_len;
		memcpy(pkt + end, tag, s->rtcp_tag_len);
		end += s->rtcp_tag_len;
		memzero_explicit(tag, sizeof(tag));
	}
	e = ucp_srtp_claim(s, e, ssrc);
	ucp_window_accept(&e->rtcp, e->rtcp_seen, idx);
	e->rtcp_seen = true;
	*out_len = end;
	return UCP_SRTP_OK;
}

/**
 * ucp_srtcp_unprotect() - SRTCP to RTCP, in place
 * @s: the receiver's context
 * @pkt: the SRTCP packet, in a buffer that is not on the stack
 * @len: its length
 * @out_len: set to the RTCP packet's length on %UCP_SRTP_OK
 *
 * Checks the MKI, tag and replay window as ucp_srtp_unprotect() does, and
 * decrypts when the E flag says the sender encrypted.
 *
 * Context: any context, under the caller's lock of @s; never sleeps or
 * allocates.
 * Return: %UCP_SRTP_OK, or why the packet was refused; then it must be
 * dropped, as its bytes may have changed.
 */
enum ucp_srtp_status ucp_srtcp_unprotect(struct ucp_srtp *s, u8 *pkt,
					 unsigned int len,
					 unsigned int *out_len)
{
	u8 iv[UCP_AES_BLOCK], tag[UCP_SHA1_LEN];
	unsigned int end, trailer, word_at;
	struct ucp_srtp_ssrc *e;
	enum ucp_srtp_status st;
	const u8 *mki;
	u32 ssrc, word, idx;
	bool encrypted;
	int err;

	st = ucp_rtcp_header(pkt, len);
	if (st)
		return st;
	trailer = ucp_srtp_rtcp_overhead(s);
	if (len - UCP_RTCP_HDR_LEN < trailer)
		return UCP_SRTP_TOO_SHORT;
	end = len - trailer;
	if (s->aead) {
		word_at = len - s->mki_len - UCP_SRTCP_INDEX_LEN;
		mki = pkt + len - s->mki_len;
	} else {
		word_at = end;
		mki = pkt + end + UCP_SRTCP_INDEX_LEN;
	}
	if (s->mki_len && memcmp(mki, s->mki, s->mki_len))
		return UCP_SRTP_UNKNOWN_MKI;
	word = ucp_get_be32(pkt + word_at);
	encrypted = word & UCP_SRTCP_E_FLAG;
	idx = word & UCP_SRTCP_INDEX_MAX;
	ssrc = ucp_get_be32(pkt + 4);
	e = ucp_srtp_find(s, ssrc, &st);
	if (st)
		return st;
	if (e) {
		st = ucp_window_check(&e->rtcp, e->rtcp_seen, idx);
		if (st)
			return st;
	}

	if (s->aead) {
		memcpy(s->aad, pkt, UCP_RTCP_HDR_LEN);
		ucp_put_be32(s->aad + UCP_RTCP_HDR_LEN, word);
		ucp_gcm_iv(iv, s->rtcp.salt, ssrc, idx >> 16, idx & 0xffff);
		if (encrypted)
			err = ucp_aes_gcm_decrypt(s->rtcp.gcm, iv, s->aad,
						  sizeof(s->aad), NULL, 0,
						  pkt + UCP_RTCP_HDR_LEN,
						  end - UCP_RTCP_HDR_LEN);
		else	/* all of it is AAD, nothing is encrypted */
			err = ucp_aes_gcm_decrypt(s->rtcp.gcm, iv, pkt, end,
						  s->aad + UCP_RTCP_HDR_LEN,
						  UCP_SRTCP_INDEX_LEN,
						  pkt + end, 0);
		if (err == -EBADMSG) {
			if (encrypted)
				memzero_explicit(pkt + UCP_RTCP_HDR_LEN,
						 end - UCP_RTCP_HDR_LEN);
			return UCP_SRTP_AUTH_FAIL;
		}
		if (err)
			return UCP_SRTP_CRYPTO_ERR;
	} else {
		if (ucp_hmac_sha1(s->rtcp.hmac, pkt, end + UCP_SRTCP_INDEX_LEN,
				  NULL, 0, tag))
			return UCP_SRTP_CRYPTO_ERR;
		err = ucp_crypto_memneq(tag, pkt + len - s->rtcp_tag_len,
					s->rtcp_tag_len);
		memzero_explicit(tag, sizeof(tag));
		if (err)
			return UCP_SRTP_AUTH_FAIL;
		ucp_cm_iv(iv, s->rtcp.salt, ssrc, idx);
		if (encrypted && end > UCP_RTCP_HDR_LEN &&
		    ucp_aes_ctr_crypt(s->rtcp.ctr, iv, pkt + UCP_RTCP_HDR_LEN,
				      end - UCP_RTCP_HDR_LEN))
			return UCP_SRTP_CRYPTO_ERR;
	}
	e = ucp_srtp_claim(s, e, ssrc);
	ucp_window_accept(&e->rtcp, e->rtcp_seen, idx);
	e->rtcp_seen = true;
	*out_len = end;
	return UCP_SRTP_OK;
}
