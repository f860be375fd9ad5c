// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters: allocation, reading and the names users see. */

#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>

#include "stats.h"

/* "group.name": ucpctl groups its output by the part before the dot. */
static const char *const ucp_counter_names[] = {
	[UCP_CTR_NL_REQUESTS]	= "netlink.requests",
	[UCP_CTR_NL_DUMPS]	= "netlink.dumps",
	[UCP_CTR_NL_DENIED]	= "netlink.denied",
	[UCP_CTR_SIP_MESSAGES]		= "sip.messages",
	[UCP_CTR_SIP_REWRITTEN]		= "sip.rewritten",
	[UCP_CTR_SIP_REASSEMBLED]	= "sip.reassembled",
	[UCP_CTR_SIP_EXPECTATIONS]	= "sip.expectations",
	[UCP_CTR_SIP_EXPECT_FAILED]	= "sip.expect_failed",
	[UCP_CTR_SIP_EXPECT_RELEASED]	= "sip.expect_released",
	[UCP_CTR_SIP_MALFORMED_PASSED]	= "sip.malformed_passed",
	[UCP_CTR_SIP_DROPPED]		= "sip.dropped",
	[UCP_CTR_SIP_BAD_TOO_LARGE]	= "sip.bad_too_large",
	[UCP_CTR_SIP_BAD_START_LINE]	= "sip.bad_start_line",
	[UCP_CTR_SIP_BAD_HEADER]	= "sip.bad_header",
	[UCP_CTR_SIP_BAD_CONTENT_LENGTH] = "sip.bad_content_length",
	[UCP_CTR_SIP_BAD_URI]		= "sip.bad_uri",
	[UCP_CTR_SIP_BAD_ADDRESS]	= "sip.bad_address",
	[UCP_CTR_SIP_BAD_TOO_MANY]	= "sip.bad_too_many",
	[UCP_CTR_SIP_BAD_SDP]		= "sip.bad_sdp",
	[UCP_CTR_SIP_BAD_CRYPTO]	= "sip.bad_crypto",
	[UCP_CTR_SIP_BAD_NOSPACE]	= "sip.bad_nospace",
	[UCP_CTR_SIP_OUT_OF_ORDER]	= "sip.out_of_order",
	[UCP_CTR_SIP_REASSEMBLY_FULL]	= "sip.reassembly_full",
	[UCP_CTR_SIP_NOMEM]		= "sip.nomem",
	[UCP_CTR_SIP_REASSEMBLY_ABANDONED] = "sip.reassembly_abandoned",
	[UCP_CTR_MEDIA_SESSIONS]	= "media.sessions",
	[UCP_CTR_MEDIA_REFUSED]		= "media.refused",
	[UCP_CTR_MEDIA_KEY_FAILED]	= "media.key_failed",
	[UCP_CTR_MEDIA_PROTECTED]	= "media.protected",
	[UCP_CTR_MEDIA_UNPROTECTED]	= "media.unprotected",
	[UCP_CTR_MEDIA_PASSED]		= "media.passed",
	[UCP_CTR_MEDIA_AUTH_FAILED]	= "media.auth_failed",
	[UCP_CTR_MEDIA_REPLAYED]	= "media.replayed",
	[UCP_CTR_MEDIA_MALFORMED]	= "media.malformed",
	[UCP_CTR_MEDIA_DROPPED]		= "media.dropped",
	[UCP_CTR_SCCP_MESSAGES]	= "sccp.messages",
	[UCP_CTR_SCCP_UNKNOWN]	= "sccp.unknown",
	[UCP_CTR_SCCP_REWRITTEN]	= "sccp.rewritten",
	[UCP_CTR_SCCP_REASSEMBLED]	= "sccp.reassembled",
	[UCP_CTR_SCCP_SPLIT_UNREWRITTEN] = "sccp.split_unrewritten",
	[UCP_CTR_SCCP_EXPECTATIONS]	= "sccp.expectations",
	[UCP_CTR_SCCP_EXPECT_FAILED]	= "sccp.expect_failed",
	[UCP_CTR_SCCP_EXPECT_RELEASED]	= "sccp.expect_released",
	[UCP_CTR_SCCP_KEYS]	= "sccp.keys",
	[UCP_CTR_SCCP_MALFORMED_PASSED] = "sccp.malformed_passed",
	[UCP_CTR_SCCP_DROPPED]	= "sccp.dropped",
	[UCP_CTR_SCCP_BAD_TOO_LARGE]	= "sccp.bad_too_large",
	[UCP_CTR_SCCP_BAD_LENGTH]	= "sccp.bad_length",
	[UCP_CTR_SCCP_BAD_TRUNCATED]	= "sccp.bad_truncated",
	[UCP_CTR_SCCP_BAD_ADDRESS]	= "sccp.bad_address",
	[UCP_CTR_SCCP_BAD_KEY]	= "sccp.bad_key",
	[UCP_CTR_SCCP_BAD_FAMILY]	= "sccp.bad_family",
	[UCP_CTR_SCCP_OUT_OF_ORDER]	= "sccp.out_of_order",
	[UCP_CTR_SCCP_REASSEMBLY_FULL]	= "sccp.reassembly_full",
	[UCP_CTR_SCCP_NOMEM]	= "sccp.nomem",
};

static_assert(ARRAY_SIZE(ucp_counter_names) == __UCP_CTR_MAX);

const char *ucp_counter_name(enum ucp_counter ctr)
{
	return ucp_counter_names[ctr];
}

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

void ucp_stats_free(struct ucp_stats *stats)
{
	free_percpu(stats->pcpu);
	stats->pcpu = NULL;
}

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
