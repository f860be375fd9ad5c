# SPDX-License-Identifier: GPL-2.0
# kmod/core/tests/ucp_sip_kunit.c: the SIP core (ucp_sip.c, implied) and its SDP part.
CORES_ucp_sip_kunit := ucp_sdp.c ucp_sip_lex.c
