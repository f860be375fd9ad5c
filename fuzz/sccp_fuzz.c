// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the SCCP core (kmod/core/ucp_sccp.c): the input is a
 * byte stream, framed message after message as the conntrack helper
 * frames a TCP stream; every framed message is parsed and, when that
 * succeeds, checked and rewritten:
 *
 * - what the parse says must hold in the bytes: the header fields, every
 *   field's offsets inside the message and its address and port as
 *   written there, the key and salt lengths within their bounds;
 * - rewriting with a map that changes nothing leaves the message as it is;
 * - rewriting to other addresses (either family) and ports, drawn from a
 *   generator seeded with a hash of the input, gives a message of the same
 *   length that parses again with the same fields and the new values, or
 *   is refused with E_FAMILY and left untouched.
 *
 * Each parse reads a heap copy of exactly the message, so ASan sees any
 * read past it. A broken rule ends in __builtin_trap() after a line on
 * stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucp_sccp.h"

#include "fuzz_check.h"

static struct ucp_sccp_msg m, m2, m3;
static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* What the map chose for each field, to compare with the second parse. */
struct choice {
	struct ucp_sccp_addr addr[UCP_SCCP_MAX_FIELDS];
	uint16_t port[UCP_SCCP_MAX_FIELDS];
	bool set[UCP_SCCP_MAX_FIELDS];
};

static bool map_same(void *ctx, const struct ucp_sccp_msg *msg,
		     const struct ucp_sccp_field *f, struct ucp_sccp_addr *addr,
		     uint16_t *port)
{
	(void)ctx;
	(void)msg;
	(void)f;
	(void)addr;
	(void)port;
	return true;
}

static bool map_random(void *ctx, const struct ucp_sccp_msg *msg,
		       const struct ucp_sccp_field *f,
		       struct ucp_sccp_addr *addr, uint16_t *port)
{
	struct choice *c = ctx;
	unsigned int i = f - msg->f;
	uint64_t r = next();

	CHECK(i < msg->nfields);
	c->set[i] = r & 1;
	if (!c->set[i])
		return false;
	if (f->addr_off) {
		memset(addr, 0, sizeof(*addr));
		addr->family = (r & 2) ? 6 : 4;
		memcpy(addr->a, &r, 8);
		r = next();
		memcpy(addr->a + 8, &r, 8);
		if (addr->family == 4)
			memset(addr->a + 4, 0, 12);
	}
	*port = next();
	c->addr[i] = *addr;
	c->port[i] = *port;
	return true;
}

static void check_parse(const struct ucp_sccp_msg *pm, const uint8_t *b,
			size_t len)
{
	unsigned int i;

	CHECK(pm->len == len);
	CHECK(pm->version == le32(b + 4));
	CHECK(pm->id == le32(b + 8));
	CHECK(pm->nfields <= UCP_SCCP_MAX_FIELDS);
	CHECK(pm->key.key_len <= UCP_SCCP_KEY_MAX);
	CHECK(pm->key.salt_len <= UCP_SCCP_SALT_MAX);
	CHECK(pm->known || (!pm->nfields && !pm->has_key));
	for (i = 0; i < pm->nfields; i++) {
		const struct ucp_sccp_field *f = &pm->f[i];

		CHECK(f->kind < UCP_SCCP_F_KIND_COUNT);
		CHECK(f->addr_off || f->port_off);
		if (f->addr_off) {
			unsigned int alen = f->typed || f->addr.family == 6 ? 16 : 4;

			CHECK(f->addr.family == 4 || f->addr.family == 6);
			CHECK(f->addr_off >= UCP_SCCP_HDR_LEN &&
			      f->addr_off + alen <= len);
			CHECK(!memcmp(b + f->addr_off, f->addr.a,
				      f->addr.family == 4 ? 4 : 16));
		}
		if (f->typed) {
			uint32_t type = le32(b + f->type_off);

			CHECK(f->type_off + 4 == f->addr_off);
			CHECK(type == (f->addr.family == 4 ? UCP_SCCP_IPADDR_V4 :
				       type == UCP_SCCP_IPADDR_V4_V6 ?
				       UCP_SCCP_IPADDR_V4_V6 : UCP_SCCP_IPADDR_V6));
		}
		if (f->port_off) {
			CHECK(f->port_off + 4 <= len);
			CHECK(le32(b + f->port_off) == f->port);
		}
	}
}

/*
 * Replace the key info with one made of the input's first bytes: it
 * parses back as written, and no byte outside the block moves.
 */
static void write_key(const struct ucp_sccp_msg *pm, uint8_t *b, size_t len,
		      const uint8_t *data, size_t size)
{
	struct ucp_sccp_key k = { .algorithm = size ? data[0] % 8 : 0 };
	uint8_t *before = malloc(len);
	size_t i;

	if (!before)
		abort();
	memcpy(before, b, len);
	k.key_len = size > 1 ? data[1] % 17 : 0;
	k.salt_len = size > 2 ? data[2] % 17 : 0;
	for (i = 0; i < 16; i++) {
		k.key[i] = i < k.key_len ? data[i % size] ^ 0x5a : 0;
		k.salt[i] = i < k.salt_len ? data[i % size] ^ 0xa5 : 0;
	}
	CHECK(ucp_sccp_write_key(pm, b, len, &k) == 0);
	CHECK(ucp_sccp_parse(&m3, b, len) == UCP_SCCP_OK);
	CHECK(m3.has_key && m3.key_off == pm->key_off);
	CHECK(m3.key.algorithm == k.algorithm && m3.key.key_len == k.key_len &&
	      m3.key.salt_len == k.salt_len);
	CHECK(!memcmp(m3.key.key, k.key, 16) && !memcmp(m3.key.salt, k.salt, 16));
	CHECK(m3.nfields == pm->nfields && m3.party_id == pm->party_id);
	for (i = 0; i < len; i++)
		if (i < pm->key_off || i >= pm->key_off + UCP_SCCP_KEYINFO_LEN)
			CHECK(b[i] == before[i]);
	ucp_sccp_msg_wipe(&m3);
	free(before);
}

static void one_message(const uint8_t *data, size_t len)
{
	struct choice c = {};
	uint8_t *b = malloc(len), *orig = malloc(len);
	unsigned int i;
	int ret;

	if (!b || !orig)
		abort();
	memcpy(b, data, len);
	memcpy(orig, data, len);
	if (ucp_sccp_parse(&m, b, len) != UCP_SCCP_OK) {
		CHECK(!m.has_key && !m.key.key_len && !m.key.key[0]);
		goto out;
	}
	check_parse(&m, b, len);

	CHECK(ucp_sccp_rewrite(&m, b, len, map_same, NULL) >= 0);
	for (i = 0; i < m.nfields; i++) {
		/* Only a typed IPv4 field's 12 spare bytes may be normalized. */
		if (!m.f[i].typed || m.f[i].addr.family != 4)
			continue;
		memset(orig + m.f[i].addr_off + 4, 0, 12);
	}
	CHECK(!memcmp(b, orig, len));

	ret = ucp_sccp_rewrite(&m, b, len, map_random, &c);
	if (ret < 0) {
		CHECK(ret == -UCP_SCCP_E_FAMILY);
		CHECK(!memcmp(b, orig, len));
		goto out;
	}
	CHECK(ret <= m.nfields);
	CHECK(ucp_sccp_parse(&m2, b, len) == UCP_SCCP_OK);
	check_parse(&m2, b, len);
	CHECK(m2.nfields == m.nfields && m2.id == m.id);
	CHECK(m2.party_id == m.party_id && m2.call_ref == m.call_ref);
	CHECK(m2.has_key == m.has_key);
	CHECK(!memcmp(&m2.key, &m.key, sizeof(m.key)));
	for (i = 0; i < m.nfields; i++) {
		const struct ucp_sccp_field *f = &m2.f[i];

		CHECK(f->kind == m.f[i].kind);
		if (!c.set[i])
			continue;
		if (f->addr_off)
			CHECK(!memcmp(&f->addr, &c.addr[i], sizeof(f->addr)) ||
			      /* a plain IPv4 field takes the first 4 bytes */
			      (!f->typed && f->addr.family == 4 &&
			       !memcmp(f->addr.a, c.addr[i].a, 4)));
		if (f->port_off)
			CHECK(f->port == c.port[i]);
	}
	if (m2.has_key)
		write_key(&m2, b, len, data, len);
	ucp_sccp_msg_wipe(&m2);
out:
	ucp_sccp_msg_wipe(&m);
	free(orig);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0, n;
	uint64_t h = 0xcbf29ce484222325ull;

	for (n = 0; n < size; n++)
		h = (h ^ data[n]) * 0x100000001b3ull;
	rng = h | 1;

	while (off < size) {
		int ret = ucp_sccp_frame(data + off, size - off, &n);

		if (ret == UCP_SCCP_E_INCOMPLETE) {
			/* A cut message: the parser must refuse it whole. */
			if (size - off >= UCP_SCCP_HDR_LEN)
				CHECK(ucp_sccp_parse(&m, data + off, size - off) != UCP_SCCP_OK);
			break;
		}
		if (ret)
			break;
		CHECK(n >= UCP_SCCP_HDR_LEN && n <= UCP_SCCP_MAX_MSG && n <= size - off);
		one_message(data + off, n);
		off += n;
	}
	return 0;
}
