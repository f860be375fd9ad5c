# SPDX-License-Identifier: GPL-2.0
# Interop with libsrtp2: the SRTP core on the OpenSSL backend against the
# library. Userspace only (kmod/Kbuild does not list the test).
CORES_ucp_srtp_interop_kunit := ucp_srtp.c
SRCS_ucp_srtp_interop_kunit := user/crypto/ucp_crypto_openssl.c
LDLIBS_ucp_srtp_interop_kunit := -lsrtp2 -lcrypto
