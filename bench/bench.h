/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Side-by-side benchmarks: each case is measured against its peer in the
 * same run, interleaved round by round, so that noise from a shared
 * machine hits both alike. Reports operations per second and the ratio.
 */
#ifndef UCP_BENCH_H
#define UCP_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* One operation; returns non-zero on failure (the benchmark then aborts). */
typedef int (*bench_fn)(void *ctx);

struct bench_case {
	const char *name;
	bench_fn fn;
	void *ctx;
};

/*
 * Run @ours and @peer alternately for @rounds rounds of about
 * @round_ms milliseconds each, then print one line per case with the
 * median rate (operations/s) and the ratio ours/peer. Returns that ratio,
 * or a negative value when an operation failed.
 */
double bench_compare(const char *title, const struct bench_case *ours,
		     const struct bench_case *peer, unsigned int rounds,
		     unsigned int round_ms);

/* The memcpy() peer of a stream benchmark: @len bytes of @in to @work. */
struct bench_copy {
	const void *in;
	void *work;
	size_t len;
};

/* One copy; the @ctx of a case is a struct bench_copy. */
int bench_copy(void *ctx);

/* Keeps the compiler from discarding a result the benchmark computed. */
static inline void bench_keep(const void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

#endif /* UCP_BENCH_H */
