#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's nf_conntrack_sip against our ucp-sip on what real phones
# cannot be made to send, through the NAT router of sip_call.sh: a scripted
# caller inside (sip/sipua.py) calls a scripted responder outside directly,
#   udp        the control: a plain UDP call
#   tcp        the control over TCP: the whole INVITE in one segment
#   tcp-split  the INVITE written in two send()s (TCP_NODELAY, a pause),
#              cut inside its headers: two TCP segments, neither a message
#   rtcp-mux   a=rtcp-mux: RTCP on the RTP port
#   rtcp-port  a=rtcp:PORT IN IP4|IP6 ADDR with PORT not RTP + 1 (RFC 3605)
# each over IPv4 and IPv6. A case passes when the INVITE arrives outside
# with the router's address in Via, Contact, o=, c= (and a=rtcp) and no
# inside address anywhere, and RTP and RTCP flow both ways, the outside's
# first packets reaching the inside before the inside sent any.
#
# Each case runs with every helper of HELPERS (default "sip ucp-sip"); the
# table of results closes the output. nf_conntrack_sip's known failures are
# expected (KTAP "# TODO"), not failures; ucp-sip must pass them all (and
# fails them while ucproxy.ko does not provide it).
source "$(dirname "$0")/lib.sh"
source "$UCP_SELFTESTS/sip/lib.sh"
require_root
require_nft_objref

HELPERS=${HELPERS:-sip ucp-sip}
COMPARE_CASES=${COMPARE_CASES:-udp tcp tcp-split rtcp-mux rtcp-port}
FAMILIES=${FAMILIES:-4 6}
SECS=${SECS:-2}
read -r -a helpers <<<"$HELPERS"
read -r -a ccases <<<"$COMPARE_CASES"
read -r -a fams <<<"$FAMILIES"

# What nf_conntrack_sip fails, as observed on Debian's 6.1 kernel.
split="sip_help_tcp() only parses messages that are whole in one segment: the first half leaves unrewritten, the second is not a message"
rtcp="expects RTCP on RTP port + 1 only and leaves a=rtcp alone: its address leaks and RTCP from outside finds no expectation"
declare -A XFAIL_sip=(
	[tcp-split4]=$split
	[tcp-split6]=$split
	[rtcp-port4]=$rtcp
	[rtcp-port6]=$rtcp
)

ktap_plan $((${#helpers[@]} * ${#ccases[@]} * ${#fams[@]}))
total=$((${#helpers[@]} * ${#ccases[@]} * ${#fams[@]}))

missing=
for t in conntrack nft python3; do
	command -v $t >/dev/null 2>&1 || missing+=" $t"
done
if [ -n "$missing" ]; then
	for ((i = 0; i < total; i++)); do
		ktap_skip "missing:$missing"
	done
	ktap_finish
fi

sip_topology || { ktap_diag "topology failed"; exit $KSFT_FAIL; }

# report HELPER ID ok|fail WHY...: one KTAP case and its table cell.
report()
{
	local helper=$1 id=$2 verdict=$3 case fam desc why

	shift 3
	case=${id%?}
	fam=${id: -1}
	desc="$helper: $case over IPv$fam: rewritten, RTP and RTCP both ways"
	if [ "$verdict" = ok ]; then
		TABLE[$helper,$id]=pass
		ktap_ok "$desc"
		return
	fi
	if [ "$verdict" = skip ]; then
		TABLE[$helper,$id]=skipped
		ktap_skip "$desc: $*"
		return
	fi
	TABLE[$helper,$id]=FAIL
	for why; do
		ktap_diag "$why"
	done
	why=${XFAIL_sip[$id]:-}
	if [ "$helper" = sip ] && [ -n "$why" ]; then
		TABLE[$helper,$id]="fail (expected)"
		_ktap_n=$((_ktap_n + 1))
		_ktap_xfail=$((${_ktap_xfail:-0} + 1))
		echo "not ok $_ktap_n $desc # TODO nf_conntrack_sip: $why"
	else
		ktap_fail "$desc"
	fi
}

declare -A TABLE
shopt -s lastpipe
for helper in "${helpers[@]}"; do
	sip_helper_unbind
	helper_error=
	if ! sip_helper_prepare "$helper" >"$SIP_TMP/helper.log" 2>&1 ||
	   ! sip_helper_bind "$helper" >>"$SIP_TMP/helper.log" 2>&1; then
		helper_error="helper \"$helper\" not available: $(grep -m1 -o 'Error: .*' "$SIP_TMP/helper.log" ||
			tail -1 "$SIP_TMP/helper.log")"
	fi
	# One process for all the calls of this helper (process starts are
	# slow in the guest); lastpipe keeps the loop, and its counters, here.
	{
		if [ -n "$helper_error" ]; then
			# The reference may be missing (the debug kernel has no
			# nf_conntrack_sip): skip; ours may not.
			for case in "${ccases[@]}"; do
				for fam in "${fams[@]}"; do
					if [ "$helper" = sip ]; then
						echo "result $case$fam skip"
					else
						echo "result $case$fam fail"
					fi
					echo "diag $helper_error"
				done
			done
		else
			python3 "$SIP_DIR/sipua.py" pair --ns-a "$NS_A" --ns-b "$NS_B" \
				--ns-r "$NS_R" --cases "${ccases[*]}" --families "${fams[*]}" \
				--secs "$SECS" --private 10.0.1. --private fd00:1: 2>"$SIP_TMP/pair.err" ||
				echo "diag sipua.py: $(tail -3 "$SIP_TMP/pair.err")"
		fi
		echo "end"
	} | {
		id=
		while read -r kind rest; do
			if [ "$kind" = diag ]; then
				why+=("$rest")
				continue
			fi
			[ -z "$id" ] || report "$helper" "$id" "$verdict" "${why[@]}"
			[ "$kind" = result ] || break
			read -r id verdict <<<"$rest"
			why=()
		done
	}
	for case in "${ccases[@]}"; do
		for fam in "${fams[@]}"; do
			[ -n "${TABLE[$helper,$case$fam]:-}" ] ||
				report "$helper" "$case$fam" fail "no result (sipua.py ended early)"
		done
	done
done

ktap_diag "results (media and rewrite through the NAT):"
line=$(printf '%-14s' case)
for helper in "${helpers[@]}"; do
	line+=$(printf ' %-16s' "$helper")
done
ktap_diag "$line"
for case in "${ccases[@]}"; do
	for fam in "${fams[@]}"; do
		line=$(printf '%-14s' "$case/ipv$fam")
		for helper in "${helpers[@]}"; do
			line+=$(printf ' %-16s' "${TABLE[$helper,$case$fam]}")
		done
		ktap_diag "$line"
	done
done
[ -z "${_ktap_xfail:-}" ] || ktap_diag "expected failures of nf_conntrack_sip (# TODO): $_ktap_xfail"
ktap_diag "time: $SECONDS s"
ktap_finish
