# SPDX-License-Identifier: GPL-2.0
# The SIP core and its SDP part; seeds: tests/sip-corpus, copied.
CORES_sip := kmod/ucp_sip.c kmod/ucp_sdp.c
