#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Set up the ucproxy lane's call: one SIP call through ucp-sip.

The inside phone (the benchmark's receiver namespace) calls the outside
phone (the sender's namespace) over UDP through the router, offering
plain RTP at the receiver's address and port. The outside answers SRTP
(AES_CM_128_HMAC_SHA1_80, SDES) with the sender's key, announcing the
sender's address and media port. With the router's media policy
secure-reply, ucproxy offers the outside SRTP with a key of its own and
gives the inside a plain RTP answer. The dialog is left up (no BYE).

Prints the ADDR:PORT the outside phone was told to send its media to (the
c= and m= of the INVITE as it reached the outside); the SDP protocols each
side saw go to stderr.

    sip_call.py --ns-in NS --ns-out NS --inside ADDR --outside ADDR \\
                --rcv-port PORT --snd-port PORT --key BASE64

The SIP messages are the selftests' (selftests/sip_nat.py).
"""

import argparse
import os
import re
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "selftests"))
from sip_nat import Netns, answer_for, invite, parse  # noqa: E402

SIP_IN = 5062


class Net:
    """What sip_nat's message builders need to know (IPv4 only)."""

    family = 4
    ipver = "IP4"

    def __init__(self, inside, outside):
        self.inside = inside
        self.outside = outside

    def uri(self, addr):
        return addr


def sdp(addr, port, key=None):
    lines = ["v=0", "o=- 1 1 IN IP4 %s" % addr, "s=-",
             "c=IN IP4 %s" % addr, "t=0 0",
             "m=audio %d RTP/%s 0" % (port, "SAVP" if key else "AVP"),
             "a=rtpmap:0 PCMU/8000"]
    if key:
        lines.append("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s" % key)
    return "".join(line + "\r\n" for line in lines)


def media_of(body):
    c = re.search(r"^c=IN IP4 (\S+)", body, re.M)
    m = re.search(r"^m=audio (\d+) (\S+)", body, re.M)
    if not c or not m:
        sys.exit("sip_call: no c= or m= in:\n" + body)
    return c.group(1), int(m.group(1)), m.group(2), body.count("a=crypto:")


def udp_in(ns, port):
    with Netns(ns):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.bind(("", port))
    return s


def main():
    ap = argparse.ArgumentParser()
    for opt in ("--ns-in", "--ns-out", "--inside", "--outside", "--key"):
        ap.add_argument(opt, required=True)
    ap.add_argument("--rcv-port", type=int, required=True)
    ap.add_argument("--snd-port", type=int, required=True)
    a = ap.parse_args()

    net = Net(a.inside, a.outside)
    phone_in = udp_in(a.ns_in, SIP_IN)
    phone_out = udp_in(a.ns_out, 5060)
    try:
        phone_in.sendto(invite(net, "UDP", SIP_IN, "bench-ucproxy-1",
                               sdp(a.inside, a.rcv_port)), (a.outside, 5060))
        raw, src = phone_out.recvfrom(65535)
        _, hdrs, offer = parse(raw)
        addr, port, proto, keys = media_of(offer)
        print("outside was offered %s with %d key(s)" % (proto, keys),
              file=sys.stderr)
        if proto != "RTP/SAVP" or keys != 1:
            sys.exit("sip_call: the router did not offer the outside SRTP "
                     "(media policy?)")
        phone_out.sendto(answer_for(net, src[:2], hdrs,
                                    sdp(a.outside, a.snd_port, a.key)), src)
        raw, _ = phone_in.recvfrom(65535)
        _, _, answer = parse(raw)
        _, _, aproto, akeys = media_of(answer)
        print("inside got the answer in %s with %d key(s)" % (aproto, akeys),
              file=sys.stderr)
        if aproto != "RTP/AVP" or akeys:
            sys.exit("sip_call: the inside was not answered plain RTP")
    except socket.timeout:
        sys.exit("sip_call: the signalling did not cross the router")
    print("%s:%d" % (addr, port))


if __name__ == "__main__":
    main()
