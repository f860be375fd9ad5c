#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Scripted SIP endpoints on both sides of a NAT router running ucp-sip.

sip_nat.sh builds the namespaces and the router's rules; this script plays
the inside phone and the outside peer, sends crafted messages through the
router, checks every address the router rewrote, then sends media both ways
to the ports the rewritten SDP announced. One line per case on stdout:

    RESULT ok|fail <description>[: why]

Sockets are made in a namespace by switching this thread into it (setns);
a socket stays in the namespace it was made in.
"""
import argparse
import copy
import ctypes
import os
import random
import re
import socket
import subprocess
import time

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)
TIMEOUT = 3.0


class Netns:
    """with Netns(name): sockets made inside belong to that namespace."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.back = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open("/var/run/netns/" + self.name, os.O_RDONLY)
        try:
            if _libc.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns " + self.name)
        finally:
            os.close(fd)

    def __exit__(self, *exc):
        _libc.setns(self.back, CLONE_NEWNET)
        os.close(self.back)


class Net:
    def __init__(self, args, family):
        self.args = args
        self.family = family
        self.af = socket.AF_INET if family == 4 else socket.AF_INET6
        v = "4" if family == 4 else "6"
        self.inside = getattr(args, "in" + v)
        self.router = getattr(args, "rt" + v)
        self.outside = getattr(args, "out" + v)
        self.ipver = "IP4" if family == 4 else "IP6"

    def uri(self, addr):
        return addr if self.family == 4 else "[%s]" % addr

    def sock(self, ns, kind, port=0, addr=""):
        with Netns(ns):
            s = socket.socket(self.af, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.settimeout(TIMEOUT)
        s.bind((addr, port))
        return s


def body(net, addr, port, rtcp=None, mux=False, crypto=False, pad=0):
    lines = ["v=0", "o=- 1 1 IN %s %s" % (net.ipver, addr), "s=-",
             "c=IN %s %s" % (net.ipver, addr), "t=0 0",
             "m=audio %d RTP/%s 0" % (port, "SAVP" if crypto else "AVP"),
             "a=rtpmap:0 PCMU/8000"]
    if rtcp:
        lines.append("a=rtcp:%d IN %s %s" % (rtcp, net.ipver, addr))
    if mux:
        lines.append("a=rtcp-mux")
    if crypto:
        lines.append("a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                     "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4")
    # Attributes that make the message larger than the path MTU.
    lines += ["a=fmtp:%d x-padding=%s" % (96 + i, "p" * 60) for i in range(pad)]
    return "".join(line + "\r\n" for line in lines)


def message(start, headers, sdp=""):
    hdr = "".join("%s: %s\r\n" % h for h in headers)
    if sdp:
        hdr += "Content-Type: application/sdp\r\n"
    hdr += "Content-Length: %d\r\n\r\n" % len(sdp.encode())
    return (start + "\r\n" + hdr + sdp).encode()


def invite(net, transport, sport, call_id, sdp):
    ins = net.uri(net.inside)
    return message("INVITE sip:bob@%s SIP/2.0" % net.uri(net.outside), [
        ("Via", "SIP/2.0/%s %s:%d;branch=z9hG4bK%d;rport"
         % (transport, ins, sport, random.randrange(1 << 30))),
        ("Max-Forwards", "70"),
        ("From", "<sip:alice@%s>;tag=a1" % ins),
        ("To", "<sip:bob@%s>" % net.uri(net.outside)),
        ("Call-ID", call_id),
        ("CSeq", "1 INVITE"),
        ("Contact", "<sip:alice@%s:%d;transport=%s>"
         % (ins, sport, transport.lower()))], sdp)


def parse(raw):
    """(start line, {lower-case name: [values]}, body) of one message."""
    text = raw.decode(errors="replace")
    head, _, sdp = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    hdrs = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        hdrs.setdefault(name.strip().lower(), []).append(value.strip())
    return lines[0], hdrs, sdp


class Fail(Exception):
    pass


def expect(cond, why):
    if not cond:
        raise Fail(why)


def check_rewritten(net, raw, natport):
    """The message as it left the router: the router's address everywhere."""
    start, hdrs, sdp = parse(raw)
    r = net.uri(net.router)
    expect(net.inside not in raw.decode(errors="replace"),
           "inside address %s still in %r" % (net.inside, raw[:300]))
    via = hdrs.get("via", [""])[0]
    expect(("%s:%d" % (r, natport)) in via, "Via %r is not %s:%d" % (via, r, natport))
    contact = hdrs.get("contact", [""])[0]
    expect(("@%s:%d" % (r, natport)) in contact, "Contact %r" % contact)
    expect(int(hdrs["content-length"][0]) == len(sdp.encode()),
           "Content-Length %s but body %d" % (hdrs["content-length"][0], len(sdp.encode())))
    if sdp:
        expect(("c=IN %s %s" % (net.ipver, net.router)) in sdp, "c= %r" % sdp)
        expect((" IN %s %s\r\n" % (net.ipver, net.router)) in sdp.split("s=")[0], "o= %r" % sdp)
    return start, hdrs, sdp


def sdp_port(sdp, what="m=audio "):
    m = re.search(re.escape(what) + r"(\d+)", sdp)
    return int(m.group(1)) if m else None


def answer_for(net, received, hdrs, sdp_answer):
    """The outside peer's 200 OK, with received/rport as a real proxy adds."""
    via = hdrs["via"][0]
    return message("SIP/2.0 200 OK", [
        ("Via", via.replace(";rport", "") + ";received=%s;rport=%d" % received),
        ("From", hdrs["from"][0]), ("To", hdrs["to"][0] + ";tag=b1"),
        ("Call-ID", hdrs["call-id"][0]), ("CSeq", hdrs["cseq"][0]),
        ("Contact", "<sip:bob@%s:5060>" % net.uri(net.outside))], sdp_answer)


def media_both_ways(net, a, inport, outport, rport, what="RTP"):
    """Outside sends to the router's announced port; the inside phone gets it
    on its own port; the inside answers and it arrives from that same port."""
    out_s = net.sock(a.out, socket.SOCK_DGRAM, outport)
    in_s = net.sock(a.inside, socket.SOCK_DGRAM, inport)
    try:
        payload = os.urandom(172)
        out_s.sendto(payload, (net.router, rport))
        data, src = in_s.recvfrom(2048)
        expect(data == payload, "%s to router:%d arrived changed" % (what, rport))
        back = os.urandom(172)
        in_s.sendto(back, src[:2])
        data, src2 = out_s.recvfrom(2048)
        expect(data == back, "%s back changed" % what)
        expect(src2[0] == net.router and src2[1] == rport,
               "%s back came from %s:%d, not router:%d" % (what, src2[0], src2[1], rport))
    except socket.timeout:
        raise Fail("%s to router:%d did not cross the router" % (what, rport))
    finally:
        out_s.close()
        in_s.close()


def read_message(conn):
    """One whole message from a TCP stream (by Content-Length)."""
    buf = b""
    while True:
        head, sep, rest = buf.partition(b"\r\n\r\n")
        if sep:
            m = re.search(rb"(?im)^(?:content-length|l)\s*:\s*(\d+)", head)
            need = int(m.group(1)) if m else 0
            if len(rest) >= need:
                return head + sep + rest[:need], rest[need:]
        chunk = conn.recv(65536)
        if not chunk:
            raise Fail("connection closed after %d bytes" % len(buf))
        buf += chunk


def call(net, a, transport, sdp_kw, answer_kw, split=None, name=""):
    """INVITE from inside, 200 OK from outside, then media both ways."""
    sport = 5070 + random.randrange(100)
    inport = 40000 + 2 * random.randrange(1000)
    outport = 50000 + 2 * random.randrange(1000)
    call_id = "c%d" % random.randrange(1 << 40)
    rtcp_in = inport + 11 if sdp_kw.get("rtcp") else None
    sdp = body(net, net.inside, inport, rtcp=rtcp_in, mux=sdp_kw.get("mux", False),
               crypto=sdp_kw.get("crypto", False), pad=sdp_kw.get("pad", 0))
    msg = invite(net, transport, sport, call_id, sdp)
    if transport == "UDP":
        ins = net.sock(a.inside, socket.SOCK_DGRAM, sport)
        outs = net.sock(a.out, socket.SOCK_DGRAM, 5060)
        try:
            ins.sendto(msg, (net.outside, 5060))
            raw, src = outs.recvfrom(65536)
        except socket.timeout:
            raise Fail("INVITE did not arrive")
        reply = lambda m: outs.sendto(m, src)
        recv_back = lambda: ins.recvfrom(65536)[0]
        closers = [ins, outs]
    else:
        lst = net.sock(a.out, socket.SOCK_STREAM, 5060)
        lst.listen(1)
        ins = net.sock(a.inside, socket.SOCK_STREAM, sport)
        ins.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        ins.connect((net.outside, 5060))
        conn, src = lst.accept()
        conn.settimeout(TIMEOUT)
        if split:
            # Quicker than the sender's retransmission timeout (200 ms at
            # least), as a stack writing one message in pieces is.
            ins.send(msg[:split])
            time.sleep(0.05)
            ins.send(msg[split:])
        else:
            ins.send(msg)
        try:
            raw, extra = read_message(conn)
        except socket.timeout:
            raise Fail("INVITE did not arrive whole")
        expect(extra == b"", "bytes after the INVITE: %r" % extra[:80])
        reply = conn.send
        recv_back = lambda: read_message(ins)[0]
        closers = [ins, conn, lst]
    if a.show:
        print("--- INVITE as the inside phone sent it:\n" + msg.decode())
        print("--- ... and as it left the router:\n" + raw.decode())
    try:
        natport = src[1]
        _, hdrs, sdp_out = check_rewritten(net, raw, natport)
        rport = sdp_port(sdp_out)
        expect(rport, "no m= port in %r" % sdp_out)
        if sdp_kw.get("mux"):
            expect("a=rtcp-mux" in sdp_out, "a=rtcp-mux lost")
        rtcp_router = sdp_port(sdp_out, "a=rtcp:") if rtcp_in else None
        if rtcp_in:
            expect(rtcp_router and ("a=rtcp:%d IN %s %s" % (rtcp_router, net.ipver, net.router)) in sdp_out,
                   "a=rtcp not rewritten: %r" % sdp_out)
        if sdp_kw.get("crypto"):
            expect("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" in sdp_out, "a=crypto lost")
        ans_sdp = body(net, net.outside, outport, mux=answer_kw.get("mux", False))
        reply(answer_for(net, (net.router, natport), hdrs, ans_sdp))
        try:
            back = recv_back()
        except socket.timeout:
            raise Fail("200 OK did not come back")
        start, bh, _ = parse(back)
        via = bh["via"][0]
        expect(start.startswith("SIP/2.0 200"), "back: %r" % start)
        expect("received=%s" % net.inside in via and "rport=%d" % sport in via,
               "Via of the 200 not mapped back: %r" % via)
        media_both_ways(net, a, inport, outport, rport, "RTP")
        if a.show:
            print("--- RTP crossed both ways: outside -> %s:%d -> inside :%d, and back"
                  % (net.router, rport, inport))
        if rtcp_in:
            media_both_ways(net, a, rtcp_in, outport + 1, rtcp_router, "RTCP (a=rtcp)")
        elif not sdp_kw.get("mux"):
            media_both_ways(net, a, inport + 1, outport + 1, rport + 1, "RTCP")
    finally:
        for s in closers:
            s.close()


def two_phones(net, a):
    """Two inside phones (10.0.1.2 and 10.0.1.3, or fd00:1::2 and ::3) call
    one outside media address at once, as two calls to one media server
    port do. Both calls are up before either sends media; then each phone's
    RTP must leave from the port the router announced for that phone, and
    the outside's RTP to that port must reach it. sip_nat.sh adds the
    second address and checks that no stream failed to be expected."""
    outport = 50000 + 2 * random.randrange(1000)
    # One media port on both phones, as phones of one model have: the
    # second phone's pair is then the router's choice, not its own port,
    # and a flow NATed by plain masquerade cannot leave from it by chance.
    inport = 40000 + 2 * random.randrange(1000)
    second = net.inside[:-1] + "3"
    outs = net.sock(a.out, socket.SOCK_DGRAM, 5060)
    phones = []
    try:
        for addr in (net.inside, second):
            pnet = copy.copy(net)
            pnet.inside = addr
            sport = 5070 + random.randrange(100)
            msg = invite(pnet, "UDP", sport, "two%d" % random.randrange(1 << 40),
                         body(pnet, addr, inport))
            sig = net.sock(a.inside, socket.SOCK_DGRAM, sport, addr)
            phones.append((addr, inport, sig))
            sig.sendto(msg, (net.outside, 5060))
            try:
                raw, src = outs.recvfrom(65536)
            except socket.timeout:
                raise Fail("INVITE of %s did not arrive" % addr)
            _, hdrs, sdp_out = check_rewritten(pnet, raw, src[1])
            rport = sdp_port(sdp_out)
            expect(rport, "no m= port for %s in %r" % (addr, sdp_out))
            phones[-1] += (rport,)
            outs.sendto(answer_for(net, (net.router, src[1]), hdrs,
                                   body(net, net.outside, outport)), src)
            try:
                sig.recvfrom(65536)
            except socket.timeout:
                raise Fail("200 OK for %s did not come back" % addr)
        out_m = net.sock(a.out, socket.SOCK_DGRAM, outport)
        try:
            for addr, inport, _, rport in phones:
                m = net.sock(a.inside, socket.SOCK_DGRAM, inport, addr)
                try:
                    payload = os.urandom(172)
                    m.sendto(payload, (net.outside, outport))
                    data, src = out_m.recvfrom(2048)
                    expect(data == payload, "RTP of %s changed" % addr)
                    expect(src[0] == net.router and src[1] == rport,
                           "RTP of %s left from %s:%d, not the announced %s:%d"
                           % (addr, src[0], src[1], net.router, rport))
                    out_m.sendto(payload, (net.router, rport))
                    data, _ = m.recvfrom(2048)
                    expect(data == payload, "RTP to %s changed" % addr)
                except socket.timeout:
                    raise Fail("RTP of %s (announced %s:%d) did not cross"
                               % (addr, net.router, rport))
                finally:
                    m.close()
        finally:
            out_m.close()
    finally:
        outs.close()
        for p in phones:
            p[2].close()


def split_slow(net, a):
    """The rest of a message comes after the sender already sent its first
    part again: the router gives up joining and lets it through unchanged
    rather than stall the connection."""
    sport = 5700 + random.randrange(100)
    lst = net.sock(a.out, socket.SOCK_STREAM, 5060)
    lst.listen(1)
    ins = net.sock(a.inside, socket.SOCK_STREAM, sport)
    ins.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        ins.connect((net.outside, 5060))
        conn, _ = lst.accept()
        conn.settimeout(TIMEOUT + 3)
        msg = invite(net, "TCP", sport, "slow%d" % random.randrange(1 << 30),
                     body(net, net.inside, 46000))
        ins.send(msg[:200])
        time.sleep(1.5)
        ins.send(msg[200:])
        try:
            got, _ = read_message(conn)
        except socket.timeout:
            raise Fail("the message never arrived: the connection stalled")
        expect(got == msg, "arrived changed: %r" % got[:200])
        conn.close()
    finally:
        ins.close()
        lst.close()


def two_in_one_segment(net, a):
    """OPTIONS and INVITE in one TCP segment: both arrive, both rewritten."""
    sport = 5300 + random.randrange(100)
    lst = net.sock(a.out, socket.SOCK_STREAM, 5060)
    lst.listen(1)
    ins = net.sock(a.inside, socket.SOCK_STREAM, sport)
    try:
        ins.connect((net.outside, 5060))
        conn, src = lst.accept()
        conn.settimeout(TIMEOUT)
        opt = message("OPTIONS sip:%s SIP/2.0" % net.uri(net.outside), [
            ("Via", "SIP/2.0/TCP %s:%d;branch=z9hG4bKo1" % (net.uri(net.inside), sport)),
            ("From", "<sip:a@%s>;tag=1" % net.uri(net.inside)),
            ("To", "<sip:%s>" % net.uri(net.outside)), ("Call-ID", "o1"),
            ("CSeq", "1 OPTIONS"),
            ("Contact", "<sip:a@%s:%d;transport=tcp>" % (net.uri(net.inside), sport))])
        inv = invite(net, "TCP", sport, "two%d" % random.randrange(1 << 30),
                     body(net, net.inside, 42000))
        ins.send(opt + inv)
        m1, rest = read_message(conn)
        check_rewritten(net, m1, src[1])
        buf = rest
        while True:
            head, sep, tail = buf.partition(b"\r\n\r\n")
            if sep and len(tail) >= int(re.search(rb"Content-Length: (\d+)", head).group(1)):
                break
            buf += conn.recv(65536)
        n = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        check_rewritten(net, head + sep + tail[:n], src[1])
        conn.close()
    finally:
        ins.close()
        lst.close()


def expectations(a, ports):
    """ucp-sip expectations in the router toward any of @ports."""
    out = subprocess.run(["ip", "netns", "exec", a.rt, "cat", "/proc/net/nf_conntrack_expect"],
                         capture_output=True, text=True, check=True).stdout
    want = tuple(" dport=%d " % p for p in ports)
    return len([line for line in out.splitlines()
                if "ucp-sip" in line and any(w in line for w in want)])


def bye_releases(net, a):
    """Expectations of an answered call without media go with its BYE."""
    sport = 5400 + random.randrange(100)
    inport = 44000 + 2 * random.randrange(100)
    call_id = "bye%d" % random.randrange(1 << 30)
    ins = net.sock(a.inside, socket.SOCK_DGRAM, sport)
    outs = net.sock(a.out, socket.SOCK_DGRAM, 5060)
    try:
        ins.sendto(invite(net, "UDP", sport, call_id, body(net, net.inside, inport)),
                   (net.outside, 5060))
        raw, src = outs.recvfrom(65536)
        _, hdrs, sdp_out = parse(raw)
        rport = sdp_port(sdp_out)
        outs.sendto(answer_for(net, src[:2], hdrs, body(net, net.outside, 52000)), src)
        ins.recvfrom(65536)
        ports = (rport, rport + 1, 52000, 52001)
        before = expectations(a, ports)
        expect(before == 4, "%d expectations after the answer, want RTP and RTCP each way" % before)
        ins.sendto(message("BYE sip:bob@%s:5060 SIP/2.0" % net.uri(net.outside), [
            ("Via", "SIP/2.0/UDP %s:%d;branch=z9hG4bKb1" % (net.uri(net.inside), sport)),
            ("From", "<sip:alice@%s>;tag=a1" % net.uri(net.inside)),
            ("To", "<sip:bob@%s>;tag=b1" % net.uri(net.outside)),
            ("Call-ID", call_id), ("CSeq", "2 BYE")]), (net.outside, 5060))
        outs.recvfrom(65536)
        after = expectations(a, ports)
        expect(after == 0, "%d expectations left after BYE (had %d)" % (after, before))
    except socket.timeout:
        raise Fail("a message did not cross the router")
    finally:
        ins.close()
        outs.close()


def register_inbound(net, a):
    """A phone behind the NAT registers; a request for it from another
    host (not the registrar's binding) reaches it, Request-URI mapped."""
    sport = 5600 + random.randrange(100)
    ins = net.sock(a.inside, socket.SOCK_DGRAM, sport)
    reg = net.sock(a.out, socket.SOCK_DGRAM, 5060)
    other = net.sock(a.out, socket.SOCK_DGRAM, 5999)
    ins_uri = net.uri(net.inside)
    try:
        ins.sendto(message("REGISTER sip:%s SIP/2.0" % net.uri(net.outside), [
            ("Via", "SIP/2.0/UDP %s:%d;branch=z9hG4bKr1;rport" % (ins_uri, sport)),
            ("From", "<sip:alice@%s>;tag=r1" % net.uri(net.outside)),
            ("To", "<sip:alice@%s>" % net.uri(net.outside)),
            ("Call-ID", "reg%d" % random.randrange(1 << 30)), ("CSeq", "1 REGISTER"),
            ("Contact", "<sip:alice@%s:%d>" % (ins_uri, sport)),
            ("Expires", "600")]), (net.outside, 5060))
        raw, src = reg.recvfrom(65536)
        _, hdrs, _ = parse(raw)
        contact = hdrs["contact"][0]
        m = re.search(r"@(\[[^\]]+\]|[^:>;]+):(\d+)", contact)
        expect(m, "no host:port in Contact %r" % contact)
        host, port = m.group(1).strip("[]"), int(m.group(2))
        expect(host == net.router, "Contact %r is not the router's" % contact)
        # Another host (here another port of the outside) sends an INVITE
        # to the registered contact: not part of the registration's flow.
        other.sendto(message("INVITE sip:alice@%s:%d SIP/2.0" % (net.uri(net.router), port), [
            ("Via", "SIP/2.0/UDP %s:5999;branch=z9hG4bKi1" % net.uri(net.outside)),
            ("From", "<sip:bob@%s>;tag=b9" % net.uri(net.outside)),
            ("To", "<sip:alice@%s>" % net.uri(net.outside)),
            ("Call-ID", "in%d" % random.randrange(1 << 30)), ("CSeq", "1 INVITE"),
            ("Contact", "<sip:bob@%s:5999>" % net.uri(net.outside))]), (net.router, port))
        try:
            got, _ = ins.recvfrom(65536)
        except socket.timeout:
            raise Fail("a request to the registered contact %s:%d did not reach the phone"
                       % (net.router, port))
        start = got.decode(errors="replace").split("\r\n")[0]
        expect(start == "INVITE sip:alice@%s:%d SIP/2.0" % (ins_uri, sport),
               "Request-URI not mapped to the phone: %r" % start)
    finally:
        for s in (ins, reg, other):
            s.close()


def garbage(net, a, transport):
    """Not SIP on a SIP connection: counted, and dropped by default."""
    sport = 5500 + random.randrange(100)
    payload = b"THIS IS NOT SIP\r\n\r\n"
    ins = net.sock(a.inside, socket.SOCK_DGRAM, sport)
    outs = net.sock(a.out, socket.SOCK_DGRAM, 5060)
    outs.settimeout(1.0)
    try:
        ins.sendto(payload, (net.outside, 5060))
        try:
            outs.recvfrom(65536)
            return "passed"
        except socket.timeout:
            return "dropped"
    finally:
        ins.close()
        outs.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--inside", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--rt", required=True)
    for side in ("in", "rt", "out"):
        p.add_argument("--%s4" % side, required=True)
        p.add_argument("--%s6" % side, required=True)
    p.add_argument("case")
    p.add_argument("family", type=int, choices=(4, 6))
    p.add_argument("--expect", default="dropped")
    p.add_argument("--show", action="store_true", help="print the INVITE before and after")
    a = p.parse_args()
    net = Net(a, a.family)
    desc = "%s IPv%d" % (a.case, a.family)
    try:
        if a.case == "udp-call":
            call(net, a, "UDP", {}, {})
        elif a.case == "udp-rtcp-attr":
            call(net, a, "UDP", {"rtcp": True}, {})
        elif a.case == "udp-rtcp-mux":
            call(net, a, "UDP", {"mux": True}, {"mux": True})
        elif a.case == "udp-crypto":
            call(net, a, "UDP", {"crypto": True}, {})
        elif a.case == "tcp-call":
            call(net, a, "TCP", {}, {})
        elif a.case == "tcp-split":
            call(net, a, "TCP", {"rtcp": True}, {}, split=150)
        elif a.case == "tcp-split-body":
            call(net, a, "TCP", {}, {}, split=-40)
        elif a.case == "tcp-large-split":
            # 2.6 KB, sent as 1400 bytes then the rest (one plain segment,
            # not a GSO one): joined, it is larger than the 1500-byte path
            # and must still arrive.
            call(net, a, "TCP", {"pad": 28}, {}, split=1400)
        elif a.case == "tcp-split-slow":
            split_slow(net, a)
        elif a.case == "tcp-two-in-one":
            two_in_one_segment(net, a)
        elif a.case == "udp-register-inbound":
            register_inbound(net, a)
        elif a.case == "udp-two-phones":
            two_phones(net, a)
        elif a.case == "udp-bye":
            bye_releases(net, a)
        elif a.case == "udp-garbage":
            got = garbage(net, a, "UDP")
            expect(got == a.expect, "garbage was %s, expected %s" % (got, a.expect))
        else:
            raise SystemExit("unknown case " + a.case)
        print("RESULT ok " + desc, flush=True)
    except (Fail, OSError) as e:
        print("RESULT fail %s: %s" % (desc, e), flush=True)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
