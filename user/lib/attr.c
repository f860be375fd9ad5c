// SPDX-License-Identifier: GPL-2.0
/*
 * Attribute parsing that a bad reply cannot turn into a crash: every
 * attribute is checked against the expected type and length before anyone
 * reads it. The types and names themselves are generated from the netlink
 * spec (attr-gen.c, kmod/ucp_spec.c).
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
