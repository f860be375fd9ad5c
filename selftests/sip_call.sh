#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real SIP calls through a NAT router whose SIP helper is under test:
# baresip phones inside and outside, kamailio as registrar and record-routing
# proxy outside, masquerade (IPv4 and NAT66) on the router, and the helper
# bound with nft ct helper objects. For each transport and family: both
# phones register, the inside phone calls the outside one and the reverse,
# each call auto-answered with RTP both ways through the NAT (the router's
# conntracks count packets both ways), then BYE; at the end tshark checks
# what crossed the router's outside interface (every SIP message parses,
# Via/Contact/SDP carry the router's address, never an inside address, RTP
# both ways on the announced ports).
#
#   HELPER=ucp-sip (default): the helper of ucproxy.ko; its cases fail when
#                             the module does not provide it.
#   HELPER=sip:               the kernel's nf_conntrack_sip + nf_nat_sip, the
#                             reference; what it cannot do is reported as an
#                             expected failure (# TODO), not a failure.
#   HELPER=none:              no helper (shows the test is sensitive to it).
#   SIP_CASES="udp4 tcp4 udp6 tcp6" (default all), MEDIA_SECS=3.
# Topology and traps: Documentation/testing.md, "Guest SIP call tests".
source "$(dirname "$0")/lib.sh"
source "$UCP_SELFTESTS/sip/lib.sh"
require_root
require_nft_objref

HELPER=${HELPER:-ucp-sip}
SIP_CASES=${SIP_CASES:-udp4 tcp4 udp6 tcp6}
MEDIA_SECS=${MEDIA_SECS:-3}
MIN_PKTS=25
read -r -a cases <<<"$SIP_CASES"

# What nf_conntrack_sip cannot do in this scenario, as observed on Debian's
# 6.1 kernel (case id -> reason); see Documentation/testing.md.
tcp_rewrite="over TCP the phone connects from an ephemeral port, not the 5060 of its Via and Contact, so nf_nat_sip rewrites neither (only the REGISTER Contact, through its expectation); the un-REGISTER leaks too"
declare -A XFAIL_sip=(
	[tcp4-tshark]=$tcp_rewrite
	[tcp6-tshark]=$tcp_rewrite
)

ktap_plan $((${#cases[@]} * 4))

missing=$(sip_need_tools)
if [ -n "$missing" ]; then
	for ((i = 0; i < ${#cases[@]} * 4; i++)); do
		ktap_skip "missing: $missing"
	done
	ktap_finish
fi

# result ID DESCRIPTION COMMAND...: one case; under HELPER=sip a failure
# listed in XFAIL_sip is reported as an expected failure (KTAP "# TODO").
result()
{
	local id=$1 desc=$2 why

	shift 2
	if "$@"; then
		ktap_ok "$desc"
		[ "$HELPER" != sip ] || [ -z "${XFAIL_sip[$id]:-}" ] ||
			ktap_diag "$id: passes although listed as an expected failure of nf_conntrack_sip"
		return 0
	fi
	why=${XFAIL_sip[$id]:-}
	if [ "$HELPER" = sip ] && [ -n "$why" ]; then
		_ktap_n=$((_ktap_n + 1))
		_ktap_xfail=$((${_ktap_xfail:-0} + 1))
		echo "not ok $_ktap_n $desc # TODO nf_conntrack_sip: $why"
	else
		ktap_fail "$desc"
	fi
	return 1
}

helper_error=
sip_topology || { ktap_diag "topology failed"; exit $KSFT_FAIL; }
if ! sip_helper_prepare "$HELPER" >"$SIP_TMP/helper.log" 2>&1 ||
   ! sip_helper_bind "$HELPER" >>"$SIP_TMP/helper.log" 2>&1; then
	helper_error="helper \"$HELPER\" not available: $(grep -m1 -o 'Error: .*' "$SIP_TMP/helper.log" ||
		tail -1 "$SIP_TMP/helper.log")"
	ktap_diag "$helper_error"
fi
ktap_diag "helper: $HELPER"

desc_register="both phones register through the NAT"
desc_out="inside calls outside: answered, RTP both ways through the NAT"
desc_in="outside calls inside: answered, RTP both ways through the NAT"
desc_tshark="tshark: SIP out of the router parses, carries its outside address, RTP both ways"

helper_missing()
{
	fail_msg "$helper_error"
}

# Without its helper the test fails, except for the reference helper,
# which a kernel may not have (the debug kernel): then it skips.
if [ -n "$helper_error" ]; then
	for c in "${cases[@]}"; do
		for what in register out in tshark; do
			desc=desc_$what
			if [ "$HELPER" = sip ]; then
				ktap_skip "$c: ${!desc} ($HELPER): $helper_error"
			else
				result "$c-$what" "$c: ${!desc} ($HELPER)" helper_missing
			fi
		done
	done
	ktap_finish
fi

start=$SECONDS
tshark_args=()
for c in "${cases[@]}"; do
	if [ "${c: -1}" = 6 ]; then
		tshark_args+=("$c=$ROUT6=$B6")
	else
		tshark_args+=("$c=$ROUT4=$B4")
	fi
done
# tshark takes 10-30 s to start in the guest: start its check now, fed
# the capture's signalling once the calls are over.
( while [ ! -e "$SIP_TMP/calls.done" ] && [ -d "$SIP_TMP" ]; do sleep 0.2; done
  tcpdump -r "$SIP_TMP/calls.pcap" -w - "port 5060 or (ip[6:2] & 0x1fff != 0) or ip6[6] == 44" 2>/dev/null ) |
	python3 "$SIP_DIR/tshark_check.py" "$SIP_TMP/calls.pcap" --sip-stdin \
	--private 10.0.1. --private fd00:1: "${tshark_args[@]}" \
	>"$SIP_TMP/tshark.out" 2>"$SIP_TMP/tshark.err" &
TSHARK_PID=$!
on_exit "touch $SIP_TMP/calls.done; kill $TSHARK_PID"

kamailio_start || exit $KSFT_FAIL
sip_capture_start calls || exit $KSFT_FAIL

verdict_ok()
{
	[ "$verdict" = ok ] || fail_msg "$text"
}
# The calls, from one process (sip/calls.py): its lines become KTAP here
# (lastpipe: the loop runs in this shell, so the KTAP counters stay; the
# guest has no /dev/fd for a process substitution).
shopt -s lastpipe
python3 "$SIP_DIR/calls.py" --ns-a "$NS_A" --ns-b "$NS_B" --ns-r "$NS_R" \
	--tmp "$SIP_TMP" --kamailio-log "$SIP_TMP/kamailio.log" \
	--media-secs "$MEDIA_SECS" --min-pkts "$MIN_PKTS" "${cases[@]}" 2>"$SIP_TMP/calls.err" |
while read -r kind id verdict text; do
	case $kind in
	diag)	ktap_diag "$id${verdict:+ $verdict}${text:+ $text}" ;;
	result)	what=desc_${id##*-}
		result "$id" "${id%-*}: ${!what} ($HELPER)" verdict_ok ;;
	esac
done
if [ "$_ktap_n" -lt $((${#cases[@]} * 3)) ]; then
	ktap_diag "calls.py: $(tail -5 "$SIP_TMP/calls.err")"
	exit $KSFT_FAIL
fi
sip_capture_stop

t0=$SECONDS
touch "$SIP_TMP/calls.done"
wait "$TSHARK_PID"
ktap_diag "tshark check, after the calls: $((SECONDS - t0)) s"
check_line()
{
	[[ $line == "$c ok:"* ]] || fail_msg "${line:-tshark: $(tail -2 "$SIP_TMP/tshark.err")}"
}
for c in "${cases[@]}"; do
	line=$(grep "^$c " "$SIP_TMP/tshark.out")
	[[ $line != "$c ok:"* ]] || ktap_diag "$line"
	result "$c-tshark" "$c: $desc_tshark ($HELPER)" check_line
done
[ -z "${_ktap_xfail:-}" ] || ktap_diag "expected failures of nf_conntrack_sip (# TODO): $_ktap_xfail"
ktap_diag "calls and checks: $((SECONDS - start)) s, the whole test: $SECONDS s"
# SIP_DEBUG=1: the peers' logs on stdout (as KTAP diagnostics), for runs in
# the guest whose files vanish with it.
if [ -n "${SIP_DEBUG:-}" ]; then
	for f in "$SIP_TMP"/kamailio.log "$SIP_TMP"/calls.err "$SIP_TMP"/baresip-*/log; do
		ktap_diag "==== $f"
		sed 's/^/# /' "$f"
	done
fi
ktap_finish
