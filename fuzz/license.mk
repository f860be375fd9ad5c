# SPDX-License-Identifier: GPL-2.0
# The license engine and the spec's name tables it names classes with;
# seeds: fuzz/corpus/license, one operation sequence per rule.
CORES_license := kmod/core/ucp_license.c kmod/core/ucp_spec.c
