#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole main job with real peers: a remote baresip phone registers over
# TLS through ucproxyd (the router's phone proxy, kTLS on both legs, SIP
# inspected in the kernel) with kamailio and its TLS module as the call
# manager, and calls an inside baresip phone; its media is SRTP outside
# (SDES keys of ucproxy's own) and RTP inside, translated by the kernel
# (sip/secure_call.py). Checked: registration, the call, the media session
# (srtp-to-rtp, packets both ways, no authentication failure on either
# side), the SRTP and phone-proxy licenses and kTLS during the call, and
# everything released by the BYE. UCP_SHOW=1 (make demo): what ucpctl
# shows during the call, and the agent's counters, as diagnostics.
#
#   remote phone C 192.0.2.10 --- 192.0.2.1 router R 10.9.0.1 --- S: kamailio
#                                 (ucproxyd)                        10.9.0.2,
#                                                                   inside phone
#                                                                   10.9.0.3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
source "$UCP_SELFTESTS/sip/lib.sh"
require_root
require_nft_objref

ktap_plan 5
missing=$(sip_need_tools)
if [ -n "$missing" ]; then
	for _ in 1 2 3 4 5; do ktap_skip "missing: $missing"; done
	ktap_finish
fi

module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload
modprobe tls 2>/dev/null

ud_topology || exit $KSFT_FAIL
ip -n "$UD_S" addr add 10.9.0.3/24 dev s0 || exit $KSFT_FAIL
SIP_TMP=$UD_DIR
chmod 755 "$UD_DIR"

# Certificates naming the addresses the phones and the agent verify.
ud_cert_ip()
{
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$UD_DIR/$1.key" -out "$UD_DIR/$1.csr" -subj "/O=ucproxy test/CN=$1" \
		-addext "subjectAltName=IP:$2" 2>/dev/null &&
	openssl x509 -req -in "$UD_DIR/$1.csr" -CA "$UD_DIR/ca.pem" -CAkey "$UD_DIR/ca.key" \
		-CAcreateserial -days 2 -copy_extensions copy -out "$UD_DIR/$1.pem" 2>/dev/null
}
ud_ca ca && ud_cert_ip router 192.0.2.1 && ud_cert_ip cucm 10.9.0.2 ||
	{ ktap_diag "certificates"; exit $KSFT_FAIL; }
ud_license || exit $KSFT_FAIL
ip netns exec "$UD_R" "$UCPCTL" media policy secure-original >/dev/null || exit $KSFT_FAIL

# The agent's two legs carry ucp-sip-tls: the phone's (arriving) and the
# call manager's (the agent's own, leaving).
ud_tls_helper ucp-sip-tls 5061 5061 || exit $KSFT_FAIL

cat > "$UD_DIR/ucproxyd.conf" <<CONF
[global]
stats-file = $UD_DIR/stats

[listener phones]
application = phone-proxy
listen = 192.0.2.1:5061
server = 10.9.0.2:5061
inspect = sip
certificate = $UD_DIR/router.pem
key = $UD_DIR/router.key
client-auth = off
client-role = none
server-ca = $UD_DIR/ca.pem
CONF
ud_start "$UD_DIR/ucproxyd.conf" || exit $KSFT_FAIL

# kamailio, the call manager: the tests' registrar and proxy with TLS.
cat > "$UD_DIR/kamailio-tls.cfg" <<TLS
[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
certificate = $UD_DIR/cucm.pem
private_key = $UD_DIR/cucm.key

[client:default]
method = TLSv1.2+
verify_certificate = no
TLS
{
	sed '/^request_route {/,$d' "$SIP_DIR/kamailio.cfg"
	echo 'enable_tls=yes'
	echo 'loadmodule "tls.so"'
	echo "modparam(\"tls\", \"config\", \"$UD_DIR/kamailio-tls.cfg\")"
	sed -n '/^request_route {/,$p' "$SIP_DIR/kamailio.cfg"
} > "$UD_DIR/kamailio.cfg"
mkdir -p "$UD_DIR/kamailio"
ip netns exec "$UD_S" kamailio -f "$UD_DIR/kamailio.cfg" -L "$KAM_MODDIR" \
	-DD -E -m 32 -M 8 -n 2 -N 2 -a no \
	-P "$UD_DIR/kamailio/kamailio.pid" -Y "$UD_DIR/kamailio" \
	-l "tls:10.9.0.2:5061" -l "udp:10.9.0.2:5060" >"$UD_DIR/kamailio.log" 2>&1 &
KAM_PID=$!
on_exit "kill $KAM_PID"
for _ in $(seq 300); do
	grep -q Aliases: "$UD_DIR/kamailio.log" && break
	sleep 0.1
done
grep -q Aliases: "$UD_DIR/kamailio.log" ||
	{ ktap_diag "kamailio did not start: $(tail -3 "$UD_DIR/kamailio.log")"; exit $KSFT_FAIL; }

declare -A DESC=(
	[register]="both phones register, the remote one over TLS through ucproxyd"
	[call]="the remote phone calls the inside phone: answered"
	[media]="media: SRTP from and to the remote phone, RTP inside, translated by the kernel"
	[license]="during the call: an SRTP and a phone-proxy license session, kTLS on both legs"
	[hangup]="BYE: the media session and its SRTP license released"
)
shopt -s lastpipe
python3 "$SIP_DIR/secure_call.py" --ns-a "$UD_S" --ns-b "$UD_C" --ns-r "$UD_R" \
	--tmp "$UD_DIR" --ucpctl "$UCPCTL" --ca "$UD_DIR/ca.pem" --a 10.9.0.3 \
	--b 192.0.2.10 --router 192.0.2.1 --kam 10.9.0.2 ${UCP_SHOW:+--show} 2>"$UD_DIR/call.err" |
while IFS= read -r line; do
	case $line in
	"diag "*)
		ktap_diag "${line#diag }" ;;
	"result "*)
		read -r _ id verdict text <<<"$line"
		if [ "$verdict" = ok ]; then
			ktap_ok "${DESC[$id]}"
		else
			ktap_fail "${DESC[$id]}: $text"
		fi ;;
	esac
done
if [ "$_ktap_n" -lt 5 ]; then
	ktap_diag "secure_call.py: $(tail -5 "$UD_DIR/call.err")"
	exit $KSFT_FAIL
fi
if [ -n "${UCP_SHOW:-}" ]; then
	ktap_diag "the agent's counters (SIGUSR1):"
	ud_stat connections >/dev/null
	sed 's/^/#   /' "$UD_DIR/stats"
fi
if [ -n "${SIP_DEBUG:-}" ] || [ "$_ktap_failed" -gt 0 ]; then
	for f in "$UD_DIR"/log "$UD_DIR"/kamailio.log "$UD_DIR"/baresip-*/log; do
		ktap_diag "==== $f"
		tail -n 40 "$f" | sed 's/^/# /'
	done
fi
ktap_finish
