#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SIP over TLS through ucproxyd with inspection in the kernel: a phone's
# REGISTER read in clear by the agent goes through UCP_CMD_SIGNAL_INSPECT
# with the identity of the proxied flows (both legs' conntracks carry the
# ucp-sip-tls helper, assigned by nft), and reaches the registrar with the
# phone's address replaced by the router's; the 200 OK comes back the same
# way; a malformed message is dropped and counted, and the connection
# goes on. Peers: Python's ssl module on both sides (a SIP client and a
# minimal registrar that answers 200 OK).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
require_root
require_nft_objref

ktap_plan 10
ud_setup || exit $KSFT_FAIL

ud_tls_helper ucp-sip-tls "5061, 5062" "5060, 5061" || exit $KSFT_FAIL

# TLS onward, plain TCP to a non-secure call manager, and IPv6.
ud_inspect_conf sip "sip 192.0.2.1:$UD_PORT 10.9.0.2:$UD_PORT" \
	"sip-plain 192.0.2.1:5062 plain:10.9.0.2:5060" \
	"sip6 [2001:db8:1::1]:$UD_PORT [2001:db8:2::2]:$UD_PORT" >"$UD_DIR/ucproxyd.conf"

# The registrar: every message it reads goes to registrar.log; requests
# other than FOO get a 200 OK with their Via, From, To, Call-ID and CSeq.
cat > "$UD_DIR/registrar.py" <<'EOF'
import re, socket, ssl, sys, threading
d = sys.argv[1]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(d + "/cucm.pem", d + "/cucm.key")
def serve(c):
    buf = b""
    while True:
        while b"\r\n\r\n" not in buf:
            data = c.recv(4096)
            if not data:
                return
            buf += data
        head, _, rest = buf.partition(b"\r\n\r\n")
        cl = int(re.search(rb"(?im)^content-length: *(\d+)", head).group(1))
        body, buf = rest[:cl], rest[cl:]
        with open(d + "/registrar.log", "ab") as f:
            f.write(head + b"\r\n\r\n" + body + b"\n----\n")
        hdrs = [l for l in head.split(b"\r\n")[1:]
                if re.match(rb"(?i)(via|from|to|call-id|cseq):", l)]
        c.sendall(b"SIP/2.0 200 OK\r\n" + b"\r\n".join(hdrs) +
                  b"\r\nContent-Length: 0\r\n\r\n")
def accept(ls):
    while True:
        s, _ = ls.accept()
        threading.Thread(target=serve, args=(ctx.wrap_socket(s, server_side=True),),
                         daemon=True).start()
ls6 = socket.create_server(("2001:db8:2::2", 5061), family=socket.AF_INET6)
ls4 = socket.create_server(("10.9.0.2", 5061))
plain = socket.create_server(("10.9.0.2", 5060))
open(d + "/registrar.ready", "w").close()
threading.Thread(target=accept, args=(ls6,), daemon=True).start()
def accept_plain(ls):
    while True:
        s, _ = ls.accept()
        threading.Thread(target=serve, args=(s,), daemon=True).start()
threading.Thread(target=accept_plain, args=(plain,), daemon=True).start()
accept(ls4)
EOF
ud_server "$UD_DIR/registrar.ready" python3 "$UD_DIR/registrar.py" "$UD_DIR"

# The phone: REGISTER, then a malformed message, then OPTIONS, on one
# connection; prints what comes back.
cat > "$UD_DIR/phone.py" <<'EOF'
import socket, ssl, sys
d, proxy, me = sys.argv[1], sys.argv[2], sys.argv[3]
port = int(sys.argv[4]) if len(sys.argv) > 4 else 5061
ctx = ssl.create_default_context(cafile=d + "/ca.pem")
ctx.check_hostname = False
s = ctx.wrap_socket(socket.create_connection((proxy, port), timeout=10))
lp = s.getsockname()[1]
host = "[%s]" % me if ":" in me else me
def msg(method, cseq):
    return ("%s sip:registrar SIP/2.0\r\n"
            "Via: SIP/2.0/TLS %s:%d;branch=z9hG4bK%d\r\n"
            "From: <sip:phone@%s>;tag=1\r\n"
            "To: <sip:phone@%s>\r\n"
            "Call-ID: reg-%s\r\n"
            "CSeq: %d %s\r\n"
            "Contact: <sip:phone@%s:%d;transport=tls>\r\n"
            "Expires: 60\r\n"
            "Content-Length: 0\r\n\r\n" % (method, host, lp, cseq, host, host,
                                           "v6" if ":" in me else "v4-%d" % port,
                                           cseq, method, host, lp)).encode()
def reply():
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = s.recv(4096)
        if not data:
            return "EOF"
        buf += data
    return buf.decode()
s.sendall(msg("REGISTER", 1))
print(reply())
print("====")
s.sendall(b"FOO\r\nContent-Length: 0\r\n\r\n")
s.sendall(msg("OPTIONS", 2))
print(reply())
EOF

ud_start "$UD_DIR/ucproxyd.conf" || exit $KSFT_FAIL

ip netns exec "$UD_C" timeout 20 python3 "$UD_DIR/phone.py" "$UD_DIR" \
	192.0.2.1 192.0.2.10 >"$UD_DIR/phone.out" 2>&1
ktap_diag "phone: $(head -c 600 "$UD_DIR/phone.out" | tr '\r\n' '  ')"

register_rewritten()
{
	local reg

	reg=$(awk '/^REGISTER/,/^----/' "$UD_DIR/registrar.log" 2>/dev/null |
		awk '/^REGISTER/ { n++ } n == 1')
	[ -n "$reg" ] || fail_msg "no REGISTER reached the registrar" || return 1
	! grep -q "192.0.2.10" <<<"$reg" || fail_msg "phone address left: $reg" || return 1
	grep -q "^Via: SIP/2.0/TLS 10.9.0.1:[0-9]*;branch=z9hG4bK1" <<<"$reg" ||
		fail_msg "Via: $reg" || return 1
	grep -q "^Contact: <sip:phone@10.9.0.1:[0-9]*;transport=tls>" <<<"$reg" ||
		fail_msg "Contact: $reg"
}
ktap_check "REGISTER reaches the registrar with the router's address in Via and Contact" \
	register_rewritten

ok_back()
{
	local first

	first=$(sed -n '1,/^====/p' "$UD_DIR/phone.out")
	grep -q "^SIP/2.0 200 OK" <<<"$first" || fail_msg "reply: $first" || return 1
	# The reply's Via is the phone's again, as the phone sent it.
	grep -q "^Via: SIP/2.0/TLS 192.0.2.10:[0-9]*;branch=z9hG4bK1" <<<"$first" ||
		fail_msg "Via: $first"
}
ktap_check "the 200 OK comes back to the phone, its Via mapped back" ok_back

ktap_check "a malformed message is dropped, the registrar never sees it" \
	bash -c "! grep -q '^FOO' '$UD_DIR/registrar.log'"
ktap_check "the connection goes on after the drop (OPTIONS answered)" \
	bash -c "sed -n '/^====/,\$p' '$UD_DIR/phone.out' | grep -q 'CSeq: 2 OPTIONS'"

n=$(ud_stat inspected)
d=$(ud_stat inspect_dropped)
ktap_check "agent counters: inspected $n (want 4), dropped $d (want 1)" \
	test "$n" -eq 4 -a "$d" -eq 1
k=$(ip netns exec "$UD_R" "$UCPCTL" -j show stats | jq -r '.counters["sip.messages"]')
ktap_check "the kernel parsed them (sip.messages $k)" test "$k" -ge 4

# The same over IPv6: the phone at 2001:db8:1::10, the registrar at
# 2001:db8:2::2, the router's 2001:db8:2::1 in what the registrar sees.
ip netns exec "$UD_C" timeout 20 python3 "$UD_DIR/phone.py" "$UD_DIR" \
	2001:db8:1::1 2001:db8:1::10 >"$UD_DIR/phone6.out" 2>&1
register6()
{
	local reg

	reg=$(awk '/^REGISTER/ { keep = 0 } /^REGISTER/ { buf = "" } { buf = buf $0 "\n" }
		/^Call-ID: reg-v6/ { keep = 1 } /^----/ && keep { printf "%s", buf; exit }' \
		"$UD_DIR/registrar.log" 2>/dev/null)
	[ -n "$reg" ] || fail_msg "no IPv6 REGISTER reached the registrar" || return 1
	grep -q "^Via: SIP/2.0/TLS \[2001:db8:2::1\]:[0-9]*;branch=z9hG4bK1" <<<"$reg" ||
		fail_msg "Via: $reg" || return 1
	grep -q "^Contact: <sip:phone@\[2001:db8:2::1\]:[0-9]*;transport=tls>" <<<"$reg" ||
		fail_msg "Contact: $reg"
}
ktap_check "IPv6: REGISTER reaches the registrar with the router's IPv6 address" register6
ktap_check "IPv6: the 200 OK comes back with the phone's Via" \
	grep -q "^Via: SIP/2.0/TLS \[2001:db8:1::10\]:[0-9]*;branch=z9hG4bK1" "$UD_DIR/phone6.out"

# Toward a non-secure call manager: TLS from the phone, plain TCP onward,
# inspected the same way.
ip netns exec "$UD_C" timeout 20 python3 "$UD_DIR/phone.py" "$UD_DIR" \
	192.0.2.1 192.0.2.10 5062 >"$UD_DIR/phone-plain.out" 2>&1
register_plain()
{
	local reg

	reg=$(awk '/^REGISTER/ { buf = "" } { buf = buf $0 "\n" }
		/^Call-ID: reg-v4-5062/ { keep = 1 } /^----/ && keep { printf "%s", buf; exit }' \
		"$UD_DIR/registrar.log" 2>/dev/null)
	[ -n "$reg" ] || fail_msg "no REGISTER reached the plain TCP registrar" || return 1
	! grep -q "192.0.2.10" <<<"$reg" || fail_msg "phone address left: $reg" || return 1
	grep -q "^Via: SIP/2.0/TLS 10.9.0.1:[0-9]*;branch=z9hG4bK1" <<<"$reg" ||
		fail_msg "Via: $reg"
}
ktap_check "plain TCP onward (server-tls off): REGISTER rewritten for the call manager" register_plain
ktap_check "plain TCP onward: the 200 OK comes back over TLS" \
	grep -q "^SIP/2.0 200 OK" "$UD_DIR/phone-plain.out"

[ "$_ktap_failed" -eq 0 ] || sed 's/^/# agent: /' "$UD_DIR/log" | tail -20
ktap_finish
