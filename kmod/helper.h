/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The conntrack-helper skeleton every signalling protocol stands on
 * (helper.c): registration of a protocol's helpers (plain and TLS, IPv4
 * and IPv6), its per-connection state in help->data (created on first
 * need, freed with the connection or at unload), the reassembly memory
 * budget, refusals counted by reason, and the way a media connection
 * finds the session its master's state gave it.
 *
 * A protocol fills a struct ucp_helper and embeds a struct
 * ucp_helper_conn at the start of its own per-connection state.
 */
#ifndef _UCP_HELPER_H
#define _UCP_HELPER_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <linux/ucproxy.h>

#include "stats.h"

struct ucp_media;
struct ucp_helper;

/* The start of a protocol's per-connection state. */
struct ucp_helper_conn {
	struct list_head node;		/* ucp_helper.conns, for unload */
	struct ucp_helper *helper;
};

/* One conntrack helper of a protocol; @help NULL: TLS, bytes unread. */
struct ucp_helper_kind {
	bool tls;
	u16 l3num;
	u8 l4proto;
	u16 port;
	int (*help)(struct sk_buff *skb, unsigned int protoff,
		    struct nf_conn *ct, enum ip_conntrack_info ctinfo);
};

/*
 * What a protocol counts its refusals under: the core's reasons from
 * @reason_min on map to counters from @reason_ctr on, one each.
 */
struct ucp_helper_counters {
	enum ucp_counter dropped;
	enum ucp_counter malformed_passed;
	enum ucp_counter nomem;
	enum ucp_counter reassembly_full;
	enum ucp_counter reason_ctr;
	int reason_min;
	int reason_count;		/* one past the last reason */
};

/*
 * A protocol's helpers. The protocol fills everything up to @ctrs; the
 * rest is the skeleton's.
 *
 * @name, @tls_name: the helper names nft binds ("ucp-sip", "ucp-sip-tls").
 * @conn_size: of the protocol's state, which starts with the
 *	struct ucp_helper_conn; zeroed, then @conn_init.
 * @conn_release: let go of what the state holds, before it is freed.
 * @media_find: the media session (a reference) of a connection of @exp,
 *	an expectation of this connection, with the side it comes from and
 *	its flow kind; NULL when it has none.
 * @pass_malformed: module parameter: pass what the core refuses.
 * @reassembly_kb: module parameter: budget of held message bytes.
 * @max_msg: bytes of one reassembly buffer.
 */
struct ucp_helper {
	const char *name;
	const char *tls_name;
	const struct ucp_helper_kind *kinds;
	unsigned int nkinds;
	const struct nf_conntrack_expect_policy *policy;
	unsigned int class_max;
	size_t conn_size;
	void (*conn_init)(struct ucp_helper_conn *c);
	void (*conn_release)(struct ucp_helper_conn *c);
	struct ucp_media *(*media_find)(struct ucp_helper_conn *c,
					const struct nf_conntrack_expect *exp,
					u8 *from, u8 *flow);
	const bool *pass_malformed;
	const unsigned int *reassembly_kb;
	size_t max_msg;
	struct ucp_helper_counters ctrs;

	/* The skeleton's. */
	struct list_head list;		/* the registered protocols */
	struct nf_conntrack_helper *nf;
	struct list_head conns;
	spinlock_t lock;		/* @conns */
	atomic_t reassembly_bytes;
};

int ucp_helper_register(struct ucp_helper *h);
void ucp_helper_unregister(struct ucp_helper *h);

struct ucp_helper_conn *ucp_helper_conn_get(struct ucp_helper *h,
					    struct nf_conn *ct, gfp_t gfp);
struct ucp_media *ucp_helper_media_find(struct nf_conn *master,
					const struct nf_conntrack_expect *exp,
					u8 *from, u8 *flow);

void *ucp_helper_buf_get(struct ucp_helper *h, void **buf);
void ucp_helper_buf_free(struct ucp_helper *h, void **buf);

void ucp_helper_count(const struct nf_conn *ct, enum ucp_counter ctr);
void ucp_helper_count_reason(const struct ucp_helper *h, struct ucp_stats *stats,
			     int reason);
int ucp_helper_refuse(const struct ucp_helper *h, const struct nf_conn *ct,
		      int reason);
int ucp_helper_give_up(const struct ucp_helper *h, const struct nf_conn *ct,
		       enum ucp_counter ctr);

#endif /* _UCP_HELPER_H */
