#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ucproxyd in transparent mode, as a mobility proxy: the client connects
# to the server's own address; nft tproxy on the router steers the
# connection to the agent, which impersonates the server with its
# imported PKCS#12 (the client verifies the server's name and sees no
# difference), asks no client certificate, and connects onward to the
# original destination with a static client certificate. Mobility needs
# no UC license (8.2(2) on): it works with the UC license used up.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
require_root

ktap_plan 7
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload
modprobe tls 2>/dev/null

ud_topology || exit $KSFT_FAIL
ud_certs || { ktap_diag "certificates"; exit $KSFT_FAIL; }
ud_cert uma-client ca "/O=ucproxy test/CN=proxy client" || exit $KSFT_FAIL
# The server's own identity, exported for the proxy to impersonate it.
openssl pkcs12 -export -in "$UD_DIR/cucm.pem" -inkey "$UD_DIR/cucm.key" \
	-passout pass:s3cret -out "$UD_DIR/cucm.p12" || exit $KSFT_FAIL

ip netns exec "$UD_R" nft -f - <<'EOF' || exit $KSFT_FAIL
table ip ucproxyd {
	chain pre {
		type filter hook prerouting priority mangle;
		ip daddr 10.9.0.2 tcp dport 5061 tproxy to :15061 meta mark set 1 accept
	}
}
EOF
# Policy routing (CONFIG_IP_MULTIPLE_TABLES) delivers the marked packets locally.
ip -n "$UD_R" rule add fwmark 1 lookup 100 &&
	ip -n "$UD_R" route add local 0.0.0.0/0 dev lo table 100 ||
	{ ktap_diag "policy routing for tproxy failed: kernel without IP_MULTIPLE_TABLES?"; exit $KSFT_FAIL; }

cat > "$UD_DIR/ucproxyd.conf" <<EOF
[global]
stats-file = $UD_DIR/stats
idle-timeout = 3

[listener uma]
application = mobility
mode = transparent
listen = 0.0.0.0:15061
pkcs12 = $UD_DIR/cucm.p12
pkcs12-password = s3cret
client-certificate = $UD_DIR/uma-client.pem
client-key = $UD_DIR/uma-client.key
server-ca = $UD_DIR/ca.pem
# The peers speak lines of text, not MMP (ucproxyd_mmp.sh inspects it).
inspect = none
EOF

# A wrong PKCS#12 password is found at start, with file:line.
bad_p12()
{
	local err

	sed 's/^pkcs12-password = .*/pkcs12-password = wrong/' "$UD_DIR/ucproxyd.conf" \
		> "$UD_DIR/bad.conf"
	err=$("$UCPROXYD" -t -c "$UD_DIR/bad.conf" 2>&1 >/dev/null) && fail_msg "accepted" && return 1
	[ "$(wc -l <<<"$err")" -eq 1 ] || fail_msg "not one line: $err" || return 1
	grep -q "bad.conf:5: \[listener uma\] cannot decrypt or parse pkcs12" <<<"$err" ||
		fail_msg "$err"
}
ktap_check "a wrong PKCS#12 password is refused at start in one line with file:line" bad_p12

ip netns exec "$UD_S" openssl s_server -accept 10.9.0.2:$UD_PORT \
	-cert "$UD_DIR/cucm.pem" -key "$UD_DIR/cucm.key" -rev \
	-verify 1 -CAfile "$UD_DIR/ca.pem" >"$UD_DIR/server.log" 2>&1 &
on_exit "kill $!"
ud_listening $UD_PORT || exit $KSFT_FAIL
ud_start "$UD_DIR/ucproxyd.conf" || exit $KSFT_FAIL

ud_license || exit $KSFT_FAIL

# s_client -quiet stays after its input ends: the agent's idle timeout
# (3 s) ends the connection, and s_client with it.
out=$UD_DIR/client
start=$SECONDS
(printf 'to the server\n'; sleep 1) |
	timeout 20 ip netns exec "$UD_C" openssl s_client \
		-connect 10.9.0.2:$UD_PORT -CAfile "$UD_DIR/ca.pem" \
		-verify_hostname cucm -verify_return_error -quiet \
		>"$out" 2>"$out.err"
took=$((SECONDS - start))

ktap_check "relayed through the intercepting proxy" grep -q "revres eht ot" "$out"
ktap_check "the client saw the server's own certificate (impersonation by PKCS#12)" \
	grep -q "CN *= *cucm" "$out.err"
ktap_check "the server saw the proxy's static client certificate" \
	grep -q "proxy client" "$UD_DIR/server.log"
ktap_check "the agent accepted for the original destination 10.9.0.2:$UD_PORT" \
	grep -q "relaying to 10.9.0.2:$UD_PORT" "$UD_DIR/log"
idle=$(ud_stat timeout_idle)
ktap_check "closed by the idle timeout after ${took} s, counted ($idle) and logged" \
	bash -c "[ $took -lt 15 ] && [ $idle -eq 1 ] && grep -q 'closed: idle timeout' '$UD_DIR/log'"
peak=$(ip netns exec "$UD_R" "$UCPCTL" -j license show | jq -r '.usage["mobility"]["peak"]')
ktap_check "its license session was of the mobility class (peak $peak)" test "$peak" -eq 1

[ "$_ktap_failed" -eq 0 ] || sed 's/^/# agent: /' "$UD_DIR/log" | tail -20
ktap_finish
