# SPDX-License-Identifier: GPL-2.0
"""The SCCP messages of the relay tests (sccp_inspect.sh, ucproxyd_sccp.sh),
made by sccp_nat.py's builders with header version 0x11: a phone at
192.0.2.10 in front of the router (192.0.2.1 toward the phone, 10.9.0.1
toward the call manager 10.9.0.2).

  sccp_relay.py DIR    writes each message to DIR/NAME (ack, close, badkey,
                       keepalive, and two: two acks in one piece)
"""
import sys

import sccp_nat as s


class _Addrs:
    in4, rt4, out4, far4 = "192.0.2.10", "10.9.0.1", "10.9.0.2", "198.51.100.3"
    in6 = rt6 = out6 = far6 = "::1"


NET = s.Net(_Addrs(), 4)
_ORC = s.orc(0x11, NET)

# OpenReceiveChannelAck: the phone's address (typed field at 20), port 30000
# (at 36).
ACK = s.orc_ack(0x11, NET, 30000)
CLOSE = s.stop_close(0x11, s.CLOSE)
# OpenReceiveChannel with key length 17 in its key info (body offset 32):
# the parser refuses it ("key").
BADKEY = _ORC[:12 + 32] + bytes([17]) + _ORC[12 + 33:]
KEEPALIVE = s.msg(0x11, 0x0000, b"")


def read_msg(c, buf):
    """One whole message of a stream socket c, buf holding what was read
    past the last one: (id, raw, rest), or None at the end."""
    while len(buf) < 4 or len(buf) < int.from_bytes(buf[:4], "little") + 8:
        data = c.recv(65536)
        if not data:
            return None
        buf += data
    n = int.from_bytes(buf[:4], "little") + 8
    return int.from_bytes(buf[8:12], "little"), buf[:n], buf[n:]


if __name__ == "__main__":
    for name, m in {"ack": ACK, "close": CLOSE, "badkey": BADKEY,
                    "keepalive": KEEPALIVE, "two": ACK * 2}.items():
        with open("%s/%s" % (sys.argv[1], name), "wb") as f:
            f.write(m)
