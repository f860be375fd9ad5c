// SPDX-License-Identifier: GPL-2.0
/*
 * ucproxyd's configuration parser: a full file, the defaults of table
 * 47-1, and each kind of mistake reported as "file:line: what".
 */
#include <kunit/test.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <linux/ucproxy.h>

#include "config.h"

#define BASE "[listener p]\napplication = phone-proxy\nlisten = 192.0.2.1:5061\n" \
	     "server = 10.9.0.2:5061\ncertificate = c.pem\nkey = k.pem\n"         \
	     "client-ca = ca.pem\nmint-ca = m.pem\nmint-ca-key = m.key\n"

static int parse(const char *text, struct ucpd_config *cfg, char *err)
{
	return ucpd_config_parse_buf("t.conf", text, strlen(text), cfg, err,
				     UCPD_ERR_MAX);
}

static void full_file_test(struct kunit *test)
{
	static const char text[] =
		"# comment\n"
		"[global]\n"
		"handshake-timeout = 7\n"
		"idle-timeout = 600\n"
		"buffer-size = 65536\n"
		"max-connections = 2000\n"
		"stats-file = /run/ucproxyd.stats\n"
		"\n"
		"[listener phones]\r\n"
		"  application   =   tls-proxy  \n"
		"mode = transparent\n"
		"listen = [2001:db8::1]:15061\n"
		"inspect = sip\n"
		"pkcs12 = cucm.p12\n"
		"pkcs12-password = secret\n"
		"client-ca = phones.pem\n"
		"client-role = static\n"
		"client-certificate = cc.pem\n"
		"client-key = ck.pem\n"
		"server-ca = cucm-ca.pem\n"
		"tls-min = 1.3\n"
		"ktls = off\n"
		"; another comment\n"
		"[listener cm]\n"
		"application = mobility\n"
		"listen = 0.0.0.0:5062\n"
		"server = 10.0.0.1:5062\n"
		"server-tls = off\n"
		"certificate = c.pem\n"
		"key = k.pem\n";
	const struct sockaddr_in6 *s6;
	struct ucpd_listener_cfg *l;
	char err[UCPD_ERR_MAX] = "";
	struct ucpd_config cfg;

	KUNIT_ASSERT_EQ_MSG(test, parse(text, &cfg, err), 0, "%s", err);
	KUNIT_EXPECT_EQ(test, cfg.handshake_timeout, 7);
	KUNIT_EXPECT_EQ(test, cfg.idle_timeout, 600);
	KUNIT_EXPECT_EQ(test, cfg.buffer_size, 65536);
	KUNIT_EXPECT_EQ(test, cfg.max_connections, 2000);
	KUNIT_EXPECT_STREQ(test, cfg.stats_file, "/run/ucproxyd.stats");
	KUNIT_ASSERT_EQ(test, cfg.n_listeners, 2);
	l = &cfg.listeners[0];
	KUNIT_EXPECT_STREQ(test, l->name, "phones");
	KUNIT_EXPECT_EQ(test, l->line, 9);
	KUNIT_EXPECT_EQ(test, l->app, UCP_APP_TLS_PROXY);
	KUNIT_EXPECT_EQ(test, l->mode, UCPD_MODE_TRANSPARENT);
	KUNIT_EXPECT_EQ(test, l->inspect, UCPD_INSPECT_SIP);
	s6 = (const void *)&l->listen;
	KUNIT_EXPECT_EQ(test, s6->sin6_family, AF_INET6);
	KUNIT_EXPECT_EQ(test, ntohs(s6->sin6_port), 15061);
	KUNIT_EXPECT_STREQ(test, l->pkcs12, "cucm.p12");
	KUNIT_EXPECT_STREQ(test, l->pkcs12_password, "secret");
	KUNIT_EXPECT_TRUE(test, l->client_auth);
	KUNIT_EXPECT_EQ(test, l->client_role, UCPD_CLIENT_STATIC);
	KUNIT_EXPECT_EQ(test, l->tls_min, 13);
	KUNIT_EXPECT_EQ(test, l->tls_max, 13);
	KUNIT_EXPECT_FALSE(test, l->ktls);
	KUNIT_EXPECT_TRUE(test, l->server_tls);
	l = &cfg.listeners[1];
	KUNIT_EXPECT_EQ(test, l->app, UCP_APP_MOBILITY);
	KUNIT_EXPECT_FALSE(test, l->server_tls);
	/* Table 47-1: mobility clients present no certificate. */
	KUNIT_EXPECT_FALSE(test, l->client_auth);
	KUNIT_EXPECT_EQ(test, l->client_role, UCPD_CLIENT_NONE);
	KUNIT_EXPECT_TRUE(test, l->ktls);
	ucpd_config_free(&cfg);
	KUNIT_EXPECT_EQ(test, cfg.n_listeners, 0);
}

/* Table 47-1 where the file says nothing. */
static void defaults_test(struct kunit *test)
{
	char err[UCPD_ERR_MAX] = "";
	struct ucpd_config cfg;

	KUNIT_ASSERT_EQ_MSG(test, parse(BASE, &cfg, err), 0, "%s", err);
	KUNIT_EXPECT_EQ(test, cfg.handshake_timeout, 10);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].mode, UCPD_MODE_EXPLICIT);
	KUNIT_EXPECT_TRUE(test, cfg.listeners[0].client_auth);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].client_role, UCPD_CLIENT_MINTED);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].inspect, UCPD_INSPECT_NONE);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].tls_min, 12);
	ucpd_config_free(&cfg);

	/* Presence federation: both sides authenticate, static certificate. */
	KUNIT_ASSERT_EQ_MSG(test, parse(
		"[listener f]\napplication = presence-fed\n"
		"listen = 192.0.2.1:5061\nserver = 10.9.0.2:5061\n"
		"certificate = c\nkey = k\nclient-ca = ca\n"
		"client-certificate = up.pem\nclient-key = up.key\n",
		&cfg, err), 0, "%s", err);
	KUNIT_EXPECT_TRUE(test, cfg.listeners[0].client_auth);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].client_role, UCPD_CLIENT_STATIC);
	ucpd_config_free(&cfg);
}

/* Both protocols the kernel inspects are framed by the agent. */
static void inspect_test(struct kunit *test)
{
	char err[UCPD_ERR_MAX] = "";
	struct ucpd_config cfg;

	KUNIT_ASSERT_EQ_MSG(test, parse(BASE "inspect = sccp\n", &cfg, err), 0,
			    "%s", err);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].inspect, UCPD_INSPECT_SCCP);
	ucpd_config_free(&cfg);
	KUNIT_ASSERT_EQ_MSG(test, parse(BASE "inspect = sip\n", &cfg, err), 0,
			    "%s", err);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].inspect, UCPD_INSPECT_SIP);
	ucpd_config_free(&cfg);
	KUNIT_EXPECT_EQ(test, parse(BASE "inspect = mgcp\n", &cfg, err), -1);
	KUNIT_EXPECT_STREQ(test, err, "t.conf:10: inspect: \"mgcp\" is not sip, sccp, mmp or none");
}

#define MOBILITY "[listener m]\napplication = mobility\nlisten = 192.0.2.1:5443\n" \
	"server = 10.9.0.2:5443\npkcs12 = uma.p12\n"			      \
	"client-certificate = c.pem\nclient-key = c.key\n"

/* MMP: the mobility proxy's default, with its caps (4096 unless set). */
static void mmp_test(struct kunit *test)
{
	char err[UCPD_ERR_MAX] = "";
	struct ucpd_config cfg;

	KUNIT_ASSERT_EQ_MSG(test, parse(MOBILITY, &cfg, err), 0, "%s", err);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].inspect, UCPD_INSPECT_MMP);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].mmp_header_max, 4096);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].mmp_content_max, 4096);
	ucpd_config_free(&cfg);

	KUNIT_ASSERT_EQ_MSG(test, parse(MOBILITY "mmp-header-max = 16384\n"
					"mmp-content-max = 1\n", &cfg, err), 0,
			    "%s", err);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].mmp_header_max, 16384);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].mmp_content_max, 1);
	ucpd_config_free(&cfg);

	/* Turned off, or asked for elsewhere. */
	KUNIT_ASSERT_EQ_MSG(test, parse(MOBILITY "inspect = none\n", &cfg, err), 0,
			    "%s", err);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].inspect, UCPD_INSPECT_NONE);
	ucpd_config_free(&cfg);
	KUNIT_ASSERT_EQ_MSG(test, parse(BASE "inspect = mmp\n", &cfg, err), 0,
			    "%s", err);
	KUNIT_EXPECT_EQ(test, cfg.listeners[0].inspect, UCPD_INSPECT_MMP);
	ucpd_config_free(&cfg);

	KUNIT_EXPECT_EQ(test, parse(MOBILITY "mmp-header-max = 16385\n", &cfg, err), -1);
	KUNIT_EXPECT_STREQ(test, err, "t.conf:8: mmp-header-max: \"16385\" is not a number from 1 to 16384");
	KUNIT_EXPECT_EQ(test, parse(MOBILITY "mmp-content-max = 0\n", &cfg, err), -1);
	KUNIT_EXPECT_STREQ(test, err, "t.conf:8: mmp-content-max: \"0\" is not a number from 1 to 16384");
	KUNIT_EXPECT_EQ(test, parse(MOBILITY "inspect = none\nmmp-content-max = 10\n",
				    &cfg, err), -1);
	KUNIT_EXPECT_STREQ(test, err,
			   "t.conf:1: [listener m] mmp-header-max and mmp-content-max need inspect = mmp");
}

struct bad_case {
	const char *text;
	const char *err;
};

static const struct bad_case bad_cases[] = {
	{ "[global]\nfoo = 1\n[listener p]\n", "t.conf:2: unknown key \"foo\" in [global]" },
	{ BASE "bogus = 1\n", "t.conf:10: unknown key \"bogus\" in [listener p]" },
	{ BASE "key = x\n", "t.conf:10: key is set twice in this section" },
	{ "[listener p]\nlisten 192.0.2.1:1\n", "t.conf:2: expected \"key = value\"" },
	{ "[listener p]\nlisten =\n", "t.conf:2: listen: empty value" },
	{ "[global\n", "t.conf:1: section header must be [global], [listener NAME], [ctl] or [tftp]" },
	{ "[server x]\n", "t.conf:1: unknown section [server x]: [global], [listener NAME], [ctl] or [tftp]" },
	{ "[listener]\n", "t.conf:1: unknown section [listener]: [global], [listener NAME], [ctl] or [tftp]" },
	{ BASE "[listener p]\n", "t.conf:10: [listener p] is defined twice" },
	{ "[global]\nidle-timeout = 0\n[listener p]\n",
	  "t.conf:2: idle-timeout: \"0\" is not a number from 1 to 604800" },
	{ "[global]\nbuffer-size = -5\n", "t.conf:2: buffer-size: \"-5\" is not a number from 4096 to 1048576" },
	{ "[listener p]\nlisten = 192.0.2.1\n", "t.conf:2: listen: \"192.0.2.1\" has no :port" },
	{ "[listener p]\nlisten = 192.0.2.300:5061\n", "t.conf:2: listen: \"192.0.2.300\" is not an IPv4 address" },
	{ "[listener p]\nlisten = 192.0.2.1:0\n", "t.conf:2: listen: port \"0\" is not 1-65535" },
	{ "[listener p]\nlisten = [::1:5061\n", "t.conf:2: listen: \"[::1:5061\" is not [IPv6]:port" },
	{ "[listener p]\napplication = voip\n",
	  "t.conf:2: application: \"voip\" is not phone-proxy, tls-proxy, mobility, presence-fed or ime" },
	{ "[listener p]\nktls = maybe\n", "t.conf:2: ktls: \"maybe\" is not on or off" },
	{ "[listener p]\ntls-min = 1.1\n", "t.conf:2: tls-min: \"1.1\" is not 1.2 or 1.3" },
	/* Checks of a whole section name the section's line. */
	{ "\n[listener p]\nlisten = 192.0.2.1:5061\n", "t.conf:2: [listener p] needs application" },
	{ "[listener p]\napplication = ime\n", "t.conf:1: [listener p] needs listen" },
	{ "[listener p]\napplication = ime\nlisten = 192.0.2.1:5061\n",
	  "t.conf:1: [listener p] explicit mode needs server" },
	{ BASE "mode = transparent\n",
	  "t.conf:1: [listener p] transparent mode connects to the original destination: remove server" },
	{ "[listener p]\napplication = ime\nlisten = 192.0.2.1:5061\nserver = 10.0.0.1:1\n",
	  "t.conf:1: [listener p] needs either certificate and key, or pkcs12" },
	{ BASE "pkcs12 = x.p12\n", "t.conf:1: [listener p] needs either certificate and key, or pkcs12" },
	{ BASE "tls-min = 1.3\ntls-max = 1.2\n", "t.conf:1: [listener p] tls-min is above tls-max" },
	{ "[listener p]\napplication = phone-proxy\nlisten = 192.0.2.1:5061\nserver = 10.0.0.1:1\n"
	  "certificate = c\nkey = k\n",
	  "t.conf:1: [listener p] client-auth on (the default of phone-proxy) needs client-ca" },
	{ "[listener p]\napplication = phone-proxy\nlisten = 192.0.2.1:5061\nserver = 10.0.0.1:1\n"
	  "certificate = c\nkey = k\nclient-ca = ca\n",
	  "t.conf:1: [listener p] client-role minted (the default of phone-proxy) needs mint-ca and mint-ca-key" },
	{ BASE "client-auth = off\n",
	  "t.conf:1: [listener p] client-role minted copies the client's subject: it needs client-auth on" },
	{ BASE "client-role = static\n",
	  "t.conf:1: [listener p] client-role static (set) needs client-certificate and client-key" },
	{ BASE "server-tls = off\nclient-role = minted\n",
	  "t.conf:1: [listener p] client-role needs server-tls on" },
	{ BASE "[listener q]\napplication = mobility\nlisten = 192.0.2.1:5061\nserver = 10.0.0.1:1\n"
	  "certificate = c\nkey = k\nclient-role = none\n",
	  "t.conf:10: [listener q] listens where [listener p] does" },
	/* [ctl]: the CTL file's section. */
	{ BASE "[ctl]\nsast-key = s.key\n", "t.conf:10: [ctl] needs sast-certificate and sast-key" },
	{ BASE "[ctl]\nsast-certificate = s.pem\nsast-key = s.key\n[ctl]\n",
	  "t.conf:13: [ctl] is defined twice" },
	{ BASE "[ctl]\ndigest = md5\n", "t.conf:11: digest: \"md5\" is not sha1 or sha256" },
	{ BASE "[ctl]\naddress = 2001:db8::1\n",
	  "t.conf:11: address: \"2001:db8::1\" is not an IPv4 address" },
	{ BASE "[ctl]\nfile-name = a/b.tlv\n",
	  "t.conf:11: file-name: \"a/b.tlv\" is not a file name (255 characters at most)" },
	{ BASE "[ctl]\nimport = a\nimport = b\n", "t.conf:12: import is set twice in this section" },
	{ BASE "[ctl]\nlisten = 192.0.2.1:1\n", "t.conf:11: unknown key \"listen\" in [ctl]" },
	/* [tftp]: the TFTP proxy's section. */
	{ "[tftp]\nlisten = 127.0.0.1:69\n",
	  "t.conf:1: [tftp] needs listen, server and outside-address" },
	{ "[tftp]\noutside-address = 192.0.2.300\n",
	  "t.conf:2: outside-address: \"192.0.2.300\" is not an IPv4 or IPv6 address" },
	{ "[tftp]\nsecurity-mode = none\n",
	  "t.conf:2: security-mode: \"none\" is not encrypted or authenticated" },
	{ "[tftp]\ntimeout = 256\n", "t.conf:2: timeout: \"256\" is not a number from 1 to 255" },
	{ "[tftp]\nmax-transfers = 0\n",
	  "t.conf:2: max-transfers: \"0\" is not a number from 1 to 10000" },
	{ "[tftp]\nmax-config-size = 100\n",
	  "t.conf:2: max-config-size: \"100\" is not a number from 512 to 16777216" },
	{ "[tftp]\nblksize = 1\n", "t.conf:2: unknown key \"blksize\" in [tftp]" },
	{ "[tftp]\nmode = tproxy\n",
	  "t.conf:2: mode: \"tproxy\" is not explicit or transparent" },
	{ "[tftp]\nrewrite-phones = 00112233445\n",
	  "t.conf:2: rewrite-phones: \"00112233445\" is not a MAC address of 12 hex digits" },
	{ "[tftp]\nrewrite-phones = 0011223344GG\n",
	  "t.conf:2: rewrite-phones: \"0011223344GG\" is not a MAC address of 12 hex digits" },
	{ "[tftp]\nrewrite-phones = ,\n", "t.conf:2: rewrite-phones: \"all\" or MAC addresses" },
	{ "[tftp]\nlisten = 127.0.0.1:69\nserver = 10.0.0.1:69\noutside-address = ::1\n[tftp]\n",
	  "t.conf:5: [tftp] is defined twice" },
	{ "# nothing\n[global]\n", "t.conf:2: no [listener NAME] or [tftp] section: nothing to do" },
	{ "", "t.conf:1: no [listener NAME] or [tftp] section: nothing to do" },
};

static void bad_desc(const struct bad_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->err);
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_desc);

static void bad_test(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	char err[UCPD_ERR_MAX] = "";
	struct ucpd_config cfg;

	KUNIT_EXPECT_EQ(test, parse(c->text, &cfg, err), -1);
	KUNIT_EXPECT_STREQ(test, err, c->err);
	/* Nothing is left allocated (the leak checker would say). */
	KUNIT_EXPECT_EQ(test, cfg.n_listeners, 0);
	KUNIT_EXPECT_NULL(test, cfg.listeners);
	KUNIT_EXPECT_NULL(test, cfg.ctl);
}

static void ctl_section_test(struct kunit *test)
{
	static const char text[] = BASE
		"[ctl]\n"
		"sast-certificate = sast.pem\n"
		"sast-key = sast.key\n"
		"certificate = proxy.pem\n"
		"address = 192.0.2.10\n"
		"digest = sha256\n"
		"import = cluster.tlv\n"
		"file-name = ITLFile.tlv\n";
	char err[UCPD_ERR_MAX] = "";
	struct ucpd_config cfg;
	struct ucpd_ctl_cfg *c;

	KUNIT_ASSERT_EQ_MSG(test, parse(text, &cfg, err), 0, "%s", err);
	c = cfg.ctl;
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->line, 10);
	KUNIT_EXPECT_STREQ(test, c->sast_certificate, "sast.pem");
	KUNIT_EXPECT_STREQ(test, c->sast_key, "sast.key");
	KUNIT_EXPECT_STREQ(test, c->certificate, "proxy.pem");
	KUNIT_EXPECT_STREQ(test, c->import, "cluster.tlv");
	KUNIT_EXPECT_STREQ(test, c->file_name, "ITLFile.tlv");
	KUNIT_EXPECT_EQ(test, c->digest, 2);
	KUNIT_EXPECT_TRUE(test, c->has_address);
	KUNIT_EXPECT_EQ(test, ntohl(c->address.s_addr), 0xc000020a);
	ucpd_config_free(&cfg);
	KUNIT_EXPECT_NULL(test, cfg.ctl);

	/* Defaults: SHA-1, no address, names from elsewhere. */
	KUNIT_ASSERT_EQ(test, parse(BASE "[ctl]\nsast-certificate = s\nsast-key = k\n",
				    &cfg, err), 0);
	KUNIT_EXPECT_EQ(test, cfg.ctl->digest, 1);
	KUNIT_EXPECT_FALSE(test, cfg.ctl->has_address);
	KUNIT_EXPECT_NULL(test, cfg.ctl->certificate);
	KUNIT_EXPECT_NULL(test, cfg.ctl->file_name);
	ucpd_config_free(&cfg);
	/* No [ctl]: none. */
	KUNIT_ASSERT_EQ(test, parse(BASE, &cfg, err), 0);
	KUNIT_EXPECT_NULL(test, cfg.ctl);
	ucpd_config_free(&cfg);
}

/* [tftp] alone is a whole configuration; the defaults are the documented ones. */
static void tftp_section_test(struct kunit *test)
{
	static const char text[] =
		"[tftp]\n"
		"listen = 192.0.2.1:69\n"
		"server = 10.0.0.5:69\n"
		"outside-address = 192.0.2.1\n";
	static const char text2[] =
		"[tftp]\n"
		"mode = transparent\n"
		"listen = [::]:6969\n"
		"server = 10.0.0.5:69\n"
		"outside-address = 2001:db8::1\n"
		"security-mode = authenticated\n"
		"sip-tls-port = 15061\n"
		"max-transfers = 3\n"
		"timeout = 1\n"
		"retries = 0\n"
		"max-config-size = 4096\n"
		"cache-entries = 0\n"
		"cache-ttl = 5\n"
		"rewrite-phones = 001122aabbcc,  0000000000AA\tfeedfacecafe\n";
	const struct sockaddr_in *s4;
	struct ucpd_config cfg;
	char err[UCPD_ERR_MAX] = "";
	struct ucpd_tftp_cfg *t;

	KUNIT_ASSERT_EQ_MSG(test, parse(text, &cfg, err), 0, "%s", err);
	KUNIT_EXPECT_EQ(test, cfg.n_listeners, 0u);
	t = cfg.tftp;
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->line, 1u);
	s4 = (const void *)&t->server;
	KUNIT_EXPECT_EQ(test, ntohs(s4->sin_port), 69);
	KUNIT_EXPECT_STREQ(test, t->outside, "192.0.2.1");
	KUNIT_EXPECT_EQ(test, t->security_mode, 3);
	KUNIT_EXPECT_EQ(test, t->sip_tls_port, 5061u);
	KUNIT_EXPECT_EQ(test, t->max_transfers, 64u);
	KUNIT_EXPECT_EQ(test, t->timeout, 2u);
	KUNIT_EXPECT_EQ(test, t->retries, 5u);
	KUNIT_EXPECT_EQ(test, t->max_config_size, 262144u);
	KUNIT_EXPECT_EQ(test, t->cache_entries, 64u);
	KUNIT_EXPECT_EQ(test, t->cache_ttl, 60u);
	KUNIT_EXPECT_EQ(test, t->n_macs, 0u);
	KUNIT_EXPECT_FALSE(test, t->transparent);
	ucpd_config_free(&cfg);

	KUNIT_ASSERT_EQ_MSG(test, parse(text2, &cfg, err), 0, "%s", err);
	t = cfg.tftp;
	KUNIT_EXPECT_EQ(test, t->listen.ss_family, AF_INET6);
	KUNIT_EXPECT_TRUE(test, t->transparent);
	KUNIT_EXPECT_STREQ(test, t->outside, "2001:db8::1");
	KUNIT_EXPECT_EQ(test, t->security_mode, 2);
	KUNIT_EXPECT_EQ(test, t->sip_tls_port, 15061u);
	KUNIT_EXPECT_EQ(test, t->max_transfers, 3u);
	KUNIT_EXPECT_EQ(test, t->timeout, 1u);
	KUNIT_EXPECT_EQ(test, t->retries, 0u);
	KUNIT_EXPECT_EQ(test, t->max_config_size, 4096u);
	KUNIT_EXPECT_EQ(test, t->cache_entries, 0u);
	KUNIT_EXPECT_EQ(test, t->cache_ttl, 5u);
	KUNIT_ASSERT_EQ(test, t->n_macs, 3u);
	KUNIT_EXPECT_STREQ(test, t->macs[0], "001122AABBCC");
	KUNIT_EXPECT_STREQ(test, t->macs[1], "0000000000AA");
	KUNIT_EXPECT_STREQ(test, t->macs[2], "FEEDFACECAFE");
	ucpd_config_free(&cfg);
}

static void nul_byte_test(struct kunit *test)
{
	char err[UCPD_ERR_MAX] = "";
	struct ucpd_config cfg;

	KUNIT_EXPECT_EQ(test, ucpd_config_parse_buf("t.conf", "[global]\n\0", 10,
						    &cfg, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "t.conf:1: the file contains a NUL byte");
}

static void load_missing_test(struct kunit *test)
{
	char err[UCPD_ERR_MAX] = "";
	struct ucpd_config cfg;

	KUNIT_EXPECT_EQ(test, ucpd_config_load("/nonexistent/u.conf", &cfg, err,
					       sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "/nonexistent/u.conf: No such file or directory");
}

static struct kunit_case ucpd_config_cases[] = {
	KUNIT_CASE(full_file_test),
	KUNIT_CASE(defaults_test),
	KUNIT_CASE(inspect_test),
	KUNIT_CASE(mmp_test),
	KUNIT_CASE_PARAM(bad_test, bad_gen_params),
	KUNIT_CASE(ctl_section_test),
	KUNIT_CASE(tftp_section_test),
	KUNIT_CASE(nul_byte_test),
	KUNIT_CASE(load_missing_test),
	{}
};

static struct kunit_suite ucpd_config_suite = {
	.name = "ucpd_config",
	.test_cases = ucpd_config_cases,
};

kunit_test_suite(ucpd_config_suite);

MODULE_DESCRIPTION("KUnit tests of ucproxyd's configuration parser");
MODULE_LICENSE("GPL");
