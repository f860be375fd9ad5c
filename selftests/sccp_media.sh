#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SCCP calls whose media ucproxy translates (sccp_media.py): the keys a
# phone is given in MediaEncryptionKeyInfo under each media policy, with a
# secure and a non-secure call manager; RTP and RTCP both ways proved with
# libsrtp on each SRTP side and byte for byte on each plain one; replayed
# and tampered packets dropped; the session listed and licensed, and
# released by StopMediaTransmission and CloseReceiveChannel.
#
#   inside phone (10.0.1.2, fd00:1::2) -- router (snat, ucp-sccp) -- call
#   manager (198.51.100.2, 2001:db8:100::2) and far phone (198.51.100.3,
#   2001:db8:100::3)
source "$(dirname "$0")/lib.sh"
require_root
require_nft_objref
if ! /usr/bin/python3 -c "import pylibsrtp" 2>/dev/null; then
	ktap_plan 1
	ktap_skip "python3-pylibsrtp is not installed"
	ktap_finish
fi

# case family version
CASES=("srtp-rtp 4 0x11" "srtp-rtp 6 0x16" "srtp-rtp 4 0x00" "srtp-srtp 4 0x11"
	"rtp-srtp 4 0x11" "rtp-srtp 6 0x11" "passthrough 4 0x11")

ktap_plan $((${#CASES[@]} + 3))

module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

sccp_nat_topology || exit $KSFT_FAIL

rt() { ip netns exec "$RT" "$@"; }
stat_of() { rt "$UCPCTL" -j show stats | jq -r ".counters[\"$1\"] // 0"; }

for c in "${CASES[@]}"; do
	set -- $c
	ktap_result "$(sccp_result sccp_media.py --ucpctl "$UCPCTL" --version "$3" "$1" "$2")" "$c"
done

# Each translated case protected and unprotected 5 RTP and 1 RTCP packet
# at least once per side; each dropped one replay and one tampered packet
# where the phone spoke SRTP (srtp-rtp x3, srtp-srtp).
ktap_check "packets made SRTP ($(stat_of media.protected)) and RTP ($(stat_of media.unprotected)), passed ($(stat_of media.passed))" \
	test "$(stat_of media.protected)" -ge 36 -a "$(stat_of media.unprotected)" -ge 36 \
	-a "$(stat_of media.passed)" -ge 12
ktap_check "replays ($(stat_of media.replayed)) and tampered packets ($(stat_of media.auth_failed)) dropped and counted" \
	test "$(stat_of media.replayed)" -ge 4 -a "$(stat_of media.auth_failed)" -ge 4
ktap_check "sessions set up ($(stat_of media.sessions)), no key refused ($(stat_of media.key_failed))" \
	test "$(stat_of media.sessions)" -eq ${#CASES[@]} -a "$(stat_of media.key_failed)" -eq 0
ktap_finish
