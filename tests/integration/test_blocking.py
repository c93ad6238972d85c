#!/usr/bin/python3
"""Process test of the blocking commands (BLPOP and family) against tessera-server, with the same
scenarios run on a real redis-server 7.0.15 and the raw replies compared: a push from another
connection wakes a blocked client, short timeouts fire on time, a blocked client's pipelined
commands run only after it is served, a disconnected blocked client is forgotten, CLIENT UNBLOCK.
"""
import os, sys, time

sys.path.insert(0, os.path.dirname(__file__))
import harness
import redis

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


def blocked_clients(srv):
    r = redis.Redis(port=srv.port, socket_timeout=10)
    n = r.info("clients")["blocked_clients"]
    r.close()
    return n


def wait_blocked(srv, n):
    harness.wait_for(lambda: blocked_clients(srv) == n, 5, f"{n} blocked clients")


def scenario_wake(srv):
    """BLPOP on an empty key, then RPUSH from another connection."""
    a, b = srv.conn(), srv.conn()
    a.call("FLUSHALL")
    a.send("BLPOP", "q", "0")
    wait_blocked(srv, 1)
    pushed = b.call("RPUSH", "q", "v1", "v2")
    got = a.read()
    rest = b.call("LRANGE", "q", "0", "-1")
    a.close(), b.close()
    return [pushed, got, rest]


def scenario_fifo(srv):
    """Two waiters on one key are served oldest first; BLMOVE's push wakes a third."""
    a, b, c, d = srv.conn(), srv.conn(), srv.conn(), srv.conn()
    d.call("FLUSHALL")
    a.send("BRPOPLPUSH", "src", "dst", "0")
    wait_blocked(srv, 1)
    b.send("BLPOP", "src", "0")
    wait_blocked(srv, 2)
    c.send("BLPOP", "dst", "0")
    wait_blocked(srv, 3)
    out = [d.call("RPUSH", "src", "x", "y"), a.read(), b.read(), c.read()]
    out.append(d.call("EXISTS", "src", "dst"))
    for x in (a, b, c, d):
        x.close()
    return out


def scenario_pipeline(srv):
    """Commands pipelined behind a BLPOP wait until it is served, then run in order."""
    a, b = srv.conn(), srv.conn()
    a.call("FLUSHALL")
    a.send_raw(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n"
               b"*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n1\r\n"
               b"*4\r\n$6\r\nLRANGE\r\n$1\r\nk\r\n$1\r\n0\r\n$2\r\n-1\r\n")
    wait_blocked(srv, 1)
    before = b.call("EXISTS", "after")
    pushed = b.call("RPUSH", "k", "a", "b")
    out = [before, pushed, a.read(), a.read(), a.read()]
    a.close(), b.close()
    return out


def scenario_disconnect(srv):
    """A blocked client that goes away takes nothing from the list."""
    a, b = srv.conn(), srv.conn()
    b.call("FLUSHALL")
    a.send("BLPOP", "k", "0")
    wait_blocked(srv, 1)
    a.close()
    wait_blocked(srv, 0)
    out = [b.call("RPUSH", "k", "v"), b.call("LLEN", "k")]
    b.close()
    return out


def scenario_unblock(srv):
    a, b = srv.conn(), srv.conn()
    b.call("FLUSHALL")
    aid = int(a.call("CLIENT", "ID")[1:-2])
    a.send("BZPOPMIN", "z", "0")
    wait_blocked(srv, 1)
    out = [b.call("CLIENT", "UNBLOCK", str(aid), "ERROR"), a.read()]
    a.send("BLMPOP", "0", "1", "l", "LEFT")
    wait_blocked(srv, 1)
    out += [b.call("CLIENT", "UNBLOCK", str(aid), "TIMEOUT"), a.read()]
    out.append(b.call("CLIENT", "UNBLOCK", str(aid)))
    a.close(), b.close()
    return out


def scenario_wrongtype(srv):
    """A waited key replaced by another type keeps the client blocked (Redis 7.0)."""
    a, b = srv.conn(), srv.conn()
    b.call("FLUSHALL")
    a.send("BLPOP", "k", "0")
    wait_blocked(srv, 1)
    out = [b.call("SET", "k", "s")]
    check(blocked_clients(srv) == 1, f"{srv.binary}: the client was freed by SET")
    out += [b.call("DEL", "k"), b.call("RPUSH", "k", "v"), a.read()]
    a.close(), b.close()
    return out


def test_redis_py_timeout(srv):
    r = redis.Redis(port=srv.port, socket_timeout=10)
    r.delete("nothing")
    t0 = time.monotonic()
    got = r.blpop(["nothing"], timeout=0.2)
    took = time.monotonic() - t0
    check(got is None, f"BLPOP timeout returned {got!r}")
    check(0.19 <= took < 0.6, f"BLPOP 0.2 took {took:.3f}s")
    t0 = time.monotonic()
    got = r.bzpopmin(["nothing"], timeout=0.1)
    took = time.monotonic() - t0
    check(got is None, f"BZPOPMIN timeout returned {got!r}")
    check(0.09 <= took < 0.3, f"BZPOPMIN 0.1 took {took:.3f}s")
    r.rpush("list", "a")
    check(r.blpop(["nothing", "list"], timeout=1) == (b"list", b"a"), "BLPOP with data")
    r.close()


def main():
    scenarios = [scenario_wake, scenario_fifo, scenario_pipeline, scenario_disconnect,
                 scenario_unblock, scenario_wrongtype]
    with harness.Server() as srv, harness.redis() as real:
        test_redis_py_timeout(srv)
        for sc in scenarios:
            got, want = sc(srv), sc(real)
            check(got == want, f"{sc.__name__}:\n  tessera: {got!r}\n  redis:   {want!r}")
    if failures:
        print(f"{len(failures)} failures")
        sys.exit(1)
    print("all blocking tests passed")


if __name__ == "__main__":
    main()
