# SPDX-License-Identifier: GPL-2.0
# user/tests/ucproxyd/*_kunit.c: the agent's pure parts, each test with
# the one source it covers.
# (config.c names classes by the spec: kmod/core/ucp_spec.c, one of the cores
# the runner links, ucp_license_kunit.mk)
SRCS_config_kunit := user/ucproxyd/config.c
SRCS_mint_kunit := user/ucproxyd/mint.c
# frame.c frames with the kernel's ucp_sip.c and ucp_sccp.c, cores the
# runner links for their own suites.
SRCS_frame_kunit := user/ucproxyd/frame.c
LDLIBS_mint_kunit := -lcrypto
# The CTL/ITL layout alone (libc only); its signatures with OpenSSL, and
# `ucproxyd ctl` checked by the openssl command line (ctl_openssl.sh).
SRCS_ctl_tlv_kunit := user/ucproxyd/ctl_tlv.c
SRCS_ctl_sign_kunit := user/ucproxyd/ctl_tlv.c user/ucproxyd/ctl_sign.c \
	user/ucproxyd/ctl_cert.c
LDLIBS_ctl_sign_kunit := -lcrypto
# The TFTP proxy's pure parts: packets, the cache (libc only), the
# configuration rewrite (libxml2); the proxy itself runs in
# tftp_proxy.sh (script_kunit.c).
SRCS_tftp_pkt_kunit := user/ucproxyd/tftp_pkt.c
SRCS_tftp_cache_kunit := user/ucproxyd/tftp_cache.c
SRCS_cnfxml_kunit := user/ucproxyd/cnfxml.c
LDLIBS_cnfxml_kunit := $(shell pkg-config --libs libxml-2.0)
$(BUILD)/user/user/ucproxyd/cnfxml.o: CPPFLAGS += $(shell pkg-config --cflags libxml-2.0)
$(BUILD)/agent-tests/cnfxml_kunit.o: CPPFLAGS += $(shell pkg-config --cflags libxml-2.0)
