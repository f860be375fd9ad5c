/* SPDX-License-Identifier: GPL-2.0 */
/* Shared declarations of the ucproxy module's glue code. */
#ifndef _UCP_UCPROXY_H
#define _UCP_UCPROXY_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "auth.h"
#include "license.h"
#include "media.h"
#include "stats.h"

/* Everything ucproxy keeps for one network namespace. */
struct ucp_net {
	struct ucp_stats stats;
	struct ucp_licensing licensing;
	struct ucp_media_net media;
	struct ucp_auth_net auth;
};

extern unsigned int ucp_net_id;

static inline struct ucp_net *ucp_net(const struct net *net)
{
	return net_generic(net, ucp_net_id);
}

int ucp_netns_init(void);
void ucp_netns_exit(void);

#ifdef UCP_PLANT
void ucp_plant_bugs(void);
#else
static inline void ucp_plant_bugs(void) { }
#endif

extern struct genl_family ucp_genl_family;
struct genl_info;
int ucp_nl_reply(struct genl_info *info, u8 cmd,
		 int (*fill)(struct sk_buff *msg, const void *arg), const void *arg);
int ucp_genl_init(void);
void ucp_genl_exit(void);

#endif /* _UCP_UCPROXY_H */
