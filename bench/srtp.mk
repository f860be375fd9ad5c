# SPDX-License-Identifier: GPL-2.0
# The SRTP core on the OpenSSL backend, against libsrtp2 and the bare
# OpenSSL primitives.
CORES_srtp := kmod/core/ucp_srtp.c
SRCS_srtp := user/crypto/ucp_crypto_openssl.c
LDLIBS_srtp := -lsrtp2 -lcrypto
