// SPDX-License-Identifier: GPL-2.0
/*
 * The state the parts of the daemon share, with an owner of its own so
 * that none of them calls another for it: the configuration in force and
 * its listeners (reload.c swaps them), the epoll set every socket is in,
 * the list of connections (conn.c keeps it), and the clock of the
 * timeouts. main.c drives the loop over it. Calls between the files then
 * go one way only: main.c to reload.c and conn.c, both of them to here.
 */
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>

#include "ucproxyd.h"

struct ucpd_daemon ucpd;

uint64_t ucpd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int ucpd_epoll_add(int fd, void *cookie)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = cookie };

	return epoll_ctl(ucpd.epfd, EPOLL_CTL_ADD, fd, &ev);
}

int ucpd_set_transparent(int fd, int family)
{
	int one = 1;

	if (family == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_TRANSPARENT, &one,
				  sizeof(one));
	return setsockopt(fd, IPPROTO_IP, IP_TRANSPARENT, &one, sizeof(one));
}
