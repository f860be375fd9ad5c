// SPDX-License-Identifier: GPL-2.0
/*
 * The bounded cache of rewritten configurations (tftp_cache.h): a small
 * array searched linearly (it holds tens of files), expired entries
 * dropped when met, the least recently used evicted when full.
 */
#include <stdlib.h>
#include <string.h>

#include "tftp_cache.h"

/**
 * ucpd_tftp_cache_init() - an empty cache
 * @c: the cache
 * @max_entries: files kept at most (0: nothing is ever kept)
 * @ttl_ms: how long a file stays valid
 *
 * Return: 0, or -1 when out of memory.
 */
int ucpd_tftp_cache_init(struct ucpd_tftp_cache *c, unsigned int max_entries,
			 uint64_t ttl_ms)
{
	memset(c, 0, sizeof(*c));
	c->max_entries = max_entries;
	c->ttl_ms = ttl_ms;
	if (!max_entries)
		return 0;
	c->e = calloc(max_entries, sizeof(*c->e));
	return c->e ? 0 : -1;
}

static void drop(struct ucpd_tftp_cache *c, unsigned int i)
{
	free(c->e[i].name);
	free(c->e[i].data);
	c->e[i] = c->e[--c->n];
	memset(&c->e[c->n], 0, sizeof(c->e[c->n]));
}

/**
 * ucpd_tftp_cache_free() - drop every file and the cache's memory
 * @c: the cache
 */
void ucpd_tftp_cache_free(struct ucpd_tftp_cache *c)
{
	while (c->n)
		drop(c, 0);
	free(c->e);
	memset(c, 0, sizeof(*c));
}

/**
 * ucpd_tftp_cache_get() - a cached file that has not expired
 * @c: the cache
 * @name: the file name
 * @now: milliseconds, the clock of @c's entries
 * @len: the file's length, when found
 *
 * Return: the bytes (valid until the next put or free), or NULL.
 */
const uint8_t *ucpd_tftp_cache_get(struct ucpd_tftp_cache *c, const char *name,
				   uint64_t now, size_t *len)
{
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->e[i].name, name))
			continue;
		if (now - c->e[i].stored >= c->ttl_ms) {
			drop(c, i);
			return NULL;
		}
		c->e[i].used = now;
		*len = c->e[i].len;
		return c->e[i].data;
	}
	return NULL;
}

/**
 * ucpd_tftp_cache_put() - keep a copy of a file
 * @c: the cache
 * @name: the file name (an entry of that name is replaced)
 * @data: the bytes
 * @len: their length
 * @now: milliseconds
 *
 * Return: 0 (also when the cache keeps nothing), or -1 when out of memory.
 */
int ucpd_tftp_cache_put(struct ucpd_tftp_cache *c, const char *name,
			const uint8_t *data, size_t len, uint64_t now)
{
	struct ucpd_tftp_cache_entry e = { .len = len, .stored = now, .used = now };
	unsigned int i, lru = 0;

	if (!c->max_entries)
		return 0;
	e.name = strdup(name);
	e.data = malloc(len ? len : 1);
	if (!e.name || !e.data) {
		free(e.name);
		free(e.data);
		return -1;
	}
	memcpy(e.data, data, len);
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].name, name))
			break;
	if (i < c->n) {
		drop(c, i);
	} else if (c->n == c->max_entries) {
		for (i = 1; i < c->n; i++)
			if (c->e[i].used < c->e[lru].used)
				lru = i;
		drop(c, lru);
	}
	c->e[c->n++] = e;
	return 0;
}
