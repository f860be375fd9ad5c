/* SPDX-License-Identifier: GPL-2.0 */
/* Licensing glue: the per-namespace license and its netlink commands. */
#ifndef _UCP_LICENSING_H
#define _UCP_LICENSING_H

#include <linux/hashtable.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>

#include "ucp_license.h"

/* One namespace's license and the sessions held under it. */
struct ucp_licensing {
	spinlock_t lock;		/* all below, BH off */
	struct ucp_license lic;
	DECLARE_HASHTABLE(sessions, 10);	/* struct ucp_session by id */
	DECLARE_HASHTABLE(owners, 6);	/* struct ucp_owner by port id */
	u64 next_session_id;
};

void ucp_licensing_init(struct ucp_licensing *l);

/* Answers a refused request: a reply with the reason, then @err. */
int ucp_license_refuse(struct genl_info *info, u8 cmd,
		       const struct ucp_refusal *ref, int err);

/* Sessions (kmod/session.c). */
void ucp_sessions_init(struct ucp_licensing *l);
void ucp_sessions_free(struct ucp_licensing *l);
int ucp_sessions_register(void);
void ucp_sessions_unregister(void);

#endif /* _UCP_LICENSING_H */
