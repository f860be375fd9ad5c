// SPDX-License-Identifier: GPL-2.0
/*
 * Attribute parsing that a bad reply cannot turn into a crash: every
 * attribute is checked against the expected type and length before anyone
 * reads it. And the uapi's names, as the netlink spec spells them.
 */
#include <errno.h>
#include <string.h>

#include "ucp_int.h"

struct ucp_parse_ctx {
	const enum mnl_attr_data_type *types;
	uint16_t max;
	const struct nlattr **tb;
};

static int ucp_parse_cb(const struct nlattr *attr, void *data)
{
	const struct ucp_parse_ctx *ctx = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* A newer kernel may send more: what we do not know, we skip. */
	if (type > ctx->max)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, ctx->types[type]) < 0) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	ctx->tb[type] = attr;
	return MNL_CB_OK;
}

int ucp_parse(const struct nlmsghdr *nlh,
	      const enum mnl_attr_data_type *types, uint16_t max,
	      const struct nlattr **tb)
{
	struct ucp_parse_ctx ctx = { .types = types, .max = max, .tb = tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN) {
		errno = EPROTO;
		return -1;
	}
	if (mnl_attr_parse(nlh, GENL_HDRLEN, ucp_parse_cb, &ctx) < MNL_CB_STOP)
		return -1;
	return 0;
}

int ucp_parse_nested(const struct nlattr *nest,
		     const enum mnl_attr_data_type *types, uint16_t max,
		     const struct nlattr **tb)
{
	struct ucp_parse_ctx ctx = { .types = types, .max = max, .tb = tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, ucp_parse_cb, &ctx) < MNL_CB_STOP)
		return -1;
	return 0;
}

/* Documentation/netlink/ucproxy.yaml, attribute set "ucp". */
static const char *const ucp_attr_names[UCP_A_MAX + 1] = {
	[UCP_A_PAD]		= "pad",
	[UCP_A_VERSION]		= "version",
	[UCP_A_KERNEL]		= "kernel",
	[UCP_A_CAPS]		= "caps",
	[UCP_A_STATS_PER_CPU]	= "stats-per-cpu",
	[UCP_A_CPU]		= "cpu",
	[UCP_A_COUNTER]		= "counter",
	[UCP_A_PLATFORM]	= "platform",
	[UCP_A_UC_SESSIONS]	= "uc-sessions",
	[UCP_A_IME]		= "ime",
	[UCP_A_EXPORT]		= "export",
	[UCP_A_TLS_MAX]		= "tls-max",
	[UCP_A_TLS_DEFAULT]	= "tls-default",
	[UCP_A_TLS_PLATFORM_MAX] = "tls-platform-max",
	[UCP_A_TLS_QUERY]	= "tls-query",
	[UCP_A_USAGE]		= "usage",
	[UCP_A_WARNING]		= "warning",
	[UCP_A_TIER]		= "tier",
	[UCP_A_APP]		= "app",
	[UCP_A_SESSION_ID]	= "session-id",
	[UCP_A_OWNER_PORTID]	= "owner-portid",
	[UCP_A_REFUSED_RULE]	= "refused-rule",
	[UCP_A_REFUSED_LIMIT]	= "refused-limit",
	[UCP_A_PROTO]		= "proto",
	[UCP_A_FLOW]		= "flow",
	[UCP_A_DIR]		= "dir",
	[UCP_A_MESSAGE]		= "message",
	[UCP_A_VERDICT]		= "verdict",
	[UCP_A_MEDIA_ID]	= "media-id",
	[UCP_A_MEDIA_MODE]	= "media-mode",
	[UCP_A_MEDIA_LEG]	= "media-leg",
	[UCP_A_REASON]		= "reason",
	[UCP_A_PEER_FLOW]	= "peer-flow",
	[UCP_A_MEDIA_POLICY]	= "media-policy",
	[UCP_A_MEDIA_STREAM]	= "media-stream",
	[UCP_A_MEDIA_AGE_MS]	= "media-age-ms",
	[UCP_A_MEDIA_STATE]	= "media-state",
};

const char *ucp_attr_name(uint16_t type)
{
	if (type > UCP_A_MAX)
		return NULL;
	return ucp_attr_names[type];
}

/* Definition "capability": bit n is entry n. */
static const char *const ucp_cap_names[] = {
	"info", "stats", "license", "sessions", "sip", "sccp", "srtp",
	"inspect",
};

_Static_assert(MNL_ARRAY_SIZE(ucp_cap_names) == __builtin_ctz(UCP_CAP_INSPECT) + 1,
	       "a capability without a name");

const char *ucp_cap_name(unsigned int bit)
{
	if (bit >= MNL_ARRAY_SIZE(ucp_cap_names))
		return NULL;
	return ucp_cap_names[bit];
}

static const char *const ucp_app_names[] = {
	[UCP_APP_PHONE_PROXY]	= "phone-proxy",
	[UCP_APP_TLS_PROXY]	= "tls-proxy",
	[UCP_APP_PRESENCE_FED]	= "presence-fed",
	[UCP_APP_MOBILITY]	= "mobility",
	[UCP_APP_IME]		= "ime",
	[UCP_APP_SRTP]		= "srtp",
};

const char *ucp_app_str(uint32_t app)
{
	if (app >= MNL_ARRAY_SIZE(ucp_app_names))
		return NULL;
	return ucp_app_names[app];
}
