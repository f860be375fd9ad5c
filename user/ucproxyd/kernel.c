// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's one netlink socket to the ucproxy module (through libucp):
 * license sessions, which belong to this socket (a crash of the agent
 * gives them all back), signalling inspection, and reports of handshakes
 * refused for authentication (the kernel announces their bursts). Requests are
 * synchronous: the kernel answers both at once, without sleeping on
 * anything, so the event loop does not stall.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <ucp.h>

#include "ucproxyd.h"

static struct ucp_nl *nl;

int ucpd_kernel_open(void)
{
	struct ucp_err err;
	char buf[UCP_ERR_MSG_LEN];

	if (nl)
		return 0;
	nl = ucp_nl_open(&err);
	if (!nl) {
		ucpd_log(UCPD_ERR, "ucproxy netlink: %s",
			 ucp_strerror(&err, buf, sizeof(buf)));
		return -1;
	}
	return 0;
}

void ucpd_kernel_close(void)
{
	if (nl)
		ucp_nl_close(nl);
	nl = NULL;
}

struct acquire_reply {
	uint64_t id;
	bool has_id;
	char *why;
	size_t whylen;
};

static int acquire_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1] = {};
	struct acquire_reply *r = data;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb))
		return MNL_CB_ERROR;
	if (tb[UCP_A_SESSION_ID]) {
		r->id = mnl_attr_get_u64(tb[UCP_A_SESSION_ID]);
		r->has_id = true;
	}
	if (tb[UCP_A_REASON])
		snprintf(r->why, r->whylen, "%s", mnl_attr_get_str(tb[UCP_A_REASON]));
	return MNL_CB_OK;
}

enum ucpd_acquire ucpd_session_acquire(uint32_t app, uint64_t *id, char *why,
				       size_t whylen)
{
	struct acquire_reply r = { .why = why, .whylen = whylen };
	const struct ucp_err *e;
	struct nlmsghdr *req;
	char buf[UCP_ERR_MSG_LEN];

	req = ucp_nl_request(nl, UCP_CMD_SESSION_ACQUIRE, 0);
	mnl_attr_put_u32(req, UCP_A_APP, app);
	if (!ucp_nl_do(nl, req, acquire_cb, &r) && r.has_id) {
		*id = r.id;
		return UCPD_ACQ_OK;
	}
	e = ucp_nl_last_error(nl);
	if (e->kind == UCP_ERR_KERNEL &&
	    (e->errnum == ENOSPC || e->errnum == EPERM)) {
		/* The reply's reason has the numbers; extack names the rule. */
		if (!why[0])
			snprintf(why, whylen, "%s", ucp_strerror(e, buf, sizeof(buf)));
		return UCPD_ACQ_REFUSED;
	}
	snprintf(why, whylen, "%s", r.has_id ? "no session id in the reply" :
		 ucp_strerror(e, buf, sizeof(buf)));
	return UCPD_ACQ_ERROR;
}

void ucpd_session_release(uint64_t id)
{
	struct nlmsghdr *req;
	char buf[UCP_ERR_MSG_LEN];

	req = ucp_nl_request(nl, UCP_CMD_SESSION_RELEASE, 0);
	mnl_attr_put_u64(req, UCP_A_SESSION_ID, id);
	if (ucp_nl_do(nl, req, NULL, NULL))
		ucpd_log(UCPD_WARN, "license session %llu release: %s",
			 (unsigned long long)id,
			 ucp_strerror(ucp_nl_last_error(nl), buf, sizeof(buf)));
}

static void put_flow(struct nlmsghdr *req, uint16_t type,
		     const struct ucpd_flow *f)
{
	struct nlattr *nest = mnl_attr_nest_start(req, type);
	int family = f->src.ss_family;

	mnl_attr_put_u8(req, UCP_FLOW_A_FAMILY, (uint8_t)family);
	mnl_attr_put_u8(req, UCP_FLOW_A_L4PROTO, IPPROTO_TCP);
	if (family == AF_INET) {
		const struct sockaddr_in *s = (const void *)&f->src;
		const struct sockaddr_in *d = (const void *)&f->dst;

		mnl_attr_put(req, UCP_FLOW_A_SADDR, 4, &s->sin_addr);
		mnl_attr_put(req, UCP_FLOW_A_DADDR, 4, &d->sin_addr);
		mnl_attr_put_u16(req, UCP_FLOW_A_SPORT, s->sin_port);
		mnl_attr_put_u16(req, UCP_FLOW_A_DPORT, d->sin_port);
	} else {
		const struct sockaddr_in6 *s = (const void *)&f->src;
		const struct sockaddr_in6 *d = (const void *)&f->dst;

		mnl_attr_put(req, UCP_FLOW_A_SADDR, 16, &s->sin6_addr);
		mnl_attr_put(req, UCP_FLOW_A_DADDR, 16, &d->sin6_addr);
		mnl_attr_put_u16(req, UCP_FLOW_A_SPORT, s->sin6_port);
		mnl_attr_put_u16(req, UCP_FLOW_A_DPORT, d->sin6_port);
	}
	mnl_attr_nest_end(req, nest);
}

struct inspect_reply {
	enum ucpd_verdict v;
	char *out;
	size_t outcap, outlen;
	char *why;
	size_t whylen;
};

static int inspect_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1] = {};
	struct inspect_reply *r = data;
	size_t len;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) || !tb[UCP_A_VERDICT])
		return MNL_CB_ERROR;
	if (mnl_attr_get_u8(tb[UCP_A_VERDICT]) == UCP_VERDICT_FORWARD) {
		if (!tb[UCP_A_MESSAGE])
			return MNL_CB_ERROR;
		len = mnl_attr_get_payload_len(tb[UCP_A_MESSAGE]);
		if (len > r->outcap) {
			snprintf(r->why, r->whylen, "rewritten message of %zu bytes does not fit",
				 len);
			return MNL_CB_ERROR;
		}
		memcpy(r->out, mnl_attr_get_payload(tb[UCP_A_MESSAGE]), len);
		r->outlen = len;
		r->v = UCPD_V_FORWARD;
	} else {
		snprintf(r->why, r->whylen, "%s", tb[UCP_A_REASON] ?
			 mnl_attr_get_str(tb[UCP_A_REASON]) : "no reason given");
		r->v = UCPD_V_DROP;
	}
	return MNL_CB_OK;
}

enum ucpd_verdict ucpd_inspect(const struct ucpd_inspect_req *q,
			       const char *msg, size_t len, char *out,
			       size_t outcap, size_t *outlen, char *why,
			       size_t whylen)
{
	struct inspect_reply r = {
		.v = UCPD_V_ERROR, .out = out, .outcap = outcap,
		.why = why, .whylen = whylen,
	};
	struct nlmsghdr *req;
	char buf[UCP_ERR_MSG_LEN];

	why[0] = '\0';
	req = ucp_nl_request(nl, UCP_CMD_SIGNAL_INSPECT, 0);
	mnl_attr_put_u8(req, UCP_A_PROTO, q->proto);
	if (q->flow)
		put_flow(req, UCP_A_FLOW, q->flow);
	if (q->peer)
		put_flow(req, UCP_A_PEER_FLOW, q->peer);
	if (q->proto == UCP_PROTO_MMP) {
		/* No flows: the direction says which caps apply. */
		mnl_attr_put_u8(req, UCP_A_DIR, q->up ? UCP_DIR_ORIGINAL :
							UCP_DIR_REPLY);
		if (q->up) {
			mnl_attr_put_u32(req, UCP_A_MMP_HEADER_MAX,
					 q->cfg->mmp_header_max);
			mnl_attr_put_u32(req, UCP_A_MMP_CONTENT_MAX,
					 q->cfg->mmp_content_max);
		}
	}
	mnl_attr_put(req, UCP_A_MESSAGE, len, msg);
	if (ucp_nl_do(nl, req, inspect_cb, &r)) {
		if (!why[0])
			snprintf(why, whylen, "%s",
				 ucp_strerror(ucp_nl_last_error(nl), buf, sizeof(buf)));
		return UCPD_V_ERROR;
	}
	*outlen = r.outlen;
	return r.v;
}

void ucpd_auth_failure(const struct ucpd_listener_cfg *cfg, uint8_t dir)
{
	static bool warned;
	struct nlmsghdr *req;
	char buf[UCP_ERR_MSG_LEN];

	req = ucp_nl_request(nl, UCP_CMD_AUTH_FAILURE_REPORT, 0);
	mnl_attr_put_u32(req, UCP_A_APP, cfg->app);
	mnl_attr_put_strz(req, UCP_A_LISTENER, cfg->name);
	mnl_attr_put_u8(req, UCP_A_DIR, dir);
	if (!ucp_nl_do(nl, req, NULL, NULL) || warned)
		return;
	/* An older module without the operation: say so once, go on. */
	warned = true;
	ucpd_log(UCPD_WARN, "authentication failure report: %s (not reported again)",
		 ucp_strerror(ucp_nl_last_error(nl), buf, sizeof(buf)));
}
