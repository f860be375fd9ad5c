# SPDX-License-Identifier: GPL-2.0
# The SIP core and its SDP part, against memcpy of the same message.
CORES_sip := kmod/ucp_sip.c kmod/ucp_sdp.c
