#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# UCP_CMD_SIGNAL_INSPECT, the TLS agent's way into the SIP path: a message
# read from one proxied connection (the phone's) and written to another
# (toward the call manager) comes back with the phone's addresses replaced
# by the router's on the second connection, and its media expected there
# (the expectations, like the call's state, belong to the phone's leg, so
# that both directions of the dialog meet them); refusals name their
# reason; a BYE relayed the same way releases them; bad requests fail with
# one extack line.
source "$(dirname "$0")/lib.sh"
require_root
require_nft_objref

ktap_plan 8
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

netns_new NS
ip -n "$NS" addr add 192.0.2.1/24 dev lo
ip -n "$NS" addr add 10.9.0.1/24 dev lo
ip netns exec "$NS" nft -f - <<'EOF' || exit $KSFT_FAIL
table inet ucp {
	ct helper sip-tls { type "ucp-sip-tls" protocol tcp; }
	chain out {
		type filter hook output priority filter;
		tcp dport 5061 ct helper set "sip-tls"
	}
}
EOF

# The two legs ucproxyd would hold: phone 192.0.2.10:41000 -> router
# 192.0.2.1:5061, and router 10.9.0.1:40000 -> call manager 10.9.0.2:5061
# (addresses on lo; the call manager leg is tracked with the helper), plus
# one connection without the helper.
ip -n "$NS" addr add 192.0.2.10/24 dev lo 2>/dev/null
ip -n "$NS" addr add 10.9.0.2/24 dev lo 2>/dev/null
READY=$(mktemp)
on_exit "rm -f $READY"
ip netns exec "$NS" python3 -c '
import socket, sys, time
conns = []
for (ca, cp), (sa, sp) in (((("192.0.2.10", 41000)), ("192.0.2.1", 5061)),
                           (("10.9.0.1", 40000), ("10.9.0.2", 5061)),
                           (("10.9.0.1", 40001), ("10.9.0.2", 5099))):
    l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((sa, sp)); l.listen(1)
    c = socket.socket(); c.bind((ca, cp)); c.connect((sa, sp))
    conns += [l, c, l.accept()[0]]
open(sys.argv[1], "w").write("ready\n")
time.sleep(120)
' "$READY" &
on_exit "kill $!"
for _ in $(seq 50); do [ -s "$READY" ] && break; sleep 0.1; done

FLOW="10.9.0.1 40000 10.9.0.2 5061"
PEER="192.0.2.10 41000 192.0.2.1 5061"
sdp=$'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\n'
invite=$'INVITE sip:cm@10.9.0.2:5061;transport=tls SIP/2.0\r\nVia: SIP/2.0/TLS 192.0.2.10:41000;branch=z9hG4bK1\r\nFrom: <sip:phone@192.0.2.10>;tag=1\r\nTo: <sip:cm@10.9.0.2>\r\nCall-ID: i1\r\nCSeq: 1 INVITE\r\nContact: <sip:phone@192.0.2.10:41000;transport=tls>\r\nContent-Type: application/sdp\r\n'"Content-Length: ${#sdp}"$'\r\n\r\n'"$sdp"

inspect()
{
	ip netns exec "$NS" "$NLTOOL" inspect tcp "$@"
}

WORK=$(mktemp -d)
on_exit "rm -rf $WORK"
printf '%s' "$invite" > "$WORK/invite"

# inspect_to FILE ARGS...: the message of a "forward" reply into FILE.
inspect_to()
{
	local file=$1 verdict

	shift
	inspect "$@" < "$WORK/invite" > "$WORK/reply" || return 1
	verdict=$(head -n 1 "$WORK/reply")
	[ "$verdict" = forward ] || fail_msg "$verdict" || return 1
	tail -n +2 "$WORK/reply" > "$file"
}

# Content-Length equals the body's length, byte for byte.
length_ok()
{
	python3 - "$1" <<'PY'
import re, sys
m = open(sys.argv[1], "rb").read()
head, _, body = m.partition(b"\r\n\r\n")
cl = int(re.search(rb"Content-Length: (\d+)", head).group(1))
sys.exit(0 if cl == len(body) else "Content-Length %d, body %d" % (cl, len(body)))
PY
}

relayed()
{
	local out=$WORK/relayed port

	inspect_to "$out" $FLOW $PEER || return 1
	! grep -q "192.0.2.10" "$out" || fail_msg "phone address left: $(cat "$out")" || return 1
	grep -q $'^Via: SIP/2.0/TLS 10.9.0.1:40000;' "$out" || fail_msg "Via: $(cat "$out")" || return 1
	grep -q "^Contact: <sip:phone@10.9.0.1:40000;" "$out" || fail_msg "Contact: $(cat "$out")" || return 1
	grep -q "^c=IN IP4 10.9.0.1" "$out" || fail_msg "c=: $(cat "$out")" || return 1
	length_ok "$out" || return 1
	port=$(sed -n 's/^m=audio \([0-9]*\) .*/\1/p' "$out")
	# RTP and RTCP toward the router's address on the call manager leg.
	ip netns exec "$NS" cat /proc/net/nf_conntrack_expect |
		grep -q "dst=10.9.0.1 sport=0 dport=$port " ||
		fail_msg "no expectation for 10.9.0.1:$port: $(ip netns exec "$NS" cat /proc/net/nf_conntrack_expect)"
}
ktap_check "relayed INVITE: phone's addresses become the router's, media expected" relayed

own_nat()
{
	inspect_to "$WORK/own" $FLOW || return 1
	cmp -s "$WORK/own" "$WORK/invite" || fail_msg "changed without NAT: $(cat "$WORK/own")" || return 1
	ip netns exec "$NS" cat /proc/net/nf_conntrack_expect |
		grep -q "dst=192.0.2.10 sport=0 dport=30000 " || fail_msg "stream's own port not expected"
}
ktap_check "without a peer flow the flow's own NAT (none) maps: unchanged, media expected" own_nat

refused()
{
	local out

	out=$(printf 'FOO\r\nContent-Length: 0\r\n\r\n' | inspect $FLOW $PEER)
	[ "$out" = "drop start_line" ] || fail_msg "$out"
}
ktap_check "a malformed message is refused with its reason" refused

# The call exists twice: relayed (state on the phone's leg) and seen with
# the flow's own NAT (state on the call manager's leg); a BYE each way ends
# both.
ktap_check "BYE releases the call's expectations, relayed and not" bash -c '
	bye="BYE sip:cm@10.9.0.2 SIP/2.0\r\nVia: SIP/2.0/TLS 192.0.2.10:41000;branch=z9hG4bK2\r\nFrom: <sip:phone@192.0.2.10>;tag=1\r\nTo: <sip:cm@10.9.0.2>;tag=2\r\nCall-ID: i1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"
	printf "$bye" | ip netns exec '"$NS"' '"$NLTOOL"' inspect tcp '"$FLOW $PEER"' >/dev/null &&
	ip netns exec '"$NS"' cat /proc/net/nf_conntrack_expect | grep -q "dst=192.0.2.10 sport=0 dport=30000 " &&
	! ip netns exec '"$NS"' cat /proc/net/nf_conntrack_expect | grep -q "dst=10.9.0.1 " &&
	printf "$bye" | ip netns exec '"$NS"' '"$NLTOOL"' inspect tcp '"$FLOW"' >/dev/null &&
	! ip netns exec '"$NS"' cat /proc/net/nf_conntrack_expect | grep -q ucp'

expect_error()
{
	local want=$1 out

	shift
	out=$(printf '%s' "$invite" | inspect "$@")
	grep -qE "^error -?[0-9]+: .*$want" <<<"$out" || fail_msg "got: $out"
}
ktap_check "unknown flow: ENOENT with extack" \
	expect_error "no tracked connection has this flow" 10.9.0.1 1 10.9.0.2 2
ktap_check "flow without a ucp-sip helper: refused with extack" \
	expect_error "flow has no ucp-sip helper" 10.9.0.1 40001 10.9.0.2 5099

two_messages()
{
	local out

	out=$(printf '%s%s' "$invite" "$invite" | inspect $FLOW $PEER)
	grep -qE "^error -?[0-9]+: .*exactly one whole SIP message" <<<"$out" || fail_msg "got: $out"
}
ktap_check "two messages in one request: refused" two_messages

n=$(ip netns exec "$NS" "$UCPCTL" -j show stats | jq -r '.counters["sip.messages"]')
ktap_check "inspected messages counted (sip.messages $n)" test "$n" -ge 3
ktap_finish
