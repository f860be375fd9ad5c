// SPDX-License-Identifier: GPL-2.0
/*
 * Errors of libucp: what failed, the kernel's extack reason when it gave
 * one, and the one line a tool prints about it.
 */
#include <errno.h>
#include <string.h>

#include <linux/netlink.h>

#include "ucp_int.h"

void ucp_err_clear(struct ucp_nl *nl)
{
	memset(&nl->err, 0, sizeof(nl->err));
	snprintf(nl->err.family, sizeof(nl->err.family), "%s", nl->name);
}

int ucp_err_sys(struct ucp_nl *nl, const char *what, int errnum)
{
	ucp_err_clear(nl);
	nl->err.kind = UCP_ERR_SYS;
	nl->err.errnum = errnum;
	snprintf(nl->err.msg, sizeof(nl->err.msg), "%s", what);
	errno = errnum;
	return -1;
}

int ucp_err_reply(struct ucp_nl *nl, int errnum)
{
	ucp_err_clear(nl);
	nl->err.kind = UCP_ERR_REPLY;
	nl->err.errnum = errnum;
	errno = errnum;
	return -1;
}

static const enum mnl_attr_data_type ucp_extack_types[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]		= MNL_TYPE_NUL_STRING,
	[NLMSGERR_ATTR_OFFS]		= MNL_TYPE_U32,
	[NLMSGERR_ATTR_MISS_TYPE]	= MNL_TYPE_U32,
	[NLMSGERR_ATTR_MISS_NEST]	= MNL_TYPE_U32,
};

static int ucp_extack_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* A broken TLV loses the detail, not the error: skip it. */
	if (type > NLMSGERR_ATTR_MAX ||
	    mnl_attr_validate(attr, ucp_extack_types[type]) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

/* Which attribute of the request in flight the extack offset points at. */
static void ucp_err_locate(struct ucp_nl *nl)
{
	const struct nlmsghdr *req = nl->req;
	const struct nlattr *bad, *pos;
	uint32_t off = nl->err.bad_off;

	if (!req || off < NLMSG_HDRLEN + GENL_HDRLEN || off % NLA_ALIGNTO ||
	    (uint64_t)off + sizeof(*bad) > req->nlmsg_len)
		return;
	bad = (const struct nlattr *)((const char *)req + off);
	nl->err.bad_type = mnl_attr_get_type(bad);
	nl->err.bad_nested = true;
	mnl_attr_for_each(pos, req, GENL_HDRLEN) {
		if (pos == bad)
			nl->err.bad_nested = false;
	}
}

static void ucp_err_extack(struct ucp_nl *nl, const struct nlmsghdr *nlh,
			   size_t tlv_off)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    tlv_off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, (unsigned int)tlv_off, ucp_extack_cb, tb);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->err.msg, sizeof(nl->err.msg), "%s",
			 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		nl->err.bad_off = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		ucp_err_locate(nl);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		nl->err.has_miss = true;
		nl->err.miss_type = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		nl->err.miss_nested = tb[NLMSGERR_ATTR_MISS_NEST];
	}
}

int ucp_err_kernel(struct ucp_nl *nl, const struct nlmsghdr *nlh,
		   int errnum, size_t tlv_off)
{
	ucp_err_clear(nl);
	nl->err.kind = UCP_ERR_KERNEL;
	nl->err.errnum = errnum;
	/* Only attributes of our own family have names we know. */
	if (nl->req && nl->req->nlmsg_type == GENL_ID_CTRL)
		snprintf(nl->err.family, sizeof(nl->err.family), "nlctrl");
	ucp_err_extack(nl, nlh, tlv_off);
	errno = errnum;
	return -1;
}

/* Formatting */

static bool ucp_err_is_ucp(const struct ucp_err *e)
{
	return !strcmp(e->family, UCP_GENL_NAME);
}

/* What an errno usually means for a request to this family. */
static const char *ucp_err_hint(const struct ucp_err *e)
{
	switch (e->errnum) {
	case EPERM:
		return " (needs CAP_NET_ADMIN)";
	case EOPNOTSUPP:
		/* Generic netlink's answer to a command it does not know. */
		if (ucp_err_is_ucp(e))
			return " (the loaded ucproxy module does not implement it)";
		return "";
	default:
		return "";
	}
}

/* " (attribute caps)" and the like, or "". */
static void ucp_err_attr(const struct ucp_err *e, char *buf, size_t len)
{
	const char *name = NULL;
	size_t n = 0;

	buf[0] = '\0';
	if (e->bad_off && e->bad_type) {
		if (ucp_err_is_ucp(e) && !e->bad_nested)
			name = ucp_spec_name(&ucp_spec_attr, e->bad_type);
		if (name)
			n = (size_t)snprintf(buf, len, " (attribute %s)", name);
		else
			n = (size_t)snprintf(buf, len, " (%sattribute %u)",
					     e->bad_nested ? "nested " : "",
					     e->bad_type);
	}
	if (e->has_miss && n < len) {
		name = NULL;
		/* Only top-level names are known: number nested ones. */
		if (ucp_err_is_ucp(e) && !e->miss_nested &&
		    e->miss_type <= UCP_A_MAX)
			name = ucp_spec_name(&ucp_spec_attr, e->miss_type);
		if (name)
			snprintf(buf + n, len - n, " (missing attribute %s)",
				 name);
		else
			snprintf(buf + n, len - n, " (missing %sattribute %u)",
				 e->miss_nested ? "nested " : "", e->miss_type);
	}
}

static const char *ucp_strerror_kernel(const struct ucp_err *e, char *buf,
				       size_t len)
{
	static const char prefix[] = UCP_GENL_NAME ": ";
	const char *msg = e->msg;
	char attr[96];

	ucp_err_attr(e, attr, sizeof(attr));
	if (!msg[0]) {
		snprintf(buf, len, "%s%s%s", strerror(e->errnum),
			 ucp_err_hint(e), attr);
		return buf;
	}
	/* NL_SET_ERR_MSG_MOD names the module; the tool already says it. */
	if (!strncmp(msg, prefix, sizeof(prefix) - 1))
		msg += sizeof(prefix) - 1;
	snprintf(buf, len, "%s%s", msg, attr);
	return buf;
}

static const char *ucp_strerror_reply(const struct ucp_err *e, char *buf,
				      size_t len)
{
	switch (e->errnum) {
	case EPROTO:
		snprintf(buf, len, "malformed reply from the kernel");
		break;
	case EINTR:
		snprintf(buf, len, "dump interrupted by a concurrent change (try again)");
		break;
	case ESRCH:
		snprintf(buf, len, "reply from an unexpected netlink port");
		break;
	default:
		snprintf(buf, len, "%s", strerror(e->errnum));
		break;
	}
	return buf;
}

const char *ucp_strerror(const struct ucp_err *e, char *buf, size_t len)
{
	switch (e->kind) {
	case UCP_ERR_NONE:
		snprintf(buf, len, "no error");
		break;
	case UCP_ERR_NO_FAMILY:
		if (ucp_err_is_ucp(e))
			snprintf(buf, len, "ucproxy kernel module not loaded (modprobe ucproxy)");
		else
			snprintf(buf, len, "generic netlink family '%s' not found",
				 e->family);
		break;
	case UCP_ERR_SYS:
		snprintf(buf, len, "%s%s%s%s", e->msg, e->msg[0] ? ": " : "",
			 strerror(e->errnum), ucp_err_hint(e));
		break;
	case UCP_ERR_KERNEL:
		return ucp_strerror_kernel(e, buf, len);
	case UCP_ERR_REPLY:
		return ucp_strerror_reply(e, buf, len);
	}
	return buf;
}
