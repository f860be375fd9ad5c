/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Authentication failures the agent reports (auth.c): TLS handshakes it
 * refused because a certificate was refused or did not verify, counted per
 * application class in windows, and one event per window that has more
 * than UCP_AUTH_BURST_FAILURES of them.
 */
#ifndef _UCP_AUTH_H
#define _UCP_AUTH_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/ucproxy.h>

/* One class's current window. */
struct ucp_auth_window {
	unsigned long start;	/* jiffies of its first failure */
	u32 failures;		/* 0: no window open */
};

/* A namespace's windows, one per application class. */
struct ucp_auth_net {
	spinlock_t lock;	/* protects win[] */
	struct ucp_auth_window win[__UCP_APP_MAX];
};

void ucp_auth_net_init(struct ucp_auth_net *an);

#endif /* _UCP_AUTH_H */
