#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The secure call of ucproxyd_call.sh: a remote baresip phone (TLS
signalling through ucproxyd to kamailio, SRTP media) calls an inside
baresip phone (UDP signalling to kamailio, RTP), and the router's kernel
translates the media.

  secure_call.py --ns-a NS --ns-b NS --ns-r NS --tmp DIR --ucpctl PATH
                 --ca FILE --a ADDR --b ADDR --router ADDR --kam ADDR
                 [--media-secs S] [--min-pkts N] [--show]

Output, one line each, for ucproxyd_call.sh to turn into KTAP:
  result ID ok|fail TEXT       ID: register, call, media, license, hangup
  diag TEXT
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from calls import Phone, diag, make_wav, out  # noqa: E402


def ucpctl(a, *args):
    r = subprocess.run(["ip", "netns", "exec", a.ns_r, a.ucpctl, "-j"] + list(args),
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def tls_stat(a):
    r = subprocess.run(["ip", "netns", "exec", a.ns_r, "cat", "/proc/net/tls_stat"],
                       capture_output=True, text=True, check=True)
    return {k: int(v) for k, v in (l.split() for l in r.stdout.splitlines())}


def show(a, *args):
    """--show: a ucpctl command in the router and its output, as diag lines."""
    r = subprocess.run(["ip", "netns", "exec", a.ns_r, a.ucpctl] + list(args),
                       capture_output=True, text=True, check=False)
    diag("$ ucpctl " + " ".join(args))
    for line in (r.stdout + r.stderr).splitlines():
        diag("  " + line)


def check_media(a, verbose):
    """The call's media session: SRTP on the remote phone's leg (original,
    the TLS client's side), RTP on the inside phone's, packets both ways,
    nothing refused."""
    live = [s for s in ucpctl(a, "show", "media")["media"] if s["state"] != "ended"]
    if verbose:
        show(a, "media", "show")
    if len(live) != 1:
        return "%d media sessions, not 1" % len(live)
    s = live[0]
    legs = {l["side"]: l for l in s["legs"]}
    diag("  session: %s %s; %s" % (s["mode"], s["state"], "; ".join(
        "%s %s %d packets, %d auth failures, %d replays, %d dropped" % (
            side, l["suite"], l["packets"], l["auth-failures"], l["replays"], l["dropped"])
        for side, l in sorted(legs.items()))))
    if s["mode"] != "srtp-to-rtp" or s["state"] != "active":
        return "session %s %s, not srtp-to-rtp active" % (s["mode"], s["state"])
    o, r = legs.get("original"), legs.get("reply")
    if not o or not r or o["suite"] == "rtp" or r["suite"] != "rtp":
        return "legs: %s" % legs
    if o["packets"] < a.min_pkts or r["packets"] < a.min_pkts:
        return "packets %d from the remote phone, %d from the inside phone (< %d)" % (
            o["packets"], r["packets"], a.min_pkts)
    if o["auth-failures"] or o["replays"]:
        return "the remote phone's SRTP refused: %d auth failures, %d replays" % (
            o["auth-failures"], o["replays"])
    return ""


def srtp_log(p):
    """baresip's SRTP lines: (enabled, failures). Its srtp module says
    "SRTP is Enabled" when the answer's key is taken, and "failed to
    decrypt" for a packet that does not authenticate."""
    p.log.flush()
    with open(os.path.join(p.dir, "log"), errors="replace") as f:
        lines = [l.strip() for l in f if l.startswith("srtp:")]
    return ([l for l in lines if "SRTP is Enabled" in l],
            [l for l in lines if "failed to" in l])


def main():
    ap = argparse.ArgumentParser()
    for o in ("ns-a", "ns-b", "ns-r", "tmp", "ucpctl", "ca", "a", "b", "router", "kam"):
        ap.add_argument("--" + o, required=True)
    ap.add_argument("--media-secs", type=float, default=3)
    ap.add_argument("--min-pkts", type=int, default=25)
    ap.add_argument("--show", action="store_true")
    a = ap.parse_args()
    a.wav = os.path.join(a.tmp, "tone.wav")
    make_wav(a.wav)

    inside = Phone("inside phone", a.ns_a, "a", a.a, "udp", "4", a,
                   account="<sip:a@%s>;regint=600;answermode=auto;audio_codecs=PCMU;"
                           "mediaenc=\n" % a.kam)
    remote = Phone("remote phone", a.ns_b, "b", a.b, "tls", "4", a,
                   account='<sip:b@%s;transport=tls>;regint=600;audio_codecs=PCMU;'
                           'outbound="sip:%s:5061;transport=tls;lr";mediaenc=srtp-mand\n'
                           % (a.router, a.router),
                   extra="\nmodule\t\t\tsrtp.so\nsip_cafile\t\t%s\n" % a.ca)
    phones = (inside, remote)
    try:
        deadline = time.monotonic() + 30
        try:
            for p in phones:
                p.connect(deadline)
            for p in phones:
                p.registered(deadline)
            out("result", "register", "ok", "")
        except (TimeoutError, EOFError, OSError) as e:
            out("result", "register", "fail", str(e))
            for what in ("call", "media", "license", "hangup"):
                out("result", what, "fail", "not registered")
            return 0

        before = ucpctl(a, "license", "show")["usage"]
        deadline = time.monotonic() + 30
        ok, data = remote.command("dial sip:a@%s" % a.router)
        why = "" if ok else "dial refused: %s" % data
        if not why:
            try:
                remote.wait("CALL_ESTABLISHED", deadline, abort=("CALL_CLOSED",))
                inside.wait("CALL_ESTABLISHED", deadline, abort=("CALL_CLOSED",))
            except (TimeoutError, EOFError, OSError) as e:
                remote.drain()
                inside.drain()
                why = "not established (%s); remote saw: %s; inside saw: %s" % (
                    e, remote.seen(), inside.seen())
        out("result", "call", "fail" if why else "ok", why)
        if why:
            for what in ("media", "license", "hangup"):
                out("result", what, "fail", "no call")
            return 0

        time.sleep(a.media_secs)
        why = check_media(a, a.show)
        enabled, bad = srtp_log(remote)
        diag("  remote phone: %s" % (enabled[0] if enabled else "no SRTP enabled"))
        if not why and not enabled:
            why = "the remote phone did not enable SRTP"
        elif not why and bad:
            why = "the remote phone refused ucproxy's SRTP: " + bad[0]
        out("result", "media", "fail" if why else "ok", why)

        usage = ucpctl(a, "license", "show")["usage"]
        tls = tls_stat(a)
        diag("  license in use: srtp %d, phone-proxy %d; kTLS: TlsCurrTxSw %d, "
             "TlsCurrRxSw %d" % (usage["srtp"]["in-use"], usage["phone-proxy"]["in-use"],
                                 tls.get("TlsCurrTxSw", 0), tls.get("TlsCurrRxSw", 0)))
        why = ""
        if usage["srtp"]["in-use"] != before["srtp"]["in-use"] + 1:
            why = "srtp in use %d during the call" % usage["srtp"]["in-use"]
        elif usage["phone-proxy"]["in-use"] < 1:
            why = "no phone-proxy license session for the TLS connection"
        elif tls.get("TlsCurrTxSw", 0) < 2 or tls.get("TlsCurrRxSw", 0) < 2:
            why = "kTLS not on both legs: %s" % tls
        if a.show:
            show(a, "sessions", "show")
            show(a, "license", "show")
            time.sleep(1)
            show(a, "media", "show")
        out("result", "license", "fail" if why else "ok", why)

        why = ""
        try:
            deadline = time.monotonic() + 15
            remote.command("hangup")
            remote.wait("CALL_CLOSED", deadline)
            inside.wait("CALL_CLOSED", deadline)
            for _ in range(50):
                live = [s for s in ucpctl(a, "show", "media")["media"]
                        if s["state"] != "ended"]
                srtp = ucpctl(a, "license", "show")["usage"]["srtp"]["in-use"]
                if not live and srtp == before["srtp"]["in-use"]:
                    break
                time.sleep(0.2)
            else:
                why = "after BYE: %d sessions, srtp in use %d" % (len(live), srtp)
        except (TimeoutError, EOFError, OSError) as e:
            why = "hangup: %s" % e
        out("result", "hangup", "fail" if why else "ok", why)
    finally:
        for p in phones:
            p.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
