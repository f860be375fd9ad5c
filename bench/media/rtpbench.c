// SPDX-License-Identifier: GPL-2.0
/*
 * rtpbench - forwarding rate of media lanes through a router, side by side.
 *
 * One process drives every lane: the sender sockets live in the sender's
 * network namespace, the receiver sockets in the receiver's (each socket
 * keeps the namespace it was made in, so setns() is only needed while the
 * sockets are created). A lane is one RTP flow of 160-byte payloads (20 ms
 * of G.711), sent as plain RTP or as SRTP (AES_CM_128_HMAC_SHA1_80, made
 * with libsrtp2) to the address the router offers for it, and received on
 * the inside as RTP.
 *
 * For each round, each lane in turn (the starting lane rotates from round
 * to round) gets a batch of packets built before the clock starts: SRTP is
 * protected in advance, so the sender only copies bytes into sendmmsg().
 * The sender runs on CPU 0 and the receiver on CPU 1 (where run.sh also
 * steers the router's input); the rate of a lane in a round is the packets
 * the receiver got, divided by the time from the first send to the last
 * packet received, and the sender's own pace is shown next to it: it must
 * be well ahead, or the sender is what was measured. Every received payload
 * is compared with what was sent (bit-exact), and a lane whose SRTP left
 * the router still encrypted (wrong length) or altered fails.
 *
 * Before the rounds each lane is primed with a few paced packets, so that
 * a relay which learns its peers from the first packets (rtpengine) has
 * done so; its kernel counters prove afterwards which path was measured.
 *
 * The report gives the median rate of every lane and the ratio of the
 * medians of every pair of lanes, in the order given: a rate alone means
 * little on a shared machine, a ratio measured in one run does.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <srtp2/srtp.h>

#define HDR		12
#define PAYLOAD		160
#define TAG		10
#define STRIDE		256
#define BATCH		64
#define MAX_LANES	8
#define KEY_LEN		30	/* AES-128 master key and 112-bit salt */
#define PT_PCMU		0

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;

struct lane {
	const char *name;
	bool srtp;
	struct sockaddr_in src, dst, rcv;
	u8 key[KEY_LEN];
	u32 ssrc;
	u16 seq;
	u32 ts;
	srtp_t ctx;
	int tx, rx;
	double *rate;		/* delivered, per round */
	double *tx_rate;	/* sent, per round */
	unsigned long sent, received, bad, late;
};

struct rx_job {
	struct lane *l;
	unsigned long want;
	int cpu;
	bool tx_done;		/* __atomic: set by the sender */
	/* results */
	unsigned long got, bad;
	struct timespec last;
	int err;
};

static unsigned int n_lanes;
static struct lane lanes[MAX_LANES];

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "rtpbench: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static double ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* Best effort: without it the numbers are only noisier. */
	sched_setaffinity(0, sizeof(set), &set);
}

/* The payload of packet @seq of the flow @ssrc: cheap, and never constant. */
static void fill_payload(u8 *p, u32 ssrc, u16 seq)
{
	u32 x = ssrc ^ (seq * 2654435761u);

	for (int i = 0; i < PAYLOAD; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = x >> 24;
	}
}

static int parse_addr(const char *s, struct sockaddr_in *sin)
{
	char buf[64];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || colon - s >= (long)sizeof(buf))
		return -1;
	memcpy(buf, s, colon - s);
	buf[colon - s] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || port <= 0 || port > 65535)
		return -1;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	return inet_pton(AF_INET, buf, &sin->sin_addr) == 1 ? 0 : -1;
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_key(const char *s, u8 *key)
{
	if (strlen(s) != 2 * KEY_LEN)
		return -1;
	for (int i = 0; i < KEY_LEN; i++) {
		int hi = hex_nibble(s[2 * i]), lo = hex_nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		key[i] = hi << 4 | lo;
	}
	return 0;
}

/*
 * --lane NAME,rtp|srtp,SRC:PORT,DST:PORT,RCV:PORT[,KEYHEX]
 * The sender binds SRC:PORT and sends to DST:PORT; the receiver binds
 * RCV:PORT. KEYHEX: the SRTP master key and salt, 60 hex digits.
 */
static void parse_lane(char *arg)
{
	struct lane *l = &lanes[n_lanes];
	char *f[6] = { 0 };
	int n = 0;

	if (n_lanes == MAX_LANES)
		die("too many lanes (at most %s)", "8");
	for (char *tok = strtok(arg, ","); tok && n < 6; tok = strtok(NULL, ","))
		f[n++] = tok;
	if (n < 5)
		die("--lane %s: NAME,MODE,SRC:PORT,DST:PORT,RCV:PORT[,KEYHEX]", arg);
	l->name = f[0];
	if (!strcmp(f[1], "srtp"))
		l->srtp = true;
	else if (strcmp(f[1], "rtp"))
		die("lane mode must be rtp or srtp, not %s", f[1]);
	if (parse_addr(f[2], &l->src) || parse_addr(f[3], &l->dst) ||
	    parse_addr(f[4], &l->rcv))
		die("lane %s: bad address (want A.B.C.D:PORT)", l->name);
	if (l->srtp && (!f[5] || parse_key(f[5], l->key)))
		die("lane %s: an srtp lane needs a 60-hex-digit key", l->name);
	/* A fixed SSRC per lane, so runs are reproducible. */
	l->ssrc = 0x5eed0000u + n_lanes;
	l->seq = 1000;
	l->ts = 0;
	n_lanes++;
}

static int socket_in(const char *netns, const struct sockaddr_in *bind_to,
		     const struct sockaddr_in *connect_to, int bufsize)
{
	int s, fd;

	fd = open(netns, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("cannot open network namespace %s", netns);
	if (setns(fd, CLONE_NEWNET))
		die("setns %s failed (root?)", netns);
	close(fd);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket: %s", strerror(errno));
	/* FORCE: past rmem_max/wmem_max, as root. */
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &bufsize, sizeof(bufsize)) ||
	    setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &bufsize, sizeof(bufsize)))
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof(bufsize));
	if (bind(s, (const struct sockaddr *)bind_to, sizeof(*bind_to)))
		die("bind: %s", strerror(errno));
	if (connect_to &&
	    connect(s, (const struct sockaddr *)connect_to, sizeof(*connect_to)))
		die("connect: %s", strerror(errno));
	return s;
}

static void srtp_setup(struct lane *l)
{
	srtp_policy_t pol;

	memset(&pol, 0, sizeof(pol));
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
	pol.ssrc.type = ssrc_specific;
	pol.ssrc.value = l->ssrc;
	pol.key = l->key;
	pol.window_size = 128;
	if (srtp_create(&l->ctx, &pol) != srtp_err_status_ok)
		die("lane %s: srtp_create failed", l->name);
}

/* Build @n packets of @l into @buf (STRIDE bytes each), lengths in @len. */
static int build(struct lane *l, u8 *buf, unsigned int *len, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		u8 *p = buf + i * STRIDE;
		int plen = HDR + PAYLOAD;

		p[0] = 0x80;
		p[1] = PT_PCMU;
		p[2] = l->seq >> 8;
		p[3] = l->seq;
		p[4] = l->ts >> 24;
		p[5] = l->ts >> 16;
		p[6] = l->ts >> 8;
		p[7] = l->ts;
		p[8] = l->ssrc >> 24;
		p[9] = l->ssrc >> 16;
		p[10] = l->ssrc >> 8;
		p[11] = l->ssrc;
		fill_payload(p + HDR, l->ssrc, l->seq);
		if (l->srtp && srtp_protect(l->ctx, p, &plen) != srtp_err_status_ok) {
			fprintf(stderr, "rtpbench: %s: srtp_protect failed\n", l->name);
			return -1;
		}
		len[i] = plen;
		l->seq++;
		l->ts += PAYLOAD;
	}
	return 0;
}

/* What the receiver must get: RTP, the tag gone, the payload as sent. */
static bool check(const struct lane *l, const u8 *p, unsigned int len)
{
	u8 want[PAYLOAD];
	u32 ssrc;
	u16 seq;

	if (len != HDR + PAYLOAD || (p[0] & 0xc0) != 0x80 ||
	    (p[1] & 0x7f) != PT_PCMU)
		return false;
	ssrc = (u32)p[8] << 24 | p[9] << 16 | p[10] << 8 | p[11];
	seq = p[2] << 8 | p[3];
	if (ssrc != l->ssrc)
		return false;
	fill_payload(want, ssrc, seq);
	return !memcmp(p + HDR, want, PAYLOAD);
}

static void drain(int s)
{
	u8 b[STRIDE];

	while (recv(s, b, sizeof(b), MSG_DONTWAIT) >= 0)
		;
}

static void *rx_thread(void *arg)
{
	struct rx_job *j = arg;
	static u8 buf[BATCH][STRIDE];
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	unsigned int idle = 0;

	pin(j->cpu);
	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = STRIDE;
		memset(&msg[i], 0, sizeof(msg[i]));
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	while (j->got < j->want) {
		int n = recvmmsg(j->l->rx, msg, BATCH, MSG_WAITFORONE, NULL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				j->err = errno;
				break;
			}
			/* SO_RCVTIMEO expired: the stream has ended. */
			if (__atomic_load_n(&j->tx_done, __ATOMIC_ACQUIRE) && ++idle >= 2)
				break;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &j->last);
		idle = 0;
		for (int i = 0; i < n; i++)
			if (!check(j->l, buf[i], msg[i].msg_len))
				j->bad++;
		j->got += n;
	}
	return NULL;
}

static int send_all(struct lane *l, u8 *buf, unsigned int *len,
		    unsigned long n)
{
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	unsigned long i = 0;

	while (i < n) {
		unsigned int k = n - i < BATCH ? n - i : BATCH;
		int r;

		for (unsigned int m = 0; m < k; m++) {
			iov[m].iov_base = buf + (i + m) * STRIDE;
			iov[m].iov_len = len[i + m];
			memset(&msg[m], 0, sizeof(msg[m]));
			msg[m].msg_hdr.msg_iov = &iov[m];
			msg[m].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(l->tx, msg, k, 0);
		if (r < 0) {
			/* A full queue, or an ICMP error from an earlier packet. */
			if (errno == ENOBUFS || errno == EAGAIN ||
			    errno == ECONNREFUSED || errno == EINTR)
				continue;
			fprintf(stderr, "rtpbench: %s: sendmmsg: %s\n", l->name,
				strerror(errno));
			return -1;
		}
		i += r;
	}
	l->sent += n;
	return 0;
}

/*
 * One measurement: @n prebuilt packets of @l sent back to back; returns
 * the delivered rate (packets/s), 0 when nothing arrived, -1 on error.
 */
static double measure(struct lane *l, u8 *buf, unsigned int *len,
		      unsigned long n, int tx_cpu, int rx_cpu, double *tx_rate)
{
	struct rx_job j = { .l = l, .want = n, .cpu = rx_cpu };
	struct timespec t0, t1;
	pthread_t th;

	drain(l->rx);
	if (pthread_create(&th, NULL, rx_thread, &j))
		return -1;
	pin(tx_cpu);
	/* Let the receiver reach recvmmsg() before the clock starts. */
	usleep(20000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (send_all(l, buf, len, n)) {
		__atomic_store_n(&j.tx_done, true, __ATOMIC_RELEASE);
		pthread_join(th, NULL);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*tx_rate = n / ts_diff(&t0, &t1);
	__atomic_store_n(&j.tx_done, true, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	if (j.err) {
		fprintf(stderr, "rtpbench: %s: recvmmsg: %s\n", l->name,
			strerror(j.err));
		return -1;
	}
	l->received += j.got;
	l->bad += j.bad;
	if (!j.got)
		return 0;
	return j.got / ts_diff(&t0, &j.last);
}

/* A few packets 20 ms apart, as a phone would send them. */
static int prime_lane(struct lane *l, unsigned int n, u8 *buf, unsigned int *len)
{
	struct rx_job j = { .l = l, .want = n, .cpu = -1 };
	pthread_t th;

	if (build(l, buf, len, n))
		return -1;
	drain(l->rx);
	if (pthread_create(&th, NULL, rx_thread, &j))
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		if (send(l->tx, buf + i * STRIDE, len[i], 0) < 0 &&
		    errno != ECONNREFUSED)
			fprintf(stderr, "rtpbench: %s: send: %s\n", l->name,
				strerror(errno));
		usleep(20000);
	}
	__atomic_store_n(&j.tx_done, true, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	printf("# prime %s: %u sent, %lu received, %lu not bit-exact\n",
	       l->name, n, j.got, j.bad);
	return j.got && !j.bad ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, unsigned int n)
{
	double s[n];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void print_usage(void)
{
	fprintf(stderr,
		"usage: rtpbench --tx-netns PATH --rx-netns PATH [--rounds R]\n"
		"                [--packets N] [--prime P] [--title TEXT]\n"
		"                --lane NAME,rtp|srtp,SRC:PORT,DST:PORT,RCV:PORT[,KEYHEX] ...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tx-netns", required_argument, NULL, 't' },
		{ "rx-netns", required_argument, NULL, 'r' },
		{ "rounds", required_argument, NULL, 'R' },
		{ "packets", required_argument, NULL, 'n' },
		{ "prime", required_argument, NULL, 'p' },
		{ "title", required_argument, NULL, 'T' },
		{ "lane", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char *tx_ns = NULL, *rx_ns = NULL;
	const char *title = "media forwarding through the router";
	unsigned int rounds = 7, n_prime = 25;
	unsigned long n = 20000;
	int tx_cpu = -1, rx_cpu = -1;
	unsigned int *len;
	u8 *buf;
	int c, status = 0;
	struct timeval tmo = { .tv_sec = 0, .tv_usec = 300000 };

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			tx_ns = optarg;
			break;
		case 'r':
			rx_ns = optarg;
			break;
		case 'R':
			rounds = strtoul(optarg, NULL, 10);
			break;
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			n_prime = strtoul(optarg, NULL, 10);
			break;
		case 'T':
			title = optarg;
			break;
		case 'l':
			parse_lane(optarg);
			break;
		default:
			print_usage();
		}
	}
	if (!tx_ns || !rx_ns || !n_lanes || !rounds || !n || !n_prime)
		print_usage();
	if (srtp_init() != srtp_err_status_ok)
		die("srtp_init failed%s", "");

	/* The sender alone on CPU 0; the receiver with the router on CPU 1. */
	if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
		tx_cpu = 0;
		rx_cpu = 1;
	}
	buf = malloc(n * STRIDE);
	len = malloc(n * sizeof(*len));
	if (!buf || !len)
		die("out of memory for %s packets", "the");

	for (unsigned int i = 0; i < n_lanes; i++) {
		struct lane *l = &lanes[i];

		l->tx = socket_in(tx_ns, &l->src, &l->dst, 4 << 20);
		l->rx = socket_in(rx_ns, &l->rcv, NULL, 64 << 20);
		setsockopt(l->rx, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
		if (l->srtp)
			srtp_setup(l);
		l->rate = calloc(rounds, sizeof(double));
		l->tx_rate = calloc(rounds, sizeof(double));
		if (!l->rate || !l->tx_rate)
			die("out of memory%s", "");
	}

	for (unsigned int i = 0; i < n_lanes; i++)
		if (prime_lane(&lanes[i], n_prime, buf, len)) {
			printf("# lane %s: the primer did not cross bit-exact\n",
			       lanes[i].name);
			status = 1;
		}
	if (status)
		goto out;
	/* Give a relay time to push its rule to the kernel. */
	usleep(300000);

	for (unsigned int r = 0; r < rounds; r++) {
		for (unsigned int k = 0; k < n_lanes; k++) {
			struct lane *l = &lanes[(r + k) % n_lanes];
			unsigned long before = l->received;
			double rate;

			if (build(l, buf, len, n)) {
				status = 1;
				goto out;
			}
			rate = measure(l, buf, len, n, tx_cpu, rx_cpu,
				       &l->tx_rate[r]);
			if (rate < 0) {
				status = 1;
				goto out;
			}
			l->rate[r] = rate;
			printf("# round %u %-12s %8lu sent %8lu received %8.0f/s (sender %.0f/s)\n",
			       r + 1, l->name, n, l->received - before, rate,
			       l->tx_rate[r]);
		}
	}

	printf("%s\n", title);
	for (unsigned int i = 0; i < n_lanes; i++) {
		struct lane *l = &lanes[i];
		double lost = l->sent ? 100.0 * (l->sent - l->received) / l->sent : 0;

		printf("  %-28s %10.0f packets/s (sender %.0f/s; %lu sent, %.2f%% lost, %lu bad)\n",
		       l->name, median(l->rate, rounds),
		       median(l->tx_rate, rounds), l->sent, lost, l->bad);
		if (l->bad || !l->received)
			status = 1;
		/*
		 * With the router's work on another CPU, a sender no faster
		 * than the delivery may be what was measured.
		 */
		if (median(l->tx_rate, rounds) < 1.05 * median(l->rate, rounds))
			printf("  # %s: sender barely ahead of delivery: sender-bound?\n",
			       l->name);
	}
	for (unsigned int i = 0; i < n_lanes; i++)
		for (unsigned int k = i + 1; k < n_lanes; k++) {
			double a = median(lanes[k].rate, rounds);
			double b = median(lanes[i].rate, rounds);
			double pr[rounds], lo = 0, hi = 0;

			/*
			 * Also the ratio within each round, where the two ran
			 * back to back: its spread shows how far the machine's
			 * load moved the result.
			 */
			for (unsigned int r = 0; r < rounds; r++) {
				pr[r] = lanes[i].rate[r] > 0 ?
					lanes[k].rate[r] / lanes[i].rate[r] : 0;
				lo = r && lo < pr[r] ? lo : pr[r];
				hi = r && hi > pr[r] ? hi : pr[r];
			}
			printf("  ratio %s / %s: %.3f (median of %u interleaved rounds)\n",
			       lanes[k].name, lanes[i].name, b > 0 ? a / b : 0.0,
			       rounds);
			printf("    within each round: median %.3f, from %.3f to %.3f\n",
			       median(pr, rounds), lo, hi);
		}
out:
	for (unsigned int i = 0; i < n_lanes; i++) {
		if (lanes[i].ctx)
			srtp_dealloc(lanes[i].ctx);
		free(lanes[i].rate);
		free(lanes[i].tx_rate);
	}
	free(buf);
	free(len);
	return status;
}
