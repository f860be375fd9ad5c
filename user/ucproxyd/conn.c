// SPDX-License-Identifier: GPL-2.0
/*
 * One proxied connection, driven by epoll events on its two sockets:
 *
 *   client TLS handshake -> license session -> TCP connect onward ->
 *   server TLS handshake (or none: plain TCP) -> kTLS -> relay
 *
 * Every step is non-blocking; a connection never waits for anything but
 * its own sockets (netlink requests to the kernel answer at once). Each
 * direction holds at most a bounded buffer: when it is full the reading
 * side is no longer polled, so a slow peer slows its sender instead of
 * growing memory.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include <linux/tls.h>
#include <linux/ucproxy.h>

#include "conn.h"


static void conn_close(struct ucpd_conn *c, const char *why);

static void leg_init(struct ucpd_leg *leg, struct ucpd_conn *c, bool client)
{
	leg->ev.kind = UCPD_EV_LEG;
	leg->conn = c;
	leg->fd = -1;
	leg->toward_client = client;
}

/*
 * Registers or updates the events the leg waits for. No events: out of the
 * set, because epoll reports hang-ups even to an empty mask, and a leg
 * that is done would wake the loop forever.
 */
static int leg_arm(struct ucpd_leg *leg, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = leg };
	int op;

	if (leg->fd < 0)
		return 0;
	if (!events) {
		if (leg->registered && epoll_ctl(ucpd.epfd, EPOLL_CTL_DEL,
						 leg->fd, NULL))
			return -1;
		leg->registered = false;
		leg->armed = 0;
		return 0;
	}
	if (leg->registered && leg->armed == events)
		return 0;
	op = leg->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(ucpd.epfd, op, leg->fd, &ev))
		return -1;
	leg->registered = true;
	leg->armed = events;
	return 0;
}

static void leg_free(struct ucpd_leg *leg)
{
	if (leg->ssl) {
		SSL_free(leg->ssl);
		leg->ssl = NULL;
	}
	if (leg->fd >= 0) {
		/* close() also removes it from the epoll set. */
		close(leg->fd);
		leg->fd = -1;
	}
	OPENSSL_cleanse(leg->rx_secret, sizeof(leg->rx_secret));
	leg->rx_secret_len = 0;
}

static void buf_free(struct ucpd_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static int buf_alloc(struct ucpd_buf *b, size_t cap)
{
	b->data = malloc(cap);
	if (!b->data)
		return -1;
	b->cap = cap;
	b->len = 0;
	return 0;
}

static void buf_consume(struct ucpd_buf *b, size_t n)
{
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

static void conn_unlink(struct ucpd_conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		ucpd.conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

/* Connections closed during the current batch of events. */
static struct ucpd_conn *graveyard;

/*
 * Closes at once (sockets, session, buffers) but keeps the structure until
 * ucpd_conn_reap(): a later event of the same epoll batch may point at it.
 */
static void conn_free(struct ucpd_conn *c)
{
	conn_unlink(c);
	if (c->has_session)
		ucpd_session_release(c->session);
	c->has_session = false;
	leg_free(&c->cl);
	leg_free(&c->sv);
	buf_free(&c->up.raw);
	buf_free(&c->up.out);
	buf_free(&c->down.raw);
	buf_free(&c->down.out);
	ucpd.n_conns--;
	ucpd_stats[UCPD_C_ACTIVE]--;
	c->dead = true;
	c->next = graveyard;
	graveyard = c;
}

void ucpd_conn_reap(void)
{
	struct ucpd_conn *c;

	while ((c = graveyard)) {
		graveyard = c->next;
		ucpd_listener_put(c->l);
		free(c);
	}
}

static void conn_close(struct ucpd_conn *c, const char *why)
{
	if (why)
		ucpd_log(UCPD_INFO, "%s: %s: closed: %s", c->l->cfg.name,
			 c->peer, why);
	conn_free(c);
}

void ucpd_conn_accept(struct ucpd_listener *l)
{
	struct sockaddr_storage ss;
	char addr[64];
	socklen_t sl = sizeof(ss);
	struct ucpd_conn *c;
	int fd;

	fd = accept4(l->fd, (struct sockaddr *)&ss, &sl,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != ECONNABORTED)
			ucpd_log(UCPD_WARN, "%s: accept: %s", l->cfg.name,
				 strerror(errno));
		return;
	}
	ucpd_count(UCPD_C_ACCEPTED);
	if (ucpd.n_conns >= ucpd.cfg.max_connections) {
		ucpd_count(UCPD_C_OVERLOAD);
		ucpd_log(UCPD_WARN, "%s: %s: refused: max-connections %u reached",
			 l->cfg.name, ucpd_addr_str(&ss, addr, sizeof(addr)),
			 ucpd.cfg.max_connections);
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	leg_init(&c->cl, c, true);
	leg_init(&c->sv, c, false);
	c->cl.fd = fd;
	c->cl.remote = ss;
	sl = sizeof(c->cl.local);
	/* Transparent mode: the original destination, tproxy keeps it. */
	getsockname(fd, (struct sockaddr *)&c->cl.local, &sl);
	ucpd_addr_str(&ss, c->peer, sizeof(c->peer));
	c->l = l;
	l->refs++;
	c->next = ucpd.conns;
	if (c->next)
		c->next->prev = c;
	ucpd.conns = c;
	ucpd.n_conns++;
	ucpd_stats[UCPD_C_ACTIVE]++;
	c->state = UCPD_S_CLIENT_HS;
	c->deadline = ucpd_now_ms() + ucpd.cfg.handshake_timeout * 1000ull;
	c->framer = ucpd_framer_get(l->cfg.inspect);

	c->cl.ssl = SSL_new(l->server_ctx);
	if (!c->cl.ssl || !SSL_set_fd(c->cl.ssl, fd) ||
	    !SSL_set_ex_data(c->cl.ssl, ucpd_ssl_conn_idx, &c->cl)) {
		conn_close(c, "out of memory");
		return;
	}
	c->cl.rx = UCPD_RX_SSL;
	SSL_set_accept_state(c->cl.ssl);
	/* The client speaks first: wait for its ClientHello. */
	if (leg_arm(&c->cl, EPOLLIN))
		conn_close(c, "epoll");
}

/* Drives a handshake: 1 done, 0 in progress (events armed), -1 failed. */
static int handshake(struct ucpd_leg *leg, char *why, size_t whylen)
{
	int ret = SSL_do_handshake(leg->ssl);
	char e[200];

	if (ret == 1)
		return 1;
	switch (SSL_get_error(leg->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		return leg_arm(leg, EPOLLIN) ? -1 : 0;
	case SSL_ERROR_WANT_WRITE:
		return leg_arm(leg, EPOLLOUT) ? -1 : 0;
	case SSL_ERROR_SYSCALL:
		snprintf(why, whylen, "TLS handshake: %s",
			 errno ? strerror(errno) : "peer closed the connection");
		ERR_clear_error();
		return -1;
	default:
		snprintf(why, whylen, "TLS handshake: %s",
			 ucpd_ssl_err(e, sizeof(e)));
		return -1;
	}
}

static int start_relay(struct ucpd_conn *c);

static void connect_onward(struct ucpd_conn *c)
{
	struct ucpd_listener_cfg *cfg = &c->l->cfg;
	const struct sockaddr_storage *dst;
	socklen_t dl;
	int fd, one = 1;

	dst = cfg->mode == UCPD_MODE_TRANSPARENT ? &c->cl.local : &cfg->server;
	dl = dst->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					  sizeof(struct sockaddr_in);
	fd = socket(dst->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		conn_close(c, strerror(errno));
		return;
	}
	/* Signalling is small messages: do not hold them back. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->sv.fd = fd;
	c->sv.remote = *dst;
	c->state = UCPD_S_CONNECTING;
	c->deadline = ucpd_now_ms() + ucpd.cfg.handshake_timeout * 1000ull;
	if (connect(fd, (const struct sockaddr *)dst, dl) && errno != EINPROGRESS) {
		char why[128], addr[64];

		ucpd_count(UCPD_C_CONNECT_FAILED);
		snprintf(why, sizeof(why), "connect to %s: %s",
			 ucpd_addr_str(dst, addr, sizeof(addr)), strerror(errno));
		conn_close(c, why);
		return;
	}
	/* The client waits while the server leg comes up. */
	if (leg_arm(&c->cl, 0) || leg_arm(&c->sv, EPOLLOUT))
		conn_close(c, "epoll");
}

/* The client's handshake is done: who is it, may it pass, go onward. */
static void client_ready(struct ucpd_conn *c)
{
	struct ucpd_listener_cfg *cfg = &c->l->cfg;
	enum ucpd_acquire acq;
	char why[256] = "";

	acq = ucpd_session_acquire(cfg->app, &c->session, why, sizeof(why));
	if (acq == UCPD_ACQ_REFUSED) {
		ucpd_count(UCPD_C_LICENSE_REFUSED);
		ucpd_log(UCPD_WARN, "%s: %s: refused: no license session for %s: %s",
			 cfg->name, c->peer, ucpd_app_name(cfg->app), why);
		/* A clean close: the client learns the end from close_notify. */
		SSL_shutdown(c->cl.ssl);
		conn_free(c);
		return;
	}
	if (acq == UCPD_ACQ_ERROR) {
		ucpd_log(UCPD_ERR, "%s: %s: license session: %s", cfg->name,
			 c->peer, why);
		SSL_shutdown(c->cl.ssl);
		conn_free(c);
		return;
	}
	c->has_session = true;
	connect_onward(c);
}

/* Client role toward the server (table 47-1): which certificate we show. */
static int server_leg_ssl(struct ucpd_conn *c)
{
	struct ucpd_listener *l = c->l;
	X509 *peer, *minted;

	c->sv.ssl = SSL_new(l->client_ctx);
	if (!c->sv.ssl || !SSL_set_fd(c->sv.ssl, c->sv.fd) ||
	    !SSL_set_ex_data(c->sv.ssl, ucpd_ssl_conn_idx, &c->sv))
		return -1;
	c->sv.rx = UCPD_RX_SSL;
	SSL_set_connect_state(c->sv.ssl);
	if (l->cfg.client_role != UCPD_CLIENT_MINTED)
		return 0;
	/* The client authenticated with a certificate: copy its subject. */
	peer = SSL_get1_peer_certificate(c->cl.ssl);
	if (!peer)
		return -1;
	minted = ucpd_mint(X509_get_subject_name(peer), l->mint_key,
			   l->mint_ca, l->mint_ca_key, 1);
	X509_free(peer);
	if (!minted)
		return -1;
	ucpd_count(UCPD_C_MINTED);
	if (SSL_use_certificate(c->sv.ssl, minted) != 1 ||
	    SSL_use_PrivateKey(c->sv.ssl, l->mint_key) != 1 ||
	    (SSL_add1_chain_cert(c->sv.ssl, l->mint_ca) != 1)) {
		X509_free(minted);
		return -1;
	}
	X509_free(minted);
	return 0;
}

static void server_connected(struct ucpd_conn *c)
{
	socklen_t sl = sizeof(int);
	char why[160], addr[64];
	int err = 0;

	getsockopt(c->sv.fd, SOL_SOCKET, SO_ERROR, &err, &sl);
	if (err) {
		ucpd_count(UCPD_C_CONNECT_FAILED);
		snprintf(why, sizeof(why), "connect to %s: %s",
			 ucpd_addr_str(&c->sv.remote, addr, sizeof(addr)),
			 strerror(err));
		conn_close(c, why);
		return;
	}
	sl = sizeof(c->sv.local);
	getsockname(c->sv.fd, (struct sockaddr *)&c->sv.local, &sl);
	if (!c->l->client_ctx) {
		/* A non-secure call manager: plain TCP onward. */
		c->sv.rx = UCPD_RX_PLAIN;
		if (start_relay(c))
			conn_close(c, "out of memory");
		return;
	}
	if (server_leg_ssl(c)) {
		conn_close(c, "cannot set up the server leg's TLS (certificate minting)");
		return;
	}
	c->state = UCPD_S_SERVER_HS;
	ucpd_conn_event(&c->sv, EPOLLOUT);
}

/* Keeps the first reason a relay failed, naming the leg. */
static ssize_t leg_error(struct ucpd_leg *leg, const char *what, int err)
{
	struct ucpd_conn *c = leg->conn;
	char e[160];

	if (!c->why[0])
		snprintf(c->why, sizeof(c->why), "%s on the %s leg: %s", what,
			 leg->toward_client ? "client" : "server",
			 err ? strerror(err) : ucpd_ssl_err(e, sizeof(e)));
	ERR_clear_error();
	return UCPD_IO_ERROR;
}

/*
 * Reads plaintext: bytes, 0 at the end of the stream, UCPD_IO_AGAIN or
 * UCPD_IO_ERROR.
 */
static ssize_t leg_read(struct ucpd_leg *leg, char *p, size_t n)
{
	const char *what;
	size_t got = 0;
	ssize_t r;
	int ret;

	switch (leg->rx) {
	case UCPD_RX_PLAIN:
		r = read(leg->fd, p, n);
		if (r >= 0)
			return r;
		if (errno == EAGAIN || errno == EINTR)
			return UCPD_IO_AGAIN;
		return leg_error(leg, "read", errno);
	case UCPD_RX_KTLS:
		r = ucpd_ktls_read(leg, p, n, &what);
		if (r == UCPD_IO_ERROR && what)
			return leg_error(leg, what, errno);
		return r;
	case UCPD_RX_SSL:
		break;
	}
	leg->ssl_rd_wants_write = false;
	ret = SSL_read_ex(leg->ssl, p, n, &got);
	if (ucpd_ktls_tx_key_update(leg))
		return UCPD_IO_ERROR;
	if (ret == 1)
		return (ssize_t)got;
	switch (SSL_get_error(leg->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		return UCPD_IO_AGAIN;
	case SSL_ERROR_WANT_WRITE:
		leg->ssl_rd_wants_write = true;
		return UCPD_IO_AGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		/* The peer closed without close_notify: an end all the same. */
		ERR_clear_error();
		if (errno && errno != EPIPE && errno != ECONNRESET)
			return leg_error(leg, "read", errno);
		return 0;
	default:
		return leg_error(leg, "TLS read", 0);
	}
}

static ssize_t leg_write(struct ucpd_leg *leg, const char *p, size_t n)
{
	size_t done = 0;
	ssize_t r;
	int ret;

	if (!leg->ssl) {
		r = send(leg->fd, p, n, MSG_NOSIGNAL);
		if (r >= 0)
			return r;
		if (errno == EAGAIN || errno == EINTR)
			return UCPD_IO_AGAIN;
		return leg_error(leg, "write", errno);
	}
	leg->ssl_wr_wants_read = false;
	ret = SSL_write_ex(leg->ssl, p, n, &done);
	if (ret == 1)
		return (ssize_t)done;
	switch (SSL_get_error(leg->ssl, ret)) {
	case SSL_ERROR_WANT_WRITE:
		return UCPD_IO_AGAIN;
	case SSL_ERROR_WANT_READ:
		leg->ssl_wr_wants_read = true;
		return UCPD_IO_AGAIN;
	case SSL_ERROR_SYSCALL:
		return leg_error(leg, "write", errno ? errno : EPIPE);
	default:
		return leg_error(leg, "TLS write", 0);
	}
}

/* Our side of @leg is done: close_notify for TLS, then FIN. */
static void leg_shutdown_write(struct ucpd_leg *leg)
{
	if (leg->wr_shut)
		return;
	leg->wr_shut = true;
	if (leg->ssl) {
		SSL_shutdown(leg->ssl);
		ERR_clear_error();
	}
	shutdown(leg->fd, SHUT_WR);
}

/*
 * A strict framer refused the first @len bytes of @d->raw: the kernel
 * judges them too (and counts the reason), the connection ends, one line
 * says why. Returns -1.
 */
static int inspect_refused(struct ucpd_conn *c, struct ucpd_dir *d,
			   const struct ucpd_inspect_req *req, size_t len)
{
	const struct ucpd_framer *f = c->framer;
	const char *way = req->up ? "client to server" : "server to client";
	enum ucpd_verdict v;
	size_t outlen;
	char why[128];

	ucpd_count(UCPD_C_INSPECT_DROPPED);
	v = ucpd_inspect(req, d->raw.data, len, d->out.data + d->out.len,
			 d->out.cap - d->out.len, &outlen, why, sizeof(why));
	switch (v) {
	case UCPD_V_DROP:
		ucpd_log(UCPD_WARN, "%s: %s: closed: %s %s refused: %s",
			 c->l->cfg.name, c->peer, f->name, way, why);
		break;
	case UCPD_V_FORWARD:
		ucpd_count(UCPD_C_INSPECT_ERROR);
		ucpd_log(UCPD_WARN, "%s: %s: closed: %s %s: the agent refused what the kernel passed",
			 c->l->cfg.name, c->peer, f->name, way);
		break;
	case UCPD_V_ERROR:
		ucpd_count(UCPD_C_INSPECT_ERROR);
		ucpd_log(UCPD_WARN, "%s: %s: closed: %s %s cannot be framed; inspection failed: %s",
			 c->l->cfg.name, c->peer, f->name, way, why);
		break;
	}
	return -1;
}

/* Whole messages of @d->raw through the kernel into @d->out. */
static int inspect_dir(struct ucpd_conn *c, struct ucpd_dir *d,
		       struct ucpd_leg *from, struct ucpd_leg *to)
{
	const struct ucpd_framer *f = c->framer;
	struct ucpd_inspect_req req = {
		.proto = f->proto, .up = d == &c->up, .cfg = &c->l->cfg,
	};
	struct ucpd_flow flow, peer;
	enum ucpd_frame_ret fr;
	enum ucpd_verdict v;
	size_t skip, len, outlen;
	char why[128];

	/* The flow is the tuple of the connection written to, as it goes. */
	flow.src = to->local;
	flow.dst = to->remote;
	peer.src = from->remote;
	peer.dst = from->local;
	if (!f->strict) {
		req.flow = &flow;
		req.peer = &peer;
	}
	while (d->raw.len) {
		if (d->out.cap - d->out.len < f->max_out)
			return 0;	/* room for the largest rewrite first */
		fr = f->frame(&c->l->cfg, req.up, d->raw.data, d->raw.len,
			      &skip, &len);
		if (fr == UCPD_FRAME_BAD && f->strict)
			return inspect_refused(c, d, &req, len);
		if (fr == UCPD_FRAME_BAD) {
			ucpd_count(UCPD_C_INSPECT_DROPPED);
			ucpd_log(UCPD_WARN, "%s: %s: %s stream cannot be framed",
				 c->l->cfg.name, c->peer, f->name);
			return -1;
		}
		if (fr == UCPD_FRAME_MORE) {
			buf_consume(&d->raw, skip);
			if (d->raw.len == d->raw.cap) {
				ucpd_count(UCPD_C_INSPECT_DROPPED);
				ucpd_log(UCPD_WARN, "%s: %s: %s message larger than %zu bytes",
					 c->l->cfg.name, c->peer, f->name,
					 d->raw.cap);
				return -1;
			}
			return 0;
		}
		buf_consume(&d->raw, skip);
		v = ucpd_inspect(&req, d->raw.data, len,
				 d->out.data + d->out.len,
				 d->out.cap - d->out.len, &outlen, why,
				 sizeof(why));
		buf_consume(&d->raw, len);
		if (v == UCPD_V_DROP && f->strict) {
			/* The kernel refused a message the framer passed. */
			ucpd_count(UCPD_C_INSPECT_DROPPED);
			ucpd_log(UCPD_WARN, "%s: %s: closed: %s %s refused: %s",
				 c->l->cfg.name, c->peer, f->name,
				 req.up ? "client to server" : "server to client",
				 why);
			return -1;
		}
		switch (v) {
		case UCPD_V_FORWARD:
			ucpd_count(UCPD_C_INSPECTED);
			d->out.len += outlen;
			break;
		case UCPD_V_DROP:
			ucpd_count(UCPD_C_INSPECT_DROPPED);
			ucpd_log(UCPD_INFO, "%s: %s: %s message dropped by the inspector: %s",
				 c->l->cfg.name, c->peer, f->name, why);
			break;
		case UCPD_V_ERROR:
			ucpd_count(UCPD_C_INSPECT_ERROR);
			ucpd_log(UCPD_WARN, "%s: %s: inspection failed: %s",
				 c->l->cfg.name, c->peer, why);
			return -1;
		}
	}
	return 0;
}

/* Room for one read into @b (kTLS reads take one whole record). */
static size_t read_room(const struct ucpd_leg *from, const struct ucpd_buf *b)
{
	size_t room = b->cap - b->len;

	if (from->rx == UCPD_RX_KTLS && room < UCPD_TLS_RECORD_MAX)
		return 0;
	return room;
}

/* Moves what it can from @from to @to. 1: progress, 0: none, -1: error. */
static int pump(struct ucpd_conn *c, struct ucpd_dir *d, struct ucpd_leg *from,
		struct ucpd_leg *to, enum ucpd_counter bytes)
{
	struct ucpd_buf *in = c->framer ? &d->raw : &d->out;
	int progress = 0;
	size_t room;
	ssize_t r;

	while (!from->rd_eof && (room = read_room(from, in)) > 0) {
		r = leg_read(from, in->data + in->len, room);
		if (r == UCPD_IO_AGAIN)
			break;
		if (r == UCPD_IO_ERROR)
			return -1;
		progress = 1;
		if (r == 0) {
			from->rd_eof = true;
			break;
		}
		in->len += (size_t)r;
		ucpd_stats[bytes] += (uint64_t)r;
		if (c->framer && inspect_dir(c, d, from, to))
			return -1;
	}
	if (c->framer && inspect_dir(c, d, from, to))
		return -1;
	while (d->out.len) {
		r = leg_write(to, d->out.data, d->out.len);
		if (r == UCPD_IO_AGAIN)
			break;
		if (r == UCPD_IO_ERROR)
			return -1;
		buf_consume(&d->out, (size_t)r);
		progress = 1;
	}
	if (from->rd_eof && !d->out.len && !to->wr_shut) {
		/* An incomplete message at the end is not relayed. */
		leg_shutdown_write(to);
		progress = 1;
	}
	return progress;
}

/* The events each leg waits for, from the state of both directions. */
static int relay_arm(struct ucpd_conn *c)
{
	struct ucpd_buf *upin = c->framer ? &c->up.raw : &c->up.out;
	struct ucpd_buf *downin = c->framer ? &c->down.raw : &c->down.out;
	uint32_t ecl = 0, esv = 0;

	if (!c->cl.rd_eof && read_room(&c->cl, upin))
		ecl |= EPOLLIN;
	if (!c->sv.rd_eof && read_room(&c->sv, downin))
		esv |= EPOLLIN;
	if (c->down.out.len)
		ecl |= c->cl.ssl_wr_wants_read ? EPOLLIN : EPOLLOUT;
	if (c->up.out.len)
		esv |= c->sv.ssl_wr_wants_read ? EPOLLIN : EPOLLOUT;
	if (c->cl.ssl_rd_wants_write)
		ecl |= EPOLLOUT;
	if (c->sv.ssl_rd_wants_write)
		esv |= EPOLLOUT;
	return leg_arm(&c->cl, ecl) || leg_arm(&c->sv, esv) ? -1 : 0;
}

static void relay(struct ucpd_conn *c)
{
	int a, b;

	do {
		a = pump(c, &c->up, &c->cl, &c->sv, UCPD_C_BYTES_UP);
		b = a < 0 ? -1 : pump(c, &c->down, &c->sv, &c->cl,
				      UCPD_C_BYTES_DOWN);
		if (a < 0 || b < 0) {
			/*
			 * A leg's read or write failed (a bad TLS record, a
			 * reset): counted here; inspection failures have
			 * their own counters and lines.
			 */
			if (c->why[0])
				ucpd_count(UCPD_C_RELAY_ERROR);
			conn_close(c, c->why[0] ? c->why : NULL);
			return;
		}
		if (a || b)
			c->deadline = ucpd_now_ms() +
				      ucpd.cfg.idle_timeout * 1000ull;
	} while (a > 0 || b > 0);
	if (c->cl.rd_eof && c->sv.rd_eof && c->cl.wr_shut && c->sv.wr_shut) {
		conn_close(c, NULL);
		return;
	}
	if (relay_arm(c))
		conn_close(c, "epoll");
}

static int start_relay(struct ucpd_conn *c)
{
	size_t cap = ucpd.cfg.buffer_size;
	char addr[64];

	/* A kTLS read takes a whole record; a rewrite needs its room. */
	if (cap < 2 * UCPD_TLS_RECORD_MAX)
		cap = 2 * UCPD_TLS_RECORD_MAX;
	if (c->framer && cap < c->framer->max_msg + UCPD_TLS_RECORD_MAX)
		cap = c->framer->max_msg + UCPD_TLS_RECORD_MAX;
	if (buf_alloc(&c->up.out, c->framer ? cap + c->framer->max_out : cap) ||
	    buf_alloc(&c->down.out, c->framer ? cap + c->framer->max_out : cap))
		return -1;
	if (c->framer && (buf_alloc(&c->up.raw, cap) ||
			  buf_alloc(&c->down.raw, cap)))
		return -1;
	if (c->cl.ssl)
		ucpd_ktls_engage(&c->cl);
	if (c->sv.ssl)
		ucpd_ktls_engage(&c->sv);
	c->state = UCPD_S_RELAY;
	c->deadline = ucpd_now_ms() + ucpd.cfg.idle_timeout * 1000ull;
	ucpd_count(UCPD_C_RELAYED);
	ucpd_log(UCPD_DEBUG, "%s: %s: relaying to %s", c->l->cfg.name, c->peer,
		 ucpd_addr_str(&c->sv.remote, addr, sizeof(addr)));
	relay(c);
	return 0;
}

void ucpd_conn_event(struct ucpd_leg *leg, uint32_t events)
{
	struct ucpd_conn *c = leg->conn;
	char why[320];
	int ret;

	if (c->dead)
		return;
	switch (c->state) {
	case UCPD_S_CLIENT_HS:
		ret = handshake(&c->cl, why, sizeof(why));
		if (ret < 0) {
			long vr = SSL_get_verify_result(c->cl.ssl);

			if (c->l->cfg.client_auth && vr != X509_V_OK) {
				ucpd_count(UCPD_C_CLIENT_CERT_REFUSED);
				ucpd_auth_failure(&c->l->cfg, UCP_DIR_ORIGINAL);
				snprintf(why, sizeof(why), "client certificate refused: %s",
					 X509_verify_cert_error_string(vr));
			} else if (strstr(why, "certificate")) {
				ucpd_count(UCPD_C_CLIENT_CERT_REFUSED);
				ucpd_auth_failure(&c->l->cfg, UCP_DIR_ORIGINAL);
			}
			ucpd_count(UCPD_C_HANDSHAKE_FAILED);
			conn_close(c, why);
		} else if (ret > 0) {
			client_ready(c);
		}
		return;
	case UCPD_S_CONNECTING:
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			server_connected(c);
		return;
	case UCPD_S_SERVER_HS:
		ret = handshake(&c->sv, why, sizeof(why));
		if (ret < 0) {
			ucpd_count(UCPD_C_HANDSHAKE_FAILED);
			if (c->l->cfg.server_ca &&
			    SSL_get_verify_result(c->sv.ssl) != X509_V_OK)
				ucpd_auth_failure(&c->l->cfg, UCP_DIR_REPLY);
			strncat(why, " (server leg)", sizeof(why) - strlen(why) - 1);
			conn_close(c, why);
		} else if (ret > 0 && start_relay(c)) {
			conn_close(c, "out of memory");
		}
		return;
	case UCPD_S_RELAY:
		relay(c);
		return;
	}
}

void ucpd_conn_timers(uint64_t now)
{
	struct ucpd_conn *c, *next;

	for (c = ucpd.conns; c; c = next) {
		next = c->next;
		if (now < c->deadline)
			continue;
		if (c->state == UCPD_S_RELAY) {
			ucpd_count(UCPD_C_TIMEOUT_IDLE);
			conn_close(c, "idle timeout");
		} else {
			ucpd_count(UCPD_C_TIMEOUT_HANDSHAKE);
			conn_close(c, c->state == UCPD_S_CONNECTING ?
				   "connect timeout" : "handshake timeout");
		}
	}
}

void ucpd_conn_close_all(void)
{
	while (ucpd.conns)
		conn_free(ucpd.conns);
}
