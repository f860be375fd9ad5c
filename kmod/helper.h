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
#include <linux/moduleparam.h>
#include <linux/spinlock.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <linux/ucproxy.h>

#include "stats.h"
#include "ucp_spec.h"

struct ucp_media;
struct ucp_helper;

/*
 * The start of a protocol's per-connection state, and its locks: @lock
 * guards the protocol's state (media_find runs under it); a protocol that
 * holds a segment's bytes apart from its calls takes @stream_lock across
 * a segment, before @lock.
 */
struct ucp_helper_conn {
	struct list_head node;		/* ucp_helper.conns, for unload */
	struct ucp_helper *helper;
	spinlock_t stream_lock;		/* a segment's bytes, if apart */
	spinlock_t lock;		/* the protocol's state */
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
 *	struct ucp_helper_conn; zeroed.
 * @conn_release: let go of what the state holds, before it is freed
 *	(its reassembly buffers are the skeleton's to free).
 * @media_find: the media session (a reference) of a connection of @exp,
 *	an expectation of this connection, with the side it comes from and
 *	its flow kind; NULL when it has none. Called with the state's lock.
 * @max_msg: bytes of one reassembly buffer.
 * @held_off: where in the protocol's state each direction's reassembly
 *	buffer pointer is (from ucp_helper_buf_get()), for the skeleton to
 *	free it with the state.
 * @ctrs: UCP_HELPER_COUNTERS() of the protocol.
 * @pass_malformed: module parameter: pass what the core refuses.
 * @reassembly_kb: module parameter: budget of held message bytes.
 * @timeout: module parameter: idle timeout of a connection (seconds).
 */
struct ucp_helper {
	const char *name;
	const char *tls_name;
	const struct ucp_helper_kind *kinds;
	unsigned int nkinds;
	const struct nf_conntrack_expect_policy *policy;
	unsigned int class_max;
	size_t conn_size;
	void (*conn_release)(struct ucp_helper_conn *c);
	struct ucp_media *(*media_find)(struct ucp_helper_conn *c,
					const struct nf_conntrack_expect *exp,
					u8 *from, u8 *flow);
	size_t max_msg;
	size_t held_off[IP_CT_DIR_MAX];
	struct ucp_helper_counters ctrs;
	bool pass_malformed;
	unsigned int reassembly_kb;
	unsigned int timeout;

	/* The skeleton's. */
	struct list_head list;		/* the registered protocols */
	struct nf_conntrack_helper *nf;
	struct list_head conns;
	spinlock_t lock;		/* @conns */
	atomic_t reassembly_bytes;
};

/*
 * The counters of protocol P (SIP, SCCP, ...), by the names the spec gives
 * every protocol: UCP_CTR_P_DROPPED, ..., and UCP_CTR_P_BAD_<reason> in the
 * order of the core's reasons, which start at UCP_P_E_TOO_LARGE and end
 * before UCP_P_REASON_COUNT.
 */
#define UCP_HELPER_COUNTERS(P) {					\
	.dropped		= UCP_CTR_##P##_DROPPED,		\
	.malformed_passed	= UCP_CTR_##P##_MALFORMED_PASSED,	\
	.nomem			= UCP_CTR_##P##_NOMEM,			\
	.reassembly_full	= UCP_CTR_##P##_REASSEMBLY_FULL,	\
	.reason_ctr		= UCP_CTR_##P##_BAD_TOO_LARGE,		\
	.reason_min		= UCP_##P##_E_TOO_LARGE,		\
	.reason_count		= UCP_##P##_REASON_COUNT,		\
}

/*
 * The descriptor of protocol P (prefix p), from the names every protocol
 * gives its parts: UCP_P_HELPER_NAME and UCP_P_TLS_HELPER_NAME, struct
 * ucp_p_conn with its reassembly buffers at stream[dir].held,
 * p_conn_release() and p_media_find(), UCP_P_MAX_MSG, and
 * the counters of UCP_HELPER_COUNTERS(P). @policy and
 * @class_max: its expectation classes; @kb: the default reassembly budget.
 */
#define UCP_HELPER(P, p, policy_, class_max_, kb) {			\
	.name		= UCP_##P##_HELPER_NAME,			\
	.tls_name	= UCP_##P##_TLS_HELPER_NAME,			\
	.policy		= policy_,					\
	.class_max	= class_max_,					\
	.conn_size	= sizeof(struct ucp_##p##_conn),		\
	.conn_release	= p##_conn_release,				\
	.media_find	= p##_media_find,				\
	.max_msg	= UCP_##P##_MAX_MSG,				\
	.held_off	= {						\
		offsetof(struct ucp_##p##_conn, stream[0].held),	\
		offsetof(struct ucp_##p##_conn, stream[1].held),	\
	},								\
	.ctrs		= UCP_HELPER_COUNTERS(P),			\
	.reassembly_kb	= kb,						\
	.timeout	= 3600,						\
}

/*
 * What every protocol's module has, named after it (p sip gives
 * sip_pass_malformed, sip_reassembly_kb, sip_timeout): the parameters,
 * whose values live in its descriptor ucp_p_helper, and the aliases that
 * let nft load the module by helper name. @what: the protocol's name in
 * the parameters' descriptions. And the proof that the spec has one
 * bad-<reason> counter per reason of the core.
 */
#define UCP_HELPER_MODULE_INFO(P, p, what)		\
	module_param_named(p##_pass_malformed, ucp_##p##_helper.pass_malformed, \
			   bool, 0644);					\
	MODULE_PARM_DESC(p##_pass_malformed, "Pass malformed " what	\
			 " messages unmodified instead of dropping them (default: drop)"); \
	module_param_named(p##_reassembly_kb, ucp_##p##_helper.reassembly_kb, \
			   uint, 0644);					\
	MODULE_PARM_DESC(p##_reassembly_kb, "Memory for " what		\
			 " messages split across TCP segments, all connections (KiB)"); \
	module_param_named(p##_timeout, ucp_##p##_helper.timeout, uint, 0644); \
	MODULE_PARM_DESC(p##_timeout, "Idle timeout of " what		\
			 " signalling connections (seconds)");		\
	MODULE_ALIAS_NFCT_HELPER(UCP_##P##_HELPER_NAME);		\
	MODULE_ALIAS_NFCT_HELPER(UCP_##P##_TLS_HELPER_NAME);		\
	static_assert(UCP_SPEC_CTR_##P##_BAD_COUNT ==			\
		      UCP_##P##_REASON_COUNT - UCP_##P##_E_TOO_LARGE,	\
		      "one " what " bad-* counter per reason of the core")

/*
 * The state of @ct as protocol @h's @type, whose first member is the
 * struct ucp_helper_conn @base; @gfp 0: only look.
 */
#define ucp_helper_conn_of(h, ct, gfp, type) ({				\
	struct ucp_helper_conn *__c = ucp_helper_conn_get(h, ct, gfp);	\
	__c ? container_of(__c, type, base) : NULL;			\
})

int ucp_helper_register(struct ucp_helper *h);
void ucp_helper_unregister(struct ucp_helper *h);

struct ucp_helper_conn *ucp_helper_conn_get(struct ucp_helper *h,
					    struct nf_conn *ct, gfp_t gfp);
struct ucp_media *ucp_helper_media_find(struct nf_conn *master,
					const struct nf_conntrack_expect *exp,
					u8 *from, u8 *flow);

void *ucp_helper_buf_get(struct ucp_helper *h, void **buf);

void ucp_helper_count(const struct nf_conn *ct, enum ucp_counter ctr);
void ucp_helper_count_reason(const struct ucp_helper *h, struct ucp_stats *stats,
			     int reason);
int ucp_helper_refuse(const struct ucp_helper *h, const struct nf_conn *ct,
		      int reason);
int ucp_helper_give_up(const struct ucp_helper *h, const struct nf_conn *ct,
		       enum ucp_counter ctr);

#endif /* _UCP_HELPER_H */
