/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Media sessions: the SRTP <-> RTP translation of one media stream of a
 * call, attached to the conntracks of its RTP and RTCP flows.
 *
 * A session has two legs, one per side of the signalling connection that
 * set it up ([IP_CT_DIR_ORIGINAL]: its initiator's side). A leg ucproxy
 * terminates SRTP on has two keys: the one that side sends with (learnt
 * from its signalling: packets from it are unprotected) and one ucproxy
 * made for it (given to it in the signalling ucproxy relays: packets to
 * it are protected). A plain leg has neither. Passthrough sessions have
 * two plain legs and only count packets.
 *
 * The signalling glue (softirq) fills keys in and commits; the SRTP
 * contexts are built by a work item (the crypto API may sleep), and
 * packets of a leg whose context is not ready yet are dropped and
 * counted. Documentation/media.md has the whole picture.
 */
#ifndef _UCP_MEDIA_H
#define _UCP_MEDIA_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/netfilter/nf_conntrack.h>
#include <linux/ucproxy.h>

#include "ucp_srtp.h"

#define UCP_MEDIA_HELPER_NAME	"ucp-media"
/* Media conntracks a session kills when it ends: RTP and RTCP, each way. */
#define UCP_MEDIA_MAX_CTS	8

/* A master key and salt (secret), as signalling carries them. */
struct ucp_media_key {
	u8 suite;			/* enum ucp_srtp_suite (uapi); NONE */
	u8 len;				/* key + salt bytes */
	u8 mki_len;			/* 0: no MKI */
	u32 mki;
	u8 key[UCP_SRTP_MAX_MASTER];
};

/* One direction of one leg: its key and the context built from it. */
struct ucp_media_dir {
	spinlock_t lock;		/* @srtp and its state, per packet */
	struct ucp_srtp *srtp;		/* NULL: not built (yet) */
	struct ucp_media_key key;	/* under ucp_media.lock */
	u32 gen;			/* bumped when @key changes */
	u32 built_gen;			/* the @gen @srtp was built from */
	u8 rtp_overhead;		/* what protecting @srtp adds */
	u8 rtcp_overhead;
};

/* Per-CPU counters of what each side sent ([side]). */
struct ucp_media_stats {
	struct u64_stats_sync syncp;
	struct {
		u64_stats_t packets, bytes, auth_failures, replays, dropped;
	} leg[IP_CT_DIR_MAX];
};

struct ucp_media_leg {
	bool secure;			/* ucproxy terminates SRTP here */
	u32 tag;			/* a=crypto tag of this side's offer */
	struct ucp_media_dir rx;	/* what this side sends: unprotect */
	struct ucp_media_dir tx;	/* what it receives: protect */
	unsigned long last_seen;	/* jiffies of its last packet; 0 none */
};

struct ucp_media {
	struct list_head node;		/* ucp_media_net.sessions */
	struct list_head all_node;	/* every session, for module unload */
	refcount_t ref;
	spinlock_t lock;		/* keys, state, cts; BH off */
	struct work_struct setup;	/* builds and wipes contexts */
	struct work_struct free;	/* frees, after the last reference */
	struct net *net;		/* no reference: see ucp_media_net_exit */
	u64 id;
	u8 proto;			/* enum ucp_proto of the signalling */
	u8 stream;			/* its index in the signalling */
	u8 state;			/* enum ucp_media_state */
	u8 offerer;			/* the side whose offer waits an answer */
	bool awaiting_answer;
	bool licensed;			/* holds an SRTP license session */
	bool restart_flows;		/* just activated: see ucp_media_flows_settled() */
	bool listed;			/* on its namespace's list */
	unsigned long created;		/* jiffies */
	struct ucp_media_leg leg[IP_CT_DIR_MAX];
	struct ucp_media_stats __percpu *stats;
	unsigned int ncts;
	struct nf_conn *cts[UCP_MEDIA_MAX_CTS];	/* held, killed at the end */
};

/* Per namespace: the policy, the sessions. */
struct ucp_media_net {
	spinlock_t lock;		/* @sessions, @next_id; BH off */
	struct list_head sessions;	/* by ascending id */
	u64 next_id;
	u8 policy;			/* enum ucp_media_policy */
};

/* What kind of packets a media conntrack carries. */
enum ucp_media_flow {
	UCP_MEDIA_FLOW_RTP,
	UCP_MEDIA_FLOW_RTCP,
	UCP_MEDIA_FLOW_MUX,		/* both (rtcp-mux): told by the packet */
};

int ucp_media_init(void);
void ucp_media_exit(void);
void ucp_media_net_init(struct ucp_media_net *mn);
void ucp_media_net_exit(struct ucp_media_net *mn);

bool ucp_media_side_secure(struct net *net, enum ip_conntrack_dir side);

/* Lifetime (media.c documents each function). */
struct ucp_media *ucp_media_new(struct net *net, u8 proto, u8 stream);
void ucp_media_get(struct ucp_media *m);
void ucp_media_put(struct ucp_media *m);

/*
 * Keys, under no lock of the caller's. A side's rx key is what it sends
 * with (ucproxy unprotects with it), its tx key what it receives with
 * (ucproxy protects with it). _learn_ stores a key signalling carried;
 * _make_ makes ucproxy's own (random, of @suite, kept while the suite
 * stays) and copies it to @out for the signalling to give. SIP learns a
 * side's rx key and makes its tx key; SCCP, whose call manager dictates
 * both keys of a phone, may learn either and make the other. Changing a
 * key of a committed session rebuilds its context.
 */
void ucp_media_learn_rx_key(struct ucp_media *m, enum ip_conntrack_dir side,
			    const struct ucp_media_key *key);
void ucp_media_learn_tx_key(struct ucp_media *m, enum ip_conntrack_dir side,
			    const struct ucp_media_key *key);
void ucp_media_make_rx_key(struct ucp_media *m, enum ip_conntrack_dir side,
			   u8 suite, struct ucp_media_key *out);
void ucp_media_make_tx_key(struct ucp_media *m, enum ip_conntrack_dir side,
			   u8 suite, struct ucp_media_key *out);

/* The totals of what a side sent, summed over the CPUs (for the dump). */
struct ucp_media_totals {
	u64 packets, bytes, auth_failures, replays, dropped;
};

void ucp_media_leg_totals(const struct ucp_media *m, enum ip_conntrack_dir side,
			  struct ucp_media_totals *t);

/* What the signalling glue tells a session, in this order. */
int ucp_media_commit(struct ucp_media *m);
bool ucp_media_keys_complete(struct ucp_media *m);
void ucp_media_prepare(struct ucp_media *m);
void ucp_media_activate(struct ucp_media *m);
void ucp_media_flows_settled(struct ucp_media *m);
void ucp_media_end(struct ucp_media *m);

u8 ucp_media_mode(const struct ucp_media *m);

/* Media conntracks. */
void ucp_media_attach(struct nf_conn *ct, struct ucp_media *m,
		      enum ip_conntrack_dir from, enum ucp_media_flow flow);
struct nf_conntrack_helper *ucp_media_helper(u8 l3num);

#endif /* _UCP_MEDIA_H */
