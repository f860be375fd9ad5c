#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ucpctl save and restore: save, clear configure, restore, save again gives
# the same lines; a file whose last line is wrong changes nothing; a line
# the kernel refuses puts back the configuration that was in force.
source "$(dirname "$0")/lib.sh"
require_root

ktap_plan 5
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
