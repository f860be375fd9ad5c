// SPDX-License-Identifier: GPL-2.0
/*
 * Timing for bench_compare(): calibrate a batch size per case so one
 * batch takes about a millisecond, then alternate rounds of each case
 * and report medians, which a noisy neighbour moves less than means.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Operations per second of @c over about @ms milliseconds; -1 on failure. */
static double run_round(const struct bench_case *c, unsigned long batch,
			unsigned int ms)
{
	double start = now_s(), elapsed;
	unsigned long ops = 0;

	do {
		for (unsigned long i = 0; i < batch; i++)
			if (c->fn(c->ctx))
				return -1;
		ops += batch;
		elapsed = now_s() - start;
	} while (elapsed * 1000 < ms);
	return ops / elapsed;
}

static unsigned long calibrate(const struct bench_case *c)
{
	unsigned long batch = 1;

	for (;;) {
		double start = now_s();

		for (unsigned long i = 0; i < batch; i++)
			if (c->fn(c->ctx))
				return 0;
		if (now_s() - start > 1e-3 || batch >= (1UL << 30))
			return batch;
		batch *= 2;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double bench_compare(const char *title, const struct bench_case *ours,
		     const struct bench_case *peer, unsigned int rounds,
		     unsigned int round_ms)
{
	double *ro = calloc(rounds, sizeof(*ro));
	double *rp = calloc(rounds, sizeof(*rp));
	unsigned long bo, bp;
	double mo, mp;

	if (!ro || !rp || !rounds) {
		free(ro);
		free(rp);
		return -1;
	}
	bo = calibrate(ours);
	bp = calibrate(peer);
	if (!bo || !bp) {
		fprintf(stderr, "bench: %s: an operation failed\n", title);
		free(ro);
		free(rp);
		return -1;
	}
	for (unsigned int i = 0; i < rounds; i++) {
		ro[i] = run_round(ours, bo, round_ms);
		rp[i] = run_round(peer, bp, round_ms);
		if (ro[i] < 0 || rp[i] < 0) {
			fprintf(stderr, "bench: %s: an operation failed\n", title);
			free(ro);
			free(rp);
			return -1;
		}
	}
	mo = median(ro, rounds);
	mp = median(rp, rounds);
	printf("%s\n", title);
	printf("  %-40s %14.0f ops/s\n", ours->name, mo);
	printf("  %-40s %14.0f ops/s\n", peer->name, mp);
	printf("  ratio %s / %s: %.3f (median of %u interleaved rounds)\n",
	       ours->name, peer->name, mo / mp, rounds);
	free(ro);
	free(rp);
	return mo / mp;
}

int bench_copy(void *ctx)
{
	const struct bench_copy *c = ctx;

	memcpy(c->work, c->in, c->len);
	bench_keep(c->work);
	return 0;
}
