#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The netlink family under abuse (ucp_nlabuse): every command with
# attributes of wrong length, content or type, past the message or shorter
# than their header, as root, as an unprivileged user and as the root of a
# user namespace: every request answered, every one refused with a reason,
# the license, the sessions and the media policy unchanged. Then random
# well-typed requests in a namespace of their own: every one answered, the
# module still serving, no session left once the socket closed.
source "$(dirname "$0")/lib.sh"
require_root

ktap_plan 6
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

# What a refused request must not change.
state()
{
	"$UCPCTL" -j license show && "$UCPCTL" -j sessions show &&
		"$UCPCTL" -j media policy show
}
# A license with room to refuse in, so that "unchanged" means something.
"$UCPCTL" license set model asa5540 uc 2000 >/dev/null || exit $KSFT_FAIL
before=$(state) || exit $KSFT_FAIL

# abuse DESCRIPTION COMMAND...: one ucp_nlabuse run, its summary in the
# description and every broken rule it printed as a diagnostic.
abuse()
{
	local desc=$1 out rc

	shift
	out=$("$@" 2>&1)
	rc=$?
	grep -v '^sent ' <<<"$out" | head -n 20 | sed 's/^/# /'
	if [ $rc -eq 0 ]; then
		ktap_ok "$desc ($(grep '^sent ' <<<"$out"))"
	else
		ktap_fail "$desc ($(grep '^sent ' <<<"$out" || echo "exit $rc"))"
	fi
}

abuse "malformed requests as root: all answered, all refused with a reason" \
	"$NLABUSE" malformed
abuse "malformed requests as an unprivileged user: all refused with a reason" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$NLABUSE" malformed
abuse "malformed requests as the root of a user namespace: all refused with a reason" \
	unshare --user --map-root-user --net "$NLABUSE" malformed

unchanged()
{
	local after

	after=$(state) || return 1
	[ "$after" = "$before" ] || fail_msg "before: $before" "after: $after"
}
ktap_check "license, sessions and media policy unchanged by the refused requests" unchanged

# Random requests may be accepted (a license set, a session acquired): a
# namespace of their own keeps that apart from the rest of the machine.
NS=ucp-abuse-$$
ip netns add "$NS" || exit $KSFT_FAIL
on_exit "ip netns del $NS"
seed=${NLABUSE_SEED:-$RANDOM}
abuse "random well-typed requests (seed $seed): every one answered" \
	ip netns exec "$NS" "$NLABUSE" random -s "$seed" -n 3000

still_serving()
{
	local held

	"$UCPCTL" show info >/dev/null || fail_msg "info refused after the abuse" || return 1
	held=$(ip netns exec "$NS" "$UCPCTL" -j sessions show | jq '.sessions | length') ||
		return 1
	[ "$held" -eq 0 ] || fail_msg "$held sessions held after their socket closed"
}
ktap_check "module still serving; no session held once the abusing socket closed" still_serving

ktap_finish
