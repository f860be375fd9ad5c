/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "events" multicast group (events.c): what happened in a namespace,
 * for whoever listens (CAP_NET_ADMIN in the namespace's user namespace).
 * Best effort: an event that cannot be sent is lost, never waited for.
 */
#ifndef _UCP_EVENTS_H
#define _UCP_EVENTS_H

#include <net/net_namespace.h>
#include <linux/ucproxy.h>

#include "media.h"
#include "ucp_license.h"

/* A media session as its events tell it (media.c fills it in). */
struct ucp_event_media {
	u64 id;
	u8 mode, proto, stream;	/* enum ucp_media_mode, ucp_proto */
	u64 age_ms;			/* the end's only */
	u8 suite[IP_CT_DIR_MAX];	/* per side; UCP_SUITE_NONE: plain */
	struct ucp_media_totals leg[IP_CT_DIR_MAX];	/* what each side sent */
};

void ucp_event_session(struct net *net, u8 cmd, u64 id, u32 portid,
		       enum ucp_app app);
void ucp_event_limit(struct net *net, enum ucp_app app,
		     const struct ucp_refusal *ref);
void ucp_event_media(struct net *net, u8 cmd, const struct ucp_event_media *ev);
void ucp_event_config(struct net *net);
void ucp_event_auth_burst(struct net *net, u32 app, const char *listener,
			  u8 dir, u32 failures);

#endif /* _UCP_EVENTS_H */
