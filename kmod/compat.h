/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels ucproxy builds for.
 *
 * The reference is Debian 12's 6.1; every entry names the kernel change it
 * papers over, so that it can be dropped when the oldest supported kernel
 * has it.
 */
#ifndef _UCP_COMPAT_H
#define _UCP_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "ucproxy needs Linux 6.1 or later"
#endif

/*
 * Multicast group permissions arrived in 6.6 and were backported to 6.1.y
 * stable (Debian 12 has them). Without them anyone may listen to events;
 * the events carry no secrets, so a kernel without the flag still builds.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#define GENL_MCAST_CAP_NET_ADMIN 0
#endif

#endif /* _UCP_COMPAT_H */
