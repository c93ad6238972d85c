"""Helpers for cluster process tests: start cluster-enabled tessera-server / redis-server nodes on
free loopback ports, create clusters with redis-cli, read CLUSTER NODES, and wait for conditions
with deadlines (never sleeping for luck). Every node is stopped by PID, even on failure."""
import os, shutil, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(__file__))
import harness

NODE_TIMEOUT_MS = 1500
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", flush=True)
    return cond


def finish(name):
    if failures:
        print(f"{name}: {len(failures)} failed")
        sys.exit(1)
    print(f"{name}: all checks passed")


class Node:
    """A cluster-enabled server. `kind` is "tessera" or "redis"; restart() reuses dir and port."""

    def __init__(self, kind="tessera", port=None, dir=None, extra=()):
        self.kind = kind
        self.binary = harness.TESSERA if kind == "tessera" else harness.REDIS
        self.extra = list(extra)
        self.port = port or harness.free_port()
        self.dir = dir or tempfile.mkdtemp(prefix=f"tessera-cluster-{kind}-")
        self.srv = None
        self.start()

    def args(self):
        a = ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
             "--cluster-node-timeout", str(NODE_TIMEOUT_MS)]
        if self.kind == "redis":
            a += ["--appendonly", "no"]
        return a + self.extra

    def start(self):
        self.srv = harness.Server(binary=self.binary, args=self.args(), port=self.port, dir=self.dir)

    @property
    def pid(self):
        return self.srv.proc.pid

    def alive(self):
        return self.srv is not None and self.srv.proc.poll() is None

    def kill(self, sig=signal.SIGKILL):
        self.srv.stop(sig)

    def stop(self):
        if self.srv is not None:
            self.srv.stop()

    def cli(self, *args, timeout=10):
        out = subprocess.run(["redis-cli", "-p", str(self.port)] + [str(a) for a in args],
                             capture_output=True, text=True, timeout=timeout)
        return out.stdout

    def nodes(self):
        """CLUSTER NODES parsed: id -> dict(addr, flags, master, epoch, link, slots, myself)."""
        out = {}
        for line in self.cli("cluster", "nodes").splitlines():
            f = line.split(" ")
            if len(f) < 8:
                continue
            flags = f[2].split(",")
            out[f[0]] = dict(addr=f[1], flags=flags, master=f[3], epoch=int(f[6]), link=f[7],
                             slots=sorted(t for t in f[8:] if not t.startswith("[")),
                             myself="myself" in flags)
        return out

    def myid(self):
        return self.cli("cluster", "myid").strip()

    def info(self):
        out = {}
        for line in self.cli("cluster", "info").splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                out[k] = v.strip()
        return out

    def addr(self):
        return f"127.0.0.1:{self.port}"


def cleanup(nodes):
    for n in nodes:
        try:
            n.stop()
        except Exception as e:  # keep stopping the others
            print(f"stopping {n.port}: {e}")
        shutil.rmtree(n.dir, ignore_errors=True)


def create(nodes, replicas=0, timeout=60):
    """redis-cli --cluster create; returns (returncode, output)."""
    cmd = ["redis-cli", "--cluster", "create"] + [n.addr() for n in nodes]
    if replicas:
        cmd += ["--cluster-replicas", str(replicas)]
    cmd += ["--cluster-yes"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def cluster_check(node, timeout=30):
    p = subprocess.run(["redis-cli", "--cluster", "check", node.addr()], capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def wait_all_ok(nodes, timeout=20):
    harness.wait_for(lambda: all(n.info().get("cluster_state") == "ok" for n in nodes), timeout,
                     "cluster_state:ok on every node")


def slot_view(node):
    """{id: slots} for nodes owning slots, as `node` sees them."""
    return {i: d["slots"] for i, d in node.nodes().items() if d["slots"]}


def epoch_view(node):
    return {i: d["epoch"] for i, d in node.nodes().items() if "master" in d["flags"]}


def wait_fail_everywhere(nodes, victim_id, timeout=30):
    """Every node in `nodes` flags victim_id as `fail`."""
    def seen():
        return all("fail" in n.nodes().get(victim_id, {}).get("flags", []) for n in nodes)
    try:
        harness.wait_for(seen, timeout, f"FAIL of {victim_id} on every node")
        return True
    except TimeoutError as e:
        for n in nodes:
            print(f"  {n.kind}:{n.port} sees {n.nodes().get(victim_id)}")
        print(f"  {e}")
        return False
