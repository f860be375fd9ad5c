# SPDX-License-Identifier: GPL-2.0
"""Many TLS connections held at once, for the agent's scale tests.

The driver (hold()) opens N connections to the proxy (at most 64
handshakes at a time), each with a first exchange, and prints "held N"
(then the first three errors, if any) when all have been tried; on a line
on stdin a second exchange on every connection, "alive N" (how many came
back right); on the next line it closes them all, "closed". A protocol
gives the two exchanges.

  tls_many.py lines DIR N HOST PORT
      ucproxyd_scale.sh's: a line each way ("hello I" answered "HELLO I",
      then "again I", "AGAIN I"), the server's certificate from DIR/ca.pem
"""
import asyncio
import ssl
import sys


async def _open(i, host, port, ctx, sem, first):
    async with sem:
        r, w = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=ctx), 120)
    await asyncio.wait_for(first(i, r, w), 120)
    return r, w


async def hold(n, host, port, cafile, first, again):
    """first(i, r, w): the first exchange (raises on a wrong answer);
    again(i, r, w): the second, True when it came back right."""
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = False
    sem = asyncio.Semaphore(64)
    res = await asyncio.gather(*(_open(i, host, port, ctx, sem, first)
                                 for i in range(n)), return_exceptions=True)
    conns = [c for c in res if not isinstance(c, BaseException)]
    errs = [repr(e) for e in res if isinstance(e, BaseException)]
    print("held", len(conns), *errs[:3], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)
    ok = 0
    for ok_i in await asyncio.gather(*(asyncio.wait_for(again(i, r, w), 60)
                                       for i, (r, w) in enumerate(conns)),
                                     return_exceptions=True):
        ok += ok_i is True
    print("alive", ok, flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    for r, w in conns:
        w.close()
    print("closed", flush=True)


async def _line(w, r, out, want):
    w.write(out)
    await w.drain()
    return await r.readline() == want


async def _lines_first(i, r, w):
    assert await _line(w, r, b"hello %d\n" % i, b"HELLO %d\n" % i)


async def _lines_again(i, r, w):
    return await _line(w, r, b"again %d\n" % i, b"AGAIN %d\n" % i)


if __name__ == "__main__":
    if len(sys.argv) != 6 or sys.argv[1] != "lines":
        sys.exit("usage: tls_many.py lines DIR N HOST PORT")
    asyncio.run(hold(int(sys.argv[3]), sys.argv[4], int(sys.argv[5]),
                     sys.argv[2] + "/ca.pem", _lines_first, _lines_again))
