#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""SCCP calls whose media ucproxy translates, proved with libsrtp.

sccp_media.sh builds the namespaces of sccp_nat.sh (inside phone, NAT
router with ucp-sccp, call manager and far phone outside); this script
sets the router's media policy its case needs and plays the phone, the
call manager and the far phone's media. The call manager is secure (it
gives keys in MediaEncryptionKeyInfo) or not (blocks of zeros); the script
checks the
keys the phone receives (ucproxy's own where it terminates SRTP toward the
phone, none where the phone is plain, the call manager's where nothing is
translated), then RTP and RTCP both ways, made and checked by libsrtp on
each SRTP side and byte for byte on each plain one, replayed and tampered
packets dropped, the session as `ucpctl media show` lists it and the SRTP
license it holds, and both released by StopMediaTransmission and
CloseReceiveChannel. One line on stdout:

    RESULT ok|fail <description>[: why]
"""
import argparse
import json
import os
import socket
import struct
import subprocess
import sys

import pylibsrtp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from media_srtp import expect_nothing, rtcp_sr, srtp_session  # noqa: E402
from media_srtp import rtp as rtp_packet  # noqa: E402
from sccp_nat import (CLOSE, KEY_RX, KEY_TX, NO_KEY, ORC, ORC_ACK,  # noqa: E402
                      SALT_RX, SALT_TX, SMT, SMT_ACK, STOP, Conn, Fail, Net,
                      expect, get_addr, key_info, orc, orc_ack, read_msg, smt,
                      smt_ack, stop_close)

PHONE_PORT, FAR_PORT = 20000, 30000

# policy: (call manager secure, phone gets SRTP, far side SRTP, mode listed)
CASES = {
    "srtp-rtp": ("secure-original", False, True, False, "srtp-to-rtp"),
    "srtp-srtp": ("secure-both", True, True, True, "srtp-to-srtp"),
    "rtp-srtp": ("secure-reply", True, False, True, "rtp-to-srtp"),
    "passthrough": ("passthrough", True, True, True, "passthrough"),
}


def key_block(body, off):
    """(algorithm, key + salt) of the key info at @off of a body."""
    alg, klen, slen = struct.unpack_from("<IHH", body, off)
    expect(klen <= 16 and slen <= 16, "key info lengths %d/%d" % (klen, slen))
    key = body[off + 8:off + 8 + klen] + body[off + 24:off + 24 + slen]
    return alg, key, body[off:off + 48]


def rtp(seq, ssrc):
    return rtp_packet(seq, ssrc, os.urandom(160))


class End:
    """One media end: RTP and RTCP sockets, and its SRTP sessions."""

    def __init__(self, net, ns, addr, port, tx_key, rx_key):
        self.rtp = net.sock(ns, socket.SOCK_DGRAM, addr, port)
        self.rtcp = net.sock(ns, socket.SOCK_DGRAM, addr, port + 1)
        # AES_CM_128_HMAC_SHA1_80: what ucproxy gives the phone.
        self.tx = srtp_session(tx_key, True) if tx_key else None
        self.rx = srtp_session(rx_key, False) if rx_key else None

    def close(self):
        self.rtp.close()
        self.rtcp.close()


def send_check(src, dst, to, seq, ssrc, rtcp, what):
    """@src sends to @to; @dst must receive the same packet as it expects."""
    plain = rtcp_sr(ssrc) if rtcp else rtp(seq, ssrc)
    wire = plain
    if src.tx:
        wire = src.tx.protect_rtcp(plain) if rtcp else src.tx.protect(plain)
    (src.rtcp if rtcp else src.rtp).sendto(wire, to)
    try:
        data, _ = (dst.rtcp if rtcp else dst.rtp).recvfrom(2048)
    except socket.timeout:
        raise Fail("%s did not arrive" % what)
    if dst.rx:
        try:
            data = dst.rx.unprotect_rtcp(data) if rtcp else dst.rx.unprotect(data)
        except pylibsrtp.Error as e:
            raise Fail("%s: libsrtp refused it (%s)" % (what, e))
    expect(data == plain, "%s arrived changed (%d bytes, sent %d)" %
           (what, len(data), len(plain)))
    return wire


def ucpctl(a, *args):
    out = subprocess.run(["ip", "netns", "exec", a.rt, a.ucpctl, "-j"] + list(args),
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def sessions(a):
    """The SCCP media sessions not ended (a demo may hold SIP ones too)."""
    return [s for s in ucpctl(a, "show", "media")["media"]
            if s["state"] != "ended" and s["proto"] == "sccp"]


def srtp_in_use(a):
    return ucpctl(a, "license", "show")["usage"]["srtp"]["in-use"]


def call(net, a, case, version):
    policy, cm_secure, phone_srtp, far_srtp, mode = CASES[case]
    subprocess.run(["ip", "netns", "exec", a.rt, a.ucpctl, "media", "policy", policy],
                   capture_output=True, check=True)
    cm_rx = key_info(KEY_RX, SALT_RX) if cm_secure else NO_KEY
    cm_tx = key_info(KEY_TX, SALT_TX) if cm_secure else NO_KEY
    translated = mode != "passthrough"
    in_use = srtp_in_use(a)

    lst = net.sock(a.out, socket.SOCK_STREAM, net.cm, 2000)
    lst.listen(1)
    ph = net.sock(a.inside, socket.SOCK_STREAM)
    ph.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    ends = []
    try:
        ph.connect((net.cm, 2000))
        cm_s, _ = lst.accept()
        cm_s.settimeout(3.0)
        cm, phone = Conn(cm_s), Conn(ph)

        # What the phone receives with.
        cm.send(orc(version, net, cm_rx))
        _, mid, body, _ = read_msg(phone)
        expect(mid == ORC, "OpenReceiveChannel arrived as 0x%x" % mid)
        alg, rx_key, block = key_block(body, 28)
        if case == "passthrough":
            expect(block == cm_rx, "passthrough: the call manager's key info changed")
        elif phone_srtp:
            expect(alg == 2 and len(rx_key) == 30,
                   "OpenReceiveChannel: algorithm %d, %d key bytes, not ucproxy's "
                   "AES_CM_128_HMAC_SHA1_80" % (alg, len(rx_key)))
            expect(rx_key != KEY_RX + SALT_RX and rx_key != bytes(30),
                   "OpenReceiveChannel: not a key of ucproxy's own")
        else:
            expect(block == bytes(48), "OpenReceiveChannel: the plain phone got a key")
        # The same message again (a call manager's resend): the same key.
        cm.send(orc(version, net, cm_rx))
        _, _, body2, _ = read_msg(phone)
        expect(body2 == body, "OpenReceiveChannel sent again got another key")

        phone.send(orc_ack(version, net, PHONE_PORT))
        _, mid, body, _ = read_msg(cm)
        expect(mid == ORC_ACK, "OpenReceiveChannelAck arrived as 0x%x" % mid)
        _, off = get_addr(version, body, 4, net)
        rport = struct.unpack_from("<I", body, off)[0]

        # What the phone sends with.
        cm.send(smt(version, net, cm_tx))
        _, mid, body, _ = read_msg(phone)
        expect(mid == SMT, "StartMediaTransmission arrived as 0x%x" % mid)
        _, off = get_addr(version, body, 8, net)
        alg, tx_key, block = key_block(body, off + 32)
        if case == "passthrough":
            expect(block == cm_tx, "passthrough: the call manager's key info changed")
        elif phone_srtp:
            expect(alg == 2 and len(tx_key) == 30 and tx_key != rx_key and
                   tx_key != KEY_TX + SALT_TX,
                   "StartMediaTransmission: not a key of ucproxy's own")
        else:
            expect(block == bytes(48), "StartMediaTransmission: the plain phone got a key")
        phone.send(smt_ack(version, net, PHONE_PORT))
        _, mid, _, _ = read_msg(cm)
        expect(mid == SMT_ACK, "StartMediaTransmissionAck arrived as 0x%x" % mid)

        # Media: the phone sends with what it was told, the far phone with
        # the call manager's keys (the other way round from the phone's).
        if case == "passthrough":
            # Nothing is translated: the far end takes the phone's SRTP as is.
            pe = End(net, a.inside, "", PHONE_PORT, tx_key, rx_key)
            fe = End(net, a.out, net.far, FAR_PORT, rx_key, tx_key)
        else:
            pe = End(net, a.inside, "", PHONE_PORT, tx_key if phone_srtp else None,
                     rx_key if phone_srtp else None)
            fe = End(net, a.out, net.far, FAR_PORT,
                     KEY_RX + SALT_RX if far_srtp else None,
                     KEY_TX + SALT_TX if far_srtp else None)
        ends = [pe, fe]
        far = (net.far, FAR_PORT)
        router = (net.router, rport)
        wire = None
        for seq in range(1, 6):
            wire = send_check(pe, fe, far, seq, 0x1111, False, "RTP phone->far %d" % seq)
            send_check(fe, pe, router, seq, 0x2222, False, "RTP far->phone %d" % seq)
        send_check(pe, fe, (net.far, FAR_PORT + 1), 0, 0x1111, True, "RTCP phone->far")
        send_check(fe, pe, (net.router, rport + 1), 0, 0x2222, True, "RTCP far->phone")

        if translated and phone_srtp:
            # The phone's last packet again, and one with its tag changed.
            pe.rtp.sendto(wire, far)
            expect_nothing(fe.rtp, "a replayed SRTP packet")
            bad = bytearray(pe.tx.protect(rtp(9, 0x1111)))
            bad[-1] ^= 1
            pe.rtp.sendto(bytes(bad), far)
            expect_nothing(fe.rtp, "a tampered SRTP packet")

        if a.show:
            print("the phone was given %s; 5 RTP packets and 1 RTCP each way arrived "
                  "as each side expects" % (
                      "two keys of ucproxy's own (AES_CM_128_HMAC_SHA1_80)" if phone_srtp
                      else "no key"), flush=True)
            print("$ ip netns exec %s ucpctl media show" % a.rt, flush=True)
            subprocess.run(["ip", "netns", "exec", a.rt, a.ucpctl, "media", "show"],
                           check=True)
        live = sessions(a)
        expect(len(live) == 1, "%d media sessions listed, not 1" % len(live))
        s = live[0]
        expect(s["proto"] == "sccp" and s["mode"] == mode and s["state"] == "active",
               "session listed as %s %s %s" % (s["proto"], s["mode"], s["state"]))
        got = srtp_in_use(a)
        expect(got == in_use + (1 if translated else 0),
               "SRTP license in use %d, was %d before the call" % (got, in_use))

        # Teardown: the session ends with the party's media.
        cm.send(stop_close(version, STOP) + stop_close(version, CLOSE))
        for want in (STOP, CLOSE):
            _, mid, _, _ = read_msg(phone)
            expect(mid == want, "0x%x arrived as 0x%x" % (want, mid))
        live = sessions(a)
        expect(not live, "%d media sessions left after Stop and Close" % len(live))
        expect(srtp_in_use(a) == in_use, "SRTP license not released (%d in use)" %
               srtp_in_use(a))
        cm_s.close()
    finally:
        for e in ends:
            e.close()
        ph.close()
        lst.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--inside", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--rt", required=True)
    p.add_argument("--ucpctl", required=True)
    for side in ("in", "rt", "out", "far"):
        p.add_argument("--%s4" % side, required=True)
        p.add_argument("--%s6" % side, required=True)
    p.add_argument("case", choices=sorted(CASES))
    p.add_argument("family", type=int, choices=(4, 6))
    p.add_argument("--version", type=lambda s: int(s, 0), default=0x11)
    p.add_argument("--show", action="store_true",
                   help="print what the phone was given and the session mid-call")
    a = p.parse_args()
    desc = "%s (%s) IPv%d version 0x%02x" % (a.case, CASES[a.case][0], a.family, a.version)
    try:
        call(Net(a, a.family), a, a.case, a.version)
        print("RESULT ok " + desc, flush=True)
    except (Fail, OSError, subprocess.CalledProcessError) as e:
        print("RESULT fail %s: %s" % (desc, e), flush=True)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
