// SPDX-License-Identifier: GPL-2.0
/*
 * The conntrack-helper skeleton (helper.h): what every signalling
 * protocol's helper does the same way.
 *
 * help->data holds one pointer, to the protocol's state for the
 * connection, allocated at the first message that needs it (or never: a
 * connection without calls costs nothing). Both directions' first packets
 * may meet on two CPUs, so the pointer is set once with cmpxchg. The state
 * is freed by the helper's destroy, or at unregistration for connections
 * still alive then: unregistering detaches the helper from every
 * connection, after which neither help nor destroy is called again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <net/netfilter/nf_conntrack_helper.h>

#include "helper.h"
#include "ucproxy.h"

/* What help->data holds. */
struct ucp_helper_data {
	struct ucp_helper_conn *conn;
};

static_assert(sizeof(struct ucp_helper_data) <=
	      sizeof_field(struct nf_conn_help, data));

/* The registered protocols (RCU), for media_find on any master. */
static LIST_HEAD(ucp_helpers);

static struct ucp_helper_conn **conn_slot(struct nf_conn_help *help)
{
	return &((struct ucp_helper_data *)help->data)->conn;
}

static bool owns(const struct ucp_helper *h,
		 const struct nf_conntrack_helper *nf)
{
	return nf >= h->nf && nf < h->nf + h->nkinds;
}

/* Whether @ct is helped by one of @h's conntrack helpers. */
static bool helped_by(const struct ucp_helper *h, const struct nf_conn *ct)
{
	const struct nf_conn_help *help = nfct_help(ct);
	bool ours;

	if (!help)
		return false;
	rcu_read_lock();
	ours = owns(h, rcu_dereference(help->helper));
	rcu_read_unlock();
	return ours;
}

/* The protocol @ct is helped by, if one of ours; under RCU. */
static struct ucp_helper *protocol_of(const struct nf_conn *ct)
{
	const struct nf_conn_help *help = nfct_help(ct);
	const struct nf_conntrack_helper *nf;
	struct ucp_helper *h;

	if (!help)
		return NULL;
	nf = rcu_dereference(help->helper);
	list_for_each_entry_rcu(h, &ucp_helpers, list)
		if (owns(h, nf))
			return h;
	return NULL;
}

/**
 * ucp_helper_conn_get() - the protocol state of a connection
 * @h: the protocol
 * @ct: the connection, helped by one of @h's conntrack helpers
 * @gfp: allocation flags for a state not there yet; 0: only look
 *
 * Return: the state, or NULL when there is none (and @gfp is 0, or memory
 * ran out) or when @ct is not helped by @h.
 */
struct ucp_helper_conn *ucp_helper_conn_get(struct ucp_helper *h,
					    struct nf_conn *ct, gfp_t gfp)
{
	struct ucp_helper_conn *conn, *old;

	if (!helped_by(h, ct))
		return NULL;
	conn = READ_ONCE(*conn_slot(nfct_help(ct)));
	if (conn || !gfp)
		return conn;

	conn = kzalloc(h->conn_size, gfp);
	if (!conn)
		return NULL;
	conn->helper = h;
	spin_lock_init(&conn->stream_lock);
	spin_lock_init(&conn->lock);
	old = cmpxchg(conn_slot(nfct_help(ct)), NULL, conn);
	if (old) {
		kfree(conn);
		return old;
	}
	spin_lock_bh(&h->lock);
	list_add(&conn->node, &h->conns);
	spin_unlock_bh(&h->lock);
	return conn;
}

/* Give a reassembly buffer back (@buf may hold NULL), wiped: it may hold keys. */
static void buf_free(struct ucp_helper *h, void **buf)
{
	if (!*buf)
		return;
	atomic_sub(h->max_msg, &h->reassembly_bytes);
	kfree_sensitive(*buf);
	*buf = NULL;
}

static void conn_free(struct ucp_helper_conn *conn)
{
	struct ucp_helper *h = conn->helper;
	unsigned int i;

	for (i = 0; i < IP_CT_DIR_MAX; i++)
		buf_free(h, (void **)((char *)conn + h->held_off[i]));
	h->conn_release(conn);
	kfree(conn);
}

static void helper_destroy(struct nf_conn *ct)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct ucp_helper_conn *conn;

	if (!help)
		return;
	conn = *conn_slot(help);
	if (!conn)
		return;
	spin_lock_bh(&conn->helper->lock);
	list_del(&conn->node);
	spin_unlock_bh(&conn->helper->lock);
	conn_free(conn);
}

/**
 * ucp_helper_media_find() - the media session of an expected connection
 * @master: the expectation's master, helped by one of our protocols
 * @exp: the expectation a new connection arrived on
 * @from: set to the side (conntrack direction of @master) it comes from
 * @flow: set to its flow kind (enum ucp_media_flow)
 *
 * Asks the master's protocol, which keeps its expectations with the
 * streams they belong to.
 *
 * Return: the session (a reference for the caller), or NULL.
 */
struct ucp_media *ucp_helper_media_find(struct nf_conn *master,
					const struct nf_conntrack_expect *exp,
					u8 *from, u8 *flow)
{
	struct ucp_media *m = NULL;
	struct ucp_helper_conn *conn;
	struct ucp_helper *h;

	rcu_read_lock();
	h = protocol_of(master);
	if (h && h->media_find) {
		conn = READ_ONCE(*conn_slot(nfct_help(master)));
		if (conn) {
			spin_lock_bh(&conn->lock);
			m = h->media_find(conn, exp, from, flow);
			spin_unlock_bh(&conn->lock);
		}
	}
	rcu_read_unlock();
	return m;
}

/* --- Reassembly memory ---------------------------------------------- */

/**
 * ucp_helper_buf_get() - a reassembly buffer, within the protocol's budget
 * @h: the protocol, whose budget (reassembly_kb) bounds all connections
 * @buf: where the buffer is kept; returned as it is when already there
 *
 * Return: the buffer of h->max_msg bytes, or NULL when the budget is
 * spent or memory ran out.
 */
void *ucp_helper_buf_get(struct ucp_helper *h, void **buf)
{
	unsigned int budget = READ_ONCE(h->reassembly_kb) * 1024;

	if (*buf)
		return *buf;
	if (atomic_add_return(h->max_msg, &h->reassembly_bytes) > budget)
		goto full;
	*buf = kmalloc(h->max_msg, GFP_ATOMIC);
	if (*buf)
		return *buf;
full:
	atomic_sub(h->max_msg, &h->reassembly_bytes);
	return NULL;
}

/* --- Counting and verdicts ------------------------------------------ */

/**
 * ucp_helper_count() - count one event of a connection's namespace
 * @ct: the connection
 * @ctr: the counter
 */
void ucp_helper_count(const struct nf_conn *ct, enum ucp_counter ctr)
{
	ucp_stats_inc(&ucp_net(nf_ct_net(ct))->stats, ctr);
}

/**
 * ucp_helper_count_reason() - count a refusal under its reason's counter
 * @h: the protocol whose core refused
 * @stats: the namespace's counters
 * @reason: the core's reason; outside the protocol's range: not counted
 */
void ucp_helper_count_reason(const struct ucp_helper *h, struct ucp_stats *stats,
			     int reason)
{
	const struct ucp_helper_counters *c = &h->ctrs;

	if (reason >= c->reason_min && reason < c->reason_count)
		ucp_stats_inc(stats, c->reason_ctr + reason - c->reason_min);
}

/**
 * ucp_helper_give_up() - the verdict on what the helper cannot follow
 * @h: the protocol
 * @ct: the connection
 * @ctr: what happened (no memory, reassembly budget spent), counted
 *
 * Return: NF_ACCEPT when the protocol passes what it cannot check
 * (pass_malformed), else NF_DROP.
 */
int ucp_helper_give_up(const struct ucp_helper *h, const struct nf_conn *ct,
		       enum ucp_counter ctr)
{
	ucp_helper_count(ct, ctr);
	return READ_ONCE(h->pass_malformed) ? NF_ACCEPT : NF_DROP;
}

/**
 * ucp_helper_refuse() - the verdict on a message the core refused
 * @h: the protocol
 * @ct: the connection
 * @reason: the core's reason, counted
 *
 * Return: NF_ACCEPT (counted as passed) with pass_malformed, else NF_DROP
 * (counted as dropped).
 */
int ucp_helper_refuse(const struct ucp_helper *h, const struct nf_conn *ct,
		      int reason)
{
	ucp_helper_count_reason(h, &ucp_net(nf_ct_net(ct))->stats, reason);
	if (READ_ONCE(h->pass_malformed)) {
		ucp_helper_count(ct, h->ctrs.malformed_passed);
		return NF_ACCEPT;
	}
	ucp_helper_count(ct, h->ctrs.dropped);
	return NF_DROP;
}

/* --- Registration --------------------------------------------------- */

/*
 * TLS records are for ucproxyd to open; the messages inside reach the
 * kernel through UCP_CMD_SIGNAL_INSPECT (inspect.c). A TLS helper only
 * makes its connection able to own media expectations.
 */
static int help_tls(struct sk_buff *skb, unsigned int protoff,
		    struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	return NF_ACCEPT;
}

/**
 * ucp_helper_register() - register a protocol's conntrack helpers
 * @h: the protocol, filled up to its counters
 *
 * Helpers are assigned by name (nft) only; the port of a kind's tuple
 * just has to differ from every other helper's of the same protocol
 * (registration refuses a clash), including the kernel's own.
 *
 * Return: 0 or -errno (logged).
 */
int ucp_helper_register(struct ucp_helper *h)
{
	unsigned int i;
	int err;

	INIT_LIST_HEAD(&h->conns);
	spin_lock_init(&h->lock);
	atomic_set(&h->reassembly_bytes, 0);
	h->nf = kcalloc(h->nkinds, sizeof(*h->nf), GFP_KERNEL);
	if (!h->nf)
		return -ENOMEM;
	for (i = 0; i < h->nkinds; i++) {
		const struct ucp_helper_kind *k = &h->kinds[i];
		struct nf_conntrack_helper *nf = &h->nf[i];

		nf_ct_helper_init(nf, k->l3num, k->l4proto,
				  k->tls ? h->tls_name : h->name, k->port,
				  k->port, 0, h->policy, h->class_max,
				  k->tls ? help_tls : k->help, NULL,
				  THIS_MODULE);
		nf->destroy = helper_destroy;
		/* NAT is done here, not by a separate nf_nat_ module. */
		nf->nat_mod_name[0] = '\0';
	}
	err = nf_conntrack_helpers_register(h->nf, h->nkinds);
	if (err) {
		pr_err("cannot register the %s conntrack helpers: %d\n",
		       h->name, err);
		kfree(h->nf);
		h->nf = NULL;
		return err;
	}
	list_add_tail_rcu(&h->list, &ucp_helpers);
	return 0;
}

/**
 * ucp_helper_unregister() - remove a protocol's helpers and free its states
 * @h: the protocol, registered
 *
 * Unregistering removes the helpers' expectations and detaches them from
 * every connection, after which no help or destroy call can come: the
 * states left are ours to free.
 */
void ucp_helper_unregister(struct ucp_helper *h)
{
	struct ucp_helper_conn *conn, *tmp;

	nf_conntrack_helpers_unregister(h->nf, h->nkinds);
	list_del_rcu(&h->list);
	synchronize_rcu();
	list_for_each_entry_safe(conn, tmp, &h->conns, node) {
		list_del(&conn->node);
		conn_free(conn);
	}
	WARN_ON_ONCE(atomic_read(&h->reassembly_bytes));
	kfree(h->nf);
	h->nf = NULL;
}
