#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ucpctl monitor -j: the events group as JSON lines. Configuration changes,
# licensed sessions up and down and a license refusal (ucp_nltool holds
# the sessions), the media sessions of a SIP call through ucp-sip on a NAT
# router (media_srtp.py, the scripted SIP peer of media_srtp.sh, since the
# call must carry SDP crypto) with the final per-leg counters of its end,
# a burst of authentication failures (ucproxyd refusing openssl s_client
# without a trusted client certificate), every line valid JSON (jq); an
# unprivileged user may not join.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
require_root

ktap_plan 8
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

# monitor_in NS FILE POLICY: ucpctl -j monitor in namespace NS ("": this
# one) into FILE (removed at exit), killed at exit; it has joined once the
# config event of "media policy set POLICY", repeated, shows.
monitor_in()
{
	local file=$2 policy=$3 i run=()

	[ -z "$1" ] || run=(ip netns exec "$1")
	on_exit "rm -f $file"
	"${run[@]}" "$UCPCTL" -j monitor >"$file" 2>&1 &
	on_exit "kill $!"
	for ((i = 0; i < 100; i++)); do
		"${run[@]}" "$UCPCTL" media policy set "$policy" >/dev/null || return 1
		grep -q '"event":"config"' "$file" && return 0
		sleep 0.1
	done
	fail_msg "no config event: $(cat "$file")"
}

EV=$(mktemp)
ktap_check "monitor joined: a media policy change shows as a config event" \
	monitor_in "" "$EV" passthrough

# count EVENT: how many lines of that event the monitor printed.
count() { jq -c "select(.event == \"$1\")" "$EV" | wc -l; }

wait_for()
{
	local ev=$1 n=$2 i

	for ((i = 0; i < 100; i++)); do
		[ "$(count "$ev")" -ge "$n" ] && return 0
		sleep 0.1
	done
	fail_msg "$ev: $(count "$ev") of $n: $(cat "$EV")"
}

sessions()
{
	local line j

	# The base license has 2 sessions: the third is refused.
	"$UCPCTL" license set model asa5520 >/dev/null || return 1
	line=$("$NLTOOL" sessions 1 3 </dev/null)
	[ "$line" = "held 2 refused 1" ] || fail_msg "acquire: $line" || return 1
	wait_for session-up 2 && wait_for session-down 2 &&
		wait_for limit-reached 1 || return 1
	j=$(jq -c 'select(.event == "limit-reached")' "$EV")
	[ "$(json_get "$j" '[.app, ."refused-rule", ."refused-limit"] | join(" ")')" = \
		"phone-proxy uc-license 2" ] || fail_msg "refusal: $j"
}
ktap_check "sessions up and down, and the license refusal of the third" sessions

config_line()
{
	local j

	j=$(jq -c 'select(.event == "config" and .platform == "asa5520")' "$EV" | tail -n 1)
	[ "$(json_get "$j" '[."uc-sessions", .export, ."media-policy"] | join(" ")')" = \
		"2 k9 passthrough" ] || fail_msg "config event: $j"
}
ktap_check "license set shows as the whole configuration" config_line

unprivileged()
{
	local err

	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$UCPCTL" monitor 2>&1)
	[ $? -ne 0 ] || fail_msg "joined without CAP_NET_ADMIN" || return 1
	grep -q "Operation not permitted" <<<"$err" || fail_msg "unclear: $err"
}
ktap_check "without CAP_NET_ADMIN the events group cannot be joined" unprivileged

# A call whose media the kernel handles, in the router's namespace:
# secure-reply keeps the called (outside) side on SRTP, so rtp-to-srtp.
if /usr/bin/python3 -c "import pylibsrtp" 2>/dev/null && nat_topology; then
	sip_udp_rules
	ROUT=$(mktemp)
	monitor_in "$RT" "$ROUT" secure-reply
	/usr/bin/python3 "$UCP_SELFTESTS/media_srtp.py" --inside "$IN" --out "$OUT" \
		--rt "$RT" --in4 10.0.1.2 --rt4 198.51.100.1 --out4 198.51.100.2 \
		--in6 fd00:1::2 --rt6 2001:db8:100::1 --out6 2001:db8:100::2 \
		secure-reply 4 >/dev/null 2>&1
	start=$(jq -c 'select(.event == "media-start")' "$ROUT" | head -n 1)
	ktap_check "the call's media session started: $start" \
		test "$(json_get "${start:-null}" ".mode")" = rtp-to-srtp
	# The signalling connection's end ends its call's media: conntrack -F
	# in the router deletes it (media_srtp.py sends no BYE).
	ip netns exec "$RT" conntrack -F >/dev/null 2>&1
	media_end()
	{
		local end i got want

		for ((i = 0; i < 100; i++)); do
			end=$(jq -c 'select(.event == "media-end")' "$ROUT" | head -n 1)
			[ -n "$end" ] && break
			sleep 0.1
		done
		[ -n "$end" ] || fail_msg "no media-end: $(cat "$ROUT")" || return 1
		ktap_diag "media-end: $end"
		# Both sides sent packets through the router (5 and more each).
		got=$(json_get "$end" '[.id, .mode, (.legs | length),
			([.legs[] | .packets >= 5] | all), ([.legs[] | .bytes > 0] | all)] |
			map(tostring) | join(" ")')
		want="$(json_get "${start:-null}" .id) rtp-to-srtp 2 true true"
		[ "$got" = "$want" ] || fail_msg "counters: $got, not $want"
	}
	ktap_check "its end carries the final counters: packets both ways" media_end
	ip netns exec "$RT" nft delete table inet ucp
else
	ktap_skip "python3-pylibsrtp or the NAT topology is missing"
	ktap_skip "python3-pylibsrtp or the NAT topology is missing"
fi

# Authentication failures: ucproxyd in its router namespace refuses phones
# without a certificate of its client CA (none, or the rogue CA's); more
# than UCP_AUTH_BURST_FAILURES (5) in the 60 s window make one
# auth-failure-burst on the router's events group, never one per failure.
auth_burst()
{
	local i n j cert

	ud_topology && ud_certs && ud_license || return 1
	cat >"$UD_DIR/ucproxyd.conf" <<EOF3
[global]
stats-file = $UD_DIR/stats
handshake-timeout = 5

[listener phones]
application = phone-proxy
listen = 192.0.2.1:$UD_PORT
server = 10.9.0.2:$UD_PORT
certificate = $UD_DIR/proxy.pem
key = $UD_DIR/proxy.key
client-ca = $UD_DIR/phone-ca.pem
mint-ca = $UD_DIR/mint-ca.pem
mint-ca-key = $UD_DIR/mint-ca.key
server-ca = $UD_DIR/ca.pem
EOF3
	UEV=$(mktemp)
	monitor_in "$UD_R" "$UEV" passthrough || return 1
	ud_start "$UD_DIR/ucproxyd.conf" || return 1
	for ((i = 1; i <= 8; i++)); do
		# Odd: no certificate; even: one of a CA the listener does not trust.
		cert=()
		((i % 2)) || cert=(-cert "$UD_DIR/rogue.pem" -key "$UD_DIR/rogue.key")
		timeout 20 ip netns exec "$UD_C" openssl s_client \
			-connect 192.0.2.1:$UD_PORT -CAfile "$UD_DIR/ca.pem" \
			"${cert[@]}" </dev/null >/dev/null 2>&1
	done
	for ((i = 0; i < 100; i++)); do
		n=$(ip netns exec "$UD_R" "$UCPCTL" -j stats show |
			jq -r '.counters["tls.auth_failed"] // 0')
		[ "$n" -ge 8 ] && break
		sleep 0.1
	done
	[ "$n" -eq 8 ] ||
		fail_msg "tls.auth_failed $n, not 8; agent: $(tail -n 3 "$UD_DIR/log")" ||
		return 1
	n=$(ud_stat client_cert_refused)
	[ "$n" = 8 ] || fail_msg "the agent's client_cert_refused: $n" || return 1
	j=$(jq -c 'select(.event == "auth-failure-burst")' "$UEV")
	ktap_diag "burst: $j"
	[ -n "$j" ] && [ "$(wc -l <<<"$j")" -eq 1 ] ||
		fail_msg "not one burst line: $(cat "$UEV")" || return 1
	n=$(json_get "$j" '[.app, .listener, .dir, .failures, ."window-ms"] |
		map(tostring) | join(" ")')
	[ "$n" = "phone-proxy phones original 6 60000" ] || fail_msg "burst: $n"
}
ktap_check "8 refused client certificates: one auth-failure-burst" auth_burst

all_json()
{
	local f n

	for f in "$EV" ${ROUT:+"$ROUT"} ${UEV:+"$UEV"}; do
		n=$(wc -l <"$f")
		jq -e . "$f" >/dev/null 2>&1 || fail_msg "not JSON: $(cat "$f")" || return 1
		[ "$(jq -c . "$f" | wc -l)" -eq "$n" ] ||
			fail_msg "$n lines, not as many JSON documents: $(cat "$f")" || return 1
	done
}
ktap_check "every line of ucpctl -j monitor is one JSON document" all_json
ktap_finish
