#!/usr/bin/python3
"""Memory per key: loads the same data into tessera-server and redis-server 7.0.15 (fresh
servers, one data set at a time) and prints used_memory and RSS growth per key, and the ratio
Tessera/Redis. Usage: bench/memory.py [path/to/tessera-server] [--scale 1.0]"""
import argparse, os, socket, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
import harness


def cmd(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def load(port, commands):
    """Sends commands in batches; every reply is a one-line reply."""
    s = socket.create_connection(("127.0.0.1", port))
    batch = []
    for c in commands:
        batch.append(c)
        if len(batch) == 2000:
            send_batch(s, batch)
            batch = []
    if batch:
        send_batch(s, batch)
    s.close()


def send_batch(s, batch):
    s.sendall(b"".join(batch))
    need, got = len(batch), 0
    while got < need:
        d = s.recv(1 << 20)
        if not d:
            raise EOFError
        got += d.count(b"\r\n")


def info_memory(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(cmd("INFO", "memory"))
    data = b""
    while b"\r\n" not in data:
        data += s.recv(1 << 16)
    head, _, data = data.partition(b"\r\n")
    n = int(head[1:])
    while len(data) < n + 2:
        data += s.recv(1 << 16)
    s.close()
    fields = dict(l.split(":", 1) for l in data.decode().splitlines() if ":" in l)
    return int(fields["used_memory"]), int(fields["used_memory_rss"])


def rss_of(pid):
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


DATASETS = {
    "strings (1M keys, 3-byte values)": lambda n: (cmd("SET", f"key:{i}", "abc") for i in range(n)),
    "hashes (100k x 10 fields)": lambda n: (cmd("HSET", f"h:{i}", *sum(([f"f{j}", f"v{j}"] for j in range(10)), [])) for i in range(n)),
    "sets (100k x 10 members)": lambda n: (cmd("SADD", f"s:{i}", *[f"m{j}" for j in range(10)]) for i in range(n)),
    "zsets (100k x 10 members)": lambda n: (cmd("ZADD", f"z:{i}", *sum(([str(j), f"m{j}"] for j in range(10)), [])) for i in range(n)),
    "lists (100k x 10 items)": lambda n: (cmd("RPUSH", f"l:{i}", *[f"item{j}" for j in range(10)]) for i in range(n)),
}
SIZES = {"strings (1M keys, 3-byte values)": 1_000_000}


def measure(binary, name, n):
    with harness.Server(binary=binary) as s:
        used0, _ = info_memory(s.port)
        rss0 = rss_of(s.proc.pid)
        load(s.port, DATASETS[name](n))
        used1, _ = info_memory(s.port)
        rss1 = rss_of(s.proc.pid)
        return (used1 - used0) / n, (rss1 - rss0) / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tessera", nargs="?", default=harness.TESSERA)
    ap.add_argument("--scale", type=float, default=1.0)
    a = ap.parse_args()
    print("| data set | Tessera used B/key | Redis used B/key | ratio | Tessera RSS B/key | Redis RSS B/key | ratio |")
    print("|---|---|---|---|---|---|---|")
    for name in DATASETS:
        n = int(SIZES.get(name, 100_000) * a.scale)
        tu, tr = measure(a.tessera, name, n)
        ru, rr = measure(harness.REDIS, name, n)
        print(f"| {name} | {tu:.0f} | {ru:.0f} | {tu / ru:.2f} | {tr:.0f} | {rr:.0f} | {tr / rr:.2f} |")


if __name__ == "__main__":
    main()
