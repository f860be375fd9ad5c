#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""SRTP <-> RTP translation by ucproxy, proved with libsrtp (pylibsrtp).

media_srtp.sh builds the namespaces of sip_nat.sh (inside phone, NAT
router with ucp-sip, outside peer) and sets the router's media policy;
this script places calls through ucp-sip and checks what each side sees:
the SDP (proto, a=crypto keys: ucproxy's own where it terminates SRTP),
then media both ways, made and checked by libsrtp on the SRTP side and
byte for byte on the RTP side. One line per case on stdout:

    RESULT ok|fail <description>[: why]
"""
import argparse
import base64
import os
import random
import re
import resource
import socket
import struct
import sys
import time

import pylibsrtp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sip_nat import Fail, Net, answer_for, expect, invite, parse  # noqa: E402

# The SDES suites libsrtp's Python binding offers: name, profile, key+salt.
SUITES = {
    "AES_CM_128_HMAC_SHA1_80": (pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80, 30),
    "AES_CM_128_HMAC_SHA1_32": (pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_32, 30),
    "AEAD_AES_128_GCM": (pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_128_GCM, 28),
    "AEAD_AES_256_GCM": (pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_256_GCM, 44),
}
SUITE = "AES_CM_128_HMAC_SHA1_80"	# what the endpoints offer (--suite)
QUIET = 0.7		# seconds to wait for a packet that must not come


def sdp(net, addr, port, key=None, tag=1):
    """An audio offer or answer; SRTP (SDES, in SUITE) when a key is given."""
    lines = ["v=0", "o=- 1 1 IN %s %s" % (net.ipver, addr), "s=-",
             "c=IN %s %s" % (net.ipver, addr), "t=0 0",
             "m=audio %d RTP/%s 0" % (port, "SAVP" if key else "AVP"),
             "a=rtpmap:0 PCMU/8000"]
    if key:
        lines.append("a=crypto:%d %s inline:%s" % (
            tag, SUITE, base64.b64encode(key).decode()))
    return "".join(line + "\r\n" for line in lines)


def media_of(text):
    """(port, proto, [(tag, suite, key)]) of the first m= line of an SDP."""
    m = re.search(r"m=audio (\d+) (\S+)", text)
    expect(m, "no m=audio in %r" % text)
    cryptos = [(int(t), s, base64.b64decode(k)) for t, s, k in
               re.findall(r"a=crypto:(\d+) (\S+) inline:([A-Za-z0-9+/=]+)", text)]
    return int(m.group(1)), m.group(2), cryptos


def rtp(seq, ssrc, payload, pt=0):
    return struct.pack("!BBHII", 0x80, pt, seq, seq * 160, ssrc) + payload


def rtcp_sr(ssrc):
    """An RTCP sender report (no report blocks)."""
    return struct.pack("!BBHIIIIII", 0x80, 200, 6, ssrc, 1, 2, 3, 4, 5)


def srtp_session(key, outbound, suite=None):
    kind = (pylibsrtp.Policy.SSRC_ANY_OUTBOUND if outbound
            else pylibsrtp.Policy.SSRC_ANY_INBOUND)
    profile = SUITES[suite or SUITE][0]
    return pylibsrtp.Session(pylibsrtp.Policy(key=key, ssrc_type=kind,
                                              srtp_profile=profile))


class Side:
    """One endpoint of the call: its address, media socket and keys."""

    def __init__(self, net, ns, addr, port, secure):
        self.sock = net.sock(ns, socket.SOCK_DGRAM, port)
        self.port = port
        self.addr = addr
        self.key = os.urandom(SUITES[SUITE][1]) if secure else None
        self.peer_key = None	# what the other end's SDP gave this side
        self.tx = srtp_session(self.key, True) if secure else None
        self.rx = None

    def learn(self, cryptos):
        if cryptos:
            _, suite, self.peer_key = cryptos[0]
            expect(suite in SUITES, "ucproxy offered suite %s" % suite)
            self.rx = srtp_session(self.peer_key, False, suite)

    def close(self):
        self.sock.close()


def expect_nothing(sock, what):
    sock.settimeout(QUIET)
    try:
        data, _ = sock.recvfrom(2048)
        raise Fail("%s arrived (%d bytes)" % (what, len(data)))
    except socket.timeout:
        pass
    finally:
        sock.settimeout(3.0)


def send_check(src, dst, to, seq, ssrc, rtcp=False):
    """@src sends one packet to @to; @dst must get it as it expects."""
    plain = rtcp_sr(ssrc) if rtcp else rtp(seq, ssrc, os.urandom(160))
    wire = plain
    if src.tx:
        wire = src.tx.protect_rtcp(plain) if rtcp else src.tx.protect(plain)
    src.sock.sendto(wire, to)
    try:
        data, frm = dst.sock.recvfrom(2048)
    except socket.timeout:
        raise Fail("%s %d from %s never arrived" % ("RTCP" if rtcp else "RTP",
                                                   seq, src.addr))
    if dst.rx:
        try:
            data = dst.rx.unprotect_rtcp(data) if rtcp else dst.rx.unprotect(data)
        except pylibsrtp.Error as e:
            raise Fail("libsrtp refused what ucproxy sent: %s" % e)
    expect(data == plain, "%s %d arrived changed (%d bytes, sent %d)"
           % ("RTCP" if rtcp else "RTP", seq, len(data), len(plain)))
    return wire, frm


def show(a, title, text):
    """--show: what one side got, keys redacted (they are secrets)."""
    if not getattr(a, "show", False):
        return
    text = re.sub(r"inline:[A-Za-z0-9+/=]+", "inline:<key redacted>", text)
    print("--- %s" % title)
    print(text.rstrip())


def setup_call(net, a, call_id, ins, out, sport=0):
    """INVITE from inside, 200 OK from outside; returns the router's port
    for the inside's stream and the SDPs each side received."""
    sip_in = net.sock(a.inside, socket.SOCK_DGRAM, sport)
    sip_out = a.sip_out
    try:
        offer = sdp(net, net.inside, ins.port, ins.key)
        sip_in.sendto(invite(net, "UDP", sip_in.getsockname()[1], call_id,
                             offer), (net.outside, 5060))
        raw, src = sip_out.recvfrom(65535)
        _, hdrs, got_offer = parse(raw)
        show(a, "the inside phone's offer, as the outside peer got it",
             got_offer)
        rport, oproto, ocrypto = media_of(got_offer)
        out.learn(ocrypto)
        tag = ocrypto[0][0] if ocrypto else 1
        answer = sdp(net, net.outside, out.port, out.key, tag)
        sip_out.sendto(answer_for(net, src[:2], hdrs, answer), src)
        raw, _ = sip_in.recvfrom(65535)
        _, _, got_answer = parse(raw)
        show(a, "the outside peer's answer, as the inside phone got it",
             got_answer)
        aport, aproto, acrypto = media_of(got_answer)
        ins.learn(acrypto)
        # ucproxy builds the answerer's SRTP context in process context
        # once the answer passed; its first packets before that are dropped
        # (Documentation/media.md). A phone starts media after the ACK.
        time.sleep(0.05)
    except socket.timeout:
        raise Fail("call %s: signalling did not cross the router" % call_id)
    finally:
        sip_in.close()
    return rport, (oproto, ocrypto), (aport, aproto, acrypto)


def check_sdp(case, ins, out, offer, answer):
    """What each side was told, as the policy says it must be."""
    oproto, ocrypto = offer
    _, aproto, acrypto = answer
    want_out = ins.key is not None if case == "passthrough" else out.key is not None
    want_in = ins.key is not None
    expect(oproto == ("RTP/SAVP" if want_out else "RTP/AVP"),
           "outside was offered %s" % oproto)
    expect(bool(ocrypto) == want_out, "outside got %d crypto lines" % len(ocrypto))
    expect(aproto == ("RTP/SAVP" if want_in else "RTP/AVP"),
           "inside was answered %s" % aproto)
    expect(bool(acrypto) == want_in, "inside got %d crypto lines" % len(acrypto))
    if case == "passthrough":
        expect(ocrypto[0][2] == ins.key and acrypto[0][2] == out.key,
               "passthrough changed a key")
        return
    # Terminated: ucproxy's own keys, never the other side's, in the suite
    # of the side that offered one.
    if ins.key and ocrypto:
        expect(ocrypto[0][1] == SUITE, "outside offered %s" % ocrypto[0][1])
    if ins.key and acrypto:
        expect(acrypto[0][1] == SUITE, "inside answered %s" % acrypto[0][1])
    if ocrypto:
        expect(ocrypto[0][2] not in (ins.key, out.key),
               "outside was given an endpoint's key, not ucproxy's")
    if acrypto:
        expect(acrypto[0][2] not in (ins.key, out.key),
               "inside was given an endpoint's key, not ucproxy's")
        expect(acrypto[0][0] == 1, "answer tag %d is not the offer's" % acrypto[0][0])


# Which sides speak SRTP in each case (inside, outside) and the policy.
CASES = {
    "secure-original": (True, False),	# inside SRTP, outside RTP
    "secure-reply": (False, True),	# inside RTP, outside SRTP
    "secure-both": (True, True),	# both SRTP, keys per leg
    "passthrough": (True, True),	# both SRTP, the same keys end to end
}


def one_call(net, a, case):
    in_srtp, out_srtp = CASES[case]
    ins = Side(net, a.inside, net.inside, 2 * random.randrange(8000, 15000), in_srtp)
    out = Side(net, a.out, net.outside, 2 * random.randrange(8000, 15000), out_srtp)
    try:
        rport, offer, answer = setup_call(net, a, "media-%s-%d@x" % (case, net.family),
                                          ins, out)
        check_sdp(case, ins, out, offer, answer)
        ssrc_o, ssrc_i = random.getrandbits(32), random.getrandbits(32)
        first, frm = send_check(out, ins, (net.router, rport), 1, ssrc_o)
        for seq in range(2, 6):
            send_check(out, ins, (net.router, rport), seq, ssrc_o)
        for seq in range(1, 6):
            send_check(ins, out, frm[:2], seq, ssrc_i)
        if out.tx and case != "passthrough":
            # Replayed and tampered SRTP from outside never reaches inside.
            out.sock.sendto(first, (net.router, rport))
            expect_nothing(ins.sock, "a replayed packet")
            bad = bytearray(out.tx.protect(rtp(6, ssrc_o, os.urandom(160))))
            bad[20] ^= 1
            out.sock.sendto(bytes(bad), (net.router, rport))
            expect_nothing(ins.sock, "a tampered packet")
            send_check(out, ins, (net.router, rport), 7, ssrc_o)
        return "%s (%s): SDP as the policy says, RTP/SRTP both ways" % (case, SUITE)
    finally:
        ins.close()
        out.close()


def many_calls(net, a, n):
    """@n concurrent calls (each its own signalling flow), all carrying
    media both ways, inside RTP and outside SRTP."""
    sides = []
    try:
        for i in range(n):
            ins = Side(net, a.inside, net.inside, 20000 + 2 * i, False)
            out = Side(net, a.out, net.outside, 40000 + 2 * i, True)
            sides.append((ins, out))
            rport, offer, answer = setup_call(net, a, "many-%d@x" % i, ins, out,
                                              sport=10000 + i)
            expect(offer[0] == "RTP/SAVP" and offer[1],
                   "call %d: outside offered %s" % (i, offer[0]))
            ins.rport = rport
        for i, (ins, out) in enumerate(sides):
            _, frm = send_check(out, ins, (net.router, ins.rport), 1, 1000 + i)
            send_check(ins, out, frm[:2], 1, 5000 + i)
        return "%d concurrent calls set up by SIP all carry SRTP<->RTP both ways" % n
    finally:
        for ins, out in sides:
            ins.close()
            out.close()


def refused_calls(net, a, n):
    """@n calls against the SRTP limit: those refused reach the outside
    with the inside's offer untouched (plain RTP: what the peer sees)."""
    translated = refused = 0
    for i in range(n):
        ins = Side(net, a.inside, net.inside, 30000 + 2 * i, False)
        out = Side(net, a.out, net.outside, 50000 + 2 * i, False)
        try:
            offer = setup_call(net, a, "limit-%d@x" % i, ins, out,
                               sport=12000 + i)[1]
        finally:
            ins.close()
            out.close()
        if offer[0] == "RTP/SAVP" and offer[1]:
            translated += 1
        elif offer[0] == "RTP/AVP" and not offer[1]:
            refused += 1
        else:
            raise Fail("call %d: offer %s with %d crypto lines" % (i, offer[0], len(offer[1])))
    print("TRANSLATED %d REFUSED %d" % (translated, refused))
    return "%d calls against the limit: %d translated, %d passed untranslated" % (
        n, translated, refused)


def main():
    global SUITE
    p = argparse.ArgumentParser()
    for opt in ("inside", "out", "rt", "in4", "rt4", "out4", "in6", "rt6", "out6"):
        p.add_argument("--" + opt)
    p.add_argument("case")
    p.add_argument("family", type=int)
    p.add_argument("--calls", type=int, default=1000)
    p.add_argument("--suite", default=SUITE, choices=sorted(SUITES),
                   help="the SDES suite the SRTP endpoints offer")
    p.add_argument("--show", action="store_true",
                   help="print the SDP each side got (keys redacted)")
    a = p.parse_args()
    SUITE = a.suite
    # Two media sockets per call.
    resource.setrlimit(resource.RLIMIT_NOFILE, (65536, 65536))
    net = Net(a, a.family)
    a.sip_out = net.sock(a.out, socket.SOCK_DGRAM, 5060)
    try:
        if a.case == "many":
            what = many_calls(net, a, a.calls)
        elif a.case == "limit":
            what = refused_calls(net, a, a.calls)
        else:
            what = one_call(net, a, a.case)
        print("RESULT ok IPv%d %s" % (a.family, what))
    except Fail as e:
        print("RESULT fail IPv%d %s: %s" % (a.family, a.case, e))
        raise SystemExit(1)
    except Exception as e:	# a bug of the test itself: still one line
        print("RESULT fail IPv%d %s: %s: %s" % (a.family, a.case, type(e).__name__, e))
        raise SystemExit(1)
    finally:
        a.sip_out.close()


if __name__ == "__main__":
    main()
