/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ucproxyd's configuration: the file format's parser and validator.
 *
 * Pure code (libc only), so the unit tests link it alone. The format is
 * described in Documentation/ucproxyd.md; every error names file:line.
 */
#ifndef _UCPD_CONFIG_H
#define _UCPD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define UCPD_NAME_MAX		64
#define UCPD_ERR_MAX		512
#define UCPD_TFTP_MACS_MAX	256	/* rewrite-phones entries */

enum ucpd_mode {
	UCPD_MODE_EXPLICIT,	/* clients connect to the router's address */
	UCPD_MODE_TRANSPARENT,	/* nft tproxy steers them; dst preserved */
};

/* Which signalling the relay frames and sends to the kernel inspector. */
enum ucpd_inspect {
	UCPD_INSPECT_NONE,
	UCPD_INSPECT_SIP,
	UCPD_INSPECT_SCCP,
	UCPD_INSPECT_MMP,	/* the mobility proxy's: checked, passed as is */
};

/* The documented MMP caps, client to server (mmp-header-max, ...). */
#define UCPD_MMP_CAP_DEFAULT	4096
#define UCPD_MMP_CAP_MAX	16384	/* the kernel's message-max-len */

/* The proxy's certificate toward the server (table 47-1, client role). */
enum ucpd_client_role {
	UCPD_CLIENT_NONE,	/* no certificate (phone proxy may need none) */
	UCPD_CLIENT_MINTED,	/* per client: its subject, signed by our CA */
	UCPD_CLIENT_STATIC,	/* one configured certificate */
};

struct ucpd_listener_cfg {
	char name[UCPD_NAME_MAX];
	char *file;			/* where the section starts */
	unsigned int line;
	uint32_t app;			/* enum ucp_app */
	enum ucpd_mode mode;
	struct sockaddr_storage listen;
	socklen_t listen_len;
	struct sockaddr_storage server;	/* explicit mode: the onward peer */
	socklen_t server_len;
	bool server_tls;		/* onward TLS, or plain TCP */
	enum ucpd_inspect inspect;
	/* inspect = mmp: caps of the client-to-server direction, in bytes. */
	unsigned int mmp_header_max, mmp_content_max;
	/* Server role, toward clients: a certificate or a PKCS#12. */
	char *certificate, *key;
	char *pkcs12, *pkcs12_password;
	bool client_auth;
	char *client_ca;
	/* Client role, toward the server. */
	enum ucpd_client_role client_role;
	char *client_certificate, *client_key;
	char *mint_ca, *mint_ca_key;
	char *server_ca;		/* verify the server; NULL: no check */
	int tls_min, tls_max;		/* 12 or 13 */
	bool ktls;
	bool ktls_tls13_rx;		/* install TLS 1.3 receive keys */
};

/*
 * [ctl]: the CTL (or ITL) file of the phone proxy, written by
 * `ucproxyd ctl write` (ctl_cmd.c): signed by the SAST, trusting the
 * proxy's certificate as CCM+TFTP.
 */
struct ucpd_ctl_cfg {
	unsigned int line;		/* of the section header */
	char *sast_certificate, *sast_key;
	char *certificate;		/* NULL: the first phone-proxy listener's */
	char *import;			/* an existing CTL whose records are kept */
	char *file_name;		/* NULL: the output's base name */
	uint8_t digest;			/* UCPD_CTL_DIGEST_* */
	bool has_address;
	struct in_addr address;		/* in the CCM+TFTP record */
};

/*
 * [tftp]: the phone proxy's TFTP proxy (tftp.c): phones read through it
 * from the call manager's TFTP server; their configurations come back
 * rewritten (cnfxml.c), CTLFile.tlv is the proxy's own ([ctl]).
 */
struct ucpd_tftp_cfg {
	unsigned int line;		/* of the section header */
	/*
	 * false: phones send requests to listen; true: nft tproxy steers
	 * them there, and each transfer answers from their original
	 * destination (IP_TRANSPARENT).
	 */
	bool transparent;
	struct sockaddr_storage listen;	/* where requests arrive */
	socklen_t listen_len;
	struct sockaddr_storage server;	/* the cluster's TFTP server */
	socklen_t server_len;
	char outside[INET6_ADDRSTRLEN];	/* the proxy's address for phones */
	uint8_t security_mode;		/* 2 authenticated, 3 encrypted */
	unsigned int sip_tls_port;	/* securedSipPort written */
	unsigned int max_transfers;
	unsigned int timeout;		/* seconds, before a retransmission */
	unsigned int retries;		/* retransmissions before giving up */
	unsigned int max_config_size;	/* bytes of a configuration file */
	unsigned int cache_entries;	/* rewritten configurations kept */
	unsigned int cache_ttl;		/* seconds */
	/* rewrite-phones: 0 for all, else the MACs (12 upper-case hex digits). */
	unsigned int n_macs;
	char macs[UCPD_TFTP_MACS_MAX][13];
};

struct ucpd_config {
	unsigned int handshake_timeout;	/* seconds */
	unsigned int idle_timeout;	/* seconds */
	unsigned int buffer_size;	/* bytes per direction per connection */
	unsigned int max_connections;
	char *stats_file;		/* written on SIGUSR1; NULL: log only */
	struct ucpd_listener_cfg *listeners;
	unsigned int n_listeners;
	struct ucpd_ctl_cfg *ctl;	/* NULL: no [ctl] section */
	struct ucpd_tftp_cfg *tftp;	/* NULL: no [tftp] section */
};

/*
 * Parses @text (@len bytes, named @file in errors) into @cfg and validates
 * it. 0, or -1 with one line "file:line: what" in @err (no newline) and
 * @cfg left empty.
 */
int ucpd_config_parse_buf(const char *file, const char *text, size_t len,
			  struct ucpd_config *cfg, char *err, size_t errlen);
/* The same for a file on disk; errors that are not about a line name the file. */
int ucpd_config_load(const char *path, struct ucpd_config *cfg, char *err,
		     size_t errlen);
void ucpd_config_free(struct ucpd_config *cfg);
/* The strings of one listener (the daemon moves listeners out of @cfg). */
void ucpd_listener_cfg_free(struct ucpd_listener_cfg *l);

/* "phone-proxy" ... for an enum ucp_app value; NULL when unknown. */
const char *ucpd_app_name(uint32_t app);
/* "192.0.2.1:5061" or "[2001:db8::1]:5061" into @buf. */
const char *ucpd_addr_str(const struct sockaddr_storage *ss, char *buf,
			  size_t len);

#endif /* _UCPD_CONFIG_H */
