#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Licensing through ucpctl: the license and TLS limits of each namespace,
# set and cleared, with refusals that name the rule and the limit.
source "$(dirname "$0")/lib.sh"
require_root

ktap_plan 9
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

lic()
{
	"$UCPCTL" -j license show
}

defaults()
{
	local j

	j=$(lic) || return 1
	[ "$(json_get "$j" '[.platform, ."uc-sessions", .export, .ime] | join(" ")')" = \
		"linux 2 k9 off" ] || fail_msg "defaults: $j" || return 1
	[ "$(json_get "$j" '.usage.srtp.limit')" = null ] ||
		fail_msg "K9 SRTP should be unlimited: $j"
}
ktap_check "defaults: linux, base license, K9, SRTP unlimited" defaults

# The UC license above the default TLS limit raises it (rule 3).
license_raises_tls()
{
	local j

	"$UCPCTL" license set model asa5540 uc 2000 >/dev/null || return 1
	j=$(lic) || return 1
	[ "$(json_get "$j" '."tls-maximum-sessions"')" -eq 2000 ] ||
		fail_msg "TLS limit not raised: $j" || return 1
	[ "$(json_get "$j" '.usage["phone-proxy"].limit')" -eq 2000 ] ||
		fail_msg "phone proxy limit: $j"
}
ktap_check "license set asa5540 uc 2000 raises the TLS limit" license_raises_tls

ktap_check "a tier the model does not sell: refused, rule 10" \
	one_line_error 'not a UC license tier of asa5540' \
	"$UCPCTL" license set model asa5540 uc 5000

ktap_check "TLS limit above the platform maximum: refused with numbers" \
	one_line_error '5000 exceeds the platform maximum 4500 of asa5540' \
	"$UCPCTL" tls-proxy maximum-sessions 5000

clear_warns()
{
	local err j

	err=$("$UCPCTL" clear configure 2>&1 >/dev/null) || return 1
	grep -q 'warning: .*1000.*2000' <<<"$err" || fail_msg "no rule 7 warning: $err" || return 1
	j=$(lic) || return 1
	[ "$(json_get "$j" '."tls-maximum-sessions"')" -eq 1000 ] ||
		fail_msg "not reset to the default: $j"
}
ktap_check "clear configure resets the TLS limit and warns (rule 7)" clear_warns

# The object-first commands print what the original's spellings print,
# warning included.
same_as_original()
{
	local a b

	a=$("$UCPCTL" -j license tls-limit 1500 2>&1) || return 1
	b=$("$UCPCTL" -j tls-proxy maximum-sessions 1500 2>&1) || return 1
	[ "$a" = "$b" ] || fail_msg "tls-limit: $a -- $b" || return 1
	a=$("$UCPCTL" license tls-limit default 2>&1) || return 1
	b=$("$UCPCTL" clear configure 2>&1) || return 1
	[ "$a" = "$b" ] || fail_msg "default: $a -- $b" || return 1
	grep -q 'warning: ' <<<"$a" || fail_msg "no rule 7 warning: $a"
}
ktap_check "license tls-limit N | default: as tls-proxy maximum-sessions N, clear configure" \
	same_as_original

k8_caps()
{
	local j

	"$UCPCTL" license set model asa5580 uc 5000 export k8 >/dev/null || return 1
	j=$(lic) || return 1
	[ "$(json_get "$j" '.usage.srtp.limit')" -eq 250 ] ||
		fail_msg "K8 SRTP: $j" || return 1
	[ "$(json_get "$j" '.usage["tls-proxy"].limit')" -le 1000 ] ||
		fail_msg "K8 TLS: $j"
}
ktap_check "K8 caps TLS at 1000 and SRTP at 250 (rule 4)" k8_caps

model_query()
{
	local j

	j=$("$UCPCTL" -j tls-proxy maximum-sessions '?' model asa5505) || return 1
	[ "$(json_get "$j" '[."tls-default", ."tls-platform-maximum", (."uc-tiers" | join(","))] | join(" ")')" = \
		"10 80 2,24" ] || fail_msg "asa5505: $j"
}
ktap_check "tls-proxy maximum-sessions ? model asa5505: 10, 80, tiers 2 24" model_query

per_netns()
{
	local ns j

	netns_new ns || return 1
	j=$(ip netns exec "$ns" "$UCPCTL" -j license show) || return 1
	[ "$(json_get "$j" .platform)" = linux ] ||
		fail_msg "a new namespace sees another's license: $j"
}
ktap_check "each namespace has its own license" per_netns

ktap_finish
