#!/usr/bin/python3
"""Keyspace notifications compared with a real redis-server 7.0.15: with notify-keyspace-events
KEA, a client PSUBSCRIBEd to __key*__:* records every message while another runs a script of
writes; the message sequences must be equal. Also checks that the class letters filter."""
import os, sys, time

sys.path.insert(0, os.path.dirname(__file__))
import harness

failures = []

SCRIPT = [
    "SET s 1", "SET s 2 EX 100", "SETEX s2 100 v", "SETNX s3 v", "MSET m1 a m2 b",
    "APPEND s 3", "INCR n", "INCRBY n 5", "DECR n", "INCRBYFLOAT f 1.5", "SETRANGE s 0 xy",
    "GETSET s z", "GETDEL s3", "GETEX s2 PERSIST", "GETEX s2 EX 50", "SETBIT b 3 1",
    "EXPIRE m1 100", "PEXPIRE m1 100000", "PERSIST m1", "EXPIRE m2 -1", "DEL m1 nokey",
    "RENAME s renamed", "COPY renamed copied", "MOVE copied 1", "UNLINK renamed",
    "LPUSH l a b", "RPUSH l c", "LPUSHX l d", "RPUSHX nol d", "LPOP l", "RPOP l", "LSET l 0 x",
    "LINSERT l BEFORE x y", "LREM l 1 y", "LTRIM l 0 0", "RPOPLPUSH l l2", "LMOVE l2 l3 LEFT RIGHT",
    "LMPOP 1 l3 LEFT", "RPUSH l4 a b c", "LPOP l4 3",
    "HSET h f v g w", "HSETNX h f2 v", "HINCRBY h n 1", "HINCRBYFLOAT h x 1.5", "HDEL h f g n x f2",
    "SADD st a b c", "SREM st a", "SMOVE st st2 b", "SPOP st", "SADD sa 1 2", "SADD sb 2 3",
    "SINTERSTORE si sa sb", "SUNIONSTORE su sa sb", "SDIFFSTORE sd sa sb", "SINTERSTORE si sa nokey",
    "ZADD z 1 a 2 b 3 c 4 d", "ZINCRBY z 1 a", "ZADD z INCR 1 b", "ZREM z a", "ZPOPMIN z",
    "ZPOPMAX z", "ZADD z 1 a 2 b 3 c", "ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYSCORE z 2 2",
    "ZREMRANGEBYLEX z - +", "ZADD za 1 a 2 b", "ZUNIONSTORE zu 1 za", "ZINTERSTORE zi 1 za",
    "ZDIFFSTORE zd 1 za", "ZRANGESTORE zr za 0 -1", "ZMPOP 1 za MIN COUNT 5",
    "PFADD hll a b", "PFMERGE hll2 hll", "SET bo1 x", "BITOP NOT bo2 bo1", "BITOP AND bo2 nokey",
    "SETBIT b 3 1", "BITFIELD b SET u8 0 255", "BITFIELD b GET u8 0", "SET past v EXAT 1",
    "SET g 1 GET", "GETEX g PXAT 1", "EXPIRE m2 0", "SADD sp a b c d", "SPOP sp 2", "SPOP sp 5",
    "RPUSH rot a b", "LMOVE rot rot LEFT RIGHT", "ZADD zz 1 a", "ZADD zz NX 1 a", "ZREM zz nope",
    "HSET hh f v", "HSETNX hh f v", "HDEL hh nope", "RENAMENX hh hh2", "FLUSHDB",
    "SET e v PX 1",
]


def run(srv):
    sub, cmd = srv.conn(), srv.conn()
    cmd.call("CONFIG", "SET", "notify-keyspace-events", "KEA")
    cmd.call("FLUSHALL")
    sub.call("PSUBSCRIBE", "__key*__:*")
    for line in SCRIPT:
        parts = line.split(" ")
        cmd.call(*parts)
    # An expiry, noticed by active expiry or on access (both publish "expired").
    harness.wait_for(lambda: cmd.call("EXISTS", "e") == b":0\r\n", 5, "key e to expire")
    # A served BLPOP publishes its pop.
    blocked = srv.conn()
    blocked.send("BLPOP", "wait", "0")
    harness.wait_for(lambda: b"blocked_clients:1" in cmd.call("INFO", "clients"), 5, "BLPOP to block")
    cmd.call("RPUSH", "wait", "x")
    blocked.read()
    blocked.close()
    cmd.call("PUBLISH", "__keyevent@0__:end", "end")
    msgs = []
    while True:
        m = sub.read()
        msgs.append(m)
        if b"end" in m and b"__keyevent@0__:end" in m:
            break
    # Only one class: generic events pass, list events do not.
    cmd.call("CONFIG", "SET", "notify-keyspace-events", "Eg")
    cmd.call("RPUSH", "only", "x")
    cmd.call("DEL", "only")
    cmd.call("PUBLISH", "__keyevent@0__:end", "end")
    while True:
        m = sub.read()
        msgs.append(m)
        if b"end" in m and b"__keyevent@0__:end" in m:
            break
    cmd.call("CONFIG", "SET", "notify-keyspace-events", "")
    sub.close(), cmd.close()
    return msgs


def main():
    with harness.Server() as srv, harness.redis() as real:
        got, want = run(srv), run(real)
    n = max(len(got), len(want))
    for i in range(n):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        if g != w:
            failures.append(i)
            print(f"message {i}:\n  tessera: {g!r}\n  redis:   {w!r}")
            if len(failures) > 10:
                break
    if failures:
        print(f"differences from message {failures[0]} on ({len(got)} vs {len(want)} messages)")
        sys.exit(1)
    print(f"all {len(want)} notifications identical")


if __name__ == "__main__":
    main()
