#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ucpctl shows the module's identity and its per-CPU counters, in text and
# JSON, and the counters count exactly what was asked of the module.
source "$(dirname "$0")/lib.sh"
require_root

ktap_plan 9
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

info_json()
{
	local j

	j=$("$UCPCTL" -j show info) || return 1
	[ "$(json_get "$j" .version)" = "$(modinfo -F version "$UCP_KO")" ] ||
		fail_msg "version: $(json_get "$j" .version)" || return 1
	[ "$(json_get "$j" .kernel)" = "$(uname -r)" ] ||
		fail_msg "kernel: $(json_get "$j" .kernel)" || return 1
	json_get "$j" '.capabilities | index("info") != null and index("stats") != null' |
		grep -qx true || fail_msg "capabilities: $(json_get "$j" -c .capabilities)"
}
ktap_check "show info -j: version, kernel, capabilities" info_json

show_text()
{
	local out

	out=$("$UCPCTL" show) || return 1
	grep -q "$(uname -r)" <<<"$out" || fail_msg "kernel release missing" || return 1
	grep -q "$(modinfo -F version "$UCP_KO")" <<<"$out" ||
		fail_msg "version missing" || return 1
	grep -q 'requests' <<<"$out" || fail_msg "counters missing: $out"
}
ktap_check "show: info and counters as text" show_text

counter()
{
	json_get "$1" ".counters[\"$2\"]"
}

# Each "show stats" is one dump and counts itself; each "show info" is one
# request. Nothing else talks to the module here, so deltas are exact.
exact_counts()
{
	local a b

	a=$("$UCPCTL" -j show stats) || return 1
	"$UCPCTL" show info >/dev/null && "$UCPCTL" show info >/dev/null || return 1
	b=$("$UCPCTL" -j show stats) || return 1
	[ $(($(counter "$b" netlink.dumps) - $(counter "$a" netlink.dumps))) -eq 1 ] ||
		fail_msg "dumps: $(counter "$a" netlink.dumps) -> $(counter "$b" netlink.dumps)" ||
		return 1
	[ $(($(counter "$b" netlink.requests) - $(counter "$a" netlink.requests))) -eq 2 ] ||
		fail_msg "requests: $(counter "$a" netlink.requests) -> $(counter "$b" netlink.requests)"
}
ktap_check "counters count requests and dumps exactly" exact_counts

# One message per possible CPU, and they add up to the totals.
per_cpu_sums()
{
	local p t possible n sum total

	p=$("$UCPCTL" -j show stats --per-cpu) || return 1
	t=$("$UCPCTL" -j show stats) || return 1
	possible=$(possible_cpus)
	n=$(json_get "$p" '.cpus | length')
	[ "$n" -eq "$possible" ] || fail_msg "$n CPUs dumped, $possible possible" || return 1
	sum=$(json_get "$p" '[.cpus[].counters["netlink.requests"]] | add')
	total=$(counter "$t" netlink.requests)
	[ "$sum" -eq "$total" ] || fail_msg "requests: per-CPU sum $sum, total $total" || return 1
	# The totals dump came after the per-CPU one and counted itself.
	sum=$(json_get "$p" '[.cpus[].counters["netlink.dumps"]] | add')
	total=$(counter "$t" netlink.dumps)
	[ $((sum + 1)) -eq "$total" ] || fail_msg "dumps: per-CPU sum $sum, total $total"
}
ktap_check "per-CPU counters: every possible CPU, summing to the totals" per_cpu_sums

ktap_check "a bad command: one error line, non-zero exit" \
	one_line_error 'unknown|usage' "$UCPCTL" show bogus

not_loaded_error()
{
	local rc

	module_unload || return 1
	block_autoload || return 1
	one_line_error 'not loaded' "$UCPCTL" show
	rc=$?
	unblock_autoload
	module_load || return 1
	return $rc
}
ktap_check "module not loaded: one clear line, non-zero exit" not_loaded_error

per_netns()
{
	local ns j

	netns_new ns || return 1
	ip netns exec "$ns" "$UCPCTL" show info >/dev/null || return 1
	ip netns exec "$ns" "$UCPCTL" show info >/dev/null || return 1
	ip netns exec "$ns" "$UCPCTL" show info >/dev/null || return 1
	j=$(ip netns exec "$ns" "$UCPCTL" -j show stats) || return 1
	[ "$(counter "$j" netlink.requests)" -eq 3 ] ||
		fail_msg "netns requests: $(counter "$j" netlink.requests)" || return 1
	[ "$(counter "$j" netlink.dumps)" -eq 1 ] ||
		fail_msg "netns dumps: $(counter "$j" netlink.dumps)"
}
ktap_check "each network namespace has its own counters" per_netns

# The object-first commands and the earlier spellings, their aliases, run
# the same code: the same output, text and JSON. Words are split by read,
# so "?" is never a glob.
same_output()
{
	local fmt pair x y a b
	local -a cmd alias

	for fmt in -p ""; do
		for pair in "info show|show info" "info|show info" \
			"sessions show|show sessions" "sessions|show sessions" \
			"media show|show media" "media|show media" \
			"license show|license" "license limits|tls-proxy maximum-sessions ?" \
			"license limits model asa5505|tls-proxy maximum-sessions ? model asa5505" \
			"media policy show|media policy"; do
			IFS='|' read -r x y <<<"$pair"
			read -r -a cmd <<<"$fmt $x"
			read -r -a alias <<<"$fmt $y"
			a=$("$UCPCTL" "${cmd[@]}") || fail_msg "${cmd[*]} failed" || return 1
			b=$("$UCPCTL" "${alias[@]}") || fail_msg "${alias[*]} failed" || return 1
			[ "$a" = "$b" ] || fail_msg "'${cmd[*]}' and '${alias[*]}' differ: $a -- $b" ||
				return 1
		done
	done
}
ktap_check "object first: each alias prints what its command prints" same_output

# Counters change with every request: each spelling in a namespace of its
# own, on one CPU, sees the same ones.
same_counters()
{
	local pair x y a b ns_a ns_b
	local -a cmd alias

	for pair in "stats show|show stats" "stats|show stats" "st|sh st" \
		"stats show --per-cpu|show stats --per-cpu" "-j stats show|-j show stats" \
		"-j stats show --per-cpu|-j show stats --per-cpu"; do
		IFS='|' read -r x y <<<"$pair"
		read -r -a cmd <<<"$x"
		read -r -a alias <<<"$y"
		netns_new ns_a && netns_new ns_b || return 1
		a=$(ip netns exec "$ns_a" taskset -c 0 "$UCPCTL" "${cmd[@]}") || return 1
		b=$(ip netns exec "$ns_b" taskset -c 0 "$UCPCTL" "${alias[@]}") || return 1
		[ "$a" = "$b" ] || fail_msg "'${cmd[*]}' and '${alias[*]}' differ: $a -- $b" ||
			return 1
	done
}
ktap_check "object first: stats show and show stats count alike" same_counters

ktap_finish
