// SPDX-License-Identifier: GPL-2.0
/*
 * The agent as it ships, checked from outside by the scripts beside this
 * file: each case runs one scenario of one script on the built ucproxyd
 * and passes when the script does; the script's lines are the case's
 * diagnostics.
 *
 *   ctl_openssl.sh  `ucproxyd ctl write|show` against the openssl
 *                   command line
 *   tftp_proxy.sh   the TFTP proxy ([tftp]) on loopback against tftpd-hpa,
 *                   tftp-hpa, atftp, curl and xmllint
 */
#include <kunit/test.h>

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static void scenario_desc(const char * const *s, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", *s);
}

static void run_script(struct kunit *test, const char *script,
		       const char *scenario)
{
	char cmd[256], line[512];
	int status;
	FILE *fp;

	/* The runner runs from the tree's top (user/tests/Makefile). */
	snprintf(cmd, sizeof(cmd), "bash user/tests/ucproxyd/%s %s 2>&1",
		 script, scenario);
	fp = popen(cmd, "r");
	KUNIT_ASSERT_NOT_NULL(test, fp);
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		kunit_info(test, "%s", line);
	}
	status = pclose(fp);
	KUNIT_EXPECT_TRUE_MSG(test, WIFEXITED(status) && !WEXITSTATUS(status),
			      "%s %s: status %d", script, scenario, status);
}

static const char * const ctl_scenarios[] = {
	"sha1", "sha256", "tampered", "import", "errors",
};

KUNIT_ARRAY_PARAM(ctl_scenario, ctl_scenarios, scenario_desc);

static void ctl_openssl_test(struct kunit *test)
{
	run_script(test, "ctl_openssl.sh", *(const char * const *)test->param_value);
}

static struct kunit_case ctl_openssl_cases[] = {
	KUNIT_CASE_PARAM(ctl_openssl_test, ctl_scenario_gen_params),
	{}
};

static struct kunit_suite ctl_openssl_suite = {
	.name = "ucpd_ctl_openssl",
	.test_cases = ctl_openssl_cases,
};

static const char * const tftp_scenarios[] = {
	"stream", "config", "ctl", "errors", "busy", "timeout", "origdst",
};

KUNIT_ARRAY_PARAM(tftp_scenario, tftp_scenarios, scenario_desc);

static void tftp_proxy_test(struct kunit *test)
{
	run_script(test, "tftp_proxy.sh", *(const char * const *)test->param_value);
}

static struct kunit_case tftp_proxy_cases[] = {
	KUNIT_CASE_PARAM(tftp_proxy_test, tftp_scenario_gen_params),
	{}
};

static struct kunit_suite tftp_proxy_suite = {
	.name = "ucpd_tftp_proxy",
	.test_cases = tftp_proxy_cases,
};

kunit_test_suites(&ctl_openssl_suite, &tftp_proxy_suite);

MODULE_LICENSE("GPL");
