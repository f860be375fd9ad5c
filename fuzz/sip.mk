# SPDX-License-Identifier: GPL-2.0
# The SIP core and its SDP part; seeds: tests/sip-corpus, copied.
CORES_sip := kmod/core/ucp_sip.c kmod/core/ucp_sdp.c kmod/core/ucp_sip_lex.c kmod/core/ucp_spec.c
