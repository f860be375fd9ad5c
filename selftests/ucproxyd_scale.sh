#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 1,000 concurrent proxied TLS connections held by one ucproxyd: a Python
# asyncio client opens them all (each exchanges a line end to end), holds
# them while the agent and the kernel count them (1,000 active, 1,000
# license sessions in use, kTLS on every leg), talks on every one of them
# again, then closes them all; everything is given back.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
require_root

N=${UD_SCALE_N:-1000}

ktap_plan 5
# Two sockets per connection in the agent, one in each peer.
ulimit -n $((4 * N + 256))
ud_setup || exit $KSFT_FAIL
ip netns exec "$UD_R" "$UCPCTL" tls-proxy maximum-sessions $((N + 100)) >/dev/null ||
	exit $KSFT_FAIL

{
	cat <<EOF
[global]
stats-file = $UD_DIR/stats
handshake-timeout = 120
max-connections = $((N + 100))

EOF
	ud_tls_proxy_listener many 192.0.2.1:$UD_PORT 10.9.0.2:$UD_PORT
} > "$UD_DIR/ucproxyd.conf"

# The server: echoes each line, upper-cased, on every connection.
cat > "$UD_DIR/echo.py" <<'EOF'
import asyncio, ssl, sys
d = sys.argv[1]
async def serve(r, w):
    while line := await r.readline():
        w.write(line.upper())
        await w.drain()
    w.close()
async def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d + "/cucm.pem", d + "/cucm.key")
    # Not asyncio's 60-s handshake bound: 1,000 handshakes at once under
    # emulation can take longer.
    srv = await asyncio.start_server(serve, "10.9.0.2", 5061, ssl=ctx, backlog=1024,
                                     ssl_handshake_timeout=600)
    await srv.serve_forever()
asyncio.run(main())
EOF

ip netns exec "$UD_S" python3 "$UD_DIR/echo.py" "$UD_DIR" 2>"$UD_DIR/echo.err" &
on_exit "kill $!"
ud_start "$UD_DIR/ucproxyd.conf" || exit $KSFT_FAIL
sleep 0.5

# The clients (selftests/tls_many.py): N connections, a line each way on
# each, held; a second line on every one; then closed.
ud_many python3 "$UCP_SELFTESTS/tls_many.py" lines "$UD_DIR" "$N" 192.0.2.1 $UD_PORT
start=$SECONDS
ud_many_line 240
ktap_diag "$UD_MANY after $((SECONDS - start)) s"
ktap_check "$N proxied TLS connections established, a line each end to end" \
	test "$UD_MANY" = "held $N"

active=$(ud_stat active)
in_use=$(ud_in_use tls-proxy)
legs=$(ud_stat legs_ktls)
curtx=$(ud_tls_stat TlsCurrTxSw)
currx=$(ud_tls_stat TlsCurrRxSw)
ktap_diag "active $active, license in use $in_use, legs_ktls $legs, TlsCurrTxSw $curtx, TlsCurrRxSw $currx"
ktap_check "held: $N active in the agent, $N license sessions in use" \
	test "$active" -eq "$N" -a "$in_use" -eq "$N"
ktap_check "kTLS on both directions of all $((2 * N)) legs" \
	test "$legs" -eq $((2 * N)) -a "$curtx" -eq $((2 * N)) -a "$currx" -eq $((2 * N))

ud_many_go
ud_many_line 120
ktap_check "all held connections still carry data ($UD_MANY)" test "$UD_MANY" = "alive $N"
ktap_check "closed: no connection left, every license session released" \
	ud_many_closed tls-proxy

[ "$_ktap_failed" -eq 0 ] || sed 's/^/# agent: /' "$UD_DIR/log" | grep -v relaying | tail -20
ktap_finish
