/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SIP glue: the conntrack helper "ucp-sip" (sip_helper.c), what a
 * message means for its connection (sip_nat.c: address substitutions,
 * media expectations, calls), and the inspection command of the TLS agent
 * (inspect.c). The protocol itself is parsed and rewritten by the pure
 * core, ucp_sip.c.
 */
#ifndef _UCP_SIP_GLUE_H
#define _UCP_SIP_GLUE_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netlink.h>
#include <linux/ucproxy.h>

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
	struct ucp_media *media[UCP_SDP_MAX_MEDIA];	/* held, per stream */
};

/*
 * Bytes a TCP segment ended in the middle of a message with
 * (sip_helper.c). On a NATed connection the whole segment is held (and
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
	struct list_head node;		/* ucp_sip_conns, for module unload */
	/* Held across a segment's messages; taken before @lock. */
	spinlock_t stream_lock;
	struct ucp_sip_stream stream[IP_CT_DIR_MAX];
	spinlock_t lock;		/* calls */
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

/* sip_helper.c */
int ucp_sip_helper_init(void);
void ucp_sip_helper_exit(void);
struct ucp_sip_conn *ucp_sip_conn_get(struct nf_conn *ct, gfp_t gfp);
struct ucp_sip_work *ucp_sip_work_this_cpu(void);
extern bool ucp_sip_pass_malformed;
/* Count a refusal of the core under its reason's counter. */
void ucp_sip_count_reason(struct ucp_stats *stats, int reason);

/*
 * How the addresses of one message change on its way: the sender's own
 * address (src) and the one it sent to (dst), each with its port, as
 * written by the sender (from) and as the receiver must see them (to).
 * @ct, travelled in direction @dir, owns the media expectations.
 */
struct ucp_sip_map {
	struct nf_conn *ct;
	enum ip_conntrack_dir dir;
	u8 l3num;
	bool nated;			/* some address or port changes */
	bool rewritable;		/* the message may change length */
	union nf_inet_addr src_from, src_to, dst_from, dst_to;
	__be16 src_from_port, src_to_port, dst_from_port, dst_to_port;
};

/* The map of a message crossing @ct's NAT in direction @dir. */
void ucp_sip_map_conntrack(struct ucp_sip_map *map, struct nf_conn *ct,
			   enum ip_conntrack_dir dir);

/*
 * sip_nat.c: act on one parsed message (w->msg of @msg): choose its
 * substitutions (w->subst), create or release media expectations.
 * Returns 0 or -errno (the message is then dropped); *rewrite says
 * whether w->subst changes it.
 */
int ucp_sip_nat_message(const struct ucp_sip_map *map, struct ucp_sip_work *w,
			const char *msg, bool *rewrite);
void ucp_sip_conn_release_calls(struct ucp_sip_conn *conn);
/*
 * The NAT of a connection created from a media expectation (saved_addr,
 * saved_proto: the real destination; dir: the direction toward it),
 * shared with SCCP: translate it to the real destination, and its source
 * as the paired expectation of the same master says. Only the NAT: a
 * helper's expectfn calls it and then attaches what is its own.
 */
void ucp_media_expected_nat(struct nf_conn *ct, struct nf_conntrack_expect *exp);
int ucp_sip_nat_init(void);
void ucp_sip_nat_exit(void);

/*
 * sip_media.c: the media session of stream @i of w->msg in @call (under
 * the connection's lock), created at the stream's first offer, with the
 * substitutions of its proto and a=crypto lines (*rewrite set when there
 * are some). NULL: the stream has no session.
 */
struct ucp_media *ucp_sip_media_stream(const struct ucp_sip_map *map,
				       struct ucp_sip_call *call,
				       struct ucp_sip_work *w, unsigned int i,
				       bool *rewrite);
/* Wipe ucproxy's keys from @w once its output (@out_len bytes) is sent. */
void ucp_sip_media_wipe(struct ucp_sip_work *w, size_t out_len);

/* inspect.c: UCP_CMD_SIGNAL_INSPECT, SIP and SCCP */
struct genl_info;
extern const struct nla_policy ucp_flow_policy[UCP_FLOW_A_MAX + 1];
int ucp_nl_signal_inspect(struct sk_buff *skb, struct genl_info *info);

#endif /* _UCP_SIP_GLUE_H */
