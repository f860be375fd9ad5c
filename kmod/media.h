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

/* Whether @side keeps SRTP with ucproxy's keys under @net's policy. */
bool ucp_media_side_secure(struct net *net, enum ip_conntrack_dir side);

/* A new session (GFP_ATOMIC), state offered, one reference: the caller's. */
struct ucp_media *ucp_media_new(struct net *net, u8 proto, u8 stream);
void ucp_media_get(struct ucp_media *m);
void ucp_media_put(struct ucp_media *m);

/*
 * Under no lock of the caller's: set what @side sends with (its key from
 * signalling), or make the key ucproxy gives @side (random, @suite) and
 * copy it to @out for the signalling. Changing a key of a committed
 * session rebuilds its context.
 */
void ucp_media_set_rx_key(struct ucp_media *m, enum ip_conntrack_dir side,
			  const struct ucp_media_key *key);
void ucp_media_tx_key(struct ucp_media *m, enum ip_conntrack_dir side, u8 suite,
		      struct ucp_media_key *out);
/*
 * Where signalling dictates both keys of a side (SCCP: the call manager
 * tells each phone the key it sends with and the one it receives with):
 * what @side receives with, as signalling set it, and a key of ucproxy's
 * own for what @side sends with.
 */
void ucp_media_set_tx_key(struct ucp_media *m, enum ip_conntrack_dir side,
			  const struct ucp_media_key *key);
void ucp_media_rx_key(struct ucp_media *m, enum ip_conntrack_dir side, u8 suite,
		      struct ucp_media_key *out);

/*
 * Take an SRTP license session if the session translates, and list it.
 * -ENOSPC or -EPERM when the license refuses: the caller gives up the
 * translation (and puts the session); the refusal is counted.
 */
int ucp_media_commit(struct ucp_media *m);
/* Both keys of every side ucproxy terminates are known. */
bool ucp_media_keys_complete(struct ucp_media *m);
/* Build the contexts of the keys known so far (before the answer). */
void ucp_media_prepare(struct ucp_media *m);
/* Both sides' keys are known: build the contexts, translate. */
void ucp_media_activate(struct ucp_media *m);
/*
 * The expectations of the message that activated @m are all in place: end
 * the flows set up before (once per session). Their NAT could not pair
 * them with expectations that did not exist yet (media that raced its
 * answer through a relaying agent), and those of a translated session had
 * their packets dropped while it waited. The media expectations of a
 * session are permanent, so the next packet of each sets it up again,
 * paired. For the signalling glue, after its expectations of the message.
 */
void ucp_media_flows_settled(struct ucp_media *m);
/* The call ended: drop its packets from now on, wipe its keys, kill its flows. */
void ucp_media_end(struct ucp_media *m);

/* The mode its legs make (enum ucp_media_mode). */
u8 ucp_media_mode(const struct ucp_media *m);

/*
 * Attach @m to @ct, a new conntrack of an expectation of the signalling:
 * packets of @ct's original direction come from side @from. Takes its
 * own reference. For the expectation callbacks (softirq).
 */
void ucp_media_attach(struct nf_conn *ct, struct ucp_media *m,
		      enum ip_conntrack_dir from, enum ucp_media_flow flow);
/* The helper media conntracks are given (by expectations), for @l3num. */
struct nf_conntrack_helper *ucp_media_helper(u8 l3num);

#endif /* _UCP_MEDIA_H */
