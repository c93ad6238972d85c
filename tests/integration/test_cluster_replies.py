#!/usr/bin/python3
"""Differential test of cluster-mode replies: the same commands go to a lone cluster-enabled
tessera-server and a lone cluster-enabled redis-server 7.0.15, and the raw replies must be
byte-identical (error texts, CLUSTERDOWN variants, slot bookkeeping; cluster-commands.md §1-§3).
Node ids differ between the two, so only id-free replies are compared, plus shapes with the
id replaced."""
import os, re, sys

sys.path.insert(0, os.path.dirname(__file__))
import cluster_harness as ch
from cluster_harness import check
import harness

UNKNOWN = "0123456789abcdef0123456789abcdef01234567"
SCRIPT = [
    ["CLUSTER"], ["CLUSTER", "FOO"], ["CLUSTER", "INFO", "x"], ["CLUSTER", "MYSHARDID"],
    ["CLUSTER", "HELP"], ["CLUSTER", "KEYSLOT", "foo{}{bar}"], ["CLUSTER", "KEYSLOT", "{user1000}.x"],
    ["SET", "foo", "bar"], ["PING"], ["SELECT", "0"], ["SELECT", "1"], ["READONLY"], ["READWRITE"],
    ["ASKING"], ["CLUSTER", "ADDSLOTS", "x"], ["CLUSTER", "ADDSLOTS", "16384"],
    ["CLUSTER", "ADDSLOTS", "5", "5"], ["CLUSTER", "ADDSLOTSRANGE", "1", "2", "3"],
    ["CLUSTER", "ADDSLOTSRANGE", "10", "5"], ["CLUSTER", "DELSLOTS", "7"],
    ["CLUSTER", "DELSLOTSRANGE", "7", "8"], ["CLUSTER", "ADDSLOTSRANGE", "0", "100"],
    ["CLUSTER", "ADDSLOTS", "50"], ["CLUSTER", "ADDSLOTSRANGE", "99", "200"],
    ["CLUSTER", "COUNTKEYSINSLOT", "69"], ["CLUSTER", "COUNTKEYSINSLOT", "-1"],
    ["CLUSTER", "COUNTKEYSINSLOT", "x"], ["CLUSTER", "GETKEYSINSLOT", "69", "-1"],
    ["CLUSTER", "GETKEYSINSLOT", "69", "x"], ["CLUSTER", "GETKEYSINSLOT", "69", "10"],
    ["GET", "t29"], ["SET", "t29", "1"], ["GET", "t0"],
    ["CONFIG", "SET", "cluster-allow-reads-when-down", "yes"],
    ["GET", "t29"], ["SET", "t29", "1"], ["SPUBLISH", "t29", "x"],
    ["CONFIG", "SET", "cluster-allow-pubsubshard-when-down", "no"], ["SPUBLISH", "t29", "x"],
    ["CONFIG", "SET", "cluster-allow-reads-when-down", "no"],
    ["CLUSTER", "SETSLOT", "5", "BOGUS"], ["CLUSTER", "SETSLOT", "99999", "STABLE"],
    ["CLUSTER", "SETSLOT", "5", "MIGRATING", UNKNOWN], ["CLUSTER", "SETSLOT", "500", "MIGRATING", UNKNOWN],
    ["CLUSTER", "SETSLOT", "5", "IMPORTING", UNKNOWN], ["CLUSTER", "SETSLOT", "500", "IMPORTING", UNKNOWN],
    ["CLUSTER", "SETSLOT", "5", "NODE", UNKNOWN], ["CLUSTER", "SETSLOT", "5", "STABLE"],
    ["CLUSTER", "SETSLOT", "5", "STABLE", "x"],
    ["CLUSTER", "FORGET", UNKNOWN], ["CLUSTER", "REPLICATE", UNKNOWN], ["CLUSTER", "REPLICAS", UNKNOWN],
    ["CLUSTER", "SLAVES", UNKNOWN], ["CLUSTER", "COUNT-FAILURE-REPORTS", UNKNOWN],
    ["CLUSTER", "SET-CONFIG-EPOCH", "x"], ["CLUSTER", "SET-CONFIG-EPOCH", "-1"],
    ["CLUSTER", "SET-CONFIG-EPOCH", "7"], ["CLUSTER", "SET-CONFIG-EPOCH", "8"],
    ["CLUSTER", "BUMPEPOCH"], ["CLUSTER", "RESET", "MEDIUM"], ["CLUSTER", "RESET", "SOFT", "x"],
    ["CLUSTER", "MEET", "127.0.0.1", "x"], ["CLUSTER", "MEET", "127.0.0.1", "1", "y"],
    ["CLUSTER", "MEET", "localhost", "7000"], ["CLUSTER", "MEET", "127.0.0.1", "70000"],
    ["CLUSTER", "MEET", "127.0.0.1", "1", "2", "3"], ["CLUSTER", "LINKS"],
    ["CLUSTER", "FLUSHSLOTS"], ["CLUSTER", "DELSLOTSRANGE", "0", "4", "6", "100"],
    ["SET", "t29", "1"], ["CLUSTER", "SAVECONFIG"],
]
# Replies that carry the node id: compare with the id masked.
MASKED = [["CLUSTER", "NODES"], ["CLUSTER", "SLOTS"], ["CLUSTER", "SHARDS"], ["CLUSTER", "INFO"]]


def mask(raw, node):
    out = raw.replace(node.myid().encode(), b"<id>")
    out = out.replace(b"%d" % (node.port + 10000), b"<cport>").replace(b"%d" % node.port, b"<port>")
    # cluster_size is only recomputed once the 2 s startup delay is over: timing, not behaviour.
    out = re.sub(rb"cluster_size:[0-9]+", b"cluster_size:<n>", out)
    return re.sub(rb"\b1[0-9]{12}\b", b"<ms>", out)


def main():
    nodes = [ch.Node("tessera"), ch.Node("redis")]
    try:
        conns = [n.srv.conn() for n in nodes]
        for argv in SCRIPT:
            got, want = (c.call(*argv) for c in conns)
            check(got == want, f"{' '.join(argv)}\n  tessera: {got!r}\n  redis:   {want!r}")
        for argv in MASKED:
            got, want = (mask(c.call(*argv), n) for c, n in zip(conns, nodes))
            check(got == want, f"{' '.join(argv)}\n  tessera: {got!r}\n  redis:   {want!r}")
        for c in conns:
            c.close()
    finally:
        ch.cleanup(nodes)


if __name__ == "__main__":
    main()
    ch.finish("test_cluster_replies")
