# SPDX-License-Identifier: GPL-2.0
# kmod/core/tests/ucp_sccp_kunit.c: the SCCP core (ucp_sccp.c, implied) and
# the spec's names it reports refusals by.
CORES_ucp_sccp_kunit := ucp_spec.c
