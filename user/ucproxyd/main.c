// SPDX-License-Identifier: GPL-2.0
/*
 * ucproxyd: the event loop, signals, and reload.
 *
 * One thread, one epoll set: listeners, both sockets of every connection,
 * a signalfd (SIGHUP reload, SIGUSR1 stats, SIGTERM/SIGINT exit) and a
 * timerfd for handshake and idle timeouts.
 *
 * Reload builds the whole new set of listeners (config, certificates,
 * sockets) before touching the running one, so a bad file or certificate
 * changes nothing. A listener whose name, address and mode are unchanged
 * keeps its socket (no connection is refused during the swap); live
 * connections keep the TLS contexts they started with until they close.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "conn.h"

#define DEFAULT_CONFIG	"/etc/ucproxyd/ucproxyd.conf"
#define TICK_MS		250

struct ucpd_daemon ucpd;

static struct ucpd_ev listener_ev_kind = { UCPD_EV_LISTENER };
static struct ucpd_ev signal_ev = { UCPD_EV_SIGNAL };
static struct ucpd_ev timer_ev = { UCPD_EV_TIMER };

/* Listeners are found from the epoll cookie through this wrapper. */
struct listener_ev {
	struct ucpd_ev ev;
	struct ucpd_listener *l;
};

uint64_t ucpd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int epoll_add(int fd, void *cookie)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = cookie };

	return epoll_ctl(ucpd.epfd, EPOLL_CTL_ADD, fd, &ev);
}

static struct ucpd_listener *listener_new(const struct ucpd_listener_cfg *cfg)
{
	struct ucpd_listener *l = calloc(1, sizeof(*l) + sizeof(struct listener_ev));

	if (!l)
		return NULL;
	l->cfg = *cfg;	/* takes the strings over */
	l->fd = -1;
	l->refs = 1;
	return l;
}

static struct listener_ev *listener_cookie(struct ucpd_listener *l)
{
	return (struct listener_ev *)(l + 1);
}

static bool same_socket(const struct ucpd_listener_cfg *a,
			const struct ucpd_listener_cfg *b)
{
	return !strcmp(a->name, b->name) && a->mode == b->mode &&
	       a->listen_len == b->listen_len &&
	       !memcmp(&a->listen, &b->listen, a->listen_len);
}

/*
 * New listeners for @cfg: sockets reused from the running set where
 * possible. The strings of @cfg's listeners move into them. 0 or -1.
 */
static int build(struct ucpd_config *cfg, struct ucpd_listener ***out)
{
	struct ucpd_listener **ls;
	unsigned int i, j;

	ls = calloc(cfg->n_listeners, sizeof(*ls));
	if (!ls)
		return -1;
	for (i = 0; i < cfg->n_listeners; i++) {
		ls[i] = listener_new(&cfg->listeners[i]);
		if (!ls[i])
			goto err;
		/* The listener owns the strings now. */
		memset(&cfg->listeners[i], 0, sizeof(cfg->listeners[i]));
		if (ucpd_tls_setup(ls[i]))
			goto err;
		for (j = 0; j < ucpd.n_listeners; j++)
			if (same_socket(&ucpd.listeners[j]->cfg, &ls[i]->cfg))
				break;
		if (j == ucpd.n_listeners) {
			ls[i]->fd = ucpd_listener_socket(&ls[i]->cfg);
			if (ls[i]->fd < 0)
				goto err;
		}
	}
	*out = ls;
	return 0;
err:
	for (i = 0; i < cfg->n_listeners; i++)
		if (ls[i])
			ucpd_listener_put(ls[i]);
	free(ls);
	return -1;
}

/* Swaps in the listeners built for @cfg; the old set is retired. */
static void commit(struct ucpd_config *cfg, struct ucpd_listener **ls)
{
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int i, j;

	for (i = 0; i < cfg->n_listeners; i++) {
		struct listener_ev *le = listener_cookie(ls[i]);

		le->ev = listener_ev_kind;
		le->l = ls[i];
		ev.data.ptr = le;
		if (ls[i]->fd >= 0) {
			epoll_add(ls[i]->fd, le);
			continue;
		}
		for (j = 0; j < ucpd.n_listeners; j++) {
			struct ucpd_listener *old = ucpd.listeners[j];

			if (old->fd >= 0 && same_socket(&old->cfg, &ls[i]->cfg)) {
				ls[i]->fd = old->fd;
				old->fd = -1;
				epoll_ctl(ucpd.epfd, EPOLL_CTL_MOD, ls[i]->fd, &ev);
				break;
			}
		}
	}
	for (j = 0; j < ucpd.n_listeners; j++) {
		struct ucpd_listener *old = ucpd.listeners[j];

		/*
		 * A removed listener stops accepting now, even while its
		 * connections keep the structure (and its TLS contexts).
		 */
		if (old->fd >= 0) {
			close(old->fd);
			old->fd = -1;
		}
		old->retired = true;
		ucpd_listener_put(old);
	}
	free(ucpd.listeners);
	ucpd.listeners = ls;
	ucpd.n_listeners = cfg->n_listeners;
	/* Listener strings moved out; the globals stay. */
	free(cfg->listeners);
	cfg->listeners = NULL;
	cfg->n_listeners = 0;
	ucpd_config_free(&ucpd.cfg);
	ucpd.cfg = *cfg;
}

static int load(bool initial)
{
	struct ucpd_listener **ls;
	struct ucpd_config cfg;
	char err[UCPD_ERR_MAX];
	unsigned int n;

	if (ucpd_config_load(ucpd.config_path, &cfg, err, sizeof(err))) {
		ucpd_log(UCPD_ERR, "%s%s", err,
			 initial ? "" : " (reload refused, the running configuration stays)");
		return -1;
	}
	n = cfg.n_listeners;
	if (build(&cfg, &ls)) {
		ucpd_config_free(&cfg);
		if (!initial)
			ucpd_log(UCPD_ERR, "reload refused, the running configuration stays");
		return -1;
	}
	commit(&cfg, ls);
	ucpd_log(UCPD_INFO, "%s: %u listener%s %s", ucpd.config_path, n,
		 n == 1 ? "" : "s", initial ? "ready" : "reloaded");
	return 0;
}

static int check_only(void)
{
	struct ucpd_config cfg;
	char err[UCPD_ERR_MAX];
	unsigned int i, n;
	int ret = 0;

	if (ucpd_config_load(ucpd.config_path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "ucproxyd: %s\n", err);
		return 1;
	}
	/* Certificates and keys too, without opening sockets. */
	n = cfg.n_listeners;
	for (i = 0; i < n && !ret; i++) {
		struct ucpd_listener *l = listener_new(&cfg.listeners[i]);

		if (!l)
			return 1;
		memset(&cfg.listeners[i], 0, sizeof(cfg.listeners[i]));
		ret = ucpd_tls_setup(l);
		ucpd_listener_put(l);
	}
	ucpd_config_free(&cfg);
	if (!ret)
		printf("%s: %u listener%s OK\n", ucpd.config_path, n,
		       n == 1 ? "" : "s");
	return ret ? 1 : 0;
}

static int handle_signals(int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			if (load(false))
				ucpd_count(UCPD_C_RELOAD_FAILED);
			else
				ucpd_count(UCPD_C_RELOADS);
			break;
		case SIGUSR1:
			ucpd_stats_dump(ucpd.cfg.stats_file);
			break;
		case SIGTERM:
		case SIGINT:
			return 1;
		}
	}
	return 0;
}

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: ucproxyd [-c FILE] [-t] [-v]\n"
		"  -c FILE  configuration (default " DEFAULT_CONFIG ")\n"
		"  -t       check the configuration, certificates and keys, and exit\n"
		"  -v       log every connection (debug)\n"
		"signals: HUP reload, USR1 write the counters, TERM stop\n");
}

int main(int argc, char **argv)
{
	struct itimerspec its = {
		.it_interval = { 0, TICK_MS * 1000000L },
		.it_value = { 0, TICK_MS * 1000000L },
	};
	struct epoll_event evs[64];
	bool test = false;
	int sfd, tfd, opt, n, i;
	sigset_t mask;

	ucpd.config_path = DEFAULT_CONFIG;
	while ((opt = getopt(argc, argv, "c:tvh")) != -1) {
		switch (opt) {
		case 'c':
			ucpd.config_path = optarg;
			break;
		case 't':
			test = true;
			break;
		case 'v':
			ucpd_log_level = UCPD_DEBUG;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	ucpd_ssl_conn_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	if (test)
		return check_only();

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	ucpd.epfd = epoll_create1(EPOLL_CLOEXEC);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ucpd.epfd < 0 || sfd < 0 || tfd < 0 ||
	    timerfd_settime(tfd, 0, &its, NULL) ||
	    epoll_add(sfd, &signal_ev) || epoll_add(tfd, &timer_ev)) {
		ucpd_log(UCPD_ERR, "event loop: %s", strerror(errno));
		return 1;
	}
	if (ucpd_kernel_open())
		return 1;
	if (load(true))
		return 1;

	for (;;) {
		n = epoll_wait(ucpd.epfd, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ucpd_log(UCPD_ERR, "epoll_wait: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n; i++) {
			struct ucpd_ev *ev = evs[i].data.ptr;
			uint64_t ticks;

			switch (ev->kind) {
			case UCPD_EV_LISTENER:
				ucpd_conn_accept(((struct listener_ev *)ev)->l);
				break;
			case UCPD_EV_LEG:
				ucpd_conn_event((struct ucpd_leg *)ev, evs[i].events);
				break;
			case UCPD_EV_SIGNAL:
				if (handle_signals(sfd))
					goto out;
				break;
			case UCPD_EV_TIMER:
				if (read(tfd, &ticks, sizeof(ticks)) > 0)
					ucpd_conn_timers(ucpd_now_ms());
				break;
			}
		}
		/* Closed during the batch, whose later events may name them. */
		ucpd_conn_reap();
	}
out:
	ucpd_log(UCPD_INFO, "stopping: %u connections closed", ucpd.n_conns);
	ucpd_conn_close_all();
	ucpd_conn_reap();
	for (i = 0; i < (int)ucpd.n_listeners; i++)
		ucpd_listener_put(ucpd.listeners[i]);
	free(ucpd.listeners);
	ucpd_config_free(&ucpd.cfg);
	ucpd_kernel_close();
	return 0;
}
