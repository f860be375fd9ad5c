// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: each namespace is its own proxy with its own
 * counters, license, sessions and media, so that containers and test
 * namespaces never see each other's state. Set up in dependency order,
 * taken down in reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/net_namespace.h>

#include "ucproxy.h"

unsigned int ucp_net_id __read_mostly;

static int __net_init ucp_net_init(struct net *net)
{
	struct ucp_net *un = ucp_net(net);
	int err;

	err = ucp_stats_init(&un->stats);
	if (err)
		return err;
	ucp_licensing_init(&un->licensing);
	ucp_sessions_init(&un->licensing);
	ucp_media_net_init(&un->media);
	ucp_auth_net_init(&un->auth);
	return 0;
}

static void __net_exit ucp_net_exit(struct net *net)
{
	struct ucp_net *un = ucp_net(net);

	ucp_media_net_exit(&un->media);
	ucp_sessions_free(&un->licensing);
	ucp_stats_free(&un->stats);
}

static struct pernet_operations ucp_net_ops = {
	.init = ucp_net_init,
	.exit = ucp_net_exit,
	.id = &ucp_net_id,
	.size = sizeof(struct ucp_net),
};

/**
 * ucp_netns_init() - register the per-namespace state
 *
 * Return: 0 or -errno.
 */
int ucp_netns_init(void)
{
	return register_pernet_subsys(&ucp_net_ops);
}

/**
 * ucp_netns_exit() - unregister it; every namespace's state is taken down
 */
void ucp_netns_exit(void)
{
	unregister_pernet_subsys(&ucp_net_ops);
}
