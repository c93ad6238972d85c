#!/usr/bin/python3
"""Cluster creation with real tools (cluster-commands.md §5.1, §6.1): redis-cli --cluster create
with and without --cluster-replicas 1 followed by --cluster check, redis-py RedisCluster writing
and reading one key in every slot, redis-benchmark --cluster, redirects for redis-cli -c, and
PUBLISH reaching a subscriber on another node over the bus."""
import os, subprocess, sys, threading

sys.path.insert(0, os.path.dirname(__file__))
import cluster_harness as ch
from cluster_harness import check
import harness
import redis
from redis.cluster import RedisCluster
from redis.crc import key_slot


def keys_for_every_slot():
    keys, seen, i = [], set(), 0
    while len(seen) < 16384:
        k = f"key:{i}"
        s = key_slot(k.encode())
        if s not in seen:
            seen.add(s)
            keys.append(k)
        i += 1
    return keys


def test_three_masters():
    nodes = [ch.Node() for _ in range(3)]
    try:
        rc, out = ch.create(nodes)
        check(rc == 0 and "[OK] All 16384 slots covered." in out, f"create (3 masters): {out}")
        ch.wait_all_ok(nodes)
        rc, out = ch.cluster_check(nodes[1])
        check(rc == 0 and "[OK] All nodes agree about slots configuration." in out,
              f"check (3 masters): {out}")
        views = [ch.slot_view(n) for n in nodes]
        check(all(v == views[0] for v in views) and len(views[0]) == 3, f"slot views: {views}")
        epochs = ch.epoch_view(nodes[0])
        check(sorted(epochs.values()) == [1, 2, 3], f"epochs: {epochs}")
        # redis-cli -c follows MOVED; a plain client sees it.
        out = subprocess.run(["redis-cli", "-c", "-p", str(nodes[0].port), "set", "foo", "bar"],
                             capture_output=True, text=True, timeout=10).stdout
        check(out.strip() == "OK", f"redis-cli -c set: {out}")
        owner = [n for n in nodes if n.cli("cluster", "countkeysinslot", "12182").strip() == "1"]
        check(len(owner) == 1, "foo stored on exactly one node")
        other = [n for n in nodes if n not in owner][0]
        moved = other.cli("get", "foo").strip()
        check(moved == f"MOVED 12182 127.0.0.1:{owner[0].port}" if owner else False,
              f"MOVED reply: {moved}")
        test_publish(nodes)
    finally:
        ch.cleanup(nodes)


def test_publish(nodes):
    sub = redis.Redis(port=nodes[2].port, socket_timeout=10)
    p = sub.pubsub()
    p.subscribe("news")
    harness.wait_for(lambda: p.get_message(timeout=0.1) is not None, 5, "subscribe confirmation")
    redis.Redis(port=nodes[0].port, socket_timeout=10).publish("news", "hello")
    got = harness.wait_for(lambda: p.get_message(timeout=0.1), 5, "message over the bus")
    check(got and got.get("data") == b"hello", f"PUBLISH over the bus: {got}")
    p.close()
    sub.close()


def test_with_replicas():
    nodes = [ch.Node() for _ in range(6)]
    try:
        rc, out = ch.create(nodes, replicas=1)
        check(rc == 0 and "[OK] All 16384 slots covered." in out, f"create (replicas): {out}")
        ch.wait_all_ok(nodes)

        def roles_agree():
            for n in nodes:
                v = n.nodes()
                masters = [d for d in v.values() if "master" in d["flags"]]
                slaves = [d for d in v.values() if "slave" in d["flags"]]
                if len(masters) != 3 or len(slaves) != 3 or any(s["master"] == "-" for s in slaves):
                    return False
            return True
        harness.wait_for(roles_agree, 15, "3 masters and 3 replicas in every CLUSTER NODES")
        rc, out = ch.cluster_check(nodes[3])
        check(rc == 0 and "[OK] All 16384 slots covered." in out and "1 additional replica(s)" in out,
              f"check (replicas): {out}")
        test_redis_py(nodes)
        test_benchmark(nodes)
    finally:
        ch.cleanup(nodes)


def test_redis_py(nodes):
    rc = RedisCluster(host="127.0.0.1", port=nodes[0].port, socket_timeout=10)
    keys = keys_for_every_slot()
    pipe = rc.pipeline()
    for k in keys:
        pipe.set(k, k)
    check(all(pipe.execute()), "pipelined SET of one key per slot")
    pipe = rc.pipeline()
    for k in keys:
        pipe.get(k)
    values = pipe.execute()
    check(values == [k.encode() for k in keys], "GET of one key per slot")
    check(rc.get("key:0") == b"key:0", "RedisCluster GET")
    total = sum(int(n.cli("dbsize").strip()) for n in nodes)
    check(total == 16384, f"16384 keys over the masters, got {total}")
    rc.close()


def test_benchmark(nodes):
    p = subprocess.run(["redis-benchmark", "--cluster", "-p", str(nodes[0].port), "-t", "set,get",
                        "-n", "2000", "-q"], capture_output=True, text=True, timeout=60)
    check(p.returncode == 0 and "SET:" in p.stdout and "GET:" in p.stdout,
          f"redis-benchmark --cluster: rc={p.returncode} {p.stdout[-500:]} {p.stderr[-500:]}")


if __name__ == "__main__":
    test_three_masters()
    test_with_replicas()
    ch.finish("test_cluster_create")
