#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The ucp-sip helper on a NAT router, driven by scripted endpoints
# (sip_nat.py): every embedded address rewritten to the router's, responses
# mapped back, media both ways through the ports the SDP announced, over
# UDP and TCP (whole, split across segments, two messages in one segment),
# IPv4 and IPv6; BYE releases expectations; malformed messages dropped and
# counted, or passed by the documented setting; the kernel's own SIP helper
# loaded beside it.
#
#   inside (10.0.1.2, fd00:1::2) -- router (masquerade) -- out (198.51.100.2,
#   2001:db8:100::2)
source "$(dirname "$0")/lib.sh"
require_root
require_nft_objref

TOOL="/usr/bin/python3 $UCP_SELFTESTS/sip_nat.py"
CASES=(udp-call udp-rtcp-attr udp-rtcp-mux udp-crypto udp-bye udp-register-inbound
	tcp-call tcp-split
	tcp-split-body tcp-large-split tcp-two-in-one tcp-split-slow)
# SIP_NAT_CASES="tcp-split ...": only those (while working on one).
[ -n "${SIP_NAT_CASES:-}" ] && read -r -a CASES <<<"$SIP_NAT_CASES"

ktap_plan $((2 * ${#CASES[@]} + 13))

# The kernel's SIP helper first: ours must register beside it.
modprobe nf_conntrack_sip 2>/dev/null
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

nat_topology || exit $KSFT_FAIL

ip netns exec "$RT" nft -f - <<'EOF' || exit $KSFT_FAIL
table inet ucp {
	ct helper sip-udp { type "ucp-sip" protocol udp; }
	ct helper sip-tcp { type "ucp-sip" protocol tcp; }
	chain pre {
		type filter hook prerouting priority filter;
		udp dport 5060 ct helper set "sip-udp"
		tcp dport 5060 ct helper set "sip-tcp"
	}
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "rt-out" meta nfproto ipv4 snat ip to 198.51.100.1
		oifname "rt-out" meta nfproto ipv6 snat ip6 to 2001:db8:100::1
	}
}
EOF

helper_objects()
{
	ip netns exec "$RT" nft list ruleset | grep -q 'type "ucp-sip" protocol tcp' ||
		fail_msg "no ucp-sip helper object: $(ip netns exec "$RT" nft list ruleset)"
}
ktap_check "ucp-sip helper objects created (nf_conntrack_sip loaded: $(test -d /sys/module/nf_conntrack_sip && echo yes || echo no))" \
	helper_objects
ktap_check "the shipped example ruleset loads" \
	ip netns exec "$RT" nft -c -f "$UCP_ROOT/Documentation/examples/ucp-sip.nft"

CAP=$(mktemp)
on_exit "rm -f $CAP"
capture_start "$RT" rt-out "port 5060" "$CAP" && TSHARK=$CAPTURE_PID

stat_of()
{
	ip netns exec "$RT" "$UCPCTL" -j show stats | jq -r ".counters[\"$1\"] // 0"
}

run_case()
{
	local line

	line=$($TOOL --inside "$IN" --out "$OUT" --rt "$RT" \
		--in4 10.0.1.2 --rt4 198.51.100.1 --out4 198.51.100.2 \
		--in6 fd00:1::2 --rt6 2001:db8:100::1 --out6 2001:db8:100::2 "$@" 2>&1 |
		grep '^RESULT' | tail -n 1)
	ktap_result "$line" "$*"
}

# ICMP "too big" the router sent: a rewritten or joined segment larger
# than the path and not cut by GSO would be refused with one.
too_big()
{
	ip netns exec "$RT" awk '/^Icmp:/ { if (!c) { for (i = 2; i <= NF; i++) if ($i == "OutDestUnreachs") c = i } else print $c }' /proc/net/snmp |
		{ read -r v4; echo $((v4 + $(ip netns exec "$RT" awk '$1 == "Icmp6OutPktTooBigs" { print $2 }' /proc/net/snmp6))); }
}
icmp_before=$(too_big)

for c in "${CASES[@]}"; do
	for f in 4 6; do
		run_case "$c" "$f"
	done
done

# Two inside phones, one outside media address (a second inside address for
# the second phone, only for this case: it would change IPv6's choice of
# source address for the others).
ip -n "$IN" addr add 10.0.1.3/24 dev in0 &&
	ip -n "$IN" addr add fd00:1::3/64 dev in0 nodad || exit $KSFT_FAIL
failed_before=$(stat_of sip.expect_failed)
run_case udp-two-phones 4
run_case udp-two-phones 6
failed=$(($(stat_of sip.expect_failed) - failed_before))
if [ "$failed" -ne 0 ]; then
	# Which expectations were there to clash with (the refused one is not).
	echo "# expectations at the router after the two-phones cases:"
	ip netns exec "$RT" conntrack -L expect 2>&1 | sed 's/^/#   /'
fi
ktap_check "two phones, one outside media address: every stream expected (sip.expect_failed +$failed)" \
	test "$failed" -eq 0
ip -n "$IN" addr del 10.0.1.3/24 dev in0
ip -n "$IN" addr del fd00:1::3/64 dev in0

ktap_check "given-up joins counted (sip.reassembly_abandoned $(stat_of sip.reassembly_abandoned))" \
	test "$(stat_of sip.reassembly_abandoned)" -ge 1
ooo=$(stat_of sip.out_of_order)
icmp=$(($(too_big) - icmp_before))
ktap_check "no segment refused by the path ($icmp ICMP too big) or out of order ($ooo)" \
	test "$icmp" -eq 0 -a "$ooo" -eq 0

msgs=$(stat_of sip.messages)
ktap_check "sip.messages counted ($msgs) and rewrites ($(stat_of sip.rewritten))" \
	test "$msgs" -gt 20 -a "$(stat_of sip.rewritten)" -gt 10
ktap_check "split messages reassembled ($(stat_of sip.reassembled))" \
	test "$(stat_of sip.reassembled)" -ge 4

before=$(stat_of sip.bad_start_line)
run_case udp-garbage 4 --expect dropped
ktap_check "malformed message counted by reason (sip.bad_start_line)" \
	test "$(stat_of sip.bad_start_line)" -eq $((before + 1))
echo 1 > /sys/module/ucproxy/parameters/sip_pass_malformed
run_case udp-garbage 4 --expect passed
echo 0 > /sys/module/ucproxy/parameters/sip_pass_malformed

if [ -n "${TSHARK:-}" ]; then
	sleep 1
	kill -INT "$TSHARK"
	wait "$TSHARK" 2>/dev/null
	# Every SIP message the router sent out parses, none malformed, and
	# none carries an inside address (but the ones of tcp-split-slow,
	# passed unchanged on purpose).
	tsh()
	{
		tshark -r "$CAP" -o tcp.desegment_tcp_streams:TRUE "$@" 2>/dev/null
	}
	n=$(tsh -Y "sip && ip.src==198.51.100.1 || sip && ipv6.src==2001:db8:100::1" | wc -l)
	bad=$(tsh -Y "_ws.malformed || _ws.expert.severity == error" | wc -l)
	leak=$(tsh -Y 'sip && (ip.src==198.51.100.1 || ipv6.src==2001:db8:100::1) && (sip contains "10.0.1.2" || sip contains "fd00:1::2" || sdp contains "10.0.1.2" || sdp contains "fd00:1::2") && !(sip.Call-ID contains "slow")' | wc -l)
	ktap_check "tshark: $n SIP messages from the router parse ($bad malformed), no inside address ($leak)" \
		test "$n" -ge 20 -a "$bad" -eq 0 -a "$leak" -eq 0
else
	ktap_skip "tshark is not installed"
fi
ktap_finish
