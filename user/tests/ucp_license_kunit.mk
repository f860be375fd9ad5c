# SPDX-License-Identifier: GPL-2.0
# kmod/core/tests/ucp_license_kunit.c: the license engine (ucp_license.c,
# implied) and the spec's names it reports classes by.
CORES_ucp_license_kunit := ucp_spec.c
