#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# No memory leaks, on kernels with kmemleak (the debug lane): after using
# every interface with the module loaded, and again after unloading it.
# kmemleak ignores objects younger than 5 s, hence the waits; the lane's
# planted leak (scripts/check-debug) proves these scans can find one.
source "$(dirname "$0")/lib.sh"
require_root

KMEMLEAK=/sys/kernel/debug/kmemleak

ktap_plan 3
if [ ! -e $KMEMLEAK ]; then
	ktap_skip "exercise the module: kernel without kmemleak"
	ktap_skip "kmemleak with the module loaded: kernel without kmemleak"
	ktap_skip "kmemleak after unload: kernel without kmemleak"
	ktap_finish
fi

# scan_clean WHEN: passes when kmemleak reports nothing new. It reports an
# object only when a second scan finds it unchanged since the first.
scan_clean()
{
	local leaks

	sleep 6
	echo scan >$KMEMLEAK
	echo scan >$KMEMLEAK
	leaks=$(cat $KMEMLEAK)
	[ -z "$leaks" ] && return 0
	ktap_diag "kmemleak $1:"
	sed 's/^/# /' <<<"$leaks" | head -n 40
	return 1
}

# Forget whatever earlier tests or the boot left behind.
echo scan >$KMEMLEAK
echo clear >$KMEMLEAK
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

exercise()
{
	local ns

	"$UCPCTL" show >/dev/null &&
	"$UCPCTL" show stats --per-cpu >/dev/null || return 1
	# Sessions: taken, then given back when the holder's socket closes.
	"$UCPCTL" license set model asa5520 uc 24 >/dev/null || return 1
	[ "$("$NLTOOL" sessions 1 30 </dev/null)" = "held 24 refused 6" ] || return 1
	"$UCPCTL" clear configure >/dev/null 2>&1 || return 1
	! setpriv --reuid=65534 --regid=65534 --clear-groups "$UCPCTL" show \
		>/dev/null 2>&1 || return 1
	netns_new ns && ip netns exec "$ns" "$UCPCTL" show >/dev/null &&
	ip netns del "$ns"
}
ktap_check "exercise the module: info, stats, licensing, sessions, refusal, a namespace" exercise

ktap_check "kmemleak with the module loaded" scan_clean "with the module loaded"
module_unload
ktap_check "kmemleak after unload" scan_clean "after unload"
ktap_finish
