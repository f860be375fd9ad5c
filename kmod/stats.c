// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters: allocation and reading (their names are the spec's). */

#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>

#include "stats.h"

/**
 * ucp_stats_init() - a namespace's counters, all zero
 * @stats: where they are kept
 *
 * Return: 0 or -ENOMEM.
 */
int ucp_stats_init(struct ucp_stats *stats)
{
	int cpu;

	stats->pcpu = alloc_percpu(struct ucp_pcpu_stats);
	if (!stats->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats->pcpu, cpu)->syncp);
	return 0;
}

/**
 * ucp_stats_free() - free what ucp_stats_init() allocated
 * @stats: the counters
 */
void ucp_stats_free(struct ucp_stats *stats)
{
	free_percpu(stats->pcpu);
	stats->pcpu = NULL;
}

/**
 * ucp_stats_read_cpu() - one CPU's copy of every counter
 * @stats: the counters
 * @cpu: a possible CPU
 * @out: the values, consistent per counter even on 32-bit machines
 */
void ucp_stats_read_cpu(const struct ucp_stats *stats, int cpu,
			u64 out[__UCP_CTR_MAX])
{
	const struct ucp_pcpu_stats *p = per_cpu_ptr(stats->pcpu, cpu);
	unsigned int start;
	int i;

	do {
		start = u64_stats_fetch_begin(&p->syncp);
		for (i = 0; i < __UCP_CTR_MAX; i++)
			out[i] = u64_stats_read(&p->ctr[i]);
	} while (u64_stats_fetch_retry(&p->syncp, start));
}

/**
 * ucp_stats_read_total() - every counter, summed over the possible CPUs
 * @stats: the counters
 * @out: the sums
 */
void ucp_stats_read_total(const struct ucp_stats *stats,
			  u64 out[__UCP_CTR_MAX])
{
	u64 one[__UCP_CTR_MAX];
	int cpu, i;

	memset(out, 0, sizeof(u64) * __UCP_CTR_MAX);
	for_each_possible_cpu(cpu) {
		ucp_stats_read_cpu(stats, cpu, one);
		for (i = 0; i < __UCP_CTR_MAX; i++)
			out[i] += one[i];
	}
}
