#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The ucp-sccp helper on a NAT router, driven by a scripted phone and call
# manager (sccp_nat.py): registration, a call's media messages with every
# embedded address and port rewritten to the router's, RTP both ways
# through the announced ports, teardown releasing the expectations; IPv4
# and IPv6, plain (before header version 0x11) and typed address fields,
# messages whole and split across segments, and sent again; tshark's Skinny dissector
# decodes every message the router sent out and finds the router's
# addresses in it, none of the inside.
#
#   inside phone (10.0.1.2, fd00:1::2) -- router (snat) -- call manager
#   (198.51.100.2, 2001:db8:100::2) and far phone (198.51.100.3,
#   2001:db8:100::3)
source "$(dirname "$0")/lib.sh"
require_root
require_nft_objref

# case family version
CASES=("call 4 0x00" "call 4 0x0b" "call 4 0x11" "call 6 0x11" "call 6 0x16"
	"split-header 4 0x00" "split-header 6 0x11" "repeat 4 0x11")

ktap_plan $((${#CASES[@]} + 6))

module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

sccp_nat_topology || exit $KSFT_FAIL

ktap_check "the shipped example ruleset loads" \
	ip netns exec "$RT" nft -c -f "$UCP_ROOT/Documentation/examples/ucp-sccp.nft"

CAP=$(mktemp)
on_exit "rm -f $CAP"
capture_start "$RT" rt-out "tcp port 2000" "$CAP" && TSHARK=$CAPTURE_PID

stat_of()
{
	ip netns exec "$RT" "$UCPCTL" -j show stats | jq -r ".counters[\"$1\"] // 0"
}

for c in "${CASES[@]}"; do
	set -- $c
	ktap_result "$(sccp_result sccp_nat.py --version "$3" "$1" "$2")" "$c"
done

n=${#CASES[@]}
ktap_check "sccp.messages ($(stat_of sccp.messages)) and sccp.rewritten ($(stat_of sccp.rewritten)) counted" \
	test "$(stat_of sccp.messages)" -ge $((8 * n)) -a "$(stat_of sccp.rewritten)" -ge $((3 * n))
ktap_check "RegisterAck passed as unknown ($(stat_of sccp.unknown)), keys seen ($(stat_of sccp.keys))" \
	test "$(stat_of sccp.unknown)" -ge "$n" -a "$(stat_of sccp.keys)" -ge $((2 * n))
ktap_check "split messages reassembled ($(stat_of sccp.reassembled)), none with a field already sent ($(stat_of sccp.split_unrewritten))" \
	test "$(stat_of sccp.reassembled)" -ge 2 -a "$(stat_of sccp.split_unrewritten)" -eq 0
ktap_check "expectations created ($(stat_of sccp.expectations)) and released ($(stat_of sccp.expect_released)), none failed ($(stat_of sccp.expect_failed))" \
	test "$(stat_of sccp.expectations)" -ge $((4 * n)) -a "$(stat_of sccp.expect_released)" -ge $((3 * n)) \
	-a "$(stat_of sccp.expect_failed)" -eq 0

if [ -n "${TSHARK:-}" ]; then
	sleep 1
	kill -INT "$TSHARK"
	wait "$TSHARK" 2>/dev/null
	tsh()
	{
		tshark -r "$CAP" -o tcp.desegment_tcp_streams:TRUE -d tcp.port==2000,skinny "$@" 2>/dev/null
	}
	from_rt="(ip.src==198.51.100.1 || ipv6.src==2001:db8:100::1)"
	# Every message the router sent: decoded, none malformed; the rewritten
	# ones (Register, both acks) show the router's address, none an inside one.
	all=$(tsh -Y "skinny && $from_rt" -T fields -e skinny.messageId | tr ',' '\n' | grep -c .)
	bad=$(tsh -Y "_ws.malformed || _ws.expert.severity == error" | wc -l)
	rt=$(tsh -Y "skinny && $from_rt" -T fields -e skinny.ipAddr.ipv4 -e skinny.ipAddr.ipv6 \
		-e skinny.transmitIpAddr.ipv4 -e skinny.transmitIpAddr.ipv6 -e skinny.stationIpAddr \
		-e skinny.stationIpV6Addr | tr '\t,' '\n\n' | grep -cE '^(198\.51\.100\.1|2001:db8:100::1)$')
	leak=$(tsh -Y "skinny && $from_rt" -T fields -e skinny.ipAddr.ipv4 -e skinny.ipAddr.ipv6 \
		-e skinny.transmitIpAddr.ipv4 -e skinny.transmitIpAddr.ipv6 -e skinny.stationIpAddr \
		-e skinny.stationIpV6Addr | tr '\t,' '\n\n' | grep -cE '^(10\.0\.1\.2|fd00:1::2)$')
	ktap_diag "$(tsh -Y "skinny && $from_rt" -T fields -e frame.number -e skinny.messageId | tr '\n\t' '; ')"
	ktap_check "tshark: $all Skinny messages from the router decode ($bad malformed), $rt router addresses, $leak inside ones" \
		test "$all" -ge $((3 * n)) -a "$bad" -eq 0 -a "$rt" -ge $((3 * n)) -a "$leak" -eq 0
else
	ktap_skip "tshark is not installed"
fi
ktap_finish
