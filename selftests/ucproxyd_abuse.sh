#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ucproxyd under abuse: slow handshakes, a connection flood to
# max-connections and beyond, peers that never read (either way) and
# garbage instead of TLS or after it. Each abuser is closed or refused with
# one log line and a counter; the agent's memory and descriptors stay
# within bounds derived from its configuration; well-behaved clients keep
# being served through it all.
#
# Peers: the well-behaved calls are openssl s_client (a line "call", the
# server's "CALL", the server closes). Scripted (ucproxyd_abuse.py), for
# what no real peer plays: the server (openssl s_server serves one
# connection at a time, and the test holds dozens), one held connection
# exchanging lines throughout, a ClientHello one byte per second, silent
# connections, readers that never read, random bytes and a random record
# after a real handshake.
#
# Bounds (configuration: buffer-size 32768, the size the agent raises any
# smaller one to; max-connections 64):
#   descriptors: at most two sockets per connection, so at most
#     base + 2 x connections, and exactly base once they are gone;
#   memory (VmRSS growth over a phase): per connection two relay buffers
#     of buffer-size and, per TLS object (one per leg), 64 KiB for
#     OpenSSL's record buffers (read and write, about 17 KiB each) and its
#     handshake and session state: a handshaking connection 64 KiB, a
#     relayed one 2 x 32 KiB + 2 x 64 KiB = 192 KiB.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
require_root

PEER=$UCP_ROOT/selftests/ucproxyd_abuse.py
LIMIT=64
FLOOD=$((LIMIT + 32))
HS_TIMEOUT=5
# A peer gone while the other never reads leaves its connection to this;
# so does a stalled relay, which moves no byte: the stall case counts its
# connections at once and is done well inside it (a 30 s timeout raced the
# wait for the server's writes to stop on a loaded machine).
IDLE=60
BUF=32768
SLOW=4
GARBAGE=4
STALL=16
TLS_KIB=64
CONN_KIB=$((2 * BUF / 1024 + 2 * TLS_KIB))

ktap_plan 14
trap '' PIPE
ud_setup || exit $KSFT_FAIL

{
	cat <<EOF
[global]
stats-file = $UD_DIR/stats
handshake-timeout = $HS_TIMEOUT
idle-timeout = $IDLE
buffer-size = $BUF
max-connections = $LIMIT

EOF
	ud_tls_proxy_listener abuse 192.0.2.1:$UD_PORT 10.9.0.2:$UD_PORT
} > "$UD_DIR/ucproxyd.conf"

ud_server "$UD_DIR/server.ready" python3 "$PEER" server "$UD_DIR" || exit $KSFT_FAIL
ud_start "$UD_DIR/ucproxyd.conf" || exit $KSFT_FAIL

# peer NAME ARGS...: the peer script in C, fed through fd $NAME_IN and
# read through fd $NAME_OUT (fifos: bash keeps one coprocess at a time).
peer()
{
	local name=$1 in=$UD_DIR/$1.in out=$UD_DIR/$1.out fdi fdo

	shift
	rm -f "$in" "$out"
	mkfifo "$in" "$out"
	exec {fdi}<>"$in" {fdo}<>"$out"
	ip netns exec "$UD_C" python3 "$PEER" "$@" <"$in" >"$out" 2>"$UD_DIR/$name.err" &
	on_exit "kill $!"
	printf -v "${name}_IN" %d "$fdi"
	printf -v "${name}_OUT" %d "$fdo"
}

rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$UD_PID/status"; }
fds() { ls "/proc/$UD_PID/fd" | wc -l; }

# call: one well-behaved call with openssl s_client; 0 when it got CALL.
call()
{
	echo call | timeout 15 ip netns exec "$UD_C" openssl s_client -quiet \
		-connect 192.0.2.1:$UD_PORT -CAfile "$UD_DIR/ca.pem" \
		-verify_return_error 2>/dev/null | grep -qx CALL
}

# calls_start / calls_stop: calls one after another in the background
# meanwhile; calls_stop sets CALLS_OK and CALLS_N.
calls_start()
{
	rm -f "$UD_DIR/calls.stop" "$UD_DIR/calls.res"
	(
		ok=0 n=0
		while [ ! -e "$UD_DIR/calls.stop" ]; do
			n=$((n + 1))
			call && ok=$((ok + 1))
		done
		echo "$ok $n" > "$UD_DIR/calls.res"
	) &
	CALLS_PID=$!
}

calls_stop()
{
	touch "$UD_DIR/calls.stop"
	wait "$CALLS_PID"
	read -r CALLS_OK CALLS_N < "$UD_DIR/calls.res"
}

# since LINE: the agent's log from line LINE on; mark: its length now.
mark() { wc -l < "$UD_DIR/log"; }
since() { tail -n +$(($1 + 1)) "$UD_DIR/log"; }

# one_line_each FROM WHAT PORT...: for every client port, exactly one log
# line since FROM, and it says WHAT.
one_line_each()
{
	local from=$1 what=$2 p n

	shift 2
	for p in "$@"; do
		n=$(since "$from" | grep -c "192.0.2.10:$p: ")
		[ "$n" -eq 1 ] || fail_msg "port $p: $n log lines" || return 1
		since "$from" | grep "192.0.2.10:$p: " | grep -q "$what" ||
			fail_msg "port $p: $(since "$from" | grep "192.0.2.10:$p: ")" ||
			return 1
	done
}

# active_is N [S]: the agent's active counter reaches N within S s (10).
active_is()
{
	for _ in $(seq $((${2:-10} * 5))); do
		[ "$(ud_stat active)" -eq "$1" ] && return 0
		sleep 0.2
	done
	fail_msg "active $(ud_stat active), expected $1"
}

# What the test lines report, set by the checks before them.
SLOW_CALLS=? GARBAGE_CALLS=? STALL_CALLS=? AFTER_CALLS=? FLOOD_FDS=0 FLOOD_RSS=0
FLOOD_EXCH=0 STALL_FDS=0 STALL_GROWTH=0 STEADY_N=0 STEADY_ERR=0 CALLS_N=0 CALLS_OK=0

ktap_check "a well-behaved call through the agent (openssl s_client)" call
FD0=$(fds)
RSS0=$(rss)
ktap_diag "idle: $FD0 descriptors, VmRSS $RSS0 kB"

# The held well-behaved connection, exchanging lines through everything.
peer STEADY steady "$UD_DIR"
read -r -t 30 line <&"$STEADY_OUT"
[ "$line" = ready ] ||
	{ ktap_diag "steady client: $line $(cat "$UD_DIR/STEADY.err")"; exit $KSFT_FAIL; }
steady() { echo mark >&"$STEADY_IN"; read -r -t 30 _ STEADY_N _ STEADY_ERR <&"$STEADY_OUT"; }

# Slow handshakes: a ClientHello one byte per second.
slow_case()
{
	local from before after ports=() port t sent bad=0

	from=$(mark)
	before=$(ud_stat timeout_handshake)
	calls_start
	ip netns exec "$UD_C" python3 "$PEER" slow $SLOW > "$UD_DIR/slow.out"
	while read -r _ port _ t _ sent; do
		ports+=("$port")
		ktap_diag "slow client $port: closed after $t s, $sent bytes sent"
		# Closed at the timeout (with the timer's tick and emulation's
		# slack), long before its 517-byte ClientHello could end.
		awk -v t="$t" -v h=$HS_TIMEOUT 'BEGIN { exit !(t >= h - 0.5 && t <= h + 2.5) }' ||
			bad=1
	done < "$UD_DIR/slow.out"
	calls_stop
	after=$(ud_stat timeout_handshake)
	SLOW_CALLS="$CALLS_OK/$CALLS_N"
	[ ${#ports[@]} -eq $SLOW ] || fail_msg "${#ports[@]} slow clients" || return 1
	[ $bad -eq 0 ] || fail_msg "not closed at ${HS_TIMEOUT} s" || return 1
	[ $((after - before)) -eq $SLOW ] ||
		fail_msg "timeout_handshake $before -> $after" || return 1
	one_line_each "$from" "closed: handshake timeout" "${ports[@]}"
}
ktap_check "$SLOW slow handshakes (1 byte/s) closed at the ${HS_TIMEOUT} s handshake timeout, counted, one log line each" slow_case
ktap_check "calls completed during the slow handshakes: $SLOW_CALLS" \
	test "$CALLS_N" -ge 1 -a "$CALLS_OK" -eq "$CALLS_N"

# The flood: FLOOD silent connections while one is held (the steady one).
flood_case()
{
	local from before after held refused ports n0 line probe=0

	from=$(mark)
	before=$(ud_stat overload)
	FLOOD_TH0=$(ud_stat timeout_handshake)
	steady
	n0=$STEADY_N
	peer FLOODER flood $FLOOD
	read -r -t 60 line <&"$FLOODER_OUT"
	ktap_diag "flood of $FLOOD: $line"
	read -r _ held _ refused _ ports <<<"$line"
	# A new well-behaved call while the limit is held: refused.
	call && probe=1
	FLOOD_ACTIVE=$(ud_stat active)
	FLOOD_FDS=$(fds)
	FLOOD_RSS=$(rss)
	steady
	FLOOD_EXCH=$((STEADY_N - n0))
	after=$(ud_stat overload)
	echo go >&"$FLOODER_IN"
	read -r -t 60 line <&"$FLOODER_OUT"
	ktap_diag "flood: $line; during it: active $FLOOD_ACTIVE, $FLOOD_FDS descriptors, VmRSS $FLOOD_RSS kB, $FLOOD_EXCH exchanges on the held connection"
	FLOOD_RELEASED=$line
	[ "$FLOOD_ACTIVE" -eq $LIMIT ] || fail_msg "active $FLOOD_ACTIVE" || return 1
	[ "$held" -eq $((LIMIT - 1)) ] && [ "$refused" -eq $((FLOOD - LIMIT + 1)) ] ||
		fail_msg "held $held refused $refused" || return 1
	[ $probe -eq 0 ] || fail_msg "a call got through at the limit" || return 1
	# The refused flood connections and the refused call.
	[ $((after - before)) -eq $((refused + 1)) ] ||
		fail_msg "overload $before -> $after, $refused refused" || return 1
	[ "$(since "$from" | grep -c "refused: max-connections $LIMIT reached")" -eq $((refused + 1)) ] ||
		fail_msg "$(since "$from" | grep -c "refused: max-connections") refusal lines" ||
		return 1
	# shellcheck disable=SC2046
	one_line_each "$from" "refused: max-connections $LIMIT reached" $(tr , ' ' <<<"$ports")
}
ktap_check "flood of $FLOOD to max-connections $LIMIT: the limit held, those beyond refused (a new call too), counted, one log line each" flood_case
# The held connection relayed, the others handshaking.
FLOOD_KIB=$(((LIMIT - 1) * TLS_KIB + CONN_KIB))
ktap_check "during the flood: $FLOOD_FDS descriptors <= $FD0 + 2 x $LIMIT, VmRSS +$((FLOOD_RSS - RSS0)) kB <= $((LIMIT - 1)) x $TLS_KIB + $CONN_KIB kB" \
	test "$FLOOD_FDS" -le $((FD0 + 2 * LIMIT)) -a $((FLOOD_RSS - RSS0)) -le $FLOOD_KIB
ktap_check "during the flood: the held connection went on ($FLOOD_EXCH exchanges)" \
	test "$FLOOD_EXCH" -ge 1 -a "$STEADY_ERR" -eq 0

after_flood()
{
	local n=0 ok=0

	read -r _ released _ t <<<"$FLOOD_RELEASED"
	[ "$released" -eq $((LIMIT - 1)) ] ||
		fail_msg "released $released of $((LIMIT - 1))" || return 1
	awk -v t="$t" -v h=$HS_TIMEOUT 'BEGIN { exit !(t >= h - 0.5 && t <= h + 3) }' ||
		fail_msg "released after $t s, not at ${HS_TIMEOUT} s" || return 1
	[ $(($(ud_stat timeout_handshake) - FLOOD_TH0)) -eq $((LIMIT - 1)) ] ||
		fail_msg "timeout_handshake $FLOOD_TH0 -> $(ud_stat timeout_handshake)" ||
		return 1
	active_is 1 || return 1
	for _ in 1 2 3; do
		n=$((n + 1))
		call && ok=$((ok + 1))
	done
	AFTER_CALLS="$ok/$n"
	[ $ok -eq $n ] || fail_msg "calls $ok/$n"
}
ktap_check "after the flood: its connections closed at the handshake timeout, calls complete again" after_flood
ktap_diag "calls after the flood: $AFTER_CALLS"

# Garbage: random bytes instead of TLS, and a random record after a
# handshake; each closed at once (not by a timeout).
garbage_case()
{
	local from hs0 hs1 re0 re1 kind port t plain=() record=() bad=0

	from=$(mark)
	hs0=$(ud_stat handshake_failed)
	re0=$(ud_stat relay_error)
	calls_start
	ip netns exec "$UD_C" python3 "$PEER" garbage "$UD_DIR" $GARBAGE > "$UD_DIR/garbage.out"
	while read -r kind port _ t _ reply; do
		ktap_diag "$kind garbage from $port: closed after $t s ${reply:+(reply $reply)}"
		case $kind in
		plain) plain+=("$port") ;;
		record) record+=("$port"); [ "$reply" = ok ] || bad=1 ;;
		esac
		awk -v t="$t" -v h=$HS_TIMEOUT 'BEGIN { exit !(t + 0 == t && t < h) }' || bad=1
	done < "$UD_DIR/garbage.out"
	calls_stop
	GARBAGE_CALLS="$CALLS_OK/$CALLS_N"
	hs1=$(ud_stat handshake_failed)
	re1=$(ud_stat relay_error)
	[ ${#plain[@]} -eq $GARBAGE ] && [ ${#record[@]} -eq $GARBAGE ] ||
		fail_msg "${#plain[@]} + ${#record[@]} garbage clients" || return 1
	[ $bad -eq 0 ] || fail_msg "not closed at once, or no reply before" || return 1
	[ $((hs1 - hs0)) -eq $GARBAGE ] ||
		fail_msg "handshake_failed $hs0 -> $hs1" || return 1
	[ $((re1 - re0)) -eq $GARBAGE ] ||
		fail_msg "relay_error $re0 -> $re1" || return 1
	one_line_each "$from" "closed: TLS handshake: " "${plain[@]}" || return 1
	for port in "${record[@]}"; do
		[ "$(since "$from" | grep "192.0.2.10:$port: " | grep -c "closed: ")" -eq 1 ] ||
			fail_msg "port $port: $(since "$from" | grep "192.0.2.10:$port: ")" ||
			return 1
		since "$from" | grep "192.0.2.10:$port: closed: " | grep -q "client leg" ||
			fail_msg "port $port: $(since "$from" | grep "192.0.2.10:$port: closed")" ||
			return 1
	done
}
ktap_check "garbage: random bytes ($GARBAGE, handshake_failed) and a random record after a handshake ($GARBAGE, relay_error) closed at once, counted, one log line each" garbage_case
ktap_check "calls completed during the garbage: $GARBAGE_CALLS" \
	test "$CALLS_N" -ge 1 -a "$CALLS_OK" -eq "$CALLS_N"

# Peers that never read: STALL/2 never read what the server sends, STALL/2
# write to a server that never reads. The agent stops reading each sender
# once its buffer for that direction is full: the sinks' writes block (the
# client says so), the server's bulk writes stop (it counts them).
bulk_sent() { cat "$UD_DIR/bulk.sent" 2>/dev/null || echo 0; }
stall_case()
{
	local rss1 line b1 b2 sent held=

	rss1=$(rss)
	peer STALLER stall "$UD_DIR" $STALL
	read -r -t 120 line <&"$STALLER_OUT"
	ktap_diag "never-reading peers: $line"
	read -r _ _ _ sent <<<"$line"
	active_is $((STALL + 1)) && held=1
	calls_start
	# Stalled: the server got nothing more out over 2 s.
	for _ in $(seq 15); do
		b1=$(bulk_sent)
		sleep 2
		b2=$(bulk_sent)
		[ "$b1" -eq "$b2" ] && break
	done
	calls_stop
	STALL_CALLS="$CALLS_OK/$CALLS_N"
	# Still held once the server's writes stopped.
	[ -z "$held" ] || active_is $((STALL + 1)) || held=
	STALL_FDS=$(fds)
	STALL_RSS=$(rss)
	STALL_GROWTH=$((STALL_RSS - rss1))
	ktap_diag "stalled: the server's bulk bytes $b1 -> $b2 over 2 s, $STALL_FDS descriptors, VmRSS $STALL_RSS kB (+$STALL_GROWTH kB)"
	echo go >&"$STALLER_IN"
	read -r -t 60 line <&"$STALLER_OUT"
	[ "$line" = closed ] || fail_msg "stall client: $line" || return 1
	# A sink blocked long before the 64 MiB it would have sent.
	[ -n "$sent" ] && [ "$sent" -lt $((64 << 20)) ] ||
		fail_msg "a sink wrote ${sent:-?} bytes unblocked" || return 1
	[ "$b1" -gt 0 ] && [ "$b1" -eq "$b2" ] ||
		fail_msg "the server's bulk writes did not stop ($b1 -> $b2)" || return 1
	[ -n "$held" ] || return 1
	# Those whose server never reads keep their unsent bytes until the
	# idle timeout (measured in the guest: the client's close alone does
	# not end them); the others end at once.
	active_is 1 $((IDLE + 5))
}
ktap_check "$STALL peers that never read ($((STALL / 2)) each way): the relay stalls, the connections held" stall_case
ktap_check "while stalled: $STALL_FDS descriptors <= $FD0 + 2 x $((STALL + 1)), VmRSS +$STALL_GROWTH kB <= $STALL x $CONN_KIB kB" \
	test "$STALL_FDS" -le $((FD0 + 2 * (STALL + 1))) -a "$STALL_GROWTH" -le $((STALL * CONN_KIB))
ktap_check "calls completed while they stalled: $STALL_CALLS" \
	test "$CALLS_N" -ge 1 -a "$CALLS_OK" -eq "$CALLS_N"

steady
echo stop >&"$STEADY_IN"
read -r -t 30 line <&"$STEADY_OUT"
ktap_diag "held connection: $line"
ktap_check "the held connection exchanged through all of it ($STEADY_N exchanges, $STEADY_ERR errors)" \
	test "$STEADY_N" -ge 1 -a "$STEADY_ERR" -eq 0

given_back()
{
	active_is 0 || return 1
	for _ in $(seq 50); do
		[ "$(fds)" -eq "$FD0" ] && break
		sleep 0.2
	done
	END_FDS=$(fds)
	END_RSS=$(rss)
	ktap_diag "after: $END_FDS descriptors, VmRSS $END_RSS kB"
	[ "$END_FDS" -eq "$FD0" ] || fail_msg "descriptors $FD0 -> $END_FDS" || return 1
	# No more than the largest phase's bound, whatever the phases left.
	[ $((END_RSS - RSS0)) -le $((STALL * CONN_KIB > FLOOD_KIB ?
				      STALL * CONN_KIB : FLOOD_KIB)) ] ||
		fail_msg "VmRSS $RSS0 -> $END_RSS kB" || return 1
	call || fail_msg "no call after it all"
}
ktap_check "after it all: every descriptor given back, nothing active, memory within the bound, a call served" given_back

if [ "$_ktap_failed" -ne 0 ]; then
	sed 's/^/# agent: /' "$UD_DIR/log" | grep -v relaying | tail -30
	for f in "$UD_DIR"/*.err; do
		[ -s "$f" ] && sed "s|^|# ${f##*/}: |" "$f" | tail -5
	done
fi
ktap_finish
