// SPDX-License-Identifier: GPL-2.0
/*
 * The conntrack helper "ucp-sccp": SCCP (Skinny) over TCP, IPv4 and IPv6.
 *
 * nft binds it to traffic (`ct helper set "ucp-sccp"`); its help function
 * sees every segment of such a connection after NAT, frames the SCCP
 * messages in it, has the pure core parse them and sccp_nat.c act on
 * them, and writes the changed address fields back into the segment. The
 * helpers are registered through the skeleton (helper.c) with the
 * descriptor of sccp_conn.c.
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

/* --- Messages ------------------------------------------------------- */

/* One TCP segment on its way through the helper. */
struct sccp_segment {
	struct sk_buff *skb;
	struct nf_conn *ct;
	enum ip_conntrack_info ctinfo;
	unsigned int protoff;
	unsigned int dataoff;
	u32 seq;		/* of the first payload byte */
	struct ucp_nat_map map;
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
	ucp_helper_count(seg->ct, UCP_CTR_SCCP_NOMEM);
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
		return ucp_helper_refuse(&ucp_sccp_helper, seg->ct, ret);
	ucp_stats_inc(stats, UCP_CTR_SCCP_MESSAGES);
	if (!seg->msg.known) {
		ucp_stats_inc(stats, UCP_CTR_SCCP_UNKNOWN);
		return NF_ACCEPT;
	}
	ret = ucp_sccp_nat_message(&seg->map, conn, &seg->msg, buf, len);
	ucp_sccp_msg_wipe(&seg->msg);
	if (ret < 0)
		return ucp_helper_refuse(&ucp_sccp_helper, seg->ct, -ret);
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
		return ucp_helper_refuse(&ucp_sccp_helper, seg->ct, ret);
	ucp_helper_count(seg->ct, UCP_CTR_SCCP_REASSEMBLED);
	take = msg_len - held;
	*off = take;
	memcpy(scratch, st->held, msg_len);
	ret = sccp_message(seg, conn, scratch, msg_len, &changed);
	if (ret != NF_ACCEPT || !changed)
		return ret;
	/* What changed in the bytes that went on cannot be taken back. */
	if (memcmp(scratch, st->held, held))
		ucp_helper_count(seg->ct, UCP_CTR_SCCP_SPLIT_UNREWRITTEN);
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
			if (!st || !ucp_helper_buf_get(&ucp_sccp_helper, (void **)&st->held))
				return ucp_helper_give_up(&ucp_sccp_helper, seg->ct,
							  st ? UCP_CTR_SCCP_REASSEMBLY_FULL :
							       UCP_CTR_SCCP_NOMEM);
			memcpy(st->held, seg_data(seg) + off, avail);
			st->held_len = avail;
			st->next_seq = seg->seq + seg_payload(seg);
			return NF_ACCEPT;
		}
		if (ret)	/* framing lost: nothing after this is trusted */
			return ucp_helper_refuse(&ucp_sccp_helper, seg->ct, ret);
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
	nf_ct_refresh(ct, skb, READ_ONCE(ucp_sccp_helper.timeout) * HZ);
	if (skb_linearize(skb)) {
		ucp_helper_count(ct, UCP_CTR_SCCP_NOMEM);
		return NF_DROP;
	}
	/* The parse, map and a message copy: too large for the stack. */
	seg = kmalloc(sizeof(*seg) + UCP_SCCP_MAX_MSG, GFP_ATOMIC);
	if (!seg)
		return ucp_helper_give_up(&ucp_sccp_helper, ct, UCP_CTR_SCCP_NOMEM);
	scratch = (u8 *)(seg + 1);
	seg->skb = skb;
	seg->ct = ct;
	seg->ctinfo = ctinfo;
	seg->protoff = protoff;
	seg->dataoff = dataoff;
	seg->seq = seq;
	ucp_nat_map_conntrack(&seg->map, ct, CTINFO2DIR(ctinfo));

	conn = ucp_helper_conn_of(&ucp_sccp_helper, ct, GFP_ATOMIC,
				  struct ucp_sccp_conn);
	if (!conn) {
		ret = messages(seg, NULL, 0, scratch);
		goto out;
	}
	spin_lock_bh(&conn->base.lock);
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
			ucp_helper_count(ct, UCP_CTR_SCCP_OUT_OF_ORDER);
			off = seg_payload(seg);
		}
	}
	if (ret == NF_ACCEPT)
		ret = messages(seg, conn, off, scratch);
	spin_unlock_bh(&conn->base.lock);
out:
	kfree_sensitive(seg);	/* the copies held key info */
	return ret;
}

/* --- Registration --------------------------------------------------- */

/* The tuples' ports are the protocol's, which no kernel helper claims. */
static const struct ucp_helper_kind sccp_kinds[] = {
	{ .l3num = NFPROTO_IPV4, .l4proto = IPPROTO_TCP, .port = UCP_SCCP_PORT,
	  .help = ucp_sccp_help_tcp },
	{ .l3num = NFPROTO_IPV6, .l4proto = IPPROTO_TCP, .port = UCP_SCCP_PORT,
	  .help = ucp_sccp_help_tcp },
	{ .tls = true, .l3num = NFPROTO_IPV4, .l4proto = IPPROTO_TCP,
	  .port = UCP_SCCP_TLS_PORT },
	{ .tls = true, .l3num = NFPROTO_IPV6, .l4proto = IPPROTO_TCP,
	  .port = UCP_SCCP_TLS_PORT },
};

/**
 * ucp_sccp_helper_init() - register the ucp-sccp and ucp-sccp-tls helpers
 *
 * Return: 0 or -errno.
 */
int ucp_sccp_helper_init(void)
{
	ucp_sccp_helper.kinds = sccp_kinds;
	ucp_sccp_helper.nkinds = ARRAY_SIZE(sccp_kinds);
	return ucp_helper_register(&ucp_sccp_helper);
}

/**
 * ucp_sccp_helper_exit() - unregister the helpers, free every state
 */
void ucp_sccp_helper_exit(void)
{
	ucp_helper_unregister(&ucp_sccp_helper);
}
