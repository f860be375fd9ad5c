# SPDX-License-Identifier: GPL-2.0
"""Scripted MMP peers of ucproxyd_mmp.sh.

No implementation of MMP (the Mobile Multiplexing Protocol between the
Cisco UMC client and the UMA server) exists in Debian, nor a public
specification: these peers speak only what the appliance's documentation
says of it (header lines "Name: value", a body framed by Content-Length),
which is all ucproxy checks. TLS is done by the real peers: openssl
s_client carries the client's bytes (this script only writes them to its
stdin), Python's ssl module is the server's.

  mmp_peer.py server DIR   the UMA server on 10.9.0.2:5443: requires a client
                           certificate of DIR/ca.pem; answers every message
                           (an ack whose body is the request's reversed;
                           Msg-Type big: a reply over the client-to-server
                           caps; bye: the ack, then the end); per connection
                           whose first message names a Case, writes
                           DIR/srv-CASE.in (bytes received), .out (sent), .cn
                           (the client certificate's CN) and, at its end,
                           DIR/closed-CASE
  mmp_peer.py feed DIR CASE  writes the client's bytes of CASE to stdout in
                           pieces (each one TLS record of s_client), copies
                           them to DIR/cli-CASE.sent, then waits (at most 30
                           s) for DIR/closed-CASE; a CASE holdN first waits
                           for DIR/release-CASE, then says bye
  mmp_peer.py segments DIR  a client on Python's ssl over memory BIOs, so that
                           it picks the TCP segments: one TLS record of three
                           messages (Case segments, M1, M2) written in four
                           TCP segments, cut inside the record header and the
                           ciphertext, with pauses between; then a bye. Writes
                           DIR/cli-segments.sent and .out like feed
  mmp_peer.py many DIR N   N connections at once (tls_many.py: Python's
                           ssl as the client), one message each: "held N";
                           on a line on stdin one more on each: "alive N";
                           on the next, closes them: "closed"
"""
import asyncio
import os
import socket
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tls_many  # noqa: E402

SERVER = (os.environ.get("MMP_SERVER", "10.9.0.2"), 5443)
PROXY = (os.environ.get("MMP_PROXY", "192.0.2.1"), 5443)


def msg(headers, body=b""):
    """A message: the headers (name, value), then Content-Length."""
    h = b"".join(b"%s: %s\r\n" % (n.encode(), v.encode()) for n, v in headers)
    return h + b"Content-Length: %d\r\n\r\n" % len(body) + body


def sized(hlen, clen, headers=()):
    """A message whose header block is exactly hlen bytes, body clen."""
    base = msg(list(headers) + [("X-Pad", "")], b"b" * clen)
    pad = hlen + clen - len(base)
    assert pad >= 0
    m = msg(list(headers) + [("X-Pad", "p" * pad)], b"b" * clen)
    assert len(m) == hlen + clen
    return m


def case(name, *more):
    return msg([("Case", name), ("Msg-Type", "hello")] + list(more), b"hi")


BYE = msg([("Msg-Type", "bye")])

# The good exchange: what the client writes, each item one write (one TLS
# record), a float a pause. A header split inside a name, three messages
# in one record, a body split, both caps at exactly 4096, a request for
# a reply over the caps, names in any case, the end.
M1 = msg([("Session-Id", "0x1234abcd"), ("Msg-Type", "login")], b"user=alice")
M2 = msg([("msg-type", "ping")])
M3 = msg([("MSG-TYPE", "oml"), ("Sequence", "3")], b"<oml>presence</oml>")
M4 = msg([("Msg-Type", "http")], b"GET /uma/contacts HTTP/1.1\r\nHost: uma\r\n\r\n")
M5 = msg([("Msg-Type", "oml")], b"0123456789" * 30)
M6 = sized(4096, 4096, [("Msg-Type", "boundary")])
M7 = msg([("Msg-Type", "big")])
GOOD = [case("good"), M1[:9], 0.4, M1[9:], M2 + M3 + M4,
        M5[:M5.index(b"\r\n\r\n") + 7], 0.4, M5[M5.index(b"\r\n\r\n") + 7:],
        M6, M7, BYE]

# Each violation follows one good message, which must reach the server;
# nothing after it may.
BAD = {
    "header_too_long": sized(4097, 0),
    "content_too_long": msg([("Msg-Type", "oml")], b"c" * 4097),
    "no_space": b"Msg-Type:oml\r\nContent-Length: 0\r\n\r\n",
    "content_length": b"Msg-Type: oml\r\nContent-Length: 12x\r\n\r\n",
    "no_content_length": b"Msg-Type: oml\r\n\r\n",
    "header": b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03garbage",
}


def chunks(name):
    if name == "good":
        return GOOD
    if name.startswith("hold"):
        return [case(name)]
    return [case(name), 0.3, BAD[name], BYE]


def headers_of(raw):
    out = {}
    for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        n, _, v = line.partition(b": ")
        out[n.decode().lower()] = v.decode()
    return out


def split_msg(buf):
    """(message, rest) when buf starts with a whole message, else None."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    h = headers_of(buf[:end + 4])
    n = end + 4 + int(h.get("content-length", "0"))
    if len(buf) < n:
        return None
    return buf[:n], buf[n:]


def reply(raw, seq):
    h = headers_of(raw)
    body = raw.split(b"\r\n\r\n", 1)[1]
    if h.get("msg-type") == "big":
        # Header block 5000, body 6000: over both client-to-server caps.
        return sized(5000, 6000, [("Msg-Type", "big-reply")])
    return msg([("Msg-Type", "ack"), ("Seq", str(seq))], body[::-1])


async def serve(d, r, w):
    cert = w.get_extra_info("peercert") or {}
    cn = "".join(v for rdn in cert.get("subject", ()) for k, v in rdn
                 if k == "commonName")
    buf, seq, name, files = b"", 0, None, None
    try:
        while True:
            data = await r.read(65536)
            if not data:
                break
            buf += data
            if files:
                files[0].write(data)
                files[0].flush()
            while (s := split_msg(buf)) is not None:
                raw, buf = s
                if seq == 0:
                    name = headers_of(raw).get("case")
                    if name and not name.startswith("scale"):
                        files = [open("%s/srv-%s.%s" % (d, name, x), "wb")
                                 for x in ("in", "out")]
                        with open("%s/srv-%s.cn" % (d, name), "w") as f:
                            f.write(cn + "\n")
                        files[0].write(raw + buf)
                        files[0].flush()
                seq += 1
                out = reply(raw, seq)
                w.write(out)
                await w.drain()
                if files:
                    files[1].write(out)
                    files[1].flush()
                if headers_of(raw).get("msg-type") == "bye":
                    raise EOFError
    except (EOFError, ConnectionError, ssl.SSLError):
        pass
    finally:
        w.close()
        if files:
            for f in files:
                f.close()
        if name and not name.startswith("scale"):
            open("%s/closed-%s" % (d, name), "w").close()


async def server(d):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d + "/uma.pem", d + "/uma.key")
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(d + "/ca.pem")
    # asyncio aborts a server handshake after 60 s by default: with 1,000
    # connections handshaking at once under emulation, some finish later
    # (the agent then sees its server leg reset right after its own side
    # of the handshake completed).
    srv = await asyncio.start_server(lambda r, w: serve(d, r, w), *SERVER,
                                     ssl=ctx, backlog=1024,
                                     ssl_handshake_timeout=600)
    open(d + "/server.ready", "w").close()
    await srv.serve_forever()


def feed(d, name):
    out = sys.stdout.buffer
    with open("%s/cli-%s.sent" % (d, name), "wb") as sent:
        for c in chunks(name):
            if isinstance(c, float):
                time.sleep(c)
                continue
            try:
                out.write(c)
                out.flush()
            except BrokenPipeError:
                # The connection ended (a refusal): s_client is gone.
                os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
                break
            sent.write(c)
        if name.startswith("hold"):
            # Held until the test releases it, then ended by a bye.
            for _ in range(600):
                if os.path.exists("%s/release-%s" % (d, name)):
                    break
                time.sleep(0.1)
            try:
                out.write(BYE)
                out.flush()
                sent.write(BYE)
            except BrokenPipeError:
                os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    for _ in range(300):
        if os.path.exists("%s/closed-%s" % (d, name)):
            break
        time.sleep(0.1)


class BioClient:
    """TLS over memory BIOs: the caller decides what goes in each send."""

    def __init__(self, d):
        ctx = ssl.create_default_context(cafile=d + "/ca.pem")
        self.sock = socket.create_connection(PROXY, timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.inc, self.out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = ctx.wrap_bio(self.inc, self.out, server_hostname="uma")
        self.step(self.tls.do_handshake)

    def recv(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("closed")
        self.inc.write(data)

    def step(self, fn):
        while True:
            try:
                ret = fn()
                self.sock.sendall(self.out.read())
                return ret
            except ssl.SSLWantReadError:
                self.sock.sendall(self.out.read())
                self.recv()

    def record(self, data):
        """data as TLS record bytes, not yet sent."""
        self.tls.write(data)
        return self.out.read()

    def read_msgs(self, n):
        buf, got = b"", []
        while len(got) < n:
            buf += self.step(lambda: self.tls.read(65536))
            while (s := split_msg(buf)) is not None:
                got.append(s[0])
                buf = s[1]
        return b"".join(got)


def segments(d):
    c = BioClient(d)
    first = case("segments") + M1 + M2
    raw = c.record(first)
    assert raw[0] == 0x17 and int.from_bytes(raw[3:5], "big") == len(raw) - 5, \
        "not one TLS record: %r" % raw[:5]
    # One record, four TCP segments: 3 bytes of its 5-byte header, then
    # the rest of it with part of the ciphertext, then two more pieces.
    cuts = [0, 3, 40, len(raw) // 2, len(raw)]
    for a, b in zip(cuts, cuts[1:]):
        c.sock.sendall(raw[a:b])
        time.sleep(0.3)
    got = c.read_msgs(3)
    c.sock.sendall(c.record(BYE))
    got += c.read_msgs(1)
    with open("%s/cli-segments.sent" % d, "wb") as f:
        f.write(first + BYE)
    with open("%s/cli-segments.out" % d, "wb") as f:
        f.write(got)
    c.sock.close()


async def read_one(r):
    buf = b""
    while (s := split_msg(buf)) is None:
        data = await r.read(65536)
        if not data:
            raise EOFError("closed")
        buf += data
    return s[0]


async def scale_first(i, r, w):
    w.write(case("scale-%d" % i))
    await w.drain()
    got = await read_one(r)
    assert got.endswith(b"ih"), got


async def scale_again(i, r, w):
    w.write(msg([("Msg-Type", "ping")], b"again %d" % i))
    await w.drain()
    return (await read_one(r)).endswith((b"again %d" % i)[::-1])


def many(d, n):
    asyncio.run(tls_many.hold(n, *PROXY, d + "/ca.pem", scale_first,
                              scale_again))


if __name__ == "__main__":
    if sys.argv[1] == "server":
        asyncio.run(server(sys.argv[2]))
    elif sys.argv[1] == "feed":
        feed(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "segments":
        segments(sys.argv[2])
    elif sys.argv[1] == "many":
        many(sys.argv[2], int(sys.argv[3]))
