#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A scripted SIP caller and responder for the cases real phones cannot be
made to produce (selftests/sip_compare.sh): an INVITE split across two TCP
segments, rtcp-mux, a=rtcp with a non-default port.

  sipua.py answer --addr B [--proto udp|tcp] [--mode M] [--secs S] --out JSON
  sipua.py call   --addr A --server B [--proto udp|tcp] [--split] [--mode M]
                  [--secs S] --out JSON [--judge-with ANSWER.json --router R
                  --private PREFIX...]
  sipua.py judge  CALLER.json ANSWER.json --router R --private PREFIX...
  sipua.py pair   --ns-a NS --ns-b NS [--ns-r NS] [--cases 'udp tcp ...']
                  [--families '4 6'] [--secs S] --private PREFIX...
                  (the addresses from sip/lib.sh's environment)

Modes: basic (RTCP on RTP port + 1), mux (a=rtcp-mux, RTCP on the RTP port),
rtcp (a=rtcp:PORT IN IP4|IP6 ADDR, RTCP on a port that is not RTP + 1).

The responder answers the first INVITE with 200 OK and starts its media at
once, to the addresses and ports of the SDP it received (rewritten or not by
the router). The caller, inside, holds back each of its streams until the
peer's first packet arrived on that socket (or 1 s passed): what it
receives before it sends proves that the router let the outside in by
itself (its expectation), not through a hole the inside punched.
--split writes the INVITE in two send() calls with TCP_NODELAY and a pause,
cut inside the headers. judge prints one line "ok: ..." or "fail: ..." per
property and exits 1 if any failed. pair runs caller and responder in this
one process, each in its namespace (a process start costs seconds in the
emulated guest), for each case (udp, tcp, tcp-split, rtcp-mux, rtcp-port)
and family, and prints "result CASEFAMILY ok|fail" and "diag WHY" lines.
"""
import argparse
import json
import os
import random
import re
import select
import ctypes
import socket
import struct
import subprocess
import sys
import threading
import time

RTP_A, RTCP_A, RTCPX_A = 20000, 20001, 20011
RTP_B, RTCP_B, RTCPX_B = 30000, 30001, 30021


def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def ipver(addr):
    return "IP6" if ":" in addr else "IP4"


def hostport(addr, port):
    return "[%s]:%d" % (addr, port) if ":" in addr else "%s:%d" % (addr, port)


def udp_sock(addr, port):
    s = socket.socket(fam(addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.setblocking(False)
    return s


def sdp(addr, rtp, mode, rtcp_port):
    lines = ["v=0", "o=- 4711 4711 IN %s %s" % (ipver(addr), addr), "s=-",
             "c=IN %s %s" % (ipver(addr), addr), "t=0 0",
             "m=audio %d RTP/AVP 0" % rtp, "a=rtpmap:0 PCMU/8000", "a=sendrecv"]
    if mode == "mux":
        lines.append("a=rtcp-mux")
    elif mode == "rtcp":
        lines.append("a=rtcp:%d IN %s %s" % (rtcp_port, ipver(addr), addr))
    return "\r\n".join(lines) + "\r\n"


def parse_sdp(body):
    """(address, rtp port, (rtcp address, rtcp port) or None for mux)."""
    c = re.search(r"^c=IN IP[46] (\S+)", body, re.M).group(1)
    port = int(re.search(r"^m=audio (\d+)", body, re.M).group(1))
    if re.search(r"^a=rtcp-mux", body, re.M):
        return c, port, None
    m = re.search(r"^a=rtcp:(\d+)(?: IN IP[46] (\S+))?", body, re.M)
    if m:
        return c, port, (m.group(2) or c, int(m.group(1)))
    return c, port, (c, port + 1)


def rtp_packet(seq, ssrc):
    return struct.pack("!BBHII", 0x80, 0, seq & 0xffff, seq * 160, ssrc) + b"\xff" * 160


def rtcp_packet(ssrc):
    # An empty receiver report.
    return struct.pack("!BBHI", 0x80, 201, 1, ssrc)


def is_rtcp(data):
    return len(data) >= 2 and 200 <= data[1] <= 204


class Sip:
    """One SIP transport: a UDP socket or one TCP connection."""

    def __init__(self, proto, sock, peer=None):
        self.proto, self.sock, self.peer, self.buf = proto, sock, peer, b""
        self.eof = False

    def send(self, msg, split=False):
        data = msg.encode()
        if self.proto == "udp":
            self.sock.sendto(data, self.peer)
        elif split:
            # Cut inside the headers, after the Via line: neither half is
            # a message.
            cut = data.index(b"\r\n", data.index(b"Via:")) + 2 + 10
            self.sock.sendall(data[:cut])
            time.sleep(0.3)
            self.sock.sendall(data[cut:])
        else:
            self.sock.sendall(data)

    def recv(self, timeout):
        end = time.monotonic() + timeout
        while True:
            if self.proto == "tcp":
                m = self._frame()
                if m:
                    return m
            left = end - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                continue
            if self.proto == "udp":
                data, self.peer = self.sock.recvfrom(65535)
                return data.decode(errors="replace")
            data = self.sock.recv(65535)
            if not data:
                self.eof = True
                return None
            self.buf += data

    def _frame(self):
        head_end = self.buf.find(b"\r\n\r\n")
        if head_end < 0:
            return None
        m = re.search(rb"^(?:Content-Length|l)\s*:\s*(\d+)", self.buf[:head_end], re.M | re.I)
        end = head_end + 4 + (int(m.group(1)) if m else 0)
        if len(self.buf) < end:
            return None
        msg, self.buf = self.buf[:end], self.buf[end:]
        return msg.decode(errors="replace")


def header(msg, name):
    m = re.search(r"^%s\s*:\s*(.*?)\r?$" % name, msg, re.M | re.I)
    return m.group(1) if m else ""


def body(msg):
    return msg.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in msg else ""


HOLD = 1.0


def media_loop(streams, secs, hold, sip=None):
    """streams: name -> dict(sock, dest, kind, period). Sends each stream
    every period once allowed (hold: after the first packet received on its
    socket, or HOLD s); counts what arrives by kind (rtp/rtcp) and what
    arrived before the stream first sent. With sip, runs until a BYE
    arrives there (answered) or secs passed."""
    start = time.monotonic()
    ssrc = random.getrandbits(32)
    stats = {}
    for n, st in streams.items():
        st.update(next=start, seq=0, sent=0, started=not hold)
        stats[n] = dict(rx_rtp=0, rx_rtcp=0, rx_before_tx=0, tx=0)
    socks = {id(st["sock"]): st["sock"] for st in streams.values()}
    owner = {}
    for n, st in streams.items():
        owner.setdefault(id(st["sock"]), n)
    while time.monotonic() - start < secs:
        now = time.monotonic()
        for n, st in streams.items():
            if not st["started"] and now - start >= HOLD:
                st["started"] = True
            if st["started"] and st["dest"] and now >= st["next"]:
                pkt = rtcp_packet(ssrc) if st["kind"] == "rtcp" else rtp_packet(st["seq"], ssrc)
                try:
                    st["sock"].sendto(pkt, st["dest"])
                    stats[n]["tx"] += 1
                except OSError:
                    pass
                st["seq"] += 1
                st["next"] = now + st["period"]
        watch = list(socks.values()) + ([sip.sock] if sip else [])
        r, _, _ = select.select(watch, [], [], 0.005)
        if sip and (sip.sock in r or sip.buf):
            m = sip.recv(0.05)
            if sip.eof:
                break
            if m and m.startswith("BYE "):
                sip.send(ok_to(m))
                break
        for s in r:
            if sip and s is sip.sock:
                continue
            try:
                data, _ = s.recvfrom(2048)
            except OSError:
                continue
            kind = "rtcp" if is_rtcp(data) else "rtp"
            # Count on the stream of this socket and kind.
            names = [n for n, st in streams.items() if st["sock"] is s]
            name = next((n for n in names if streams[n]["kind"] == kind), names[0])
            stats[name]["rx_" + kind] += 1
            if not streams[name]["started"]:
                stats[name]["rx_before_tx"] += 1
                if hold:
                    streams[name]["started"] = True
    return stats


def ok_to(m):
    return "\r\n".join([
        "SIP/2.0 200 OK", "Via: " + header(m, "Via"), "From: " + header(m, "From"),
        "To: " + header(m, "To"), "Call-ID: " + header(m, "Call-ID"),
        "CSeq: " + header(m, "CSeq"), "Content-Length: 0", "", ""])


def streams_for(mode, rtp_sock, rtcp_sock, dest_rtp, dest_rtcp):
    s = {"rtp": dict(sock=rtp_sock, dest=dest_rtp, kind="rtp", period=0.02)}
    s["rtcp"] = dict(sock=rtp_sock if mode == "mux" else rtcp_sock,
                     dest=dest_rtcp, kind="rtcp", period=0.2)
    return s


def answer(a, ready=None):
    rtcp_port = RTCPX_B if a.mode == "rtcp" else RTCP_B
    rtp = udp_sock(a.addr, RTP_B)
    rtcp = None if a.mode == "mux" else udp_sock(a.addr, rtcp_port)
    if a.proto == "udp":
        ls = socket.socket(fam(a.addr), socket.SOCK_DGRAM)
        ls.bind((a.addr, 5060))
    else:
        ls = socket.socket(fam(a.addr), socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((a.addr, 5060))
        ls.listen(4)
    if ready:
        ready.set()
    else:
        print("ready", flush=True)
    res = dict(errors=[])
    r, _, _ = select.select([ls], [], [], 15)
    if not r:
        res["errors"].append("no INVITE")
        return res
    if a.proto == "udp":
        sip = Sip("udp", ls)
    else:
        conn, _ = ls.accept()
        sip = Sip("tcp", conn)
    inv = sip.recv(10)
    res["invite"] = inv
    if not inv or not inv.startswith("INVITE "):
        res["errors"].append("no INVITE (got %r)" % (inv or "")[:60])
        return res
    c, port, rtcp_dest = parse_sdp(body(inv))
    reply_sdp = sdp(a.addr, RTP_B, a.mode, rtcp_port)
    tag = "%x" % random.getrandbits(32)
    ok = "\r\n".join([
        "SIP/2.0 200 OK",
        "Via: " + header(inv, "Via"),
        "From: " + header(inv, "From"),
        "To: %s;tag=%s" % (header(inv, "To"), tag),
        "Call-ID: " + header(inv, "Call-ID"),
        "CSeq: " + header(inv, "CSeq"),
        "Contact: <sip:b@%s;transport=%s>" % (hostport(a.addr, 5060), a.proto),
        "Content-Type: application/sdp",
        "Content-Length: %d" % len(reply_sdp), "", reply_sdp])
    sip.send(ok)
    res["sent_200"] = True
    res["media_to"] = [c, port, list(rtcp_dest) if rtcp_dest else None]
    streams = streams_for(a.mode, rtp, rtcp, (c, port), rtcp_dest or (c, port))
    # Until the caller's BYE: it holds its streams back for a while.
    res["stats"] = media_loop(streams, a.secs + HOLD + 3, hold=False, sip=sip)
    return res


def call(a):
    rtcp_port = RTCPX_A if a.mode == "rtcp" else RTCP_A
    rtp = udp_sock(a.addr, RTP_A)
    rtcp = None if a.mode == "mux" else udp_sock(a.addr, rtcp_port)
    server = (a.server, 5060)
    if a.proto == "udp":
        s = socket.socket(fam(a.addr), socket.SOCK_DGRAM)
        s.bind((a.addr, 5060))
        sip = Sip("udp", s, server)
        lport = 5060
    else:
        s = socket.socket(fam(a.addr), socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.bind((a.addr, 0))
        s.settimeout(5)
        s.connect(server)
        sip = Sip("tcp", s)
        # Via and Contact carry the port the connection really comes
        # from, so a helper that needs them to match the flow can.
        lport = s.getsockname()[1]
    offer = sdp(a.addr, RTP_A, a.mode, rtcp_port)
    callid = "%x@ucp-test" % random.getrandbits(48)
    tr = a.proto.upper()

    def request(method, cseq, ruri, extra=(), payload=""):
        return "\r\n".join([
            "%s %s SIP/2.0" % (method, ruri),
            "Via: SIP/2.0/%s %s;branch=z9hG4bK%x;rport" % (tr, hostport(a.addr, lport),
                                                           random.getrandbits(40)),
            "Max-Forwards: 70",
            "From: <sip:a@example.org>;tag=a1",
            "To: <sip:b@example.org>" + ("" if method == "INVITE" else ";tag=" + totag),
            "Call-ID: " + callid, "CSeq: %d %s" % (cseq, method)] + list(extra) +
            ["Content-Length: %d" % len(payload), "", payload])

    totag = ""
    ruri = "sip:b@%s;transport=%s" % (hostport(a.server, 5060), a.proto)
    inv = request("INVITE", 1, ruri, [
        "Contact: <sip:a@%s;transport=%s>" % (hostport(a.addr, lport), a.proto),
        "Content-Type: application/sdp"], offer)
    res = dict(errors=[], local_port=lport)
    sip.send(inv, split=a.split)
    resp = sip.recv(8)
    res["response"] = resp
    if not resp or not resp.startswith("SIP/2.0 200"):
        res["errors"].append("no 200 OK (got %r)" % (resp or "")[:60])
        return res
    m = re.search(r"tag=([^;>\s]+)", header(resp, "To"))
    totag = m.group(1) if m else ""
    c, port, rtcp_dest = parse_sdp(body(resp))
    sip.send(request("ACK", 1, ruri))
    streams = streams_for(a.mode, rtp, rtcp, (c, port), rtcp_dest or (c, port))
    res["stats"] = media_loop(streams, a.secs, hold=True)
    sip.send(request("BYE", 2, ruri))
    sip.recv(1)
    return res


def judge(a):
    caller = json.load(open(a.caller))
    for _ in range(100):
        if os.path.exists(a.answerer):
            break
        time.sleep(0.1)
    try:
        answer_ = json.load(open(a.answerer))
    except OSError as e:
        answer_ = dict(errors=["answerer: %s" % e])
    fails = 0
    for ok, what in verdicts(caller, answer_, a.router, a.private):
        print("%s: %s" % ("ok" if ok else "fail", what))
        fails += not ok
    return 1 if fails else 0


def verdicts(caller, answer_, r, private):
    """[(ok, what)] of one call."""
    res = []

    def verdict(ok, what):
        res.append((bool(ok), what))

    for side, sres in (("caller", caller), ("answerer", answer_)):
        for e in sres.get("errors", []):
            verdict(False, "%s: %s" % (side, e))
    if caller.get("errors") and answer_.get("sent_200"):
        verdict(False, "the answerer got the INVITE and sent 200 OK")
    inv = answer_.get("invite") or ""
    if inv:
        leaks = [p for p in private if p in inv]
        verdict(not leaks, "INVITE as received outside carries no inside address%s" %
                ("" if not leaks else " (found %s)" % ", ".join(leaks)))
        via = header(inv, "Via")
        contact = header(inv, "Contact")
        sdpb = body(inv)
        o = (re.search(r"^o=.* (\S+)\r?$", sdpb, re.M) or [None, ""])[1]
        c = (re.search(r"^c=IN IP[46] (\S+)", sdpb, re.M) or [None, ""])[1]
        ok = r in via and r in contact and o == r and c == r
        m = re.search(r"^a=rtcp:(\d+)(?: IN IP[46] (\S+))?", sdpb, re.M)
        if m and m.group(2):
            ok = ok and m.group(2) == r
        verdict(ok, "Via, Contact, o=, c=%s carry %s" % (", a=rtcp" if m else "", r))
    cs = caller.get("stats", {})
    bs = answer_.get("stats", {})
    if cs and bs:
        first = cs["rtp"]["rx_before_tx"]
        verdict(first >= 1, "RTP from outside reached the inside before it sent any (%d)" % first)
        # Flowing, not a rate: the guest may be starved of CPU.
        verdict(cs["rtp"]["rx_rtp"] >= 10 and bs["rtp"]["rx_rtp"] >= 10,
                "RTP both ways (in %d, out %d)" % (cs["rtp"]["rx_rtp"], bs["rtp"]["rx_rtp"]))
        first = cs["rtcp"]["rx_before_tx"]
        verdict(first >= 1, "RTCP from outside reached the inside before it sent any (%d)" % first)
        verdict(cs["rtcp"]["rx_rtcp"] >= 2 and bs["rtcp"]["rx_rtcp"] >= 2,
                "RTCP both ways (in %d, out %d)" % (cs["rtcp"]["rx_rtcp"], bs["rtcp"]["rx_rtcp"]))
    return res


libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


def in_netns(name, fn, *args):
    """Run fn in network namespace NAME: setns() moves only the calling
    thread, and the sockets it makes stay in NAME."""
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + name)
        return fn(*args)
    finally:
        libc.setns(home, CLONE_NEWNET)
        os.close(fd)
        os.close(home)


CASES = {
    # name: (proto, mode, split)
    "udp": ("udp", "basic", False),
    "tcp": ("tcp", "basic", False),
    "tcp-split": ("tcp", "basic", True),
    "rtcp-mux": ("udp", "mux", False),
    "rtcp-port": ("udp", "rtcp", False),
}


def pair(a):
    """Each case of --cases over each family of --families, caller and
    responder in this one process (a thread each, in their namespaces):
    prints "result CASEFAM ok|fail" then "diag ..." for what failed."""
    for case in a.cases.split():
        for f in a.families.split():
            proto, mode, split = CASES[case]
            if a.ns_r:
                for what in ([], ["expect"]):
                    in_netns(a.ns_r, lambda: subprocess.run(
                        ["conntrack", "-F"] + what, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL))
            ca = argparse.Namespace(addr=os.environ["IN" + f], server=os.environ["B" + f],
                                    proto=proto, mode=mode, split=split, secs=a.secs)
            aa = argparse.Namespace(addr=os.environ["B" + f], proto=proto, mode=mode,
                                    secs=a.secs)
            box = {}
            ready = threading.Event()

            def responder():
                try:
                    box["b"] = in_netns(a.ns_b, answer, aa, ready)
                except OSError as e:
                    box["b"] = dict(errors=["answerer: %s" % e])
                    ready.set()

            t = threading.Thread(target=responder)
            t.start()
            ready.wait(10)
            try:
                cres = in_netns(a.ns_a, call, ca)
            except OSError as e:
                cres = dict(errors=["caller: %s" % e])
            t.join(a.secs + HOLD + 10)
            v = verdicts(cres, box.get("b", dict(errors=["answerer did not finish"])),
                         os.environ["ROUT" + f], a.private)
            bad = [w for ok, w in v if not ok]
            print("result %s%s %s" % (case, f, "fail" if bad else "ok"), flush=True)
            for w in bad:
                print("diag %s" % w, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("role", choices=["call", "answer", "judge", "pair"])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--addr")
    ap.add_argument("--server")
    ap.add_argument("--proto", default="udp", choices=["udp", "tcp"])
    ap.add_argument("--mode", default="basic", choices=["basic", "mux", "rtcp"])
    ap.add_argument("--split", action="store_true")
    ap.add_argument("--secs", type=float, default=3.0)
    ap.add_argument("--out")
    ap.add_argument("--router")
    ap.add_argument("--private", action="append", default=[])
    ap.add_argument("--judge-with", metavar="ANSWER_JSON",
                    help="call: then judge against the answerer's results")
    ap.add_argument("--ns-a")
    ap.add_argument("--ns-b")
    ap.add_argument("--ns-r")
    ap.add_argument("--cases", default=" ".join(CASES))
    ap.add_argument("--families", default="4 6")
    a = ap.parse_args()
    if a.role == "pair":
        pair(a)
        return 0
    if a.role == "judge":
        a.caller, a.answerer = a.files
        return judge(a)
    try:
        res = answer(a) if a.role == "answer" else call(a)
    except OSError as e:
        res = dict(errors=["%s: %s" % (a.role, e)])
    with open(a.out + ".tmp", "w") as f:
        json.dump(res, f)
    os.rename(a.out + ".tmp", a.out)
    if a.role == "call" and a.judge_with:
        a.caller, a.answerer = a.out, a.judge_with
        return judge(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
