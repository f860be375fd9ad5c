# SPDX-License-Identifier: GPL-2.0
# The SCCP core; seeds: fuzz/corpus/sccp, one message of each kind.
CORES_sccp := kmod/core/ucp_sccp.c kmod/core/ucp_spec.c
