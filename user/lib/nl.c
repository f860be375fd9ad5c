// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink side of libucp: one socket per handle, the family resolved
 * once at open, synchronous do and dump requests.
 *
 * Replies are matched by sequence number in our own callbacks rather than by
 * mnl_cb_run()'s check, which fails the whole read on a mismatch: a request
 * abandoned half way (its callback failed, its reader was interrupted) must
 * not poison the next one, so messages of any other sequence are skipped.
 * The port id is left to libmnl's check.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/netlink.h>

#include "ucp_int.h"

/* The kernel's error codes are -MAX_ERRNO..-1: anything else is garbage. */
#define UCP_ERRNO_MAX	4095

/* One request being answered. */
struct ucp_run {
	struct ucp_nl *nl;
	mnl_cb_t cb;
	void *data;
	uint32_t seq;		/* 0: notifications, any sequence */
	int cb_errno;		/* the callback failed: drain, then report */
	bool cb_done;		/* the callback wants no more messages */
	bool failed;		/* the kernel's error is in nl->err */
};

static bool ucp_run_mine(const struct ucp_run *run,
			 const struct nlmsghdr *nlh)
{
	return !run->seq || nlh->nlmsg_seq == run->seq;
}

static int ucp_data_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ucp_run *run = arg;
	int ret;

	if (!ucp_run_mine(run, nlh) || !run->cb || run->cb_done ||
	    run->cb_errno)
		return MNL_CB_OK;
	errno = 0;
	ret = run->cb(nlh, run->data);
	if (ret == MNL_CB_STOP)
		run->cb_done = true;
	else if (ret < MNL_CB_STOP)
		run->cb_errno = errno ? errno : EPROTO;
	/* Whatever the callback said, read the rest of the reply. */
	return MNL_CB_OK;
}

/* NLMSG_ERROR: an acknowledgement (error 0) or the request's failure. */
static int ucp_error_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct ucp_run *run = arg;
	size_t tlv_off = sizeof(*e);

	if (!ucp_run_mine(run, nlh))
		return MNL_CB_OK;
	run->failed = true;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		ucp_err_reply(run->nl, EPROTO);
		return MNL_CB_STOP;
	}
	if (!e->error) {
		run->failed = false;
		return MNL_CB_STOP;
	}
	if (e->error > 0 || e->error < -UCP_ERRNO_MAX) {
		ucp_err_reply(run->nl, EPROTO);
		return MNL_CB_STOP;
	}
	/* Without NETLINK_CAP_ACK the whole request is echoed first. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > sizeof(e->msg))
		tlv_off += e->msg.nlmsg_len - sizeof(e->msg);
	ucp_err_kernel(run->nl, nlh, -e->error, tlv_off);
	return MNL_CB_STOP;
}

/* NLMSG_DONE ends a dump; an error of the dump itself rides in it. */
static int ucp_done_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ucp_run *run = arg;
	int code = 0;

	if (!ucp_run_mine(run, nlh))
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(code))
		memcpy(&code, mnl_nlmsg_get_payload(nlh), sizeof(code));
	if (code < -UCP_ERRNO_MAX || code > 0) {
		run->failed = true;
		ucp_err_reply(run->nl, EPROTO);
	} else if (code < 0) {
		run->failed = true;
		ucp_err_kernel(run->nl, nlh, -code, sizeof(code));
	}
	return MNL_CB_STOP;
}

/* Not const only because mnl_cb_run2() does not take a const array. */
static mnl_cb_t ucp_ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = ucp_error_cb,
	[NLMSG_DONE] = ucp_done_cb,
};

/*
 * Every message of a read must lie within it. libmnl 1.0.4 compares
 * nlmsg_len as an int, so a length of 2 GiB or more would pass its check
 * and send mnl_cb_run2() past the buffer: check the framing first.
 */
static bool ucp_framing_ok(const char *buf, size_t len)
{
	const struct nlmsghdr *nlh;
	size_t off = 0;

	while (len - off >= sizeof(*nlh)) {
		nlh = (const struct nlmsghdr *)(buf + off);
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len - off)
			return false;
		off += MNL_ALIGN(nlh->nlmsg_len);
		if (off >= len)
			break;
	}
	return true;
}

/* Reads and dispatches one buffer: MNL_CB_OK (more to come), STOP or ERROR. */
static int ucp_read_once(struct ucp_nl *nl, struct ucp_run *run)
{
	ssize_t len;
	int ret;

	do {
		len = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
	} while (len < 0 && errno == EINTR);
	if (len < 0) {
		/* ENOSPC: libmnl saw MSG_TRUNC, a message beyond our buffer. */
		ucp_err_sys(nl, "netlink receive", errno);
		return MNL_CB_ERROR;
	}
	if (!ucp_framing_ok(nl->rx, (size_t)len)) {
		ucp_err_reply(nl, EPROTO);
		return MNL_CB_ERROR;
	}
	ret = mnl_cb_run2(nl->rx, (size_t)len, 0, nl->portid, ucp_data_cb, run,
			  ucp_ctl_cb, MNL_ARRAY_SIZE(ucp_ctl_cb));
	if (ret < MNL_CB_STOP) {
		/* ESRCH: another port's message; EINTR: dump interrupted. */
		ucp_err_reply(nl, errno);
		return MNL_CB_ERROR;
	}
	return ret;
}

static int ucp_run_finish(struct ucp_nl *nl, const struct ucp_run *run)
{
	if (run->failed)
		return -1;
	if (run->cb_errno)
		return ucp_err_reply(nl, run->cb_errno);
	return 0;
}

static int ucp_nl_send_run(struct ucp_nl *nl, struct nlmsghdr *req,
			   mnl_cb_t cb, void *data)
{
	struct ucp_run run = {
		.nl = nl, .cb = cb, .data = data, .seq = req->nlmsg_seq,
	};
	int ret;

	ucp_err_clear(nl);
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return ucp_err_sys(nl, "netlink send", errno);
	nl->req = req;
	do {
		ret = ucp_read_once(nl, &run);
	} while (ret == MNL_CB_OK);
	nl->req = NULL;
	if (ret == MNL_CB_ERROR)
		return -1;
	return ucp_run_finish(nl, &run);
}

static struct nlmsghdr *ucp_nl_put(struct ucp_nl *nl, uint16_t type,
				   uint8_t cmd, uint8_t version,
				   uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->tx);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	/* Sequence 0 is what notifications carry: never use it. */
	if (!++nl->seq)
		nl->seq = 1;
	nlh->nlmsg_seq = nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *ucp_nl_request(struct ucp_nl *nl, uint8_t cmd,
				uint16_t flags)
{
	return ucp_nl_put(nl, nl->family, cmd, UCP_GENL_VERSION, flags);
}

int ucp_nl_do(struct ucp_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
	      void *data)
{
	/* The ack tells a request without a reply from a lost one. */
	req->nlmsg_flags |= NLM_F_ACK;
	req->nlmsg_flags &= ~NLM_F_DUMP;
	return ucp_nl_send_run(nl, req, cb, data);
}

int ucp_nl_dump(struct ucp_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		void *data)
{
	/* A dump ends with NLMSG_DONE; an ack would only add a message. */
	req->nlmsg_flags |= NLM_F_DUMP;
	req->nlmsg_flags &= ~NLM_F_ACK;
	return ucp_nl_send_run(nl, req, cb, data);
}

int ucp_nl_recv(struct ucp_nl *nl, mnl_cb_t cb, void *data)
{
	struct ucp_run run = { .nl = nl, .cb = cb, .data = data };

	ucp_err_clear(nl);
	if (ucp_read_once(nl, &run) == MNL_CB_ERROR)
		return -1;
	return ucp_run_finish(nl, &run);
}

/* Family resolution: CTRL_CMD_GETFAMILY by name. */

static const enum mnl_attr_data_type ucp_ctrl_types[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]		= MNL_TYPE_U16,
	[CTRL_ATTR_FAMILY_NAME]		= MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_VERSION]		= MNL_TYPE_U32,
	[CTRL_ATTR_MCAST_GROUPS]	= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type ucp_grp_types[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_MCAST_GRP_ID]	= MNL_TYPE_U32,
};

static int ucp_family_groups(struct ucp_nl *nl, const struct nlattr *nest)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const struct nlattr *pos;
	struct ucp_mcgrp *g;

	mnl_attr_for_each_nested(pos, nest) {
		if (ucp_parse_nested(pos, ucp_grp_types,
				     CTRL_ATTR_MCAST_GRP_MAX, tb) < 0)
			return MNL_CB_ERROR;
		if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		if (nl->ngroups == UCP_NL_MAX_GROUPS)
			break;
		g = &nl->groups[nl->ngroups++];
		snprintf(g->name, sizeof(g->name), "%s",
			 mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]));
		g->id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

static int ucp_family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct ucp_nl *nl = data;

	if (ucp_parse(nlh, ucp_ctrl_types, CTRL_ATTR_MAX, tb) < 0)
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_FAMILY_ID]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	nl->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		nl->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	nl->ngroups = 0;
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		return ucp_family_groups(nl, tb[CTRL_ATTR_MCAST_GROUPS]);
	return MNL_CB_OK;
}

static int ucp_family_resolve(struct ucp_nl *nl)
{
	struct nlmsghdr *req;

	req = ucp_nl_put(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(req, CTRL_ATTR_FAMILY_NAME, nl->name);
	if (ucp_nl_do(nl, req, ucp_family_cb, nl) < 0) {
		if (nl->err.kind == UCP_ERR_KERNEL &&
		    nl->err.errnum == ENOENT) {
			nl->err.kind = UCP_ERR_NO_FAMILY;
			snprintf(nl->err.family, sizeof(nl->err.family), "%s",
				 nl->name);
		}
		return -1;
	}
	if (!nl->family)
		return ucp_err_reply(nl, EPROTO);
	return 0;
}

static int ucp_nl_socket(struct ucp_nl *nl)
{
	int one = 1;

	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		return ucp_err_sys(nl, "netlink socket", errno);
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return ucp_err_sys(nl, "netlink bind", errno);
	nl->portid = mnl_socket_get_portid(nl->sock);
	/*
	 * Extended acks carry the kernel's reason; capped acks leave out the
	 * echoed request, which we keep ourselves. Kernels without either
	 * still work, with plain errno messages: ignore failures.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

static void ucp_err_copy(struct ucp_err *dst, const struct ucp_err *src)
{
	if (dst)
		*dst = *src;
}

struct ucp_nl *ucp_nl_open_family(const char *name, struct ucp_err *err)
{
	struct ucp_nl *nl;

	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		if (err) {
			memset(err, 0, sizeof(*err));
			err->kind = UCP_ERR_SYS;
			err->errnum = ENOMEM;
		}
		return NULL;
	}
	snprintf(nl->name, sizeof(nl->name), "%s", name);
	/* Distinct starting points keep two runs' replies apart in traces. */
	nl->seq = (uint32_t)time(NULL);
	if (ucp_nl_socket(nl) < 0 || ucp_family_resolve(nl) < 0) {
		ucp_err_copy(err, &nl->err);
		ucp_nl_close(nl);
		return NULL;
	}
	ucp_err_clear(nl);
	return nl;
}

struct ucp_nl *ucp_nl_open(struct ucp_err *err)
{
	return ucp_nl_open_family(UCP_GENL_NAME, err);
}

void ucp_nl_close(struct ucp_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
}

uint16_t ucp_nl_family_id(const struct ucp_nl *nl)
{
	return nl->family;
}

uint32_t ucp_nl_family_version(const struct ucp_nl *nl)
{
	return nl->version;
}

int ucp_nl_fd(const struct ucp_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

int ucp_nl_mcast_group(const struct ucp_nl *nl, const char *name,
		       uint32_t *id)
{
	unsigned int i;

	for (i = 0; i < nl->ngroups; i++) {
		if (!strcmp(nl->groups[i].name, name)) {
			*id = nl->groups[i].id;
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

int ucp_nl_join(struct ucp_nl *nl, const char *group)
{
	char what[2 * GENL_NAMSIZ + 32];
	uint32_t id;
	int grp;

	ucp_err_clear(nl);
	snprintf(what, sizeof(what), "multicast group '%s' of %s", group,
		 nl->name);
	if (ucp_nl_mcast_group(nl, group, &id) < 0)
		return ucp_err_sys(nl, what, ENOENT);
	grp = (int)id;
	/* "events" is admin-only: EPERM without CAP_NET_ADMIN. */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		return ucp_err_sys(nl, what, errno);
	return 0;
}

const struct ucp_err *ucp_nl_last_error(const struct ucp_nl *nl)
{
	return &nl->err;
}
