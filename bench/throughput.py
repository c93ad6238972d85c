#!/usr/bin/python3
"""Throughput: redis-benchmark against tessera-server and redis-server 7.0.15 in the same run,
alternating, server pinned to CPU 0 and the benchmark to CPU 1; prints rps and p99 per workload
and the ratio Tessera/Redis.
Usage: bench/throughput.py [path/to/tessera-server] [--requests N] [--rounds R]"""
import argparse, csv, io, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
import harness

TESTS = ["set", "get", "incr", "lpush", "mset"]


def run_bench(port, pipeline, size, requests):
    cmd = ["taskset", "-c", "1", "redis-benchmark", "-p", str(port), "-c", "50", "-n",
           str(requests), "-P", str(pipeline), "-d", str(size), "-t", ",".join(TESTS), "--csv", "-q"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = {}
    for row in csv.reader(io.StringIO(out)):
        if not row or row[0] == "test":
            continue
        name = row[0].split()[0].lower()
        name = "mset" if name.startswith("mset") else name
        rows[name] = (float(row[1]), float(row[6]) if len(row) > 6 else 0.0)  # rps, p99 ms
    return rows


def start(binary):
    s = harness.Server(binary=binary)
    subprocess.run(["taskset", "-pc", "0", str(s.proc.pid)], capture_output=True, check=True)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tessera", nargs="?", default=harness.TESSERA)
    ap.add_argument("--requests", type=int, default=200000)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    results = {}
    for pipeline in (1, 16):
        for size in (3, 1024):
            for rnd in range(a.rounds):
                for label, binary in (("tessera", a.tessera), ("redis", harness.REDIS)):
                    with start(binary) as s:
                        n = a.requests * (4 if pipeline > 1 else 1)
                        for t, (rps, p99) in run_bench(s.port, pipeline, size, n).items():
                            results.setdefault((t, pipeline, size, label), []).append((rps, p99))
    print(f"| workload | -P | value bytes | Tessera rps | Redis rps | ratio | Tessera p99 ms | Redis p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for pipeline in (1, 16):
        for size in (3, 1024):
            for t in TESTS:
                tr = results.get((t, pipeline, size, "tessera"), [])
                rr = results.get((t, pipeline, size, "redis"), [])
                if not tr or not rr:
                    continue
                trps = max(x[0] for x in tr)
                rrps = max(x[0] for x in rr)
                tp99 = min(x[1] for x in tr)
                rp99 = min(x[1] for x in rr)
                print(f"| {t.upper()} | {pipeline} | {size} | {trps:.0f} | {rrps:.0f} | "
                      f"{trps / rrps:.2f} | {tp99:.3f} | {rp99:.3f} |")


if __name__ == "__main__":
    main()
