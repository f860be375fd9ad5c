/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One proxied connection: its two legs (toward the client, toward the
 * server) and the two directions between them. Shared by conn.c (the
 * state machine and relay) and ktls.c (which installs keys and reads the
 * legs whose receive keys it installed).
 */
#ifndef _UCPD_CONN_H
#define _UCPD_CONN_H

#include <sys/socket.h>

#include "ucproxyd.h"

/* How plaintext is read from a leg. */
enum ucpd_rx {
	UCPD_RX_PLAIN,		/* plain TCP */
	UCPD_RX_SSL,		/* SSL_read (OpenSSL may use kTLS itself) */
	UCPD_RX_KTLS,		/* recvmsg on a socket whose RX keys we set */
};

/* What a read or write did, when it moved no bytes. */
#define UCPD_IO_AGAIN	(-1)
#define UCPD_IO_ERROR	(-2)

/* Largest TLS record plaintext: a kTLS read must have room for one. */
#define UCPD_TLS_RECORD_MAX	16384

#define UCPD_SECRET_MAX		64

struct ucpd_leg {
	struct ucpd_ev ev;		/* first: the epoll cookie */
	struct ucpd_conn *conn;
	int fd;
	SSL *ssl;			/* NULL: plain TCP */
	bool toward_client;		/* we are the TLS server on this leg */
	enum ucpd_rx rx;
	bool ktls_tx, ktls_rx;
	bool rd_eof;			/* the peer sent all it will send */
	bool wr_shut;			/* we sent all we will send */
	bool ssl_rd_wants_write;	/* SSL_read waits for writability */
	bool ssl_wr_wants_read;		/* SSL_write waits for readability */
	uint32_t armed;			/* events registered with epoll */
	bool registered;
	/* The peer's TLS 1.3 application traffic secret, until installed. */
	unsigned char rx_secret[UCPD_SECRET_MAX];
	size_t rx_secret_len;
	struct sockaddr_storage local, remote;
};

struct ucpd_buf {
	char *data;
	size_t len, cap;
};

/* Bytes read from one leg on their way to the other. */
struct ucpd_dir {
	struct ucpd_buf raw;		/* framed protocols: not yet a message */
	struct ucpd_buf out;		/* ready to write */
};

enum ucpd_state {
	UCPD_S_CLIENT_HS,		/* TLS handshake with the client */
	UCPD_S_CONNECTING,		/* TCP connect toward the server */
	UCPD_S_SERVER_HS,		/* TLS handshake with the server */
	UCPD_S_RELAY,
};

struct ucpd_conn {
	struct ucpd_conn *prev, *next;
	struct ucpd_listener *l;
	enum ucpd_state state;
	struct ucpd_leg cl, sv;
	struct ucpd_dir up, down;	/* up: client to server */
	const struct ucpd_framer *framer;
	uint64_t deadline;		/* ms: handshake or idle timeout */
	uint64_t session;
	bool has_session;
	bool dead;			/* closed, freed after the event batch */
	char peer[64];			/* the client's address, for logs */
	char why[192];			/* why the relay failed, for the log */
};

/* kTLS (ktls.c) */

/*
 * Reads plaintext from a leg whose TLS 1.3 receive keys we installed
 * (rx UCPD_RX_KTLS): bytes, 0 at the end of the stream, UCPD_IO_AGAIN,
 * or UCPD_IO_ERROR with *what naming what failed (errno says why), or
 * *what NULL when the reason was already logged.
 */
ssize_t ucpd_ktls_read(struct ucpd_leg *leg, char *p, size_t n,
		       const char **what);
/*
 * After an SSL_read on @leg: true when the peer asked for a KeyUpdate of
 * our keys while the kernel transmits for us, which it cannot rekey
 * (counted and logged: the connection must end).
 */
bool ucpd_ktls_tx_key_update(struct ucpd_leg *leg);

#endif /* _UCPD_CONN_H */
