# SPDX-License-Identifier: GPL-2.0
# The CTL/ITL parser and writer of the agent (libc only); seeds:
# fuzz/corpus/ctl, files `ucproxyd ctl write` made and the unit tests'
# hand-made one.
SRCS_ctl := user/ucproxyd/ctl_tlv.c
