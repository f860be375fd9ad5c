// SPDX-License-Identifier: GPL-2.0
/*
 * The "ucproxy" generic netlink family (Documentation/netlink/ucproxy.yaml).
 *
 * Every operation is admin-only and acts on the caller's network namespace.
 * The permission check is done here rather than with GENL_ADMIN_PERM so that
 * the refusal carries an extack message like every other refusal; each do
 * operation passes through ucp_nl_pre_doit() and each dump has a start
 * callback that checks first, and ucp_genl_init() refuses to register a
 * family where that is not so.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/ucproxy.h>

#include "compat.h"
#include "netlink-gen.h"
#include "ucp_spec.h"
#include "ucproxy.h"
#include "version.h"

/* What this build implements, reported by UCP_CMD_INFO_GET. */
#define UCP_CAPS (UCP_CAP_INFO | UCP_CAP_STATS | UCP_CAP_LICENSE | \
		  UCP_CAP_SESSIONS | UCP_CAP_SIP | UCP_CAP_SCCP | UCP_CAP_INSPECT | \
		  UCP_CAP_SRTP | UCP_CAP_MMP)

static int ucp_nl_admin(const struct sk_buff *skb, struct net *net,
			struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_NET_ADMIN))
		return 0;
	ucp_stats_inc(&ucp_net(net)->stats, UCP_CTR_NETLINK_DENIED);
	NL_SET_ERR_MSG_MOD(extack, "CAP_NET_ADMIN is required");
	return -EPERM;
}

/* Every do operation's, through the family: 6.1 has no per-op pre_doit. */
static int ucp_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	int err;

	err = ucp_nl_admin(skb, net, info->extack);
	if (err)
		return err;
	ucp_stats_inc(&ucp_net(net)->stats, UCP_CTR_NETLINK_REQUESTS);
	return 0;
}

static int ucp_nl_dump_admin(struct netlink_callback *cb)
{
	struct net *net = sock_net(cb->skb->sk);
	int err;

	err = ucp_nl_admin(cb->skb, net, cb->extack);
	if (err)
		return err;
	ucp_stats_inc(&ucp_net(net)->stats, UCP_CTR_NETLINK_DUMPS);
	return 0;
}

/* The start of a dump that keeps no state of its own (cb->ctx is zeroed). */
int ucp_nl_dump_start(struct netlink_callback *cb)
{
	return ucp_nl_dump_admin(cb);
}

/**
 * ucp_nl_reply() - answer a do request with one message
 * @info: the request
 * @cmd: the reply's command
 * @fill: puts the reply's attributes; returns 0 or -EMSGSIZE
 * @arg: for @fill
 *
 * Return: 0, -ENOMEM, -EMSGSIZE when @fill did not fit, or the send's error.
 */
int ucp_nl_reply(struct genl_info *info, u8 cmd,
		 int (*fill)(struct sk_buff *msg, const void *arg), const void *arg)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ucp_genl_family, 0, cmd);
	if (!hdr || fill(msg, arg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int put_info(struct sk_buff *msg, const void *arg)
{
	if (nla_put_string(msg, UCP_A_VERSION, UCP_VERSION) ||
	    nla_put_string(msg, UCP_A_KERNEL, init_utsname()->release) ||
	    nla_put_u64_64bit(msg, UCP_A_CAPS, UCP_CAPS, UCP_A_PAD))
		return -EMSGSIZE;
	return 0;
}

int ucp_nl_info_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return ucp_nl_reply(info, UCP_CMD_INFO_GET, put_info, NULL);
}

/* UCP_CMD_STATS_GET: one message of totals, or one per possible CPU. */

struct ucp_stats_dump {
	bool per_cpu;
	bool done;
	int cpu;	/* last CPU sent, -1 before the first */
};

static_assert(sizeof(struct ucp_stats_dump) <= sizeof_field(struct netlink_callback, ctx));

int ucp_nl_stats_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct ucp_stats_dump *ctx = (struct ucp_stats_dump *)cb->ctx;
	int err;

	err = ucp_nl_dump_admin(cb);
	if (err)
		return err;
	ctx->per_cpu = nla_get_flag(info->attrs[UCP_A_STATS_PER_CPU]);
	ctx->done = false;
	ctx->cpu = -1;
	return 0;
}

static int ucp_nl_put_counters(struct sk_buff *skb, const u64 *values)
{
	struct nlattr *nest;
	int i;

	for (i = 0; i < __UCP_CTR_MAX; i++) {
		nest = nla_nest_start(skb, UCP_A_COUNTER);
		if (!nest)
			return -EMSGSIZE;
		if (nla_put_u32(skb, UCP_COUNTER_A_ID, i) ||
		    nla_put_string(skb, UCP_COUNTER_A_NAME, ucp_spec_name(&ucp_spec_counter, i)) ||
		    nla_put_u64_64bit(skb, UCP_COUNTER_A_VALUE, values[i],
				      UCP_COUNTER_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* @cpu < 0: totals. */
static int ucp_nl_put_stats(struct sk_buff *skb, struct netlink_callback *cb,
			    const struct ucp_stats *stats, int cpu)
{
	u64 values[__UCP_CTR_MAX];
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ucp_genl_family, NLM_F_MULTI, UCP_CMD_STATS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cpu < 0) {
		ucp_stats_read_total(stats, values);
	} else {
		ucp_stats_read_cpu(stats, cpu, values);
		if (nla_put_u32(skb, UCP_A_CPU, cpu))
			goto err_cancel;
	}
	if (ucp_nl_put_counters(skb, values))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int ucp_nl_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ucp_stats_dump *ctx = (struct ucp_stats_dump *)cb->ctx;
	const struct ucp_stats *stats = &ucp_net(sock_net(skb->sk))->stats;
	int cpu, err;

	if (ctx->done)
		return 0;
	if (!ctx->per_cpu) {
		err = ucp_nl_put_stats(skb, cb, stats, -1);
		if (err)
			return err;
		ctx->done = true;
		return skb->len;
	}
	for (cpu = cpumask_next(ctx->cpu, cpu_possible_mask); cpu < nr_cpu_ids;
	     cpu = cpumask_next(cpu, cpu_possible_mask)) {
		/* A full skb ends this round; the next one resumes here. */
		if (ucp_nl_put_stats(skb, cb, stats, cpu))
			return skb->len ? skb->len : -EMSGSIZE;
		ctx->cpu = cpu;
	}
	ctx->done = true;
	return skb->len;
}

struct genl_family ucp_genl_family __ro_after_init = {
	.name = UCP_GENL_NAME,
	.version = UCP_GENL_VERSION,
	.maxattr = UCP_A_MAX,
	.netnsok = true,
	/* Handlers keep their own locks; no need for the global genl_lock. */
	.parallel_ops = true,
	.pre_doit = ucp_nl_pre_doit,
	/* Generated from the spec (netlink-gen.c). */
	.ops = ucp_nl_ops,
	.n_ops = ARRAY_SIZE(ucp_nl_ops),
	.mcgrps = ucp_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ucp_nl_mcgrps),
	.module = THIS_MODULE,
};

/* The admin check of a dump lives in its start callback: insist on one. */
static bool ucp_genl_ops_checked(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ucp_nl_ops); i++) {
		if (ucp_nl_ops[i].dumpit && !ucp_nl_ops[i].start) {
			pr_err("command %u dumps without a start check\n",
			       ucp_nl_ops[i].cmd);
			return false;
		}
	}
	return true;
}

/**
 * ucp_genl_init() - register the family, once its dumps are checked
 *
 * Return: 0, -EINVAL when a dump has no start callback (its permission
 * check), or genl_register_family()'s error.
 */
int __init ucp_genl_init(void)
{
	if (!ucp_genl_ops_checked())
		return -EINVAL;
	return genl_register_family(&ucp_genl_family);
}

/**
 * ucp_genl_exit() - unregister the family
 */
void ucp_genl_exit(void)
{
	genl_unregister_family(&ucp_genl_family);
}
