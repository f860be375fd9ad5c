/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SCCP (Skinny): framing, parsing and in-place rewriting (pure core).
 *
 * A message is a 12-byte little-endian header, then its body:
 *
 *   u32 length    bytes after the first 8 (the message id and the body)
 *   u32 version   header version: 0 basic, 0x0b (V11) ... 0x11 (V17) ...
 *   u32 id        message id
 *
 * The parser never writes to the message and never reads outside
 * [buf, buf + len). Of the messages that carry media addresses, ports or
 * keys it records every address field with its offsets, so that a rewrite
 * is a few fixed-width stores into the message itself: an SCCP address
 * field never changes size (plain 4-byte IPv4 before header version
 * 0x11, a 4-byte type and 16 address bytes from 0x11 on). Any other
 * message passes untouched; the caller counts it.
 */
#ifndef _UCP_SCCP_H
#define _UCP_SCCP_H

#include <linux/ucproxy.h>	/* enum ucp_srtp_suite */

#include "ucp_core.h"

#define UCP_SCCP_HDR_LEN	12	/* length, version, message id */
#define UCP_SCCP_PREFIX_LEN	8	/* what the length field does not count */
/*
 * Longest message accepted (header included). The largest ones defined
 * (UserToDeviceData with its 2000 bytes of XML, the softkey and button
 * templates) stay well below it.
 */
#define UCP_SCCP_MAX_MSG	4096
#define UCP_SCCP_MAX_FIELDS	2	/* address fields per message */
#define UCP_SCCP_KEY_MAX	16	/* key bytes in MediaEncryptionKeyInfo */
#define UCP_SCCP_SALT_MAX	16

/* Header versions where the layouts change. */
#define UCP_SCCP_V11		0x0b	/* OpenReceiveChannel: source address */
#define UCP_SCCP_V17		0x11	/* typed IPv4/IPv6 address fields */

/* Message ids the core understands. */
enum ucp_sccp_id {
	UCP_SCCP_REGISTER			= 0x0001,
	UCP_SCCP_IP_PORT			= 0x0002,
	UCP_SCCP_OPEN_RECEIVE_CHANNEL_ACK	= 0x0022,
	UCP_SCCP_START_MEDIA_TRANSMISSION	= 0x008a,
	UCP_SCCP_STOP_MEDIA_TRANSMISSION	= 0x008b,
	UCP_SCCP_OPEN_RECEIVE_CHANNEL		= 0x0105,
	UCP_SCCP_CLOSE_RECEIVE_CHANNEL		= 0x0106,
	UCP_SCCP_START_MEDIA_TRANSMISSION_ACK	= 0x0154,
};

/* Outcome of framing, parsing and rewriting: 0 or a reason to reject. */
enum ucp_sccp_reason {
	UCP_SCCP_OK = 0,
	UCP_SCCP_E_INCOMPLETE,	/* framing: more bytes needed (not an error) */
	UCP_SCCP_E_TOO_LARGE,	/* length over UCP_SCCP_MAX_MSG */
	UCP_SCCP_E_LENGTH,	/* length too small to hold a message id */
	UCP_SCCP_E_TRUNCATED,	/* a known message shorter than its fields */
	UCP_SCCP_E_ADDRESS,	/* an address type that is neither v4 nor v6 */
	UCP_SCCP_E_KEY,		/* key or salt length over 16 */
	UCP_SCCP_E_FAMILY,	/* rewrite: IPv6 into a plain IPv4 field */
	UCP_SCCP_REASON_COUNT
};

const char *ucp_sccp_reason_name(unsigned int reason);

/* Values of the 4-byte address type (ipv4or6) from version 0x11 on. */
#define UCP_SCCP_IPADDR_V4	0
#define UCP_SCCP_IPADDR_V6	1
#define UCP_SCCP_IPADDR_V4_V6	2	/* dual stack: the IPv6 address is given */

struct ucp_sccp_addr {
	u8 family;		/* 4 or 6 */
	u8 a[16];		/* network order; IPv4 in the first 4 bytes */
};

enum ucp_sccp_field_kind {
	UCP_SCCP_F_STATION,	/* Register: the phone's IPv4 address */
	UCP_SCCP_F_STATION6,	/* Register: the phone's IPv6 address */
	UCP_SCCP_F_RTP_PORT,	/* IpPort: the phone's RTP port (port only) */
	UCP_SCCP_F_RECEIVE,	/* OpenReceiveChannelAck: where it receives */
	UCP_SCCP_F_REMOTE,	/* StartMediaTransmission: where to send */
	UCP_SCCP_F_SOURCE,	/* OpenReceiveChannel: whom it receives from */
	UCP_SCCP_F_TRANSMIT,	/* StartMediaTransmissionAck: where it sends */
	UCP_SCCP_F_KIND_COUNT
};

/*
 * One address field. @addr_off: the 4 (plain) or 16 (typed) address
 * bytes, 0 for a port-only field; @type_off: the 4-byte type before them
 * when @typed; @port_off: the u32 port, 0 when the field has none.
 */
struct ucp_sccp_field {
	u8 kind;		/* enum ucp_sccp_field_kind */
	u8 typed;
	struct ucp_sccp_addr addr;
	u16 port;
	u16 addr_off;
	u16 type_off;
	u16 port_off;
};

/*
 * MediaEncryptionKeyInfo (48 bytes): u32 algorithm, u16 key length,
 * u16 salt length, key[16], salt[16], u32 isMKIPresent, u32
 * keyDerivationRate. Secret: whoever holds a parsed message wipes it
 * (ucp_sccp_msg_wipe()).
 */
#define UCP_SCCP_KEYINFO_LEN	48

/* The algorithm ids of the key info. */
#define UCP_SCCP_ALG_NONE		0
#define UCP_SCCP_ALG_AES_CM_128_SHA1_32	1
#define UCP_SCCP_ALG_AES_CM_128_SHA1_80	2
#define UCP_SCCP_ALG_F8_128_SHA1_32	3
#define UCP_SCCP_ALG_F8_128_SHA1_80	4
#define UCP_SCCP_ALG_AEAD_AES_128_GCM	5
#define UCP_SCCP_ALG_AEAD_AES_256_GCM	6

/* A valid key info whose algorithm ucproxy does not implement (F8, new). */
#define UCP_SCCP_SUITE_UNKNOWN	0xff

struct ucp_sccp_key {
	u32 algorithm;		/* as on the wire */
	u8 suite;		/* enum ucp_srtp_suite, or UCP_SCCP_SUITE_UNKNOWN */
	u8 key_len;
	u8 salt_len;
	u8 mki_present;
	u32 kdr;		/* keyDerivationRate */
	u8 key[UCP_SCCP_KEY_MAX];
	u8 salt[UCP_SCCP_SALT_MAX];
};

struct ucp_sccp_msg {
	u32 len;		/* whole message, header included */
	u32 version;
	u32 id;
	u8 known;		/* one of enum ucp_sccp_id */
	u8 nfields;
	u8 has_key;		/* a key info block was present */
	u8 has_call_ref;
	u32 conference_id;
	u32 party_id;		/* passThruPartyId */
	u32 call_ref;
	u32 status;		/* the acks' status; 0 is success */
	u16 key_off;		/* the key info block in the message; 0: none */
	struct ucp_sccp_field f[UCP_SCCP_MAX_FIELDS];
	struct ucp_sccp_key key;
};

/* Framing, parsing, and wiping what a parse kept of the keys. */
int ucp_sccp_frame(const u8 *buf, size_t len, size_t *msg_len);
int ucp_sccp_parse(struct ucp_sccp_msg *m, const u8 *buf, size_t len);
void ucp_sccp_msg_wipe(struct ucp_sccp_msg *m);

/*
 * The rewrite callback: for field @f of @m, set *addr and/or *port to
 * what the receiver must see and return true, or return false to leave
 * the field alone. *addr and *port come filled with the field's values.
 */
typedef bool (*ucp_sccp_map_fn)(void *ctx, const struct ucp_sccp_msg *m,
				const struct ucp_sccp_field *f,
				struct ucp_sccp_addr *addr, u16 *port);

/* Rewriting in place: addresses, and key info. */
int ucp_sccp_rewrite(const struct ucp_sccp_msg *m, u8 *buf, size_t len,
		     ucp_sccp_map_fn map, void *ctx);
int ucp_sccp_write_key(const struct ucp_sccp_msg *m, u8 *buf, size_t len,
		       const struct ucp_sccp_key *k);

/* Key info algorithm ids and SRTP suites. */
u8 ucp_sccp_suite(u32 algorithm);
u32 ucp_sccp_algorithm(u8 suite);

#endif /* _UCP_SCCP_H */
