#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The calls of sip_call.sh, driven from one process (in the emulated guest
every process start costs a second or more): for each case (udp4, tcp4,
udp6, tcp6) start the two baresip phones in their namespaces, hold one
ctrl_tcp connection to each (ctrl_tcp serves one connection and sends its
events there only), wait for both registrations, call inside -> outside and
outside -> inside, check the router's media conntracks during each call,
hang up, stop the phones.

  calls.py --ns-a NS --ns-b NS --ns-r NS --tmp DIR --kamailio-log FILE
           [--wav FILE] [--media-secs S] [--min-pkts N] CASE...

Output, one line each, for sip_call.sh to turn into KTAP:
  result ID ok|fail TEXT       ID: CASE-register, CASE-out, CASE-in
  diag TEXT
The router's conntrack table is read from /proc/net/nf_conntrack (packet
counts) and `conntrack -L -u EXPECTED` (which conntracks came from the
helper's expectations).
"""
import argparse
import ctypes
import ipaddress
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
import wave

CLONE_NEWNET = 0x40000000
# The addresses of sip/lib.sh, which exports them.
ADDR = {f: dict(a=os.environ["IN" + f], rout=os.environ["ROUT" + f],
                kam=os.environ["KAM" + f], b=os.environ["B" + f]) for f in "46"
        if "IN" + f in os.environ}
HERE = os.path.dirname(os.path.abspath(__file__))
libc = ctypes.CDLL(None, use_errno=True)
home_ns = os.open("/proc/self/ns/net", os.O_RDONLY)


def out(*words):
    print(*words, flush=True)


def diag(text):
    out("diag", text)


class Netns:
    """with Netns(name): the calling thread (and what it forks) is in it."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        fd = os.open("/run/netns/" + self.name, os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns " + self.name)
        finally:
            os.close(fd)

    def __exit__(self, *exc):
        libc.setns(home_ns, CLONE_NEWNET)


class Phone:
    """A baresip phone in namespace NS, registered as USER at ADDR through
    kamailio over TP, or as ACCOUNT says (an accounts line) with the
    config lines EXTRA added (modules, a CA file)."""

    def __init__(self, name, ns, user, addr, tp, fam, a, account=None, extra=""):
        self.name, self.ns, self.user = name, ns, user
        self.events = []
        self.buf = b""
        self.token = 0
        self.sock = None
        d = os.path.join(a.tmp, "baresip-" + user)
        os.makedirs(d, exist_ok=True)
        self.dir = d
        kam = ADDR[fam]["kam"] if fam in ADDR else addr
        kamh = "[%s]" % kam if fam == "6" else kam
        listen = "[%s]:5060" % addr if fam == "6" else "%s:5060" % addr
        conf = open(os.path.join(HERE, "baresip.conf.in")).read()
        conf = conf.replace("@LISTEN@", listen).replace("@WAV@", a.wav)
        conf = conf.replace("@RTCP_MUX@", "no") + extra
        with open(os.path.join(d, "config"), "w") as f:
            f.write(conf)
        with open(os.path.join(d, "accounts"), "w") as f:
            f.write(account or
                    '<sip:%s@%s;transport=%s>;regint=600;answermode=auto;'
                    'audio_codecs=PCMU;outbound="sip:%s;transport=%s;lr";mediaenc=\n'
                    % (user, kamh, tp, kamh, tp))
        open(os.path.join(d, "contacts"), "w").close()
        self.log = open(os.path.join(d, "log"), "w")
        env = dict(os.environ, HOME=d)
        with Netns(ns):
            # baresip wants a HOME even with -f.
            self.proc = subprocess.Popen(["baresip", "-" + fam, "-f", d], env=env,
                                         stdin=subprocess.DEVNULL, stdout=self.log,
                                         stderr=subprocess.STDOUT)

    def connect(self, deadline):
        while True:
            with Netns(self.ns):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.settimeout(1)
                s.connect(("127.0.0.1", 4444))
                self.sock = s
                return
            except OSError:
                s.close()
                if self.proc.poll() is not None:
                    raise OSError("%s: baresip exited (%s)" % (self.name, self.proc.returncode))
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def _recv(self, deadline):
        while True:
            m = re.match(rb"(\d+):", self.buf)
            if m and len(self.buf) >= m.end() + int(m.group(1)) + 1:
                n, st = int(m.group(1)), m.end()
                msg, self.buf = self.buf[st:st + n], self.buf[st + n + 1:]
                return json.loads(msg.decode(errors="replace"))
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("%s: timed out" % self.name)
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("%s: ctrl_tcp closed" % self.name)
            self.buf += chunk

    def command(self, line, timeout=10):
        deadline = time.monotonic() + timeout
        name, _, params = line.partition(" ")
        self.token += 1
        tok = str(self.token)
        data = json.dumps({"command": name, "params": params, "token": tok}).encode()
        self.sock.sendall(b"%d:%s," % (len(data), data))
        while True:
            msg = self._recv(deadline)
            if msg.get("event"):
                self.events.append(msg)
            elif msg.get("response") and msg.get("token") == tok:
                return bool(msg.get("ok")), msg.get("data", "")

    def wait(self, kind, deadline, abort=()):
        """The next event of KIND; an ABORT event first raises EOFError."""
        i = 0
        while True:
            while i < len(self.events):
                t = self.events[i].get("type")
                if t == kind:
                    return self.events.pop(i)
                if t in abort:
                    raise EOFError("%s: %s (%s)" % (self.name, t, self.events[i].get("param", "")))
                i += 1
            msg = self._recv(deadline)
            if msg.get("event"):
                self.events.append(msg)

    def registered(self, deadline):
        """Wait until baresip's reginfo says OK."""
        while True:
            ok, data = self.command("reginfo")
            data = re.sub(r"\x1b\[[0-9;]*m", "", data)
            if ok and re.search(r"\bOK\b", data):
                return
            if time.monotonic() > deadline:
                raise TimeoutError("%s not registered: %s" % (
                    self.name, " ".join(data.split())[-160:]))
            time.sleep(0.2)

    def has(self, kind):
        return any(e.get("type") == kind for e in self.events)

    def drain(self):
        """Events already sent, without waiting."""
        try:
            while True:
                msg = self._recv(time.monotonic() + 0.01)
                if msg.get("event"):
                    self.events.append(msg)
        except (TimeoutError, socket.timeout):
            pass

    def seen(self):
        return " ".join("%s%s" % (e.get("type"), "(%s)" % e["param"] if e.get("param") else "")
                        for e in self.events)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            # It unregisters before it exits.
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.sock:
            self.sock.close()
        self.log.close()


def conntracks(ns, fam):
    """The router's conntracks of FAMILY from /proc/net/nf_conntrack."""
    with Netns(ns):
        with open("/proc/self/net/nf_conntrack") as f:
            lines = f.read().splitlines()
    return [l for l in lines if l.startswith("ipv%s " % fam)]


def expected(ns, fam):
    with Netns(ns):
        r = subprocess.run(["conntrack", "-L", "-f", "ipv" + fam, "-u", "EXPECTED"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return r.stdout.splitlines()


def tuples(line):
    """The key=value fields of a conntrack line, addresses normalised
    (/proc prints IPv6 addresses in full, conntrack(8) compressed)."""
    res = []
    for tok in line.split():
        k, eq, v = tok.partition("=")
        if not eq:
            continue
        if k in ("src", "dst"):
            v = str(ipaddress.ip_address(v))
        res.append((k, v))
    return res


def is_udp(line):
    return re.match(r"^(ipv\d\s+\d+\s+)?udp\s", line) is not None


def media(lines, a_addr, b_addr):
    """(orig packets, reply packets, (sport, dport)) of the UDP conntracks
    between the phones, signalling excluded."""
    res = []
    for l in lines:
        if not is_udp(l):
            continue
        kv = tuples(l)
        addrs = [v for k, v in kv if k in ("src", "dst")]
        ports = [v for k, v in kv if k in ("sport", "dport")]
        pk = [int(v) for k, v in kv if k == "packets"]
        if "5060" in ports or a_addr not in addrs or b_addr not in addrs or len(pk) < 2:
            continue
        res.append((pk[0], pk[1], ports[:2]))
    return res


def involves(line, addr):
    return any(k in ("src", "dst") and v == addr for k, v in tuples(line))


def call(a, case, fam, caller, callee, to_user, inward):
    """One call; returns (ok, text)."""
    ad = ADDR[fam]
    kamh = "[%s]" % ad["kam"] if fam == "6" else ad["kam"]
    caller.events.clear()
    callee.events.clear()
    # The media conntracks of earlier calls stay a while: only new ones
    # (each call has new RTP ports) count.
    before = {tuple(p) for _, _, p in media(conntracks(a.ns_r, fam), ad["a"], ad["b"])}
    deadline = time.monotonic() + 20
    ok, data = caller.command("dial sip:%s@%s" % (to_user, kamh))
    if not ok:
        return False, "dial refused: %s" % data
    why = []
    try:
        caller.wait("CALL_ESTABLISHED", deadline, abort=("CALL_CLOSED",))
        callee.wait("CALL_ESTABLISHED", deadline, abort=("CALL_CLOSED",))
    except (TimeoutError, EOFError, OSError) as e:
        caller.drain()
        callee.drain()
        why.append("not established (%s); caller saw: %s; callee saw: %s" %
                   (e, caller.seen(), callee.seen()))
    if not why:
        time.sleep(a.media_secs)
        m = [x for x in media(conntracks(a.ns_r, fam), ad["a"], ad["b"])
             if tuple(x[2]) not in before]
        exp = expected(a.ns_r, fam)
        nexp = sum(1 for l in exp if is_udp(l) and involves(l, ad["b"]))
        diag("  media conntracks: %s; %d from the helper's expectations" % (
            ", ".join("%d/%d packets %s->%s" % (o, r, p[0], p[1]) for o, r, p in m) or "none",
            nexp))
        if not any(o >= a.min_pkts and r >= a.min_pkts for o, r, _ in m):
            why.append("no media conntrack with %d packets both ways" % a.min_pkts)
        if inward:
            sig = [l for l in exp if "dport=5060 " in l]
            diag("  signalling to the inside phone: " + (
                "a new flow from the registrar, DNATed by the helper's registration expectation"
                if sig else "through the registration's own flow (its NAT mapping)"))
    try:
        caller.drain()
        callee.drain()
        deadline = time.monotonic() + 10
        if not caller.has("CALL_CLOSED"):
            caller.command("hangup")
            caller.wait("CALL_CLOSED", deadline)
        if callee.events and not callee.has("CALL_CLOSED") or not why:
            callee.wait("CALL_CLOSED", deadline)
    except (TimeoutError, EOFError, OSError) as e:
        why.append("hangup: %s" % e)
    return not why, "; ".join(why)


def run_case(a, case):
    tp, fam = case[:-1], case[-1]
    ad = ADDR[fam]
    t0 = time.monotonic()
    pa = Phone("inside phone", a.ns_a, "a-" + case, ad["a"], tp, fam, a)
    pb = Phone("outside phone", a.ns_b, "b-" + case, ad["b"], tp, fam, a)
    try:
        reg_ok, registered, why = True, True, ""
        try:
            deadline = time.monotonic() + 20
            for p in (pa, pb):
                p.connect(deadline)
            for p in (pa, pb):
                p.registered(deadline)
        except (TimeoutError, EOFError, OSError) as e:
            reg_ok, registered, why = False, False, str(e)
        if registered:
            reg = ""
            for l in open(a.kamailio_log, errors="replace"):
                if ("REGISTER a-%s " % case) in l:
                    reg = l.strip()
            reg = reg[reg.find("REGISTER"):]
            diag("  registrar got: " + reg)
            contact = reg.partition(" Contact ")[2]
            if ad["rout"] not in contact:
                reg_ok, why = False, "the inside phone's Contact does not carry the router's address"
        out("result", case + "-register", "ok" if reg_ok else "fail", why)
        for inward, caller, callee, user in ((False, pa, pb, "b-" + case),
                                             (True, pb, pa, "a-" + case)):
            cid = case + ("-in" if inward else "-out")
            if not registered:
                out("result", cid, "fail", "not registered")
                continue
            ok, why = call(a, case, fam, caller, callee, user, inward)
            out("result", cid, "ok" if ok else "fail", why)
    finally:
        for p in (pa, pb):
            if p.proc.poll() is None:
                p.proc.send_signal(signal.SIGTERM)
        pa.stop()
        pb.stop()
    diag("%s: %.0f s" % (case, time.monotonic() - t0))


def make_wav(path):
    """30 s of a 440 Hz tone, 8 kHz mono S16LE: the phones' microphone."""
    w = wave.open(path, "wb")
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(8000)
    period = [int(8000 * math.sin(2 * math.pi * 440 * i / 8000)) for i in range(400)]
    w.writeframes(b"".join(v.to_bytes(2, "little", signed=True) for v in period) * 600)
    w.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ns-a", required=True)
    ap.add_argument("--ns-b", required=True)
    ap.add_argument("--ns-r", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--wav")
    ap.add_argument("--kamailio-log", required=True)
    ap.add_argument("--media-secs", type=float, default=3)
    ap.add_argument("--min-pkts", type=int, default=25)
    ap.add_argument("cases", nargs="+")
    a = ap.parse_args()
    if not a.wav:
        a.wav = os.path.join(a.tmp, "tone.wav")
        make_wav(a.wav)
    for case in a.cases:
        run_case(a, case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
