# SPDX-License-Identifier: GPL-2.0
# kmod/core/tests/ucp_sip_kunit.c: the SIP core (ucp_sip.c, implied), its SDP part
# and the spec's names it reports refusals by.
CORES_ucp_sip_kunit := ucp_sdp.c ucp_sip_lex.c ucp_spec.c
