#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The pure cores' KUnit suites, run inside the kernel: the same test files
# that user/tests runs in userspace, proving the cores behave the same in
# both homes. Needs a kernel with KUnit (the debug lane's); skipped elsewhere.
source "$(dirname "$0")/lib.sh"
require_root

KUNIT_KO=$(dirname "$UCP_KO")/ucproxy_kunit.ko
RESULTS=/sys/kernel/debug/kunit

ktap_plan 1
if [ ! -e "$KUNIT_KO" ] || [ ! -d /sys/module/kunit ]; then
	ktap_skip "KUnit suites in the kernel: no KUnit in this kernel"
	ktap_finish
fi

# Every suite declared in kmod/core/tests must have run and passed as a whole,
# with no case failing.
kunit_suites_pass()
{
	local files suites suite results

	# The test files kmod/Kbuild builds into ucproxy_kunit.ko: a
	# userspace-only one (the libsrtp2 interop) is not among them.
	files=$(grep -o 'core/tests/[a-z0-9_]*_kunit\.o' "$UCP_ROOT"/kmod/Kbuild |
		sort -u | sed "s|^\(.*\)\.o\$|$UCP_ROOT/kmod/\1.c|")
	# shellcheck disable=SC2086 # one word per file
	suites=$(sed -n 's/^\t\.name = "\(.*\)",$/\1/p' $files)
	[ -n "$suites" ] || fail_msg "no suites found in kmod/core/tests" || return 1
	insmod "$KUNIT_KO" || fail_msg "insmod ucproxy_kunit.ko failed" || return 1
	on_exit "rmmod ucproxy_kunit"
	for suite in $suites; do
		results=$(cat "$RESULTS/$suite/results" 2>/dev/null) ||
			fail_msg "suite $suite did not run" || return 1
		if grep -q 'not ok' <<<"$results" ||
		   ! grep -qE "^ok [0-9]+ $suite\$" <<<"$results"; then
			ktap_diag "suite $suite failed:"
			grep -E 'not ok|Expected|EXPECTATION|ASSERTION' <<<"$results" |
				sed 's/^ */# /' | head -n 40
			return 1
		fi
		ktap_diag "suite $suite passed"
	done
}
ktap_check "KUnit suites of the pure cores pass in the kernel" kunit_suites_pass
ktap_finish
