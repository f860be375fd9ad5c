// SPDX-License-Identifier: GPL-2.0
/*
 * Framing of the signalling read in clear: one table entry per protocol,
 * so SCCP joins with its own frame function. SIP is framed by the
 * kernel's own pure framer (kmod/ucp_sip.c, compiled in here as in the
 * unit tests): the agent and the inspector agree on every message
 * boundary because they run the same code.
 */
#include <linux/ucproxy.h>

#include "ucp_core.h"
#include "ucp_sip.h"

#include "ucproxyd.h"

static enum ucpd_frame_ret sip_frame(const char *buf, size_t n, size_t *skip,
				     size_t *len)
{
	int ret = ucp_sip_frame(buf, n, true, skip, len);

	if (ret == UCP_SIP_OK)
		return UCPD_FRAME_MSG;
	if (ret == UCP_SIP_E_INCOMPLETE)
		return UCPD_FRAME_MORE;
	*skip = 0;
	return UCPD_FRAME_BAD;
}

static const struct ucpd_framer sip_framer = {
	.name = "SIP",
	.proto = UCP_PROTO_SIP,
	.max_msg = UCP_SIP_MAX_MSG,
	.max_out = UCP_SIP_OUT_MAX,
	.frame = sip_frame,
};

const struct ucpd_framer *ucpd_framer_get(enum ucpd_inspect inspect)
{
	switch (inspect) {
	case UCPD_INSPECT_SIP:
		return &sip_framer;
	case UCPD_INSPECT_SCCP:
	case UCPD_INSPECT_NONE:
		break;
	}
	return NULL;
}
