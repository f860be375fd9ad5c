// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace KUnit's own test: some cases here fail on purpose, and
 * `make check` requires the runner's output to be exactly selftest.ktap
 * (exit status 1). That proves a failing expectation, assertion or
 * parameter is reported with its values and counted, that an assertion
 * ends its case, that exit and cleanup still run, and that integers compare
 * exactly across signedness.
 */
#include <kunit/test.h>

static int selftest_exits;

static int selftest_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, 16, GFP_KERNEL);	/* leak-checked */
	return test->priv ? 0 : -12;
}

static void selftest_exit(struct kunit *test)
{
	(void)test;
	selftest_exits++;
}

static void passes_test(struct kunit *test)
{
	unsigned int u = 4294967295u;
	unsigned char c = 255;
	long long big = -5;
	const char *s = "abc";
	char buf[4] = "abc";

	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, test->priv);
	KUNIT_EXPECT_EQ(test, c, 255);
	KUNIT_EXPECT_NE(test, -1, u);
	KUNIT_EXPECT_LT(test, -1, u);
	KUNIT_EXPECT_LT(test, big, 0u);
	KUNIT_EXPECT_GE(test, u, 4294967295ull);
	KUNIT_EXPECT_LE(test, 0, 0);
	KUNIT_EXPECT_GT(test, 1, false);
	KUNIT_EXPECT_TRUE(test, s);
	KUNIT_EXPECT_FALSE(test, !s);
	KUNIT_EXPECT_STREQ(test, s, buf);
	KUNIT_EXPECT_STRNEQ(test, s, "abd");
	KUNIT_EXPECT_PTR_EQ(test, s, s);
	KUNIT_EXPECT_PTR_NE(test, s, buf);
	KUNIT_EXPECT_NULL(test, NULL);
	KUNIT_EXPECT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, 1, 1);
	kunit_kfree(test, kunit_kmalloc(test, 8, GFP_KERNEL));
	KUNIT_SUCCEED(test);
}

static void expect_fails_test(struct kunit *test)
{
	int three = 3;
	unsigned int umax = 4294967295u;
	const char *s = "abc";

	KUNIT_EXPECT_EQ(test, three, 4);
	KUNIT_EXPECT_EQ_MSG(test, -1, umax, "signed %d is not unsigned %u", -1, umax);
	KUNIT_EXPECT_STREQ(test, s, "abd");
	KUNIT_EXPECT_TRUE(test, three == 4);
}

static void assert_ends_case_test(struct kunit *test)
{
	kunit_info(test, "before the assertion");
	KUNIT_ASSERT_GT(test, 1, 2);
	KUNIT_FAIL(test, "not reached");
}

static void exits_ran_test(struct kunit *test)
{
	/* init and exit around each of the 3 runs before this one */
	KUNIT_EXPECT_EQ(test, selftest_exits, 3);
}

static void skip_test(struct kunit *test)
{
	kunit_skip(test, "skipped on purpose");
	KUNIT_FAIL(test, "not reached");
}

struct selftest_param {
	const char *name;
	int value;
};

static const struct selftest_param selftest_params[] = {
	{ "one", 1 },
	{ "two", 2 },
	{ "three", 3 },
};

static void selftest_param_desc(const struct selftest_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", p->name);
}

KUNIT_ARRAY_PARAM(selftest, selftest_params, selftest_param_desc);

static void param_test(struct kunit *test)
{
	const struct selftest_param *p = test->param_value;

	KUNIT_EXPECT_NE(test, p->value, 2);
}

static struct kunit_case selftest_cases[] = {
	KUNIT_CASE(passes_test),
	KUNIT_CASE(expect_fails_test),
	KUNIT_CASE(assert_ends_case_test),
	KUNIT_CASE(exits_ran_test),
	KUNIT_CASE(skip_test),
	KUNIT_CASE_PARAM(param_test, selftest_gen_params),
	{}
};

static struct kunit_suite selftest_suite = {
	.name = "kunit_selftest",
	.init = selftest_init,
	.exit = selftest_exit,
	.test_cases = selftest_cases,
};

static void passes_too_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, (unsigned char)255, 255);
}

static struct kunit_case second_cases[] = {
	KUNIT_CASE(passes_too_test),
	{}
};

static struct kunit_suite second_suite = {
	.name = "kunit_selftest_second",
	.test_cases = second_cases,
};

kunit_test_suites(&selftest_suite, &second_suite);
