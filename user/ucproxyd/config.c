// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file: ini-like sections, one "key = value" a line.
 *
 *   [global]                  timeouts, buffers, limits, stats file
 *   [listener NAME]           one listening socket and its application
 *   [ctl]                     the phone proxy's CTL file (ucproxyd ctl)
 *   [tftp]                    the phone proxy's TFTP proxy
 *
 * Everything is checked before the daemon touches a socket, and the first
 * problem is reported as "file:line: what", so a reload with a bad file
 * keeps the running configuration. Defaults of the certificate roles
 * follow the application (the seed's table 47-1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ucproxy.h>

#include "config.h"
#include "ctl_tlv.h"
#include "ucp_spec.h"

#define CONFIG_MAX_SIZE		(1 << 20)
#define LISTENERS_MAX		64

struct parser {
	const char *file;
	unsigned int line;
	char *err;
	size_t errlen;
	struct ucpd_config *cfg;
	struct ucpd_listener_cfg *cur;	/* NULL: in [global], [ctl] or [tftp] */
	bool in_ctl, in_tftp;
	/* Keys seen in the current section, against duplicates. */
	unsigned long long seen;
	/* Explicitly set in the current listener, against defaults. */
	bool set_client_auth, set_client_role, set_server_tls, set_inspect;
	bool set_mmp_caps;
};

/**
 * ucpd_app_name() - a listener's application class, as the spec names it
 * @app: enum ucp_app
 *
 * Return: the name, or NULL.
 */
const char *ucpd_app_name(uint32_t app)
{
	return ucp_spec_name(&ucp_spec_app, app);
}

static int perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(p->err, p->errlen, "%s:%u: ", p->file, p->line);
	if (n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*e = '\0';
	return s;
}

const char *ucpd_addr_str(const struct sockaddr_storage *ss, char *buf,
			  size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;

		inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(s->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)ss;

		inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(s->sin6_port));
	} else {
		snprintf(buf, len, "?");
	}
	return buf;
}

/* "ADDR:PORT" or "[ADDR6]:PORT"; the port is required and not 0. */
static int parse_addr(struct parser *p, const char *key, const char *v,
		      struct sockaddr_storage *ss, socklen_t *sl)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port;
	unsigned long n;
	size_t hl;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (*v == '[') {
		const char *rb = strchr(v, ']');

		if (!rb || rb[1] != ':')
			return perr(p, "%s: \"%s\" is not [IPv6]:port", key, v);
		hl = (size_t)(rb - v - 1);
		port = rb + 2;
		v++;
	} else {
		port = strrchr(v, ':');
		if (!port)
			return perr(p, "%s: \"%s\" has no :port", key, v);
		hl = (size_t)(port - v);
		port++;
	}
	if (hl >= sizeof(host))
		return perr(p, "%s: address too long", key);
	memcpy(host, v, hl);
	host[hl] = '\0';
	errno = 0;
	n = strtoul(port, &end, 10);
	if (!*port || *end || errno || n == 0 || n > 65535)
		return perr(p, "%s: port \"%s\" is not 1-65535", key, port);
	if (strchr(host, ':')) {
		struct sockaddr_in6 *s6 = (void *)ss;

		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return perr(p, "%s: \"%s\" is not an IPv6 address", key, host);
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)n);
		*sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (void *)ss;

		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return perr(p, "%s: \"%s\" is not an IPv4 address", key, host);
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)n);
		*sl = sizeof(*s4);
	}
	return 0;
}

static int parse_bool(struct parser *p, const char *key, const char *v,
		      bool *out)
{
	if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false")) {
		*out = false;
		return 0;
	}
	return perr(p, "%s: \"%s\" is not on or off", key, v);
}

static int parse_uint(struct parser *p, const char *key, const char *v,
		      unsigned long lo, unsigned long hi, unsigned int *out)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (!*v || *v == '-' || *end || errno || n < lo || n > hi)
		return perr(p, "%s: \"%s\" is not a number from %lu to %lu",
			    key, v, lo, hi);
	*out = (unsigned int)n;
	return 0;
}

static int parse_tls_version(struct parser *p, const char *key, const char *v,
			     int *out)
{
	if (!strcmp(v, "1.2"))
		*out = 12;
	else if (!strcmp(v, "1.3"))
		*out = 13;
	else
		return perr(p, "%s: \"%s\" is not 1.2 or 1.3", key, v);
	return 0;
}

static int set_str(struct parser *p, char **dst, const char *v)
{
	if (!*v)
		return perr(p, "empty value");
	*dst = strdup(v);
	if (!*dst)
		return perr(p, "out of memory");
	return 0;
}

/* Keys of each section; the index is the duplicate-detection bit. */
static const char * const global_keys[] = {
	"handshake-timeout", "idle-timeout", "buffer-size", "max-connections",
	"stats-file",
};

static const char * const listener_keys[] = {
	"application", "mode", "listen", "server", "server-tls", "inspect",
	"certificate", "key", "pkcs12", "pkcs12-password", "client-auth",
	"client-ca", "client-role", "client-certificate", "client-key",
	"mint-ca", "mint-ca-key", "server-ca", "tls-min", "tls-max", "ktls",
	"ktls-tls13-rx", "mmp-header-max", "mmp-content-max",
};

static const char * const ctl_keys[] = {
	"sast-certificate", "sast-key", "certificate", "address", "digest",
	"import", "file-name",
};

static const char * const tftp_keys[] = {
	"listen", "server", "outside-address", "security-mode", "sip-tls-port",
	"max-transfers", "timeout", "retries", "max-config-size",
	"cache-entries", "cache-ttl", "rewrite-phones", "mode",
};

static int key_index(const char * const *keys, size_t n, const char *k)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(keys[i], k))
			return (int)i;
	return -1;
}

static int global_kv(struct parser *p, int k, const char *key, const char *v)
{
	struct ucpd_config *c = p->cfg;

	switch (k) {
	case 0:
		return parse_uint(p, key, v, 1, 3600, &c->handshake_timeout);
	case 1:
		return parse_uint(p, key, v, 1, 7 * 86400, &c->idle_timeout);
	case 2:
		/* A whole SIP message (16 KiB) must fit, rewritten. */
		return parse_uint(p, key, v, 4096, 1 << 20, &c->buffer_size);
	case 3:
		return parse_uint(p, key, v, 1, 1000000, &c->max_connections);
	case 4:
		return set_str(p, &c->stats_file, v);
	}
	return perr(p, "unknown key \"%s\" in [global]", key);
}

static int listener_kv(struct parser *p, int k, const char *key, const char *v)
{
	struct ucpd_listener_cfg *l = p->cur;
	uint32_t app;

	switch (k) {
	case 0:
		/* srtp is a class of media sessions, not of a listener. */
		app = (uint32_t)ucp_spec_value(&ucp_spec_app, v);
		if (app == (uint32_t)-1 || app == UCP_APP_SRTP)
			return perr(p, "application: \"%s\" is not phone-proxy, tls-proxy, mobility, presence-fed or ime",
				    v);
		l->app = app;
		return 0;
	case 1:
		if (!strcmp(v, "explicit"))
			l->mode = UCPD_MODE_EXPLICIT;
		else if (!strcmp(v, "transparent"))
			l->mode = UCPD_MODE_TRANSPARENT;
		else
			return perr(p, "mode: \"%s\" is not explicit or transparent", v);
		return 0;
	case 2:
		return parse_addr(p, key, v, &l->listen, &l->listen_len);
	case 3:
		return parse_addr(p, key, v, &l->server, &l->server_len);
	case 4:
		p->set_server_tls = true;
		return parse_bool(p, key, v, &l->server_tls);
	case 5:
		p->set_inspect = true;
		if (!strcmp(v, "none"))
			l->inspect = UCPD_INSPECT_NONE;
		else if (!strcmp(v, "sip"))
			l->inspect = UCPD_INSPECT_SIP;
		else if (!strcmp(v, "sccp"))
			l->inspect = UCPD_INSPECT_SCCP;
		else if (!strcmp(v, "mmp"))
			l->inspect = UCPD_INSPECT_MMP;
		else
			return perr(p, "inspect: \"%s\" is not sip, sccp, mmp or none", v);
		return 0;
	case 6:
		return set_str(p, &l->certificate, v);
	case 7:
		return set_str(p, &l->key, v);
	case 8:
		return set_str(p, &l->pkcs12, v);
	case 9:
		return set_str(p, &l->pkcs12_password, v);
	case 10:
		p->set_client_auth = true;
		return parse_bool(p, key, v, &l->client_auth);
	case 11:
		return set_str(p, &l->client_ca, v);
	case 12:
		p->set_client_role = true;
		if (!strcmp(v, "none"))
			l->client_role = UCPD_CLIENT_NONE;
		else if (!strcmp(v, "minted"))
			l->client_role = UCPD_CLIENT_MINTED;
		else if (!strcmp(v, "static"))
			l->client_role = UCPD_CLIENT_STATIC;
		else
			return perr(p, "client-role: \"%s\" is not none, minted or static", v);
		return 0;
	case 13:
		return set_str(p, &l->client_certificate, v);
	case 14:
		return set_str(p, &l->client_key, v);
	case 15:
		return set_str(p, &l->mint_ca, v);
	case 16:
		return set_str(p, &l->mint_ca_key, v);
	case 17:
		return set_str(p, &l->server_ca, v);
	case 18:
		return parse_tls_version(p, key, v, &l->tls_min);
	case 19:
		return parse_tls_version(p, key, v, &l->tls_max);
	case 20:
		return parse_bool(p, key, v, &l->ktls);
	case 21:
		return parse_bool(p, key, v, &l->ktls_tls13_rx);
	case 22:
		p->set_mmp_caps = true;
		return parse_uint(p, key, v, 1, UCPD_MMP_CAP_MAX, &l->mmp_header_max);
	case 23:
		p->set_mmp_caps = true;
		return parse_uint(p, key, v, 1, UCPD_MMP_CAP_MAX, &l->mmp_content_max);
	}
	return perr(p, "unknown key \"%s\" in [listener %s]", key, l->name);
}

static int ctl_kv(struct parser *p, int k, const char *key, const char *v)
{
	struct ucpd_ctl_cfg *c = p->cfg->ctl;

	switch (k) {
	case 0:
		return set_str(p, &c->sast_certificate, v);
	case 1:
		return set_str(p, &c->sast_key, v);
	case 2:
		return set_str(p, &c->certificate, v);
	case 3:
		/* The record holds four bytes: IPv4 only. */
		if (inet_pton(AF_INET, v, &c->address) != 1)
			return perr(p, "address: \"%s\" is not an IPv4 address", v);
		c->has_address = true;
		return 0;
	case 4:
		if (!strcmp(v, "sha1"))
			c->digest = UCPD_CTL_DIGEST_SHA1;
		else if (!strcmp(v, "sha256"))
			c->digest = UCPD_CTL_DIGEST_SHA256;
		else
			return perr(p, "digest: \"%s\" is not sha1 or sha256", v);
		return 0;
	case 5:
		return set_str(p, &c->import, v);
	case 6:
		/* Phones compare it with the name they asked for. */
		if (strpbrk(v, "/\\") || strlen(v) > 255)
			return perr(p, "file-name: \"%s\" is not a file name (255 characters at most)",
				    v);
		return set_str(p, &c->file_name, v);
	}
	return perr(p, "unknown key \"%s\" in [ctl]", key);
}

/* "all", or MAC addresses (12 hex digits) separated by commas or blanks. */
static int parse_macs(struct parser *p, const char *v, struct ucpd_tftp_cfg *t)
{
	const char *sep = ", \t";
	size_t n, i;

	if (!strcmp(v, "all"))
		return 0;
	while (*v) {
		v += strspn(v, sep);
		n = strcspn(v, sep);
		if (!n)
			break;
		for (i = 0; i < n && i < 12; i++)
			if (!strchr("0123456789abcdefABCDEF", v[i]))
				break;
		if (n != 12 || i != 12)
			return perr(p, "rewrite-phones: \"%.*s\" is not a MAC address of 12 hex digits",
				    (int)(n > 40 ? 40 : n), v);
		if (t->n_macs == UCPD_TFTP_MACS_MAX)
			return perr(p, "rewrite-phones: more than %d phones",
				    UCPD_TFTP_MACS_MAX);
		for (i = 0; i < 12; i++)
			t->macs[t->n_macs][i] = (char)(v[i] >= 'a' ? v[i] - 32 : v[i]);
		t->macs[t->n_macs++][12] = '\0';
		v += n;
	}
	if (!t->n_macs)
		return perr(p, "rewrite-phones: \"all\" or MAC addresses");
	return 0;
}

static int tftp_kv(struct parser *p, int k, const char *key, const char *v)
{
	struct ucpd_tftp_cfg *t = p->cfg->tftp;
	struct in6_addr a6;
	struct in_addr a4;

	switch (k) {
	case 0:
		return parse_addr(p, key, v, &t->listen, &t->listen_len);
	case 1:
		return parse_addr(p, key, v, &t->server, &t->server_len);
	case 2:
		if (inet_pton(AF_INET, v, &a4) != 1 &&
		    inet_pton(AF_INET6, v, &a6) != 1)
			return perr(p, "outside-address: \"%s\" is not an IPv4 or IPv6 address",
				    v);
		snprintf(t->outside, sizeof(t->outside), "%s", v);
		return 0;
	case 3:
		if (!strcmp(v, "encrypted"))
			t->security_mode = 3;
		else if (!strcmp(v, "authenticated"))
			t->security_mode = 2;
		else
			return perr(p, "security-mode: \"%s\" is not encrypted or authenticated",
				    v);
		return 0;
	case 4:
		return parse_uint(p, key, v, 1, 65535, &t->sip_tls_port);
	case 5:
		return parse_uint(p, key, v, 1, 10000, &t->max_transfers);
	case 6:
		/* RFC 2349's range. */
		return parse_uint(p, key, v, 1, 255, &t->timeout);
	case 7:
		return parse_uint(p, key, v, 0, 20, &t->retries);
	case 8:
		return parse_uint(p, key, v, 512, 16 << 20, &t->max_config_size);
	case 9:
		return parse_uint(p, key, v, 0, 100000, &t->cache_entries);
	case 10:
		return parse_uint(p, key, v, 1, 86400, &t->cache_ttl);
	case 11:
		return parse_macs(p, v, t);
	case 12:
		if (!strcmp(v, "explicit"))
			t->transparent = false;
		else if (!strcmp(v, "transparent"))
			t->transparent = true;
		else
			return perr(p, "mode: \"%s\" is not explicit or transparent", v);
		return 0;
	}
	return perr(p, "unknown key \"%s\" in [tftp]", key);
}

/* [tftp] just ended: errors at its header. */
static int tftp_end(struct parser *p)
{
	struct ucpd_tftp_cfg *t = p->cfg->tftp;
	unsigned int line = p->line;
	int ret = 0;

	p->line = t->line;
	if (!t->listen_len || !t->server_len || !t->outside[0])
		ret = perr(p, "[tftp] needs listen, server and outside-address");
	p->line = line;
	return ret;
}

/* [ctl] just ended: errors at its header. */
static int ctl_end(struct parser *p)
{
	struct ucpd_ctl_cfg *c = p->cfg->ctl;
	unsigned int line = p->line;
	int ret = 0;

	p->line = c->line;
	if (!c->sast_certificate || !c->sast_key)
		ret = perr(p, "[ctl] needs sast-certificate and sast-key");
	p->line = line;
	return ret;
}

/*
 * Table 47-1: client authentication and the proxy's certificate toward
 * the server, by application, where the file does not say; and the
 * mobility proxy inspects MMP.
 */
static void app_defaults(struct parser *p)
{
	struct ucpd_listener_cfg *l = p->cur;
	bool auth = true;
	enum ucpd_client_role role = UCPD_CLIENT_STATIC;

	switch (l->app) {
	case UCP_APP_PHONE_PROXY:
	case UCP_APP_TLS_PROXY:
		role = UCPD_CLIENT_MINTED;
		break;
	case UCP_APP_MOBILITY:
		/* UMA clients present no certificate. */
		auth = false;
		if (!p->set_inspect)
			l->inspect = UCPD_INSPECT_MMP;
		break;
	default:
		break;
	}
	if (!p->set_client_auth)
		l->client_auth = auth;
	if (!p->set_client_role)
		l->client_role = role;
}

static bool same_addr(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return !memcmp(a, b, sizeof(struct sockaddr_in));
	return !memcmp(a, b, sizeof(struct sockaddr_in6));
}

/* The section just ended: complete and check it, errors at its header. */
static int listener_check(struct parser *p);

static int listener_end(struct parser *p)
{
	unsigned int line = p->line;
	int ret;

	p->line = p->cur->line;
	ret = listener_check(p);
	p->line = line;
	return ret;
}

static int listener_check(struct parser *p)
{
	struct ucpd_listener_cfg *l = p->cur;
	const char *app = ucpd_app_name(l->app);
	unsigned int i;

	if (!l->app)
		return perr(p, "[listener %s] needs application", l->name);
	if (!l->listen_len)
		return perr(p, "[listener %s] needs listen", l->name);
	for (i = 0; i + 1 < p->cfg->n_listeners; i++)
		if (same_addr(&p->cfg->listeners[i].listen, &l->listen))
			return perr(p, "[listener %s] listens where [listener %s] does",
				    l->name, p->cfg->listeners[i].name);
	if (l->mode == UCPD_MODE_EXPLICIT && !l->server_len)
		return perr(p, "[listener %s] explicit mode needs server", l->name);
	if (l->mode == UCPD_MODE_TRANSPARENT && l->server_len)
		return perr(p, "[listener %s] transparent mode connects to the original destination: remove server",
			    l->name);
	if (!l->certificate == !l->pkcs12)
		return perr(p, "[listener %s] needs either certificate and key, or pkcs12",
			    l->name);
	if (l->certificate && !l->key)
		return perr(p, "[listener %s] certificate needs key", l->name);
	if (l->key && !l->certificate)
		return perr(p, "[listener %s] key needs certificate", l->name);
	if (l->pkcs12_password && !l->pkcs12)
		return perr(p, "[listener %s] pkcs12-password without pkcs12", l->name);
	if (l->tls_min > l->tls_max)
		return perr(p, "[listener %s] tls-min is above tls-max", l->name);
	app_defaults(p);
	if (p->set_mmp_caps && l->inspect != UCPD_INSPECT_MMP)
		return perr(p, "[listener %s] mmp-header-max and mmp-content-max need inspect = mmp",
			    l->name);
	if (l->client_auth && !l->client_ca)
		return perr(p, "[listener %s] client-auth on (%s%s) needs client-ca",
			    l->name, p->set_client_auth ? "set" : "the default of ",
			    p->set_client_auth ? "" : app);
	if (!l->server_tls) {
		if (p->set_client_role && l->client_role != UCPD_CLIENT_NONE)
			return perr(p, "[listener %s] client-role needs server-tls on",
				    l->name);
		l->client_role = UCPD_CLIENT_NONE;
	}
	switch (l->client_role) {
	case UCPD_CLIENT_MINTED:
		if (!l->mint_ca || !l->mint_ca_key)
			return perr(p, "[listener %s] client-role minted (%s%s) needs mint-ca and mint-ca-key",
				    l->name,
				    p->set_client_role ? "set" : "the default of ",
				    p->set_client_role ? "" : app);
		if (!l->client_auth)
			return perr(p, "[listener %s] client-role minted copies the client's subject: it needs client-auth on",
				    l->name);
		break;
	case UCPD_CLIENT_STATIC:
		if (!l->client_certificate || !l->client_key)
			return perr(p, "[listener %s] client-role static (%s%s) needs client-certificate and client-key",
				    l->name,
				    p->set_client_role ? "set" : "the default of ",
				    p->set_client_role ? "" : app);
		break;
	case UCPD_CLIENT_NONE:
		break;
	}
	return 0;
}

static int section(struct parser *p, char *s)
{
	struct ucpd_listener_cfg *ls, *l;
	char *name, *end = strchr(s, ']');
	unsigned int i;

	if (!end || trim(end + 1)[0])
		return perr(p, "section header must be [global], [listener NAME], [ctl] or [tftp]");
	*end = '\0';
	s = trim(s + 1);
	if (p->cur && listener_end(p))
		return -1;
	if (p->in_ctl && ctl_end(p))
		return -1;
	if (p->in_tftp && tftp_end(p))
		return -1;
	p->cur = NULL;
	p->in_ctl = false;
	p->in_tftp = false;
	p->seen = 0;
	p->set_client_auth = false;
	p->set_client_role = false;
	p->set_server_tls = false;
	p->set_inspect = false;
	p->set_mmp_caps = false;
	if (!strcmp(s, "global"))
		return 0;
	if (!strcmp(s, "ctl")) {
		if (p->cfg->ctl)
			return perr(p, "[ctl] is defined twice");
		p->cfg->ctl = calloc(1, sizeof(*p->cfg->ctl));
		if (!p->cfg->ctl)
			return perr(p, "out of memory");
		p->cfg->ctl->line = p->line;
		p->cfg->ctl->digest = UCPD_CTL_DIGEST_SHA1;
		p->in_ctl = true;
		return 0;
	}
	if (!strcmp(s, "tftp")) {
		struct ucpd_tftp_cfg *t;

		if (p->cfg->tftp)
			return perr(p, "[tftp] is defined twice");
		t = calloc(1, sizeof(*t));
		if (!t)
			return perr(p, "out of memory");
		t->line = p->line;
		t->security_mode = 3;
		t->sip_tls_port = 5061;
		t->max_transfers = 64;
		t->timeout = 2;
		t->retries = 5;
		t->max_config_size = 256 << 10;
		t->cache_entries = 64;
		t->cache_ttl = 60;
		p->cfg->tftp = t;
		p->in_tftp = true;
		return 0;
	}
	if (strncmp(s, "listener", 8) || (s[8] != ' ' && s[8] != '\t'))
		return perr(p, "unknown section [%s]: [global], [listener NAME], [ctl] or [tftp]", s);
	name = trim(s + 8);
	if (!*name || strlen(name) >= UCPD_NAME_MAX || strpbrk(name, " \t"))
		return perr(p, "listener name must be one word of at most %d characters",
			    UCPD_NAME_MAX - 1);
	for (i = 0; i < p->cfg->n_listeners; i++)
		if (!strcmp(p->cfg->listeners[i].name, name))
			return perr(p, "[listener %s] is defined twice", name);
	if (p->cfg->n_listeners == LISTENERS_MAX)
		return perr(p, "more than %d listeners", LISTENERS_MAX);
	ls = realloc(p->cfg->listeners, (p->cfg->n_listeners + 1) * sizeof(*ls));
	if (!ls)
		return perr(p, "out of memory");
	p->cfg->listeners = ls;
	l = &ls[p->cfg->n_listeners++];
	memset(l, 0, sizeof(*l));
	strcpy(l->name, name);
	l->line = p->line;
	l->file = strdup(p->file);
	if (!l->file)
		return perr(p, "out of memory");
	l->server_tls = true;
	l->tls_min = 12;
	l->tls_max = 13;
	l->ktls = true;
	l->ktls_tls13_rx = true;
	l->mmp_header_max = UCPD_MMP_CAP_DEFAULT;
	l->mmp_content_max = UCPD_MMP_CAP_DEFAULT;
	p->cur = l;
	return 0;
}

static int line(struct parser *p, char *s)
{
	const char * const *keys;
	char *eq, *key, *v;
	size_t nkeys;
	int k;

	s = trim(s);
	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[')
		return section(p, s);
	eq = strchr(s, '=');
	if (!eq)
		return perr(p, "expected \"key = value\"");
	*eq = '\0';
	key = trim(s);
	v = trim(eq + 1);
	if (!*v)
		return perr(p, "%s: empty value", key);
	if (p->cur) {
		keys = listener_keys;
		nkeys = sizeof(listener_keys) / sizeof(listener_keys[0]);
	} else if (p->in_ctl) {
		keys = ctl_keys;
		nkeys = sizeof(ctl_keys) / sizeof(ctl_keys[0]);
	} else if (p->in_tftp) {
		keys = tftp_keys;
		nkeys = sizeof(tftp_keys) / sizeof(tftp_keys[0]);
	} else {
		keys = global_keys;
		nkeys = sizeof(global_keys) / sizeof(global_keys[0]);
	}
	k = key_index(keys, nkeys, key);
	if (k < 0) {
		if (p->cur)
			return perr(p, "unknown key \"%s\" in [listener %s]",
				    key, p->cur->name);
		if (p->in_ctl)
			return perr(p, "unknown key \"%s\" in [ctl]", key);
		if (p->in_tftp)
			return perr(p, "unknown key \"%s\" in [tftp]", key);
		return perr(p, "unknown key \"%s\" in [global]", key);
	}
	if (p->seen & (1ull << k))
		return perr(p, "%s is set twice in this section", key);
	p->seen |= 1ull << k;
	if (p->cur)
		return listener_kv(p, k, key, v);
	if (p->in_tftp)
		return tftp_kv(p, k, key, v);
	return p->in_ctl ? ctl_kv(p, k, key, v) : global_kv(p, k, key, v);
}

int ucpd_config_parse_buf(const char *file, const char *text, size_t len,
			  struct ucpd_config *cfg, char *err, size_t errlen)
{
	struct parser p = {
		.file = file, .err = err, .errlen = errlen, .cfg = cfg,
	};
	char *copy, *s, *nl;
	int ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->handshake_timeout = 10;
	cfg->idle_timeout = 3600;
	cfg->buffer_size = 32768;
	cfg->max_connections = 10000;
	if (memchr(text, '\0', len)) {
		p.line = 1;
		return perr(&p, "the file contains a NUL byte");
	}
	copy = malloc(len + 1);
	if (!copy) {
		p.line = 0;
		return perr(&p, "out of memory");
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (s = copy; s && !ret; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		else if (!*s)
			break;
		p.line++;
		ret = line(&p, s);
	}
	free(copy);
	if (!ret && p.cur)
		ret = listener_end(&p);
	if (!ret && p.in_ctl)
		ret = ctl_end(&p);
	if (!ret && p.in_tftp)
		ret = tftp_end(&p);
	if (!ret && !cfg->n_listeners && !cfg->tftp) {
		p.line = p.line ? p.line : 1;
		ret = perr(&p, "no [listener NAME] or [tftp] section: nothing to do");
	}
	if (ret)
		ucpd_config_free(cfg);
	return ret;
}

int ucpd_config_load(const char *path, struct ucpd_config *cfg, char *err,
		     size_t errlen)
{
	char *buf = NULL;
	size_t len = 0, n;
	FILE *fp;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(CONFIG_MAX_SIZE + 1);
	if (!buf) {
		fclose(fp);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	while ((n = fread(buf + len, 1, CONFIG_MAX_SIZE + 1 - len, fp)) > 0)
		len += n;
	if (ferror(fp) || len > CONFIG_MAX_SIZE) {
		snprintf(err, errlen, "%s: %s", path,
			 ferror(fp) ? "read error" : "larger than 1 MiB");
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	ret = ucpd_config_parse_buf(path, buf, len, cfg, err, errlen);
	free(buf);
	return ret;
}

void ucpd_listener_cfg_free(struct ucpd_listener_cfg *l)
{
	free(l->file);
	free(l->certificate);
	free(l->key);
	free(l->pkcs12);
	if (l->pkcs12_password) {
		/* A secret: wiped, not only freed. */
		explicit_bzero(l->pkcs12_password, strlen(l->pkcs12_password));
		free(l->pkcs12_password);
	}
	free(l->client_ca);
	free(l->client_certificate);
	free(l->client_key);
	free(l->mint_ca);
	free(l->mint_ca_key);
	free(l->server_ca);
}

void ucpd_config_free(struct ucpd_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->n_listeners; i++)
		ucpd_listener_cfg_free(&cfg->listeners[i]);
	free(cfg->listeners);
	free(cfg->stats_file);
	if (cfg->ctl) {
		free(cfg->ctl->sast_certificate);
		free(cfg->ctl->sast_key);
		free(cfg->ctl->certificate);
		free(cfg->ctl->import);
		free(cfg->ctl->file_name);
		free(cfg->ctl);
	}
	free(cfg->tftp);
	memset(cfg, 0, sizeof(*cfg));
}
