// SPDX-License-Identifier: GPL-2.0
/*
 * auth-failure-report: the agent's refused handshakes (auth.h). The kernel
 * never sees a TLS handshake (OpenSSL runs in ucproxyd), so the agent
 * reports each one it refused for authentication; here they are counted
 * and bursts announced on the events group, at most one event per class
 * and window, so that a flood of bad clients cannot flood the group.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>

#include "auth.h"
#include "events.h"
#include "netlink-gen.h"
#include "ucproxy.h"

/**
 * ucp_auth_net_init() - a namespace's windows: none open
 * @an: its authentication failure state
 */
void ucp_auth_net_init(struct ucp_auth_net *an)
{
	spin_lock_init(&an->lock);
	memset(an->win, 0, sizeof(an->win));
}

/*
 * Counts one failure of @app at @now; the window's count after it, which
 * is UCP_AUTH_BURST_FAILURES + 1 exactly once per window.
 */
static u32 auth_count(struct ucp_auth_net *an, u32 app, unsigned long now)
{
	struct ucp_auth_window *w = &an->win[app];
	u32 n;

	spin_lock_bh(&an->lock);
	if (!w->failures ||
	    time_after_eq(now, w->start +
			  msecs_to_jiffies(UCP_AUTH_BURST_WINDOW_MS))) {
		w->start = now;
		w->failures = 0;
	}
	if (w->failures < U32_MAX)
		w->failures++;
	n = w->failures;
	spin_unlock_bh(&an->lock);
	return n;
}

int ucp_nl_auth_failure_report_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ucp_net *un = ucp_net(net);
	const char *listener = "";
	u8 dir = UCP_DIR_ORIGINAL;
	u32 app, n;

	if (GENL_REQ_ATTR_CHECK(info, UCP_A_APP))
		return -EINVAL;
	app = nla_get_u32(info->attrs[UCP_A_APP]);
	if (info->attrs[UCP_A_LISTENER])
		listener = nla_data(info->attrs[UCP_A_LISTENER]);
	if (info->attrs[UCP_A_DIR])
		dir = nla_get_u8(info->attrs[UCP_A_DIR]);

	ucp_stats_inc(&un->stats, UCP_CTR_TLS_AUTH_FAILED);
	n = auth_count(&un->auth, app, jiffies);
	if (n != UCP_AUTH_BURST_FAILURES + 1)
		return 0;
	ucp_stats_inc(&un->stats, UCP_CTR_TLS_AUTH_BURSTS);
	ucp_event_auth_burst(net, app, listener, dir, n);
	return 0;
}
