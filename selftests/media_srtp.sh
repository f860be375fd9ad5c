#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SRTP <-> RTP translation in the kernel, set up by SIP through ucp-sip on a
# NAT router and proved with libsrtp (media_srtp.py): each media policy's
# SDP (ucproxy's own keys where it terminates SRTP), media both ways made
# and checked by libsrtp on the SRTP side and byte for byte on the RTP
# side, replayed and tampered packets dropped and counted, the SRTP
# license used by translated calls only, 1,000 concurrent calls, the
# module unloaded with live sessions, and the K8 limit refusing calls.
#
#   inside (10.0.1.2, fd00:1::2) -- router (masquerade) -- out (198.51.100.2,
#   2001:db8:100::2)
source "$(dirname "$0")/lib.sh"
require_root
require_nft_objref
if ! /usr/bin/python3 -c "import pylibsrtp" 2>/dev/null; then
	ktap_plan 1
	ktap_skip "python3-pylibsrtp is not installed"
	ktap_finish
fi

TOOL="/usr/bin/python3 $UCP_SELFTESTS/media_srtp.py"
POLICIES=(secure-original secure-reply secure-both passthrough)
CALLS=${MEDIA_CALLS:-1000}
LIMIT_CALLS=260

# Every suite libsrtp's binding offers, both legs terminated (IPv4).
SUITES=(AES_CM_128_HMAC_SHA1_32 AEAD_AES_128_GCM AEAD_AES_256_GCM)

ktap_plan $((2 * ${#POLICIES[@]} + ${#SUITES[@]} + 17))

module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

nat_topology || exit $KSFT_FAIL
# Room for the expectations of 1,000 calls (the default scales with memory).
sysctl -qw net.netfilter.nf_conntrack_expect_max=16384

sip_udp_rules || exit $KSFT_FAIL

rt() { ip netns exec "$RT" "$@"; }
# A media session lives as long as its media conntrack, and a UDP flow's
# conntrack ends 120 s after its last packet (30 s before it is assured).
# The count after the 1,000 calls includes the first cases' sessions, idle
# since: on a loaded machine that took more than 120 s once and one had
# ended, correctly. Their flows must outlive the whole test.
rt sysctl -qw net.netfilter.nf_conntrack_udp_timeout=900 \
	net.netfilter.nf_conntrack_udp_timeout_stream=900 || exit $KSFT_FAIL
stat_of() { rt "$UCPCTL" -j show stats | jq -r ".counters[\"$1\"] // 0"; }
srtp_in_use() { rt "$UCPCTL" -j license show | jq -r '.usage.srtp."in-use"'; }

run_case()
{
	local line

	line=$($TOOL --inside "$IN" --out "$OUT" --rt "$RT" \
		--in4 10.0.1.2 --rt4 198.51.100.1 --out4 198.51.100.2 \
		--in6 fd00:1::2 --rt6 2001:db8:100::1 --out6 2001:db8:100::2 "$@" 2>&1 |
		tee -a "$LOG" | grep '^RESULT' | tail -n 1)
	ktap_result "$line" "$*"
}
LOG=$(mktemp)
on_exit "rm -f $LOG"

for p in "${POLICIES[@]}"; do
	rt "$UCPCTL" media policy "$p" >/dev/null || ktap_fail "media policy $p"
	for f in 4 6; do
		run_case "$p" "$f"
	done
done

MEDIA=$(rt "$UCPCTL" -j show media)
modes()
{
	local m

	for m in srtp-to-rtp rtp-to-srtp srtp-to-srtp passthrough; do
		[ "$(json_get "$MEDIA" "[.media[] | select(.mode == \"$m\" and .state == \"active\")] | length")" -eq 2 ] ||
			fail_msg "not two active $m sessions: $MEDIA"
	done
}
ktap_check "show media: one active session per policy and family, modes as the legs" modes

legs_counted()
{
	local n

	# Every leg of every session carried packets: 5 or more each way.
	n=$(json_get "$MEDIA" '[.media[].legs[] | select(.packets < 5)] | length')
	[ "$n" -eq 0 ] || fail_msg "$n legs with fewer than 5 packets: $MEDIA"
	n=$(json_get "$MEDIA" '[.media[].legs[] | ."auth-failures"] | add')
	[ "$n" -eq 4 ] || fail_msg "auth failures on legs: $n, not 4"
	n=$(json_get "$MEDIA" '[.media[].legs[] | .replays] | add')
	[ "$n" -eq 4 ] || fail_msg "replays on legs: $n, not 4"
}
ktap_check "per-leg packets, auth failures (4) and replays (4) counted" legs_counted

no_keys()
{
	! printf '%s' "$MEDIA" | grep -qi 'key\|inline' ||
		fail_msg "key material in show media: $MEDIA"
}
ktap_check "show media never shows keys" no_keys

ktap_check "media.auth_failed $(stat_of media.auth_failed), media.replayed $(stat_of media.replayed): 4 each" \
	test "$(stat_of media.auth_failed)" -eq 4 -a "$(stat_of media.replayed)" -eq 4
ktap_check "media.unprotected $(stat_of media.unprotected) and media.protected $(stat_of media.protected) moved, media.passed $(stat_of media.passed)" \
	test "$(stat_of media.unprotected)" -ge 30 -a "$(stat_of media.protected)" -ge 30 \
	-a "$(stat_of media.passed)" -ge 20
ktap_check "SRTP license: 6 translated sessions held, passthrough not counted ($(srtp_in_use))" \
	test "$(srtp_in_use)" -eq 6

rt "$UCPCTL" media policy secure-both >/dev/null
for s in "${SUITES[@]}"; do
	run_case secure-both 4 --suite "$s"
done

rt "$UCPCTL" media policy secure-reply >/dev/null
start=$(date +%s)
run_case many 4 --calls "$CALLS"
echo "# $CALLS calls set up and carried in $(($(date +%s) - start)) s"
active=$(rt "$UCPCTL" -j show media | jq '[.media[] | select(.state == "active")] | length')
ktap_check "$active active media sessions listed, SRTP license in use $(srtp_in_use)" \
	test "$active" -eq $((CALLS + 8 + ${#SUITES[@]})) -a \
	"$(srtp_in_use)" -eq $((CALLS + 6 + ${#SUITES[@]}))

# Unload with every session live: the rules that hold the module go first.
rt nft delete table inet ucp
ktap_check "module unloads with $active live media sessions" rmmod ucproxy
module_load || exit $KSFT_FAIL
sip_udp_rules || exit $KSFT_FAIL
ktap_check "after reload: no media session left" \
	test "$(rt "$UCPCTL" -j show media | jq '.media | length')" -eq 0

# K8: at most 250 SRTP sessions; the rest pass untranslated.
rt "$UCPCTL" license set model linux uc 1000 export k8 >/dev/null ||
	ktap_fail "license set export k8"
rt "$UCPCTL" media policy secure-reply >/dev/null
run_case limit 4 --calls "$LIMIT_CALLS"
counts=$(grep '^TRANSLATED' "$LOG" | tail -n 1)
ktap_check "K8: $counts of $LIMIT_CALLS calls" \
	test "$counts" = "TRANSLATED 250 REFUSED $((LIMIT_CALLS - 250))"
refused=$(rt "$UCPCTL" -j license show | jq -r '.usage.srtp.refused')
ktap_check "refusals counted: media.refused $(stat_of media.refused), license srtp refused $refused" \
	test "$(stat_of media.refused)" -eq $((LIMIT_CALLS - 250)) -a "$refused" -eq $((LIMIT_CALLS - 250))
ktap_check "SRTP license in use at the K8 limit ($(srtp_in_use))" test "$(srtp_in_use)" -eq 250

# The upgrade path of Documentation/admin-guide.md ("Upgrading"): save,
# unload with the K8 calls up, load, restore; the configuration comes back
# whole, and a call set up afterwards is translated under it.
SAVED=$(mktemp)
on_exit "rm -f $SAVED"
rt "$UCPCTL" save >"$SAVED" || ktap_fail "save before the upgrade"
rt nft delete table inet ucp
rmmod ucproxy || ktap_fail "unload with $(srtp_in_use) calls up"
module_load || exit $KSFT_FAIL
sip_udp_rules || exit $KSFT_FAIL
restored()
{
	rt "$UCPCTL" restore "$SAVED" || return 1
	rt "$UCPCTL" save | cmp -s - "$SAVED" ||
		fail_msg "saved: $(cat "$SAVED")" "after restore: $(rt "$UCPCTL" save)"
}
ktap_check "upgrade: restored after unloading with calls up, the same configuration" restored
run_case secure-reply 4
ktap_check "upgrade: the call after the restore holds an SRTP session of the restored K8 license ($(srtp_in_use))" \
	test "$(srtp_in_use)" -eq 1 -a \
	"$(rt "$UCPCTL" -j license show | jq -r '.export')" = k8
rt nft delete table inet ucp
ktap_finish
