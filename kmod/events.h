/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "events" multicast group (events.c): what happened in a namespace,
 * for whoever listens (CAP_NET_ADMIN). Best effort: an event that cannot
 * be sent is lost, never waited for.
 */
#ifndef _UCP_EVENTS_H
#define _UCP_EVENTS_H

#include <net/net_namespace.h>
#include <linux/ucproxy.h>

#include "ucp_license.h"

void ucp_event_session(struct net *net, u8 cmd, u64 id, u32 portid,
		       enum ucp_app app);
void ucp_event_limit(struct net *net, enum ucp_app app,
		     const struct ucp_refusal *ref);

#endif /* _UCP_EVENTS_H */
