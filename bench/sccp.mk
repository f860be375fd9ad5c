# SPDX-License-Identifier: GPL-2.0
# The SCCP core, against memcpy of the same messages.
CORES_sccp := kmod/core/ucp_sccp.c kmod/core/ucp_spec.c
