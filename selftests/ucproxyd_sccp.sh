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
# onward). Peers: Python's ssl module; the messages are sccp_relay.py's
# (sccp_nat.py's builders, header version 0x11).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
require_root
require_nft_objref

ktap_plan 11
ud_setup || exit $KSFT_FAIL

ud_tls_helper ucp-sccp-tls "2443, 2444" "2000, 2443" || exit $KSFT_FAIL

# TLS onward, and plain TCP to a non-secure call manager.
ud_inspect_conf sccp "sccp 192.0.2.1:2443 10.9.0.2:2443" \
	"sccp-plain 192.0.2.1:2444 plain:10.9.0.2:2000" >"$UD_DIR/ucproxyd.conf"

# The call manager: logs every message ("id length hex", a file per port);
# after the phone's KeepAlive, once $UD_DIR/close exists, sends
# CloseReceiveChannel.
cat > "$UD_DIR/cm.py" <<'EOF'
import os, socket, ssl, sys, threading, time
d = sys.argv[1]
sys.path.insert(0, sys.argv[2])
from sccp_relay import CLOSE, read_msg
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(d + "/cucm.pem", d + "/cucm.key")
def serve(c, port):
    buf = b""
    while True:
        r = read_msg(c, buf)
        if r is None:
            c.close()  # the agent passed the phone's end on: end ours
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
    port = ls.getsockname()[1]
    while True:
        s, _ = ls.accept()
        c = ctx.wrap_socket(s, server_side=True) if tls else s
        threading.Thread(target=serve, args=(c, port), daemon=True).start()
tls_ls = socket.create_server(("10.9.0.2", 2443))
plain_ls = socket.create_server(("10.9.0.2", 2000))
threading.Thread(target=accept, args=(plain_ls, False), daemon=True).start()
open(d + "/cm.ready", "w").close()
accept(tls_ls, True)
EOF
ud_server "$UD_DIR/cm.ready" python3 "$UD_DIR/cm.py" "$UD_DIR" "$UCP_SELFTESTS"

# The phone: the ack in two records, then the refused message and a
# KeepAlive in one; prints every message that comes back until the close.
cat > "$UD_DIR/phone.py" <<'EOF'
import socket, ssl, sys, time
d, port = sys.argv[1], int(sys.argv[3])
sys.path.insert(0, sys.argv[2])
from sccp_relay import ACK, BADKEY, CLOSE, KEEPALIVE, read_msg
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

# relay_run PORT CM_PORT: one phone connection; the expectations in the router
# while the call manager holds its close ($UD_DIR/exp-PORT) and after it.
relay_run()
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
sys.path.insert(0, sys.argv[2])
from sccp_relay import ACK
b = bytes.fromhex(sys.argv[1])
print(socket.inet_ntoa(b[20:24]), struct.unpack_from("<I", b, 36)[0], len(b), len(ACK))' \
		"$hex" "$UCP_SELFTESTS")"
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

# relay_checks PORT CM_PORT WHAT: one phone connection, and what the call
# manager, the phone and the router's expectations show of it.
relay_checks()
{
	relay_run "$1" "$2"
	ktap_check "$3: OpenReceiveChannelAck in two TLS records, the router's address for the call manager, media expected" \
		ack_rewritten "$2" "$1"
	ktap_check "$3: a refused message is dropped, the KeepAlive in the same record goes on" \
		dropped_not_seen "$2"
	ktap_check "$3: CloseReceiveChannel reaches the phone as sent, the expectation released" \
		closed "$1"
}

# agent_counts INSPECTED DROPPED: the agent's counters.
agent_counts()
{
	local n d

	n=$(ud_stat inspected)
	d=$(ud_stat inspect_dropped)
	[ "$n" -eq "$1" ] && [ "$d" -eq "$2" ] ||
		fail_msg "inspected $n (want $1), dropped $d (want $2)"
}

relay_checks 2443 2443 "TLS onward"
ktap_check "agent counters: 3 messages inspected, 1 dropped" agent_counts 3 1
ktap_check "kTLS on both legs" test "$(ud_stat legs_ktls)" -ge 2
ktap_check "the kernel parsed them (sccp.messages $(stat_of sccp.messages), sccp.bad_key $(stat_of sccp.bad_key))" \
	test "$(stat_of sccp.messages)" -ge 3 -a "$(stat_of sccp.bad_key)" -eq 1

relay_checks 2444 2000 "plain TCP onward (server-tls off)"
ktap_check "agent counters after both: 6 inspected, 2 dropped" agent_counts 6 2

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
