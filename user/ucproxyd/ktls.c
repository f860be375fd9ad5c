// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel TLS on both legs once their handshakes are done.
 *
 * OpenSSL 3.0 with SSL_OP_ENABLE_KTLS offloads both directions of TLS 1.2
 * and only the transmit direction of TLS 1.3 (its record layer has no
 * TLS 1.3 receive path to the kernel). For TLS 1.3 we install the receive
 * keys ourselves:
 *
 *  - the peer's application traffic secret comes from the key log callback
 *    (SSL_CTX_set_keylog_callback: CLIENT_TRAFFIC_SECRET_0 on a leg where
 *    we are the server, SERVER_TRAFFIC_SECRET_0 where we are the client),
 *    the one documented way to see it in OpenSSL 3.0; exported keying
 *    material (RFC 8446, 7.5) is a different secret and cannot decrypt;
 *  - key and IV are HKDF-Expand-Label(secret, "key" | "iv", "", len);
 *  - the record sequence number is 0: OpenSSL reads records exactly (no
 *    read-ahead), a handshake returns before any application record is
 *    read, and we install before the first SSL_read. SSL_has_pending()
 *    proves nothing was buffered; if something was, the leg stays in
 *    userspace rather than risk a wrong sequence number.
 *
 * From then on the leg is read with recvmsg() (ucpd_ktls_read() here),
 * which sees control records with their type. Secrets are wiped as soon as
 * they are used.
 *
 * Linux 6.1 cannot change the keys of a kTLS socket, so a TLS 1.3
 * KeyUpdate ends the connection cleanly, counted, whichever direction it
 * concerns.
 */
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/tls.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>

#include "conn.h"

int ucpd_ssl_conn_idx = -1;

void ucpd_ktls_keylog(const SSL *ssl, const char *line)
{
	struct ucpd_leg *leg = SSL_get_ex_data(ssl, ucpd_ssl_conn_idx);
	const char *want, *p;
	size_t i, n;

	if (!leg)
		return;
	want = leg->toward_client ? "CLIENT_TRAFFIC_SECRET_0 " :
				    "SERVER_TRAFFIC_SECRET_0 ";
	if (strncmp(line, want, strlen(want)))
		return;
	/* "LABEL <client random hex> <secret hex>" */
	p = strchr(line + strlen(want), ' ');
	if (!p)
		return;
	p++;
	n = strlen(p) / 2;
	if (n > sizeof(leg->rx_secret) || strlen(p) % 2)
		return;
	for (i = 0; i < n; i++) {
		int hi = OPENSSL_hexchar2int((unsigned char)p[2 * i]);
		int lo = OPENSSL_hexchar2int((unsigned char)p[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			OPENSSL_cleanse(leg->rx_secret, sizeof(leg->rx_secret));
			return;
		}
		leg->rx_secret[i] = (unsigned char)(hi << 4 | lo);
	}
	leg->rx_secret_len = n;
}

/* RFC 8446, 7.1: HKDF-Expand-Label(secret, label, "", len). */
static int expand_label(const EVP_MD *md, const unsigned char *secret,
			size_t slen, const char *label, unsigned char *out,
			size_t len)
{
	unsigned char info[2 + 1 + 6 + 16 + 1];
	size_t ll = strlen(label), il = 0;
	OSSL_PARAM params[5], *p = params;
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	EVP_KDF_CTX *kctx;
	EVP_KDF *kdf;
	int ret;

	info[il++] = (unsigned char)(len >> 8);
	info[il++] = (unsigned char)len;
	info[il++] = (unsigned char)(6 + ll);
	memcpy(info + il, "tls13 ", 6);
	il += 6;
	memcpy(info + il, label, ll);
	il += ll;
	info[il++] = 0;		/* empty context */

	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (!kdf)
		return -1;
	kctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (!kctx)
		return -1;
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)EVP_MD_get0_name(md), 0);
	*p++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)secret, slen);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, il);
	*p = OSSL_PARAM_construct_end();
	ret = EVP_KDF_derive(kctx, out, len, params) == 1 ? 0 : -1;
	EVP_KDF_CTX_free(kctx);
	return ret;
}

union tls13_crypto_info {
	struct tls12_crypto_info_aes_gcm_128 gcm128;
	struct tls12_crypto_info_aes_gcm_256 gcm256;
	struct tls12_crypto_info_chacha20_poly1305 chacha;
};

/* Installs the TLS 1.3 receive keys of @leg. 0, or -1 (leg unchanged). */
static int tls13_rx(struct ucpd_leg *leg)
{
	const SSL_CIPHER *cipher = SSL_get_current_cipher(leg->ssl);
	unsigned char key[32], iv[12];
	union tls13_crypto_info ci;
	const EVP_MD *md;
	size_t klen, cilen;
	uint16_t id;
	int ret = -1;

	if (!cipher || leg->rx_secret_len == 0 || SSL_has_pending(leg->ssl))
		return -1;
	md = SSL_CIPHER_get_handshake_digest(cipher);
	id = SSL_CIPHER_get_protocol_id(cipher);
	memset(&ci, 0, sizeof(ci));
	switch (id) {
	case 0x1301:	/* TLS_AES_128_GCM_SHA256 */
		klen = 16;
		cilen = sizeof(ci.gcm128);
		ci.gcm128.info.cipher_type = TLS_CIPHER_AES_GCM_128;
		break;
	case 0x1302:	/* TLS_AES_256_GCM_SHA384 */
		klen = 32;
		cilen = sizeof(ci.gcm256);
		ci.gcm256.info.cipher_type = TLS_CIPHER_AES_GCM_256;
		break;
	case 0x1303:	/* TLS_CHACHA20_POLY1305_SHA256 */
		klen = 32;
		cilen = sizeof(ci.chacha);
		ci.chacha.info.cipher_type = TLS_CIPHER_CHACHA20_POLY1305;
		break;
	default:
		return -1;
	}
	ci.gcm128.info.version = TLS_1_3_VERSION;
	if (!md || expand_label(md, leg->rx_secret, leg->rx_secret_len, "key",
				key, klen) ||
	    expand_label(md, leg->rx_secret, leg->rx_secret_len, "iv", iv,
			 sizeof(iv)))
		goto out;
	/* The kernel splits the 12-byte IV into a salt and an explicit part. */
	switch (id) {
	case 0x1301:
		memcpy(ci.gcm128.key, key, 16);
		memcpy(ci.gcm128.salt, iv, 4);
		memcpy(ci.gcm128.iv, iv + 4, 8);
		break;
	case 0x1302:
		memcpy(ci.gcm256.key, key, 32);
		memcpy(ci.gcm256.salt, iv, 4);
		memcpy(ci.gcm256.iv, iv + 4, 8);
		break;
	case 0x1303:
		memcpy(ci.chacha.key, key, 32);
		memcpy(ci.chacha.iv, iv, 12);
		break;
	}
	/* rec_seq stays 0: see the top of this file. */
	if (setsockopt(leg->fd, SOL_TCP, TCP_ULP, "tls", sizeof("tls")) &&
	    errno != EEXIST)
		goto out;
	if (setsockopt(leg->fd, SOL_TLS, TLS_RX, &ci, (socklen_t)cilen))
		goto out;
	ret = 0;
out:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(iv, sizeof(iv));
	OPENSSL_cleanse(&ci, sizeof(ci));
	return ret;
}

void ucpd_ktls_engage(struct ucpd_leg *leg)
{
	leg->ktls_tx = BIO_get_ktls_send(SSL_get_wbio(leg->ssl));
	leg->ktls_rx = BIO_get_ktls_recv(SSL_get_rbio(leg->ssl));
	if (leg->conn->l->cfg.ktls && leg->conn->l->cfg.ktls_tls13_rx &&
	    !leg->ktls_rx &&
	    SSL_version(leg->ssl) == TLS1_3_VERSION) {
		if (!tls13_rx(leg)) {
			leg->ktls_rx = true;
			leg->rx = UCPD_RX_KTLS;
			ucpd_count(UCPD_C_TLS13_RX_INSTALLED);
		}
	}
	/* Not needed any more, whatever happened. */
	OPENSSL_cleanse(leg->rx_secret, sizeof(leg->rx_secret));
	leg->rx_secret_len = 0;
	if (leg->ktls_tx && leg->ktls_rx)
		ucpd_count(UCPD_C_LEGS_KTLS);
	else if (leg->ktls_tx)
		ucpd_count(UCPD_C_LEGS_KTLS_TX);
	else
		ucpd_count(UCPD_C_LEGS_USERSPACE);
}

/* A KeyUpdate the kernel cannot follow: counted, one line, the end. */
static void key_update_unsupported(const struct ucpd_leg *leg, const char *where)
{
	ucpd_count(UCPD_C_KEY_UPDATE);
	ucpd_log(UCPD_WARN, "%s: %s: TLS 1.3 KeyUpdate %s: this kernel cannot rekey, closing",
		 leg->conn->l->cfg.name, leg->conn->peer, where);
}

bool ucpd_ktls_tx_key_update(struct ucpd_leg *leg)
{
	if (!leg->ktls_tx ||
	    SSL_get_key_update_type(leg->ssl) == SSL_KEY_UPDATE_NONE)
		return false;
	/*
	 * The peer asked for our keys to change too. OpenSSL 3.0 would
	 * change them in userspace while the kernel keeps encrypting with
	 * the old ones: the peer would see garbage.
	 */
	key_update_unsupported(leg, "requested on a kTLS transmit socket");
	return true;
}

/* TLS record content types (RFC 8446, 5.1) and handshake types (4). */
#define TLS_CT_ALERT		21
#define TLS_CT_HANDSHAKE	22
#define TLS_CT_APPLICATION_DATA	23
#define TLS_HS_NEW_SESSION_TICKET	4
#define TLS_HS_KEY_UPDATE		24

/* The kernel hands control records over with their type. */
ssize_t ucpd_ktls_read(struct ucpd_leg *leg, char *p, size_t n,
		       const char **what)
{
	char cbuf[CMSG_SPACE(sizeof(unsigned char))];
	struct iovec iov = { .iov_base = p, .iov_len = n };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	unsigned char type;
	struct cmsghdr *cm;
	ssize_t r;

	*what = NULL;
	for (;;) {
		msg.msg_controllen = sizeof(cbuf);
		r = recvmsg(leg->fd, &msg, 0);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return UCPD_IO_AGAIN;
			*what = "kTLS receive";
			return UCPD_IO_ERROR;
		}
		if (r == 0)
			return 0;
		type = TLS_CT_APPLICATION_DATA;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_TLS &&
			    cm->cmsg_type == TLS_GET_RECORD_TYPE)
				type = *CMSG_DATA(cm);
		if (type == TLS_CT_APPLICATION_DATA)
			return r;
		errno = EPROTO;
		if (type == TLS_CT_ALERT) {
			/* Alert: close_notify ends the stream; others fail it. */
			if (r >= 2 && p[1] == 0)
				return 0;
			*what = "TLS alert";
			return UCPD_IO_ERROR;
		}
		if (type != TLS_CT_HANDSHAKE) {
			*what = "TLS record type";
			return UCPD_IO_ERROR;
		}
		/* Post-handshake messages: NewSessionTicket is not used. */
		if ((unsigned char)p[0] == TLS_HS_NEW_SESSION_TICKET)
			continue;
		if ((unsigned char)p[0] == TLS_HS_KEY_UPDATE) {
			/* The records that follow are under the new key. */
			key_update_unsupported(leg, "on a kTLS receive socket");
			return UCPD_IO_ERROR;
		}
		*what = "TLS post-handshake message";
		return UCPD_IO_ERROR;
	}
}
