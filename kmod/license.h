/* SPDX-License-Identifier: GPL-2.0 */
/* Licensing glue: the per-namespace license and its netlink commands. */
#ifndef _UCP_LICENSING_H
#define _UCP_LICENSING_H

#include <linux/spinlock.h>
#include <net/genetlink.h>

#include "ucp_license.h"

/* One namespace's license. */
struct ucp_licensing {
	spinlock_t lock;		/* every use of @lic, BH off */
	struct ucp_license lic;
};

void ucp_licensing_init(struct ucp_licensing *l);

/* Generic netlink doit handlers (kmod/netlink.c lists them). */
int ucp_nl_license_get(struct sk_buff *skb, struct genl_info *info);
int ucp_nl_license_set(struct sk_buff *skb, struct genl_info *info);
int ucp_nl_tls_limit_set(struct sk_buff *skb, struct genl_info *info);
int ucp_nl_limits_get(struct sk_buff *skb, struct genl_info *info);
int ucp_nl_config_clear(struct sk_buff *skb, struct genl_info *info);

#endif /* _UCP_LICENSING_H */
