# SPDX-License-Identifier: GPL-2.0
# The MMP core, against memcpy of the same stream.
CORES_mmp := kmod/core/ucp_mmp.c kmod/core/ucp_spec.c
