#!/usr/bin/python3
"""Differential test: every script in diff/*.redis is sent, command by command, to tessera-server
and to a real redis-server 7.0.15; every raw reply must be byte-identical.
Script syntax: one command per line, shell-style quoting (\\xHH escapes inside double quotes);
'#' starts a comment line. Each script starts on an empty server (FLUSHALL) in RESP2; a line
'HELLO 3' switches that script to RESP3 on both."""
import glob, os, re, shlex, sys

sys.path.insert(0, os.path.dirname(__file__))
import harness


def parse_line(line):
    parts = shlex.split(line, posix=True)
    out = []
    for p in parts:
        out.append(p.encode("latin-1").decode("unicode_escape").encode("latin-1"))
    return out


def normalize(argv, reply):
    """HELLO's reply holds the connection's client id, which differs between the servers."""
    if argv and argv[0].upper() == b"HELLO":
        return re.sub(rb"\$2\r\nid\r\n:\d+\r\n", b"$2\r\nid\r\n:ID\r\n", reply)
    return reply


def main():
    scripts = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "diff", "*.redis")))
    only = sys.argv[1:]
    failures = 0
    with harness.Server() as tessera, harness.redis() as redis:
        for path in scripts:
            name = os.path.basename(path)
            if only and name not in only:
                continue
            t, r = tessera.conn(), redis.conn()
            for c in (t, r):
                c.call("FLUSHALL")
            with open(path, encoding="latin-1") as f:
                for lineno, line in enumerate(f, 1):
                    line = line.strip()
                    if not line or line.startswith("#"):
                        continue
                    argv = parse_line(line)
                    got = normalize(argv, t.call(*argv))
                    want = normalize(argv, r.call(*argv))
                    if got != want:
                        failures += 1
                        print(f"{name}:{lineno}: {line}\n  tessera: {got!r}\n  redis:   {want!r}")
            t.close()
            r.close()
            print(f"{name}: done")
    if failures:
        print(f"{failures} differing replies")
        sys.exit(1)
    print("all replies identical")


if __name__ == "__main__":
    main()
