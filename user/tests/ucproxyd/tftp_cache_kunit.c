// SPDX-License-Identifier: GPL-2.0
/*
 * The cache of rewritten configurations (tftp_cache.c): hits, expiry,
 * replacement, the least recently used evicted, and a cache of none.
 */
#include <kunit/test.h>

#include <string.h>

#include "tftp_cache.h"

#define B(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

static void hit_expiry_test(struct kunit *test)
{
	struct ucpd_tftp_cache c;
	const uint8_t *d;
	size_t len = 0;

	KUNIT_ASSERT_EQ(test, ucpd_tftp_cache_init(&c, 4, 1000), 0);
	KUNIT_EXPECT_NULL(test, ucpd_tftp_cache_get(&c, "a", 0, &len));
	KUNIT_ASSERT_EQ(test, ucpd_tftp_cache_put(&c, "a", B("one"), 100), 0);
	d = ucpd_tftp_cache_get(&c, "a", 1099, &len);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, len, 3u);
	KUNIT_EXPECT_EQ(test, memcmp(d, "one", 3), 0);
	/* Replaced, with a new age. */
	KUNIT_ASSERT_EQ(test, ucpd_tftp_cache_put(&c, "a", B("two!"), 1000), 0);
	KUNIT_EXPECT_EQ(test, c.n, 1u);
	d = ucpd_tftp_cache_get(&c, "a", 1999, &len);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, len, 4u);
	/* Expired at exactly the TTL, and dropped. */
	KUNIT_EXPECT_NULL(test, ucpd_tftp_cache_get(&c, "a", 2000, &len));
	KUNIT_EXPECT_EQ(test, c.n, 0u);
	ucpd_tftp_cache_free(&c);
}

static void lru_test(struct kunit *test)
{
	struct ucpd_tftp_cache c;
	size_t len;

	KUNIT_ASSERT_EQ(test, ucpd_tftp_cache_init(&c, 2, 10000), 0);
	KUNIT_ASSERT_EQ(test, ucpd_tftp_cache_put(&c, "a", B("A"), 1), 0);
	KUNIT_ASSERT_EQ(test, ucpd_tftp_cache_put(&c, "b", B("B"), 2), 0);
	/* a is used after b was stored: b is the least recently used. */
	KUNIT_EXPECT_NOT_NULL(test, ucpd_tftp_cache_get(&c, "a", 3, &len));
	KUNIT_ASSERT_EQ(test, ucpd_tftp_cache_put(&c, "c", B("C"), 4), 0);
	KUNIT_EXPECT_EQ(test, c.n, 2u);
	KUNIT_EXPECT_NULL(test, ucpd_tftp_cache_get(&c, "b", 5, &len));
	KUNIT_EXPECT_NOT_NULL(test, ucpd_tftp_cache_get(&c, "a", 5, &len));
	KUNIT_EXPECT_NOT_NULL(test, ucpd_tftp_cache_get(&c, "c", 5, &len));
	ucpd_tftp_cache_free(&c);
}

static void none_test(struct kunit *test)
{
	struct ucpd_tftp_cache c;
	size_t len;

	KUNIT_ASSERT_EQ(test, ucpd_tftp_cache_init(&c, 0, 10000), 0);
	KUNIT_EXPECT_EQ(test, ucpd_tftp_cache_put(&c, "a", B("A"), 1), 0);
	KUNIT_EXPECT_NULL(test, ucpd_tftp_cache_get(&c, "a", 1, &len));
	/* An empty file is a file. */
	KUNIT_ASSERT_EQ(test, ucpd_tftp_cache_init(&c, 1, 10000), 0);
	KUNIT_EXPECT_EQ(test, ucpd_tftp_cache_put(&c, "e", (const uint8_t *)"", 0, 1), 0);
	KUNIT_EXPECT_NOT_NULL(test, ucpd_tftp_cache_get(&c, "e", 2, &len));
	KUNIT_EXPECT_EQ(test, len, 0u);
	ucpd_tftp_cache_free(&c);
}

static struct kunit_case tftp_cache_cases[] = {
	KUNIT_CASE(hit_expiry_test),
	KUNIT_CASE(lru_test),
	KUNIT_CASE(none_test),
	{}
};

static struct kunit_suite tftp_cache_suite = {
	.name = "ucpd_tftp_cache",
	.test_cases = tftp_cache_cases,
};

kunit_test_suite(tftp_cache_suite);

MODULE_LICENSE("GPL");
