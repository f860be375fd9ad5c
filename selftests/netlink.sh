#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The generic netlink family: registered with its events group, admin-only
# with a reason given, strict about attributes and commands.
source "$(dirname "$0")/lib.sh"
require_root

ktap_plan 9
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

EINVAL=22
ERANGE=34
EOPNOTSUPP=95

family_registered()
{
	local out

	out=$(genl ctrl get name ucproxy) || fail_msg "family not found" || return 1
	grep -q 'events' <<<"$out" || fail_msg "no events group: $out"
}
ktap_check "family ucproxy registered with its events group" family_registered

denied()
{
	"$UCPCTL" -j show stats | jq -r '.counters["netlink.denied"]'
}

# ucpctl as the unprivileged user nobody: one line naming the capability.
refused_as_nobody()
{
	one_line_error 'CAP_NET_ADMIN' setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$UCPCTL" show "$1"
}

before=$(denied)
ktap_check "unprivileged do request refused with a reason" refused_as_nobody info
ktap_check "unprivileged dump refused with a reason" refused_as_nobody stats

denials_counted()
{
	local after

	after=$(denied)
	[ $((after - before)) -eq 2 ] || fail_msg "netlink.denied: $before -> $after"
}
ktap_check "refusals counted in netlink.denied" denials_counted

# Root of a user namespace has CAP_NET_ADMIN there, but not over the
# router's license: still refused.
refused_in_userns()
{
	local err

	if err=$(unshare --user --map-root-user --net "$UCPCTL" show info 2>&1 >/dev/null); then
		fail_msg "a user namespace's root was let in"
		return 1
	fi
	grep -q 'CAP_NET_ADMIN' <<<"$err" || fail_msg "no reason: $err"
}
ktap_check "root of a user namespace refused" refused_in_userns

# expect_error EXPECTED_ERRNO NLTOOL-SEND-ARGS...: the request is refused
# with that errno and, for policy violations, an extack message.
expect_error()
{
	local want=$1 out

	shift
	out=$("$NLTOOL" send "$@") || return 1
	[[ $out == "error $want: "?* ]] || fail_msg "send $*: $out"
}

policy_strict()
{
	# info-get takes no attributes: version (2) is refused ...
	expect_error $EINVAL 1 2=302e3100 || return 1
	# ... as is a type beyond the family's maximum ...
	expect_error $EINVAL 1 200=00000000 || return 1
	# ... and the stats dump's flag may not carry a payload (the
	# kernel's policy code answers ERANGE for that one).
	expect_error $ERANGE -d 2 5=01000000 || return 1
	# The same requests without the bad attribute pass.
	[ "$("$NLTOOL" send 1)" = "ok 1" ] || fail_msg "plain info-get failed" || return 1
	[[ $("$NLTOOL" send -d 2 5=) == "ok "* ]] || fail_msg "per-CPU dump failed"
}
ktap_check "strict attribute policies, refused with extack" policy_strict

extack_names_attribute()
{
	local out

	out=$("$NLTOOL" send 1 2=302e3100)
	grep -qi 'attribute' <<<"$out" || fail_msg "no extack text: $out"
}
ktap_check "policy refusals carry an extack message" extack_names_attribute

unsupported_commands()
{
	# info-get and media-policy-set have no dump; 200 is no command.
	expect_error $EOPNOTSUPP -d 1 || return 1
	expect_error $EOPNOTSUPP -d 17 || return 1
	expect_error $EOPNOTSUPP 200
}
ktap_check "commands the module lacks: EOPNOTSUPP" unsupported_commands

# signal-inspect (12): proto (24) 1 SIP, 3 MMP; flow (25, an empty nest:
# 0x8019 with NLA_F_NESTED), dir (26), message (27), mmp-header-max (38).
# Each protocol takes its own only.
hex()
{
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}
inspect_attributes()
{
	local mmp out

	mmp=27=$(hex $'Msg-Type: ping\r\nContent-Length: 0\r\n\r\n')
	[ "$("$NLTOOL" send 12 24=03 "$mmp" 26=00)" = "ok 1" ] ||
		fail_msg "MMP client to server refused" || return 1
	out=$("$NLTOOL" send 12 24=03 "$mmp")
	grep -q "^error $EINVAL: .*missing attribute dir" <<<"$out" ||
		fail_msg "MMP without dir: $out" || return 1
	out=$("$NLTOOL" send 12 24=03 "$mmp" 26=00 0x8019=)
	grep -q "takes no flow" <<<"$out" || fail_msg "MMP with a flow: $out" || return 1
	out=$("$NLTOOL" send 12 24=03 "$mmp" 26=01 38=00100000)
	grep -q "client-to-server direction only" <<<"$out" ||
		fail_msg "MMP caps server to client: $out" || return 1
	out=$("$NLTOOL" send 12 24=01 "$mmp" 26=00)
	grep -q "for proto mmp only" <<<"$out" || fail_msg "SIP with dir: $out"
}
ktap_check "signal-inspect: dir and the MMP caps for MMP only, MMP without a flow" \
	inspect_attributes

ktap_finish
