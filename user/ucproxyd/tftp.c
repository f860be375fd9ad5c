// SPDX-License-Identifier: GPL-2.0
/*
 * The phone proxy's TFTP proxy, in the agent's event loop.
 *
 * Phones send read requests to [tftp] listen (explicit mode), or to the
 * cluster's TFTP server's own address, and nft tproxy steers them to listen
 * (transparent mode). Each accepted request is one transfer with two
 * sockets of its own: one toward the phone (a new port, the transfer ID TFTP
 * needs, on the address the request was sent to: in transparent mode the
 * original destination, bound with IP_TRANSPARENT, so the phone sees the
 * server answer as it would without the proxy) and one toward the
 * cluster's TFTP server ([tftp] server), from the agent's own address. A
 * transfer is one of:
 *
 *   relay     any other file (firmware, ringers...): the phone's options go
 *             to the server, its OACK back to the phone, and each block is
 *             passed on when the previous one was acknowledged: one block
 *             in memory, whatever the file's size (lock step, RFC 1350).
 *   rewrite   SEP<MAC>.cnf.xml: fetched whole (at most max-config-size),
 *             rewritten by cnfxml.c, kept in the cache, then served.
 *   ctl       the CTL file of [ctl], made at load time with the writer of
 *             `ucproxyd ctl write`, served from memory.
 *
 * The proxy is read-only: a write request gets error 2. ITLFile.tlv and
 * signed configurations (.cnf.xml.sgn) get error 1: the cluster's would
 * name the cluster's certificates, and the proxy signs neither yet.
 * Each side retransmits its last packet after the timeout (the one the
 * phone negotiated with the timeout option, else [tftp] timeout) up to
 * [tftp] retries times, then gives up with an error to the other side;
 * duplicate ACKs never cause a retransmission (RFC 1350's "Sorcerer's
 * Apprentice" bug). Every refusal is one log line and a counter.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ucproxyd.h"
#include "cnfxml.h"
#include "tftp_cache.h"
#include "tftp_pkt.h"

/* Blocks the proxy asks of the server when it fetches a configuration. */
#define FETCH_BLKSIZE	1428
#define DEFAULT_CTL	"CTLFile.tlv"
#define NAME_MAX_LOG	80

enum role { R_LISTEN, R_PHONE, R_SERVER };

struct tsock {
	struct ucpd_ev ev;		/* first: the epoll cookie */
	enum role role;
	struct xfer *x;			/* NULL for the listening socket */
	int fd;
};

enum kind { K_RELAY, K_REWRITE, K_CTL };

/* Where the phone's side stands. */
enum pstate {
	P_SOURCE,	/* waiting for the server (relay) or the whole file */
	P_OACK,		/* our OACK sent, waiting for ACK 0 */
	P_DATA,		/* block pblock sent, waiting for its ACK */
	P_IDLE,		/* relay: the phone acknowledged, the server is next */
};

struct xfer {
	struct xfer *next;
	struct tsock ps, us;		/* toward the phone, toward the server */
	/* Where ps is bound: the request's destination, or [tftp] listen. */
	struct sockaddr_storage local;
	enum kind kind;
	bool dead;
	char name[UCPD_TFTP_REQ_MAX];
	char log[NAME_MAX_LOG + 64];	/* "ADDR:PORT NAME" for log lines */
	struct sockaddr_storage phone;
	socklen_t phone_len;
	struct sockaddr_storage server;	/* [tftp] server, then its transfer ID */
	socklen_t server_len;
	bool server_tid;
	enum ucpd_tftp_mode mode;
	struct ucpd_tftp_opts preq;	/* the phone's known options */
	struct ucpd_tftp_opts ureq;	/* what was asked of the server */
	uint16_t blksize;		/* of both sides in a relay */
	unsigned int retries;
	uint64_t ptimeout, utimeout;	/* ms */
	/* Phone side: the last packet sent, for retransmission. */
	enum pstate pst;
	uint32_t pblock;		/* counts past 65535; the wire wraps */
	bool plast;
	uint8_t *ppkt;
	size_t ppkt_len, ppkt_cap;
	unsigned int ptries;
	uint64_t pdeadline;
	/* Server side. */
	bool uwait;			/* an answer of the server is due */
	bool uopen;			/* the server's transfer is running */
	uint32_t ublock;
	uint8_t upkt[UCPD_TFTP_REQ_MAX];
	size_t upkt_len;
	unsigned int utries;
	uint64_t udeadline;
	/* rewrite and ctl: the whole file */
	uint8_t *data;
	size_t len, cap, max;
	uint64_t sent;
};

struct ucpd_tftp_next {
	bool on;
	struct ucpd_tftp_cfg cfg;
	int fd;				/* -1: keep the running socket */
	uint8_t *ctl;
	size_t ctl_len;
	char ctl_name[256];
};

static struct {
	bool on;
	struct ucpd_tftp_cfg cfg;
	struct tsock listen;
	uint8_t *ctl;
	size_t ctl_len;
	char ctl_name[256];
	struct ucpd_tftp_cache cache;
	struct xfer *xfers, *dead;
	unsigned int n;
} T = { .listen = { .ev = { UCPD_EV_TFTP }, .role = R_LISTEN, .fd = -1 } };

static uint8_t rx[UCPD_TFTP_PKT_MAX + 1];
static uint8_t tx[UCPD_TFTP_REQ_MAX];

static void log_name(char *buf, size_t len, const struct sockaddr_storage *ss,
		     const char *name)
{
	char a[64], n[NAME_MAX_LOG + 1];
	size_t i;

	for (i = 0; name[i] && i < NAME_MAX_LOG; i++)
		n[i] = name[i] > ' ' && name[i] < 127 ? name[i] : '?';
	n[i] = '\0';
	snprintf(buf, len, "%s %s%s", ucpd_addr_str(ss, a, sizeof(a)), n,
		 name[i] ? "..." : "");
}

static bool same_host(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr,
		       sizeof(struct in6_addr));
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_port;
	return ((const struct sockaddr_in6 *)ss)->sin6_port;
}

static bool same_peer(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	return same_host(a, b) && port_of(a) == port_of(b);
}

static void send_to(int fd, const void *b, size_t len,
		    const struct sockaddr_storage *to, socklen_t tolen)
{
	/* A lost datagram is what retransmission is for. */
	if (sendto(fd, b, len, 0, (const struct sockaddr *)to, tolen) < 0)
		ucpd_log(UCPD_DEBUG, "tftp: sendto: %s", strerror(errno));
}

static void send_error(int fd, const struct sockaddr_storage *to,
		       socklen_t tolen, uint16_t code, const char *msg)
{
	size_t n = ucpd_tftp_build_error(tx, sizeof(tx), code, msg);

	send_to(fd, tx, n, to, tolen);
}

static socklen_t addr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					   sizeof(struct sockaddr_in);
}

static bool is_any(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
		       htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

/*
 * A UDP socket bound to @where with port 0 (a new transfer ID), in the
 * epoll set; @where NULL: the wildcard address of @family. @transparent:
 * with IP_TRANSPARENT, so @where may be an address the router does not own.
 */
static int open_sock(struct tsock *s, const struct sockaddr_storage *where,
		     int family, bool transparent)
{
	struct sockaddr_storage b;

	if (where) {
		b = *where;
	} else {
		memset(&b, 0, sizeof(b));
		b.ss_family = (sa_family_t)family;
	}
	if (b.ss_family == AF_INET)
		((struct sockaddr_in *)&b)->sin_port = 0;
	else
		((struct sockaddr_in6 *)&b)->sin6_port = 0;
	s->fd = socket(b.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -1;
	if ((transparent && ucpd_set_transparent(s->fd, b.ss_family)) ||
	    bind(s->fd, (const struct sockaddr *)&b, addr_len(&b)) ||
	    ucpd_epoll_add(s->fd, s)) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

static void close_sock(struct tsock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/*
 * Ends @x: @why logged (NULL: a success), the phone told @pcode (-1:
 * nothing) and the server, if its transfer is open, @ucode.
 */
static void end(struct xfer *x, enum ucpd_level lvl, const char *why,
		int pcode, int ucode, int counter)
{
	struct xfer **pp;

	if (x->dead)
		return;
	if (pcode >= 0 && why && x->ps.fd >= 0)
		send_error(x->ps.fd, &x->phone, x->phone_len, (uint16_t)pcode, why);
	if (ucode >= 0 && why && x->uopen && x->us.fd >= 0 && x->server_tid)
		send_error(x->us.fd, &x->server, x->server_len, (uint16_t)ucode,
			   why);
	if (counter >= 0)
		ucpd_count((enum ucpd_counter)counter);
	if (why)
		ucpd_log(lvl, "tftp: %s: %s", x->log, why);
	close_sock(&x->ps);
	close_sock(&x->us);
	x->dead = true;
	for (pp = &T.xfers; *pp; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	x->next = T.dead;
	T.dead = x;
	T.n--;
}

static void done(struct xfer *x)
{
	static const char * const how[] = {
		[K_RELAY] = "relayed", [K_REWRITE] = "rewritten", [K_CTL] = "ctl",
	};

	ucpd_count(UCPD_C_TFTP_DONE);
	ucpd_log(UCPD_INFO, "tftp: %s: %llu bytes sent (%s, blksize %u)",
		 x->log, (unsigned long long)x->sent, how[x->kind], x->blksize);
	end(x, UCPD_INFO, NULL, -1, -1, -1);
}

static int ppkt_room(struct xfer *x, size_t need)
{
	uint8_t *b;

	if (need <= x->ppkt_cap)
		return 0;
	b = realloc(x->ppkt, need);
	if (!b)
		return -1;
	x->ppkt = b;
	x->ppkt_cap = need;
	return 0;
}

/* Room for a block of x->blksize toward the phone, or @x ends. */
static bool block_room(struct xfer *x)
{
	if (!ppkt_room(x, 4 + (size_t)x->blksize))
		return true;
	end(x, UCPD_ERR, "out of memory", UCPD_TFTP_E_UNDEF, UCPD_TFTP_E_UNDEF, -1);
	return false;
}

/* Sends what is in ppkt to the phone and arms its timer. */
static void psend(struct xfer *x, enum pstate st)
{
	x->pst = st;
	x->ptries = 0;
	x->pdeadline = ucpd_now_ms() + x->ptimeout;
	send_to(x->ps.fd, x->ppkt, x->ppkt_len, &x->phone, x->phone_len);
}

/* Sends what is in upkt to the server; @wait: an answer is due. */
static void usend(struct xfer *x, bool wait)
{
	x->uwait = wait;
	x->utries = 0;
	x->udeadline = ucpd_now_ms() + x->utimeout;
	send_to(x->us.fd, x->upkt, x->upkt_len, &x->server, x->server_len);
}

/* rewrite, ctl: the next block of the file in memory. */
static void send_block(struct xfer *x)
{
	size_t off = (size_t)x->pblock * x->blksize, n;

	x->pblock++;
	n = off >= x->len ? 0 : x->len - off;
	if (n > x->blksize)
		n = x->blksize;
	x->plast = n < x->blksize;
	ucpd_tftp_build_data(x->ppkt, x->ppkt_cap, (uint16_t)x->pblock);
	memcpy(x->ppkt + 4, x->data + off, n);
	x->ppkt_len = 4 + n;
	x->sent += n;
	ucpd_count_add(UCPD_C_TFTP_BYTES, n);
	psend(x, P_DATA);
}

/* rewrite, ctl: the file is whole; answer the phone's options, or block 1. */
static void serve(struct xfer *x)
{
	struct ucpd_tftp_opts o = { 0 };

	x->blksize = UCPD_TFTP_SEGSIZE;
	if (x->preq.has_blksize) {
		o.has_blksize = true;
		o.blksize = x->preq.blksize;
		x->blksize = o.blksize;
	}
	if (x->preq.has_timeout) {
		o.has_timeout = true;
		o.timeout = x->preq.timeout;
	}
	if (x->preq.has_tsize) {
		o.has_tsize = true;
		o.tsize = x->len;
	}
	if (!block_room(x))
		return;
	x->pblock = 0;
	if (o.has_blksize || o.has_timeout || o.has_tsize) {
		x->ppkt_len = ucpd_tftp_build_oack(x->ppkt, x->ppkt_cap, &o);
		psend(x, P_OACK);
		return;
	}
	send_block(x);
}

/* rewrite: the configuration is whole; rewrite it, keep it, serve it. */
static void rewrite(struct xfer *x)
{
	struct ucpd_cnf_policy pol = {
		.security_mode = T.cfg.security_mode,
		.address = T.cfg.outside,
		.sip_tls_port = (uint16_t)T.cfg.sip_tls_port,
	};
	struct ucpd_cnf_stats st;
	enum ucpd_cnf_err e;
	char why[160];
	uint8_t *out;
	size_t n;

	e = ucpd_cnf_rewrite(x->data, x->len, &pol, &out, &n, &st);
	if (e) {
		snprintf(why, sizeof(why), "configuration not rewritten: %s",
			 ucpd_cnf_strerror(e));
		end(x, UCPD_WARN, why, UCPD_TFTP_E_UNDEF, -1,
		    e == UCPD_CNF_E_NOMEM ? -1 : UCPD_C_TFTP_XML_REFUSED);
		return;
	}
	free(x->data);
	x->data = out;
	x->len = n;
	ucpd_count(UCPD_C_TFTP_REWRITTEN);
	ucpd_log(UCPD_DEBUG, "tftp: %s: rewritten (%u call managers, %u capf, %u load servers, %u added)",
		 x->log, st.call_managers, st.capf, st.load_servers, st.added);
	if (ucpd_tftp_cache_put(&T.cache, x->name, out, n, ucpd_now_ms()))
		ucpd_log(UCPD_WARN, "tftp: %s: not cached: out of memory", x->log);
	serve(x);
}

static int append(struct xfer *x, const uint8_t *b, size_t n)
{
	uint8_t *d;
	size_t cap;

	if (n > x->max - x->len)
		return 1;
	if (x->len + n > x->cap) {
		cap = x->cap ? x->cap * 2 : 16384;
		while (cap < x->len + n)
			cap *= 2;
		if (cap > x->max)
			cap = x->max;
		d = realloc(x->data, cap);
		if (!d)
			return -1;
		x->data = d;
		x->cap = cap;
	}
	memcpy(x->data + x->len, b, n);
	x->len += n;
	return 0;
}

static void oversize(struct xfer *x)
{
	char why[96];

	snprintf(why, sizeof(why), "configuration larger than max-config-size (%u bytes)",
		 T.cfg.max_config_size);
	end(x, UCPD_WARN, why, UCPD_TFTP_E_DISK_FULL, UCPD_TFTP_E_DISK_FULL,
	    UCPD_C_TFTP_OVERSIZE);
}

static void server_oack(struct xfer *x, const struct ucpd_tftp_pkt *p)
{
	const char *why;

	if (x->pst != P_SOURCE || x->ublock ||
	    !(x->ureq.has_blksize || x->ureq.has_timeout || x->ureq.has_tsize)) {
		end(x, UCPD_WARN, "server sent an OACK out of place",
		    UCPD_TFTP_E_UNDEF, UCPD_TFTP_E_ILLEGAL, UCPD_C_TFTP_BAD_PACKET);
		return;
	}
	why = ucpd_tftp_oack_check(&x->ureq, &p->opts);
	if (why) {
		end(x, UCPD_WARN, why, UCPD_TFTP_E_UNDEF, UCPD_TFTP_E_OPTION,
		    UCPD_C_TFTP_BAD_PACKET);
		return;
	}
	x->blksize = p->opts.has_blksize ? p->opts.blksize : UCPD_TFTP_SEGSIZE;
	if (x->kind == K_REWRITE) {
		if (p->opts.has_tsize && p->opts.tsize > x->max) {
			oversize(x);
			return;
		}
		x->upkt_len = ucpd_tftp_build_ack(x->upkt, sizeof(x->upkt), 0);
		usend(x, true);
		return;
	}
	/* relay: the phone gets the same answer and acknowledges it first. */
	if (!block_room(x))
		return;
	x->ppkt_len = ucpd_tftp_build_oack(x->ppkt, x->ppkt_cap, &p->opts);
	x->uwait = false;
	psend(x, P_OACK);
}

static void server_data(struct xfer *x, const struct ucpd_tftp_pkt *p)
{
	uint16_t expect = (uint16_t)(x->ublock + 1);
	bool first = !x->ublock;

	if (p->block == (uint16_t)x->ublock && x->ublock) {
		/* Our ACK was lost: acknowledge again (never the other way). */
		if (x->uwait)
			send_to(x->us.fd, x->upkt, x->upkt_len, &x->server,
				x->server_len);
		return;
	}
	if (p->block != expect)
		return;
	if (x->kind == K_RELAY && x->pst != P_SOURCE && x->pst != P_IDLE)
		return;
	if (first && x->pst == P_SOURCE)
		/* No OACK: the server took none of the options (RFC 2347). */
		x->blksize = x->blksize ? x->blksize : UCPD_TFTP_SEGSIZE;
	if (p->data_len > x->blksize) {
		end(x, UCPD_WARN, "server sent a block above the block size",
		    UCPD_TFTP_E_UNDEF, UCPD_TFTP_E_ILLEGAL, UCPD_C_TFTP_BAD_PACKET);
		return;
	}
	x->ublock++;
	if (x->kind == K_REWRITE) {
		int r = append(x, p->data, p->data_len);

		if (r > 0) {
			oversize(x);
			return;
		}
		if (r < 0) {
			end(x, UCPD_ERR, "out of memory", UCPD_TFTP_E_UNDEF,
			    UCPD_TFTP_E_UNDEF, -1);
			return;
		}
		x->upkt_len = ucpd_tftp_build_ack(x->upkt, sizeof(x->upkt),
						  p->block);
		if (p->data_len < x->blksize) {
			usend(x, false);
			x->uopen = false;
			close_sock(&x->us);
			rewrite(x);
			return;
		}
		usend(x, true);
		return;
	}
	/* relay: pass the block on; the server waits for the phone's ACK. */
	if (!block_room(x))
		return;
	ucpd_tftp_build_data(x->ppkt, x->ppkt_cap, p->block);
	memcpy(x->ppkt + 4, p->data, p->data_len);
	x->ppkt_len = 4 + p->data_len;
	x->pblock = x->ublock;
	x->plast = p->data_len < x->blksize;
	x->sent += p->data_len;
	ucpd_count_add(UCPD_C_TFTP_BYTES, p->data_len);
	x->uwait = false;
	psend(x, P_DATA);
}

/* Parses a packet of @who; a bad one ends @x with the parser's reason. */
static bool parsed(struct xfer *x, const uint8_t *b, size_t n,
		   struct ucpd_tftp_pkt *p, const char *who, int pcode, int ucode)
{
	enum ucpd_tftp_perr e = ucpd_tftp_parse(b, n, p);
	char why[160];

	if (!e)
		return true;
	snprintf(why, sizeof(why), "bad packet from %s: %s", who,
		 ucpd_tftp_strerror(e));
	end(x, UCPD_WARN, why, pcode, ucode, UCPD_C_TFTP_BAD_PACKET);
	return false;
}

/* An error packet ends @x; the other side gets the same code and words. */
static void peer_error(struct xfer *x, const struct ucpd_tftp_pkt *p,
		       bool from_phone)
{
	char why[160];

	snprintf(why, sizeof(why), "%s sent error %u: %.100s",
		 from_phone ? "the phone" : "the server", p->code, p->msg);
	if (from_phone && x->uopen && x->us.fd >= 0 && x->server_tid)
		send_error(x->us.fd, &x->server, x->server_len, p->code, p->msg);
	if (!from_phone && x->ps.fd >= 0)
		send_error(x->ps.fd, &x->phone, x->phone_len, p->code, p->msg);
	x->uopen = false;
	end(x, UCPD_INFO, why, -1, -1, from_phone ? UCPD_C_TFTP_PHONE_ERROR :
		    UCPD_C_TFTP_SERVER_ERROR);
}

static void server_packet(struct xfer *x, const uint8_t *b, size_t n,
			  const struct sockaddr_storage *from, socklen_t fromlen)
{
	struct ucpd_tftp_pkt p;

	if (!same_host(from, &x->server) ||
	    (x->server_tid && !same_peer(from, &x->server))) {
		ucpd_count(UCPD_C_TFTP_UNKNOWN_TID);
		send_error(x->us.fd, from, fromlen, UCPD_TFTP_E_UNKNOWN_TID,
			   "unknown transfer ID");
		return;
	}
	if (!x->server_tid) {
		x->server = *from;
		x->server_len = fromlen;
		x->server_tid = true;
		x->uopen = true;
	}
	if (!parsed(x, b, n, &p, "the server", UCPD_TFTP_E_UNDEF,
		    UCPD_TFTP_E_ILLEGAL))
		return;
	switch (p.op) {
	case UCPD_TFTP_ERROR:
		/* The server's own words reach the phone (a missing file...). */
		peer_error(x, &p, false);
		return;
	case UCPD_TFTP_OACK:
		server_oack(x, &p);
		return;
	case UCPD_TFTP_DATA:
		server_data(x, &p);
		return;
	default:
		end(x, UCPD_WARN, "server sent a packet a server does not send",
		    UCPD_TFTP_E_UNDEF, UCPD_TFTP_E_ILLEGAL, UCPD_C_TFTP_BAD_PACKET);
		return;
	}
}

static void phone_ack(struct xfer *x, uint16_t block)
{
	if (x->pst == P_OACK && block == 0) {
		if (x->kind == K_RELAY) {
			x->upkt_len = ucpd_tftp_build_ack(x->upkt, sizeof(x->upkt), 0);
			x->pst = P_IDLE;
			usend(x, true);
			return;
		}
		send_block(x);
		return;
	}
	/* A duplicate or stale ACK changes nothing (Sorcerer's Apprentice). */
	if (x->pst != P_DATA || block != (uint16_t)x->pblock)
		return;
	if (x->kind == K_RELAY) {
		x->upkt_len = ucpd_tftp_build_ack(x->upkt, sizeof(x->upkt), block);
		if (x->plast) {
			usend(x, false);
			x->uopen = false;
			done(x);
			return;
		}
		x->pst = P_IDLE;
		usend(x, true);
		return;
	}
	if (x->plast) {
		done(x);
		return;
	}
	send_block(x);
}

static void phone_packet(struct xfer *x, const uint8_t *b, size_t n,
			 const struct sockaddr_storage *from, socklen_t fromlen)
{
	struct ucpd_tftp_pkt p;

	if (!same_peer(from, &x->phone)) {
		ucpd_count(UCPD_C_TFTP_UNKNOWN_TID);
		send_error(x->ps.fd, from, fromlen, UCPD_TFTP_E_UNKNOWN_TID,
			   "unknown transfer ID");
		return;
	}
	if (!parsed(x, b, n, &p, "the phone", UCPD_TFTP_E_ILLEGAL,
		    UCPD_TFTP_E_UNDEF))
		return;
	switch (p.op) {
	case UCPD_TFTP_ACK:
		phone_ack(x, p.block);
		return;
	case UCPD_TFTP_ERROR:
		peer_error(x, &p, true);
		return;
	default:
		end(x, UCPD_WARN, "phone sent a packet out of place",
		    UCPD_TFTP_E_ILLEGAL, UCPD_TFTP_E_UNDEF, UCPD_C_TFTP_BAD_PACKET);
		return;
	}
}

static bool hex12(const char *s)
{
	int i;

	for (i = 0; i < 12; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

/* SEP<12 hex digits> then @suffix, in any case. */
static bool is_sep(const char *n, size_t len, const char *suffix)
{
	return len == 15 + strlen(suffix) && !strncasecmp(n, "SEP", 3) &&
	       hex12(n + 3) && !strcasecmp(n + 15, suffix);
}

/* rewrite-phones: is the phone of SEP<MAC>... one whose file is rewritten? */
static bool rewritten_phone(const char *name)
{
	unsigned int i;

	if (!T.cfg.n_macs)
		return true;
	for (i = 0; i < T.cfg.n_macs; i++)
		if (!strncasecmp(name + 3, T.cfg.macs[i], 12))
			return true;
	return false;
}

static struct xfer *find(const struct sockaddr_storage *phone)
{
	struct xfer *x;

	for (x = T.xfers; x; x = x->next)
		if (same_peer(&x->phone, phone))
			return x;
	return NULL;
}

/* One log line, a counter, and @answer to the phone (from the request port). */
static void refuse(const struct sockaddr_storage *from, socklen_t fromlen,
		   const char *who, enum ucpd_counter counter, uint16_t code,
		   const char *answer, const char *what, const char *why)
{
	ucpd_count(counter);
	ucpd_log(UCPD_WARN, "tftp: %s: %s: %s", who, what, why);
	send_error(T.listen.fd, from, fromlen, code, answer);
}

/*
 * A read request on the listening socket, from @from to @to (its
 * destination as sent: in transparent mode the cluster's server; NULL
 * when the kernel did not say).
 */
static void request(const uint8_t *b, size_t n,
		    const struct sockaddr_storage *from, socklen_t fromlen,
		    const struct sockaddr_storage *to)
{
	const struct ucpd_tftp_cfg *c = &T.cfg;
	const uint8_t *cached = NULL;
	struct ucpd_tftp_pkt p;
	enum ucpd_tftp_perr e;
	char who[NAME_MAX_LOG + 64];
	struct xfer *x;
	size_t clen = 0;
	enum kind kind;

	const char *bad = NULL;

	e = ucpd_tftp_parse(b, n, &p);
	if (!e && (p.op == UCPD_TFTP_ACK || p.op == UCPD_TFTP_ERROR)) {
		/*
		 * Never answered, so two peers cannot loop on errors: tftp-hpa
		 * acknowledges the error of a refused request here.
		 */
		ucpd_count(UCPD_C_TFTP_STRAY);
		ucpd_log(UCPD_DEBUG, "tftp: %s: %s on the request port dropped",
			 ucpd_addr_str(from, who, sizeof(who)),
			 p.op == UCPD_TFTP_ACK ? "ACK" : "ERROR");
		return;
	}
	if (e)
		bad = ucpd_tftp_strerror(e);
	else if (p.op != UCPD_TFTP_RRQ && p.op != UCPD_TFTP_WRQ)
		bad = "not a request";
	if (bad) {
		ucpd_addr_str(from, who, sizeof(who));
		refuse(from, fromlen, who, UCPD_C_TFTP_BAD_PACKET,
		       UCPD_TFTP_E_ILLEGAL, bad, "request refused", bad);
		return;
	}
	log_name(who, sizeof(who), from, p.file);
	if (p.op == UCPD_TFTP_WRQ) {
		refuse(from, fromlen, who, UCPD_C_TFTP_WRITE_REFUSED,
		       UCPD_TFTP_E_ACCESS, "access violation: read-only",
		       "write refused", "the proxy is read-only");
		return;
	}
	/* The phone repeats its request while the first one is served. */
	if (find(from))
		return;
	if (T.ctl && !strcasecmp(p.file, T.ctl_name)) {
		kind = K_CTL;
	} else if (!strcasecmp(p.file, "ITLFile.tlv") ||
		   (is_sep(p.file, p.file_len, ".cnf.xml.sgn") &&
		    rewritten_phone(p.file))) {
		refuse(from, fromlen, who, UCPD_C_TFTP_NOT_SERVED,
		       UCPD_TFTP_E_NOT_FOUND, "file not found", "not served",
		       "the proxy signs no ITL or configuration");
		return;
	} else if (is_sep(p.file, p.file_len, ".cnf.xml") &&
		   rewritten_phone(p.file)) {
		kind = K_REWRITE;
		cached = ucpd_tftp_cache_get(&T.cache, p.file, ucpd_now_ms(), &clen);
	} else {
		kind = K_RELAY;
	}
	if (kind != K_RELAY && p.mode != UCPD_TFTP_OCTET) {
		refuse(from, fromlen, who, UCPD_C_TFTP_NOT_SERVED,
		       UCPD_TFTP_E_UNDEF, "octet mode only for this file",
		       "not served", "netascii for a file the proxy makes");
		return;
	}
	if (T.n >= c->max_transfers) {
		refuse(from, fromlen, who, UCPD_C_TFTP_BUSY, UCPD_TFTP_E_UNDEF,
		       "too many transfers, try again later", "refused",
		       "max-transfers reached");
		return;
	}
	x = calloc(1, sizeof(*x));
	if (!x || ppkt_room(x, 4 + UCPD_TFTP_SEGSIZE))
		goto nomem;
	x->ps = (struct tsock){ { UCPD_EV_TFTP }, R_PHONE, x, -1 };
	x->us = (struct tsock){ { UCPD_EV_TFTP }, R_SERVER, x, -1 };
	x->kind = kind;
	memcpy(x->name, p.file, p.file_len + 1);
	snprintf(x->log, sizeof(x->log), "%s", who);
	x->phone = *from;
	x->phone_len = fromlen;
	/*
	 * The phone's answers come from where it sent its request: the
	 * original destination in transparent mode, the request's own
	 * destination when listen is a wildcard, else the listen address.
	 */
	x->local = c->listen;
	if (to && to->ss_family == c->listen.ss_family &&
	    (c->transparent || is_any(&c->listen)))
		x->local = *to;
	/* The server's request port until its transfer ID is known. */
	x->server = c->server;
	x->server_len = c->server_len;
	x->mode = p.mode;
	x->preq = p.opts;
	x->preq.n_unknown = 0;
	x->retries = c->retries;
	x->ptimeout = (x->preq.has_timeout ? x->preq.timeout : c->timeout) * 1000ull;
	x->utimeout = x->ptimeout;
	x->max = c->max_config_size;
	if (open_sock(&x->ps, &x->local, 0, c->transparent))
		goto sock;
	if (ucpd_log_level >= UCPD_DEBUG) {
		struct sockaddr_storage at;
		socklen_t atlen = sizeof(at);
		char a[64];

		if (!getsockname(x->ps.fd, (struct sockaddr *)&at, &atlen))
			ucpd_log(UCPD_DEBUG, "tftp: %s: answering from %s", who,
				 ucpd_addr_str(&at, a, sizeof(a)));
	}
	x->next = T.xfers;
	T.xfers = x;
	T.n++;
	ucpd_count(UCPD_C_TFTP_REQUESTS);
	if (kind == K_CTL || cached) {
		x->data = malloc(kind == K_CTL ? T.ctl_len : clen);
		if (!x->data) {
			end(x, UCPD_ERR, "out of memory", UCPD_TFTP_E_UNDEF, -1, -1);
			return;
		}
		x->len = kind == K_CTL ? T.ctl_len : clen;
		memcpy(x->data, kind == K_CTL ? T.ctl : cached, x->len);
		ucpd_count(kind == K_CTL ? UCPD_C_TFTP_CTL : UCPD_C_TFTP_CACHE_HIT);
		serve(x);
		return;
	}
	/* From the agent's own address: the route toward the server picks it. */
	if (open_sock(&x->us, NULL, c->server.ss_family, false)) {
		end(x, UCPD_ERR, "no socket toward the server", UCPD_TFTP_E_UNDEF,
		    -1, -1);
		return;
	}
	if (kind == K_RELAY) {
		/* The phone's own options, so that blocks map one to one. */
		x->ureq = x->preq;
		ucpd_count(UCPD_C_TFTP_RELAYED);
	} else {
		x->ureq.has_blksize = true;
		x->ureq.blksize = FETCH_BLKSIZE;
		x->ureq.has_tsize = true;
		x->ureq.tsize = 0;
	}
	x->upkt_len = ucpd_tftp_build_rrq(x->upkt, sizeof(x->upkt), x->name,
					  kind == K_RELAY ? x->mode : UCPD_TFTP_OCTET,
					  &x->ureq);
	if (!x->upkt_len) {
		end(x, UCPD_WARN, "request too long for the server",
		    UCPD_TFTP_E_UNDEF, -1, UCPD_C_TFTP_BAD_PACKET);
		return;
	}
	x->pst = P_SOURCE;
	usend(x, true);
	return;
sock:
	ucpd_log(UCPD_ERR, "tftp: %s: transfer socket: %s", who, strerror(errno));
	send_error(T.listen.fd, from, fromlen, UCPD_TFTP_E_UNDEF, "no socket");
	free(x->ppkt);
	free(x);
	return;
nomem:
	ucpd_log(UCPD_ERR, "tftp: %s: out of memory", who);
	if (x)
		free(x->ppkt);
	free(x);
}

/*
 * A datagram of the listening socket into rx, with its destination as the
 * phone sent it (IP_ORIGDSTADDR, IPV6_ORIGDSTADDR: the address and port
 * before tproxy, or simply the packet's own destination) in @to.
 */
static ssize_t recv_request(int fd, struct sockaddr_storage *from,
			    socklen_t *fromlen, struct sockaddr_storage *to,
			    bool *has_to)
{
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct sockaddr_in6)) * 2];
	} cbuf;
	struct iovec iov = { .iov_base = rx, .iov_len = sizeof(rx) };
	struct msghdr m = {
		.msg_name = from, .msg_namelen = *fromlen,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.b, .msg_controllen = sizeof(cbuf.b),
	};
	struct cmsghdr *c;
	ssize_t n;

	*has_to = false;
	n = recvmsg(fd, &m, 0);
	if (n < 0)
		return n;
	*fromlen = m.msg_namelen;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		size_t len = c->cmsg_len - CMSG_LEN(0);

		if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_ORIGDSTADDR &&
		     len >= sizeof(struct sockaddr_in)) ||
		    (c->cmsg_level == IPPROTO_IPV6 &&
		     c->cmsg_type == IPV6_ORIGDSTADDR &&
		     len >= sizeof(struct sockaddr_in6))) {
			memset(to, 0, sizeof(*to));
			memcpy(to, CMSG_DATA(c), c->cmsg_level == IPPROTO_IP ?
			       sizeof(struct sockaddr_in) :
			       sizeof(struct sockaddr_in6));
			*has_to = true;
		}
	}
	return n;
}

/**
 * ucpd_tftp_event() - a socket of the TFTP proxy is readable
 * @ev: its epoll cookie (a struct tsock)
 */
void ucpd_tftp_event(struct ucpd_ev *ev)
{
	struct tsock *s = (struct tsock *)ev;
	struct sockaddr_storage from, to;
	socklen_t fromlen;
	bool has_to = false;
	ssize_t n;
	int i;

	/* A bounded batch, so one busy socket does not starve the loop. */
	for (i = 0; i < 64; i++) {
		if (s->x && s->x->dead)
			return;
		if (s->fd < 0)
			return;
		fromlen = sizeof(from);
		if (s->role == R_LISTEN)
			n = recv_request(s->fd, &from, &fromlen, &to, &has_to);
		else
			n = recvfrom(s->fd, rx, sizeof(rx), 0,
				     (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return;
		if (from.ss_family != AF_INET && from.ss_family != AF_INET6)
			continue;
		switch (s->role) {
		case R_LISTEN:
			request(rx, (size_t)n, &from, fromlen, has_to ? &to : NULL);
			break;
		case R_PHONE:
			phone_packet(s->x, rx, (size_t)n, &from, fromlen);
			break;
		case R_SERVER:
			server_packet(s->x, rx, (size_t)n, &from, fromlen);
			break;
		}
	}
}

/**
 * ucpd_tftp_timers() - retransmit, or give up, where a deadline passed
 * @now: ucpd_now_ms()
 */
void ucpd_tftp_timers(uint64_t now)
{
	struct xfer *x, *next;

	for (x = T.xfers; x; x = next) {
		next = x->next;
		if ((x->pst == P_OACK || x->pst == P_DATA) && now >= x->pdeadline) {
			if (x->ptries >= x->retries) {
				end(x, UCPD_WARN, "the phone stopped answering",
				    UCPD_TFTP_E_UNDEF, UCPD_TFTP_E_UNDEF,
				    UCPD_C_TFTP_PHONE_TIMEOUT);
				continue;
			}
			x->ptries++;
			x->pdeadline = now + x->ptimeout;
			send_to(x->ps.fd, x->ppkt, x->ppkt_len, &x->phone,
				x->phone_len);
		}
		if (x->uwait && now >= x->udeadline) {
			if (x->utries >= x->retries) {
				end(x, UCPD_WARN, "the TFTP server stopped answering",
				    UCPD_TFTP_E_UNDEF, -1,
				    UCPD_C_TFTP_SERVER_TIMEOUT);
				continue;
			}
			x->utries++;
			x->udeadline = now + x->utimeout;
			send_to(x->us.fd, x->upkt, x->upkt_len, &x->server,
				x->server_len);
		}
	}
}

/**
 * ucpd_tftp_reap() - free the transfers ended since the last call
 */
void ucpd_tftp_reap(void)
{
	struct xfer *x;

	while ((x = T.dead)) {
		T.dead = x->next;
		free(x->ppkt);
		free(x->data);
		free(x);
	}
}

static void next_free(struct ucpd_tftp_next *n)
{
	if (n->fd >= 0)
		close(n->fd);
	free(n->ctl);
	free(n);
}

/**
 * ucpd_tftp_prepare() - what a configuration's [tftp] needs, before the swap
 * @cfg: the configuration being loaded
 * @conf_path: its file (the CTL file is made from its [ctl])
 * @next: filled on success; NULL when the configuration has no [tftp]
 *	and the proxy is not running
 *
 * Return: 0, or -1 logged.
 */
int ucpd_tftp_prepare(const struct ucpd_config *cfg, const char *conf_path,
		      struct ucpd_tftp_next **next)
{
	struct ucpd_tftp_next *n;
	char a[64], signer[512];
	unsigned int n_rec;
	int one = 1;
	bool v6;

	n = calloc(1, sizeof(*n));
	if (!n) {
		ucpd_log(UCPD_ERR, "[tftp]: out of memory");
		return -1;
	}
	n->fd = -1;
	*next = n;
	if (!cfg->tftp)
		return 0;
	n->on = true;
	n->cfg = *cfg->tftp;
	if (cfg->ctl) {
		snprintf(n->ctl_name, sizeof(n->ctl_name), "%s",
			 cfg->ctl->file_name ? cfg->ctl->file_name : DEFAULT_CTL);
		if (ucpd_ctl_make(conf_path, n->ctl_name, &n->ctl, &n->ctl_len,
				  &n_rec, signer, sizeof(signer))) {
			ucpd_log(UCPD_ERR, "[tftp]: the CTL file of [ctl] could not be made (the line above)");
			goto err;
		}
		ucpd_log(UCPD_INFO, "tftp: serving %s: %u records, %zu bytes, signed by %s",
			 n->ctl_name, n_rec, n->ctl_len, signer);
	}
	if (T.on && T.cfg.listen_len == n->cfg.listen_len &&
	    T.cfg.transparent == n->cfg.transparent &&
	    !memcmp(&T.cfg.listen, &n->cfg.listen, n->cfg.listen_len))
		return 0;
	v6 = n->cfg.listen.ss_family == AF_INET6;
	n->fd = socket(n->cfg.listen.ss_family,
		       SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (n->fd >= 0 && n->cfg.transparent &&
	    ucpd_set_transparent(n->fd, n->cfg.listen.ss_family)) {
		ucpd_log(UCPD_ERR, "%s:%u: [tftp] transparent mode: %s (needs CAP_NET_ADMIN or CAP_NET_RAW)",
			 conf_path, n->cfg.line, strerror(errno));
		goto err;
	}
	/* The destination of each request: where its transfer answers from. */
	if (n->fd < 0 ||
	    setsockopt(n->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (v6 && setsockopt(n->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    setsockopt(n->fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
		       v6 ? IPV6_RECVORIGDSTADDR : IP_RECVORIGDSTADDR, &one,
		       sizeof(one)) ||
	    bind(n->fd, (const struct sockaddr *)&n->cfg.listen,
		 n->cfg.listen_len)) {
		ucpd_log(UCPD_ERR, "%s:%u: [tftp] listen %s: %s", conf_path,
			 n->cfg.line, ucpd_addr_str(&n->cfg.listen, a, sizeof(a)),
			 strerror(errno));
		goto err;
	}
	return 0;
err:
	next_free(n);
	*next = NULL;
	return -1;
}

/**
 * ucpd_tftp_commit() - put a prepared [tftp] in force
 * @n: from ucpd_tftp_prepare(); consumed
 */
void ucpd_tftp_commit(struct ucpd_tftp_next *n)
{
	char a[64], b[64];

	if (!n)
		return;
	if (!n->on || n->fd >= 0) {
		if (T.listen.fd >= 0)
			close(T.listen.fd);
		T.listen.fd = -1;
	}
	if (n->fd >= 0) {
		T.listen.fd = n->fd;
		n->fd = -1;
		if (ucpd_epoll_add(T.listen.fd, &T.listen))
			ucpd_log(UCPD_ERR, "tftp: epoll: %s", strerror(errno));
	}
	free(T.ctl);
	T.ctl = n->ctl;
	T.ctl_len = n->ctl_len;
	n->ctl = NULL;
	snprintf(T.ctl_name, sizeof(T.ctl_name), "%s", n->ctl_name);
	/* The policy may have changed: nothing rewritten before is kept. */
	ucpd_tftp_cache_free(&T.cache);
	T.on = n->on;
	if (T.on) {
		T.cfg = n->cfg;
		if (ucpd_tftp_cache_init(&T.cache, T.cfg.cache_entries,
					 T.cfg.cache_ttl * 1000ull))
			ucpd_log(UCPD_WARN, "tftp: no cache: out of memory");
		ucpd_log(UCPD_INFO, "tftp: listening on %s (%s), server %s",
			 ucpd_addr_str(&T.cfg.listen, a, sizeof(a)),
			 T.cfg.transparent ? "transparent" : "explicit",
			 ucpd_addr_str(&T.cfg.server, b, sizeof(b)));
	}
	next_free(n);
}

/**
 * ucpd_tftp_abort() - drop a prepared [tftp] that will not be committed
 * @n: from ucpd_tftp_prepare(), or NULL
 */
void ucpd_tftp_abort(struct ucpd_tftp_next *n)
{
	if (n)
		next_free(n);
}

/**
 * ucpd_tftp_stop() - end every transfer and close the proxy (exit)
 */
void ucpd_tftp_stop(void)
{
	while (T.xfers)
		end(T.xfers, UCPD_INFO, "proxy stopping", UCPD_TFTP_E_UNDEF,
		    UCPD_TFTP_E_UNDEF, -1);
	ucpd_tftp_reap();
	close_sock(&T.listen);
	free(T.ctl);
	T.ctl = NULL;
	ucpd_tftp_cache_free(&T.cache);
	T.on = false;
}
