/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UCP_CMD_SIGNAL_INSPECT (inspect.c): the TLS agent's way into the
 * signalling paths of every protocol.
 */
#ifndef _UCP_INSPECT_H
#define _UCP_INSPECT_H

#include <net/genetlink.h>
#include <linux/ucproxy.h>

extern const struct nla_policy ucp_flow_policy[UCP_FLOW_A_MAX + 1];
int ucp_nl_signal_inspect(struct sk_buff *skb, struct genl_info *info);

#endif /* _UCP_INSPECT_H */
