// SPDX-License-Identifier: GPL-2.0
/*
 * Framing of the signalling read in clear: one table entry per protocol.
 * Each is framed by the kernel's own pure framer (kmod/core/ucp_sip.c,
 * kmod/core/ucp_sccp.c, kmod/core/ucp_mmp.c, compiled in here as in the
 * unit tests): the agent and
 * the inspector agree on every message boundary because they run the
 * same code, and the kernel takes exactly one whole message per request.
 */
#include <linux/ucproxy.h>

#include "ucp_core.h"
#include "ucp_mmp.h"
#include "ucp_sccp.h"
#include "ucp_sip.h"

#include "ucproxyd.h"

/* A core's answer, given its codes for a message and for "more". */
static enum ucpd_frame_ret frame_ret(int ret, int ok, int incomplete,
				     size_t *skip)
{
	if (ret == ok)
		return UCPD_FRAME_MSG;
	if (ret == incomplete)
		return UCPD_FRAME_MORE;
	*skip = 0;
	return UCPD_FRAME_BAD;
}

static enum ucpd_frame_ret sip_frame(const struct ucpd_listener_cfg *cfg,
				     bool up, const char *buf, size_t n,
				     size_t *skip, size_t *len)
{
	(void)cfg;
	(void)up;
	return frame_ret(ucp_sip_frame(buf, n, true, skip, len), UCP_SIP_OK,
			 UCP_SIP_E_INCOMPLETE, skip);
}

static const struct ucpd_framer sip_framer = {
	.name = "SIP",
	.proto = UCP_PROTO_SIP,
	.max_msg = UCP_SIP_MAX_MSG,
	.max_out = UCP_SIP_OUT_MAX,
	.frame = sip_frame,
};

/*
 * SCCP: a little-endian length, then that many bytes and eight more. No
 * keep-alive bytes between messages (KeepAlive is a message like any
 * other); a length the kernel would refuse ends the stream.
 */
static enum ucpd_frame_ret sccp_frame(const struct ucpd_listener_cfg *cfg,
				      bool up, const char *buf, size_t n,
				      size_t *skip, size_t *len)
{
	(void)cfg;
	(void)up;
	*skip = 0;
	return frame_ret(ucp_sccp_frame((const u8 *)buf, n, len), UCP_SCCP_OK,
			 UCP_SCCP_E_INCOMPLETE, skip);
}

/* The kernel rewrites SCCP fields in place: a message keeps its length. */
static const struct ucpd_framer sccp_framer = {
	.name = "SCCP",
	.proto = UCP_PROTO_SCCP,
	.max_msg = UCP_SCCP_MAX_MSG,
	.max_out = UCP_SCCP_MAX_MSG,
	.frame = sccp_frame,
};

/*
 * MMP: header lines and a body of Content-Length bytes; the listener's
 * caps client to server, none but the message size the other way. A
 * refusal gives the bytes that decided it: the kernel, scanning exactly
 * those, refuses them for the same reason and counts it.
 */
static enum ucpd_frame_ret mmp_frame(const struct ucpd_listener_cfg *cfg,
				     bool up, const char *buf, size_t n,
				     size_t *skip, size_t *len)
{
	struct ucp_mmp_limits lim = {};
	struct ucp_mmp_msg m;
	int ret;

	if (up) {
		lim.header_max = cfg->mmp_header_max;
		lim.content_max = cfg->mmp_content_max;
	}
	*skip = 0;
	ret = ucp_mmp_scan((const u8 *)buf, n, &lim, &m);
	if (ret == UCP_MMP_OK) {
		*len = m.len;
		return UCPD_FRAME_MSG;
	}
	if (ret == UCP_MMP_E_INCOMPLETE)
		return UCPD_FRAME_MORE;
	*len = m.decided;
	return UCPD_FRAME_BAD;
}

/* Nothing to rewrite: what the kernel returns is what it was given. */
static const struct ucpd_framer mmp_framer = {
	.name = "MMP",
	.proto = UCP_PROTO_MMP,
	.max_msg = UCP_MMP_MAX_MSG,
	.max_out = UCP_MMP_MAX_MSG,
	.strict = true,
	.frame = mmp_frame,
};

const struct ucpd_framer *ucpd_framer_get(enum ucpd_inspect inspect)
{
	switch (inspect) {
	case UCPD_INSPECT_SIP:
		return &sip_framer;
	case UCPD_INSPECT_SCCP:
		return &sccp_framer;
	case UCPD_INSPECT_MMP:
		return &mmp_framer;
	case UCPD_INSPECT_NONE:
		break;
	}
	return NULL;
}
