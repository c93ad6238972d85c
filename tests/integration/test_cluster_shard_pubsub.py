#!/usr/bin/python3
"""Shard pub/sub when a node stops serving a slot (cluster-commands.md §3.8): the subscribers of
shard channels in that slot are unsubscribed and told so. The same steps go to a lone
cluster-enabled tessera-server and a lone redis-server 7.0.15; every raw reply, pushed message
included, must be byte-identical."""
import os, sys

sys.path.insert(0, os.path.dirname(__file__))
import cluster_harness as ch
from cluster_harness import check

# t29 hashes to slot 69, foo to 12182. One channel per slot: two in one slot would be
# unsubscribed in hash-table order, which differs between the two servers.
STEPS = [
    ("sub", ["SSUBSCRIBE", "t29"]),
    ("sub", ["SSUBSCRIBE", "foo"]),
    ("sub", ["SUBSCRIBE", "plain"]),
    ("ctl", ["SPUBLISH", "t29", "hello"]),
    ("read", None),
    ("ctl", ["CLUSTER", "DELSLOTS", "69"]),
    ("read", None),
    ("ctl", ["SPUBLISH", "foo", "still here"]),
    ("read", None),
    ("ctl", ["CLUSTER", "DELSLOTSRANGE", "12000", "12200"]),
    ("read", None),
    ("sub", ["PING"]),
]


def run(node):
    node.srv.conn().call("CLUSTER", "ADDSLOTSRANGE", "0", "16383")
    sub, ctl = node.srv.conn(), node.srv.conn()
    out = []
    for who, argv in STEPS:
        if who == "read":
            out.append(sub.read())
        elif who == "sub":
            out.append(sub.call(*argv))
        else:
            out.append(ctl.call(*argv))
    sub.close()
    ctl.close()
    return out


def main():
    nodes = [ch.Node("tessera"), ch.Node("redis")]
    try:
        got, want = (run(n) for n in nodes)
        for (who, argv), g, w in zip(STEPS, got, want):
            check(g == w, f"{who} {argv}\n  tessera: {g!r}\n  redis:   {w!r}")
        check(b"sunsubscribe" in got[6] and b"sunsubscribe" in got[10],
              f"slot loss unsubscribes: {got!r}")
    finally:
        ch.cleanup(nodes)


if __name__ == "__main__":
    main()
    ch.finish("test_cluster_shard_pubsub")
