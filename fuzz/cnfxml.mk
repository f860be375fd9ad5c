# SPDX-License-Identifier: GPL-2.0
# The configuration rewrite of the agent, with libxml2; seeds:
# fuzz/corpus/cnfxml, configurations of SIP and SCCP phones written for the
# tests (first byte: the policy).
SRCS_cnfxml := user/ucproxyd/cnfxml.c
LDLIBS_cnfxml := $(shell pkg-config --libs libxml-2.0)
FUZZ_CPPFLAGS += $(shell pkg-config --cflags libxml-2.0)
