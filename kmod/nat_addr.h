/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Embedded addresses against conntrack's: the SIP and SCCP cores each keep
 * an address as { u8 family (4 or 6); u8 a[16] (network order) }, and the
 * NAT glue of both compares them with, and sets them from, a tuple's.
 * Macros, so that both cores' structures take them.
 */
#ifndef _UCP_NAT_ADDR_H
#define _UCP_NAT_ADDR_H

#include <linux/netfilter.h>
#include <linux/string.h>

static inline bool ucp_nat_addr_is(u8 family, const u8 *a, u8 l3num,
				   const union nf_inet_addr *b)
{
	if (l3num == NFPROTO_IPV4)
		return family == 4 && !memcmp(a, &b->ip, 4);
	return family == 6 && !memcmp(a, b->ip6, 16);
}

static inline void ucp_nat_addr_set(u8 *family, u8 *a, u8 l3num,
				    const union nf_inet_addr *b)
{
	memset(a, 0, 16);
	if (l3num == NFPROTO_IPV4) {
		*family = 4;
		memcpy(a, &b->ip, 4);
	} else {
		*family = 6;
		memcpy(a, b->ip6, 16);
	}
}

static inline void ucp_nat_addr_get(union nf_inet_addr *b, u8 family,
				    const u8 *a)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->all, a, family == 4 ? 4 : 16);
}

/* @x: a core's address (struct ucp_sip_addr, struct ucp_sccp_addr). */
#define addr_is(x, l3num, b)	ucp_nat_addr_is((x)->family, (x)->a, l3num, b)
#define addr_set(x, l3num, b)	ucp_nat_addr_set(&(x)->family, (x)->a, l3num, b)
#define addr_get(b, x)		ucp_nat_addr_get(b, (x)->family, (x)->a)

#endif /* _UCP_NAT_ADDR_H */
