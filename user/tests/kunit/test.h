/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A userspace implementation of the KUnit subset the pure cores' tests use,
 * so one test source (kmod/tests/NAME_kunit.c) runs both here, under ASan and
 * UBSan, and as a KUnit suite in the kernel.
 *
 * Only what Linux 6.1's <kunit/test.h> has, with the same names and
 * semantics:
 *
 *   struct kunit, struct kunit_case, struct kunit_suite, test->priv,
 *   test->param_value, test->param_index
 *   KUNIT_CASE, KUNIT_CASE_PARAM, KUNIT_ARRAY_PARAM
 *   kunit_test_suite, kunit_test_suites
 *   KUNIT_{EXPECT,ASSERT}_{TRUE,FALSE,EQ,NE,LT,LE,GT,GE,PTR_EQ,PTR_NE,
 *                          STREQ,STRNEQ,NULL,NOT_NULL,NOT_ERR_OR_NULL}[_MSG]
 *   KUNIT_FAIL, KUNIT_ASSERT_FAILURE, KUNIT_SUCCEED
 *   kunit_info, kunit_warn, kunit_err, kunit_mark_skipped, kunit_skip
 *   kunit_kmalloc, kunit_kzalloc, kunit_kcalloc, kunit_kmalloc_array,
 *   kunit_kfree (freed after the case's exit, as in the kernel)
 *
 * Differences that a test cannot observe through the API above:
 * - Suites register through a constructor, not the .kunit_test_suites
 *   section, so any number of test files link into one runner (kunit.c
 *   holds main()).
 * - An assertion (or kunit_skip) leaves the case with longjmp() instead of
 *   ending a kthread; the suite's exit still runs, as in the kernel.
 * - Integer comparisons are exact across signedness (an int -1 is never
 *   equal to a u32 4294967295), so that -Wextra's -Wsign-compare stays
 *   quiet in the test sources; the kernel compares with C's conversions.
 *
 * Output is KTAP version 1, nested as KUnit nests it (suite, case,
 * parameter), failures as "# " lines with file:line and both values. The
 * last line is "N passed, N failed", counting each non-parameterized case
 * and each parameter of a parameterized case once (skips in neither). The
 * exit status is 1 when anything failed, 2 when nothing ran.
 */
#ifndef _UCP_USER_KUNIT_TEST_H
#define _UCP_USER_KUNIT_TEST_H

#ifdef __KERNEL__
#error "userspace KUnit: the kernel build uses the kernel's <kunit/test.h>"
#endif

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KUNIT_PARAM_DESC_SIZE		128
#define KUNIT_STATUS_COMMENT_SIZE	256
#define KUNIT_SUBTEST_INDENT		"    "
#define KUNIT_SUBSUBTEST_INDENT		"        "

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

typedef unsigned int gfp_t;
#ifndef GFP_KERNEL
#define GFP_KERNEL	0x0u
#endif
#ifndef __GFP_ZERO
#define __GFP_ZERO	0x100u
#endif

#ifndef MAX_ERRNO
#define MAX_ERRNO	4095
#endif
#ifndef IS_ERR_OR_NULL
#define IS_ERR_OR_NULL(p) \
	(!(p) || (uintptr_t)(const void *)(p) >= (uintptr_t)-MAX_ERRNO)
#endif

/* The kernel's <kunit/test.h> brings <linux/module.h>: a test module says these. */
#define MODULE_LICENSE(license)
#define MODULE_DESCRIPTION(desc)
#define MODULE_AUTHOR(author)

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit;

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);

	/* private: internal use only. */
	enum kunit_status status;
	char *log;
};

#define KUNIT_CASE(test_name) { .run_case = test_name, .name = #test_name }

#define KUNIT_CASE_PARAM(test_name, gen_params)			\
		{ .run_case = test_name, .name = #test_name,	\
		  .generate_params = gen_params }

struct kunit_suite {
	const char name[256];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;

	/* private: internal use only */
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	char *log;
	int suite_init_err;
};

struct kunit_alloc;

struct kunit {
	void *priv;

	/* private: internal use only. */
	const char *name;
	char *log;
	const void *param_value;
	int param_index;
	enum kunit_status status;
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	const char *indent;		/* of this test's diagnostic lines */
	jmp_buf *abort_to;		/* where an assertion or skip goes */
	struct kunit_alloc *allocs;	/* kunit_kmalloc() memory */
};

/* Registration: kunit_test_suites() adds its array before main() runs. */
struct kunit_registration {
	struct kunit_suite *const *suites;
	size_t count;
	struct kunit_registration *next;
};

void __kunit_register(struct kunit_registration *reg);

#define __KUNIT_CAT2(a, b) a##b
#define __KUNIT_CAT(a, b) __KUNIT_CAT2(a, b)

#define __kunit_test_suites(id, ...)					\
	static struct kunit_suite *const __KUNIT_CAT(id, _suites)[] =	\
		{ __VA_ARGS__ };					\
	static struct kunit_registration __KUNIT_CAT(id, _reg) = {	\
		.suites = __KUNIT_CAT(id, _suites),			\
		.count = ARRAY_SIZE(__KUNIT_CAT(id, _suites)),		\
	};								\
	__attribute__((constructor)) static void			\
	__KUNIT_CAT(id, _register)(void)				\
	{								\
		__kunit_register(&__KUNIT_CAT(id, _reg));		\
	}

#define kunit_test_suites(...) \
	__kunit_test_suites(__KUNIT_CAT(__kunit_suites_, __COUNTER__), \
			    __VA_ARGS__)

#define kunit_test_suite(suite) kunit_test_suites(&suite)

#define kunit_suite_for_each_test_case(suite, test_case)		\
	for (test_case = (suite)->test_cases; test_case->run_case; test_case++)

/* As 6.1's, without its signed/unsigned comparison. */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		__typeof__((array)[0]) *__next = prev ?				\
			((__typeof__(__next))prev) + 1 : (array);		\
		if ((size_t)(__next - (array)) < ARRAY_SIZE((array))) {		\
			void (*__get_desc)(__typeof__(__next), char *) =	\
				get_desc;					\
			if (__get_desc)						\
				__get_desc(__next, desc);			\
			return __next;						\
		}								\
		return NULL;							\
	}

/* Test-managed memory. */
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp);
void kunit_kfree(struct kunit *test, const void *ptr);

static inline void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

/* Messages, skips. */
void __kunit_printk(struct kunit *test, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
__attribute__((noreturn)) void __kunit_abort(struct kunit *test);

#define kunit_info(test, fmt, ...) __kunit_printk(test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...) __kunit_printk(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...) __kunit_printk(test, fmt, ##__VA_ARGS__)

#define kunit_mark_skipped(test_or_suite, fmt, ...)			\
	do {								\
		(test_or_suite)->status = KUNIT_SKIPPED;		\
		snprintf((test_or_suite)->status_comment,		\
			 KUNIT_STATUS_COMMENT_SIZE, fmt, ##__VA_ARGS__);\
	} while (0)

#define kunit_skip(test, fmt, ...)					\
	do {								\
		kunit_mark_skipped((test), fmt, ##__VA_ARGS__);		\
		__kunit_abort(test);					\
	} while (0)

/* Failures. */
enum kunit_assert_type {
	KUNIT_ASSERTION,
	KUNIT_EXPECTATION,
};

/* An integer of any type, kept with its signedness. */
struct kunit_int {
	unsigned long long v;
	bool is_signed;
};

#define __kunit_is_signed(x) ((__typeof__(x))-1 < (__typeof__(x))1)
#define __kunit_int(x)							\
	((struct kunit_int){ .v = (unsigned long long)(x),		\
			     .is_signed = __kunit_is_signed(x) })

/* -1, 0 or 1 as a is below, equal to or above b, mathematically. */
int __kunit_int_cmp(struct kunit_int a, struct kunit_int b);

void __kunit_fail(struct kunit *test, const char *file, int line,
		  enum kunit_assert_type type, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void __kunit_fail_unary(struct kunit *test, const char *file, int line,
			enum kunit_assert_type type, const char *cond,
			bool expected, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void __kunit_fail_int(struct kunit *test, const char *file, int line,
		      enum kunit_assert_type type, const char *left,
		      const char *op, const char *right, struct kunit_int lv,
		      struct kunit_int rv, const char *fmt, ...)
	__attribute__((format(printf, 10, 11)));
void __kunit_fail_ptr(struct kunit *test, const char *file, int line,
		      enum kunit_assert_type type, const char *left,
		      const char *op, const char *right, const void *lv,
		      const void *rv, const char *fmt, ...)
	__attribute__((format(printf, 10, 11)));
void __kunit_fail_str(struct kunit *test, const char *file, int line,
		      enum kunit_assert_type type, const char *left,
		      const char *op, const char *right, const char *lv,
		      const char *rv, const char *fmt, ...)
	__attribute__((format(printf, 10, 11)));
void __kunit_fail_not_err(struct kunit *test, const char *file, int line,
			  enum kunit_assert_type type, const char *text,
			  const void *v, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

#define __KUNIT_END(test, type)						\
	do {								\
		if ((type) == KUNIT_ASSERTION)				\
			__kunit_abort(test);				\
	} while (0)

#define KUNIT_FAIL_ASSERTION(test, type, fmt, ...)			\
	do {								\
		__kunit_fail(test, __FILE__, __LINE__, type, fmt,	\
			     ##__VA_ARGS__);				\
		__KUNIT_END(test, type);				\
	} while (0)

#define __KUNIT_UNARY(test, type, cond, expected, fmt, ...)		\
	do {								\
		if (((cond) ? true : false) != (expected)) {		\
			__kunit_fail_unary(test, __FILE__, __LINE__, type, \
					   #cond, expected, fmt,	\
					   ##__VA_ARGS__);		\
			__KUNIT_END(test, type);			\
		}							\
	} while (0)

#define __KUNIT_INT(test, type, left, op, right, fmt, ...)		\
	do {								\
		const struct kunit_int __l = __kunit_int(left);		\
		const struct kunit_int __r = __kunit_int(right);	\
									\
		if (!(__kunit_int_cmp(__l, __r) op 0)) {		\
			__kunit_fail_int(test, __FILE__, __LINE__, type, \
					 #left, #op, #right, __l, __r,	\
					 fmt, ##__VA_ARGS__);		\
			__KUNIT_END(test, type);			\
		}							\
	} while (0)

#define __KUNIT_PTR(test, type, left, op, right, fmt, ...)		\
	do {								\
		const void *const __l = (left);				\
		const void *const __r = (right);			\
									\
		if (!(__l op __r)) {					\
			__kunit_fail_ptr(test, __FILE__, __LINE__, type, \
					 #left, #op, #right, __l, __r,	\
					 fmt, ##__VA_ARGS__);		\
			__KUNIT_END(test, type);			\
		}							\
	} while (0)

#define __KUNIT_STR(test, type, left, op, right, fmt, ...)		\
	do {								\
		const char *const __l = (left);				\
		const char *const __r = (right);			\
		const bool __eq = __l && __r && !strcmp(__l, __r);	\
									\
		if (!(__eq op true)) {					\
			__kunit_fail_str(test, __FILE__, __LINE__, type, \
					 #left, #op, #right, __l, __r,	\
					 fmt, ##__VA_ARGS__);		\
			__KUNIT_END(test, type);			\
		}							\
	} while (0)

#define __KUNIT_NOT_ERR(test, type, ptr, fmt, ...)			\
	do {								\
		const void *const __p = (ptr);				\
									\
		if (IS_ERR_OR_NULL(__p)) {				\
			__kunit_fail_not_err(test, __FILE__, __LINE__,	\
					     type, #ptr, __p, fmt,	\
					     ##__VA_ARGS__);		\
			__KUNIT_END(test, type);			\
		}							\
	} while (0)

#define KUNIT_SUCCEED(test) do {} while (0)

#define KUNIT_FAIL(test, fmt, ...) \
	KUNIT_FAIL_ASSERTION(test, KUNIT_EXPECTATION, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FAILURE(test, fmt, ...) \
	KUNIT_FAIL_ASSERTION(test, KUNIT_ASSERTION, fmt, ##__VA_ARGS__)

/* Expectations: the case goes on after a failure. */
#define KUNIT_EXPECT_TRUE(test, cond) KUNIT_EXPECT_TRUE_MSG(test, cond, NULL)
#define KUNIT_EXPECT_TRUE_MSG(test, cond, fmt, ...) \
	__KUNIT_UNARY(test, KUNIT_EXPECTATION, cond, true, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE(test, cond) KUNIT_EXPECT_FALSE_MSG(test, cond, NULL)
#define KUNIT_EXPECT_FALSE_MSG(test, cond, fmt, ...) \
	__KUNIT_UNARY(test, KUNIT_EXPECTATION, cond, false, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_EQ(test, l, r) KUNIT_EXPECT_EQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_EQ_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE(test, l, r) KUNIT_EXPECT_NE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_NE_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT(test, l, r) KUNIT_EXPECT_LT_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_LT_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE(test, l, r) KUNIT_EXPECT_LE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_LE_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT(test, l, r) KUNIT_EXPECT_GT_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_GT_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE(test, l, r) KUNIT_EXPECT_GE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_GE_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, >=, r, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_PTR_EQ(test, l, r) KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, fmt, ...) \
	__KUNIT_PTR(test, KUNIT_EXPECTATION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE(test, l, r) KUNIT_EXPECT_PTR_NE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_PTR_NE_MSG(test, l, r, fmt, ...) \
	__KUNIT_PTR(test, KUNIT_EXPECTATION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL(test, p) KUNIT_EXPECT_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_NULL_MSG(test, p, fmt, ...) \
	__KUNIT_PTR(test, KUNIT_EXPECTATION, p, ==, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL(test, p) KUNIT_EXPECT_NOT_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_NOT_NULL_MSG(test, p, fmt, ...) \
	__KUNIT_PTR(test, KUNIT_EXPECTATION, p, !=, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(test, p) \
	KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...) \
	__KUNIT_NOT_ERR(test, KUNIT_EXPECTATION, p, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_STREQ(test, l, r) KUNIT_EXPECT_STREQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_STREQ_MSG(test, l, r, fmt, ...) \
	__KUNIT_STR(test, KUNIT_EXPECTATION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ(test, l, r) KUNIT_EXPECT_STRNEQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_STRNEQ_MSG(test, l, r, fmt, ...) \
	__KUNIT_STR(test, KUNIT_EXPECTATION, l, !=, r, fmt, ##__VA_ARGS__)

/* Assertions: a failure ends the case (its exit still runs). */
#define KUNIT_ASSERT_TRUE(test, cond) KUNIT_ASSERT_TRUE_MSG(test, cond, NULL)
#define KUNIT_ASSERT_TRUE_MSG(test, cond, fmt, ...) \
	__KUNIT_UNARY(test, KUNIT_ASSERTION, cond, true, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE(test, cond) KUNIT_ASSERT_FALSE_MSG(test, cond, NULL)
#define KUNIT_ASSERT_FALSE_MSG(test, cond, fmt, ...) \
	__KUNIT_UNARY(test, KUNIT_ASSERTION, cond, false, fmt, ##__VA_ARGS__)

#define KUNIT_ASSERT_EQ(test, l, r) KUNIT_ASSERT_EQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_EQ_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_ASSERTION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE(test, l, r) KUNIT_ASSERT_NE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_NE_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_ASSERTION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT(test, l, r) KUNIT_ASSERT_LT_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_LT_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_ASSERTION, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE(test, l, r) KUNIT_ASSERT_LE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_LE_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_ASSERTION, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT(test, l, r) KUNIT_ASSERT_GT_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_GT_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_ASSERTION, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE(test, l, r) KUNIT_ASSERT_GE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_GE_MSG(test, l, r, fmt, ...) \
	__KUNIT_INT(test, KUNIT_ASSERTION, l, >=, r, fmt, ##__VA_ARGS__)

#define KUNIT_ASSERT_PTR_EQ(test, l, r) KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, fmt, ...) \
	__KUNIT_PTR(test, KUNIT_ASSERTION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE(test, l, r) KUNIT_ASSERT_PTR_NE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_PTR_NE_MSG(test, l, r, fmt, ...) \
	__KUNIT_PTR(test, KUNIT_ASSERTION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL(test, p) KUNIT_ASSERT_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_NULL_MSG(test, p, fmt, ...) \
	__KUNIT_PTR(test, KUNIT_ASSERTION, p, ==, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL(test, p) KUNIT_ASSERT_NOT_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_NOT_NULL_MSG(test, p, fmt, ...) \
	__KUNIT_PTR(test, KUNIT_ASSERTION, p, !=, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p) \
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...) \
	__KUNIT_NOT_ERR(test, KUNIT_ASSERTION, p, fmt, ##__VA_ARGS__)

#define KUNIT_ASSERT_STREQ(test, l, r) KUNIT_ASSERT_STREQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_STREQ_MSG(test, l, r, fmt, ...) \
	__KUNIT_STR(test, KUNIT_ASSERTION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ(test, l, r) KUNIT_ASSERT_STRNEQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_STRNEQ_MSG(test, l, r, fmt, ...) \
	__KUNIT_STR(test, KUNIT_ASSERTION, l, !=, r, fmt, ##__VA_ARGS__)

#endif /* _UCP_USER_KUNIT_TEST_H */
