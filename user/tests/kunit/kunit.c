// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace KUnit runner: main() runs every suite that the linked test
 * files registered, in link order, and prints KTAP version 1 the way the
 * kernel's KUnit nests it. See test.h for the subset and its differences.
 *
 *   runner [-l] [GLOB]
 *
 * GLOB (fnmatch) selects suites, or "SUITE.CASE" cases, like the kernel's
 * kunit.filter_glob; -l lists "suite.case" names instead of running them.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kunit/test.h>

struct kunit_alloc {
	struct kunit_alloc *next;
	max_align_t data[];
};

struct kunit_stats {
	unsigned long passed;
	unsigned long failed;
	unsigned long skipped;
	unsigned long total;
};

static struct kunit_registration *kunit_regs;
static struct kunit_registration **kunit_regs_tail = &kunit_regs;

void __kunit_register(struct kunit_registration *reg)
{
	reg->next = NULL;
	*kunit_regs_tail = reg;
	kunit_regs_tail = &reg->next;
}

/* One line of output at @indent. */
static void kunit_line(const char *indent, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void kunit_line(const char *indent, const char *fmt, ...)
{
	va_list ap;

	fputs(indent, stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* "# " diagnostic lines at the test's indent, one per line of @text. */
static void kunit_diag_text(const struct kunit *test, const char *text)
{
	const char *p = text, *nl;

	do {
		nl = strchr(p, '\n');
		printf("%s# %.*s\n", test->indent,
		       nl ? (int)(nl - p) : (int)strlen(p), p);
		p = nl ? nl + 1 : NULL;
	} while (p && *p);
}

static void kunit_diag(const struct kunit *test, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void kunit_diag(const struct kunit *test, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kunit_diag_text(test, buf);
}

static void kunit_diag_va(const struct kunit *test, const char *fmt,
			  va_list ap)
{
	char buf[1024];

	if (!fmt)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	kunit_diag_text(test, buf);
}

void __kunit_printk(struct kunit *test, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kunit_diag(test, "%s: %s", test->name, buf);
}

void __kunit_abort(struct kunit *test)
{
	fflush(stdout);
	if (!test->abort_to) {
		fprintf(stderr, "kunit: assertion outside a test case\n");
		abort();
	}
	longjmp(*test->abort_to, 1);
}

static void kunit_prologue(struct kunit *test, const char *file, int line,
			   enum kunit_assert_type type)
{
	test->status = KUNIT_FAILURE;
	kunit_diag(test, "%s: %s FAILED at %s:%d", test->name,
		   type == KUNIT_ASSERTION ? "ASSERTION" : "EXPECTATION",
		   file, line);
}

void __kunit_fail(struct kunit *test, const char *file, int line,
		  enum kunit_assert_type type, const char *fmt, ...)
{
	va_list ap;

	kunit_prologue(test, file, line, type);
	va_start(ap, fmt);
	kunit_diag_va(test, fmt, ap);
	va_end(ap);
}

void __kunit_fail_unary(struct kunit *test, const char *file, int line,
			enum kunit_assert_type type, const char *cond,
			bool expected, const char *fmt, ...)
{
	va_list ap;

	kunit_prologue(test, file, line, type);
	kunit_diag(test, "Expected %s to be %s, but is %s", cond,
		   expected ? "true" : "false", expected ? "false" : "true");
	va_start(ap, fmt);
	kunit_diag_va(test, fmt, ap);
	va_end(ap);
}

static bool kunit_int_neg(struct kunit_int a)
{
	return a.is_signed && (long long)a.v < 0;
}

int __kunit_int_cmp(struct kunit_int a, struct kunit_int b)
{
	bool an = kunit_int_neg(a), bn = kunit_int_neg(b);

	if (an != bn)
		return an ? -1 : 1;
	if (an) {
		long long as = (long long)a.v, bs = (long long)b.v;

		return as < bs ? -1 : as > bs;
	}
	return a.v < b.v ? -1 : a.v > b.v;
}

static void kunit_int_text(char *buf, size_t len, struct kunit_int a)
{
	if (kunit_int_neg(a))
		snprintf(buf, len, "%lld", (long long)a.v);
	else
		snprintf(buf, len, "%llu", a.v);
}

void __kunit_fail_int(struct kunit *test, const char *file, int line,
		      enum kunit_assert_type type, const char *left,
		      const char *op, const char *right, struct kunit_int lv,
		      struct kunit_int rv, const char *fmt, ...)
{
	char l[32], r[32];
	va_list ap;

	kunit_int_text(l, sizeof(l), lv);
	kunit_int_text(r, sizeof(r), rv);
	kunit_prologue(test, file, line, type);
	kunit_diag(test, "Expected %s %s %s, but", left, op, right);
	if (strcmp(left, l))
		kunit_diag(test, "    %s == %s", left, l);
	if (strcmp(right, r))
		kunit_diag(test, "    %s == %s", right, r);
	va_start(ap, fmt);
	kunit_diag_va(test, fmt, ap);
	va_end(ap);
}

void __kunit_fail_ptr(struct kunit *test, const char *file, int line,
		      enum kunit_assert_type type, const char *left,
		      const char *op, const char *right, const void *lv,
		      const void *rv, const char *fmt, ...)
{
	va_list ap;

	kunit_prologue(test, file, line, type);
	kunit_diag(test, "Expected %s %s %s, but", left, op, right);
	kunit_diag(test, "    %s == %p", left, lv);
	kunit_diag(test, "    %s == %p", right, rv);
	va_start(ap, fmt);
	kunit_diag_va(test, fmt, ap);
	va_end(ap);
}

/* A string's value, unless @text is that very string literal. */
static void kunit_str_value(const struct kunit *test, const char *text,
			    const char *v)
{
	size_t len = strlen(text);

	if (!v) {
		kunit_diag(test, "    %s == NULL", text);
		return;
	}
	if (len >= 2 && text[0] == '"' && text[len - 1] == '"' &&
	    strlen(v) == len - 2 && !strncmp(text + 1, v, len - 2))
		return;
	kunit_diag(test, "    %s == \"%s\"", text, v);
}

void __kunit_fail_str(struct kunit *test, const char *file, int line,
		      enum kunit_assert_type type, const char *left,
		      const char *op, const char *right, const char *lv,
		      const char *rv, const char *fmt, ...)
{
	va_list ap;

	kunit_prologue(test, file, line, type);
	kunit_diag(test, "Expected %s %s %s, but", left, op, right);
	kunit_str_value(test, left, lv);
	kunit_str_value(test, right, rv);
	va_start(ap, fmt);
	kunit_diag_va(test, fmt, ap);
	va_end(ap);
}

void __kunit_fail_not_err(struct kunit *test, const char *file, int line,
			  enum kunit_assert_type type, const char *text,
			  const void *v, const char *fmt, ...)
{
	va_list ap;

	kunit_prologue(test, file, line, type);
	if (!v)
		kunit_diag(test, "Expected %s is not null, but is", text);
	else
		kunit_diag(test, "Expected %s is not error, but is: %ld", text,
			   (long)(intptr_t)v);
	va_start(ap, fmt);
	kunit_diag_va(test, fmt, ap);
	va_end(ap);
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp)
{
	struct kunit_alloc *a;

	if (size && n > (SIZE_MAX - sizeof(*a)) / size)
		return NULL;
	a = malloc(sizeof(*a) + n * size);
	if (!a)
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(a->data, 0, n * size);
	a->next = test->allocs;
	test->allocs = a;
	return a->data;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct kunit_alloc **pp, *a;

	if (!ptr)
		return;
	for (pp = &test->allocs; (a = *pp); pp = &a->next) {
		if ((const void *)a->data == ptr) {
			*pp = a->next;
			free(a);
			return;
		}
	}
	test->status = KUNIT_FAILURE;
	kunit_diag(test, "%s: kunit_kfree(%p): not a test-managed allocation",
		   test->name, ptr);
}

static void kunit_cleanup(struct kunit *test)
{
	struct kunit_alloc *a;

	while ((a = test->allocs)) {
		test->allocs = a->next;
		free(a);
	}
}

static void kunit_stats_add(struct kunit_stats *s, enum kunit_status status)
{
	switch (status) {
	case KUNIT_SUCCESS:
		s->passed++;
		break;
	case KUNIT_FAILURE:
		s->failed++;
		break;
	case KUNIT_SKIPPED:
		s->skipped++;
		break;
	}
	s->total++;
}

static void kunit_stats_sum(struct kunit_stats *s, const struct kunit_stats *add)
{
	s->passed += add->passed;
	s->failed += add->failed;
	s->skipped += add->skipped;
	s->total += add->total;
}

static void kunit_print_stats(const char *indent, const char *name,
			      const struct kunit_stats *s)
{
	if (s->total > 1)
		kunit_line(indent, "# %s: pass:%lu fail:%lu skip:%lu total:%lu",
			   name, s->passed, s->failed, s->skipped, s->total);
}

static void kunit_print_result(const char *indent, enum kunit_status status,
			       unsigned long num, const char *name,
			       const char *comment)
{
	if (status == KUNIT_SKIPPED)
		kunit_line(indent, "ok %lu %s # SKIP %s", num, name, comment);
	else
		kunit_line(indent, "%s %lu %s",
			   status == KUNIT_FAILURE ? "not ok" : "ok", num, name);
}

/* One run of a case (one parameter): init, the case, exit, cleanup. */
static void kunit_run_one(struct kunit_suite *suite, struct kunit_case *tc,
			  struct kunit *test)
{
	jmp_buf env;

	test->status = KUNIT_SUCCESS;
	test->status_comment[0] = '\0';
	test->abort_to = &env;
	if (!setjmp(env)) {
		int err = suite->init ? suite->init(test) : 0;

		if (err) {
			kunit_err(test, "failed to initialize: %d", err);
			test->status = KUNIT_FAILURE;
		} else {
			tc->run_case(test);
		}
	}
	if (!setjmp(env)) {
		if (suite->exit)
			suite->exit(test);
	}
	test->abort_to = NULL;
	kunit_cleanup(test);
	fflush(stdout);

	if (test->status == KUNIT_FAILURE)
		tc->status = KUNIT_FAILURE;
	else if (tc->status != KUNIT_FAILURE && test->status == KUNIT_SUCCESS)
		tc->status = KUNIT_SUCCESS;
}

static const char *kunit_glob;

/* Whether @glob ("suite" or "suite.case") selects the case. */
static bool kunit_selected(const struct kunit_suite *suite,
			   const struct kunit_case *tc)
{
	char buf[512];
	const char *dot;

	if (!kunit_glob)
		return true;
	dot = strchr(kunit_glob, '.');
	if (!dot)
		return !fnmatch(kunit_glob, suite->name, 0);
	snprintf(buf, sizeof(buf), "%.*s", (int)(dot - kunit_glob), kunit_glob);
	return !fnmatch(buf, suite->name, 0) && !fnmatch(dot + 1, tc->name, 0);
}

static size_t kunit_suite_cases(const struct kunit_suite *suite)
{
	const struct kunit_case *tc;
	size_t n = 0;

	kunit_suite_for_each_test_case(suite, tc)
		n += kunit_selected(suite, tc);
	return n;
}

static void kunit_run_case(struct kunit_suite *suite, struct kunit_case *tc,
			   unsigned long num, struct kunit_stats *suite_stats,
			   struct kunit_stats *totals)
{
	struct kunit test = { .name = tc->name, .indent = KUNIT_SUBTEST_INDENT };
	struct kunit_stats param_stats = { 0 };
	char desc[KUNIT_PARAM_DESC_SIZE];

	tc->status = KUNIT_SKIPPED;
	if (!tc->generate_params) {
		kunit_run_one(suite, tc, &test);
		kunit_stats_add(&param_stats, test.status);
	} else {
		const void *p;
		unsigned long n = 0;

		/* The plan first: the generators are pure. */
		desc[0] = '\0';
		for (p = tc->generate_params(NULL, desc); p;
		     p = tc->generate_params(p, desc))
			n++;
		kunit_line(KUNIT_SUBSUBTEST_INDENT, "KTAP version 1");
		kunit_line(KUNIT_SUBSUBTEST_INDENT, "# Subtest: %s", tc->name);
		kunit_line(KUNIT_SUBSUBTEST_INDENT, "1..%lu", n);

		test.indent = KUNIT_SUBSUBTEST_INDENT;
		desc[0] = '\0';
		test.param_value = tc->generate_params(NULL, desc);
		while (test.param_value) {
			kunit_run_one(suite, tc, &test);
			if (desc[0] == '\0')
				snprintf(desc, sizeof(desc), "param-%d",
					 test.param_index);
			kunit_print_result(KUNIT_SUBSUBTEST_INDENT, test.status,
					   test.param_index + 1UL, desc,
					   test.status_comment);
			kunit_stats_add(&param_stats, test.status);
			desc[0] = '\0';
			test.param_value = tc->generate_params(test.param_value,
							       desc);
			test.param_index++;
		}
		test.indent = KUNIT_SUBTEST_INDENT;
	}
	kunit_print_stats(KUNIT_SUBTEST_INDENT, tc->name, &param_stats);
	kunit_print_result(KUNIT_SUBTEST_INDENT, tc->status, num, tc->name,
			   test.status_comment);
	kunit_stats_add(suite_stats, tc->status);
	kunit_stats_sum(totals, &param_stats);
}

static void kunit_run_suite(struct kunit_suite *suite, unsigned long num,
			    struct kunit_stats *all)
{
	struct kunit_stats suite_stats = { 0 }, totals = { 0 };
	enum kunit_status status = KUNIT_SKIPPED;
	struct kunit_case *tc;
	unsigned long n = 0;

	suite->status_comment[0] = '\0';
	suite->suite_init_err = suite->suite_init ? suite->suite_init(suite) : 0;
	if (suite->suite_init_err) {
		kunit_line(KUNIT_SUBTEST_INDENT, "# failed to initialize (%d)",
			   suite->suite_init_err);
		kunit_print_result("", KUNIT_FAILURE, num, suite->name, "");
		all->failed++;
		all->total++;
		return;
	}

	kunit_line(KUNIT_SUBTEST_INDENT, "KTAP version 1");
	kunit_line(KUNIT_SUBTEST_INDENT, "# Subtest: %s", suite->name);
	kunit_line(KUNIT_SUBTEST_INDENT, "1..%zu", kunit_suite_cases(suite));
	kunit_suite_for_each_test_case(suite, tc) {
		if (kunit_selected(suite, tc))
			kunit_run_case(suite, tc, ++n, &suite_stats, &totals);
	}
	if (suite->suite_exit)
		suite->suite_exit(suite);

	kunit_print_stats("", suite->name, &suite_stats);
	if (totals.total > 1)
		kunit_line("", "# Totals: pass:%lu fail:%lu skip:%lu total:%lu",
			   totals.passed, totals.failed, totals.skipped,
			   totals.total);
	if (suite_stats.failed)
		status = KUNIT_FAILURE;
	else if (suite_stats.passed)
		status = KUNIT_SUCCESS;
	kunit_print_result("", status, num, suite->name, "no case ran");
	kunit_stats_sum(all, &totals);
}

static int kunit_list(void)
{
	struct kunit_registration *reg;
	struct kunit_case *tc;
	size_t i;

	for (reg = kunit_regs; reg; reg = reg->next)
		for (i = 0; i < reg->count; i++)
			kunit_suite_for_each_test_case(reg->suites[i], tc)
				if (kunit_selected(reg->suites[i], tc))
					printf("%s.%s\n", reg->suites[i]->name,
					       tc->name);
	return 0;
}

int main(int argc, char **argv)
{
	struct kunit_stats all = { 0 };
	struct kunit_registration *reg;
	unsigned long nsuites = 0, num = 0;
	bool list = false;
	size_t i;
	int a;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-l")) {
			list = true;
		} else if (argv[a][0] != '-' && !kunit_glob) {
			kunit_glob = argv[a];
		} else {
			fprintf(stderr, "usage: %s [-l] [SUITE_GLOB[.CASE_GLOB]]\n",
				argv[0]);
			return 2;
		}
	}
	if (list)
		return kunit_list();

	for (reg = kunit_regs; reg; reg = reg->next)
		for (i = 0; i < reg->count; i++)
			nsuites += kunit_suite_cases(reg->suites[i]) > 0;

	kunit_line("", "KTAP version 1");
	kunit_line("", "1..%lu", nsuites);
	for (reg = kunit_regs; reg; reg = reg->next)
		for (i = 0; i < reg->count; i++)
			if (kunit_suite_cases(reg->suites[i]))
				kunit_run_suite(reg->suites[i], ++num, &all);

	kunit_line("", "# Totals: pass:%lu fail:%lu skip:%lu total:%lu",
		   all.passed, all.failed, all.skipped, all.total);
	kunit_line("", "%lu passed, %lu failed", all.passed, all.failed);
	fflush(stdout);
	if (all.failed)
		return 1;
	return all.total ? 0 : 2;
}
