#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest media benchmark: the SRTP->RTP forwarding rate of a router, lane by
# lane, measured side by side in one boot (run by `make bench` through
# scripts/vmtest; see Documentation/bench.md).
#
#  NS_S sender            NS_R router                          NS_C receiver
#  s0 192.0.2.2 ------ r_out 192.0.2.1 | r_in 10.0.1.1 ------ c0 10.0.1.2
#  rtpbench sends         the lane under test                  rtpbench receives
#
# Lanes (MEDIA_LANES, default "nat rtpengine ucproxy"):
#   nat        plain RTP, DNAT on the router (nft), no crypto: the baseline
#   rtpengine  SRTP in, RTP out through rtpengine's kernel module
#              (xt_RTPENGINE), the call set up over its ng protocol
#   ucproxy    SRTP in, RTP out through ucproxy's media session on the
#              expected conntrack, the call set up by SIP through ucp-sip
#              (bench/media/sip_call.py)
#
# Each lane is a pair of functions:
#   lane_NAME_setup    Called once, before any packet. Inputs (variables):
#                        SND_ADDR SND_PORT  the sender's address and source
#                                           port (what its SDP announces)
#                        RCV_ADDR RCV_PORT  the receiver's (inside) address
#                                           and port
#                        KEY_B64            the sender's SRTP master key and
#                                           salt (AES_CM_128_HMAC_SHA1_80),
#                                           as in a=crypto inline:
#                        NS_S NS_R NS_C     the namespaces (ip netns names)
#                      Outputs: LANE_MODE (rtp or srtp: what the sender
#                      sends) and LANE_DST (ADDR:PORT it sends to); or a
#                      non-zero return with LANE_SKIP set to the reason,
#                      and the lane is left out of the run (no number).
#   lane_NAME_verify   Called after the run with BENCH_PACKETS (packets the
#                      timed rounds sent on the lane); returns non-zero,
#                      with a reason on stdout, when the packets did not
#                      take the path the lane claims (a rate measured on
#                      the wrong path is not reported as the lane's).

# The lanes' functions are called by name: lane_${lane}_setup.
# shellcheck disable=SC2317
set -u
shopt -s lastpipe

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=../../selftests/lib.sh disable=SC1091
source "$ROOT/selftests/lib.sh"

RTPBENCH=${RTPBENCH:-$ROOT/build/bench/media/rtpbench}
MEDIA_LANES=${MEDIA_LANES:-nat rtpengine ucproxy}
MEDIA_ROUNDS=${MEDIA_ROUNDS:-7}
MEDIA_PACKETS=${MEDIA_PACKETS:-20000}
RTPE_TABLE=0
RTPE_NG=127.0.0.1:2223
TMP=$(mktemp -d)
on_exit "rm -rf $TMP"

say()
{
	echo "# media: $*"
}

# --- topology -------------------------------------------------------------

topology()
{
	netns_new NS_S && netns_new NS_R && netns_new NS_C || return 1
	ip link add s0 netns "$NS_S" type veth peer name r_out netns "$NS_R" &&
	ip link add c0 netns "$NS_C" type veth peer name r_in netns "$NS_R" ||
		return 1
	ip -n "$NS_S" -b - <<-EOF || return 1
		addr add 192.0.2.2/24 dev s0
		link set s0 up
	EOF
	ip -n "$NS_R" -b - <<-EOF || return 1
		addr add 192.0.2.1/24 dev r_out
		addr add 10.0.1.1/24 dev r_in
		link set r_out up
		link set r_in up
	EOF
	ip -n "$NS_C" -b - <<-EOF || return 1
		addr add 10.0.1.2/24 dev c0
		link set c0 up
		route add default via 10.0.1.1
	EOF
	# The outside has no route to the inside: only what the router
	# translates can arrive. Per-flow packet counts in conntrack.
	ip netns exec "$NS_R" sh -c '
		sysctl -qw net.ipv4.ip_forward=1 &&
		sysctl -qw net.netfilter.nf_conntrack_acct=1' 2>/dev/null ||
	ip netns exec "$NS_R" sh -c '
		modprobe nf_conntrack &&
		sysctl -qw net.ipv4.ip_forward=1 &&
		sysctl -qw net.netfilter.nf_conntrack_acct=1'
}

# The router's base ruleset, shared by every lane: masquerade what the
# inside sends out, as any NAT router does. A lane adds its own rules.
router_rules()
{
	ip netns exec "$NS_R" nft -f - <<-EOF
		table ip bench {
			chain pre {
				type nat hook prerouting priority dstnat;
			}
			chain post {
				type nat hook postrouting priority srcnat;
				oifname "r_out" masquerade
			}
		}
	EOF
}

# --- lane: plain NAT, no crypto ------------------------------------------

lane_nat_setup()
{
	ip netns exec "$NS_R" nft add rule ip bench pre \
		iifname r_out udp dport 20000 dnat to "$RCV_ADDR:$RCV_PORT" ||
		{ LANE_SKIP="nft refused the dnat rule"; return 1; }
	LANE_MODE=rtp
	LANE_DST=192.0.2.1:20000
}

# The DNAT conntrack of the flow carried the packets.
lane_nat_verify()
{
	local n

	n=$(ct_packets "$SND_ADDR" "$SND_PORT" 192.0.2.1 20000)
	if [ "${n:-0}" -lt "$BENCH_PACKETS" ]; then
		echo "the flow's conntrack counted ${n:-no} packets of $BENCH_PACKETS"
		return 1
	fi
	echo "its DNAT conntrack counted $n packets"
}

# ct_packets SRC SPORT DST DPORT: the original direction's packet count of
# that UDP conntrack in the router (nf_conntrack_acct is on).
ct_packets()
{
	ip netns exec "$NS_R" cat /proc/net/nf_conntrack |
		awk -v k="src=$1 dst=$3 sport=$2 dport=$4 " '
			index($0, k) {
				for (i = 1; i <= NF; i++)
					if ($i ~ /^packets=/) {
						sub(/^packets=/, "", $i)
						print $i
						exit
					}
			}'
}

# --- lane: rtpengine's kernel module -------------------------------------

lane_rtpengine_setup()
{
	if ! command -v rtpengine >/dev/null; then
		LANE_SKIP="rtpengine-daemon is not installed (scripts/deps --bench)"
		return 1
	fi
	if ! modprobe xt_RTPENGINE 2>"$TMP/modprobe.err"; then
		LANE_SKIP="no xt_RTPENGINE for $(uname -r) (rtpengine-kernel-dkms; dkms autoinstall -k $(uname -r)): $(cat "$TMP/modprobe.err")"
		return 1
	fi
	# iptables here is iptables-nft: the xt target runs through
	# nft_compat. The daemon only adds rules to a table it owns.
	if ! ip netns exec "$NS_R" iptables -I INPUT -p udp -j RTPENGINE \
			--id "$RTPE_TABLE" 2>"$TMP/ipt.err"; then
		LANE_SKIP="iptables -j RTPENGINE refused (rtpengine-iptables?): $(cat "$TMP/ipt.err")"
		return 1
	fi
	say "rtpengine $(rtpengine --version 2>&1 | sed -n 's/^Version: //p'), $(iptables -V)"
	# A table left by an earlier daemon would make --table fail.
	echo "del $RTPE_TABLE" >/proc/rtpengine/control 2>/dev/null
	ip netns exec "$NS_R" rtpengine --config-file=none \
		--table="$RTPE_TABLE" --no-fallback \
		--interface=ext/192.0.2.1 --interface=int/10.0.1.1 \
		--listen-ng="$RTPE_NG" --port-min=30000 --port-max=30099 \
		--endpoint-learning=immediate --timeout=600 \
		--num-threads=2 --foreground --log-stderr --log-level=6 \
		--pidfile="$TMP/rtpengine.pid" >"$TMP/rtpengine.log" 2>&1 &
	RTPE_PID=$!
	on_exit "kill $RTPE_PID; wait $RTPE_PID"
	# ng.py pings until the daemon answers, then sets up the call.
	if ! LANE_DST=$(ip netns exec "$NS_R" python3 "$HERE/ng.py" \
			--server "$RTPE_NG" --caller "$SND_ADDR:$SND_PORT" \
			--callee "$RCV_ADDR:$RCV_PORT" --key "$KEY_B64" \
			2>"$TMP/ng.err"); then
		LANE_SKIP="call setup failed: $(cat "$TMP/ng.err")"
		kill -0 "$RTPE_PID" 2>/dev/null ||
			LANE_SKIP="rtpengine exited: $(tail -n 3 "$TMP/rtpengine.log")"
		return 1
	fi
	for _ in 1 2 3 4 5; do
		[ -e "/proc/rtpengine/$RTPE_TABLE/list" ] && break
		sleep 1
	done
	LANE_MODE=srtp
}

# The kernel target of the call's outside port counted (nearly) every
# packet, and it decrypts: the daemon's userspace path did not forward them.
lane_rtpengine_verify()
{
	local n

	n=$(awk -v k="local inet4 $LANE_DST" '
		$0 == k { on = 1; next }
		/^local / { on = 0 }
		on && $1 == "stats:" { print $4; exit }' \
		"/proc/rtpengine/$RTPE_TABLE/list")
	if [ "${n:-0}" -lt "$BENCH_PACKETS" ]; then
		echo "the kernel target of $LANE_DST counted ${n:-no} packets of $BENCH_PACKETS (the rest went to the daemon, or were dropped before the target)"
		sed 's/^/#   /' "/proc/rtpengine/$RTPE_TABLE/list" |
			grep -v -E 'key|salt|auth:'
		grep -i -E 'kernel|confirm|error|warn' "$TMP/rtpengine.log" |
			tail -n 20 | sed 's/^/#   daemon: /'
		return 1
	fi
	if ! awk -v k="local inet4 $LANE_DST" '
		$0 == k { on = 1; next }
		/^local / { on = 0 }
		on && /cipher: AES-CM/ { found = 1 }
		END { exit !found }' "/proc/rtpengine/$RTPE_TABLE/list"; then
		echo "the kernel target of $LANE_DST does not decrypt (no AES-CM cipher)"
		return 1
	fi
	echo "xt_RTPENGINE table $RTPE_TABLE decrypted and forwarded $n packets in the kernel"
}

# --- lane: ucproxy --------------------------------------------------------
#
# ucproxy.ko from the tree, ucp-sip bound to SIP over UDP with an nft ct
# helper object, the media policy secure-reply (the outside side of a call
# the inside places stays SRTP, with ucproxy's key toward it), and one SIP
# call set up by bench/media/sip_call.py: the inside phone (receiver) offers
# RTP, the outside phone (sender) answers SRTP with the lane's key. The
# sender then sends to what the router's rewritten INVITE told the outside;
# ucproxy's session on the expected conntrack unprotects every packet.
lane_ucproxy_setup()
{
	if [ ! -e "$UCP_KO" ] || [ ! -x "$UCPCTL" ]; then
		LANE_SKIP="build the module and ucpctl first (make all)"
		return 1
	fi
	if ! module_load 2>"$TMP/ucp.err"; then
		LANE_SKIP="ucproxy.ko does not load: $(cat "$TMP/ucp.err")"
		return 1
	fi
	if ! ip netns exec "$NS_R" nft -f - 2>"$TMP/ucp.err" <<-EOF; then
		table inet ucp {
			ct helper sip-udp { type "ucp-sip" protocol udp; }
			chain pre {
				type filter hook prerouting priority filter;
				udp dport 5060 ct helper set "sip-udp"
			}
		}
	EOF
		LANE_SKIP="nft refused the ucp-sip helper: $(cat "$TMP/ucp.err")"
		return 1
	fi
	if ! ip netns exec "$NS_R" "$UCPCTL" media policy secure-reply \
			>/dev/null 2>"$TMP/ucp.err"; then
		LANE_SKIP="ucpctl media policy: $(cat "$TMP/ucp.err")"
		return 1
	fi
	if ! LANE_DST=$(python3 "$HERE/sip_call.py" --ns-in "$NS_C" \
			--ns-out "$NS_S" --inside "$RCV_ADDR" \
			--outside "$SND_ADDR" --rcv-port "$RCV_PORT" \
			--snd-port "$SND_PORT" --key "$KEY_B64" 2>"$TMP/ucp.err"); then
		LANE_SKIP="call setup failed: $(cat "$TMP/ucp.err")"
		return 1
	fi
	say "ucproxy call: $(paste -s -d ';' "$TMP/ucp.err")"
	LANE_MODE=srtp
	# ucproxy builds the SRTP context in process context after the
	# answer (Documentation/media.md): a phone starts after the ACK.
	sleep 0.2
}

# The media counters of the router's namespace: every timed packet
# unprotected, none refused for its tag or as a replay.
lane_ucproxy_verify()
{
	local json n auth replay

	json=$(ip netns exec "$NS_R" "$UCPCTL" -j show stats) ||
		{ echo "ucpctl show stats failed"; return 1; }
	n=$(jq -r '.counters["media.unprotected"] // 0' <<<"$json")
	auth=$(jq -r '.counters["media.auth_failed"] // 0' <<<"$json")
	replay=$(jq -r '.counters["media.replayed"] // 0' <<<"$json")
	if [ "$n" -lt "$BENCH_PACKETS" ] || [ "$auth" != 0 ] ||
	   [ "$replay" != 0 ]; then
		echo "media.unprotected $n of $BENCH_PACKETS, auth_failed $auth, replayed $replay"
		ip netns exec "$NS_R" "$UCPCTL" show media | sed 's/^/#   /'
		return 1
	fi
	echo "ucproxy unprotected $n packets in the kernel (media.unprotected), no auth failure or replay"
}

# MEDIA_LANE_FILES: bash files sourced here, after the lanes above, which
# may define new lanes or replace one (a lane under development lives
# outside this file until it is ready).
for f in ${MEDIA_LANE_FILES:-}; do
	# shellcheck disable=SC1090
	source "$f" || exit 2
done

# --- the guest's backlog ---------------------------------------------------

# softnet_stat: the sums over CPUs of packets dropped because a CPU's input
# backlog was full, and of times the receive softirq ran out of budget.
softnet()
{
	local d=0 s=0 dc sc

	while read -r _ dc sc _; do
		d=$((d + 0x$dc))
		s=$((s + 0x$sc))
	done </proc/net/softnet_stat
	echo "$d $s"
}

# --- run ------------------------------------------------------------------

main()
{
	local lane idx=0 args=() ran=() status=0 key_hex reason
	local drop0 squeeze0 drop1 squeeze1

	if [ "$(id -u)" -ne 0 ] || [ ! -d /run/vmtest ]; then
		echo "run.sh: runs as root in a scripts/vmtest guest (make bench)" >&2
		exit 2
	fi
	if [ ! -x "$RTPBENCH" ]; then
		echo "run.sh: build $RTPBENCH first (make -C bench/media)" >&2
		exit 2
	fi
	say "kernel $(uname -r), $(nproc) vCPUs, $MEDIA_ROUNDS rounds of $MEDIA_PACKETS packets per lane"
	topology || { echo "run.sh: topology failed" >&2; exit 1; }
	router_rules || { echo "run.sh: nft failed" >&2; exit 1; }

	for lane in $MEDIA_LANES; do
		declare -F "lane_${lane}_setup" >/dev/null ||
			{ echo "run.sh: no lane $lane" >&2; exit 2; }
		SND_ADDR=192.0.2.2
		SND_PORT=$((40000 + 2 * idx))
		RCV_ADDR=10.0.1.2
		RCV_PORT=$((20000 + 2 * idx))
		# A fresh SRTP master key and salt per lane, as hex for
		# rtpbench and as base64 for a=crypto.
		head -c 30 /dev/urandom >"$TMP/key"
		key_hex=$(od -An -tx1 "$TMP/key" | tr -d ' \n')
		KEY_B64=$(base64 -w0 "$TMP/key")
		LANE_SKIP='' LANE_MODE='' LANE_DST=''
		idx=$((idx + 1))
		if ! "lane_${lane}_setup"; then
			# Reported, and the run fails: a lane asked for and
			# not measured must not pass as a shorter report.
			say "lane $lane skipped: ${LANE_SKIP:-setup failed}"
			status=1
			continue
		fi
		say "lane $lane: $LANE_MODE from $SND_ADDR:$SND_PORT to $LANE_DST, received at $RCV_ADDR:$RCV_PORT"
		args+=(--lane "$lane,$LANE_MODE,$SND_ADDR:$SND_PORT,$LANE_DST,$RCV_ADDR:$RCV_PORT,$key_hex")
		ran+=("$lane $SND_ADDR $SND_PORT $LANE_DST")
	done
	if [ ${#ran[@]} -eq 0 ]; then
		say "no lane could be set up"
		exit 1
	fi

	# A veth transmit queues the packet on the sending CPU's input
	# backlog, processed when the sender re-enables bottom halves: left
	# alone, the router's whole path would run in the sender's
	# sendmmsg() on CPU 0. Steer the router's input to CPU 1 (RPS), where
	# the receiver is, so the sender alone on CPU 0 runs ahead of it and
	# the rate is the router's (MEDIA_RPS=0: the old way, for comparison).
	if [ "${MEDIA_RPS:-1}" = 1 ] && [ "$(nproc)" -ge 2 ]; then
		ip netns exec "$NS_R" sh -c \
			'echo 2 >/sys/class/net/r_out/queues/rx-0/rps_cpus' ||
			say "could not steer the router's input to CPU 1"
	fi
	# A router slower than the sender then queues a round's packets: a
	# backlog that holds them all (the default 1000 dropped most of some
	# rounds), and a receive softirq that is not cut short and left to
	# ksoftirqd (which works in batches: faster per packet, and more
	# often for the heavier lanes).
	sysctl -qw net.core.netdev_max_backlog=$((2 * MEDIA_PACKETS + 1000))
	sysctl -qw net.core.netdev_budget=$((2 * MEDIA_PACKETS + 1000)) \
		net.core.netdev_budget_usecs=1000000
	softnet | read -r drop0 squeeze0

	"$RTPBENCH" --tx-netns "/run/netns/$NS_S" --rx-netns "/run/netns/$NS_C" \
		--rounds "$MEDIA_ROUNDS" --packets "$MEDIA_PACKETS" \
		--title "media: SRTP->RTP forwarding (AES_CM_128_HMAC_SHA1_80, 160-byte payload), delivered packets/s in the guest" \
		"${args[@]}" || status=1

	softnet | read -r drop1 squeeze1
	say "backlog: $((drop1 - drop0)) packets dropped, softirq out of budget $((squeeze1 - squeeze0)) times"
	BENCH_PACKETS=$((MEDIA_ROUNDS * MEDIA_PACKETS))
	for lane in "${ran[@]}"; do
		read -r lane SND_ADDR SND_PORT LANE_DST <<<"$lane"
		if reason=$("lane_${lane}_verify"); then
			say "lane $lane verified: $reason"
		else
			say "lane $lane INVALID, its rate is not $lane's: $reason"
			status=1
		fi
	done
	exit $status
}

main "$@"
