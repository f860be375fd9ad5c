/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAT of signalling, for every protocol: how the addresses a message
 * carries change on its way (struct ucp_nat_map), and the media
 * expectations that follow from them (a stream's RTP and RTCP pair, and
 * the NAT of the connections they bring). A protocol's glue decides what
 * its messages mean; what that does to addresses and conntrack is here.
 */
#ifndef _UCP_NAT_H
#define _UCP_NAT_H

#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_expect.h>

#include "nat_addr.h"

/*
 * How the addresses of one message change on its way: the sender's own
 * address (src) and the one it sent to (dst), each with its port, as
 * written by the sender (from) and as the receiver must see them (to).
 * @ct, travelled in direction @dir, owns the media expectations.
 */
struct ucp_nat_map {
	struct nf_conn *ct;
	enum ip_conntrack_dir dir;
	u8 l3num;
	bool nated;			/* some address or port changes */
	bool rewritable;		/* the message may change length */
	union nf_inet_addr src_from, src_to, dst_from, dst_to;
	__be16 src_from_port, src_to_port, dst_from_port, dst_to_port;
};

void ucp_nat_map_conntrack(struct ucp_nat_map *map, struct nf_conn *ct,
			   enum ip_conntrack_dir dir);
void ucp_nat_map_relay(struct ucp_nat_map *map, const struct nf_conn *peer,
		       enum ip_conntrack_dir pdir);
bool ucp_nat_addr_sender_nated(const struct ucp_nat_map *map, u8 family,
			       const u8 *a);

/*
 * @x: a core's address (struct ucp_sip_addr, struct ucp_sccp_addr); read
 * twice, as addr_is() in nat_addr.h does.
 */
#define ucp_nat_sender_nated(map, x) \
	ucp_nat_addr_sender_nated(map, (x)->family, (x)->a)

/* The address family the cores write for the map's (4 or 6). */
static inline u8 ucp_nat_family(const struct ucp_nat_map *map)
{
	return map->l3num == NFPROTO_IPV4 ? 4 : 6;
}

/*
 * One media stream to expect on map->ct: UDP toward @dst at @port (RTP)
 * and, unless @mux, toward @rtcp_dst at @rtcp_port (RTCP). When the
 * master is NATed, the connections they bring are translated to @real and
 * @rtcp_real at @real_port and @rtcp_real_port. @pick: the router chooses
 * the pair; @port is the first choice, random even ports with RTCP above
 * follow while a pair is taken (@rtcp_port is then ignored). @src, when
 * set: the only source the stream's connections may come from. @session:
 * the stream has a media session, found at arrival through the master's
 * helper (struct ucp_helper.media_find).
 */
struct ucp_nat_stream {
	unsigned int class;
	const union nf_inet_addr *dst, *rtcp_dst;
	const union nf_inet_addr *real, *rtcp_real;
	const union nf_inet_addr *src;
	u16 port, rtcp_port;
	u16 real_port, rtcp_real_port;
	bool mux;
	bool pick;
	bool session;
};

/* What ucp_nat_expect_stream() expected: RTP, then RTCP unless muxed. */
struct ucp_nat_expected {
	struct nf_conntrack_expect *exp[2];	/* our references */
	u8 nexp;
	u16 port, rtcp_port;
};

int ucp_nat_expect_stream(const struct ucp_nat_map *map,
			  const struct ucp_nat_stream *s,
			  struct ucp_nat_expected *out);
void ucp_nat_expect_drop(struct nf_conntrack_expect **exp, unsigned int n,
			 bool unexpect);
void ucp_nat_expected_dst(struct nf_conn *ct, struct nf_conntrack_expect *exp);

int ucp_nat_init(void);
void ucp_nat_exit(void);

#endif /* _UCP_NAT_H */
