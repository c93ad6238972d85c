#!/usr/bin/python3
"""Cluster bus cost: N cluster-enabled masters of tessera-server, then of redis-server 7.0.15 (one
kind at a time, same run), slots split evenly, distinct config epochs, every node MEETs the first.
Measures (a) the time from the last MEET until every node lists all N nodes connected, (b) the time
for an (N+1)th node MEETed to one node to be listed connected by all N, and (c) once settled, each
node's CPU and bus traffic per second over a quiet window. Prints a markdown table per N with the
ratio Tessera/Redis.

Bus bytes are TCP payload bytes, read from the kernel's tcp_info (`ss -ti` bytes_sent) on every
established loopback socket with a bus port at one end: both ends of every link are counted, so
the sum is everything the nodes sent each other. Nothing else talks to the bus ports, and no client
command is sent during the window.

Usage: bench/cluster.py [path/to/tessera-server] [--sizes 10 30 60] [--window 10]"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
import harness

NODE_TIMEOUT_MS = 5000
SETTLE_S = 2.0          # after cluster_state:ok everywhere, before the quiet window
POLL_S = 0.05
SLOTS = 16384
TICK = os.sysconf("SC_CLK_TCK")


class Node:
    """One cluster-enabled server and a persistent client connection to it."""

    def __init__(self, binary, kind):
        args = ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", str(NODE_TIMEOUT_MS)]
        if kind == "redis":
            args += ["--appendonly", "no"]
        self.srv = None
        tmp = tempfile.mkdtemp(prefix=f"tessera-bench-{kind}-")
        try:
            self.srv = harness.Server(binary=binary, args=args, dir=tmp)
            self.port = self.srv.port
            self.conn = self.srv.conn()
            self.id = self.call("CLUSTER", "MYID")
        except Exception:  # the caller never sees this node, so stop it here
            if self.srv is not None:
                self.srv.stop()
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def call(self, *args):
        raw = self.conn.call(*args)
        head, _, body = raw.partition(b"\r\n")
        if head.startswith(b"-"):
            raise RuntimeError(f"{args} on {self.port}: {head[1:].decode()}")
        if head.startswith(b"$"):
            return body[:-2].decode()
        return head[1:].decode()

    def nodes(self):
        """[(id, flags, link)] from CLUSTER NODES."""
        out = []
        for line in self.call("CLUSTER", "NODES").splitlines():
            f = line.split(" ")
            if len(f) >= 8:
                out.append((f[0], f[2].split(","), f[7]))
        return out

    def cluster_info(self):
        return dict(l.split(":", 1) for l in self.call("CLUSTER", "INFO").splitlines() if ":" in l)

    def cpu_ticks(self):
        with open(f"/proc/{self.srv.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime (stat fields 14 and 15)

    def stop(self):
        try:
            self.conn.close()
        except OSError:
            pass
        self.srv.stop()
        shutil.rmtree(self.srv.dir, ignore_errors=True)


def linked(entry):
    _, flags, link = entry
    return link == "connected" and "handshake" not in flags and "noaddr" not in flags


def full_mesh(node, ids):
    seen = {e[0]: e for e in node.nodes()}
    return all(i in seen and linked(seen[i]) for i in ids)


def wait_until(nodes, cond, timeout, what):
    """Polls cond(node) on the nodes not yet satisfied; returns the seconds until all were."""
    start = time.monotonic()
    pending = list(nodes)
    while pending:
        pending = [n for n in pending if not cond(n)]
        if not pending:
            break
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"{what}: {len(pending)} of {len(nodes)} nodes still pending "
                               f"after {timeout}s")
        time.sleep(POLL_S)
    return time.monotonic() - start


def bus_bytes_sent(bus_ports):
    """Sum of tcp_info bytes_sent over established sockets with a bus port at either end."""
    out = subprocess.run(["ss", "-tinH", "state", "established"], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    total, counting = 0, False
    for line in out:
        if not line.startswith((" ", "\t")):  # socket line: Recv-Q Send-Q local peer
            f = line.split()
            ports = {int(a.rsplit(":", 1)[1]) for a in f[2:4]}
            counting = bool(ports & bus_ports)
        elif counting:
            m = re.search(r"\bbytes_sent:(\d+)", line)
            total += int(m.group(1)) if m else 0
    return total


def measure(binary, kind, n, window, r):
    """Fills r as it goes, so a timeout late in the run keeps the earlier figures."""
    nodes = []
    try:
        for _ in range(n):
            nodes.append(Node(binary, kind))
        for i, node in enumerate(nodes):
            node.call("CLUSTER", "ADDSLOTSRANGE", i * SLOTS // n, (i + 1) * SLOTS // n - 1)
            node.call("CLUSTER", "SET-CONFIG-EPOCH", i + 1)
        for node in nodes[1:]:
            node.call("CLUSTER", "MEET", "127.0.0.1", nodes[0].port)
        ids = [node.id for node in nodes]
        r["mesh_s"] = wait_until(nodes, lambda x: full_mesh(x, ids), 60 + 3 * n, "full mesh")
        wait_until(nodes, lambda x: x.cluster_info().get("cluster_state") == "ok", 60,
                   "cluster_state:ok")
        time.sleep(SETTLE_S)

        bus_ports = {node.port + 10000 for node in nodes}
        msgs0 = sum(int(x.cluster_info()["cluster_stats_messages_sent"]) for x in nodes)
        cpu0, bytes0, t0 = [x.cpu_ticks() for x in nodes], bus_bytes_sent(bus_ports), time.monotonic()
        time.sleep(window)
        cpu1, bytes1, t1 = [x.cpu_ticks() for x in nodes], bus_bytes_sent(bus_ports), time.monotonic()
        msgs1 = sum(int(x.cluster_info()["cluster_stats_messages_sent"]) for x in nodes)
        dt = t1 - t0
        cpu = [(b - a) / TICK / dt * 1000 for a, b in zip(cpu0, cpu1)]  # CPU ms per second
        r["cpu_mean"] = sum(cpu) / n
        r["cpu_max"] = max(cpu)
        r["bytes"] = (bytes1 - bytes0) / dt / n
        r["msgs"] = (msgs1 - msgs0) / dt / n

        newcomer = Node(binary, kind)
        nodes.append(newcomer)
        newcomer.call("CLUSTER", "MEET", "127.0.0.1", nodes[0].port)
        r["join_s"] = wait_until(nodes[:n], lambda x: full_mesh(x, [newcomer.id]), 60 + n,
                                 "new node known by all")
    finally:
        for node in nodes:
            try:
                node.stop()
            except Exception as e:  # keep stopping the others
                print(f"stopping {node.port}: {e}", file=sys.stderr)


METRICS = [
    ("mesh_s", "full mesh after the last MEET (s)", "{:.2f}"),
    ("join_s", "new node known by all (s)", "{:.2f}"),
    ("cpu_mean", "idle CPU per node, mean (ms/s)", "{:.2f}"),
    ("cpu_max", "idle CPU per node, max (ms/s)", "{:.2f}"),
    ("bytes", "bus bytes sent per node (B/s)", "{:.0f}"),
    ("msgs", "bus messages sent per node (msg/s)", "{:.2f}"),
]


def fmt(spec, v):
    return "n/a" if v is None else spec.format(v)


def table(n, t, r):
    print(f"\n### N = {n} masters\n")
    print("| metric | Tessera | Redis 7.0.15 | Tessera/Redis |")
    print("|---|---|---|---|")
    for key, label, spec in METRICS:
        tv, rv = t.get(key), r.get(key)
        ratio = f"{tv / rv:.2f}" if tv is not None and rv else "-"
        print(f"| {label} | {fmt(spec, tv)} | {fmt(spec, rv)} | {ratio} |")
    sys.stdout.flush()


def run(binary, kind, n, window, r):
    try:
        measure(binary, kind, n, window, r)
    except (TimeoutError, RuntimeError, OSError) as e:
        print(f"{kind} N={n}: {e}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tessera", nargs="?", default=harness.TESSERA)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 60])
    ap.add_argument("--window", type=float, default=10.0, help="quiet window for CPU/bytes (s)")
    a = ap.parse_args()
    print(f"cluster-node-timeout {NODE_TIMEOUT_MS} ms; CPU = utime+stime from /proc/<pid>/stat over "
          f"a {a.window:g} s window; bus bytes = tcp_info bytes_sent (TCP payload) on every "
          f"socket with a bus port at one end, divided by N; messages = "
          f"cluster_stats_messages_sent delta.")
    for n in a.sizes:
        t, r = {}, {}
        try:
            run(a.tessera, "tessera", n, a.window, t)
            run(harness.REDIS, "redis", n, a.window, r)
        finally:  # an interrupted run still prints what it measured
            table(n, t, r)


if __name__ == "__main__":
    main()
