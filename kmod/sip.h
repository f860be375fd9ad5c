/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SIP glue, one responsibility per file:
 *
 *   sip_conn.c    the state of one signalling connection: its calls, the
 *                 media expectations and sessions each call holds, and
 *                 the TCP streams being reassembled (the ucp_helper
 *                 descriptor of "ucp-sip")
 *   sip_nat.c     what one parsed message means for its connection:
 *                 address substitutions, media expectations, calls ended
 *   sip_media.c   a stream's media session and the a=crypto lines it
 *                 changes
 *   sip_helper.c  the packet path (UDP datagrams, TCP segments) and the
 *                 registration of the conntrack helpers
 *
 * The protocol itself is parsed and rewritten by the pure core, ucp_sip.c;
 * the NAT of addresses and the expectations by nat.c; the TLS agent's
 * messages come through inspect.c.
 */
#ifndef _UCP_SIP_GLUE_H
#define _UCP_SIP_GLUE_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netlink.h>
#include <linux/ucproxy.h>

#include "helper.h"
#include "nat.h"
#include "stats.h"
#include "ucp_sip.h"

#define UCP_SIP_HELPER_NAME	"ucp-sip"
/* For connections whose bytes are TLS records: owns expectations only. */
#define UCP_SIP_TLS_HELPER_NAME	"ucp-sip-tls"

/* Expectation classes, each with its own bound (sip_helper.c). */
enum ucp_sip_class {
	UCP_SIP_CLASS_SIGNALLING,
	UCP_SIP_CLASS_AUDIO,
	UCP_SIP_CLASS_VIDEO,
	UCP_SIP_CLASS_IMAGE,
	__UCP_SIP_CLASS_MAX,
};

/* Calls of one signalling connection whose media we expect. */
#define UCP_SIP_MAX_CALLS	16
/* RTP and RTCP of both sides of two streams, and of one re-INVITE. */
#define UCP_SIP_CALL_MAX_EXP	16

struct ucp_media;

struct ucp_sip_call {
	u32 id;				/* hash of the Call-ID; 0: free slot */
	unsigned long used;		/* jiffies, for eviction */
	u8 nexp;
	struct nf_conntrack_expect *exp[UCP_SIP_CALL_MAX_EXP];	/* held */
	/* Of each expectation: its stream, flow kind and senders' side. */
	u8 exp_stream[UCP_SIP_CALL_MAX_EXP];
	u8 exp_flow[UCP_SIP_CALL_MAX_EXP];	/* enum ucp_media_flow */
	u8 exp_from[UCP_SIP_CALL_MAX_EXP];	/* side new flows come from */
	u8 exp_nat[UCP_SIP_CALL_MAX_EXP];	/* at a pair the router chose */
	struct ucp_media *media[UCP_SDP_MAX_MEDIA];	/* held, per stream */
};

/*
 * Bytes a TCP segment ended in the middle of a message with
 * (sip_helper.c; the buffer is sip_conn.c's). On a NATed connection the whole segment is held (and
 * dropped) until the next one, which then carries both; @held_seq is
 * where the held bytes start. @parse_only: the bytes already went on
 * unchanged and are kept only to find where their message ends.
 */
struct ucp_sip_stream {
	u32 held_seq;
	u32 next_seq;			/* sequence after the held bytes */
	u16 held_len;
	u8 parse_only;
	u8 held_resent;			/* times the held segment came again */
	char *held;			/* UCP_SIP_MAX_MSG bytes, or NULL */
};

/* Per signalling connection, allocated on first need (help->data). */
struct ucp_sip_conn {
	/* base.stream_lock: @stream, across a segment; base.lock: @calls */
	struct ucp_helper_conn base;
	struct ucp_sip_stream stream[IP_CT_DIR_MAX];
	struct ucp_sip_call calls[UCP_SIP_MAX_CALLS];
};

/* Scratch space of one CPU: a message being parsed and rewritten. */
struct ucp_sip_work {
	struct ucp_sip_msg msg;
	struct ucp_sip_subst subst[UCP_SIP_MAX_TOKENS];
	/* a=crypto lines with ucproxy's keys, and whether any was written */
	char lines[UCP_SDP_MAX_MEDIA][UCP_SDP_CRYPTO_LINE_MAX];
	bool keys;
	char out[UCP_SIP_OUT_MAX];
};

/* How an expectation's connections join their stream's media session. */
struct ucp_sip_exp_info {
	u8 stream;
	u8 flow;		/* enum ucp_media_flow */
	u8 from;		/* side the new connections come from */
	u8 nat;			/* at a pair the router chose for its stream */
};

/* sip_helper.c */
int ucp_sip_helper_init(void);
void ucp_sip_helper_exit(void);

/* sip_conn.c */
extern struct ucp_helper ucp_sip_helper;

struct ucp_sip_call *ucp_sip_call_find(struct ucp_sip_conn *conn, u32 id,
				       bool create);
void ucp_sip_call_release(struct ucp_sip_conn *conn, struct ucp_stats *stats,
			  u32 id);
void ucp_sip_call_keep(struct ucp_sip_conn *conn, u32 id,
		       struct nf_conntrack_expect *exp,
		       const struct ucp_sip_exp_info *info);
bool ucp_sip_call_nat_source(struct ucp_sip_conn *conn, u32 id,
			     unsigned int stream, u8 from,
			     union nf_inet_addr *src);

/*
 * sip_nat.c: act on one parsed message (w->msg of @msg): choose its
 * substitutions (w->subst), create or release media expectations.
 * Returns 0 or -errno (the message is then dropped); *rewrite says
 * whether w->subst changes it.
 */
int ucp_sip_nat_message(const struct ucp_nat_map *map, struct ucp_sip_work *w,
			const char *msg, bool *rewrite);
struct ucp_sip_work *ucp_sip_work_this_cpu(void);
int ucp_sip_nat_init(void);
void ucp_sip_nat_exit(void);

/* sip_media.c */
struct ucp_media *ucp_sip_media_stream(const struct ucp_nat_map *map,
				       struct ucp_sip_call *call,
				       struct ucp_sip_work *w, unsigned int i,
				       bool *rewrite);
void ucp_sip_media_wipe(struct ucp_sip_work *w, size_t out_len);

#endif /* _UCP_SIP_GLUE_H */
