// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's counters. SIGUSR1 writes them, one "name value" a line, to
 * the stats file (atomically: a reader never sees half a dump) or, without
 * one, to the log. Offloaded versus userspace legs are here, since only
 * the agent knows which sockets it handed to kTLS.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ucproxyd.h"

uint64_t ucpd_stats[UCPD_C_NR];

static const char * const names[UCPD_C_NR] = {
	[UCPD_C_ACCEPTED] = "accepted",
	[UCPD_C_ACTIVE] = "active",
	[UCPD_C_HANDSHAKE_FAILED] = "handshake_failed",
	[UCPD_C_CLIENT_CERT_REFUSED] = "client_cert_refused",
	[UCPD_C_LICENSE_REFUSED] = "license_refused",
	[UCPD_C_CONNECT_FAILED] = "connect_failed",
	[UCPD_C_TIMEOUT_HANDSHAKE] = "timeout_handshake",
	[UCPD_C_TIMEOUT_IDLE] = "timeout_idle",
	[UCPD_C_OVERLOAD] = "overload",
	[UCPD_C_RELAYED] = "relayed",
	[UCPD_C_RELAY_ERROR] = "relay_error",
	[UCPD_C_BYTES_UP] = "bytes_up",
	[UCPD_C_BYTES_DOWN] = "bytes_down",
	[UCPD_C_LEGS_KTLS] = "legs_ktls",
	[UCPD_C_LEGS_KTLS_TX] = "legs_ktls_tx_only",
	[UCPD_C_LEGS_USERSPACE] = "legs_userspace",
	[UCPD_C_TLS13_RX_INSTALLED] = "tls13_rx_installed",
	[UCPD_C_KEY_UPDATE] = "key_update",
	[UCPD_C_INSPECTED] = "inspected",
	[UCPD_C_INSPECT_DROPPED] = "inspect_dropped",
	[UCPD_C_INSPECT_ERROR] = "inspect_error",
	[UCPD_C_MINTED] = "minted",
	[UCPD_C_RELOADS] = "reloads",
	[UCPD_C_RELOAD_FAILED] = "reload_failed",
	[UCPD_C_TFTP_REQUESTS] = "tftp_requests",
	[UCPD_C_TFTP_DONE] = "tftp_done",
	[UCPD_C_TFTP_BYTES] = "tftp_bytes",
	[UCPD_C_TFTP_RELAYED] = "tftp_relayed",
	[UCPD_C_TFTP_REWRITTEN] = "tftp_rewritten",
	[UCPD_C_TFTP_CACHE_HIT] = "tftp_cache_hit",
	[UCPD_C_TFTP_CTL] = "tftp_ctl",
	[UCPD_C_TFTP_WRITE_REFUSED] = "tftp_write_refused",
	[UCPD_C_TFTP_BAD_PACKET] = "tftp_bad_packet",
	[UCPD_C_TFTP_BUSY] = "tftp_busy",
	[UCPD_C_TFTP_NOT_SERVED] = "tftp_not_served",
	[UCPD_C_TFTP_SERVER_ERROR] = "tftp_server_error",
	[UCPD_C_TFTP_SERVER_TIMEOUT] = "tftp_server_timeout",
	[UCPD_C_TFTP_PHONE_TIMEOUT] = "tftp_phone_timeout",
	[UCPD_C_TFTP_PHONE_ERROR] = "tftp_phone_error",
	[UCPD_C_TFTP_XML_REFUSED] = "tftp_xml_refused",
	[UCPD_C_TFTP_OVERSIZE] = "tftp_oversize",
	[UCPD_C_TFTP_UNKNOWN_TID] = "tftp_unknown_tid",
	[UCPD_C_TFTP_STRAY] = "tftp_stray",
};

int ucpd_stats_dump(const char *path)
{
	char tmp[4096 + 8];
	FILE *fp;
	int i;

	if (!path) {
		/* Every counter, at most 20 digits each, on one line. */
		char line[2048];
		size_t n = 0;

		for (i = 0; i < UCPD_C_NR && n < sizeof(line); i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s=%llu",
					      names[i],
					      (unsigned long long)ucpd_stats[i]);
		ucpd_log(UCPD_INFO, "stats:%s", line);
		return 0;
	}
	if (strlen(path) > 4096) {
		ucpd_log(UCPD_ERR, "stats-file: path too long");
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fp = fopen(tmp, "w");
	if (!fp)
		goto err;
	for (i = 0; i < UCPD_C_NR; i++)
		fprintf(fp, "%s %llu\n", names[i],
			(unsigned long long)ucpd_stats[i]);
	if (fclose(fp) || rename(tmp, path))
		goto err;
	return 0;
err:
	ucpd_log(UCPD_ERR, "stats-file %s: %s", path, strerror(errno));
	unlink(tmp);
	return -1;
}
