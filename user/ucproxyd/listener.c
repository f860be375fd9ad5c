// SPDX-License-Identifier: GPL-2.0
/*
 * Listening sockets. Explicit mode binds the configured address. Transparent
 * mode also sets IP_TRANSPARENT, so the socket accepts connections that nft
 * "tproxy" steers to it whatever their destination; the accepted socket's
 * local address is then the original destination (conn.c connects there).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ucproxyd.h"

int ucpd_listener_socket(const struct ucpd_listener_cfg *cfg)
{
	int fd, one = 1;
	char a[64];

	fd = socket(cfg->listen.ss_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto err;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		goto err;
	if (cfg->listen.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))
		goto err;
	if (cfg->mode == UCPD_MODE_TRANSPARENT &&
	    ucpd_set_transparent(fd, cfg->listen.ss_family)) {
		ucpd_log(UCPD_ERR, "%s:%u: [listener %s] transparent mode: %s (needs CAP_NET_ADMIN or CAP_NET_RAW)",
			 cfg->file, cfg->line, cfg->name, strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, (const struct sockaddr *)&cfg->listen, cfg->listen_len) ||
	    listen(fd, 1024))
		goto err;
	return fd;
err:
	ucpd_log(UCPD_ERR, "%s:%u: [listener %s] listen %s: %s", cfg->file,
		 cfg->line, cfg->name, ucpd_addr_str(&cfg->listen, a, sizeof(a)),
		 strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

void ucpd_listener_put(struct ucpd_listener *l)
{
	if (--l->refs)
		return;
	if (l->fd >= 0)
		close(l->fd);
	ucpd_tls_free(l);
	ucpd_listener_cfg_free(&l->cfg);
	free(l);
}
