# SPDX-License-Identifier: GPL-2.0
# user/tests/ucpctl/*_kunit.c: ucpctl's pure parts, each test with the one
# source it covers (save_plan.c is checked against the license engine,
# kmod/core/ucp_license.c, a core the runner links for its own suite).
SRCS_save_plan_kunit := user/ucpctl/save_plan.c
