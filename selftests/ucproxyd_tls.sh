#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ucproxyd between real TLS peers: openssl s_client (a phone, with its
# certificate) -> the router running ucproxyd (phone proxy: proxy
# certificate toward the phone, a minted certificate with the phone's
# subject toward the server) -> openssl s_server (the call manager, which
# only accepts clients of the proxy's minting CA, and reverses each line).
# TLS 1.3 and 1.2, kTLS engaged on both legs (the router's
# /proc/net/tls_stat and the agent's counters), missing and untrusted
# client certificates refused, a license refusal, a SIGHUP reload that
# keeps a live connection, and the configuration checked with file:line.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
require_root

ktap_plan 16
trap '' PIPE
ud_setup || exit $KSFT_FAIL

conf()
{
	cat <<EOF
# ucproxyd_tls.sh
[global]
stats-file = $UD_DIR/stats
handshake-timeout = 5

[listener phones]
application = phone-proxy
listen = 192.0.2.1:$UD_PORT
server = 10.9.0.2:$UD_PORT
certificate = $UD_DIR/${1:-proxy}.pem
key = $UD_DIR/${1:-proxy}.key
client-ca = $UD_DIR/phone-ca.pem
mint-ca = $UD_DIR/mint-ca.pem
mint-ca-key = $UD_DIR/mint-ca.key
server-ca = $UD_DIR/ca.pem

# The same, with TLS 1.3 receive left to OpenSSL.
[listener rx-userspace]
application = phone-proxy
listen = 192.0.2.1:5062
server = 10.9.0.2:$UD_PORT
certificate = $UD_DIR/proxy.pem
key = $UD_DIR/proxy.key
client-ca = $UD_DIR/phone-ca.pem
mint-ca = $UD_DIR/mint-ca.pem
mint-ca-key = $UD_DIR/mint-ca.key
server-ca = $UD_DIR/ca.pem
ktls-tls13-rx = off
EOF
}
conf > "$UD_DIR/ucproxyd.conf"

ktap_check "ucproxyd -t accepts the configuration and its certificates" \
	"$UCPROXYD" -t -c "$UD_DIR/ucproxyd.conf"

bad_conf()
{
	local err

	conf | sed 's/^server-ca = /server-cax = /' > "$UD_DIR/bad.conf"
	err=$("$UCPROXYD" -t -c "$UD_DIR/bad.conf" 2>&1 >/dev/null) &&
		fail_msg "accepted" && return 1
	[ "$(wc -l <<<"$err")" -eq 1 ] || fail_msg "not one line: $err" || return 1
	grep -q "^ucproxyd: $UD_DIR/bad.conf:15: unknown key \"server-cax\"" <<<"$err" ||
		fail_msg "$err"
}
ktap_check "a bad configuration is refused with file:line on one line" bad_conf

# The call manager: reverses each line, logs the client certificate.
ip netns exec "$UD_S" openssl s_server -accept 10.9.0.2:$UD_PORT \
	-cert "$UD_DIR/cucm.pem" -key "$UD_DIR/cucm.key" -rev \
	-Verify 1 -CAfile "$UD_DIR/mint-ca.pem" >"$UD_DIR/server.log" 2>&1 &
on_exit "kill $!"
ud_listening $UD_PORT || exit $KSFT_FAIL
ud_start "$UD_DIR/ucproxyd.conf" || exit $KSFT_FAIL

# client OUT ARGS...: one line through the proxy, s_client's output in OUT;
# waits for the reversed line (at most 10 s), then ends the connection.
client()
{
	local out=$1 fifo=$UD_DIR/client.in pid fd

	shift
	rm -f "$fifo"
	mkfifo "$fifo"
	timeout 20 ip netns exec "$UD_C" openssl s_client \
		-connect 192.0.2.1:$UD_PORT -CAfile "$UD_DIR/ca.pem" \
		-verify_return_error "$@" <"$fifo" >"$out" 2>&1 &
	pid=$!
	exec {fd}>"$fifo"
	printf 'hello proxy\n' >&$fd
	for _ in $(seq 100); do
		grep -q "yxorp olleh" "$out" && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	exec {fd}>&-
	wait $pid
}

PHONE=(-cert "$UD_DIR/phone.pem" -key "$UD_DIR/phone.key")

# relayed VERSION: a line there and back, kTLS on both of the router's legs.
relayed()
{
	local v=$1 tx rx legs out=$UD_DIR/relay$1

	tx=$(ud_tls_stat TlsTxSw)
	rx=$(ud_tls_stat TlsRxSw)
	legs=$(ud_stat legs_ktls)
	client "$out" "${PHONE[@]}" "-tls$v" || true
	grep -q "yxorp olleh" "$out" || fail_msg "no reply: $(tail -5 "$out")" || return 1
	grep -q "New, TLSv${v/_/.}, Cipher" "$out" || fail_msg "protocol: $(grep "New, " "$out")" || return 1
	# The server saw the phone's subject, on a certificate we minted.
	grep -q "SEP001122334455" "$UD_DIR/server.log" ||
		fail_msg "server log: $(tail -5 "$UD_DIR/server.log")" || return 1
	[ $(($(ud_tls_stat TlsTxSw) - tx)) -eq 2 ] ||
		fail_msg "TlsTxSw $tx -> $(ud_tls_stat TlsTxSw)" || return 1
	[ $(($(ud_tls_stat TlsRxSw) - rx)) -eq 2 ] ||
		fail_msg "TlsRxSw $rx -> $(ud_tls_stat TlsRxSw)" || return 1
	[ $(($(ud_stat legs_ktls) - legs)) -eq 2 ] ||
		fail_msg "legs_ktls $legs -> $(ud_stat legs_ktls)"
}
ktap_check "TLS 1.3 relayed both ways, kTLS TX and RX on both legs" relayed 1_3
n=$(ud_stat tls13_rx_installed)
ktap_check "TLS 1.3 receive keys installed by the agent on both legs ($n)" test "$n" -eq 2
ktap_check "TLS 1.2 relayed both ways, kTLS TX and RX on both legs" relayed 1_2
n=$(ud_stat minted)
ktap_check "a certificate minted per client ($n)" test "$n" -eq 2

# refused ARGS...: the client gets no relay and the refusal is counted.
refused()
{
	local before after out=$UD_DIR/refused

	before=$(ud_stat client_cert_refused)
	client "$out" "$@" || true
	! grep -q "yxorp olleh" "$out" || fail_msg "relayed" || return 1
	after=$(ud_stat client_cert_refused)
	[ "$after" -eq $((before + 1)) ] || fail_msg "client_cert_refused $before -> $after"
}
ktap_check "no client certificate: refused" refused -tls1_3
ktap_check "client certificate of an untrusted CA: refused" refused \
	-cert "$UD_DIR/rogue.pem" -key "$UD_DIR/rogue.key" -tls1_2
ktap_check "the refusal logged in one line" \
	grep -qE "phones: 192.0.2.10:[0-9]+: closed: (client certificate refused|TLS handshake: .*certificate)" "$UD_DIR/log"

# hold NAME: a connection kept open, fed through $UD_DIR/NAME.in.
hold()
{
	mkfifo "$UD_DIR/$1.in"
	timeout 60 ip netns exec "$UD_C" openssl s_client \
		-connect 192.0.2.1:$UD_PORT -CAfile "$UD_DIR/ca.pem" "${PHONE[@]}" \
		<"$UD_DIR/$1.in" >"$UD_DIR/$1.out" 2>&1 &
	on_exit "kill $!"
	exec {HOLD_FD}>"$UD_DIR/$1.in"
	printf 'first line\n' >&$HOLD_FD
	for _ in $(seq 50); do
		grep -q "enil tsrif" "$UD_DIR/$1.out" && return 0
		sleep 0.1
	done
	fail_msg "held connection not up: $(tail -3 "$UD_DIR/$1.out")"
}

license_refused()
{
	local out=$UD_DIR/lic before in_use

	ip netns exec "$UD_R" "$UCPCTL" tls-proxy maximum-sessions 1 >/dev/null || return 1
	hold held1 || return 1
	before=$(ud_stat license_refused)
	client "$out" "${PHONE[@]}" || true
	! grep -q "yxorp olleh" "$out" || fail_msg "relayed beyond the limit" || return 1
	[ "$(ud_stat license_refused)" -eq $((before + 1)) ] || fail_msg "not counted" || return 1
	grep -q "refused: no license session for phone-proxy" "$UD_DIR/log" ||
		fail_msg "log: $(tail -3 "$UD_DIR/log")" || return 1
	exec {HOLD_FD}>&-
	# The held session comes back when its connection ends.
	for _ in $(seq 50); do
		in_use=$(ip netns exec "$UD_R" "$UCPCTL" -j license show |
			jq -r '.usage["phone-proxy"]["in-use"]')
		[ "$in_use" = 0 ] && break
		sleep 0.1
	done
	[ "$in_use" = 0 ] || fail_msg "phone-proxy in use after close: $in_use" || return 1
	client "$out" "${PHONE[@]}" || true
	grep -q "yxorp olleh" "$out" || fail_msg "not relayed after release"
}
ktap_check "TLS limit 1: the second connection is refused, logged and counted; released on close" \
	license_refused
ip netns exec "$UD_R" "$UCPCTL" tls-proxy maximum-sessions 1000 >/dev/null

reload()
{
	local out=$UD_DIR/reload

	ud_cert proxy2 ca "/O=ucproxy test/CN=router2" || return 1
	hold held2 || return 1
	conf proxy2 > "$UD_DIR/ucproxyd.conf"
	kill -HUP "$UD_PID"
	for _ in $(seq 50); do
		grep -q "reloaded" "$UD_DIR/log" && break
		sleep 0.1
	done
	grep -q "reloaded" "$UD_DIR/log" || fail_msg "no reload: $(tail -3 "$UD_DIR/log")" || return 1
	# The live connection goes on, on its old certificate.
	printf 'after reload\n' >&$HOLD_FD
	for _ in $(seq 50); do
		grep -q "daoler retfa" "$UD_DIR/held2.out" && break
		sleep 0.1
	done
	grep -q "daoler retfa" "$UD_DIR/held2.out" ||
		fail_msg "live connection lost: $(tail -3 "$UD_DIR/held2.out")" || return 1
	exec {HOLD_FD}>&-
	sleep 0.5
	# New connections get the new certificate.
	client "$out" "${PHONE[@]}" || true
	grep -q "yxorp olleh" "$out" || fail_msg "not relayed after reload" || return 1
	grep -q "CN *= *router2" "$out" || fail_msg "old certificate: $(grep CN "$out" | head -3)"
}
ktap_check "SIGHUP reloads certificates and keeps the live connection" reload

bad_reload()
{
	local out=$UD_DIR/badreload

	conf | sed 's/^listen = .*/listen = nowhere/' > "$UD_DIR/ucproxyd.conf"
	kill -HUP "$UD_PID"
	for _ in $(seq 50); do
		grep -q "reload refused" "$UD_DIR/log" && break
		sleep 0.1
	done
	grep -q "ucproxyd.conf:8: listen: \"nowhere\" has no :port (reload refused" "$UD_DIR/log" ||
		fail_msg "$(tail -2 "$UD_DIR/log")" || return 1
	client "$out" "${PHONE[@]}" || true
	grep -q "yxorp olleh" "$out" || fail_msg "not serving after a refused reload"
}
ktap_check "a bad file on SIGHUP is refused with file:line, the running configuration stays" \
	bad_reload

# key_update PORT CMD: a line, then s_client's KeyUpdate command (k: no
# update requested of us, K: requested), then a line; "kept" when the
# second line came back, "closed" when the connection ended instead, in
# $KU (a writer to a closed pipe must not die of SIGPIPE: no subshell).
key_update()
{
	local out=$UD_DIR/ku fifo=$UD_DIR/ku.in pid fd

	KU=closed
	rm -f "$fifo"
	mkfifo "$fifo"
	timeout 20 ip netns exec "$UD_C" openssl s_client \
		-connect 192.0.2.1:$1 -CAfile "$UD_DIR/ca.pem" -tls1_3 \
		"${PHONE[@]}" <"$fifo" >"$out" 2>&1 &
	pid=$!
	exec {fd}>"$fifo"
	printf 'first\n' >&$fd
	for _ in $(seq 100); do
		grep -q "tsrif" "$out" && break
		sleep 0.1
	done
	printf '%s\n' "$2" >&$fd
	sleep 0.5
	printf 'second\n' >&$fd 2>/dev/null
	for _ in $(seq 30); do
		grep -q "dnoces" "$out" && KU=kept && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	exec {fd}>&- 2>/dev/null
	wait $pid
}

ku_case()
{
	local port=$1 cmd=$2 want=$3 counted=$4 before

	before=$(ud_stat key_update)
	key_update "$port" "$cmd"
	[ "$KU" = "$want" ] || fail_msg "connection $KU: $(tail -3 "$UD_DIR/ku")" || return 1
	[ "$(ud_stat key_update)" -eq $((before + counted)) ] ||
		fail_msg "key_update $before -> $(ud_stat key_update)"
}
ktap_check "KeyUpdate on kTLS receive keys (Linux 6.1 cannot rekey): counted, connection ended" \
	ku_case $UD_PORT k closed 1
ktap_check "KeyUpdate with TLS 1.3 receive in userspace: the connection keeps working" \
	ku_case 5062 k kept 0
ktap_check "KeyUpdate requesting ours, transmit in kTLS: counted, connection ended" \
	ku_case 5062 K closed 1

# A client that connects and says nothing is closed at handshake-timeout.
handshake_timeout()
{
	local before r

	before=$(ud_stat timeout_handshake)
	r=$(ip netns exec "$UD_C" python3 -c '
import socket, time
s = socket.create_connection(("192.0.2.1", 5061))
s.settimeout(15)
t = time.monotonic()
print("closed after %d s" % round(time.monotonic() - t) if s.recv(10) == b"" else "data")
')
	[[ "$r" == "closed after "[4-7]" s" ]] || fail_msg "$r (handshake-timeout 5)" || return 1
	[ "$(ud_stat timeout_handshake)" -eq $((before + 1)) ] || fail_msg "not counted" || return 1
	grep -q "closed: handshake timeout" "$UD_DIR/log" || fail_msg "not logged"
}
ktap_check "a silent client is closed at handshake-timeout, logged and counted" handshake_timeout

[ "$_ktap_failed" -eq 0 ] || sed 's/^/# agent: /' "$UD_DIR/log" | tail -40
ktap_finish
