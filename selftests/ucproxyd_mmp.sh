#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The mobility proxy: ucproxyd's application mobility between a mobile
# client (UMC) and the mobility server (UMA), with MMP inspected by the
# kernel (the listener sets no inspect: mmp is mobility's default).
#
#   openssl s_client 192.0.2.10 --TLS--> 192.0.2.1:5443 ucproxyd --TLS--> 10.9.0.2:5443 UMA server
#
# Toward the client the agent presents the UMA server's own certificate,
# imported from a PKCS#12 made with `openssl pkcs12 -export`, and asks for
# no client certificate; toward the server it presents a static client
# certificate, which the server requires. No MMP implementation exists in
# Debian: the client's bytes are written into openssl s_client by
# mmp_peer.py, and the server is mmp_peer.py on Python's ssl (say so:
# scripted peers, for what no real peer can play).
#
# Checked: MMP messages split across TLS records, one record cut across
# TCP segments (mmp_peer.py segments: s_client cannot choose them),
# several in one record, both caps at exactly 4096 bytes, and a server reply over
# both caps (they bind client to server only), relayed byte for byte both
# ways; each documented violation (header over the cap, content over the
# cap, no space after the colon, bad or missing Content-Length, garbage)
# ends the connection after the good message before it, with its kernel
# counter and exactly one log line; the license: mobility sessions with
# the UC license used up, refused at the TLS limit (they are TLS proxy
# sessions), sessions listed with their application; then UD_MMP_SCALE_N
# (1000) concurrent mobility connections held, with no UC license use
# beside them, and given back.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
require_root

N=${UD_MMP_SCALE_N:-1000}
PORT=5443
PEER=$UCP_SELFTESTS/mmp_peer.py
REASONS="header_too_long content_too_long no_space content_length no_content_length header"

ktap_plan 22
ulimit -n $((4 * N + 256))
ud_setup || exit $KSFT_FAIL
ud_cert uma ca "/O=ucproxy test/CN=uma" &&
	ud_cert uma-client ca "/O=ucproxy test/CN=proxy client" || exit $KSFT_FAIL
# The UMA server's identity, exported for the proxy to present.
openssl pkcs12 -export -in "$UD_DIR/uma.pem" -inkey "$UD_DIR/uma.key" \
	-passout pass:s3cret -out "$UD_DIR/uma.p12" || exit $KSFT_FAIL

cat > "$UD_DIR/ucproxyd.conf" <<EOF
[global]
stats-file = $UD_DIR/stats
handshake-timeout = 120
max-connections = $((N + 100))

[listener uma]
application = mobility
listen = 192.0.2.1:$PORT
server = 10.9.0.2:$PORT
pkcs12 = $UD_DIR/uma.p12
pkcs12-password = s3cret
client-certificate = $UD_DIR/uma-client.pem
client-key = $UD_DIR/uma-client.key
server-ca = $UD_DIR/ca.pem
EOF

ud_server "$UD_DIR/server.ready" python3 "$PEER" server "$UD_DIR" || exit $KSFT_FAIL
ud_start "$UD_DIR/ucproxyd.conf" || exit $KSFT_FAIL

stat_of()
{
	ip netns exec "$UD_R" "$UCPCTL" -j stats show | jq -r ".counters[\"$1\"] // 0"
}

# client CASE [STDIN_HOLD]: the mobile client of one connection, its bytes
# from mmp_peer.py feed CASE; what it received in $UD_DIR/cli-CASE.out.
client()
{
	python3 "$PEER" feed "$UD_DIR" "$1" |
		timeout 60 ip netns exec "$UD_C" openssl s_client \
			-connect 192.0.2.1:$PORT -CAfile "$UD_DIR/ca.pem" \
			-verify_hostname uma -verify_return_error -quiet \
			>"$UD_DIR/cli-$1.out" 2>"$UD_DIR/cli-$1.err"
}

# The good exchange.
messages0=$(stat_of mmp.messages)
client good
ktap_diag "good: sent $(wc -c <"$UD_DIR/cli-good.sent") bytes, received $(wc -c <"$UD_DIR/cli-good.out")"
ktap_check "the client saw the UMA server's own certificate (PKCS#12) and verified it" \
	grep -q "depth=0 .*CN *= *uma" "$UD_DIR/cli-good.err"
ktap_check "the server saw the proxy's static client certificate" \
	grep -qx "proxy client" "$UD_DIR/srv-good.cn"
ktap_check "client to server byte for byte: split headers and bodies, 3 messages in a record, 4096/4096" \
	cmp "$UD_DIR/cli-good.sent" "$UD_DIR/srv-good.in"
ktap_check "server to client byte for byte, a reply over both caps included" \
	cmp "$UD_DIR/srv-good.out" "$UD_DIR/cli-good.out"
# 9 messages each way (hello, M1 ... M7, bye).
inspected=$(($(stat_of mmp.messages) - messages0))
ktap_check "the kernel inspected every message both ways ($inspected, want 18)" \
	test "$inspected" -eq 18
ktap_check "no refusal on the good exchange" \
	test "$(stat_of mmp.dropped)" -eq 0 -a "$(ud_stat inspect_dropped)" -eq 0

# One TLS record cut across four TCP segments (s_client cannot be told
# where its segments end; mmp_peer.py segments, Python's ssl over memory
# BIOs, sends the record's bytes itself).
segments()
{
	local m0

	m0=$(stat_of mmp.messages)
	ip netns exec "$UD_C" python3 "$PEER" segments "$UD_DIR" || return 1
	for _ in $(seq 50); do [ -e "$UD_DIR/closed-segments" ] && break; sleep 0.1; done
	cmp "$UD_DIR/cli-segments.sent" "$UD_DIR/srv-segments.in" || return 1
	cmp "$UD_DIR/srv-segments.out" "$UD_DIR/cli-segments.out" || return 1
	[ $(($(stat_of mmp.messages) - m0)) -eq 8 ] ||
		fail_msg "mmp.messages rose by $(($(stat_of mmp.messages) - m0)), want 8"
}
ktap_check "3 messages in one TLS record cut across 4 TCP segments: byte for byte both ways, 8 inspected" \
	segments

# violation REASON: the good message before it arrives, nothing after it;
# the connection ends; its counter is 1; one log line for the connection.
violation()
{
	local r=$1 peer lines

	client "$r" || true
	[ -e "$UD_DIR/closed-$r" ] || fail_msg "the server's connection did not end" || return 1
	python3 -c "
import sys; sys.path.insert(0, sys.argv[1]); import mmp_peer as p
sys.stdout.buffer.write(p.case(sys.argv[2]))" "$UCP_SELFTESTS" "$r" >"$UD_DIR/want-$r"
	cmp -s "$UD_DIR/srv-$r.in" "$UD_DIR/want-$r" ||
		fail_msg "the server got more (or less) than the good message: $(wc -c <"$UD_DIR/srv-$r.in") bytes" ||
		return 1
	[ "$(stat_of "mmp.bad_$r")" -eq 1 ] ||
		fail_msg "mmp.bad_$r is $(stat_of "mmp.bad_$r")" || return 1
	lines=$(grep -c "closed: MMP client to server refused: $r\$" "$UD_DIR/log")
	[ "$lines" -eq 1 ] || fail_msg "$lines log lines name $r" || return 1
	peer=$(sed -n "s/.*uma: \([0-9.:]*\): closed: MMP client to server refused: $r\$/\1/p" "$UD_DIR/log")
	lines=$(grep "uma: $peer: " "$UD_DIR/log" | grep -vc "relaying to")
	[ "$lines" -eq 1 ] || fail_msg "$lines log lines for $peer: $(grep "$peer" "$UD_DIR/log")"
}

for r in $REASONS; do
	ktap_check "$r: the connection ends after the good message, mmp.bad_$r 1, one log line" \
		violation "$r"
done
ktap_check "mmp.dropped counts the 6 refusals, the agent's inspect_dropped too" \
	test "$(stat_of mmp.dropped)" -eq 6 -a "$(ud_stat inspect_dropped)" -eq 6
ktap_diag "$(grep 'refused:' "$UD_DIR/log" | sed 's/^<[0-9]>//' | head -6 | tr '\n' '|')"

# License: UC license of 2 sessions, all held (ucp_nltool, as phone-proxy);
# TLS limit 4: two mobility connections still pass (no UC license
# needed), the third is refused by the TLS limit (a TLS proxy session).
ip netns exec "$UD_R" "$UCPCTL" license set model linux uc 2 >/dev/null &&
	ip netns exec "$UD_R" "$UCPCTL" license tls-limit 4 >/dev/null || exit $KSFT_FAIL
coproc UC { ip netns exec "$UD_R" "$NLTOOL" sessions 1 2; }
on_exit "kill $UC_PID"
read -r -t 10 line <&"${UC[0]}"
ktap_check "the UC license is used up: 2 phone-proxy sessions held ($line)" test "$line" = "held 2 refused 0"
refused0=$(ud_stat license_refused)
for i in 1 2 3; do
	client "hold$i" &
	eval "hold$i=\$!"
	sleep 1
done
usage()
{
	ip netns exec "$UD_R" "$UCPCTL" -j license show | jq -r ".usage[\"$1\"][\"$2\"]"
}
license_held()
{
	local mob

	for _ in $(seq 100); do
		mob=$(usage mobility in-use)
		[ "$mob" -eq 2 ] && [ "$(ud_stat license_refused)" -eq $((refused0 + 1)) ] && break
		sleep 0.2
	done
	ip netns exec "$UD_R" "$UCPCTL" license show | sed 's/^/# /'
	ip netns exec "$UD_R" "$UCPCTL" sessions show | sed 's/^/# /'
	[ "$mob" -eq 2 ] || fail_msg "mobility in use $mob, want 2" || return 1
	[ "$(usage phone-proxy in-use)" -eq 2 ] || fail_msg "phone-proxy in use $(usage phone-proxy in-use)" || return 1
	[ "$(usage mobility limit)" -eq 4 ] || fail_msg "mobility limit $(usage mobility limit), want the TLS limit 4"
}
ktap_check "2 mobility sessions in use beside a used-up UC license, limited by the TLS limit 4" license_held
ktap_check "the third refused by the TLS limit, in one log line" \
	grep -q "refused: no license session for mobility: mobility: all 4 TLS proxy sessions are in use" "$UD_DIR/log"
listed()
{
	local s

	s=$(ip netns exec "$UD_R" "$UCPCTL" -j sessions show)
	[ "$(jq '[.sessions[] | select(.app == "mobility")] | length' <<<"$s")" -eq 2 ] &&
		[ "$(jq '[.sessions[] | select(.app == "phone-proxy")] | length' <<<"$s")" -eq 2 ] ||
		fail_msg "$s"
}
ktap_check "ucpctl sessions show lists each session with its application" listed
for i in 1 2 3; do
	# each says bye, the server ends it; the refused one waits no more
	touch "$UD_DIR/release-hold$i" "$UD_DIR/closed-hold$i"
done
echo done >&"${UC[1]}"
for i in 1 2 3; do
	eval "wait \$hold$i"
done

# Scale: N concurrent mobility connections, an MMP message each way.
ip netns exec "$UD_R" "$UCPCTL" license set model asa5580 uc 5000 >/dev/null &&
	ip netns exec "$UD_R" "$UCPCTL" license tls-limit $((N + 100)) >/dev/null || exit $KSFT_FAIL
for _ in $(seq 50); do
	[ "$(ud_stat active)" -eq 0 ] && break
	sleep 0.2
done
ud_many python3 "$PEER" many "$UD_DIR" "$N"
start=$SECONDS
ud_many_line 400
ktap_diag "$UD_MANY after $((SECONDS - start)) s"
active=$(ud_stat active)
in_use=$(ud_in_use mobility)
ktap_check "$N concurrent mobility connections held ($UD_MANY; active $active, mobility in use $in_use)" \
	test "$UD_MANY" = "held $N" -a "$active" -eq "$N" -a "$in_use" -eq "$N"
# The classes the UC license counts (DESIGN.md rule 1): none in use.
uc_use=$(($(ud_in_use phone-proxy) + $(ud_in_use tls-proxy) + $(ud_in_use presence-fed)))
ktap_check "no UC license use beside them (phone-proxy, tls-proxy, presence-fed in use: $uc_use)" \
	test "$uc_use" -eq 0
ud_many_go
ud_many_line 120
ktap_check "all of them still carry MMP ($UD_MANY)" test "$UD_MANY" = "alive $N"
ktap_check "closed: no connection left, every mobility session released" \
	ud_many_closed mobility

[ "$_ktap_failed" -eq 0 ] || sed 's/^/# agent: /' "$UD_DIR/log" | grep -v relaying | tail -20
ktap_finish
