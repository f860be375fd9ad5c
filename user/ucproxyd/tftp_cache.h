/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TFTP proxy's bounded cache of rewritten configurations: at most
 * max_entries files, each kept for ttl_ms, the least recently used one
 * evicted first. Pure code (libc only) for the unit tests.
 */
#ifndef _UCPD_TFTP_CACHE_H
#define _UCPD_TFTP_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct ucpd_tftp_cache_entry {
	char *name;
	uint8_t *data;
	size_t len;
	uint64_t stored, used;		/* milliseconds */
};

struct ucpd_tftp_cache {
	struct ucpd_tftp_cache_entry *e;
	unsigned int n, max_entries;
	uint64_t ttl_ms;
};

/* An empty cache; 0 entries disables it. 0, or -1 (no memory). */
int ucpd_tftp_cache_init(struct ucpd_tftp_cache *c, unsigned int max_entries,
			 uint64_t ttl_ms);
void ucpd_tftp_cache_free(struct ucpd_tftp_cache *c);
/*
 * The file cached under @name and not older than the TTL at @now, or
 * NULL; the bytes stay valid until the next put or free.
 */
const uint8_t *ucpd_tftp_cache_get(struct ucpd_tftp_cache *c, const char *name,
				   uint64_t now, size_t *len);
/* Stores a copy of @data under @name (replacing). 0, or -1 (no memory). */
int ucpd_tftp_cache_put(struct ucpd_tftp_cache *c, const char *name,
			const uint8_t *data, size_t len, uint64_t now);

#endif /* _UCPD_TFTP_CACHE_H */
