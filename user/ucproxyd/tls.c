// SPDX-License-Identifier: GPL-2.0
/*
 * A listener's two OpenSSL contexts, from its certificate roles (the
 * seed's table 47-1):
 *
 *   server role (toward clients): the proxy's certificate and key, or an
 *   imported PKCS#12 (impersonating the real server); client
 *   authentication on or off, against client-ca.
 *
 *   client role (toward the server): none, a static certificate, or one
 *   minted per client with the client's subject (conn.c asks mint.c).
 *   The server is verified against server-ca when that is set.
 *
 * Session tickets are off (a proxy has no use for resumption, and tickets
 * would be one more post-handshake message on a kTLS socket).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "ucproxyd.h"

static int proto_version(int v)
{
	return v == 13 ? TLS1_3_VERSION : TLS1_2_VERSION;
}

static SSL_CTX *ctx_new(const struct ucpd_listener_cfg *cfg, bool server)
{
	SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() :
				   TLS_client_method());

	if (!ctx)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, proto_version(cfg->tls_min));
	SSL_CTX_set_max_proto_version(ctx, proto_version(cfg->tls_max));
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
			    (cfg->ktls ? SSL_OP_ENABLE_KTLS : 0));
	SSL_CTX_set_num_tickets(ctx, 0);
	/* Our relay buffers move between retries of a partial write. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
			 SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (cfg->ktls)
		SSL_CTX_set_keylog_callback(ctx, ucpd_ktls_keylog);
	return ctx;
}

static int fail(const struct ucpd_listener_cfg *cfg, const char *what,
		const char *path)
{
	char e[256];

	ucpd_log(UCPD_ERR, "%s:%u: [listener %s] %s %s: %s", cfg->file,
		 cfg->line, cfg->name, what, path, ucpd_ssl_err(e, sizeof(e)));
	return -1;
}

static int load_pkcs12(SSL_CTX *ctx, const struct ucpd_listener_cfg *cfg)
{
	STACK_OF(X509) *chain = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	PKCS12 *p12;
	FILE *fp;
	int ret = -1;

	fp = fopen(cfg->pkcs12, "rb");
	if (!fp)
		return fail(cfg, "cannot open pkcs12", cfg->pkcs12);
	p12 = d2i_PKCS12_fp(fp, NULL);
	fclose(fp);
	if (!p12)
		return fail(cfg, "not a PKCS#12 file:", cfg->pkcs12);
	if (!PKCS12_parse(p12, cfg->pkcs12_password ? cfg->pkcs12_password : "",
			  &key, &cert, &chain) || !key || !cert) {
		fail(cfg, "cannot decrypt or parse pkcs12 (password?)", cfg->pkcs12);
		goto out;
	}
	if (SSL_CTX_use_cert_and_key(ctx, cert, key, chain, 1) != 1) {
		fail(cfg, "pkcs12 certificate and key do not fit", cfg->pkcs12);
		goto out;
	}
	ret = 0;
out:
	PKCS12_free(p12);
	X509_free(cert);
	EVP_PKEY_free(key);
	sk_X509_pop_free(chain, X509_free);
	return ret;
}

static SSL_CTX *server_ctx(const struct ucpd_listener_cfg *cfg)
{
	SSL_CTX *ctx = ctx_new(cfg, true);

	if (!ctx)
		return NULL;
	if (cfg->pkcs12) {
		if (load_pkcs12(ctx, cfg))
			goto err;
	} else {
		if (SSL_CTX_use_certificate_chain_file(ctx, cfg->certificate) != 1) {
			fail(cfg, "cannot load certificate", cfg->certificate);
			goto err;
		}
		if (SSL_CTX_use_PrivateKey_file(ctx, cfg->key, SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(ctx) != 1) {
			fail(cfg, "cannot load key, or it does not fit the certificate:",
			     cfg->key);
			goto err;
		}
	}
	if (cfg->client_auth) {
		STACK_OF(X509_NAME) *names;

		if (SSL_CTX_load_verify_locations(ctx, cfg->client_ca, NULL) != 1) {
			fail(cfg, "cannot load client-ca", cfg->client_ca);
			goto err;
		}
		names = SSL_load_client_CA_file(cfg->client_ca);
		if (names)
			SSL_CTX_set_client_CA_list(ctx, names);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
				   SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	return ctx;
err:
	SSL_CTX_free(ctx);
	return NULL;
}

static SSL_CTX *client_ctx(const struct ucpd_listener_cfg *cfg)
{
	SSL_CTX *ctx = ctx_new(cfg, false);

	if (!ctx)
		return NULL;
	if (cfg->client_role == UCPD_CLIENT_STATIC) {
		if (SSL_CTX_use_certificate_chain_file(ctx, cfg->client_certificate) != 1) {
			fail(cfg, "cannot load client-certificate",
			     cfg->client_certificate);
			goto err;
		}
		if (SSL_CTX_use_PrivateKey_file(ctx, cfg->client_key,
						SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(ctx) != 1) {
			fail(cfg, "cannot load client-key, or it does not fit:",
			     cfg->client_key);
			goto err;
		}
	}
	if (cfg->server_ca) {
		if (SSL_CTX_load_verify_locations(ctx, cfg->server_ca, NULL) != 1) {
			fail(cfg, "cannot load server-ca", cfg->server_ca);
			goto err;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	return ctx;
err:
	SSL_CTX_free(ctx);
	return NULL;
}

static X509 *read_cert(const char *path)
{
	FILE *fp = fopen(path, "r");
	X509 *x;

	if (!fp)
		return NULL;
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	return x;
}

static EVP_PKEY *read_key(const char *path)
{
	FILE *fp = fopen(path, "r");
	EVP_PKEY *k;

	if (!fp)
		return NULL;
	k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	return k;
}

static int mint_setup(struct ucpd_listener *l)
{
	const struct ucpd_listener_cfg *cfg = &l->cfg;

	l->mint_ca = read_cert(cfg->mint_ca);
	if (!l->mint_ca)
		return fail(cfg, "cannot load mint-ca", cfg->mint_ca);
	l->mint_ca_key = read_key(cfg->mint_ca_key);
	if (!l->mint_ca_key)
		return fail(cfg, "cannot load mint-ca-key", cfg->mint_ca_key);
	if (X509_check_private_key(l->mint_ca, l->mint_ca_key) != 1)
		return fail(cfg, "mint-ca-key does not fit mint-ca", cfg->mint_ca_key);
	/* One key for all minted certificates: minting is one signature. */
	l->mint_key = ucpd_mint_key();
	if (!l->mint_key)
		return fail(cfg, "cannot generate the minted certificates' key", "");
	return 0;
}

int ucpd_tls_setup(struct ucpd_listener *l)
{
	const struct ucpd_listener_cfg *cfg = &l->cfg;

	l->server_ctx = server_ctx(cfg);
	if (!l->server_ctx)
		goto err;
	if (cfg->server_tls) {
		l->client_ctx = client_ctx(cfg);
		if (!l->client_ctx)
			goto err;
		if (!cfg->server_ca)
			ucpd_log(UCPD_WARN, "%s:%u: [listener %s] no server-ca: the server's certificate is not verified",
				 cfg->file, cfg->line, cfg->name);
	}
	if (cfg->client_role == UCPD_CLIENT_MINTED && mint_setup(l))
		goto err;
	return 0;
err:
	ucpd_tls_free(l);
	return -1;
}

void ucpd_tls_free(struct ucpd_listener *l)
{
	SSL_CTX_free(l->server_ctx);
	SSL_CTX_free(l->client_ctx);
	X509_free(l->mint_ca);
	EVP_PKEY_free(l->mint_ca_key);
	EVP_PKEY_free(l->mint_key);
	l->server_ctx = NULL;
	l->client_ctx = NULL;
	l->mint_ca = NULL;
	l->mint_ca_key = NULL;
	l->mint_key = NULL;
}
