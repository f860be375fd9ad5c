#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the ucproxy selftests (all, or those named) as one KTAP document, each
# test a subtest bounded by the timeout in ./settings, and close with the
# line "N passed, N failed" that CI reads. Exit status 0 only if none failed.
set -u

dir=$(cd "$(dirname "$0")" && pwd)
timeout=$(sed -n 's/^timeout=//p' "$dir/settings")
if [ $# -gt 0 ]; then
	tests=("$@")
else
	read -r -a tests <<<"$(make -s --no-print-directory -C "$dir" list-tests)"
fi

echo "KTAP version 1"
echo "1..${#tests[@]}"
n=0 passed=0 failed=0 skipped=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	echo "# selftests: ucproxy: $t"
	start=$SECONDS
	timeout --foreground -k 10 "$timeout" "$dir/$t" 2>&1 | sed 's/^/  /'
	rc=${PIPESTATUS[0]}
	# Each test's share of the guest's time, for the CI budget.
	echo "# selftests: ucproxy: $t took $((SECONDS - start)) s"
	case $rc in
	0)	passed=$((passed + 1)); echo "ok $n selftests: ucproxy: $t" ;;
	4)	skipped=$((skipped + 1)); echo "ok $n selftests: ucproxy: $t # SKIP" ;;
	124)	failed=$((failed + 1)); echo "not ok $n selftests: ucproxy: $t # TIMEOUT ${timeout}s" ;;
	*)	failed=$((failed + 1)); echo "not ok $n selftests: ucproxy: $t # exit=$rc" ;;
	esac
done
echo "# Totals: pass:$passed fail:$failed skip:$skipped"
echo "selftests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
