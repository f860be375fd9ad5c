// SPDX-License-Identifier: GPL-2.0
/*
 * ucproxy: Unified Communications proxy for Linux routers.
 *
 * Module entry and exit. Each piece registers in dependency order and is
 * unwound in reverse: the per-namespace state first, because every netlink
 * handler finds its data there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/ucproxy.h>

#include "compat.h"
#include "nat.h"
#include "sccp.h"
#include "sip.h"
#include "ucproxy.h"
#include "version.h"

static int __init ucp_init(void)
{
	int err;

	err = ucp_netns_init();
	if (err)
		goto err_netns;
	err = ucp_sessions_register();
	if (err)
		goto err_sessions;
	err = ucp_media_init();
	if (err)
		goto err_media;
	err = ucp_nat_init();
	if (err)
		goto err_nat;
	err = ucp_sip_helper_init();
	if (err)
		goto err_sip;
	err = ucp_sccp_helper_init();
	if (err)
		goto err_sccp;
	err = ucp_genl_init();
	if (err)
		goto err_genl;

	/* Only a test build of the debug lane has bugs to plant. */
	ucp_plant_bugs();
	pr_info("version " UCP_VERSION " loaded\n");
	return 0;

err_genl:
	ucp_sccp_helper_exit();
err_sccp:
	ucp_sip_helper_exit();
err_sip:
	ucp_nat_exit();
err_nat:
	ucp_media_exit();
err_media:
	ucp_sessions_unregister();
err_sessions:
	ucp_netns_exit();
err_netns:
	return err;
}

static void __exit ucp_exit(void)
{
	ucp_genl_exit();
	ucp_sccp_helper_exit();
	ucp_sip_helper_exit();
	ucp_nat_exit();
	ucp_media_exit();
	ucp_sessions_unregister();
	ucp_netns_exit();
	pr_info("unloaded\n");
}

module_init(ucp_init);
module_exit(ucp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Unified Communications proxy: SIP/SCCP inspection and SRTP translation");
MODULE_VERSION(UCP_VERSION);
MODULE_ALIAS_GENL_FAMILY(UCP_GENL_NAME);
