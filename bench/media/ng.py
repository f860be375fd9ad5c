#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Set up one call on rtpengine through its ng control protocol.

The caller (the outside phone, the benchmark's sender) offers SRTP with
its own SDES key; the callee (the inside phone, the receiver) answers
plain RTP. rtpengine bridges the two: SRTP in on its "ext" interface,
RTP out on its "int" interface. Prints the address and port the caller
must send its SRTP to (from the SDP that rtpengine returns for the
caller), as ADDR:PORT.

    ng.py --server 127.0.0.1:2223 --caller 192.0.2.2:40000 \
          --callee 10.0.1.2:20002 --key BASE64 [--call-id ID]

The ng protocol: a cookie, a space, a bencoded dictionary; the reply
carries the same cookie.
"""

import argparse
import os
import re
import socket
import sys
import time


def benc(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(benc(x) for x in v) + b"e"
    if isinstance(v, dict):
        return (b"d" + b"".join(benc(k) + benc(v[k]) for k in sorted(v))
                + b"e")
    raise TypeError(type(v))


def bdec(b, i=0):
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c in (b"l", b"d"):
        i += 1
        out = []
        while b[i:i + 1] != b"e":
            v, i = bdec(b, i)
            out.append(v)
        if c == b"l":
            return out, i + 1
        return {out[k].decode(): out[k + 1]
                for k in range(0, len(out), 2)}, i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    return b[j + 1:j + 1 + n], j + 1 + n


class Ng:
    def __init__(self, server):
        host, port = server.rsplit(":", 1)
        self.addr = (host, int(port))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(1.0)

    def call(self, msg, tries=10):
        cookie = os.urandom(6).hex().encode()
        wire = cookie + b" " + benc(msg)
        for _ in range(tries):
            self.sock.sendto(wire, self.addr)
            try:
                while True:
                    data = self.sock.recv(65536)
                    if data.startswith(cookie + b" "):
                        reply, _ = bdec(data, len(cookie) + 1)
                        return reply
            except (socket.timeout, ConnectionRefusedError):
                time.sleep(0.5)
        sys.exit("ng: no reply from rtpengine at %s:%d" % self.addr)


def sdp(addr, port, proto, key=None):
    lines = [
        "v=0",
        "o=- 1 1 IN IP4 %s" % addr,
        "s=-",
        "c=IN IP4 %s" % addr,
        "t=0 0",
        "m=audio %d %s 0" % (port, proto),
        "a=rtpmap:0 PCMU/8000",
    ]
    if key:
        lines.append("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s" % key)
    lines.append("a=sendrecv")
    return "\r\n".join(lines) + "\r\n"


def check(reply, what):
    if reply.get("result") != b"ok":
        sys.exit("ng: %s refused: %s" % (
            what, reply.get("error-reason", reply.get("result"))))
    return reply["sdp"].decode()


def media_of(body):
    c = re.search(r"^c=IN IP4 (\S+)", body, re.M)
    m = re.search(r"^m=audio (\d+) (\S+)", body, re.M)
    if not c or not m:
        sys.exit("ng: no c= or m= line in:\n" + body)
    return c.group(1), int(m.group(1)), m.group(2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--caller", required=True)
    ap.add_argument("--callee", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--call-id", default="bench-%d" % os.getpid())
    a = ap.parse_args()

    ng = Ng(a.server)
    if ng.call({"command": "ping"}, tries=60).get("result") != b"pong":
        sys.exit("ng: ping not answered with pong")

    caddr, cport = a.caller.rsplit(":", 1)
    raddr, rport = a.callee.rsplit(":", 1)
    common = {"call-id": a.call_id, "from-tag": "caller",
              "flags": ["trust-address"],
              "replace": ["origin", "session-connection"]}

    offer = dict(common, command="offer",
                 sdp=sdp(caddr, int(cport), "RTP/SAVP", a.key),
                 direction=["ext", "int"], ICE="remove")
    offer["transport protocol"] = "RTP/AVP"
    inside = check(ng.call(offer), "offer")
    _, _, proto = media_of(inside)
    if proto != "RTP/AVP":
        sys.exit("ng: the callee was offered %s, not RTP/AVP" % proto)

    answer = dict(common, command="answer", **{"to-tag": "callee"},
                  sdp=sdp(raddr, int(rport), "RTP/AVP"))
    outside = check(ng.call(answer), "answer")
    addr, port, proto = media_of(outside)
    if proto != "RTP/SAVP" or "a=crypto:" not in outside:
        sys.exit("ng: the caller got %s without SDES:\n%s" % (proto, outside))
    print("%s:%d" % (addr, port))


if __name__ == "__main__":
    main()
