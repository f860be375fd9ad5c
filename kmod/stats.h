/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters of one network namespace.
 *
 * Writers bump their own CPU's copy from any context, without a lock or a
 * shared cache line; readers sum the copies. u64_stats keeps 64-bit values
 * consistent on 32-bit machines and costs nothing on 64-bit ones.
 */
#ifndef _UCP_STATS_H
#define _UCP_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/ucproxy.h>

struct ucp_pcpu_stats {
	u64_stats_t ctr[__UCP_CTR_MAX];
	struct u64_stats_sync syncp;
};

struct ucp_stats {
	struct ucp_pcpu_stats __percpu *pcpu;
};

int ucp_stats_init(struct ucp_stats *stats);
void ucp_stats_free(struct ucp_stats *stats);
void ucp_stats_read_cpu(const struct ucp_stats *stats, int cpu,
			u64 out[__UCP_CTR_MAX]);
void ucp_stats_read_total(const struct ucp_stats *stats,
			  u64 out[__UCP_CTR_MAX]);

static inline void ucp_stats_add(struct ucp_stats *stats,
				 enum ucp_counter ctr, unsigned long n)
{
	struct ucp_pcpu_stats *p = get_cpu_ptr(stats->pcpu);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&p->syncp);
	u64_stats_add(&p->ctr[ctr], n);
	u64_stats_update_end_irqrestore(&p->syncp, flags);
	put_cpu_ptr(stats->pcpu);
}

static inline void ucp_stats_inc(struct ucp_stats *stats, enum ucp_counter ctr)
{
	ucp_stats_add(stats, ctr, 1);
}

#endif /* _UCP_STATS_H */
