#!/usr/bin/python3
"""Interop with redis-server 7.0.15 (cluster-bus.md §13): 3 Tessera and 3 real nodes created as
one 6-master cluster with redis-cli --cluster create. Both kinds list each other connected and
agree on slots and epochs; PUBLISH crosses kinds; a SIGKILLed node of either kind is flagged FAIL
by every node of both kinds; the real nodes log nothing about malformed messages."""
import os, re, sys

sys.path.insert(0, os.path.dirname(__file__))
import cluster_harness as ch
from cluster_harness import check
import harness
import redis

BAD_LOG = re.compile(r"Received invalid|Bad message length|unknown packet type|"
                     r"unknown extension type|corrupted|mismatching sender ID")


def test_mixed_cluster():
    tessera = [ch.Node("tessera") for _ in range(3)]
    real = [ch.Node("redis", extra=["--loglevel", "debug"]) for _ in range(3)]
    # Interleave the kinds so that each kind owns slots next to the other's.
    nodes = [tessera[0], real[0], tessera[1], real[1], tessera[2], real[2]]
    try:
        rc, out = ch.create(nodes)
        check(rc == 0 and "[OK] All 16384 slots covered." in out, f"create: {out}")
        ch.wait_all_ok(nodes)
        ids = {n.port: n.myid() for n in nodes}

        def all_connected():
            for n in nodes:
                v = n.nodes()
                if set(v) != set(ids.values()):
                    return False
                if any(d["link"] != "connected" or "handshake" in d["flags"] for d in v.values()):
                    return False
            return True
        harness.wait_for(all_connected, 15, "every node lists the other five connected")
        slot_views = [ch.slot_view(n) for n in nodes]
        check(all(v == slot_views[0] for v in slot_views) and len(slot_views[0]) == 6,
              f"slot views agree: {slot_views}")
        epoch_views = [ch.epoch_view(n) for n in nodes]
        check(all(v == epoch_views[0] for v in epoch_views), f"epoch views agree: {epoch_views}")
        check(sorted(epoch_views[0].values()) == [1, 2, 3, 4, 5, 6], f"epochs: {epoch_views[0]}")
        currents = {n.info().get("cluster_current_epoch") for n in nodes}
        check(currents == {"6"}, f"cluster_current_epoch everywhere: {currents}")
        rc, out = ch.cluster_check(real[1])
        check(rc == 0, f"check from a real node: {out}")
        test_publish_across_kinds(tessera[0], real[2])
        test_publish_across_kinds(real[0], tessera[1])

        for victim in (tessera[1], real[1]):
            vid = ids[victim.port]
            victim.kill()
            survivors = [n for n in nodes if n.alive()]
            check(ch.wait_fail_everywhere(survivors, vid),
                  f"{victim.kind} node {victim.port} flagged FAIL by every node of both kinds")
        for n in real:
            log = n.srv.log_text()
            bad = [l for l in log.splitlines() if BAD_LOG.search(l)]
            check(not bad, f"redis-server {n.port} logged: {bad[:5]}")
    finally:
        ch.cleanup(nodes)


def test_publish_across_kinds(pub_node, sub_node):
    sub = redis.Redis(port=sub_node.port, socket_timeout=10)
    p = sub.pubsub()
    p.subscribe("mixed")
    harness.wait_for(lambda: p.get_message(timeout=0.1) is not None, 5, "subscribe confirmation")
    redis.Redis(port=pub_node.port, socket_timeout=10).publish("mixed", "hi")
    got = harness.wait_for(lambda: p.get_message(timeout=0.1), 5, "message across kinds")
    check(got and got.get("data") == b"hi",
          f"PUBLISH {pub_node.kind} -> SUBSCRIBE {sub_node.kind}: {got}")
    p.close()
    sub.close()


if __name__ == "__main__":
    test_mixed_cluster()
    ch.finish("test_cluster_interop")
