# SPDX-License-Identifier: GPL-2.0
# kmod/core/tests/ucp_mmp_kunit.c: the MMP core (ucp_mmp.c, implied) and
# the spec's names it reports refusals by.
CORES_ucp_mmp_kunit := ucp_spec.c
