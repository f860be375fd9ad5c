// SPDX-License-Identifier: GPL-2.0
/*
 * ucproxyd: options, signals and the event loop.
 *
 * One thread, one epoll set: listeners, both sockets of every connection,
 * a signalfd (SIGHUP reload, SIGUSR1 stats, SIGTERM/SIGINT exit) and a
 * timerfd for handshake and idle timeouts. Loading the configuration
 * (start, reload, -t) is reload.c's; the state both share, daemon.c's.
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

#include "ucproxyd.h"

#define DEFAULT_CONFIG	UCPD_DEFAULT_CONFIG
#define TICK_MS		250

static struct ucpd_ev signal_ev = { UCPD_EV_SIGNAL };
static struct ucpd_ev timer_ev = { UCPD_EV_TIMER };

static int handle_signals(int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			if (ucpd_load(false))
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
		"       ucproxyd ctl write [-c FILE] -o OUT | ctl show FILE\n"
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

	/* The offline commands: no daemon, no kernel. */
	if (argc > 1 && !strcmp(argv[1], "ctl"))
		return ucpd_ctl_main(argc - 1, argv + 1);
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
		return ucpd_check();

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
	    ucpd_epoll_add(sfd, &signal_ev) || ucpd_epoll_add(tfd, &timer_ev)) {
		ucpd_log(UCPD_ERR, "event loop: %s", strerror(errno));
		return 1;
	}
	/* The kernel is opened by the first load with a listener (reload.c). */
	if (ucpd_load(true))
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
				ucpd_conn_accept((struct ucpd_listener *)ev);
				break;
			case UCPD_EV_LEG:
				ucpd_conn_event((struct ucpd_leg *)ev, evs[i].events);
				break;
			case UCPD_EV_SIGNAL:
				if (handle_signals(sfd))
					goto out;
				break;
			case UCPD_EV_TFTP:
				ucpd_tftp_event(ev);
				break;
			case UCPD_EV_TIMER:
				if (read(tfd, &ticks, sizeof(ticks)) > 0) {
					ucpd_conn_timers(ucpd_now_ms());
					ucpd_tftp_timers(ucpd_now_ms());
				}
				break;
			}
		}
		/* Closed during the batch, whose later events may name them. */
		ucpd_conn_reap();
		ucpd_tftp_reap();
	}
out:
	ucpd_log(UCPD_INFO, "stopping: %u connections closed", ucpd.n_conns);
	ucpd_conn_close_all();
	ucpd_conn_reap();
	ucpd_tftp_stop();
	ucpd_unload();
	ucpd_kernel_close();
	return 0;
}
