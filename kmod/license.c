// SPDX-License-Identifier: GPL-2.0
/*
 * Licensing glue: the per-namespace license (the pure core in ucp_license.c)
 * behind its lock, and the netlink commands that read and configure it.
 *
 * The lock is a spinlock taken with bottom halves off: sessions will be
 * acquired from the signalling path and released when their owner's netlink
 * socket closes, which the netlink notifier reports in atomic context. The
 * core never sleeps or allocates, so every call fits under it.
 *
 * Refusals: Linux 6.1 cannot format extack messages, and the core's
 * sentences carry numbers ("5000 exceeds the platform maximum 4500 of
 * asa5540"). A refused request is therefore answered with one reply
 * carrying the rule, the limit and that sentence, then the error, whose
 * static extack message names the rule.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>

#include "events.h"
#include "license.h"
#include "netlink-gen.h"
#include "ucproxy.h"

/**
 * ucp_licensing_init() - a namespace's license: the defaults
 * @l: the namespace's licensing; its sessions are session.c's to set up
 */
void ucp_licensing_init(struct ucp_licensing *l)
{
	spin_lock_init(&l->lock);
	ucp_license_init(&l->lic);
}

/*
 * The static extack text of each rule (6.1 has no formatted ones, and
 * NL_SET_ERR_MSG takes only literals).
 */
static void ucp_rule_extack(struct netlink_ext_ack *extack, enum ucp_rule rule)
{
	switch (rule) {
	case UCP_RULE_NO_LICENSE:
		NL_SET_ERR_MSG_MOD(extack, "refused: feature not licensed (rule 1)");
		break;
	case UCP_RULE_UC_LICENSE:
		NL_SET_ERR_MSG_MOD(extack, "refused: UC license sessions in use (rule 2)");
		break;
	case UCP_RULE_TLS_LIMIT:
		NL_SET_ERR_MSG_MOD(extack, "refused: tls-proxy maximum-sessions (rule 3)");
		break;
	case UCP_RULE_EXPORT_CLASS:
		NL_SET_ERR_MSG_MOD(extack, "refused: export class K8 limit (rule 4)");
		break;
	case UCP_RULE_PHONE_PROXY_CAP:
		NL_SET_ERR_MSG_MOD(extack, "refused: phone proxy cap (rule 6)");
		break;
	case UCP_RULE_IME:
		NL_SET_ERR_MSG_MOD(extack, "refused: IME license (rule 8)");
		break;
	case UCP_RULE_NO_ENCRYPTION:
		NL_SET_ERR_MSG_MOD(extack, "refused: no payload encryption (rule 9)");
		break;
	case UCP_RULE_PLATFORM:
		NL_SET_ERR_MSG_MOD(extack, "refused: not offered on this platform (rule 10)");
		break;
	default:
		NL_SET_ERR_MSG_MOD(extack, "refused by the license rules");
		break;
	}
}

static int put_refusal(struct sk_buff *msg, const void *arg)
{
	const struct ucp_refusal *ref = arg;

	if (nla_put_u32(msg, UCP_A_REFUSED_RULE, ref->rule) ||
	    nla_put_u32(msg, UCP_A_REFUSED_LIMIT, ref->limit) ||
	    nla_put_string(msg, UCP_A_REASON, ref->msg))
		return -EMSGSIZE;
	return 0;
}

/**
 * ucp_license_refuse() - answer a request the license rules refused
 * @info: the request
 * @cmd: its command, for the reply
 * @ref: the rule, the limit and the sentence that explains them
 * @err: the error the request fails with
 *
 * The extack names the rule (6.1 has no formatted extack); a reply with
 * refused-rule, refused-limit and the reason precedes the error, best
 * effort.
 *
 * Return: @err.
 */
int ucp_license_refuse(struct genl_info *info, u8 cmd,
		       const struct ucp_refusal *ref, int err)
{
	ucp_rule_extack(info->extack, ref->rule);
	ucp_nl_reply(info, cmd, put_refusal, ref);
	return err;
}

static int ucp_put_usage(struct sk_buff *msg,
			 const struct ucp_license_limits *lim)
{
	struct nlattr *nest;
	int app;

	for (app = 1; app < __UCP_APP_MAX; app++) {
		nest = nla_nest_start(msg, UCP_A_USAGE);
		if (!nest ||
		    nla_put_u32(msg, UCP_USAGE_A_APP, app) ||
		    (lim->app[app].limit != UCP_LICENSE_UNLIMITED &&
		     nla_put_u32(msg, UCP_USAGE_A_LIMIT, lim->app[app].limit)) ||
		    nla_put_u32(msg, UCP_USAGE_A_IN_USE, lim->app[app].in_use) ||
		    nla_put_u32(msg, UCP_USAGE_A_PEAK, lim->app[app].peak) ||
		    nla_put_u32(msg, UCP_USAGE_A_REFUSED, lim->app[app].refused))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

/* A model without payload encryption sells only the base license. */
static int ucp_put_tiers(struct sk_buff *msg, const struct ucp_platform *p,
			 bool npe)
{
	unsigned int i, n = ucp_platform_tier_count(p);

	if (npe)
		return nla_put_u32(msg, UCP_A_TIER, UCP_LICENSE_BASE_SESSIONS);
	for (i = 0; i < n; i++)
		if (nla_put_u32(msg, UCP_A_TIER, p->tiers[i]))
			return -EMSGSIZE;
	return 0;
}

/* A snapshot of a namespace's license, and the warning of the request. */
struct license_state {
	struct ucp_license_limits lim;
	const struct ucp_platform *platform;
	const char *warning;		/* NULL or "" for none */
};

/*
 * The state of a namespace's license: what license-get, limits-get,
 * license-set and config-clear answer with.
 */
static int ucp_put_license(struct sk_buff *msg, const void *arg)
{
	const struct license_state *st = arg;
	const struct ucp_license_limits *lim = &st->lim;
	const char *warning = st->warning;

	if (nla_put_string(msg, UCP_A_PLATFORM, lim->platform) ||
	    nla_put_u32(msg, UCP_A_UC_SESSIONS, lim->uc_sessions) ||
	    nla_put_u8(msg, UCP_A_IME, lim->ime) ||
	    nla_put_u8(msg, UCP_A_EXPORT, lim->export_class) ||
	    nla_put_u32(msg, UCP_A_TLS_MAX, lim->tls_configured) ||
	    nla_put_u32(msg, UCP_A_TLS_DEFAULT, lim->tls_default) ||
	    nla_put_u32(msg, UCP_A_TLS_PLATFORM_MAX, lim->tls_platform_max) ||
	    ucp_put_tiers(msg, st->platform, lim->npe) ||
	    ucp_put_usage(msg, lim))
		return -EMSGSIZE;
	if (warning && *warning && nla_put_string(msg, UCP_A_WARNING, warning))
		return -EMSGSIZE;
	return 0;
}

/* Reply to @info with the namespace's license state and @warning. */
static int ucp_license_reply(struct genl_info *info, u8 cmd,
			     const char *warning)
{
	struct ucp_licensing *l = &ucp_net(genl_info_net(info))->licensing;
	struct license_state st = { .warning = warning };

	/* A snapshot under the lock; the reply is built outside it. */
	spin_lock_bh(&l->lock);
	ucp_license_limits(&l->lic, &st.lim);
	st.platform = l->lic.platform;
	spin_unlock_bh(&l->lock);
	return ucp_nl_reply(info, cmd, ucp_put_license, &st);
}

int ucp_nl_license_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return ucp_license_reply(info, UCP_CMD_LICENSE_GET, NULL);
}

int ucp_nl_license_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ucp_licensing *l = &ucp_net(genl_info_net(info))->licensing;
	struct ucp_license_cfg cfg = {};
	char warning[UCP_LICENSE_MSG_LEN] = "";
	struct ucp_refusal ref = {};
	int err;

	if (GENL_REQ_ATTR_CHECK(info, UCP_A_PLATFORM))
		return -EINVAL;
	cfg.platform = nla_data(info->attrs[UCP_A_PLATFORM]);
	if (info->attrs[UCP_A_UC_SESSIONS])
		cfg.uc_sessions = nla_get_u32(info->attrs[UCP_A_UC_SESSIONS]);
	if (info->attrs[UCP_A_IME])
		cfg.ime = nla_get_u8(info->attrs[UCP_A_IME]);
	if (info->attrs[UCP_A_EXPORT])
		cfg.export_class = nla_get_u8(info->attrs[UCP_A_EXPORT]);

	spin_lock_bh(&l->lock);
	err = ucp_license_set(&l->lic, &cfg, warning, sizeof(warning), &ref);
	spin_unlock_bh(&l->lock);
	if (err)
		return ucp_license_refuse(info, UCP_CMD_LICENSE_SET, &ref, err);
	ucp_event_config(genl_info_net(info));
	return ucp_license_reply(info, UCP_CMD_LICENSE_SET, warning);
}

int ucp_nl_tls_limit_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ucp_licensing *l = &ucp_net(genl_info_net(info))->licensing;
	struct ucp_refusal ref = {};
	int err;

	if (GENL_REQ_ATTR_CHECK(info, UCP_A_TLS_MAX))
		return -EINVAL;
	spin_lock_bh(&l->lock);
	err = ucp_license_set_tls_max(&l->lic,
				      nla_get_u32(info->attrs[UCP_A_TLS_MAX]),
				      &ref);
	spin_unlock_bh(&l->lock);
	if (err)
		return ucp_license_refuse(info, UCP_CMD_TLS_LIMIT_SET, &ref,
					  err);
	ucp_event_config(genl_info_net(info));
	return ucp_license_reply(info, UCP_CMD_TLS_LIMIT_SET, NULL);
}

int ucp_nl_config_clear_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ucp_licensing *l = &ucp_net(genl_info_net(info))->licensing;
	char warning[UCP_LICENSE_MSG_LEN] = "";

	spin_lock_bh(&l->lock);
	ucp_license_clear_config(&l->lic, warning, sizeof(warning));
	spin_unlock_bh(&l->lock);
	/* The rest of the configuration: the media policy's default. */
	WRITE_ONCE(ucp_net(genl_info_net(info))->media.policy,
		   UCP_MEDIA_POLICY_PASSTHROUGH);
	ucp_event_config(genl_info_net(info));
	return ucp_license_reply(info, UCP_CMD_CONFIG_CLEAR, warning);
}

/*
 * "tls-proxy maximum-sessions ?": the namespace's limits, or with a
 * platform attribute that model's row of the table (its tiers, default and
 * maximum) without touching the configuration.
 */
struct platform_row {
	const char *name;		/* as asked, with -npe if so */
	const struct ucp_platform *p;
	bool npe;
};

static int put_platform(struct sk_buff *msg, const void *arg)
{
	const struct platform_row *row = arg;

	if (nla_put_string(msg, UCP_A_PLATFORM, row->name) ||
	    nla_put_u32(msg, UCP_A_TLS_DEFAULT, row->p->tls_default) ||
	    nla_put_u32(msg, UCP_A_TLS_PLATFORM_MAX, row->p->tls_max) ||
	    ucp_put_tiers(msg, row->p, row->npe))
		return -EMSGSIZE;
	return 0;
}

int ucp_nl_limits_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct platform_row row;

	if (!info->attrs[UCP_A_PLATFORM])
		return ucp_license_reply(info, UCP_CMD_LIMITS_GET, NULL);

	row.name = nla_data(info->attrs[UCP_A_PLATFORM]);
	row.p = ucp_platform_find(row.name, &row.npe);
	if (!row.p) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[UCP_A_PLATFORM],
				    "ucproxy: unknown platform");
		return -EINVAL;
	}
	return ucp_nl_reply(info, UCP_CMD_LIMITS_GET, put_platform, &row);
}
