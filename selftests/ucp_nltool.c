// SPDX-License-Identifier: GPL-2.0
/*
 * ucp_nltool: netlink requests the selftests need and ucpctl would never
 * send: arbitrary attributes (to prove the module's strict policies), and a
 * dump or a socket held open on purpose (to prove module unload is safe).
 *
 *   ucp_nltool send [-d] CMD [TYPE=HEX]...
 *	One request (-d: a dump) with raw attributes (a nest's TYPE with
 *	NLA_F_NESTED, 0x8000); prints "ok N" (N reply messages) or "error
 *	ERRNO: MESSAGE", exits 0 either way, 1 on misuse.
 *   ucp_nltool hold-dump
 *	Starts a per-CPU stats dump and reads one buffer. Prints "complete"
 *	and exits 2 if that buffer already ended the dump; else prints "held
 *	N", waits for a line on stdin, reads the rest and prints "done N".
 *   ucp_nltool hold-socket
 *	Resolves the family, prints "open", waits for a line on stdin, then
 *	sends an info request on the old socket and prints its outcome.
 *   ucp_nltool sessions APP N
 *	Acquires up to N sessions of class APP (a number) on one socket,
 *	prints "held K refused R" (R: refusals, all with ENOSPC or EPERM),
 *	then holds them until a line arrives on stdin or it is killed.
 *   ucp_nltool events N
 *	Joins the "events" group, prints "joined", then one line "event CMD
 *	APP" per notification until N have arrived.
 *   ucp_nltool inspect tcp|udp SADDR SPORT DADDR DPORT [SADDR SPORT DADDR DPORT]
 *	Sends the SIP message read from stdin to UCP_CMD_SIGNAL_INSPECT with
 *	that flow (and peer flow); prints "forward", a newline and the
 *	message returned, or "drop REASON", or "error ERRNO: MESSAGE".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucp.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: ucp_nltool send [-d] CMD [TYPE=HEX]...\n"
		"       ucp_nltool hold-dump | hold-socket\n"
		"       ucp_nltool sessions APP N | events N\n"
		"       ucp_nltool inspect [sip|sccp] tcp|udp SADDR SPORT DADDR DPORT [SADDR SPORT DADDR DPORT]\n");
	return 1;
}

static int count_msg(const struct nlmsghdr *nlh __attribute__((unused)),
		     void *data)
{
	(*(unsigned int *)data)++;
	return MNL_CB_OK;
}

static void print_outcome(struct ucp_nl *nl, int ret, unsigned int n)
{
	char msg[UCP_ERR_MSG_LEN + 64];

	if (!ret)
		printf("ok %u\n", n);
	else
		printf("error %d: %s\n", ucp_nl_last_error(nl)->errnum,
		       ucp_strerror(ucp_nl_last_error(nl), msg, sizeof(msg)));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * "TYPE=HEX" into an attribute of @req; an empty HEX is a flag. TYPE may
 * carry NLA_F_NESTED (0x8000), which strict policies want on a nest.
 */
static int put_raw_attr(struct nlmsghdr *req, const char *spec)
{
	unsigned char payload[256];
	const char *hex = strchr(spec, '=');
	size_t len = 0;
	long type;
	char *end;

	type = strtol(spec, &end, 0);
	if (!hex || end != hex || type <= 0 || type > 0xffff)
		return -1;
	for (hex++; hex[0] && hex[1]; hex += 2) {
		int hi = hexval(hex[0]), lo = hexval(hex[1]);

		if (hi < 0 || lo < 0 || len == sizeof(payload))
			return -1;
		payload[len++] = hi << 4 | lo;
	}
	if (*hex)
		return -1;
	mnl_attr_put(req, type, len, payload);
	return 0;
}

static int cmd_send(int argc, char **argv)
{
	unsigned int n = 0;
	struct ucp_err err;
	struct nlmsghdr *req;
	struct ucp_nl *nl;
	bool dump = false;
	long cmd;
	int i = 0, ret;

	if (argc > 0 && !strcmp(argv[0], "-d")) {
		dump = true;
		i++;
	}
	if (i >= argc)
		return usage();
	cmd = strtol(argv[i++], NULL, 0);
	if (cmd <= 0 || cmd > 255)
		return usage();

	nl = ucp_nl_open(&err);
	if (!nl) {
		printf("error %d: %s\n", err.errnum, err.msg);
		return 0;
	}
	req = ucp_nl_request(nl, cmd, 0);
	for (; i < argc; i++) {
		if (put_raw_attr(req, argv[i])) {
			ucp_nl_close(nl);
			return usage();
		}
	}
	if (dump)
		ret = ucp_nl_dump(nl, req, count_msg, &n);
	else
		ret = ucp_nl_do(nl, req, count_msg, &n);
	print_outcome(nl, ret, n);
	ucp_nl_close(nl);
	return 0;
}

static void wait_for_line(void)
{
	char line[64];

	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		exit(1);
}

/*
 * Counts the messages of one buffer; *done is set when it holds the end of
 * the dump. -1 on a netlink error message.
 */
static int scan_buffer(const char *buf, int len, unsigned int *msgs,
		       bool *done)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type == NLMSG_ERROR)
			return -1;
		if (nlh->nlmsg_type == NLMSG_DONE)
			*done = true;
		else
			(*msgs)++;
	}
	return 0;
}

/*
 * The kernel sizes each dump buffer after the largest read the socket has
 * seen (at least one page), and starts the next one as soon as a read
 * empties the queue. A fresh socket read with page-sized buffers therefore
 * leaves a dump of more than two pages genuinely unfinished after one read.
 */
#define HOLD_READ_SIZE 4096

static int cmd_hold_dump(void)
{
	static char buf[HOLD_READ_SIZE];
	unsigned int msgs = 0;
	struct mnl_socket *sk;
	struct nlmsghdr *req;
	struct ucp_err err;
	struct ucp_nl *nl;
	bool done = false;
	int len, ret = 1;

	nl = ucp_nl_open(&err);
	if (!nl) {
		fprintf(stderr, "ucp_nltool: %s\n", err.msg);
		return 1;
	}
	sk = mnl_socket_open(NETLINK_GENERIC);
	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err_sys;
	req = ucp_nl_request(nl, UCP_CMD_STATS_GET, NLM_F_DUMP);
	mnl_attr_put(req, UCP_A_STATS_PER_CPU, 0, NULL);
	if (mnl_socket_sendto(sk, req, req->nlmsg_len) < 0)
		goto err_sys;
	len = mnl_socket_recvfrom(sk, buf, sizeof(buf));
	if (len < 0)
		goto err_sys;
	if (scan_buffer(buf, len, &msgs, &done))
		goto err_kernel;
	if (done) {
		printf("complete\n");
		ret = 2;
		goto out;
	}
	printf("held %u\n", msgs);
	wait_for_line();
	while (!done) {
		len = mnl_socket_recvfrom(sk, buf, sizeof(buf));
		if (len < 0)
			goto err_sys;
		if (scan_buffer(buf, len, &msgs, &done))
			goto err_kernel;
	}
	printf("done %u\n", msgs);
	ret = 0;
	goto out;

err_kernel:
	fprintf(stderr, "ucp_nltool: the kernel ended the dump with an error\n");
	goto out;
err_sys:
	fprintf(stderr, "ucp_nltool: %s\n", strerror(errno));
out:
	if (sk)
		mnl_socket_close(sk);
	ucp_nl_close(nl);
	return ret;
}

static int cmd_hold_socket(void)
{
	struct nlmsghdr *req;
	struct ucp_err err;
	struct ucp_nl *nl;
	unsigned int n = 0;
	int ret;

	nl = ucp_nl_open(&err);
	if (!nl) {
		fprintf(stderr, "ucp_nltool: %s\n", err.msg);
		return 1;
	}
	printf("open\n");
	wait_for_line();
	req = ucp_nl_request(nl, UCP_CMD_INFO_GET, 0);
	ret = ucp_nl_do(nl, req, count_msg, &n);
	print_outcome(nl, ret, n);
	ucp_nl_close(nl);
	return 0;
}

static int cmd_sessions(const char *app_arg, const char *n_arg)
{
	unsigned int held = 0, refused = 0, i, n = 0;
	long app = strtol(app_arg, NULL, 0);
	long count = strtol(n_arg, NULL, 0);
	const struct ucp_err *e;
	struct nlmsghdr *req;
	struct ucp_err err;
	struct ucp_nl *nl;

	if (app <= 0 || count <= 0)
		return usage();
	nl = ucp_nl_open(&err);
	if (!nl) {
		fprintf(stderr, "ucp_nltool: %s\n", err.msg);
		return 1;
	}
	for (i = 0; i < count; i++) {
		req = ucp_nl_request(nl, UCP_CMD_SESSION_ACQUIRE, 0);
		mnl_attr_put_u32(req, UCP_A_APP, app);
		if (!ucp_nl_do(nl, req, count_msg, &n)) {
			held++;
			continue;
		}
		e = ucp_nl_last_error(nl);
		if (e->kind != UCP_ERR_KERNEL ||
		    (e->errnum != ENOSPC && e->errnum != EPERM)) {
			fprintf(stderr, "ucp_nltool: acquire: %s\n", e->msg);
			ucp_nl_close(nl);
			return 1;
		}
		refused++;
	}
	printf("held %u refused %u\n", held, refused);
	wait_for_line();
	ucp_nl_close(nl);
	return 0;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	uint32_t app = 0;

	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (mnl_attr_get_type(a) == UCP_A_APP &&
		    mnl_attr_get_payload_len(a) == sizeof(uint32_t))
			app = mnl_attr_get_u32(a);
	printf("event %u %u\n", g->cmd, app);
	(*(unsigned int *)data)++;
	return MNL_CB_OK;
}

static int cmd_events(const char *n_arg)
{
	long want = strtol(n_arg, NULL, 0);
	unsigned int seen = 0;
	struct ucp_err err;
	struct ucp_nl *nl;

	if (want <= 0)
		return usage();
	nl = ucp_nl_open(&err);
	if (!nl || ucp_nl_join(nl, UCP_MCGRP_EVENTS) < 0) {
		fprintf(stderr, "ucp_nltool: cannot join the events group\n");
		return 1;
	}
	printf("joined\n");
	while (seen < (unsigned long)want) {
		if (ucp_nl_recv(nl, event_cb, &seen) < 0) {
			fprintf(stderr, "ucp_nltool: %s\n",
				ucp_nl_last_error(nl)->msg);
			ucp_nl_close(nl);
			return 1;
		}
	}
	ucp_nl_close(nl);
	return 0;
}

/* A flow nest from "SADDR SPORT DADDR DPORT"; -1 on a bad address. */
static int put_flow(struct nlmsghdr *req, uint16_t type, int l4, char **a)
{
	unsigned char s[16], d[16];
	int family = strchr(a[0], ':') ? AF_INET6 : AF_INET;
	size_t alen = family == AF_INET ? 4 : 16;
	struct nlattr *nest;

	if (inet_pton(family, a[0], s) != 1 || inet_pton(family, a[2], d) != 1)
		return -1;
	nest = mnl_attr_nest_start(req, type);
	mnl_attr_put_u8(req, UCP_FLOW_A_FAMILY, family);
	mnl_attr_put_u8(req, UCP_FLOW_A_L4PROTO, l4);
	mnl_attr_put(req, UCP_FLOW_A_SADDR, alen, s);
	mnl_attr_put(req, UCP_FLOW_A_DADDR, alen, d);
	mnl_attr_put_u16(req, UCP_FLOW_A_SPORT, htons(atoi(a[1])));
	mnl_attr_put_u16(req, UCP_FLOW_A_DPORT, htons(atoi(a[3])));
	mnl_attr_nest_end(req, nest);
	return 0;
}

static int inspect_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type types[UCP_A_MAX + 1] = {
		[UCP_A_VERDICT] = MNL_TYPE_U8,
		[UCP_A_REASON] = MNL_TYPE_NUL_STRING,
	};
	const struct nlattr *tb[UCP_A_MAX + 1] = {};

	if (ucp_parse(nlh, types, UCP_A_MAX, tb) || !tb[UCP_A_VERDICT])
		return MNL_CB_ERROR;
	if (mnl_attr_get_u8(tb[UCP_A_VERDICT]) == UCP_VERDICT_FORWARD &&
	    tb[UCP_A_MESSAGE]) {
		printf("forward\n");
		fwrite(mnl_attr_get_payload(tb[UCP_A_MESSAGE]), 1,
		       mnl_attr_get_payload_len(tb[UCP_A_MESSAGE]), stdout);
	} else {
		printf("drop %s\n", tb[UCP_A_REASON] ?
		       mnl_attr_get_str(tb[UCP_A_REASON]) : "?");
	}
	(*(int *)data)++;
	return MNL_CB_OK;
}

static int cmd_inspect(int argc, char **argv)
{
	static char msg[65536];
	struct nlmsghdr *req;
	struct ucp_err err;
	int l4, ret, n = 0, proto = UCP_PROTO_SIP;
	struct ucp_nl *nl;
	size_t len;

	/* The protocol, SIP when not given. */
	if (argc && (!strcmp(argv[0], "sip") || !strcmp(argv[0], "sccp"))) {
		proto = !strcmp(argv[0], "sccp") ? UCP_PROTO_SCCP : UCP_PROTO_SIP;
		argc--;
		argv++;
	}
	if (argc != 5 && argc != 9)
		return usage();
	l4 = !strcmp(argv[0], "tcp") ? IPPROTO_TCP : IPPROTO_UDP;
	len = fread(msg, 1, sizeof(msg), stdin);
	nl = ucp_nl_open(&err);
	if (!nl) {
		fprintf(stderr, "ucp_nltool: %s\n", err.msg);
		return 1;
	}
	req = ucp_nl_request(nl, UCP_CMD_SIGNAL_INSPECT, 0);
	mnl_attr_put_u8(req, UCP_A_PROTO, proto);
	if (put_flow(req, UCP_A_FLOW, l4, argv + 1) ||
	    (argc == 9 && put_flow(req, UCP_A_PEER_FLOW, l4, argv + 5))) {
		ucp_nl_close(nl);
		return usage();
	}
	mnl_attr_put(req, UCP_A_MESSAGE, len, msg);
	ret = ucp_nl_do(nl, req, inspect_cb, &n);
	if (ret)
		print_outcome(nl, ret, n);
	ucp_nl_close(nl);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "send"))
		return cmd_send(argc - 2, argv + 2);
	if (!strcmp(argv[1], "hold-dump") && argc == 2)
		return cmd_hold_dump();
	if (!strcmp(argv[1], "hold-socket") && argc == 2)
		return cmd_hold_socket();
	if (!strcmp(argv[1], "events") && argc == 3)
		return cmd_events(argv[2]);
	if (!strcmp(argv[1], "inspect") && argc > 2)
		return cmd_inspect(argc - 2, argv + 2);
	if (!strcmp(argv[1], "sessions") && argc == 4)
		return cmd_sessions(argv[2], argv[3]);
	return usage();
}
