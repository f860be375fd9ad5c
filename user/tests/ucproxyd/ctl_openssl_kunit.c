// SPDX-License-Identifier: GPL-2.0
/*
 * `ucproxyd ctl write|show` against the openssl command line: each case
 * runs one scenario of ctl_openssl.sh (beside this file) on the built
 * ucproxyd and passes when the script does; its lines are the case's
 * diagnostics.
 */
#include <kunit/test.h>

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static const char * const scenarios[] = {
	"sha1", "sha256", "tampered", "import", "errors",
};

static void scenario_desc(const char * const *s, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", *s);
}

KUNIT_ARRAY_PARAM(scenario, scenarios, scenario_desc);

static void ctl_openssl_test(struct kunit *test)
{
	const char * const *s = test->param_value;
	char cmd[256], line[512];
	int status;
	FILE *fp;

	/* The runner runs from the tree's top (user/tests/Makefile). */
	snprintf(cmd, sizeof(cmd),
		 "bash user/tests/ucproxyd/ctl_openssl.sh %s 2>&1", *s);
	fp = popen(cmd, "r");
	KUNIT_ASSERT_NOT_NULL(test, fp);
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		kunit_info(test, "%s", line);
	}
	status = pclose(fp);
	KUNIT_EXPECT_TRUE_MSG(test, WIFEXITED(status) && !WEXITSTATUS(status),
			      "ctl_openssl.sh %s: status %d", *s, status);
}

static struct kunit_case ctl_openssl_cases[] = {
	KUNIT_CASE_PARAM(ctl_openssl_test, scenario_gen_params),
	{}
};

static struct kunit_suite ctl_openssl_suite = {
	.name = "ucpd_ctl_openssl",
	.test_cases = ctl_openssl_cases,
};

kunit_test_suite(ctl_openssl_suite);

MODULE_LICENSE("GPL");
