#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ucpctl save and restore: save, clear configure, restore, save again gives
# the same lines; a file whose last line is wrong changes nothing; a line
# the kernel refuses puts back the configuration that was in force; the
# K8 edges of the license rules (a TLS limit below the UC license, one
# above K8's bound) restore to the same lines too.
source "$(dirname "$0")/lib.sh"
require_root

ktap_plan 6
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

TMP=$(mktemp -d)
on_exit "rm -rf $TMP"

"$UCPCTL" license set model asa5540 uc 2000 ime on >/dev/null &&
	"$UCPCTL" license tls-limit 3000 >/dev/null &&
	"$UCPCTL" media policy set secure-reply >/dev/null ||
	ktap_fail "configure"

roundtrip()
{
	"$UCPCTL" save >"$TMP/a" || return 1
	"$UCPCTL" clear configure >/dev/null 2>&1 || return 1
	"$UCPCTL" save >"$TMP/cleared" || return 1
	! cmp -s "$TMP/a" "$TMP/cleared" || fail_msg "clear configure changed nothing" || return 1
	"$UCPCTL" restore "$TMP/a" || return 1
	"$UCPCTL" save >"$TMP/b" || return 1
	cmp -s "$TMP/a" "$TMP/b" || fail_msg "differs: $(diff "$TMP/a" "$TMP/b")"
}
ktap_check "save, clear configure, restore, save: identical" roundtrip
ktap_diag "saved: $(tr '\n' ';' <"$TMP/a")"

last_line_bad()
{
	{ grep -v '^#' "$TMP/a" | sed 's/secure-reply/passthrough/; s/3000/100/'
	  echo "media policy set no-such-policy"; } >"$TMP/bad"
	one_line_error "$TMP/bad:4: unknown media policy" "$UCPCTL" restore "$TMP/bad" || return 1
	"$UCPCTL" save >"$TMP/c" || return 1
	cmp -s "$TMP/a" "$TMP/c" || fail_msg "changed: $(diff "$TMP/a" "$TMP/c")"
}
ktap_check "a file with an error in its last line: FILE:LINE, nothing changed" last_line_bad

refused_put_back()
{
	# Each line parses; the kernel refuses the TLS limit above the maximum.
	printf 'media policy set passthrough\nlicense tls-limit 9999\n' >"$TMP/refused"
	one_line_error "refused:2: .*was put back" \
		"$UCPCTL" restore "$TMP/refused" || return 1
	"$UCPCTL" save >"$TMP/d" || return 1
	cmp -s "$TMP/a" "$TMP/d" || fail_msg "not put back: $(diff "$TMP/a" "$TMP/d")"
}
ktap_check "a line the kernel refuses: the configuration before is put back" refused_put_back

# The license rules' edges (DESIGN.md rules 3, 4, 7) on a K8 asa5580
# (default TLS limit 4000, above K8's 1000): each configuration saved,
# cleared, restored and saved again gives the same lines.
k8_case()
{
	local what=$1

	shift
	"$UCPCTL" clear configure >/dev/null 2>&1
	while [ $# -gt 0 ]; do
		# shellcheck disable=SC2086 # one ucpctl command per argument
		"$UCPCTL" $1 >/dev/null 2>&1 || fail_msg "$what: $1 refused" || return 1
		shift
	done
	"$UCPCTL" save >"$TMP/k8a" || return 1
	"$UCPCTL" clear configure >/dev/null 2>&1 || return 1
	"$UCPCTL" restore "$TMP/k8a" || fail_msg "$what: $(cat "$TMP/k8a")" || return 1
	"$UCPCTL" save >"$TMP/k8b" || return 1
	cmp -s "$TMP/k8a" "$TMP/k8b" ||
		fail_msg "$what differs: $(diff "$TMP/k8a" "$TMP/k8b")" || return 1
	ktap_diag "$what: $(grep -v '^#' "$TMP/k8a" | tr '\n' ';')"
}

k8_cases()
{
	local lic="license set model asa5580 uc 5000"

	k8_case "TLS limit below the UC license" "$lic export k8" \
		"license tls-limit 800" "media policy set secure-reply" &&
	k8_case "TLS limit raised by the UC license above 1000" "$lic export k8" &&
	k8_case "the default after clear configure" "$lic export k8" \
		"clear configure" "media policy set secure-both" &&
	k8_case "a limit set under K9 kept by K8" "$lic export k9" \
		"license tls-limit 6000" "$lic export k8" || return 1
	# Leave the first configuration in force for the tests after.
	"$UCPCTL" restore "$TMP/a"
}
ktap_check "K8 with the TLS limit below, at and above the UC license: identical" k8_cases

ktap_check "save -j is refused (command lines only)" \
	one_line_error "command lines only" "$UCPCTL" -j save

# Upgrade: save, unload, load (the new module), restore.
upgrade()
{
	module_unload && module_load || return 1
	"$UCPCTL" restore "$TMP/a" || return 1
	"$UCPCTL" save >"$TMP/e" || return 1
	cmp -s "$TMP/a" "$TMP/e" || fail_msg "after reload: $(diff "$TMP/a" "$TMP/e")"
}
ktap_check "save, unload, load, restore: the same configuration" upgrade
ktap_finish
