// SPDX-License-Identifier: GPL-2.0
/*
 * The conntrack helper "ucp-sip": SIP over UDP and TCP, IPv4 and IPv6.
 *
 * nft binds it to traffic (`ct helper set "ucp-sip"`); its help function
 * sees every packet of such a connection after NAT, frames the SIP
 * messages in it, has the pure core parse them and sip_nat.c act on them,
 * and replaces each message the NAT changes with its rewritten copy. The
 * helpers are registered through the skeleton (helper.c) with the
 * descriptor of sip_conn.c.
 *
 * TCP: several messages may share a segment, and a message may end in a
 * later segment. On a NATed connection the bytes of an unfinished message
 * are taken out of their segment and put back in front of the next one,
 * so that the message is rewritten whole and the receiver sees one
 * consistent byte stream (sequence numbers follow through seqadj). The
 * bytes put in front of a segment are kept until the next one, in case
 * that segment is retransmitted. Without NAT nothing is rewritten, and the
 * bytes are only copied to join the message for parsing. The memory held
 * for this is bounded per message (UCP_SIP_MAX_MSG) and in total
 * (sip_reassembly_kb).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/dst.h>
#include <net/tcp.h>
#include <linux/udp.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_conntrack_seqadj.h>
#include <net/netfilter/nf_nat_helper.h>

#include "sip.h"
#include "ucproxy.h"

/* tcp_hold(): the segment is kept; the caller drops it without counting. */
#define NF_STOLEN_DROP	(NF_MAX_VERDICT + 1)

/* --- One message ---------------------------------------------------- */

/*
 * Parse @msg and act on it. Returns NF_ACCEPT with *out_len set when the
 * message is to be replaced by w->out (else *out_len is 0), or a verdict.
 */
static int sip_message(struct nf_conn *ct, enum ip_conntrack_dir dir,
		       struct ucp_sip_work *w, const char *msg, size_t len,
		       bool can_resize, size_t *out_len)
{
	struct ucp_nat_map map;
	bool rewrite;
	int err;

	*out_len = 0;
	err = ucp_sip_parse(&w->msg, msg, len);
	if (err)
		return ucp_helper_refuse(&ucp_sip_helper, ct, err);
	ucp_helper_count(ct, UCP_CTR_SIP_MESSAGES);

	ucp_nat_map_conntrack(&map, ct, dir);
	map.rewritable = can_resize;
	err = ucp_sip_nat_message(&map, w, msg, &rewrite);
	if (!err && rewrite && can_resize) {
		err = ucp_sip_rewrite(&w->msg, msg, w->subst, w->out,
				      sizeof(w->out), out_len);
		if (err) {
			ucp_sip_msg_wipe(&w->msg);
			return ucp_helper_refuse(&ucp_sip_helper, ct, err);
		}
		ucp_helper_count(ct, UCP_CTR_SIP_REWRITTEN);
	}
	ucp_sip_msg_wipe(&w->msg);
	return err ? NF_DROP : NF_ACCEPT;
}

/* --- UDP ------------------------------------------------------------ */

static int ucp_sip_help_udp(struct sk_buff *skb, unsigned int protoff,
			    struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	unsigned int dataoff = protoff + sizeof(struct udphdr);
	size_t skip, len, msg_len, out_len;
	struct ucp_sip_work *w;
	const char *data;
	int ret;

	if (dataoff >= skb->len)
		return NF_ACCEPT;
	nf_ct_refresh(ct, skb, READ_ONCE(ucp_sip_helper.timeout) * HZ);
	if (skb_linearize(skb)) {
		ucp_helper_count(ct, UCP_CTR_SIP_NOMEM);
		return NF_DROP;
	}
	data = skb->data + dataoff;
	len = skb->len - dataoff;

	ret = ucp_sip_frame(data, len, false, &skip, &msg_len);
	if (ret == UCP_SIP_E_INCOMPLETE)	/* a keep-alive: CRLFs only */
		return NF_ACCEPT;
	if (ret)
		return ucp_helper_refuse(&ucp_sip_helper, ct, ret);

	local_bh_disable();
	w = ucp_sip_work_this_cpu();
	ret = sip_message(ct, CTINFO2DIR(ctinfo), w, data + skip, msg_len,
			  true, &out_len);
	/* Bytes after Content-Length are not part of it (RFC 3261 18.3). */
	if (ret == NF_ACCEPT && out_len &&
	    !nf_nat_mangle_udp_packet(skb, ct, ctinfo, protoff, skip,
				      len - skip, w->out, out_len)) {
		ucp_helper_count(ct, UCP_CTR_SIP_NOMEM);
		ret = NF_DROP;
	}
	ucp_sip_media_wipe(w, out_len);
	local_bh_enable();
	return ret;
}

/* --- TCP ------------------------------------------------------------ */

/* One TCP segment on its way through the helper. */
struct sip_segment {
	struct sk_buff *skb;
	struct nf_conn *ct;
	enum ip_conntrack_info ctinfo;
	unsigned int protoff;
	unsigned int dataoff;
	u32 seq;		/* of the first payload byte, as sent */
	u32 end;		/* sequence after the payload as received */
	bool resize;		/* NATed with seqadj: lengths may change */
	bool changed;		/* the payload was mangled */
	s32 delta;		/* growth by rewriting, for seqadj */
};

static char *seg_data(const struct sip_segment *seg)
{
	return seg->skb->data + seg->dataoff;
}

static u32 seg_payload(const struct sip_segment *seg)
{
	return seg->skb->len - seg->dataoff;
}

static bool seg_mangle(struct sip_segment *seg, u32 off, u32 len,
		       const char *rep, u32 rep_len)
{
	if (__nf_nat_mangle_tcp_packet(seg->skb, seg->ct, seg->ctinfo,
				       seg->protoff, off, len, rep, rep_len,
				       false)) {
		seg->changed = true;
		return true;
	}
	ucp_helper_count(seg->ct, UCP_CTR_SIP_NOMEM);
	return false;
}

/* The segment ends inside a message (not only in keep-alive CRLFs). */
static bool ends_inside_message(const struct sip_segment *seg)
{
	const char *data = seg_data(seg);
	u32 len = seg_payload(seg), off = 0;
	size_t skip, msg_len;

	while (off < len) {
		int ret = ucp_sip_frame(data + off, len - off, true, &skip,
					&msg_len);

		if (ret == UCP_SIP_E_INCOMPLETE)
			return skip < len - off;
		if (ret)
			return false;	/* refused where it is processed */
		off += skip + msg_len;
	}
	return false;
}

/*
 * Keep the payload for the next segment and drop this one: nothing of it
 * reaches the receiver, so nothing has to be taken back from the sequence
 * space. @parse_only keeps only the unfinished message at @off of a
 * segment that goes on unchanged.
 */
static int tcp_hold(struct sip_segment *seg, struct ucp_sip_stream *st,
		    u32 off, bool parse_only)
{
	u32 len = seg_payload(seg) - off;

	if (len >= UCP_SIP_MAX_MSG)
		return ucp_helper_refuse(&ucp_sip_helper, seg->ct, UCP_SIP_E_TOO_LARGE);
	if (!ucp_helper_buf_get(&ucp_sip_helper, (void **)&st->held))
		return ucp_helper_give_up(&ucp_sip_helper, seg->ct, UCP_CTR_SIP_REASSEMBLY_FULL);
	memcpy(st->held, seg_data(seg) + off, len);
	st->held_len = len;
	st->held_seq = seg->end - len;
	st->next_seq = seg->end;
	st->parse_only = parse_only;
	st->held_resent = 0;
	return parse_only ? NF_ACCEPT : NF_STOLEN_DROP;
}

/*
 * The held segment's bytes go in front of this one, which now starts
 * where they did: its sequence number moves back by as many bytes as it
 * grows, so the stream stays the same and seqadj has nothing to follow.
 */
static bool tcp_join(struct sip_segment *seg, struct ucp_sip_stream *st)
{
	struct tcphdr *th;

	th = (struct tcphdr *)(seg->skb->data + seg->protoff);
	th->seq = htonl(st->held_seq);
	/* Mangling recomputes the checksum over the header too. */
	if (!seg_mangle(seg, 0, 0, st->held, st->held_len))
		return false;
	seg->seq = st->held_seq;
	st->held_len = 0;
	return true;
}

/*
 * Parse-only join: the segment continues the message whose first bytes
 * went on unchanged. Complete it in the held buffer and act on it (it is
 * not rewritten). Returns a verdict; *off is where the segment's next
 * message starts, or the segment's length when it was all taken.
 */
static int tcp_join_parse(struct sip_segment *seg, struct ucp_sip_stream *st,
			  struct ucp_sip_work *w, u32 *off)
{
	u32 take = min_t(u32, seg_payload(seg), UCP_SIP_MAX_MSG - st->held_len);
	size_t skip, msg_len, out_len;
	u32 held = st->held_len;
	int ret;

	memcpy(st->held + held, seg_data(seg), take);
	*off = seg_payload(seg);
	ret = ucp_sip_frame(st->held, held + take, true, &skip, &msg_len);
	if (ret == UCP_SIP_E_INCOMPLETE && take == seg_payload(seg) &&
	    held + take < UCP_SIP_MAX_MSG) {
		st->held_len = held + take;
		st->next_seq = seg->end;
		return NF_ACCEPT;
	}
	st->held_len = 0;
	if (ret == UCP_SIP_E_INCOMPLETE)
		ret = UCP_SIP_E_TOO_LARGE;
	if (ret)
		return ucp_helper_refuse(&ucp_sip_helper, seg->ct, ret);
	ucp_helper_count(seg->ct, UCP_CTR_SIP_REASSEMBLED);
	*off = skip + msg_len - held;
	return sip_message(seg->ct, CTINFO2DIR(seg->ctinfo), w,
			   st->held + skip, msg_len, false, &out_len);
}

/*
 * Every whole message from @off on. An unfinished last one can only be
 * left here on a connection where nothing is rewritten, or after joining
 * was given up: it is kept to be parsed when it is complete.
 */
static int tcp_messages(struct sip_segment *seg, struct ucp_sip_stream *st,
			struct ucp_sip_work *w, u32 off, bool joined)
{
	size_t skip, msg_len, out_len;
	int ret;

	while (off < seg_payload(seg)) {
		const char *data = seg_data(seg) + off;
		u32 avail = seg_payload(seg) - off;

		ret = ucp_sip_frame(data, avail, true, &skip, &msg_len);
		if (ret == UCP_SIP_E_INCOMPLETE) {
			if (skip == avail)	/* keep-alive CRLFs */
				return NF_ACCEPT;
			if (!st)
				return ucp_helper_give_up(&ucp_sip_helper, seg->ct,
							  UCP_CTR_SIP_NOMEM);
			return tcp_hold(seg, st, off, true);
		}
		if (ret) {
			/* Framing lost: nothing after this can be trusted. */
			return ucp_helper_refuse(&ucp_sip_helper, seg->ct, ret);
		}
		if (joined)
			ucp_helper_count(seg->ct, UCP_CTR_SIP_REASSEMBLED);
		joined = false;
		ret = sip_message(seg->ct, CTINFO2DIR(seg->ctinfo), w,
				  data + skip, msg_len, seg->resize, &out_len);
		if (ret != NF_ACCEPT) {
			ucp_sip_media_wipe(w, sizeof(w->out));
			return ret;
		}
		if (out_len) {
			bool ok = seg_mangle(seg, off + skip, msg_len, w->out,
					     out_len);

			ucp_sip_media_wipe(w, out_len);
			if (!ok)
				return NF_DROP;
			seg->delta += (s32)out_len - (s32)msg_len;
			msg_len = out_len;
		}
		off += skip + msg_len;
	}
	return NF_ACCEPT;
}

/*
 * A segment that joining or longer messages made larger than the path
 * MTU is handed to GSO, which cuts it into segments of the path's size as
 * the sender would have (and sets their checksums); one that already came
 * as GSO keeps its size and is counted again.
 */
static void seg_fit_path(struct sip_segment *seg)
{
	struct sk_buff *skb = seg->skb;
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	const struct dst_entry *dst = skb_dst(skb);
	unsigned int mtu;

	if (!skb_is_gso(skb)) {
		mtu = dst ? dst_mtu(dst) : 0;
		if (!mtu || skb->len <= mtu || mtu <= seg->dataoff)
			return;
		shinfo->gso_type = nf_ct_l3num(seg->ct) == NFPROTO_IPV4 ?
				   SKB_GSO_TCPV4 : SKB_GSO_TCPV6;
		shinfo->gso_size = mtu - seg->dataoff;
	}
	shinfo->gso_segs = DIV_ROUND_UP(seg_payload(seg), shinfo->gso_size);
}

/* A segment of a connection with state; conn->base.stream_lock held. */
static int tcp_segment(struct sip_segment *seg, struct ucp_sip_conn *conn,
		       struct ucp_sip_work *w)
{
	struct ucp_sip_stream *st = &conn->stream[CTINFO2DIR(seg->ctinfo)];
	bool joined = false, give_up = false;
	u32 off = 0;
	int ret;

	if (st->held_len && st->parse_only) {
		/* Those bytes went on: anything else is not ours to judge. */
		if (seg->seq != st->next_seq)
			return NF_ACCEPT;
		ret = tcp_join_parse(seg, st, w, &off);
		if (ret != NF_ACCEPT || off >= seg_payload(seg))
			return ret;
	} else if (st->held_len) {
		if (seg->seq == st->next_seq) {
			if (!tcp_join(seg, st))
				return NF_DROP;
			joined = true;
		} else if (seg->seq == st->held_seq && !st->held_resent++) {
			/*
			 * The held segment again, once: a tail loss probe,
			 * which leaves the sender free to send the rest.
			 */
			return NF_STOLEN_DROP;
		} else if (seg->seq == st->held_seq) {
			/*
			 * Again: the sender's retransmission timeout, after
			 * which it sends nothing new until this is answered.
			 * Let the message go on unchanged rather than stall
			 * the connection.
			 */
			st->held_len = 0;
			ucp_helper_count(seg->ct, UCP_CTR_SIP_REASSEMBLY_ABANDONED);
			give_up = true;
		} else {
			ucp_helper_count(seg->ct, UCP_CTR_SIP_OUT_OF_ORDER);
			return NF_DROP;
		}
	}
	if (seg->resize && !give_up && ends_inside_message(seg))
		return tcp_hold(seg, st, 0, false);
	ret = tcp_messages(seg, st, w, off, joined);
	return ret;
}

static int ucp_sip_help_tcp(struct sk_buff *skb, unsigned int protoff,
			    struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	struct sip_segment seg = {
		.skb = skb, .ct = ct, .ctinfo = ctinfo, .protoff = protoff,
	};
	const struct tcphdr *th;
	struct ucp_sip_conn *conn;
	struct ucp_sip_work *w;
	struct tcphdr _th;
	int ret;

	if (ctinfo != IP_CT_ESTABLISHED && ctinfo != IP_CT_ESTABLISHED_REPLY)
		return NF_ACCEPT;
	th = skb_header_pointer(skb, protoff, sizeof(_th), &_th);
	if (!th)
		return NF_ACCEPT;
	seg.dataoff = protoff + th->doff * 4;
	if (seg.dataoff >= skb->len)
		return NF_ACCEPT;
	seg.seq = ntohl(th->seq);
	seg.end = seg.seq + (skb->len - seg.dataoff);
	nf_ct_refresh(ct, skb, READ_ONCE(ucp_sip_helper.timeout) * HZ);
	if (skb_linearize(skb)) {
		ucp_helper_count(ct, UCP_CTR_SIP_NOMEM);
		return NF_DROP;
	}
	/* Lengths change only where seqadj can follow them: NAT set it up. */
	seg.resize = (ct->status & IPS_NAT_MASK) && nfct_seqadj(ct);

	conn = ucp_helper_conn_of(&ucp_sip_helper, ct, GFP_ATOMIC,
				  struct ucp_sip_conn);
	local_bh_disable();
	w = ucp_sip_work_this_cpu();
	if (conn) {
		spin_lock(&conn->base.stream_lock);
		ret = tcp_segment(&seg, conn, w);
		spin_unlock(&conn->base.stream_lock);
	} else {
		ret = tcp_messages(&seg, NULL, w, 0, false);
	}
	local_bh_enable();
	if (ret == NF_STOLEN_DROP)
		return NF_DROP;		/* held: not a refusal */
	if (seg.delta)
		nf_ct_seqadj_set(ct, ctinfo, htonl(seg.seq), seg.delta);
	if (ret == NF_ACCEPT && seg.changed)
		seg_fit_path(&seg);
	return ret;
}

/* --- Registration --------------------------------------------------- */

/*
 * Any port that no other helper of the protocol claims will do; the
 * kernel's own "sip" claims 5060.
 */
static const struct ucp_helper_kind sip_kinds[] = {
	{ .l3num = NFPROTO_IPV4, .l4proto = IPPROTO_UDP, .help = ucp_sip_help_udp },
	{ .l3num = NFPROTO_IPV4, .l4proto = IPPROTO_TCP, .help = ucp_sip_help_tcp },
	{ .l3num = NFPROTO_IPV6, .l4proto = IPPROTO_UDP, .help = ucp_sip_help_udp },
	{ .l3num = NFPROTO_IPV6, .l4proto = IPPROTO_TCP, .help = ucp_sip_help_tcp },
	{ .tls = true, .l3num = NFPROTO_IPV4, .l4proto = IPPROTO_TCP, .port = 5061 },
	{ .tls = true, .l3num = NFPROTO_IPV6, .l4proto = IPPROTO_TCP, .port = 5061 },
};

/**
 * ucp_sip_helper_init() - register the ucp-sip and ucp-sip-tls helpers
 *
 * Return: 0 or -errno.
 */
int ucp_sip_helper_init(void)
{
	int err;

	err = ucp_sip_nat_init();
	if (err)
		return err;
	ucp_sip_helper.kinds = sip_kinds;
	ucp_sip_helper.nkinds = ARRAY_SIZE(sip_kinds);
	err = ucp_helper_register(&ucp_sip_helper);
	if (err)
		ucp_sip_nat_exit();
	return err;
}

/**
 * ucp_sip_helper_exit() - unregister the helpers, free every state
 */
void ucp_sip_helper_exit(void)
{
	ucp_helper_unregister(&ucp_sip_helper);
	ucp_sip_nat_exit();
}
