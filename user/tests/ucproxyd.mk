# SPDX-License-Identifier: GPL-2.0
# user/tests/ucproxyd/*_kunit.c: the agent's pure parts, each test with
# the one source it covers.
# (config.c names classes by the spec: kmod/ucp_spec.c, one of the cores
# the runner links, ucp_license_kunit.mk)
SRCS_config_kunit := user/ucproxyd/config.c
SRCS_mint_kunit := user/ucproxyd/mint.c
LDLIBS_mint_kunit := -lcrypto
