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

cat > "$UD_DIR/ucproxyd.conf" <<EOF
[global]
stats-file = $UD_DIR/stats
handshake-timeout = 120
max-connections = $((N + 100))

[listener many]
application = tls-proxy
listen = 192.0.2.1:$UD_PORT
server = 10.9.0.2:$UD_PORT
certificate = $UD_DIR/proxy.pem
key = $UD_DIR/proxy.key
client-auth = off
client-role = none
server-ca = $UD_DIR/ca.pem
EOF

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
    srv = await asyncio.start_server(serve, "10.9.0.2", 5061, ssl=ctx, backlog=1024)
    await srv.serve_forever()
asyncio.run(main())
EOF

# The clients: N connections (at most 64 handshakes at a time), a line
# each; "held N" when all are up; on a line on stdin, a second line on
# every connection ("alive N"); on the next, close them all ("closed").
cat > "$UD_DIR/many.py" <<'EOF'
import asyncio, ssl, sys
d, n = sys.argv[1], int(sys.argv[2])
async def one(i, ctx, sem):
    async with sem:
        r, w = await asyncio.wait_for(
            asyncio.open_connection("192.0.2.1", 5061, ssl=ctx), 120)
    w.write(b"hello %d\n" % i)
    await w.drain()
    assert await asyncio.wait_for(r.readline(), 120) == b"HELLO %d\n" % i
    return r, w
async def main():
    ctx = ssl.create_default_context(cafile=d + "/ca.pem")
    ctx.check_hostname = False
    sem = asyncio.Semaphore(64)
    res = await asyncio.gather(*(one(i, ctx, sem) for i in range(n)),
                               return_exceptions=True)
    conns = [c for c in res if not isinstance(c, BaseException)]
    errs = [repr(e) for e in res if isinstance(e, BaseException)]
    print("held", len(conns), *errs[:3], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)
    ok = 0
    for i, (r, w) in enumerate(conns):
        w.write(b"again %d\n" % i)
    for i, (r, w) in enumerate(conns):
        if await asyncio.wait_for(r.readline(), 60) == b"AGAIN %d\n" % i:
            ok += 1
    print("alive", ok, flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    for r, w in conns:
        w.close()
    print("closed", flush=True)
asyncio.run(main())
EOF

ip netns exec "$UD_S" python3 "$UD_DIR/echo.py" "$UD_DIR" 2>"$UD_DIR/echo.err" &
on_exit "kill $!"
ud_start "$UD_DIR/ucproxyd.conf" || exit $KSFT_FAIL
sleep 0.5

coproc MANY { ip netns exec "$UD_C" python3 "$UD_DIR/many.py" "$UD_DIR" "$N" 2>&1; }
on_exit "kill $MANY_PID"
start=$SECONDS
read -r -t 240 line <&"${MANY[0]}"
ktap_diag "$line after $((SECONDS - start)) s"
ktap_check "$N proxied TLS connections established, a line each end to end" \
	test "$line" = "held $N"

active=$(ud_stat active)
in_use=$(ip netns exec "$UD_R" "$UCPCTL" -j license show | jq -r '.usage["tls-proxy"]["in-use"]')
legs=$(ud_stat legs_ktls)
curtx=$(ud_tls_stat TlsCurrTxSw)
currx=$(ud_tls_stat TlsCurrRxSw)
ktap_diag "active $active, license in use $in_use, legs_ktls $legs, TlsCurrTxSw $curtx, TlsCurrRxSw $currx"
ktap_check "held: $N active in the agent, $N license sessions in use" \
	test "$active" -eq "$N" -a "$in_use" -eq "$N"
ktap_check "kTLS on both directions of all $((2 * N)) legs" \
	test "$legs" -eq $((2 * N)) -a "$curtx" -eq $((2 * N)) -a "$currx" -eq $((2 * N))

echo go >&"${MANY[1]}"
read -r -t 120 line <&"${MANY[0]}"
ktap_check "all held connections still carry data ($line)" test "$line" = "alive $N"

echo go >&"${MANY[1]}"
read -r -t 60 line <&"${MANY[0]}"
released()
{
	for _ in $(seq 100); do
		active=$(ud_stat active)
		in_use=$(ip netns exec "$UD_R" "$UCPCTL" -j license show |
			jq -r '.usage["tls-proxy"]["in-use"]')
		[ "$active" -eq 0 ] && [ "$in_use" -eq 0 ] && return 0
		sleep 0.2
	done
	fail_msg "after close: active $active, license in use $in_use"
}
ktap_check "closed: no connection left, every license session released" released

[ "$_ktap_failed" -eq 0 ] || sed 's/^/# agent: /' "$UD_DIR/log" | grep -v relaying | tail -20
ktap_finish
