/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ucproxyd: the TLS agent. Shared types of its parts:
 *
 *   main.c      options, signals, the epoll loop, timers
 *   daemon.c    the state they share: configuration, epoll set, clock
 *   reload.c    loading the configuration: start, SIGHUP, -t
 *   listener.c  listening sockets (explicit and transparent) and accept
 *   tls.c       OpenSSL contexts per listener: certificate roles
 *   mint.c      per-client certificates signed by the proxy's CA
 *   ktls.c      kernel TLS: the TLS 1.3 receive keys OpenSSL 3.0 leaves out,
 *               reading the legs that have them, KeyUpdate
 *   conn.c      one proxied connection: handshakes, licensing, relay
 *   frame.c     message framing per signalling protocol
 *   kernel.c    netlink: license sessions, signalling inspection and
 *               authentication failure reports
 *   stats.c     counters and their dump
 *   log.c       one line per event, to stderr (the journal under systemd)
 *   ctl_cmd.c   `ucproxyd ctl write|show`: the phone proxy's CTL file, offline
 *               (ctl_tlv.c the file's layout, ctl_sign.c its signature,
 *               ctl_cert.c its records from certificates)
 *   tftp.c      the phone proxy's TFTP proxy: transfers, retransmission
 *               (tftp_pkt.c the packets, cnfxml.c the configuration
 *               rewrite, tftp_cache.c the rewritten files kept)
 */
#ifndef _UCPROXYD_H
#define _UCPROXYD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <openssl/ssl.h>

#include "config.h"

struct ucp_nl;

#define UCPD_DEFAULT_CONFIG	"/etc/ucproxyd/ucproxyd.conf"

/* `ucproxyd ctl ...`: @argv[0] is "ctl". Returns the exit status. */
int ucpd_ctl_main(int argc, char **argv);
/*
 * The signed CTL file of @conf's [ctl] section, named @name, malloc()ed
 * into *@out (ctl_cmd.c; `ctl write` and the TFTP proxy both use it).
 * 0, or 1 with one line on stderr.
 */
int ucpd_ctl_make(const char *conf, const char *name, uint8_t **out,
		  size_t *len, unsigned int *n_rec, char *signer,
		  size_t signer_len);

/* Logging */

enum ucpd_level { UCPD_ERR, UCPD_WARN, UCPD_INFO, UCPD_DEBUG };

extern int ucpd_log_level;
void ucpd_log(enum ucpd_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The OpenSSL error queue as one short string (and cleared). */
const char *ucpd_ssl_err(char *buf, size_t len);

/* Counters */

enum ucpd_counter {
	UCPD_C_ACCEPTED,
	UCPD_C_ACTIVE,
	UCPD_C_HANDSHAKE_FAILED,	/* client or server leg */
	UCPD_C_CLIENT_CERT_REFUSED,
	UCPD_C_LICENSE_REFUSED,
	UCPD_C_CONNECT_FAILED,
	UCPD_C_TIMEOUT_HANDSHAKE,
	UCPD_C_TIMEOUT_IDLE,
	UCPD_C_OVERLOAD,		/* max-connections reached */
	UCPD_C_RELAYED,			/* reached the relay state */
	UCPD_C_RELAY_ERROR,		/* relay ended by a leg's error */
	UCPD_C_BYTES_UP,		/* client to server */
	UCPD_C_BYTES_DOWN,
	UCPD_C_LEGS_KTLS,		/* TLS legs offloaded both ways */
	UCPD_C_LEGS_KTLS_TX,		/* transmit only */
	UCPD_C_LEGS_USERSPACE,		/* neither (kTLS off or refused) */
	UCPD_C_TLS13_RX_INSTALLED,	/* receive keys installed by us */
	UCPD_C_KEY_UPDATE,		/* TLS 1.3 KeyUpdate met */
	UCPD_C_INSPECTED,
	UCPD_C_INSPECT_DROPPED,
	UCPD_C_INSPECT_ERROR,
	UCPD_C_MINTED,
	UCPD_C_RELOADS,
	UCPD_C_RELOAD_FAILED,
	UCPD_C_TFTP_REQUESTS,		/* read requests accepted */
	UCPD_C_TFTP_DONE,		/* transfers the phone acknowledged whole */
	UCPD_C_TFTP_BYTES,		/* file bytes sent to phones */
	UCPD_C_TFTP_RELAYED,		/* streamed from the server */
	UCPD_C_TFTP_REWRITTEN,		/* configurations rewritten */
	UCPD_C_TFTP_CACHE_HIT,		/* configurations served from the cache */
	UCPD_C_TFTP_CTL,		/* CTL files served */
	UCPD_C_TFTP_WRITE_REFUSED,	/* write requests (read-only proxy) */
	UCPD_C_TFTP_BAD_PACKET,		/* refused by the parser, or out of place */
	UCPD_C_TFTP_BUSY,		/* max-transfers reached */
	UCPD_C_TFTP_NOT_SERVED,		/* ITL, signed configurations, netascii */
	UCPD_C_TFTP_SERVER_ERROR,	/* the server answered with an error */
	UCPD_C_TFTP_SERVER_TIMEOUT,	/* the server stopped answering */
	UCPD_C_TFTP_PHONE_TIMEOUT,	/* the phone stopped answering */
	UCPD_C_TFTP_PHONE_ERROR,	/* the phone sent an error */
	UCPD_C_TFTP_XML_REFUSED,	/* a configuration that does not parse */
	UCPD_C_TFTP_OVERSIZE,		/* a configuration above max-config-size */
	UCPD_C_TFTP_UNKNOWN_TID,	/* packets from a stranger to a transfer */
	UCPD_C_TFTP_STRAY,		/* ACK or ERROR on the request port, dropped */
	UCPD_C_NR,
};

extern uint64_t ucpd_stats[UCPD_C_NR];

static inline void ucpd_count(enum ucpd_counter c)
{
	ucpd_stats[c]++;
}

static inline void ucpd_count_add(enum ucpd_counter c, uint64_t n)
{
	ucpd_stats[c] += n;
}

/* Writes the counters to @path (atomically) or the log when NULL. */
int ucpd_stats_dump(const char *path);

/* epoll registrations carry one of these first. */
enum ucpd_ev_kind {
	UCPD_EV_LISTENER, UCPD_EV_LEG, UCPD_EV_SIGNAL, UCPD_EV_TIMER,
	UCPD_EV_TFTP,			/* any socket of the TFTP proxy */
};

struct ucpd_ev {
	enum ucpd_ev_kind kind;
};

/* Listeners and their TLS contexts, refcounted across reloads */

struct ucpd_listener {
	struct ucpd_ev ev;		/* first: the epoll cookie */
	struct ucpd_listener_cfg cfg;	/* a copy owned by the listener */
	int fd;
	SSL_CTX *server_ctx;		/* toward clients */
	SSL_CTX *client_ctx;		/* toward the server (NULL: plain TCP) */
	EVP_PKEY *mint_key;		/* key of minted certificates */
	X509 *mint_ca;
	EVP_PKEY *mint_ca_key;
	unsigned int refs;		/* the daemon's, plus one per connection */
	bool retired;			/* replaced or removed by a reload */
};

/* Frees when the last reference goes. */
void ucpd_listener_put(struct ucpd_listener *l);
/* The socket for @cfg: bound, listening, non-blocking. -1 with a log line. */
int ucpd_listener_socket(const struct ucpd_listener_cfg *cfg);

/* TLS contexts of a listener from its configuration. 0, or -1 logged. */
int ucpd_tls_setup(struct ucpd_listener *l);
void ucpd_tls_free(struct ucpd_listener *l);
/* Index of SSL ex_data holding the connection (for the keylog callback). */
extern int ucpd_ssl_conn_idx;

/* Certificate minting */

/*
 * A certificate for @key with @subject (copied from the client's
 * certificate), signed by @ca/@ca_key, valid for @days. NULL on failure.
 */
X509 *ucpd_mint(const X509_NAME *subject, EVP_PKEY *key, const X509 *ca,
		EVP_PKEY *ca_key, int days);
/* A fresh key for minted certificates (EC P-256). */
EVP_PKEY *ucpd_mint_key(void);

/* Kernel: licensing and inspection over one netlink socket */

struct ucpd_flow {
	struct sockaddr_storage src, dst;
};

/* Opens the socket once (0 when already open); -1 logged. */
int ucpd_kernel_open(void);
void ucpd_kernel_close(void);
enum ucpd_acquire { UCPD_ACQ_OK, UCPD_ACQ_REFUSED, UCPD_ACQ_ERROR };
/* One session of @app into *id; on refusal, the kernel's reason in @why. */
enum ucpd_acquire ucpd_session_acquire(uint32_t app, uint64_t *id, char *why,
				       size_t whylen);
void ucpd_session_release(uint64_t id);
/*
 * Tells the kernel that a handshake of @cfg's listener was refused for
 * authentication on leg @dir (UCP_DIR_ORIGINAL: the client's certificate,
 * UCP_DIR_REPLY: the server's); the kernel announces bursts of them.
 */
void ucpd_auth_failure(const struct ucpd_listener_cfg *cfg, uint8_t dir);

enum ucpd_verdict { UCPD_V_FORWARD, UCPD_V_DROP, UCPD_V_ERROR };

/* What the kernel is told with a message besides the message itself. */
struct ucpd_inspect_req {
	uint8_t proto;			/* enum ucp_proto */
	/* Going out on @flow, read from @peer; both NULL for MMP. */
	const struct ucpd_flow *flow, *peer;
	bool up;			/* client to server */
	const struct ucpd_listener_cfg *cfg;	/* MMP: the caps */
};

/*
 * Inspects one message. On FORWARD, the message to write is copied to
 * @out (at most @outcap bytes) with its length in *outlen; on DROP @why
 * names the reason.
 */
enum ucpd_verdict ucpd_inspect(const struct ucpd_inspect_req *req,
			       const char *msg, size_t len, char *out,
			       size_t outcap, size_t *outlen, char *why,
			       size_t whylen);

/* Framing: whole messages out of a byte stream */

enum ucpd_frame_ret { UCPD_FRAME_MSG, UCPD_FRAME_MORE, UCPD_FRAME_BAD };

struct ucpd_framer {
	const char *name;
	uint8_t proto;			/* enum ucp_proto for the kernel */
	size_t max_msg;			/* largest message it accepts */
	size_t max_out;			/* largest message the kernel returns */
	/*
	 * MMP: the connection carries no addresses and no media, so the
	 * kernel gets no flows; a refusal, the framer's or the kernel's,
	 * ends the connection, and a stream the framer refuses goes to the
	 * kernel up to the byte that decided it, for its verdict and
	 * counters.
	 */
	bool strict;
	/*
	 * Looks at @buf, read from the client (@up) or the server of a
	 * connection of listener @cfg: MSG with *skip leading bytes to
	 * discard (keep-alives) and then a message of *len; MORE with *skip
	 * bytes that may be discarded; BAD when the stream cannot be framed
	 * (a strict framer: *len the bytes that decided it).
	 */
	enum ucpd_frame_ret (*frame)(const struct ucpd_listener_cfg *cfg,
				     bool up, const char *buf, size_t n,
				     size_t *skip, size_t *len);
};

/* The framer of an inspect setting; NULL for none. */
const struct ucpd_framer *ucpd_framer_get(enum ucpd_inspect inspect);

/* kTLS */

struct ucpd_leg;

/* After the handshake: offload what OpenSSL did not; counts the result. */
void ucpd_ktls_engage(struct ucpd_leg *leg);
/* SSL_CTX_set_keylog_callback() target: keeps the TLS 1.3 receive secret. */
void ucpd_ktls_keylog(const SSL *ssl, const char *line);

/* The daemon's shared state (daemon.c) */

struct ucpd_daemon {
	struct ucpd_config cfg;		/* in force; reload.c swaps it */
	const char *config_path;
	int epfd;
	struct ucpd_listener **listeners;
	unsigned int n_listeners;
	unsigned int n_conns;
	struct ucpd_conn *conns;	/* all connections, for timeouts */
};

extern struct ucpd_daemon ucpd;

/* Monotonic milliseconds. */
uint64_t ucpd_now_ms(void);
/* Adds @fd to the epoll set for reading, with @cookie. 0, or -1. */
int ucpd_epoll_add(int fd, void *cookie);
/*
 * IP_TRANSPARENT or IPV6_TRANSPARENT on @fd of @family: the socket may then
 * bind to or accept for addresses the router does not own (nft tproxy;
 * needs CAP_NET_ADMIN or CAP_NET_RAW). 0, or -1 with errno.
 */
int ucpd_set_transparent(int fd, int family);

/* Configuration loads (reload.c) */

/*
 * Loads the configuration file with its certificates and keys and swaps
 * in its listeners; @initial at start, else a reload (SIGHUP). 0, or -1
 * logged, with the running configuration unchanged.
 */
int ucpd_load(bool initial);
/* -t: checks the file, certificates and keys; the exit status. */
int ucpd_check(void);
/* Drops the listeners and the configuration (exit). */
void ucpd_unload(void);

/* Connections (conn.c) */

void ucpd_conn_accept(struct ucpd_listener *l);
void ucpd_conn_event(struct ucpd_leg *leg, uint32_t events);
/* Checks deadlines of every connection. */
void ucpd_conn_timers(uint64_t now);
/* Closes everything (exit). */
void ucpd_conn_close_all(void);
/* Frees the connections closed since the last call. */
void ucpd_conn_reap(void);

/* The TFTP proxy (tftp.c) */

struct ucpd_tftp_next;

/*
 * What the TFTP proxy needs for @cfg (its socket, the CTL file of
 * @conf_path's [ctl]), made before anything running changes, into *@next.
 * 0, or -1 logged.
 */
int ucpd_tftp_prepare(const struct ucpd_config *cfg, const char *conf_path,
		      struct ucpd_tftp_next **next);
/* Puts @next in force; running transfers finish with the settings they had. */
void ucpd_tftp_commit(struct ucpd_tftp_next *next);
/* Drops an uncommitted @next. */
void ucpd_tftp_abort(struct ucpd_tftp_next *next);
/* A readable socket of the proxy. */
void ucpd_tftp_event(struct ucpd_ev *ev);
/* Retransmissions and give-ups due at @now. */
void ucpd_tftp_timers(uint64_t now);
/* Frees the transfers ended since the last call. */
void ucpd_tftp_reap(void);
/* Ends every transfer and closes the proxy (exit). */
void ucpd_tftp_stop(void);

#endif /* _UCPROXYD_H */
