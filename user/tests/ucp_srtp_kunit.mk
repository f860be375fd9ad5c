# SPDX-License-Identifier: GPL-2.0
# The SRTP core's tests run on the OpenSSL backend in userspace.
SRCS_ucp_srtp_kunit := user/crypto/ucp_crypto_openssl.c
LDLIBS_ucp_srtp_kunit := -lcrypto
