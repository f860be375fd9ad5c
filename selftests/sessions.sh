#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Licensed sessions: owned by the socket that acquired them, never beyond a
# limit however many processes race for them, all back when their owners
# exit or are killed, refusals announced on the events group.
source "$(dirname "$0")/lib.sh"
require_root

APP_PHONE=1
APP_TLS=2
EV_UP=13
EV_LIMIT=15
PROCS=10
EACH=40

ktap_plan 6
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

in_use()
{
	"$UCPCTL" -j license show | jq -r ".usage[\"$1\"][\"$2\"]"
}

# A phone with a primary and a backup call manager: two TLS sessions,
# given back when the agent's socket closes.
primary_and_backup()
{
	local line pid

	coproc PHONE { "$NLTOOL" sessions $APP_TLS 2; }
	pid=$PHONE_PID
	read -r -t 30 line <&"${PHONE[0]}"
	[ "$line" = "held 2 refused 0" ] || fail_msg "phone: $line" || return 1
	[ "$(in_use tls-proxy in-use)" -eq 2 ] || fail_msg "in use: $(in_use tls-proxy in-use)" || return 1
	[ "$("$UCPCTL" -j show sessions | jq '.sessions | length')" -eq 2 ] ||
		fail_msg "show sessions: $("$UCPCTL" show sessions)" || return 1
	echo done >&"${PHONE[1]}"
	wait "$pid"
	[ "$(in_use tls-proxy in-use)" -eq 0 ] || fail_msg "not released on close"
}
ktap_check "primary and backup call manager hold 2 sessions until close" primary_and_backup

# PROCS processes race for EACH phone proxy sessions each against a UC
# license of 250: exactly 250 are granted, the rest refused.
race_pids=()
race()
{
	local i out held=0 refused=0 line

	"$UCPCTL" license set model asa5520 uc 250 >/dev/null || return 1
	out=$(mktemp -d)
	on_exit "rm -rf $out"
	for ((i = 0; i < PROCS; i++)); do
		mkfifo "$out/in$i"
		"$NLTOOL" sessions $APP_PHONE $EACH <"$out/in$i" >"$out/out$i" &
		race_pids+=($!)
		exec {fd}>"$out/in$i"
		on_exit "exec $fd>&-"
	done
	for ((i = 0; i < PROCS; i++)); do
		for ((t = 0; t < 300; t++)); do
			[ -s "$out/out$i" ] && break
			sleep 0.1
		done
		read -r line <"$out/out$i"
		[[ $line =~ ^held\ ([0-9]+)\ refused\ ([0-9]+)$ ]] ||
			fail_msg "process $i: $line" || return 1
		held=$((held + BASH_REMATCH[1]))
		refused=$((refused + BASH_REMATCH[2]))
	done
	ktap_diag "$PROCS processes: $held held, $refused refused"
	[ "$held" -eq 250 ] && [ "$refused" -eq $((PROCS * EACH - 250)) ] ||
		fail_msg "expected 250 held" || return 1
	[ "$(in_use phone-proxy in-use)" -eq 250 ] &&
		[ "$(in_use phone-proxy peak)" -eq 250 ] ||
		fail_msg "license show: $("$UCPCTL" license show)" || return 1
	# 250 sessions take several dump buffers: each listed exactly once.
	[ "$("$UCPCTL" -j show sessions | jq '[.sessions[].id] | unique | length')" -eq 250 ] ||
		fail_msg "show sessions lists $("$UCPCTL" -j show sessions | jq '.sessions | length')"
}
ktap_check "$PROCS racing processes never exceed the UC license of 250" race

killed_release()
{
	local pid

	for pid in "${race_pids[@]}"; do
		kill -KILL "$pid"
	done
	for pid in "${race_pids[@]}"; do
		wait "$pid" 2>/dev/null
	done
	[ "$(in_use phone-proxy in-use)" -eq 0 ] ||
		fail_msg "in use after SIGKILL: $(in_use phone-proxy in-use)" || return 1
	[ "$("$UCPCTL" -j show sessions | jq '.sessions | length')" -eq 0 ] ||
		fail_msg "sessions left: $("$UCPCTL" show sessions)"
}
ktap_check "SIGKILL of every holder gives all capacity back" killed_release

refusal_event()
{
	local line pid

	# The base license has 2 sessions: the third is refused. Set before
	# joining: the change is an event of its own (config), not one of these.
	"$UCPCTL" license set model asa5520 >/dev/null || return 1
	coproc EV { "$NLTOOL" events 3; }
	pid=$EV_PID
	read -r -t 30 line <&"${EV[0]}"
	[ "$line" = joined ] || fail_msg "events: $line" || return 1
	# With stdin closed the holder exits (and releases) right after.
	line=$("$NLTOOL" sessions $APP_PHONE 3 </dev/null)
	[ "$line" = "held 2 refused 1" ] || fail_msg "acquire: $line" || return 1
	read -r -t 30 line <&"${EV[0]}" && [ "$line" = "event $EV_UP $APP_PHONE" ] ||
		fail_msg "first event: $line" || return 1
	read -r -t 30 line <&"${EV[0]}" && [ "$line" = "event $EV_UP $APP_PHONE" ] ||
		fail_msg "second event: $line" || return 1
	read -r -t 30 line <&"${EV[0]}" && [ "$line" = "event $EV_LIMIT $APP_PHONE" ] ||
		fail_msg "no limit-reached event: $line" || return 1
	wait "$pid"
}
ktap_check "a refused session is announced on the events group" refusal_event

refused_unprivileged()
{
	local out

	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$NLTOOL" send 8 19=02000000)
	[[ $out == "error 1: "*CAP_NET_ADMIN* ]] || fail_msg "nobody: $out"
}
ktap_check "unprivileged acquire refused" refused_unprivileged

release_foreign()
{
	local out

	# Session ids start at 1; this socket holds none of them.
	out=$("$NLTOOL" send 9 20=0100000000000000)
	[[ $out == "error 2: "* ]] || fail_msg "release of another's session: $out"
}
ktap_check "a socket cannot release a session it does not hold" release_foreign

ktap_finish
