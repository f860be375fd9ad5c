// SPDX-License-Identifier: GPL-2.0
/*
 * Media sessions and their per-packet path.
 *
 * Life of a session: the signalling glue creates it from an offer
 * (ucp_media_new), fills in keys, commits it (license, namespace list)
 * and activates it once the answer gave the last key. A work item then
 * builds the SRTP contexts in process context. Every media conntrack
 * created from the call's expectations gets the "ucp-media" helper, whose
 * data points at the session (one reference each); the helper's help()
 * runs at the conntrack confirm hook, after NAT, and translates each
 * packet in place. The call's end (ucp_media_end) stops the translation,
 * releases the license, kills the media conntracks and wipes the keys;
 * the object goes with its last reference.
 *
 * Locks: ucp_media.lock (keys, state, conntracks; BH off) is never held
 * with a direction's lock, which is taken per packet around one SRTP
 * call. ucp_media_net.lock covers the namespace's list. A conntrack's
 * reference is dropped by the helper's destroy callback.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/udp.h>

#include "events.h"
#include "media.h"
#include "ucproxy.h"

/* What help() keeps in a media conntrack's helper data. */
struct ucp_media_ct {
	struct ucp_media *media;	/* one reference, set once */
	u8 from;			/* side the original direction is from */
	u8 flow;			/* enum ucp_media_flow */
};

static_assert(sizeof(struct ucp_media_ct) <=
	      sizeof_field(struct nf_conn_help, data));

static struct workqueue_struct *ucp_media_wq;
/* Every session, for module unload (sessions of all namespaces). */
static LIST_HEAD(ucp_media_all);
static DEFINE_SPINLOCK(ucp_media_all_lock);

static struct ucp_net *media_net(const struct ucp_media *m)
{
	return ucp_net(m->net);
}

/**
 * ucp_media_side_secure() - whether a side keeps SRTP with ucproxy's keys
 * @net: the namespace, whose media policy says
 * @side: the side of the signalling connection
 *
 * Return: true when the policy keeps @side on SRTP.
 */
bool ucp_media_side_secure(struct net *net, enum ip_conntrack_dir side)
{
	switch (READ_ONCE(ucp_net(net)->media.policy)) {
	case UCP_MEDIA_POLICY_SECURE_ORIGINAL:
		return side == IP_CT_DIR_ORIGINAL;
	case UCP_MEDIA_POLICY_SECURE_REPLY:
		return side == IP_CT_DIR_REPLY;
	case UCP_MEDIA_POLICY_SECURE_BOTH:
		return true;
	}
	return false;
}

/**
 * ucp_media_mode() - the mode a session's legs make
 * @m: the session
 *
 * Return: enum ucp_media_mode.
 */
u8 ucp_media_mode(const struct ucp_media *m)
{
	bool o = m->leg[IP_CT_DIR_ORIGINAL].secure;
	bool r = m->leg[IP_CT_DIR_REPLY].secure;

	if (o && r)
		return UCP_MEDIA_SRTP_TO_SRTP;
	if (o)
		return UCP_MEDIA_SRTP_TO_RTP;
	if (r)
		return UCP_MEDIA_RTP_TO_SRTP;
	return UCP_MEDIA_PASSTHROUGH;
}

static bool translates(const struct ucp_media *m)
{
	return ucp_media_mode(m) != UCP_MEDIA_PASSTHROUGH;
}

/* --- Lifetime ------------------------------------------------------- */

static void ucp_media_setup_work(struct work_struct *work);
static void ucp_media_free_work(struct work_struct *work);

/**
 * ucp_media_new() - a new media session, state offered
 * @net: its namespace
 * @proto: the signalling that set it up (enum ucp_proto)
 * @stream: the stream's index in that signalling
 *
 * GFP_ATOMIC: the signalling glue runs in softirq.
 *
 * Return: the session with one reference, the caller's; NULL without
 * memory.
 */
struct ucp_media *ucp_media_new(struct net *net, u8 proto, u8 stream)
{
	struct ucp_media *m = kzalloc(sizeof(*m), GFP_ATOMIC);
	int i, cpu;

	if (!m)
		return NULL;
	m->stats = alloc_percpu_gfp(struct ucp_media_stats, GFP_ATOMIC);
	if (!m->stats) {
		kfree(m);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(m->stats, cpu)->syncp);
	refcount_set(&m->ref, 1);
	spin_lock_init(&m->lock);
	INIT_LIST_HEAD(&m->node);
	INIT_WORK(&m->setup, ucp_media_setup_work);
	INIT_WORK(&m->free, ucp_media_free_work);
	m->net = net;
	m->proto = proto;
	m->stream = stream;
	m->state = UCP_MEDIA_STATE_OFFERED;
	m->created = jiffies;
	for (i = 0; i < IP_CT_DIR_MAX; i++) {
		spin_lock_init(&m->leg[i].rx.lock);
		spin_lock_init(&m->leg[i].tx.lock);
	}
	spin_lock_bh(&ucp_media_all_lock);
	list_add_tail(&m->all_node, &ucp_media_all);
	spin_unlock_bh(&ucp_media_all_lock);
	return m;
}

/**
 * ucp_media_get() - take a reference
 * @m: the session, on which the caller holds one
 */
void ucp_media_get(struct ucp_media *m)
{
	refcount_inc(&m->ref);
}

static void dir_destroy(struct ucp_media_dir *d)
{
	struct ucp_srtp *s;

	spin_lock_bh(&d->lock);
	s = d->srtp;
	d->srtp = NULL;
	d->built_gen = 0;
	spin_unlock_bh(&d->lock);
	if (s) {
		ucp_srtp_destroy(s);
		kfree(s);
	}
}

/* Contexts are gone (ended) or never used: free in process context. */
static void media_free(struct ucp_media *m)
{
	int i;

	for (i = 0; i < IP_CT_DIR_MAX; i++) {
		dir_destroy(&m->leg[i].rx);
		dir_destroy(&m->leg[i].tx);
	}
	free_percpu(m->stats);
	kfree_sensitive(m);
}

static void ucp_media_free_work(struct work_struct *work)
{
	media_free(container_of(work, struct ucp_media, free));
}

/* Give back the SRTP license session @m holds, if it does. */
static void media_unlicense(struct ucp_media *m)
{
	struct ucp_licensing *l = &media_net(m)->licensing;
	bool licensed;

	spin_lock_bh(&m->lock);
	licensed = m->licensed;
	m->licensed = false;
	spin_unlock_bh(&m->lock);
	if (!licensed)
		return;
	spin_lock_bh(&l->lock);
	ucp_license_release(&l->lic, UCP_APP_SRTP);
	spin_unlock_bh(&l->lock);
}

/* Off its namespace's list (which holds no reference). */
static void media_unlist(struct ucp_media *m)
{
	struct ucp_media_net *mn;

	if (!READ_ONCE(m->listed))
		return;
	mn = &media_net(m)->media;
	spin_lock_bh(&mn->lock);
	if (m->listed) {
		list_del_init(&m->node);
		m->listed = false;
	}
	spin_unlock_bh(&mn->lock);
}

/**
 * ucp_media_put() - let go of a reference
 * @m: the session
 *
 * The last reference may go in softirq (a conntrack's destroy), where the
 * crypto API's frees may not run: a work item frees. What touches the
 * namespace is done here, while the namespace is sure to exist (its
 * conntracks and calls hold the references). The setup work holds a
 * reference while queued, so it is idle by now.
 */
void ucp_media_put(struct ucp_media *m)
{
	if (!refcount_dec_and_test(&m->ref))
		return;
	media_unlist(m);
	media_unlicense(m);
	spin_lock_bh(&ucp_media_all_lock);
	list_del(&m->all_node);
	spin_unlock_bh(&ucp_media_all_lock);
	queue_work(ucp_media_wq, &m->free);
}

/* The start of @m, committed, for the events group. */
static void media_start_event(struct ucp_media *m)
{
	struct ucp_event_media ev = {
		.id = m->id, .mode = ucp_media_mode(m), .proto = m->proto,
		.stream = m->stream,
	};

	ucp_event_media(m->net, UCP_CMD_EVENT_MEDIA_START, &ev);
}

/* Its end: age and final counters; @suite: each side's, before the wipe. */
static void media_end_event(struct ucp_media *m, const u8 *suite)
{
	struct ucp_event_media ev = {
		.id = m->id, .mode = ucp_media_mode(m), .proto = m->proto,
		.stream = m->stream,
		.age_ms = jiffies_to_msecs(jiffies - m->created),
	};
	int i;

	for (i = 0; i < IP_CT_DIR_MAX; i++) {
		ucp_media_leg_totals(m, i, &ev.leg[i]);
		ev.suite[i] = m->leg[i].secure ? suite[i] : UCP_SUITE_NONE;
	}
	ucp_event_media(m->net, UCP_CMD_EVENT_MEDIA_END, &ev);
}

/* --- Keys and contexts ------------------------------------------------ */

static void key_set(struct ucp_media_dir *d, const struct ucp_media_key *key)
{
	if (d->key.suite == key->suite && d->key.len == key->len &&
	    d->key.mki_len == key->mki_len && d->key.mki == key->mki &&
	    !crypto_memneq(d->key.key, key->key, sizeof(key->key)))
		return;
	memcpy(&d->key, key, sizeof(*key));
	d->gen++;
}

/**
 * ucp_media_learn_rx_key() - store what a side sends with
 * @m: the session
 * @side: the side
 * @key: its key, as its signalling carried it (copied)
 *
 * ucproxy unprotects what @side sends with it. No lock of the caller's.
 */
void ucp_media_learn_rx_key(struct ucp_media *m, enum ip_conntrack_dir side,
			    const struct ucp_media_key *key)
{
	spin_lock_bh(&m->lock);
	key_set(&m->leg[side].rx, key);
	spin_unlock_bh(&m->lock);
}

/**
 * ucp_media_learn_tx_key() - store what a side receives with
 * @m: the session
 * @side: the side
 * @key: the key its signalling dictated (copied)
 *
 * ucproxy protects what it sends @side with it. No lock of the caller's.
 */
void ucp_media_learn_tx_key(struct ucp_media *m, enum ip_conntrack_dir side,
			    const struct ucp_media_key *key)
{
	spin_lock_bh(&m->lock);
	key_set(&m->leg[side].tx, key);
	spin_unlock_bh(&m->lock);
}

/* A key of ucproxy's own for @d in @suite: kept while the suite stays. */
static void key_own(struct ucp_media *m, struct ucp_media_dir *d, u8 suite,
		    struct ucp_media_key *out)
{
	spin_lock_bh(&m->lock);
	if (d->key.suite != suite) {
		memzero_explicit(&d->key, sizeof(d->key));
		d->key.suite = suite;
		d->key.len = ucp_srtp_key_len(ucp_srtp_profile_of(suite)) +
			     ucp_srtp_salt_len(ucp_srtp_profile_of(suite));
		get_random_bytes(d->key.key, d->key.len);
		d->gen++;
	}
	memcpy(out, &d->key, sizeof(*out));
	spin_unlock_bh(&m->lock);
}

/**
 * ucp_media_make_tx_key() - ucproxy's key for what a side receives
 * @m: the session
 * @side: the side
 * @suite: its suite (enum ucp_srtp_suite); a new suite makes a new key
 * @out: the key, for the signalling to give @side (the caller wipes it)
 */
void ucp_media_make_tx_key(struct ucp_media *m, enum ip_conntrack_dir side,
			   u8 suite, struct ucp_media_key *out)
{
	key_own(m, &m->leg[side].tx, suite, out);
}

/**
 * ucp_media_make_rx_key() - ucproxy's key for what a side sends
 * @m: the session
 * @side: the side
 * @suite: its suite (enum ucp_srtp_suite); a new suite makes a new key
 * @out: the key, for the signalling to give @side (the caller wipes it)
 */
void ucp_media_make_rx_key(struct ucp_media *m, enum ip_conntrack_dir side,
			   u8 suite, struct ucp_media_key *out)
{
	key_own(m, &m->leg[side].rx, suite, out);
}

static void queue_setup(struct ucp_media *m)
{
	ucp_media_get(m);
	if (!queue_work(ucp_media_wq, &m->setup))
		ucp_media_put(m);
}

/* Build the context of @d if its key changed; process context. */
static void dir_build(struct ucp_media *m, struct ucp_media_dir *d)
{
	struct ucp_srtp_params p = {};
	struct ucp_media_key key;
	struct ucp_srtp *s, *old;
	unsigned int klen;
	u8 mki[4];
	u32 gen;
	int err;

	spin_lock_bh(&m->lock);
	gen = d->gen;
	memcpy(&key, &d->key, sizeof(key));
	spin_unlock_bh(&m->lock);
	if (key.suite == UCP_SUITE_NONE || gen == READ_ONCE(d->built_gen))
		goto out;

	p.suite = ucp_srtp_profile_of(key.suite);
	klen = ucp_srtp_key_len(p.suite);
	p.master_key = key.key;
	p.master_salt = key.key + klen;
	if (key.mki_len) {
		put_unaligned_be32(key.mki, mki);
		p.mki = mki + 4 - key.mki_len;
		p.mki_len = key.mki_len;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	err = s ? ucp_srtp_init(s, &p) : -ENOMEM;
	if (err) {
		ucp_stats_inc(&media_net(m)->stats, UCP_CTR_MEDIA_KEY_FAILED);
		kfree(s);
		goto out;
	}
	spin_lock_bh(&d->lock);
	old = d->srtp;
	d->srtp = s;
	d->built_gen = gen;
	d->rtp_overhead = ucp_srtp_rtp_overhead(s);
	d->rtcp_overhead = ucp_srtp_rtcp_overhead(s);
	spin_unlock_bh(&d->lock);
	if (old) {
		ucp_srtp_destroy(old);
		kfree(old);
	}
out:
	memzero_explicit(&key, sizeof(key));
	memzero_explicit(mki, sizeof(mki));
}

static void ucp_media_setup_work(struct work_struct *work)
{
	struct ucp_media *m = container_of(work, struct ucp_media, setup);
	u8 state = READ_ONCE(m->state);
	int i;

	for (i = 0; i < IP_CT_DIR_MAX; i++) {
		if (state == UCP_MEDIA_STATE_ENDED) {
			dir_destroy(&m->leg[i].rx);
			dir_destroy(&m->leg[i].tx);
		} else if (m->leg[i].secure) {
			dir_build(m, &m->leg[i].rx);
			dir_build(m, &m->leg[i].tx);
		}
	}
	ucp_media_put(m);
}

/* --- Signalling's calls ----------------------------------------------- */

/**
 * ucp_media_commit() - license and list a session
 * @m: the session, new
 *
 * Takes an SRTP license session when @m translates (passthrough never
 * does), then lists @m in its namespace.
 *
 * Return: 0, or -ENOSPC or -EPERM when the license refuses (counted, and
 * reported to "events"): the caller gives up the translation and puts @m.
 */
int ucp_media_commit(struct ucp_media *m)
{
	struct ucp_net *un = media_net(m);
	struct ucp_licensing *l = &un->licensing;
	struct ucp_refusal ref = {};
	int err = 0;

	if (translates(m)) {
		spin_lock_bh(&l->lock);
		err = ucp_license_acquire(&l->lic, UCP_APP_SRTP, &ref);
		spin_unlock_bh(&l->lock);
		if (err) {
			ucp_stats_inc(&un->stats, UCP_CTR_MEDIA_REFUSED);
			ucp_event_limit(m->net, UCP_APP_SRTP, &ref);
			return err;
		}
		m->licensed = true;
	}
	spin_lock_bh(&un->media.lock);
	m->id = ++un->media.next_id;
	list_add_tail(&m->node, &un->media.sessions);
	m->listed = true;
	spin_unlock_bh(&un->media.lock);
	ucp_stats_inc(&un->stats, UCP_CTR_MEDIA_SESSIONS);
	media_start_event(m);
	return 0;
}

/**
 * ucp_media_keys_complete() - whether every key the session needs is known
 * @m: the session
 *
 * Return: true when both keys of every side ucproxy terminates are set.
 */
bool ucp_media_keys_complete(struct ucp_media *m)
{
	bool ok = true;
	int i;

	spin_lock_bh(&m->lock);
	for (i = 0; i < IP_CT_DIR_MAX; i++)
		if (m->leg[i].secure &&
		    (m->leg[i].rx.key.suite == UCP_SUITE_NONE ||
		     m->leg[i].tx.key.suite == UCP_SUITE_NONE))
			ok = false;
	spin_unlock_bh(&m->lock);
	return ok;
}

/**
 * ucp_media_prepare() - build the contexts of the keys known so far
 * @m: the session, before its answer
 */
void ucp_media_prepare(struct ucp_media *m)
{
	if (translates(m) && READ_ONCE(m->state) != UCP_MEDIA_STATE_ENDED)
		queue_setup(m);
}

/**
 * ucp_media_activate() - both sides' keys are known: translate
 * @m: the session; its contexts are built, state active
 */
void ucp_media_activate(struct ucp_media *m)
{
	spin_lock_bh(&m->lock);
	if (m->state == UCP_MEDIA_STATE_OFFERED)
		m->restart_flows = true;
	if (m->state != UCP_MEDIA_STATE_ENDED)
		m->state = UCP_MEDIA_STATE_ACTIVE;
	spin_unlock_bh(&m->lock);
	if (translates(m))
		queue_setup(m);
}

/* Kill and let go of @n flows taken off a session. */
static void kill_flows(struct nf_conn **cts, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		/* One whose first packet was dropped never made it to the table. */
		if (nf_ct_is_confirmed(cts[i]))
			nf_ct_kill(cts[i]);
		nf_ct_put(cts[i]);
	}
}

/**
 * ucp_media_flows_settled() - the expectations of a message are in place
 * @m: the session the message activated
 *
 * Ends the flows set up before (once per session): their NAT could not
 * pair them with expectations that did not exist yet (media that raced
 * its answer through a relaying agent), and those of a translated session
 * had their packets dropped while it waited. A session's media
 * expectations are permanent, so the next packet of each sets it up
 * again, paired. For the signalling glue, after it expected the message's
 * streams.
 */
void ucp_media_flows_settled(struct ucp_media *m)
{
	struct nf_conn *cts[UCP_MEDIA_MAX_CTS];
	unsigned int n;

	spin_lock_bh(&m->lock);
	if (!m->restart_flows) {
		spin_unlock_bh(&m->lock);
		return;
	}
	m->restart_flows = false;
	n = m->ncts;
	memcpy(cts, m->cts, n * sizeof(cts[0]));
	m->ncts = 0;
	spin_unlock_bh(&m->lock);
	kill_flows(cts, n);
}

/**
 * ucp_media_end() - the call ended
 * @m: the session: its packets are dropped from now on, its keys wiped,
 *	its flows killed, its license session given back and its end (with
 *	the final counters) told to the events group
 */
void ucp_media_end(struct ucp_media *m)
{
	struct nf_conn *cts[UCP_MEDIA_MAX_CTS];
	unsigned int n, i;
	u8 suite[IP_CT_DIR_MAX];

	spin_lock_bh(&m->lock);
	if (m->state == UCP_MEDIA_STATE_ENDED) {
		spin_unlock_bh(&m->lock);
		return;
	}
	m->state = UCP_MEDIA_STATE_ENDED;
	n = m->ncts;
	memcpy(cts, m->cts, n * sizeof(cts[0]));
	m->ncts = 0;
	for (i = 0; i < IP_CT_DIR_MAX; i++) {
		suite[i] = m->leg[i].rx.key.suite;
		memzero_explicit(&m->leg[i].rx.key, sizeof(m->leg[i].rx.key));
		memzero_explicit(&m->leg[i].tx.key, sizeof(m->leg[i].tx.key));
	}
	spin_unlock_bh(&m->lock);

	media_unlicense(m);
	/*
	 * Its flows go too: a later call may reuse the ports, and must not
	 * meet conntracks that still point here.
	 */
	kill_flows(cts, n);
	queue_setup(m);		/* wipes the contexts */
	if (m->id)		/* committed: its start was told */
		media_end_event(m, suite);
}

/* --- Media conntracks --------------------------------------------------- */

/**
 * ucp_media_attach() - give a new media conntrack its session
 * @ct: a new conntrack of an expectation of the signalling
 * @m: the session; @ct takes its own reference
 * @from: the side @ct's original direction comes from
 * @flow: what @ct carries
 *
 * For the expectation callbacks (softirq).
 */
void ucp_media_attach(struct nf_conn *ct, struct ucp_media *m,
		      enum ip_conntrack_dir from, enum ucp_media_flow flow)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct ucp_media_ct *mc;

	if (!help || rcu_access_pointer(help->helper) !=
		     ucp_media_helper(nf_ct_l3num(ct)))
		return;
	mc = (struct ucp_media_ct *)help->data;
	if (mc->media)
		return;
	spin_lock_bh(&m->lock);
	if (m->state == UCP_MEDIA_STATE_ENDED) {
		spin_unlock_bh(&m->lock);
		return;
	}
	if (m->ncts < UCP_MEDIA_MAX_CTS) {
		nf_conntrack_get(&ct->ct_general);
		m->cts[m->ncts++] = ct;
	}
	spin_unlock_bh(&m->lock);
	ucp_media_get(m);
	mc->from = from;
	mc->flow = flow;
	WRITE_ONCE(mc->media, m);
}

static void ucp_media_ct_destroy(struct nf_conn *ct)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct ucp_media_ct *mc;

	if (!help)
		return;
	mc = (struct ucp_media_ct *)help->data;
	if (mc->media) {
		ucp_media_put(mc->media);
		mc->media = NULL;
	}
}

/* --- The per-packet path ------------------------------------------------ */

enum media_verdict {
	MV_OK,
	MV_AUTH,
	MV_REPLAY,
	MV_MALFORMED,
	MV_DROP,
};

static enum media_verdict status_verdict(enum ucp_srtp_status st)
{
	switch (st) {
	case UCP_SRTP_OK:
		return MV_OK;
	case UCP_SRTP_AUTH_FAIL:
	case UCP_SRTP_UNKNOWN_MKI:
		return MV_AUTH;
	case UCP_SRTP_REPLAY:
	case UCP_SRTP_TOO_OLD:
		return MV_REPLAY;
	case UCP_SRTP_TOO_SHORT:
	case UCP_SRTP_BAD_VERSION:
	case UCP_SRTP_BAD_HEADER:
		return MV_MALFORMED;
	default:
		return MV_DROP;
	}
}

/* Unprotect the payload with what side @d's sender keyed; NULL: not built. */
static enum media_verdict unprotect(struct ucp_media_dir *d, u8 *p,
				    unsigned int len, bool rtcp,
				    unsigned int *out)
{
	enum ucp_srtp_status st;

	spin_lock(&d->lock);
	if (!d->srtp)
		st = UCP_SRTP_CRYPTO_ERR;
	else if (rtcp)
		st = ucp_srtcp_unprotect(d->srtp, p, len, out);
	else
		st = ucp_srtp_unprotect(d->srtp, p, len, out);
	spin_unlock(&d->lock);
	return status_verdict(st);
}

static enum media_verdict protect(struct ucp_media_dir *d, u8 *p,
				  unsigned int len, unsigned int room,
				  bool rtcp, unsigned int *out)
{
	enum ucp_srtp_status st;

	spin_lock(&d->lock);
	if (!d->srtp)
		st = UCP_SRTP_CRYPTO_ERR;
	else if (rtcp)
		st = ucp_srtcp_protect(d->srtp, p, len, room, out);
	else
		st = ucp_srtp_protect(d->srtp, p, len, room, out);
	spin_unlock(&d->lock);
	return status_verdict(st);
}

/* What protecting adds to a packet, as the context built says. */
static unsigned int dir_overhead(struct ucp_media_dir *d, bool rtcp)
{
	unsigned int n;

	spin_lock(&d->lock);
	n = rtcp ? d->rtcp_overhead : d->rtp_overhead;
	spin_unlock(&d->lock);
	return n;
}

/* New IP and UDP lengths, and the checksums, after the payload changed. */
static void fix_headers(struct sk_buff *skb, unsigned int protoff, u8 l3num,
			bool had_csum)
{
	struct udphdr *uh = (struct udphdr *)(skb->data + protoff);
	unsigned int ulen = skb->len - protoff;
	__wsum csum;

	uh->len = htons(ulen);
	uh->check = 0;
	skb->ip_summed = CHECKSUM_NONE;
	if (l3num == NFPROTO_IPV4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len - skb_network_offset(skb));
		ip_send_check(iph);
		if (!had_csum)
			return;		/* UDP over IPv4 may go without one */
		csum = csum_partial(uh, ulen, 0);
		uh->check = csum_tcpudp_magic(iph->saddr, iph->daddr, ulen,
					      IPPROTO_UDP, csum);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->payload_len = htons(skb->len - skb_network_offset(skb) -
					  sizeof(*ip6h));
		csum = csum_partial(uh, ulen, 0);
		uh->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, ulen,
					    IPPROTO_UDP, csum);
	}
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

static void count_leg(struct ucp_media *m, u8 from, unsigned int bytes,
		      enum media_verdict v)
{
	struct ucp_media_stats *s = this_cpu_ptr(m->stats);

	u64_stats_update_begin(&s->syncp);
	switch (v) {
	case MV_OK:
		u64_stats_inc(&s->leg[from].packets);
		u64_stats_add(&s->leg[from].bytes, bytes);
		break;
	case MV_AUTH:
		u64_stats_inc(&s->leg[from].auth_failures);
		break;
	case MV_REPLAY:
		u64_stats_inc(&s->leg[from].replays);
		break;
	default:
		u64_stats_inc(&s->leg[from].dropped);
		break;
	}
	u64_stats_update_end(&s->syncp);
}

static const enum ucp_counter verdict_counter[] = {
	[MV_AUTH] = UCP_CTR_MEDIA_AUTH_FAILED,
	[MV_REPLAY] = UCP_CTR_MEDIA_REPLAYED,
	[MV_MALFORMED] = UCP_CTR_MEDIA_MALFORMED,
	[MV_DROP] = UCP_CTR_MEDIA_DROPPED,
};

/* Translate one packet of @m from side @from, in place. */
static enum media_verdict translate(struct sk_buff *skb, unsigned int protoff,
				    u8 l3num, struct ucp_media *m, u8 from,
				    u8 flow, struct ucp_stats *stats)
{
	struct ucp_media_leg *src = &m->leg[from], *dst = &m->leg[!from];
	unsigned int off = protoff + sizeof(struct udphdr);
	unsigned int plen, len, room;
	enum media_verdict v;
	struct udphdr *uh;
	bool rtcp, had_csum;
	u8 *p;

	if (skb_is_gso(skb))
		return MV_DROP;
	/* Linear and ours to write: every byte is transformed anyway. */
	if (skb_ensure_writable(skb, skb->len))
		return MV_DROP;
	uh = (struct udphdr *)(skb->data + protoff);
	if (skb->len < off || ntohs(uh->len) != skb->len - protoff)
		return MV_MALFORMED;
	had_csum = uh->check || l3num != NFPROTO_IPV4 ||
		   skb->ip_summed == CHECKSUM_PARTIAL;
	plen = skb->len - off;
	p = skb->data + off;
	rtcp = flow == UCP_MEDIA_FLOW_RTCP ||
	       (flow == UCP_MEDIA_FLOW_MUX && ucp_srtp_is_rtcp(p, plen));

	len = plen;
	if (src->secure) {
		v = unprotect(&src->rx, p, plen, rtcp, &len);
		if (v != MV_OK)
			return v;
		ucp_stats_inc(stats, UCP_CTR_MEDIA_UNPROTECTED);
	}
	if (dst->secure) {
		unsigned int need = dir_overhead(&dst->tx, rtcp);

		/* Room for the trailer; only a full buffer costs a copy. */
		if (skb_tailroom(skb) + (plen - len) < need &&
		    pskb_expand_head(skb, 0, need, GFP_ATOMIC))
			return MV_DROP;
		p = skb->data + off;
		room = plen + skb_tailroom(skb);
		v = protect(&dst->tx, p, len, room, rtcp, &len);
		if (v != MV_OK)
			return v;
		ucp_stats_inc(stats, UCP_CTR_MEDIA_PROTECTED);
	}
	if (len > plen)
		__skb_put(skb, len - plen);
	else if (len < plen)
		__skb_trim(skb, skb->len - (plen - len));
	fix_headers(skb, protoff, l3num, had_csum);
	return MV_OK;
}

static int ucp_media_help(struct sk_buff *skb, unsigned int protoff,
			  struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct ucp_media_ct *mc = (struct ucp_media_ct *)help->data;
	struct ucp_media *m = READ_ONCE(mc->media);
	struct ucp_stats *stats;
	enum media_verdict v;
	unsigned int bytes;
	u8 from, state;

	if (!m)
		return NF_ACCEPT;
	/*
	 * Locally sent packets get here in process context: the direction
	 * locks and per-CPU counters need softirqs (and moves) held off.
	 */
	local_bh_disable();
	stats = &media_net(m)->stats;
	from = mc->from ^ CTINFO2DIR(ctinfo);
	bytes = skb->len;
	state = READ_ONCE(m->state);
	WRITE_ONCE(m->leg[from].last_seen, jiffies);

	if (!translates(m)) {
		v = state == UCP_MEDIA_STATE_ENDED ? MV_DROP : MV_OK;
		if (v == MV_OK)
			ucp_stats_inc(stats, UCP_CTR_MEDIA_PASSED);
	} else if (state != UCP_MEDIA_STATE_ACTIVE) {
		v = MV_DROP;	/* keys not complete, or the call ended */
	} else {
		v = translate(skb, protoff, nf_ct_l3num(ct), m, from, mc->flow,
			      stats);
	}
	count_leg(m, from, bytes, v);
	if (v != MV_OK)
		ucp_stats_inc(stats, verdict_counter[v]);
	local_bh_enable();
	return v == MV_OK ? NF_ACCEPT : NF_DROP;
}

static const struct nf_conntrack_expect_policy ucp_media_expect_policy = {
	.name		= "none",
	.max_expected	= 0,
	.timeout	= 1,
};

static struct nf_conntrack_helper ucp_media_helpers[2];

/**
 * ucp_media_helper() - the helper media conntracks are given
 * @l3num: NFPROTO_IPV4 or NFPROTO_IPV6
 *
 * Return: the ucp-media helper of that family, for an expectation's
 * assign_helper.
 */
struct nf_conntrack_helper *ucp_media_helper(u8 l3num)
{
	return &ucp_media_helpers[l3num == NFPROTO_IPV6];
}

/* --- Counters ------------------------------------------------------- */

/**
 * ucp_media_leg_totals() - what one side sent, summed over the CPUs
 * @m: the session
 * @side: the side
 * @t: the totals
 */
void ucp_media_leg_totals(const struct ucp_media *m, enum ip_conntrack_dir side,
			  struct ucp_media_totals *t)
{
	int cpu;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		const struct ucp_media_stats *s = per_cpu_ptr(m->stats, cpu);
		u64 p, b, a, r, d;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->leg[side].packets);
			b = u64_stats_read(&s->leg[side].bytes);
			a = u64_stats_read(&s->leg[side].auth_failures);
			r = u64_stats_read(&s->leg[side].replays);
			d = u64_stats_read(&s->leg[side].dropped);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		t->packets += p;
		t->bytes += b;
		t->auth_failures += a;
		t->replays += r;
		t->dropped += d;
	}
}

/* --- Setup and teardown ----------------------------------------------- */

/**
 * ucp_media_net_init() - a namespace's media: no session, passthrough
 * @mn: its media state
 */
void ucp_media_net_init(struct ucp_media_net *mn)
{
	spin_lock_init(&mn->lock);
	INIT_LIST_HEAD(&mn->sessions);
	mn->policy = UCP_MEDIA_POLICY_PASSTHROUGH;
}

/**
 * ucp_media_net_exit() - the namespace goes: its sessions end
 * @mn: its media state
 *
 * The sessions leave its list; their objects stay until their conntracks'
 * and calls' references go, which happens before the namespace is freed
 * (its conntracks go first).
 */
void ucp_media_net_exit(struct ucp_media_net *mn)
{
	struct ucp_media *m, *tmp;
	LIST_HEAD(gone);

	spin_lock_bh(&mn->lock);
	list_for_each_entry_safe(m, tmp, &mn->sessions, node) {
		if (!refcount_inc_not_zero(&m->ref))
			continue;	/* its last put is unlisting it */
		list_move_tail(&m->node, &gone);
	}
	spin_unlock_bh(&mn->lock);
	list_for_each_entry_safe(m, tmp, &gone, node) {
		ucp_media_end(m);
		spin_lock_bh(&mn->lock);
		list_del_init(&m->node);
		m->listed = false;
		spin_unlock_bh(&mn->lock);
		ucp_media_put(m);
	}
}

/*
 * Build and free one context of each cipher family, so that the crypto
 * API's templates (ctr, hmac, gcm) are loaded now rather than by the
 * first call's work item, whose first packets would wait for it.
 */
static void warm_crypto(void)
{
	static const enum ucp_srtp_profile profiles[] = {
		UCP_SRTP_AES_CM_128_HMAC_SHA1_80, UCP_SRTP_AEAD_AES_128_GCM,
	};
	static const u8 zero[UCP_SRTP_MAX_KEY_LEN + UCP_SRTP_MAX_SALT_LEN];
	struct ucp_srtp *s = kzalloc(sizeof(*s), GFP_KERNEL);
	struct ucp_srtp_params p = { .master_key = zero };
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < ARRAY_SIZE(profiles); i++) {
		p.suite = profiles[i];
		p.master_salt = zero + ucp_srtp_key_len(profiles[i]);
		if (ucp_srtp_init(s, &p))
			pr_warn("SRTP profile %s is not available: %s calls cannot be translated\n",
				ucp_srtp_suite_name(profiles[i]),
				ucp_srtp_suite_name(profiles[i]));
		ucp_srtp_destroy(s);
	}
	kfree(s);
}

/**
 * ucp_media_init() - the work queue and the ucp-media helpers
 *
 * Loads the crypto templates first, so that a call's first packets do
 * not wait for them.
 *
 * Return: 0 or -errno.
 */
int ucp_media_init(void)
{
	int i, err;

	warm_crypto();
	ucp_media_wq = alloc_workqueue("ucp_media", WQ_UNBOUND | WQ_MEM_RECLAIM,
				       0);
	if (!ucp_media_wq)
		return -ENOMEM;
	/*
	 * Given to media conntracks by expectations only; the port of the
	 * tuple just has to differ from other UDP helpers' (ucp-sip has 0).
	 */
	for (i = 0; i < ARRAY_SIZE(ucp_media_helpers); i++) {
		struct nf_conntrack_helper *h = &ucp_media_helpers[i];

		nf_ct_helper_init(h, i ? NFPROTO_IPV6 : NFPROTO_IPV4,
				  IPPROTO_UDP, UCP_MEDIA_HELPER_NAME, 1, 1, 0,
				  &ucp_media_expect_policy, 0, ucp_media_help,
				  NULL, THIS_MODULE);
		h->destroy = ucp_media_ct_destroy;
		h->data_len = sizeof(struct ucp_media_ct);
		h->nat_mod_name[0] = '\0';
	}
	err = nf_conntrack_helpers_register(ucp_media_helpers,
					    ARRAY_SIZE(ucp_media_helpers));
	if (err) {
		pr_err("cannot register the %s conntrack helper: %d\n",
		       UCP_MEDIA_HELPER_NAME, err);
		destroy_workqueue(ucp_media_wq);
	}
	return err;
}

/* A reference to a session not ended yet, or NULL. */
static struct ucp_media *first_session(void)
{
	struct ucp_media *m;

	spin_lock_bh(&ucp_media_all_lock);
	list_for_each_entry(m, &ucp_media_all, all_node) {
		if (m->state != UCP_MEDIA_STATE_ENDED &&
		    refcount_inc_not_zero(&m->ref))
			goto out;
	}
	m = NULL;
out:
	spin_unlock_bh(&ucp_media_all_lock);
	return m;
}

/**
 * ucp_media_exit() - end every session, unregister, free
 *
 * After the signalling helpers, whose calls held sessions.
 */
void ucp_media_exit(void)
{
	struct ucp_media *m, *tmp;

	/* Calls went first (the SIP helper); end what is left. */
	while ((m = first_session())) {
		ucp_media_end(m);
		ucp_media_put(m);
	}
	/*
	 * After this no help() or destroy() runs, and the conntracks that
	 * pointed at sessions forgot them: their references are ours.
	 */
	nf_conntrack_helpers_unregister(ucp_media_helpers,
					ARRAY_SIZE(ucp_media_helpers));
	drain_workqueue(ucp_media_wq);
	list_for_each_entry_safe(m, tmp, &ucp_media_all, all_node) {
		list_del(&m->all_node);
		media_unlist(m);
		media_free(m);
	}
	destroy_workqueue(ucp_media_wq);
}
