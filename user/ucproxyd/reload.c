// SPDX-License-Identifier: GPL-2.0
/*
 * ucproxyd: loading the configuration, at start, on SIGHUP (reload) and
 * for -t (check only).
 *
 * Reload builds the whole new set of listeners (config, certificates,
 * sockets) before touching the running one, so a bad file or certificate
 * changes nothing. A listener whose name, address and mode are unchanged
 * keeps its socket (no connection is refused during the swap); live
 * connections keep the TLS contexts they started with until they close.
 * The TFTP proxy's part ([tftp], tftp.c) is prepared with the listeners
 * and swapped with them. The kernel's netlink socket is opened by the
 * first configuration with a listener: a TFTP-only agent needs no module.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "ucproxyd.h"

static struct ucpd_listener *listener_new(const struct ucpd_listener_cfg *cfg)
{
	struct ucpd_listener *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->ev.kind = UCPD_EV_LISTENER;
	l->cfg = *cfg;	/* takes the strings over */
	l->fd = -1;
	l->refs = 1;
	return l;
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
		ev.data.ptr = ls[i];
		if (ls[i]->fd >= 0) {
			ucpd_epoll_add(ls[i]->fd, ls[i]);
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

int ucpd_load(bool initial)
{
	struct ucpd_tftp_next *tftp = NULL;
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
	if ((n && ucpd_kernel_open()) ||
	    ucpd_tftp_prepare(&cfg, ucpd.config_path, &tftp)) {
		ucpd_config_free(&cfg);
		if (!initial)
			ucpd_log(UCPD_ERR, "reload refused, the running configuration stays");
		return -1;
	}
	if (build(&cfg, &ls)) {
		ucpd_tftp_abort(tftp);
		ucpd_config_free(&cfg);
		if (!initial)
			ucpd_log(UCPD_ERR, "reload refused, the running configuration stays");
		return -1;
	}
	ucpd_tftp_commit(tftp);
	commit(&cfg, ls);
	ucpd_log(UCPD_INFO, "%s: %u listener%s %s", ucpd.config_path, n,
		 n == 1 ? "" : "s", initial ? "ready" : "reloaded");
	return 0;
}

int ucpd_check(void)
{
	struct ucpd_config cfg;
	char err[UCPD_ERR_MAX];
	unsigned int i, n;
	bool tftp;
	int ret = 0;

	if (ucpd_config_load(ucpd.config_path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "ucproxyd: %s\n", err);
		return 1;
	}
	tftp = cfg.tftp;
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
	/* The CTL file the TFTP proxy would serve, made and checked. */
	if (!ret && tftp && cfg.ctl) {
		char signer[512];
		unsigned int n_rec;
		uint8_t *ctl;
		size_t len;

		ret = ucpd_ctl_make(ucpd.config_path, "CTLFile.tlv", &ctl, &len,
				    &n_rec, signer, sizeof(signer));
		if (!ret)
			free(ctl);
	}
	ucpd_config_free(&cfg);
	if (!ret)
		printf("%s: %u listener%s%s OK\n", ucpd.config_path, n,
		       n == 1 ? "" : "s", tftp ? " and [tftp]" : "");
	return ret ? 1 : 0;
}

void ucpd_unload(void)
{
	unsigned int i;

	for (i = 0; i < ucpd.n_listeners; i++)
		ucpd_listener_put(ucpd.listeners[i]);
	free(ucpd.listeners);
	ucpd.listeners = NULL;
	ucpd.n_listeners = 0;
	ucpd_config_free(&ucpd.cfg);
}
