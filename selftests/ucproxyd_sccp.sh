#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SCCP over TLS through ucproxyd with inspection in the kernel (inspect =
# sccp): the agent frames the phone's stream with the kernel's own
# ucp_sccp_frame() and hands each whole message to UCP_CMD_SIGNAL_INSPECT
# (UCP_A_PROTO sccp) with the flows of both legs, which carry the
# ucp-sccp-tls helper (assigned by nft). An OpenReceiveChannelAck split
# across two TLS records reaches the call manager with the router's
# address in place of the phone's, its media expected on the router; a
# message the parser refuses (a key over 16 bytes) is dropped and counted,
# and the KeepAlive written in the same record still passes; the call
# manager's CloseReceiveChannel reaches the phone and releases the
# expectation. Then the same toward a non-secure call manager (plain TCP
# onward). Peers: Python's ssl module, messages from sccp_nat.py's
# builders (header version 0x11).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
require_root
require_nft_objref

ktap_plan 11
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload
modprobe tls 2>/dev/null

ud_topology || exit $KSFT_FAIL
ud_certs || { ktap_diag "certificates"; exit $KSFT_FAIL; }
ud_license || exit $KSFT_FAIL

ip netns exec "$UD_R" nft -f - <<'EOF' || exit $KSFT_FAIL
table inet ucp {
	ct helper sccp-tls { type "ucp-sccp-tls" protocol tcp; }
	chain pre {
		type filter hook prerouting priority filter;
		tcp dport { 2443, 2444 } ct helper set "sccp-tls"
	}
	chain out {
		type filter hook output priority filter;
		tcp dport { 2000, 2443 } ct helper set "sccp-tls"
	}
}
EOF

cat > "$UD_DIR/ucproxyd.conf" <<EOF
[global]
stats-file = $UD_DIR/stats

[listener sccp]
application = tls-proxy
listen = 192.0.2.1:2443
server = 10.9.0.2:2443
inspect = sccp
certificate = $UD_DIR/proxy.pem
key = $UD_DIR/proxy.key
client-auth = off
client-role = none
server-ca = $UD_DIR/ca.pem

# A non-secure call manager: TLS from the phone, plain TCP onward.
[listener sccp-plain]
application = phone-proxy
listen = 192.0.2.1:2444
server = 10.9.0.2:2000
server-tls = off
inspect = sccp
certificate = $UD_DIR/proxy.pem
key = $UD_DIR/proxy.key
client-auth = off
EOF

# The messages both peers use (imported with sccp_nat.py on the path).
cat > "$UD_DIR/msgs.py" <<'EOF'
import sccp_nat as s


class A:
    pass


a = A()
a.in4, a.rt4, a.out4, a.far4 = "192.0.2.10", "10.9.0.1", "10.9.0.2", "198.51.100.3"
a.in6 = a.rt6 = a.out6 = a.far6 = "::1"
net = s.Net(a, 4)
orc = s.orc(0x11, net)
ACK = s.orc_ack(0x11, net, 30000)
BADKEY = orc[:12 + 32] + bytes([17]) + orc[12 + 33:]	# key length 17
KEEPALIVE = s.msg(0x11, 0x0000, b"")
CLOSE = s.stop_close(0x11, s.CLOSE)


def read_msg(c, buf):
    """One whole message of the stream: (id, raw, rest); None at the end."""
    while len(buf) < 4 or len(buf) < int.from_bytes(buf[:4], "little") + 8:
        data = c.recv(65536)
        if not data:
            return None
        buf += data
    n = int.from_bytes(buf[:4], "little") + 8
    return int.from_bytes(buf[8:12], "little"), buf[:n], buf[n:]
EOF

# The call manager: logs every message ("id length hex", one file per
# port); after the phone's KeepAlive, once $UD_DIR/close exists, sends
# CloseReceiveChannel.
cat > "$UD_DIR/cm.py" <<'EOF'
import os, socket, ssl, sys, threading, time
d = sys.argv[1]
sys.path[:0] = [d, sys.argv[2]]
from msgs import CLOSE, read_msg
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(d + "/cucm.pem", d + "/cucm.key")
def serve(c, port):
    buf = b""
    while True:
        r = read_msg(c, buf)
        if r is None:
            return
        mid, raw, buf = r
        with open("%s/cm-%d.log" % (d, port), "a") as f:
            f.write("%04x %d %s\n" % (mid, len(raw), raw.hex()))
        if mid == 0x0000:
            for _ in range(200):
                if os.path.exists(d + "/close"):
                    break
                time.sleep(0.05)
            c.sendall(CLOSE)
def accept(ls, tls):
    while True:
        s, _ = ls.accept()
        port = ls.getsockname()[1]
        c = ctx.wrap_socket(s, server_side=True) if tls else s
        threading.Thread(target=serve, args=(c, port), daemon=True).start()
tls_ls = socket.create_server(("10.9.0.2", 2443))
plain_ls = socket.create_server(("10.9.0.2", 2000))
threading.Thread(target=accept, args=(plain_ls, False), daemon=True).start()
open(d + "/cm.ready", "w").close()
accept(tls_ls, True)
EOF
ip netns exec "$UD_S" python3 "$UD_DIR/cm.py" "$UD_DIR" "$UCP_SELFTESTS" &
on_exit "kill $!"
for _ in $(seq 100); do
	[ -e "$UD_DIR/cm.ready" ] && break
	sleep 0.1
done

# The phone: the ack in two records, then the refused message and a
# KeepAlive in one; prints every message that comes back until the close.
cat > "$UD_DIR/phone.py" <<'EOF'
import socket, ssl, sys, time
d, port = sys.argv[1], int(sys.argv[3])
sys.path[:0] = [d, sys.argv[2]]
from msgs import ACK, BADKEY, CLOSE, KEEPALIVE, read_msg
ctx = ssl.create_default_context(cafile=d + "/ca.pem")
ctx.check_hostname = False
c = ctx.wrap_socket(socket.create_connection(("192.0.2.1", port), timeout=20))
c.sendall(ACK[:7])
time.sleep(0.3)
c.sendall(ACK[7:])
c.sendall(BADKEY + KEEPALIVE)
buf = b""
while True:
    r = read_msg(c, buf)
    if r is None:
        print("EOF")
        break
    mid, raw, buf = r
    print("got %04x %d %s" % (mid, len(raw), "intact" if raw == CLOSE else raw.hex()))
    if mid == 0x0106:
        break
EOF

ud_start "$UD_DIR/ucproxyd.conf" || exit $KSFT_FAIL

expectations()
{
	ip netns exec "$UD_R" cat /proc/net/nf_conntrack_expect
}

# run PORT CM_PORT: one phone connection; the expectations in the router
# while the call manager holds its close ($UD_DIR/exp-PORT) and after it.
run()
{
	local port=$1 cm=$2

	rm -f "$UD_DIR/close"
	ip netns exec "$UD_C" timeout 20 python3 "$UD_DIR/phone.py" "$UD_DIR" \
		"$UCP_SELFTESTS" "$port" >"$UD_DIR/phone-$port.out" 2>&1 &
	local phone=$!
	for _ in $(seq 100); do
		grep -q '^0000 ' "$UD_DIR/cm-$cm.log" 2>/dev/null && break
		sleep 0.1
	done
	expectations >"$UD_DIR/exp-$port"
	touch "$UD_DIR/close"
	wait "$phone"
	for _ in $(seq 20); do
		expectations | grep -q ucp-sccp || break
		sleep 0.1
	done
	expectations >"$UD_DIR/exp-after-$port"
	ktap_diag "phone $port: $(tr '\n' ' ' <"$UD_DIR/phone-$port.out" | head -c 300)"
}

# The ack as the call manager read it: the router's address and port
# (typed field at 20, port at 36), the same length as the phone sent.
ack_rewritten()
{
	local log=$UD_DIR/cm-$1.log hex addr port len sent

	hex=$(awk '$1 == "0022" { print $3; exit }' "$log" 2>/dev/null)
	[ -n "$hex" ] || fail_msg "no OpenReceiveChannelAck reached the call manager" || return 1
	read -r addr port len sent <<<"$(python3 -c '
import socket, struct, sys
sys.path[:0] = sys.argv[2:4]
from msgs import ACK
b = bytes.fromhex(sys.argv[1])
print(socket.inet_ntoa(b[20:24]), struct.unpack_from("<I", b, 36)[0], len(b), len(ACK))' \
		"$hex" "$UD_DIR" "$UCP_SELFTESTS")"
	[ "$addr" = 10.9.0.1 ] || fail_msg "address $addr, not the router's" || return 1
	[ "$len" = "$sent" ] || fail_msg "length $len, sent $sent" || return 1
	grep -q "dst=10.9.0.1 sport=0 dport=$port .*ucp-sccp" "$UD_DIR/exp-$2" ||
		fail_msg "no expectation for 10.9.0.1:$port: $(cat "$UD_DIR/exp-$2")"
}

dropped_not_seen()
{
	local log=$UD_DIR/cm-$1.log

	! grep -q '^0105 ' "$log" || fail_msg "the refused OpenReceiveChannel reached the call manager" || return 1
	grep -q '^0000 12 ' "$log" || fail_msg "no KeepAlive after it: $(cut -c1-12 "$log")"
}

closed()
{
	grep -q '^got 0106 [0-9]* intact' "$UD_DIR/phone-$1.out" ||
		fail_msg "phone: $(cat "$UD_DIR/phone-$1.out")" || return 1
	! grep -q ucp-sccp "$UD_DIR/exp-after-$1" ||
		fail_msg "left: $(cat "$UD_DIR/exp-after-$1")"
}

stat_of()
{
	ip netns exec "$UD_R" "$UCPCTL" -j stats show | jq -r ".counters[\"$1\"] // 0"
}

run 2443 2443
ktap_check "OpenReceiveChannelAck in two TLS records: the router's address for the call manager, media expected" \
	ack_rewritten 2443 2443
ktap_check "a refused message is dropped, the KeepAlive in the same record goes on" \
	dropped_not_seen 2443
ktap_check "CloseReceiveChannel reaches the phone as sent and releases the expectation" \
	closed 2443
n=$(ud_stat inspected)
d=$(ud_stat inspect_dropped)
ktap_check "agent counters: inspected $n (want 3), dropped $d (want 1)" \
	test "$n" -eq 3 -a "$d" -eq 1
ktap_check "kTLS on both legs" test "$(ud_stat legs_ktls)" -ge 2
ktap_check "the kernel parsed them (sccp.messages $(stat_of sccp.messages), sccp.bad_key $(stat_of sccp.bad_key))" \
	test "$(stat_of sccp.messages)" -ge 3 -a "$(stat_of sccp.bad_key)" -eq 1

run 2444 2000
ktap_check "plain TCP onward (server-tls off): the ack rewritten for the call manager, media expected" \
	ack_rewritten 2000 2444
ktap_check "plain TCP onward: the refused message dropped, the KeepAlive passes" \
	dropped_not_seen 2000
ktap_check "plain TCP onward: CloseReceiveChannel back over TLS, expectation released" \
	closed 2444
n=$(ud_stat inspected)
d=$(ud_stat inspect_dropped)
ktap_check "agent counters after both: inspected $n (want 6), dropped $d (want 2)" \
	test "$n" -eq 6 -a "$d" -eq 2
sessions_back()
{
	local n

	for _ in $(seq 50); do
		n=$(ip netns exec "$UD_R" "$UCPCTL" -j sessions show | jq '.sessions | length')
		[ "$n" -eq 0 ] && return 0
		sleep 0.1
	done
	fail_msg "$n license sessions still held"
}
ktap_check "license sessions all given back" sessions_back

[ "$_ktap_failed" -eq 0 ] || sed 's/^/# agent: /' "$UD_DIR/log" | tail -20
ktap_finish
