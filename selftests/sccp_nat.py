#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A scripted SCCP phone and call manager on both sides of a NAT router
running ucp-sccp.

sccp_nat.sh builds the namespaces and the router's rules; this script plays
the inside phone (IN) and, outside (OUT), the call manager on TCP 2000 and
the far phone's media socket. It registers, sets up a call's media both
ways as a call manager does (OpenReceiveChannel, its ack,
StartMediaTransmission, its ack), checks every address and port the router
rewrote and every key it passed, sends RTP both ways to where the messages
said, and tears the media down (StopMediaTransmission,
CloseReceiveChannel), checking that the router's expectations go with it.
One line per case on stdout:

    RESULT ok|fail <description>[: why]
"""
import argparse
import os
import socket
import struct
import subprocess
import time

from sip_nat import Fail, Netns, expect

TIMEOUT = 3.0
REGISTER, IP_PORT, ORC_ACK = 0x0001, 0x0002, 0x0022
SMT, STOP, REGISTER_ACK = 0x008a, 0x008b, 0x0081
ORC, CLOSE, SMT_ACK = 0x0105, 0x0106, 0x0154
PARTY, CALLREF = 0x1234, 77
KEY_RX = bytes(range(1, 17))
SALT_RX = bytes(range(0x81, 0x8f))
KEY_TX = bytes(range(0x21, 0x31))
SALT_TX = bytes(range(0xa1, 0xaf))


class Net:
    def __init__(self, a, family):
        v = str(family)
        self.a = a
        self.family = family
        self.af = socket.AF_INET if family == 4 else socket.AF_INET6
        self.inside = getattr(a, "in" + v)
        self.router = getattr(a, "rt" + v)
        self.cm = getattr(a, "out" + v)
        self.far = getattr(a, "far" + v)

    def packed(self, addr):
        return socket.inet_pton(self.af, addr)

    def sock(self, ns, kind, addr="", port=0):
        with Netns(ns):
            s = socket.socket(self.af, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.settimeout(TIMEOUT)
        s.bind((addr, port))
        return s


# --- Messages ------------------------------------------------------------

def msg(version, mid, body):
    return struct.pack("<III", len(body) + 4, version, mid) + body


def addr_field(version, packed):
    """An address as the version writes it: plain IPv4, or typed."""
    if version < 0x11:
        assert len(packed) == 4
        return packed
    return struct.pack("<I", 0 if len(packed) == 4 else 1) + packed.ljust(16, b"\0")


def key_info(key, salt, algorithm=2):
    """MediaEncryptionKeyInfo; algorithm 0 with no key: not encrypted."""
    return (struct.pack("<IHH", algorithm, len(key), len(salt)) + key.ljust(16, b"\0") +
            salt.ljust(16, b"\0") + struct.pack("<II", 0, 0))


NO_KEY = key_info(b"", b"", 0)


def latent_caps(version):
    """The latentCapsInfo block that ends the media messages from V20 on."""
    return bytes(36) if version >= 0x14 else b""


def register_ack(version):
    """keepAlive, dateTemplate[6], padding, secondary keepAlive, protocol
    version, unknown, features."""
    return msg(version, REGISTER_ACK, struct.pack("<I6sHIBBH", 30, b"M/D/Y", 0, 60,
                                                  version, 0, 0))


def register(version, net):
    """Register, long form: the IPv4 field, and the IPv6 one at body offset 72."""
    v4 = net.packed(net.inside) if net.family == 4 else bytes(4)
    v6 = net.packed(net.inside) if net.family == 6 else bytes(16)
    head = (b"SEP00AABBCCDDEE\0" + struct.pack("<II", 0, 1) + v4 +
            struct.pack("<IIIBBHI", 30016, 5, 0, 17, 0, 0, 1) +
            struct.pack("<I", 0) + bytes(12) + struct.pack("<II", 0, 1))
    assert len(head) == 72
    return msg(version, REGISTER, head + v6 + bytes(4) + b"load".ljust(32, b"\0"))


def orc(version, net, keyinfo=None):
    body = (struct.pack("<IIIIIII", 1, PARTY, 20, 4, 0, 0, CALLREF) +
            (keyinfo or key_info(KEY_RX, SALT_RX)) +
            struct.pack("<IIIIII", 0, 0, 101, 0, 0, 0))
    if version >= 0x0b:
        body += addr_field(version, net.packed(net.far)) + struct.pack("<I", 30000)
        body += struct.pack("<II", 0, 0)
    return msg(version, ORC, body + latent_caps(version))


def orc_ack(version, net, port):
    return msg(version, ORC_ACK, struct.pack("<I", 0) +
               addr_field(version, net.packed(net.inside)) +
               struct.pack("<III", port, PARTY, CALLREF))


def smt(version, net, keyinfo=None):
    body = (struct.pack("<II", 1, PARTY) + addr_field(version, net.packed(net.far)) +
            struct.pack("<IIII", 30000, 20, 4, 0) + struct.pack("<IHHI", 0, 1, 0, 0) +
            struct.pack("<I", CALLREF) + (keyinfo or key_info(KEY_TX, SALT_TX)) +
            struct.pack("<IIIII", 0, 0, 101, 0, 0))
    if version >= 0x0f:
        body += struct.pack("<I", 0)		# partyDirection
    return msg(version, SMT, body + latent_caps(version))


def smt_ack(version, net, port):
    return msg(version, SMT_ACK, struct.pack("<III", 1, PARTY, CALLREF) +
               addr_field(version, net.packed(net.inside)) + struct.pack("<II", port, 0))


def stop_close(version, mid):
    return msg(version, mid, struct.pack("<IIII", 1, PARTY, CALLREF, 0))


def read_msg(conn):
    """One whole message from the stream: (version, id, body, raw)."""
    buf = conn.pending
    while True:
        if len(buf) >= 4:
            need = struct.unpack_from("<I", buf)[0] + 8
            if len(buf) >= need:
                raw, conn.pending = buf[:need], buf[need:]
                ver, mid = struct.unpack_from("<II", raw, 4)
                return ver, mid, raw[12:], raw
        chunk = conn.recv(65536)
        if not chunk:
            raise Fail("connection closed after %d bytes" % len(buf))
        buf += chunk


class Conn:
    """A TCP socket with the bytes read past the last message kept."""

    def __init__(self, s):
        self.s = s
        self.pending = b""

    def recv(self, n):
        return self.s.recv(n)

    def send(self, data):
        self.s.sendall(data)


def get_addr(version, body, off, net):
    """(packed address, offset after it) of the field at @off."""
    if version < 0x11:
        return body[off:off + 4], off + 4
    typ = struct.unpack_from("<I", body, off)[0]
    n = 4 if typ == 0 else 16
    return body[off + 4:off + 4 + n], off + 20


def expectations(a, party_ports):
    out = subprocess.run(["ip", "netns", "exec", a.rt, "cat", "/proc/net/nf_conntrack_expect"],
                         capture_output=True, text=True, check=True).stdout
    want = tuple(" dport=%d " % p for p in party_ports)
    return len([line for line in out.splitlines()
                if "ucp-sccp" in line and any(w in line for w in want)])


def media_both_ways(net, a, rport):
    """The far phone sends to what the router announced; the inside phone
    receives on its own port and answers to where StartMediaTransmission
    said; it arrives from the router's announced port."""
    far = net.sock(a.out, socket.SOCK_DGRAM, net.far, 30000)
    ph = net.sock(a.inside, socket.SOCK_DGRAM, "", 20000)
    try:
        payload = b"\x80\x00" + os.urandom(170)
        far.sendto(payload, (net.router, rport))
        data, _ = ph.recvfrom(2048)
        expect(data == payload, "RTP to router:%d arrived changed" % rport)
        back = b"\x80\x00" + os.urandom(170)
        ph.sendto(back, (net.far, 30000))
        data, src = far.recvfrom(2048)
        expect(data == back, "RTP back changed")
        expect(socket.inet_pton(net.af, src[0]) == net.packed(net.router) and src[1] == rport,
               "RTP back came from %s:%d, not router:%d" % (src[0], src[1], rport))
    except socket.timeout:
        raise Fail("RTP through router:%d did not cross the router" % rport)
    finally:
        far.close()
        ph.close()


def call(net, a, version, split=None, repeat=False):
    """Register and a call's media, through the router; split=N sends the
    OpenReceiveChannelAck as its first N bytes, then the rest; repeat sends
    it twice, as a retransmission would reach the router."""
    lst = net.sock(a.out, socket.SOCK_STREAM, net.cm, 2000)
    lst.listen(1)
    ph = net.sock(a.inside, socket.SOCK_STREAM)
    ph.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        ph.connect((net.cm, 2000))
        cm_s, peer = lst.accept()
        cm_s.settimeout(TIMEOUT)
        cm, phone = Conn(cm_s), Conn(ph)
        rt = net.packed(net.router)
        expect(socket.inet_pton(net.af, peer[0]) == rt,
               "the call manager sees %s, not the router" % peer[0])

        phone.send(register(version, net))
        ver, mid, body, _ = read_msg(cm)
        expect(mid == REGISTER and ver == version, "Register arrived as 0x%x" % mid)
        got4, got6 = body[24:28], body[72:88]
        if net.family == 4:
            expect(got4 == rt, "Register station IPv4 %s" % got4.hex())
        else:
            expect(got6 == rt and got4 == bytes(4), "Register station IPv6 %s" % got6.hex())
        cm.send(register_ack(version))
        _, mid, _, _ = read_msg(phone)
        expect(mid == REGISTER_ACK, "RegisterAck arrived as 0x%x" % mid)

        cm.send(orc(version, net))
        ver, mid, body, _ = read_msg(phone)
        expect(mid == ORC, "OpenReceiveChannel arrived as 0x%x" % mid)
        expect(body[36:52] == KEY_RX and body[52:66] == SALT_RX,
               "OpenReceiveChannel key info changed")

        ack = orc_ack(version, net, 20000)
        if split:
            phone.send(ack[:split])
            time.sleep(0.3)
            phone.send(ack[split:])
        else:
            phone.send(ack)
        ver, mid, body, raw = read_msg(cm)
        expect(mid == ORC_ACK, "OpenReceiveChannelAck arrived as 0x%x" % mid)
        addr, off = get_addr(ver, body, 4, net)
        port = struct.unpack_from("<I", body, off)[0]
        expect(addr == rt, "OpenReceiveChannelAck address %s, not the router's" % addr.hex())
        expect(struct.unpack_from("<II", body, off + 4) == (PARTY, CALLREF),
               "OpenReceiveChannelAck ids changed")
        expect(expectations(a, [port, port + 1]) == 2,
               "no receive expectations at router:%d" % port)
        if repeat:
            phone.send(ack)
            _, _, body2, _ = read_msg(cm)
            expect(body2 == body, "the ack sent again was rewritten otherwise")
            expect(expectations(a, [port, port + 1]) == 2,
                   "the ack sent again changed the expectations")

        cm.send(smt(version, net))
        ver, mid, body, _ = read_msg(phone)
        expect(mid == SMT, "StartMediaTransmission arrived as 0x%x" % mid)
        addr, off = get_addr(ver, body, 8, net)
        expect(addr == net.packed(net.far), "StartMediaTransmission remote changed")
        kof = off + 4 + 4 + 4 + 16 + 4
        expect(body[kof + 8:kof + 24] == KEY_TX, "StartMediaTransmission key changed")

        phone.send(smt_ack(version, net, 20000))
        ver, mid, body, _ = read_msg(cm)
        expect(mid == SMT_ACK, "StartMediaTransmissionAck arrived as 0x%x" % mid)
        addr, off = get_addr(ver, body, 12, net)
        expect(addr == rt, "StartMediaTransmissionAck address %s" % addr.hex())
        tport = struct.unpack_from("<I", body, off)[0]
        expect(tport == port, "StartMediaTransmissionAck port %d, not %d" % (tport, port))

        media_both_ways(net, a, port)

        # Teardown: what is left of this party's expectations goes.
        cm.send(stop_close(version, STOP) + stop_close(version, CLOSE))
        for want in (STOP, CLOSE):
            _, mid, _, _ = read_msg(phone)
            expect(mid == want, "0x%x arrived as 0x%x" % (want, mid))
        left = expectations(a, [port, port + 1, 30000, 30001])
        expect(left == 0, "%d expectations left after Stop and Close" % left)
        cm_s.close()
    finally:
        ph.close()
        lst.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--inside", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--rt", required=True)
    for side in ("in", "rt", "out", "far"):
        p.add_argument("--%s4" % side, required=True)
        p.add_argument("--%s6" % side, required=True)
    p.add_argument("case", choices=("call", "split-header", "repeat"))
    p.add_argument("family", type=int, choices=(4, 6))
    p.add_argument("--version", type=lambda s: int(s, 0), default=0x11)
    a = p.parse_args()
    net = Net(a, a.family)
    desc = "%s IPv%d version 0x%02x" % (a.case, a.family, a.version)
    try:
        if a.case == "call":
            call(net, a, a.version)
        elif a.case == "repeat":
            call(net, a, a.version, repeat=True)
        else:
            # Cut inside the header (in the message id: tshark needs the
            # first 8 bytes in one segment to know a Skinny message):
            # every field arrives in the second part.
            call(net, a, a.version, split=10)
        print("RESULT ok " + desc, flush=True)
    except (Fail, OSError) as e:
        print("RESULT fail %s: %s" % (desc, e), flush=True)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
