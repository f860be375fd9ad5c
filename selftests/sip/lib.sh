# SPDX-License-Identifier: GPL-2.0
# Shared by sip_call.sh and sip_compare.sh (source after ../lib.sh): the
# NAT router topology, the SIP helper under test bound with nft ct helper
# objects, kamailio, the capture.
#
#  NS_A inside phone     NS_R router                        NS_S server ("the internet")   NS_B outside phone
#  a0 10.0.1.2 ------ r_in 10.0.1.1 | r_out 192.0.2.1 ---- s_r 192.0.2.2 | s_b 198.51.100.1 ---- b0 198.51.100.2
#     fd00:1::2          fd00:1::1  | 2001:db8:2::1          2001:db8:2::2 | 2001:db8:3::1           2001:db8:3::2
#                    masquerade on r_out (IPv4, NAT66)  kamailio on 192.0.2.2, 2001:db8:2::2; routes
#
# The router's default route points to NS_S, which routes between the
# router's segment and the outside phone's; nothing outside has a route to
# the inside prefixes, so a private address leaking out of the router
# cannot work. No bridge (the debug kernel has none).

SIP_DIR=$UCP_SELFTESTS/sip
KAM_MODDIR=${KAM_MODDIR:-/usr/lib/x86_64-linux-gnu/kamailio/modules}

IN4=10.0.1.2 RIN4=10.0.1.1 ROUT4=192.0.2.1 KAM4=192.0.2.2 SB4=198.51.100.1 B4=198.51.100.2
IN6=fd00:1::2 RIN6=fd00:1::1 ROUT6=2001:db8:2::1 KAM6=2001:db8:2::2 SB6=2001:db8:3::1 B6=2001:db8:3::2
export IN4 ROUT4 KAM4 B4 IN6 ROUT6 KAM6 B6

# sip_need_tools: print what is missing (empty when all is there).
sip_need_tools()
{
	local t absent=()

	for t in kamailio baresip tshark tcpdump conntrack nft python3; do
		command -v "$t" >/dev/null 2>&1 || absent+=("$t")
	done
	[ -d "$KAM_MODDIR" ] || absent+=("kamailio modules ($KAM_MODDIR)")
	[ -e /usr/lib/baresip/modules/ctrl_tcp.so ] || absent+=("baresip ctrl_tcp module")
	echo "${absent[*]}"
}

# sip_topology: the four namespaces, addresses, routes, NAT. Sets NS_A,
# NS_R, NS_S, NS_B and SIP_TMP.
sip_topology()
{
	local ns

	SIP_TMP=$(mktemp -d /tmp/ucp-sip.XXXXXX) || return 1
	chmod 755 "$SIP_TMP"
	on_exit "rm -rf $SIP_TMP"
	netns_new NS_A && netns_new NS_R && netns_new NS_S && netns_new NS_B ||
		return 1
	# No duplicate address detection: addresses usable at once (and the
	# global ones are added "nodad" too).
	for ns in "$NS_A" "$NS_B"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 || return 1
	done
	for ns in "$NS_R" "$NS_S"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1 || return 1
	done
	# One ip process per namespace (each process start is slow in the
	# emulated guest).
	ip -n "$NS_A" -b - <<-EOF &&
	link add a0 type veth peer name r_in netns $NS_R
	addr add $IN4/24 dev a0
	addr add $IN6/64 dev a0 nodad
	link set a0 up
	route add default via $RIN4
	route add default via $RIN6
	EOF
	ip -n "$NS_R" -b - <<-EOF &&
	link add r_out type veth peer name s_r netns $NS_S
	addr add $RIN4/24 dev r_in
	addr add $RIN6/64 dev r_in nodad
	addr add $ROUT4/24 dev r_out
	addr add $ROUT6/64 dev r_out nodad
	link set r_in up
	link set r_out up
	route add default via $KAM4
	route add default via $KAM6
	EOF
	ip -n "$NS_B" -b - <<-EOF &&
	link add b0 type veth peer name s_b netns $NS_S
	addr add $B4/24 dev b0
	addr add $B6/64 dev b0 nodad
	link set b0 up
	route add default via $SB4
	route add default via $SB6
	EOF
	ip -n "$NS_S" -b - <<-EOF || return 1
	addr add $KAM4/24 dev s_r
	addr add $KAM6/64 dev s_r nodad
	addr add $SB4/24 dev s_b
	addr add $SB6/64 dev s_b nodad
	link set s_r up
	link set s_b up
	EOF
	# Masquerade on the way out, IPv4 and (NAT66) IPv6.
	ip netns exec "$NS_R" nft -f - <<-EOF || return 1
	table inet ucp_nat {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "r_out" masquerade
		}
	}
	EOF
	# Counters per conntrack, for the media checks.
	ip netns exec "$NS_R" sysctl -qw net.netfilter.nf_conntrack_acct=1
}

# sip_helper_prepare HELPER: make the helper's modules available. For the
# kernel's "sip" helper: nf_conntrack_sip (which nft would autoload) and
# nf_nat_sip (which nothing autoloads: without it the helper tracks but
# never rewrites). sip_direct_media=0: the media peer is not the signalling
# peer when a proxy sits in between (see Documentation/testing.md).
# For "ucp-sip": the module under test. "none": no helper at all.
sip_helper_prepare()
{
	case $1 in
	sip)
		# Module parameters are global: only ever changed in a guest.
		[ -d /run/vmtest ] || return 0
		modprobe nf_conntrack_sip sip_direct_media=0 &&
		modprobe nf_nat_sip || return 1
		echo 0 >/sys/module/nf_conntrack_sip/parameters/sip_direct_media
		;;
	ucp-sip)
		if ! module_loaded; then
			module_load || return 1
			on_exit sip_module_unload
		fi
		;;
	esac
}

# sip_module_unload: the helper objects of the router's namespace hold the
# module: delete the namespaces first (their teardown is asynchronous).
sip_module_unload()
{
	local ns i

	for ns in "${_ucp_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	for ((i = 0; i < 50; i++)); do
		module_unload 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# sip_helper_bind HELPER: bind HELPER to SIP (5060, UDP and TCP) in the
# router. Fails, with the reason on stderr, when the helper does not exist.
sip_helper_bind()
{
	[ "$1" != none ] || return 0
	ip netns exec "$NS_R" nft -f - <<-EOF
	table inet ucp_helper {
		ct helper sip_udp {
			type "$1" protocol udp
			l3proto inet
		}
		ct helper sip_tcp {
			type "$1" protocol tcp
			l3proto inet
		}
		chain pre {
			type filter hook prerouting priority filter; policy accept;
			udp dport 5060 ct state new ct helper set "sip_udp"
			tcp dport 5060 ct state new ct helper set "sip_tcp"
		}
	}
	EOF
}

sip_helper_unbind()
{
	ip netns exec "$NS_R" nft delete table inet ucp_helper 2>/dev/null
	ip netns exec "$NS_R" conntrack -F >/dev/null 2>&1
	ip netns exec "$NS_R" conntrack -F expect >/dev/null 2>&1
	true
}

# sip_capture_start NAME: capture on the router's outside interface into
# $SIP_TMP/NAME.pcap until sip_capture_stop.
sip_capture_start()
{
	local i

	: >"$SIP_TMP/$1.tcpdump.log"
	ip netns exec "$NS_R" tcpdump -Z root -i r_out -n -s 0 -U \
		-w "$SIP_TMP/$1.pcap" >"$SIP_TMP/$1.tcpdump.log" 2>&1 &
	SIP_CAP_PID=$!
	on_exit "kill $SIP_CAP_PID"
	for ((i = 0; i < 300; i++)); do
		[[ $(<"$SIP_TMP/$1.tcpdump.log") == *"listening on"* ]] && return 0
		sleep 0.1
	done
	fail_msg "tcpdump did not start: $(cat "$SIP_TMP/$1.tcpdump.log")"
}

sip_capture_stop()
{
	sleep 0.3
	kill "$SIP_CAP_PID" 2>/dev/null
	wait "$SIP_CAP_PID" 2>/dev/null
	true
}

# --- kamailio ----------------------------------------------------------------

kamailio_start()
{
	local i

	mkdir -p "$SIP_TMP/kamailio"
	: >"$SIP_TMP/kamailio.log"
	# -DD: no daemon, -E: log to stderr, -m/-M: small shared and private
	# memory (the defaults are sized for a server), -P/-Y: pid file and
	# runtime directory somewhere writable (not /run/kamailio).
	ip netns exec "$NS_S" kamailio -f "$SIP_DIR/kamailio.cfg" -L "$KAM_MODDIR" \
		-DD -E -m 32 -M 8 -n 2 -N 2 -a no \
		-P "$SIP_TMP/kamailio/kamailio.pid" -Y "$SIP_TMP/kamailio" \
		-l "udp:$KAM4:5060" -l "tcp:$KAM4:5060" \
		-l "udp:[$KAM6]:5060" -l "tcp:[$KAM6]:5060" \
		>"$SIP_TMP/kamailio.log" 2>&1 &
	KAM_PID=$!
	on_exit "kill $KAM_PID"
	# It prints its sockets, then "Aliases:", once they are all bound.
	for ((i = 0; i < 300; i++)); do
		[[ $(<"$SIP_TMP/kamailio.log") == *Aliases:* ]] && return 0
		kill -0 "$KAM_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail_msg "kamailio did not start: $(tail -5 "$SIP_TMP/kamailio.log")"
}
