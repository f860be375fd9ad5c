/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SCCP glue, one responsibility per file:
 *
 *   sccp_conn.c    the state of one signalling connection: its
 *                  pass-through parties with their expectations and media
 *                  sessions, and the TCP streams being reassembled (the
 *                  ucp_helper descriptor of "ucp-sccp")
 *   sccp_nat.c     what one parsed message means for its connection:
 *                  address fields, media expectations, keys
 *   sccp_helper.c  the packet path (TCP segments) and the registration
 *                  of the conntrack helpers
 *
 * The protocol itself is parsed and rewritten by the pure core,
 * ucp_sccp.c; the NAT of addresses and the expectations by nat.c.
 */
#ifndef _UCP_SCCP_GLUE_H
#define _UCP_SCCP_GLUE_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_expect.h>

#include "helper.h"
#include "media.h"
#include "nat.h"
#include "stats.h"
#include "ucp_sccp.h"

#define UCP_SCCP_HELPER_NAME		"ucp-sccp"
/* For connections whose bytes are TLS records: owns expectations only. */
#define UCP_SCCP_TLS_HELPER_NAME	"ucp-sccp-tls"
#define UCP_SCCP_PORT			2000
#define UCP_SCCP_TLS_PORT		2443

/* Media streams (pass-through parties) of one connection we follow. */
#define UCP_SCCP_MAX_PARTIES	16

/*
 * One direction of a party's media as the phone sees it: receive (from
 * OpenReceiveChannel and its ack) or transmit (StartMediaTransmission).
 * @exp: RTP and RTCP expectations, our references. @has_key: it came
 * with a key (which went to the party's media session, not kept here).
 */
struct ucp_sccp_stream_media {
	struct nf_conntrack_expect *exp[2];
	u8 nexp;
	u8 has_key;
};

/*
 * @rx_addr, @rx_real: where the phone receives, as it said; @rx_nat: the
 * port the router announced for it. @tx_addr, @tx_port: where it was told
 * to send. Kept so that a message sent again (a TCP retransmission) is
 * rewritten as the first time, without new expectations.
 */
struct ucp_sccp_party {
	u32 id;				/* passThruPartyId; 0: free slot */
	unsigned long used;		/* jiffies, for eviction */
	u16 rx_real;
	u16 rx_nat;
	u16 tx_port;
	struct ucp_sccp_addr rx_addr, tx_addr;
	struct ucp_sccp_stream_media rx, tx;
	/*
	 * The media session of the party's stream (our reference), decided
	 * at its first OpenReceiveChannel or StartMediaTransmission; NULL
	 * when nothing is translated or counted. @phone: the conntrack
	 * direction the phone sends in; @suite: what ucproxy gives the phone.
	 */
	struct ucp_media *media;
	bool decided;
	u8 phone;
	u8 suite;
};

/*
 * Bytes of a message a TCP segment ended in (sccp_helper.c; the buffer
 * is sccp_conn.c's). Rewrites
 * never change a length, so the bytes went on; they are kept only to
 * parse the message when its end comes, at @next_seq.
 */
struct ucp_sccp_stream {
	u32 next_seq;
	u16 held_len;
	u8 *held;			/* UCP_SCCP_MAX_MSG bytes, or NULL */
};

/* Per signalling connection, allocated on first need (help->data). */
struct ucp_sccp_conn {
	struct ucp_helper_conn base;	/* base.lock: everything below */
	struct ucp_sccp_stream stream[IP_CT_DIR_MAX];
	struct ucp_sccp_party parties[UCP_SCCP_MAX_PARTIES];
};

/* sccp_helper.c */
int ucp_sccp_helper_init(void);
void ucp_sccp_helper_exit(void);

/* sccp_conn.c */
extern struct ucp_helper ucp_sccp_helper;

struct ucp_sccp_party *ucp_sccp_party_find(struct ucp_sccp_conn *conn, u32 id,
					   bool create);
void ucp_sccp_stream_media_drop(struct ucp_sccp_stream_media *sm,
				bool unexpect);
void ucp_sccp_party_session_end(struct ucp_sccp_party *p);

/*
 * sccp_nat.c: act on one parsed message (@m of @msg, writable, @len
 * bytes): rewrite its address fields in place as @map says, create or
 * release media expectations. @conn may be NULL (no memory): nothing is
 * expected then. Returns the number of fields changed, or minus a reason
 * of the core.
 */
int ucp_sccp_nat_message(const struct ucp_nat_map *map,
			 struct ucp_sccp_conn *conn,
			 const struct ucp_sccp_msg *m, u8 *msg, size_t len);

#endif /* _UCP_SCCP_GLUE_H */
