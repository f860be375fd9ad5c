/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SRTP and SRTCP (RFC 3711, RFC 6188, RFC 7714): the pure transform.
 *
 * One struct ucp_srtp is one direction of one leg: it protects (sender) or
 * unprotects (receiver) the RTP and RTCP packets under one master key,
 * for a small table of SSRCs (each with its own rollover counter, SRTCP
 * index and replay windows). Packets are transformed in place; no call
 * after ucp_srtp_init() allocates.
 *
 * Concurrency: a context is used by one CPU at a time; the caller holds
 * a lock per context (per direction) around every call. See
 * Documentation/srtp.md.
 */
#ifndef _UCP_SRTP_H
#define _UCP_SRTP_H

#include <linux/ucproxy.h>	/* enum ucp_srtp_suite */

#include "ucp_core.h"
#include "ucp_crypto.h"

/*
 * The SRTP profiles of the core, numbered from 0; the uapi's enum
 * ucp_srtp_suite (UCP_SUITE_*) is this plus one, with 0 for plain RTP.
 */
enum ucp_srtp_profile {
	UCP_SRTP_AES_CM_128_HMAC_SHA1_80,
	UCP_SRTP_AES_CM_128_HMAC_SHA1_32,
	UCP_SRTP_AES_256_CM_HMAC_SHA1_80,	/* RFC 6188 */
	UCP_SRTP_AES_256_CM_HMAC_SHA1_32,	/* RFC 6188 */
	UCP_SRTP_AEAD_AES_128_GCM,		/* RFC 7714 */
	UCP_SRTP_AEAD_AES_256_GCM,		/* RFC 7714 */
	UCP_SRTP_SUITE_COUNT,
};

/* Every outcome of a per-packet call, so the glue can count each. */
enum ucp_srtp_status {
	UCP_SRTP_OK,
	UCP_SRTP_TOO_SHORT,	/* shorter than its header and trailer */
	UCP_SRTP_BAD_VERSION,	/* RTP/RTCP version is not 2 */
	UCP_SRTP_BAD_HEADER,	/* CSRCs or header extension overrun */
	UCP_SRTP_NO_ROOM,	/* protect: no tailroom for the trailer */
	UCP_SRTP_UNKNOWN_MKI,	/* unprotect: the MKI is not ours */
	UCP_SRTP_AUTH_FAIL,	/* unprotect: tag mismatch */
	UCP_SRTP_REPLAY,	/* index already seen (or already sent) */
	UCP_SRTP_TOO_OLD,	/* index behind the replay window */
	UCP_SRTP_EXHAUSTED,	/* 2^48 RTP or 2^31 RTCP packets: rekey */
	UCP_SRTP_SSRC_LIMIT,	/* a new SSRC, and the SSRC table is full */
	UCP_SRTP_CRYPTO_ERR,	/* the crypto backend failed */
	UCP_SRTP_STATUS_COUNT,
};

#define UCP_SRTP_MAX_KEY_LEN	32
#define UCP_SRTP_MAX_SALT_LEN	14	/* AES-CM; GCM's is 12 */
#define UCP_SRTP_MAX_MKI_LEN	128	/* RFC 4568: 1..128 bytes */
#define UCP_SRTP_MAX_TAG_LEN	16
/* The most a protect call appends: SRTCP index, MKI, tag. */
#define UCP_SRTP_MAX_TRAILER	(4 + UCP_SRTP_MAX_MKI_LEN + UCP_SRTP_MAX_TAG_LEN)

/*
 * SSRCs tracked per context. A packet of one more SSRC is refused
 * (UCP_SRTP_SSRC_LIMIT): forgetting an SSRC would let its old packets be
 * replayed, and make a sender reuse keystream when it comes back.
 */
#define UCP_SRTP_SSRCS		8
/* Replay window, in packets, for RTP and for RTCP (a multiple of 64). */
#define UCP_SRTP_WINDOW		128
#define UCP_SRTP_WINDOW_WORDS	(UCP_SRTP_WINDOW / 64)

struct ucp_srtp_params {
	enum ucp_srtp_profile suite;
	const u8 *master_key;		/* 16 or 32 bytes, as the suite says */
	const u8 *master_salt;		/* 14 bytes (AES-CM) or 12 (GCM) */
	const u8 *mki;			/* NULL, or mki_len bytes */
	unsigned int mki_len;		/* 0..UCP_SRTP_MAX_MKI_LEN */
	/*
	 * RFC 3711 key derivation rate, as a number of packets (the SDES
	 * "KDR=n" parameter means 2^n). Only 0 (derive once) is supported.
	 */
	u64 kdr;
};

/* Replay state of one packet stream: highest index and a bitmap. */
struct ucp_srtp_window {
	u64 top;			/* highest index accepted */
	u64 bits[UCP_SRTP_WINDOW_WORDS];	/* bit i: top - i seen */
};

struct ucp_srtp_ssrc {
	u32 ssrc;
	bool used;
	bool rtp_seen;
	bool rtcp_seen;
	struct ucp_srtp_window rtp;	/* index = ROC << 16 | SEQ */
	struct ucp_srtp_window rtcp;	/* SRTCP index */
};

/* Session keys of one of RTP and RTCP. */
struct ucp_srtp_keys {
	struct ucp_aes_ctr *ctr;	/* AES-CM suites */
	struct ucp_hmac_sha1 *hmac;	/* AES-CM suites */
	struct ucp_aes_gcm *gcm;	/* GCM suites */
	u8 salt[UCP_SRTP_MAX_SALT_LEN];
};

struct ucp_srtp {
	enum ucp_srtp_profile suite;
	u8 key_len;			/* cipher key */
	u8 salt_len;
	u8 rtp_tag_len;
	u8 rtcp_tag_len;
	bool aead;
	unsigned int mki_len;
	u8 mki[UCP_SRTP_MAX_MKI_LEN];
	struct ucp_srtp_keys rtp;
	struct ucp_srtp_keys rtcp;
	unsigned int nssrcs;		/* entries of ssrcs[] in use */
	struct ucp_srtp_ssrc ssrcs[UCP_SRTP_SSRCS];
	/*
	 * Scratch for the backend, which must not see the stack: SRTCP's
	 * GCM AAD (header and index word, contiguous, so that the kernel's
	 * AES-NI GCM maps it without a bounce buffer), and session keys as
	 * the KDF derives them (wiped at once).
	 */
	u8 aad[12];
	u8 scratch[UCP_SRTP_MAX_KEY_LEN];
};

/* Setup and teardown, in process context. */
int __must_check ucp_srtp_init(struct ucp_srtp *s,
			       const struct ucp_srtp_params *p);
void ucp_srtp_destroy(struct ucp_srtp *s);

/*
 * The profile of a suite as the interface numbers it (enum ucp_srtp_suite
 * of the uapi, not UCP_SUITE_NONE): the same order, one apart.
 */
static inline enum ucp_srtp_profile ucp_srtp_profile_of(unsigned int suite)
{
	return (enum ucp_srtp_profile)(suite - UCP_SUITE_AES_CM_128_HMAC_SHA1_80);
}

/* Longest master key and salt of any suite: AES-256, 32 + 14 bytes. */
#define UCP_SRTP_MAX_MASTER	46

/* Lengths: a profile's master key and salt, what a protect call appends. */
unsigned int ucp_srtp_key_len(enum ucp_srtp_profile suite);
unsigned int ucp_srtp_salt_len(enum ucp_srtp_profile suite);
unsigned int ucp_srtp_rtp_overhead(const struct ucp_srtp *s);
unsigned int ucp_srtp_rtcp_overhead(const struct ucp_srtp *s);

/* Per packet, in place: RTP, RTCP, and which of them an rtcp-mux port got. */
enum ucp_srtp_status ucp_srtp_protect(struct ucp_srtp *s, u8 *pkt,
				      unsigned int len, unsigned int room,
				      unsigned int *out_len);
enum ucp_srtp_status ucp_srtp_unprotect(struct ucp_srtp *s, u8 *pkt,
					unsigned int len,
					unsigned int *out_len);
enum ucp_srtp_status ucp_srtcp_protect(struct ucp_srtp *s, u8 *pkt,
				       unsigned int len, unsigned int room,
				       unsigned int *out_len);
enum ucp_srtp_status ucp_srtcp_unprotect(struct ucp_srtp *s, u8 *pkt,
					 unsigned int len,
					 unsigned int *out_len);
bool ucp_srtp_is_rtcp(const u8 *pkt, unsigned int len);

/* Names, for counters and logs. */
const char *ucp_srtp_status_name(enum ucp_srtp_status st);
const char *ucp_srtp_suite_name(enum ucp_srtp_profile suite);

#endif /* _UCP_SRTP_H */
