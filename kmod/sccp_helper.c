// SPDX-License-Identifier: GPL-2.0
/*
 * The conntrack helper "ucp-sccp": SCCP (Skinny) over TCP, IPv4 and IPv6.
 *
 * nft binds it to traffic (`ct helper set "ucp-sccp"`); its help function
 * sees every segment of such a connection after NAT, frames the SCCP
 * messages in it, has the pure core parse them and sccp_nat.c act on
 * them, and writes the changed address fields back into the segment.
 *
 * SCCP fields are fixed width: a rewrite never changes a length, so no
 * segment is held and no sequence number moves. A message a segment ends
 * in went on; its bytes are kept (bounded per message by
 * UCP_SCCP_MAX_MSG, in total by sccp_reassembly_kb) until the segment
 * that completes it, when the whole message is parsed and acted on, and
 * the fields in that segment's part are rewritten. A field to change in
 * the part already sent is counted (sccp.split_unrewritten): phones and
 * call managers send each message in one segment, so this is the rare
 * case, and the one where the fix (holding segments back) would cost
 * more than it saves.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_nat_helper.h>

#include "sccp.h"
#include "ucproxy.h"

bool ucp_sccp_pass_malformed;
module_param_named(sccp_pass_malformed, ucp_sccp_pass_malformed, bool, 0644);
MODULE_PARM_DESC(sccp_pass_malformed,
		 "Pass malformed SCCP messages unmodified instead of dropping them (default: drop)");

static unsigned int ucp_sccp_reassembly_kb = 1024;
module_param_named(sccp_reassembly_kb, ucp_sccp_reassembly_kb, uint, 0644);
MODULE_PARM_DESC(sccp_reassembly_kb,
		 "Memory for SCCP messages split across TCP segments, all connections (KiB)");

static unsigned int ucp_sccp_timeout = 3600;
module_param_named(sccp_timeout, ucp_sccp_timeout, uint, 0644);
MODULE_PARM_DESC(sccp_timeout, "Timeout of an SCCP signalling connection (seconds)");

MODULE_ALIAS_NFCT_HELPER(UCP_SCCP_HELPER_NAME);
MODULE_ALIAS_NFCT_HELPER(UCP_SCCP_TLS_HELPER_NAME);

/* What help->data holds. */
struct ucp_sccp_help {
	struct ucp_sccp_conn *conn;
};

static_assert(sizeof(struct ucp_sccp_help) <=
	      sizeof_field(struct nf_conn_help, data));

static LIST_HEAD(ucp_sccp_conns);
static DEFINE_SPINLOCK(ucp_sccp_conns_lock);
static atomic_t ucp_sccp_reassembly_bytes = ATOMIC_INIT(0);

static const struct nf_conntrack_expect_policy ucp_sccp_policy = {
	.name		= "media",
	/* RTP and RTCP of both directions of every party. */
	.max_expected	= 2 * 2 * UCP_SCCP_MAX_PARTIES,
	.timeout	= 3 * 60,
};

static struct nf_conntrack_helper ucp_sccp_helpers[4];

/* --- Per-connection state ------------------------------------------- */

struct ucp_sccp_conn *ucp_sccp_conn_get(struct nf_conn *ct, gfp_t gfp)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct ucp_sccp_help *h;
	struct ucp_sccp_conn *conn, *old;

	if (!help)
		return NULL;
	h = (struct ucp_sccp_help *)help->data;
	conn = READ_ONCE(h->conn);
	if (conn || !gfp)
		return conn;

	conn = kzalloc(sizeof(*conn), gfp);
	if (!conn)
		return NULL;
	spin_lock_init(&conn->lock);
	/* Two CPUs may meet here with both directions' first segments. */
	old = cmpxchg(&h->conn, NULL, conn);
	if (old) {
		kfree(conn);
		return old;
	}
	spin_lock_bh(&ucp_sccp_conns_lock);
	list_add(&conn->node, &ucp_sccp_conns);
	spin_unlock_bh(&ucp_sccp_conns_lock);
	return conn;
}

static void stream_free(struct ucp_sccp_stream *st)
{
	if (st->held)
		atomic_sub(UCP_SCCP_MAX_MSG, &ucp_sccp_reassembly_bytes);
	kfree_sensitive(st->held);	/* may hold key info */
	memset(st, 0, sizeof(*st));
}

static void conn_free(struct ucp_sccp_conn *conn)
{
	stream_free(&conn->stream[IP_CT_DIR_ORIGINAL]);
	stream_free(&conn->stream[IP_CT_DIR_REPLY]);
	ucp_sccp_conn_release(conn);
	kfree(conn);
}

static void ucp_sccp_destroy(struct nf_conn *ct)
{
	struct nf_conn_help *help = nfct_help(ct);
	struct ucp_sccp_conn *conn;

	if (!help)
		return;
	conn = ((struct ucp_sccp_help *)help->data)->conn;
	if (!conn)
		return;
	spin_lock_bh(&ucp_sccp_conns_lock);
	list_del(&conn->node);
	spin_unlock_bh(&ucp_sccp_conns_lock);
	conn_free(conn);
}

/* A reassembly buffer, within the budget of all connections. */
static u8 *stream_buf(struct ucp_sccp_stream *st)
{
	unsigned int budget = READ_ONCE(ucp_sccp_reassembly_kb) * 1024;

	if (st->held)
		return st->held;
	if (atomic_add_return(UCP_SCCP_MAX_MSG, &ucp_sccp_reassembly_bytes) > budget)
		goto full;
	st->held = kmalloc(UCP_SCCP_MAX_MSG, GFP_ATOMIC);
	if (st->held)
		return st->held;
full:
	atomic_sub(UCP_SCCP_MAX_MSG, &ucp_sccp_reassembly_bytes);
	return NULL;
}

/* --- Messages ------------------------------------------------------- */

static void count(struct nf_conn *ct, enum ucp_counter ctr)
{
	ucp_stats_inc(&ucp_net(nf_ct_net(ct))->stats, ctr);
}

void ucp_sccp_count_reason(struct ucp_stats *stats, int reason)
{
	if (reason >= UCP_SCCP_E_TOO_LARGE && reason < UCP_SCCP_REASON_COUNT)
		ucp_stats_inc(stats, UCP_CTR_SCCP_BAD_TOO_LARGE + reason -
			      UCP_SCCP_E_TOO_LARGE);
}

static_assert(UCP_CTR_SCCP_BAD_FAMILY - UCP_CTR_SCCP_BAD_TOO_LARGE ==
	      UCP_SCCP_E_FAMILY - UCP_SCCP_E_TOO_LARGE);

/* Verdict for a message the core refused with @reason. */
static int refuse(struct nf_conn *ct, int reason)
{
	ucp_sccp_count_reason(&ucp_net(nf_ct_net(ct))->stats, reason);
	if (ucp_sccp_pass_malformed) {
		count(ct, UCP_CTR_SCCP_MALFORMED_PASSED);
		return NF_ACCEPT;
	}
	count(ct, UCP_CTR_SCCP_DROPPED);
	return NF_DROP;
}

/* One TCP segment on its way through the helper. */
struct sccp_segment {
	struct sk_buff *skb;
	struct nf_conn *ct;
	enum ip_conntrack_info ctinfo;
	unsigned int protoff;
	unsigned int dataoff;
	u32 seq;		/* of the first payload byte */
	struct ucp_sip_map map;
	struct ucp_sccp_msg msg;
};

static u8 *seg_data(const struct sccp_segment *seg)
{
	return seg->skb->data + seg->dataoff;
}

static u32 seg_payload(const struct sccp_segment *seg)
{
	return seg->skb->len - seg->dataoff;
}

/* Put @len rewritten bytes at @off of the payload (same length: checksum only). */
static bool seg_write(struct sccp_segment *seg, u32 off, const u8 *bytes,
		      u32 len)
{
	if (__nf_nat_mangle_tcp_packet(seg->skb, seg->ct, seg->ctinfo,
				       seg->protoff, off, len, bytes, len,
				       false))
		return true;
	count(seg->ct, UCP_CTR_SCCP_NOMEM);
	return false;
}

/*
 * Parse the message @buf (a copy, @len bytes) and act on it; the fields
 * NAT changes are rewritten in @buf. Returns NF_ACCEPT with *changed
 * set, or a verdict.
 */
static int sccp_message(struct sccp_segment *seg, struct ucp_sccp_conn *conn,
			u8 *buf, u32 len, bool *changed)
{
	struct ucp_stats *stats = &ucp_net(nf_ct_net(seg->ct))->stats;
	int ret;

	*changed = false;
	ret = ucp_sccp_parse(&seg->msg, buf, len);
	if (ret)
		return refuse(seg->ct, ret);
	ucp_stats_inc(stats, UCP_CTR_SCCP_MESSAGES);
	if (!seg->msg.known) {
		ucp_stats_inc(stats, UCP_CTR_SCCP_UNKNOWN);
		return NF_ACCEPT;
	}
	ret = ucp_sccp_nat_message(&seg->map, conn, &seg->msg, buf, len);
	ucp_sccp_msg_wipe(&seg->msg);
	if (ret < 0)
		return refuse(seg->ct, -ret);
	if (ret) {
		ucp_stats_inc(stats, UCP_CTR_SCCP_REWRITTEN);
		*changed = true;
	}
	return NF_ACCEPT;
}

/*
 * The segment continues the message held in @st: complete it, act on it
 * (in @scratch), write back the part of it this segment carries. *off:
 * where the segment's next message starts (its length when it was all
 * taken).
 */
static int join(struct sccp_segment *seg, struct ucp_sccp_conn *conn,
		struct ucp_sccp_stream *st, u32 *off, u8 *scratch)
{
	u32 held = st->held_len, avail = seg_payload(seg), take;
	size_t msg_len;
	bool changed;
	int ret;

	/* The length field may itself have been split. */
	take = min_t(u32, avail, UCP_SCCP_MAX_MSG - held);
	memcpy(st->held + held, seg_data(seg), take);
	ret = ucp_sccp_frame(st->held, held + take, &msg_len);
	if (ret == UCP_SCCP_E_INCOMPLETE) {
		/* frame() bounds msg_len, so the buffer always holds it. */
		st->held_len = held + take;
		st->next_seq = seg->seq + avail;
		*off = avail;
		return NF_ACCEPT;
	}
	st->held_len = 0;
	if (ret)
		return refuse(seg->ct, ret);
	count(seg->ct, UCP_CTR_SCCP_REASSEMBLED);
	take = msg_len - held;
	*off = take;
	memcpy(scratch, st->held, msg_len);
	ret = sccp_message(seg, conn, scratch, msg_len, &changed);
	if (ret != NF_ACCEPT || !changed)
		return ret;
	/* What changed in the bytes that went on cannot be taken back. */
	if (memcmp(scratch, st->held, held))
		count(seg->ct, UCP_CTR_SCCP_SPLIT_UNREWRITTEN);
	if (memcmp(scratch + held, seg_data(seg), take) &&
	    !seg_write(seg, 0, scratch + held, take))
		return NF_DROP;
	return NF_ACCEPT;
}

/* Every message of the segment from @off on; an unfinished one is kept. */
static int messages(struct sccp_segment *seg, struct ucp_sccp_conn *conn,
		    u32 off, u8 *scratch)
{
	struct ucp_sccp_stream *st = conn ?
		&conn->stream[CTINFO2DIR(seg->ctinfo)] : NULL;
	size_t msg_len;
	bool changed;
	int ret;

	while (off < seg_payload(seg)) {
		u32 avail = seg_payload(seg) - off;

		ret = ucp_sccp_frame(seg_data(seg) + off, avail, &msg_len);
		if (ret == UCP_SCCP_E_INCOMPLETE) {
			if (!st || !stream_buf(st)) {
				count(seg->ct, st ? UCP_CTR_SCCP_REASSEMBLY_FULL :
					   UCP_CTR_SCCP_NOMEM);
				return ucp_sccp_pass_malformed ? NF_ACCEPT : NF_DROP;
			}
			memcpy(st->held, seg_data(seg) + off, avail);
			st->held_len = avail;
			st->next_seq = seg->seq + seg_payload(seg);
			return NF_ACCEPT;
		}
		if (ret)	/* framing lost: nothing after this is trusted */
			return refuse(seg->ct, ret);
		/* Parsed and rewritten in a copy: the packet only if it changed. */
		memcpy(scratch, seg_data(seg) + off, msg_len);
		ret = sccp_message(seg, conn, scratch, msg_len, &changed);
		if (ret != NF_ACCEPT)
			return ret;
		if (changed && !seg_write(seg, off, scratch, msg_len))
			return NF_DROP;
		off += msg_len;
	}
	return NF_ACCEPT;
}

static int ucp_sccp_help_tcp(struct sk_buff *skb, unsigned int protoff,
			     struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	struct sccp_segment *seg;
	struct ucp_sccp_conn *conn;
	struct ucp_sccp_stream *st;
	const struct tcphdr *th;
	struct tcphdr _th;
	unsigned int dataoff;
	u8 *scratch;
	u32 off = 0, seq;
	int ret;

	if (ctinfo != IP_CT_ESTABLISHED && ctinfo != IP_CT_ESTABLISHED_REPLY)
		return NF_ACCEPT;
	th = skb_header_pointer(skb, protoff, sizeof(_th), &_th);
	if (!th || protoff + th->doff * 4 >= skb->len)
		return NF_ACCEPT;
	/* Read now: @th may point into the head skb_linearize() replaces. */
	dataoff = protoff + th->doff * 4;
	seq = ntohl(th->seq);
	nf_ct_refresh(ct, skb, READ_ONCE(ucp_sccp_timeout) * HZ);
	if (skb_linearize(skb)) {
		count(ct, UCP_CTR_SCCP_NOMEM);
		return NF_DROP;
	}
	/* The parse, map and a message copy: too large for the stack. */
	seg = kmalloc(sizeof(*seg) + UCP_SCCP_MAX_MSG, GFP_ATOMIC);
	if (!seg) {
		count(ct, UCP_CTR_SCCP_NOMEM);
		return ucp_sccp_pass_malformed ? NF_ACCEPT : NF_DROP;
	}
	scratch = (u8 *)(seg + 1);
	seg->skb = skb;
	seg->ct = ct;
	seg->ctinfo = ctinfo;
	seg->protoff = protoff;
	seg->dataoff = dataoff;
	seg->seq = seq;
	ucp_sip_map_conntrack(&seg->map, ct, CTINFO2DIR(ctinfo));

	conn = ucp_sccp_conn_get(ct, GFP_ATOMIC);
	if (!conn) {
		ret = messages(seg, NULL, 0, scratch);
		goto out;
	}
	spin_lock_bh(&conn->lock);
	st = &conn->stream[CTINFO2DIR(ctinfo)];
	ret = NF_ACCEPT;
	if (st->held_len) {
		if (seg->seq == st->next_seq) {
			ret = join(seg, conn, st, &off, scratch);
		} else {
			/*
			 * Those bytes went on: a retransmission or a gap. The
			 * stream is followed again from a message boundary
			 * only, which this segment may not start at.
			 */
			st->held_len = 0;
			count(ct, UCP_CTR_SCCP_OUT_OF_ORDER);
			off = seg_payload(seg);
		}
	}
	if (ret == NF_ACCEPT)
		ret = messages(seg, conn, off, scratch);
	spin_unlock_bh(&conn->lock);
out:
	kfree_sensitive(seg);	/* the copies held key info */
	return ret;
}

/*
 * TLS records are for ucproxyd to open; the messages inside reach the
 * kernel through UCP_CMD_SIGNAL_INSPECT. This helper only makes the
 * connection able to own their media expectations.
 */
static int ucp_sccp_help_tls(struct sk_buff *skb, unsigned int protoff,
			     struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	return NF_ACCEPT;
}

/* --- Registration --------------------------------------------------- */

int ucp_sccp_helper_init(void)
{
	static const struct {
		const char *name;
		u16 l3num;
		u16 port;
		int (*help)(struct sk_buff *skb, unsigned int protoff,
			    struct nf_conn *ct, enum ip_conntrack_info ctinfo);
	} kinds[] = {
		{ UCP_SCCP_HELPER_NAME, NFPROTO_IPV4, UCP_SCCP_PORT, ucp_sccp_help_tcp },
		{ UCP_SCCP_HELPER_NAME, NFPROTO_IPV6, UCP_SCCP_PORT, ucp_sccp_help_tcp },
		{ UCP_SCCP_TLS_HELPER_NAME, NFPROTO_IPV4, UCP_SCCP_TLS_PORT, ucp_sccp_help_tls },
		{ UCP_SCCP_TLS_HELPER_NAME, NFPROTO_IPV6, UCP_SCCP_TLS_PORT, ucp_sccp_help_tls },
	};
	int err, i;

	BUILD_BUG_ON(ARRAY_SIZE(kinds) != ARRAY_SIZE(ucp_sccp_helpers));
	/*
	 * Helpers are assigned by name (nft) only; the port of the tuple
	 * is the protocol's, which no helper of the kernel claims.
	 */
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		struct nf_conntrack_helper *h = &ucp_sccp_helpers[i];

		nf_ct_helper_init(h, kinds[i].l3num, IPPROTO_TCP, kinds[i].name,
				  kinds[i].port, kinds[i].port, 0,
				  &ucp_sccp_policy, 0, kinds[i].help, NULL,
				  THIS_MODULE);
		h->destroy = ucp_sccp_destroy;
		/* NAT is done here, not by a separate nf_nat_ module. */
		h->nat_mod_name[0] = '\0';
	}
	err = nf_conntrack_helpers_register(ucp_sccp_helpers,
					    ARRAY_SIZE(ucp_sccp_helpers));
	if (err)
		pr_err("cannot register the %s conntrack helpers: %d\n",
		       UCP_SCCP_HELPER_NAME, err);
	return err;
}

void ucp_sccp_helper_exit(void)
{
	struct ucp_sccp_conn *conn, *tmp;

	/*
	 * Unregistering removes our expectations and detaches the helper
	 * from every connection, after which no help or destroy call can
	 * come: the states left are ours to free.
	 */
	nf_conntrack_helpers_unregister(ucp_sccp_helpers,
					ARRAY_SIZE(ucp_sccp_helpers));
	list_for_each_entry_safe(conn, tmp, &ucp_sccp_conns, node) {
		list_del(&conn->node);
		conn_free(conn);
	}
}
