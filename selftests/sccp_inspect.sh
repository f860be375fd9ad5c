#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# UCP_CMD_SIGNAL_INSPECT for SCCP (UCP_A_PROTO sccp), the TLS agent's way
# into the SCCP path (port 2443): an OpenReceiveChannelAck read from the
# phone's connection and written to the call manager's comes back with the
# phone's address and port replaced by the router's on the second
# connection, its media expected on that connection's conntrack; a
# malformed message is refused with its reason; bad requests fail with one
# extack line; CloseReceiveChannel releases the expectations.
source "$(dirname "$0")/lib.sh"
require_root
require_nft_objref

ktap_plan 7
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

netns_new NS
ip -n "$NS" addr add 192.0.2.1/24 dev lo
ip -n "$NS" addr add 10.9.0.1/24 dev lo
ip -n "$NS" addr add 192.0.2.10/24 dev lo 2>/dev/null
ip -n "$NS" addr add 10.9.0.2/24 dev lo 2>/dev/null
ip netns exec "$NS" nft -f - <<'NFT' || exit $KSFT_FAIL
table inet ucp {
	ct helper sccp-tls { type "ucp-sccp-tls" protocol tcp; }
	chain out {
		type filter hook output priority filter;
		tcp dport 2443 ct helper set "sccp-tls"
	}
}
NFT

# The two legs ucproxyd would hold: phone 192.0.2.10:41000 -> router
# 192.0.2.1:2443, and router 10.9.0.1:40000 -> call manager 10.9.0.2:2443
# (tracked with the helper), plus one connection without it.
READY=$(mktemp)
on_exit "rm -f $READY"
ip netns exec "$NS" python3 -c '
import socket, sys, time
conns = []
for (ca, cp), (sa, sp) in ((("192.0.2.10", 41000), ("192.0.2.1", 2443)),
                           (("10.9.0.1", 40000), ("10.9.0.2", 2443)),
                           (("10.9.0.1", 40001), ("10.9.0.2", 2099))):
    l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((sa, sp)); l.listen(1)
    c = socket.socket(); c.bind((ca, cp)); c.connect((sa, sp))
    conns += [l, c, l.accept()[0]]
open(sys.argv[1], "w").write("ready\n")
time.sleep(120)
' "$READY" &
on_exit "kill $!"
for _ in $(seq 50); do [ -s "$READY" ] && break; sleep 0.1; done

FLOW="10.9.0.1 40000 10.9.0.2 2443"
PEER="192.0.2.10 41000 192.0.2.1 2443"
# The call manager's messages go the other way: read from its leg, written
# to the phone's (each tuple in the direction the message goes).
TO_PHONE="192.0.2.1 2443 192.0.2.10 41000"
FROM_CM="10.9.0.2 2443 10.9.0.1 40000"
WORK=$(mktemp -d)
on_exit "rm -rf $WORK"

# The messages (sccp_relay.py: sccp_nat.py's builders, version 0x11), in $WORK.
python3 "$UCP_SELFTESTS/sccp_relay.py" "$WORK" || exit $KSFT_FAIL

inspect()
{
	ip netns exec "$NS" "$NLTOOL" inspect sccp tcp "$@"
}

# The address and port of an OpenReceiveChannelAck (typed form).
ack_fields()
{
	python3 -c '
import socket, struct, sys
b = open(sys.argv[1], "rb").read()
print(socket.inet_ntoa(b[20:24]), struct.unpack_from("<I", b, 36)[0])' "$1"
}

relayed()
{
	local addr port

	inspect $FLOW $PEER < "$WORK/ack" > "$WORK/reply" || return 1
	[ "$(head -n 1 "$WORK/reply")" = forward ] || fail_msg "$(head -n 1 "$WORK/reply")" || return 1
	tail -n +2 "$WORK/reply" > "$WORK/out"
	read -r addr port <<<"$(ack_fields "$WORK/out")"
	[ "$addr" = 10.9.0.1 ] || fail_msg "address $addr, not the router's" || return 1
	[ "$(stat -c %s "$WORK/out")" = "$(stat -c %s "$WORK/ack")" ] || fail_msg "length changed" || return 1
	ip netns exec "$NS" cat /proc/net/nf_conntrack_expect |
		grep -q "dst=10.9.0.1 sport=0 dport=$port .*ucp-sccp" ||
		fail_msg "no expectation for 10.9.0.1:$port: $(ip netns exec "$NS" cat /proc/net/nf_conntrack_expect)"
}
ktap_check "relayed OpenReceiveChannelAck: the phone's address and port become the router's, media expected" relayed

closed()
{
	inspect $TO_PHONE $FROM_CM < "$WORK/close" | grep -q '^forward' || return 1
	! ip netns exec "$NS" cat /proc/net/nf_conntrack_expect | grep -q ucp-sccp ||
		fail_msg "left: $(ip netns exec "$NS" cat /proc/net/nf_conntrack_expect)"
}
ktap_check "CloseReceiveChannel releases the party's expectations" closed

refused()
{
	local out

	out=$(inspect $FLOW $PEER < "$WORK/badkey")
	[ "$out" = "drop key" ] || fail_msg "$out"
}
ktap_check "a key info with a key over 16 bytes is refused with its reason" refused

expect_error()
{
	local file=$1 want=$2 out

	shift 2
	out=$(inspect "$@" < "$WORK/$file")
	grep -qE "^error -?[0-9]+: .*$want" <<<"$out" || fail_msg "got: $out"
}
ktap_check "flow without a ucp-sccp helper: refused with extack" \
	expect_error ack "flow has no ucp-sccp helper" 10.9.0.1 40001 10.9.0.2 2099
ktap_check "two messages in one request: refused" \
	expect_error two "exactly one whole SCCP message" $FLOW
ktap_check "SIP is still told apart: an SCCP message as SIP is refused" \
	bash -c "ip netns exec $NS $NLTOOL inspect sip tcp $FLOW < $WORK/ack | grep -q 'exactly one whole SIP message'"

stat_of()
{
	ip netns exec "$NS" "$UCPCTL" -j show stats | jq -r ".counters[\"$1\"] // 0"
}
# Parsed: the ack and the close; refused: the bad key, under its reason.
ktap_check "inspected messages counted (sccp.messages $(stat_of sccp.messages), sccp.bad_key $(stat_of sccp.bad_key))" \
	test "$(stat_of sccp.messages)" -eq 2 -a "$(stat_of sccp.bad_key)" -eq 1
ktap_finish
