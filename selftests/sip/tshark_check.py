#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check a capture of the router's outside interface with tshark's SIP and
SDP dissectors (one tshark run for the whole capture, on its signalling
only: tshark dissecting every RTP packet takes tens of seconds in the
emulated guest; the media packets are counted from tcpdump's reading of the
same capture).

  tshark_check.py PCAP [--sip-stdin] --private PREFIX... [--min-rtp N]
                  TAG=ROUTER=PEER...

--sip-stdin: tshark reads the signalling part of PCAP as a pcap stream on
stdin, and starts at once: in the guest its start takes 10-30 s, which the
test overlaps with the calls by starting this before them and feeding the
stream (tcpdump -r PCAP -w - port 5060) once the capture is complete.

SIP messages belong to TAG when their From or To user ends in "-TAG" (the
tests name their phones a-TAG and b-TAG). For each TAG, one line:
  TAG ok|fail: reasons...; summary
It fails a TAG when:
  * any of its frames is malformed or carries an expert item of severity
    error (_ws.malformed, _ws.expert.severity);
  * any SIP header or SDP line of it, either direction, contains a PREFIX
    (a private address of the inside);
  * a message leaving the router (source ROUTER) has a Via (requests), a
    Contact, or an SDP c=/o= that does not carry ROUTER;
  * no message left the router, or no SDP did;
  * fewer than N UDP packets went each way between ROUTER and PEER from
    and to the media ports the SDP bodies announced (symmetric RTP: a
    stream the router sends from another port than the one its SDP
    announced does not count).
Exit status 0 when every TAG passed.
"""
import argparse
import collections
import subprocess
import sys

FIELDS = [
    "frame.number", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
    "udp.srcport", "udp.dstport",
    "sip.Method", "sip.Status-Code", "sip.from.user", "sip.to.user",
    "sip.Via", "sip.Contact", "sip.Call-ID",
    "sdp.connection_info", "sdp.owner", "sdp.media.port",
    "_ws.malformed", "_ws.expert.severity", "_ws.expert.message",
]
AGG = "\x1f"
PI_ERROR = 0x00800000


def signalling(pcap):
    """The SIP part of the capture (port 5060, IP fragments too), as a file."""
    out = pcap + ".sip"
    subprocess.run(["tcpdump", "-r", pcap, "-w", out,
                    "port 5060 or (ip[6:2] & 0x1fff != 0) or ip6[6] == 44"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return out


def media(pcap):
    """UDP packets outside signalling: (src, sport, dst, dport) -> count."""
    count = collections.Counter()
    out = subprocess.run(["tcpdump", "-r", pcap, "-n", "-q", "udp and not port 5060"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         check=True, text=True).stdout
    for line in out.splitlines():
        # "12:00:00.000000 IP 192.0.2.1.10988 > 192.0.2.3.19778: UDP, length 172"
        f = line.split()
        if len(f) < 5 or f[1] not in ("IP", "IP6"):
            continue
        s, d = f[2], f[4].rstrip(":")
        sa, _, sp = s.rpartition(".")
        da, _, dp = d.rpartition(".")
        count[(sa, sp, da, dp)] += 1
    return count


def tshark(pcap):
    """Yield the fields of each frame; pcap "-" reads our stdin."""
    cmd = ["tshark", "-r", pcap, "-n", "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=a", "-E", "aggregator=" + AGG]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         check=True, text=True, errors="replace").stdout
    for line in out.splitlines():
        vals = line.split("\t")
        vals += [""] * (len(FIELDS) - len(vals))
        yield {f: [x for x in v.split(AGG) if x] for f, v in zip(FIELDS, vals)}


def one(row, field):
    v = row[field]
    return v[0] if v else ""


def host_in(text, addr):
    # Via "SIP/2.0/UDP 192.0.2.1:5060;...", Contact "<sip:u@[2001:db8::1]:5060>",
    # c= "IN IP4 192.0.2.1", o= "- 1 2 IN IP6 2001:db8::1".
    for form in (addr, "[" + addr + "]"):
        for sep in (":", ";", ">", " ", ""):
            if sep and (form + sep) in text:
                return True
            if not sep and text.endswith(form):
                return True
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pcap")
    ap.add_argument("--private", action="append", default=[])
    ap.add_argument("--min-rtp", type=int, default=20)
    ap.add_argument("--sip-stdin", action="store_true")
    ap.add_argument("cases", nargs="+")
    a = ap.parse_args()

    cases = {}
    for c in a.cases:
        tag, router, peer = c.split("=")
        cases[tag] = dict(router=router, peer=peer, errors=[], sip_out=0,
                          sdp_out=0, sip=0, media=set(), frames=[])
    rows = list(tshark("-" if a.sip_stdin else signalling(a.pcap)))
    udp = media(a.pcap)
    for row in rows:
        src = one(row, "ip.src") or one(row, "ipv6.src")
        dst = one(row, "ip.dst") or one(row, "ipv6.dst")
        sev = [int(x, 0) for x in row["_ws.expert.severity"] if x.strip("-").isdigit()
               or x.startswith("0x")]
        bad = row["_ws.malformed"] or any(s >= PI_ERROR for s in sev)
        users = row["sip.from.user"] + row["sip.to.user"]
        tags = {t for t in cases for u in users if u.endswith("-" + t)}
        if not tags:
            if bad:
                # Malformed with no SIP user to attribute it to: everyone's.
                for c in cases.values():
                    c["errors"].append("frame %s malformed: %s" % (
                        one(row, "frame.number"), "; ".join(row["_ws.expert.message"])))
            continue
        for t in tags:
            c = cases[t]
            c["sip"] += 1
            fno = one(row, "frame.number")
            what = "frame %s %s%s" % (fno, one(row, "sip.Method"), one(row, "sip.Status-Code"))
            if bad:
                c["errors"].append("%s malformed: %s" % (what, "; ".join(row["_ws.expert.message"])))
            for f in ("sip.Via", "sip.Contact", "sdp.connection_info", "sdp.owner"):
                for v in row[f]:
                    if any(p in v for p in a.private):
                        c["errors"].append("%s %s leaks a private address: %s" % (what, f, v))
            for ca in row["sdp.connection_info"]:
                addr = ca.split()[-1]
                for port in row["sdp.media.port"]:
                    c["media"].add((addr, port))
            if src != c["router"]:
                continue
            c["sip_out"] += 1
            checks = ["sip.Contact", "sdp.connection_info", "sdp.owner"]
            if row["sip.Method"] and not row["sip.Status-Code"]:
                checks.append("sip.Via")
            for f in checks:
                for v in row[f]:
                    if not host_in(v, c["router"]):
                        c["errors"].append("%s %s without %s: %s" % (what, f, c["router"], v))
            if row["sdp.connection_info"]:
                c["sdp_out"] += 1
    rc = 0
    for t, c in cases.items():
        r, p = c["router"], c["peer"]
        out_ports = {port for addr, port in c["media"] if addr == r}
        peer_ports = {port for addr, port in c["media"] if addr == p}
        to_peer = sum(n for (s, sp, d, dp), n in udp.items()
                      if s == r and d == p and sp in out_ports and dp in peer_ports)
        from_peer = sum(n for (s, sp, d, dp), n in udp.items()
                        if s == p and d == r and sp in peer_ports and dp in out_ports)
        errs = c["errors"]
        if not c["sip_out"]:
            errs.append("no SIP message of this case left the router")
        elif not c["sdp_out"]:
            errs.append("no SDP left the router")
        if to_peer < a.min_rtp or from_peer < a.min_rtp:
            errs.append("media on the outside: %d packets router->peer, %d peer->router"
                        % (to_peer, from_peer))
        summary = "%d SIP frames, %d from the router, media %d/%d" % (
            c["sip"], c["sip_out"], to_peer, from_peer)
        if errs:
            rc = 1
            print("%s fail: %s; %s" % (t, "; ".join(errs[:6]), summary))
        else:
            print("%s ok: %s" % (t, summary))
    return rc


if __name__ == "__main__":
    sys.exit(main())
