#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Scripted peers of ucproxyd_abuse.sh: what openssl s_client and s_server
cannot play. The well-behaved calls of the test are openssl s_client; these
are the server (s_server serves one connection at a time, and the test
holds many) and the abusers:

    server DIR          TLS server in S on 10.9.0.2:5061 (certificate cucm).
                        First line "call": answers "CALL" and closes;
                        "bulk": sends 16 KiB chunks for ever (the bytes all
                        of them got out in DIR/bulk.sent, updated every
                        0.5 s); "sink": never reads again; anything else:
                        echoes every line upper-cased. Creates
                        DIR/server.ready.
    steady DIR          one held connection through the agent exchanging a
                        line every 50 ms; "ready" when up; on "stop" on
                        stdin prints "exchanges N errors E"; on any other
                        line prints "exchanges N errors E" and goes on.
    slow N              N clients sending a real ClientHello one byte per
                        second; one line per client: "port P closed S sent B"
                        (S: seconds from connect until the agent closed).
    flood N             N TCP connections that never send anything; 0.5 s
                        after the last, "held H refused R ports P,P,..."
                        (R: closed by the agent at once); waits for the held
                        ones to be closed and, after a line on stdin, prints
                        "released H after S" (S: seconds from the first
                        connect until the last was closed).
    garbage DIR N       N clients sending 64 KiB of random bytes instead of
                        TLS ("plain P closed S"), then N clients that finish
                        a handshake, exchange a line and send a TLS
                        application-data record of random bytes
                        ("record P closed S reply R").
    stall DIR N         N/2 clients that ask for "bulk" and never read,
                        N/2 that ask for "sink" and write until blocked;
                        "stalled N sent B" (B: the most bytes one sink got
                        out before blocking for 1 s, at most 64 MiB);
                        on a line on stdin closes them all: "closed".
"""
import asyncio
import os
import select
import socket
import ssl
import sys
import time

AGENT = ("192.0.2.1", 5061)
SERVER = ("10.9.0.2", 5061)


def client_ctx(d):
    ctx = ssl.create_default_context(cafile=d + "/ca.pem")
    ctx.check_hostname = False
    return ctx


def closed_by_peer(sock, timeout):
    """Waits up to @timeout s for the peer's close: True when it came."""
    end = time.monotonic() + timeout
    while True:
        r, _, _ = select.select([sock], [], [],
                                max(0, end - time.monotonic()))
        if not r:
            return False
        try:
            if not sock.recv(65536):
                return True
        except ssl.SSLWantReadError:
            continue
        except (ConnectionError, ssl.SSLError, OSError):
            return True


async def serve(r, w):
    line = await r.readline()
    if line == b"call\n":
        w.write(b"CALL\n")
        await w.drain()
        w.close()
    elif line == b"bulk\n":
        chunk = os.urandom(16384)
        while True:
            w.write(chunk)
            await w.drain()
            bulk_sent[0] += len(chunk)
    elif line == b"sink\n":
        # The stream's buffer fills and asyncio stops reading the socket.
        await asyncio.Event().wait()
    else:
        while line:
            w.write(line.upper())
            await w.drain()
            line = await r.readline()
        w.close()


async def serve_one(r, w):
    try:
        await serve(r, w)
    except (ConnectionError, ssl.SSLError, OSError):
        w.transport.abort()


bulk_sent = [0]


async def report(d):
    """DIR/bulk.sent: bytes all "bulk" connections got out, every 0.5 s."""
    last = None
    while True:
        if bulk_sent[0] != last:
            last = bulk_sent[0]
            with open(d + "/bulk.tmp", "w") as f:
                f.write("%d\n" % last)
            os.rename(d + "/bulk.tmp", d + "/bulk.sent")
        await asyncio.sleep(0.5)


async def server(d):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d + "/cucm.pem", d + "/cucm.key")
    srv = await asyncio.start_server(serve_one, *SERVER, ssl=ctx,
                                     backlog=1024)
    task = asyncio.create_task(report(d))
    open(d + "/server.ready", "w").close()
    await srv.serve_forever()
    task.cancel()


def steady(d):
    s = client_ctx(d).wrap_socket(socket.create_connection(AGENT, 20))
    s.settimeout(10)
    f = s.makefile("rb")
    print("ready", flush=True)
    n = errors = 0
    while True:
        r, _, _ = select.select([sys.stdin], [], [], 0.05)
        if r:
            cmd = sys.stdin.readline().strip()
            print("exchanges", n, "errors", errors, flush=True)
            if cmd in ("stop", ""):
                s.close()
                return
        if errors:
            continue
        try:
            s.sendall(b"ping %d\n" % n)
            if f.readline() == b"PING %d\n" % n:
                n += 1
            else:
                errors += 1
        except (OSError, ssl.SSLError):
            errors += 1


def client_hello():
    """The bytes of a real TLS ClientHello, from Python's ssl module."""
    inb, outb = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ssl.create_default_context().wrap_bio(inb, outb,
                                                server_hostname="router")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outb.read()


async def slow_one(hello):
    t0 = time.monotonic()
    r, w = await asyncio.open_connection(*AGENT)
    port = w.get_extra_info("sockname")[1]
    sent = 0
    try:
        while sent < len(hello) and time.monotonic() - t0 < 30:
            w.write(hello[sent:sent + 1])
            await w.drain()
            sent += 1
            try:
                if not await asyncio.wait_for(r.read(4096), 1.0):
                    break
            except asyncio.TimeoutError:
                pass
    except (ConnectionError, OSError):
        pass
    w.transport.abort()
    return "port %d closed %.1f sent %d" % (port, time.monotonic() - t0,
                                            sent)


async def slow(n):
    hello = client_hello()
    for line in await asyncio.gather(*(slow_one(hello) for _ in range(n))):
        print(line, flush=True)


def flood(n):
    t0 = time.monotonic()
    socks = [socket.create_connection(AGENT, 10) for _ in range(n)]
    time.sleep(0.5)
    held, refused = [], []
    for s in socks:
        (refused if closed_by_peer(s, 0) else held).append(s)
    print("held", len(held), "refused", len(refused), "ports",
          ",".join(str(s.getsockname()[1]) for s in refused), flush=True)
    # When the last held one is closed, told after the line on stdin.
    left = [s for s in held if not closed_by_peer(s, 30)]
    t = time.monotonic() - t0
    sys.stdin.readline()
    print("released", len(held) - len(left), "after %.1f" % t, flush=True)


def garbage(d, n):
    for _ in range(n):
        s = socket.create_connection(AGENT, 10)
        t0 = time.monotonic()
        try:
            s.sendall(os.urandom(65536))
        except OSError:
            pass
        closed = closed_by_peer(s, 20)
        print("plain", s.getsockname()[1],
              "closed %.1f" % (time.monotonic() - t0) if closed else
              "open", flush=True)
        s.close()
    ctx = client_ctx(d)
    for _ in range(n):
        s = ctx.wrap_socket(socket.create_connection(AGENT, 10))
        s.settimeout(10)
        s.sendall(b"hello\n")
        reply = s.recv(100) == b"HELLO\n"
        # A record header (application data, TLS 1.2 version, 64 bytes)
        # and 64 random bytes, under the TLS layer on the raw socket.
        t0 = time.monotonic()
        os.write(s.fileno(), b"\x17\x03\x03\x00\x40" + os.urandom(64))
        closed = closed_by_peer(s, 20)
        print("record", s.getsockname()[1],
              "closed %.1f" % (time.monotonic() - t0) if closed else
              "open", "reply", "ok" if reply else "bad", flush=True)
        s.close()


def stall(d, n):
    ctx = client_ctx(d)
    conns, sent = [], 0
    for i in range(n):
        raw = socket.socket()
        # Small buffers: the stall comes after kilobytes, not megabytes.
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        raw.connect(AGENT)
        s = ctx.wrap_socket(raw)
        s.sendall(b"sink\n" if i % 2 else b"bulk\n")
        conns.append(s)
    chunk = os.urandom(16384)
    for s in conns[1::2]:
        s.settimeout(1)
        n = 0
        try:
            # At most 64 MiB each: far beyond what the agent may buffer.
            while n < 64 << 20:
                s.sendall(chunk)
                n += len(chunk)
        except (TimeoutError, socket.timeout):
            pass
        sent = max(sent, n)
    print("stalled", len(conns), "sent", sent, flush=True)
    sys.stdin.readline()
    for s in conns:
        s.close()
    print("closed", flush=True)


def main():
    cmd = sys.argv[1]
    if cmd == "server":
        asyncio.run(server(sys.argv[2]))
    elif cmd == "steady":
        steady(sys.argv[2])
    elif cmd == "slow":
        asyncio.run(slow(int(sys.argv[2])))
    elif cmd == "flood":
        flood(int(sys.argv[2]))
    elif cmd == "garbage":
        garbage(sys.argv[2], int(sys.argv[3]))
    elif cmd == "stall":
        stall(sys.argv[2], int(sys.argv[3]))


if __name__ == "__main__":
    main()
