# SPDX-License-Identifier: GPL-2.0
# The MMP core; seeds: fuzz/corpus/mmp, good and refused streams.
CORES_mmp := kmod/core/ucp_mmp.c kmod/core/ucp_spec.c
