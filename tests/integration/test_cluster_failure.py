#!/usr/bin/python3
"""Failure detection and restart (cluster-bus.md §4, §8): a SIGKILLed master is flagged FAIL by
every other node, and once restarted it rejoins from its nodes.conf with the same id, slots and
epoch. nodes.conf is locked (a second process on the same file refuses to start), and a corrupt
file stops startup naming the file and the line."""
import os, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
import cluster_harness as ch
from cluster_harness import check
import harness


def test_kill_and_rejoin():
    nodes = [ch.Node() for _ in range(3)]
    try:
        rc, out = ch.create(nodes)
        check(rc == 0, f"create: {out}")
        ch.wait_all_ok(nodes)
        victim, others = nodes[1], [nodes[0], nodes[2]]
        vid = victim.myid()
        before = ch.slot_view(nodes[0])
        victim.kill()
        check(ch.wait_fail_everywhere(others, vid), "killed master flagged FAIL by the others")
        harness.wait_for(lambda: all(n.info().get("cluster_state") == "fail" for n in others), 10,
                         "cluster_state:fail without the victim's slots")
        conf = open(os.path.join(victim.dir, "nodes.conf")).read()
        check(f"{vid} 127.0.0.1:{victim.port}@{victim.port + 10000} myself,master" in conf,
              f"nodes.conf keeps the victim's own line: {conf}")
        victim.start()
        check(victim.myid() == vid, "restarted node keeps its id")

        def rejoined():
            for n in nodes:
                d = n.nodes().get(vid)
                if not d or "fail" in d["flags"] or "fail?" in d["flags"] or d["link"] != "connected":
                    return False
            return all(n.info().get("cluster_state") == "ok" for n in nodes)
        harness.wait_for(rejoined, 20, "the restarted node rejoined, FAIL cleared, state ok")
        check(all(ch.slot_view(n) == before for n in nodes), "slots unchanged after the restart")
        check(ch.epoch_view(victim) == ch.epoch_view(nodes[0]), "epochs agree after the restart")
    finally:
        ch.cleanup(nodes)


def start_raw(port, dir):
    """Starts a node that may refuse to start; returns the Popen."""
    cmd = [harness.TESSERA, "--port", str(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "",
           "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_lock_and_corrupt_file():
    node = ch.Node()
    try:
        p = start_raw(harness.free_port(), node.dir)
        out, _ = p.communicate(timeout=15)
        check(p.returncode == 1, f"second process on the same nodes.conf exits 1 (got {p.returncode})")
        check("Sorry, the cluster configuration file nodes.conf is already used by a different "
              "Redis Cluster node. Please make sure that different nodes use different cluster "
              "configuration files." in out, f"lock message: {out}")
        check(node.cli("ping").strip() == "PONG", "the first node still runs")
    finally:
        ch.cleanup([node])
    dir = tempfile.mkdtemp(prefix="tessera-corrupt-")
    try:
        with open(os.path.join(dir, "nodes.conf"), "w") as f:
            f.write("07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004 myself,master "
                    "- 0 0 1 connected 0-100\nthis line is broken\nvars currentEpoch 1 lastVoteEpoch 0\n")
        p = start_raw(harness.free_port(), dir)
        out, _ = p.communicate(timeout=15)
        check(p.returncode == 1, f"corrupt nodes.conf exits 1 (got {p.returncode})")
        check("corrupted cluster config file \"nodes.conf\"" in out and "line 2" in out,
              f"corrupt message names file and line: {out}")
    finally:
        shutil.rmtree(dir, ignore_errors=True)


if __name__ == "__main__":
    test_kill_and_rejoin()
    test_lock_and_corrupt_file()
    ch.finish("test_cluster_failure")
