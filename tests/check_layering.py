#!/usr/bin/python3
"""Fails if a module includes a module it may not use (STYLE.md section 1)."""
import pathlib, re, sys

ALLOWED = {
    "core": set(),
    "resp": {"core"},
    "keyspace": {"core"},
    "bus": {"core"},
    "replication": {"core", "resp", "keyspace"},
    "failover": {"core", "bus"},
    "commands": {"core", "resp", "keyspace", "bus", "replication", "failover"},
    "server": {"core", "resp", "keyspace", "bus", "replication", "failover", "commands"},
}
INCLUDE = re.compile(r'#include\s+"(?:tessera/)?(\w+)/')
root = pathlib.Path(sys.argv[1])
bad = []
for module, allowed in ALLOWED.items():
    for d in (root / "src" / module, root / "include" / "tessera" / module):
        for f in list(d.glob("*.cc")) + list(d.glob("*.h")):
            text = f.read_text()
            for m in INCLUDE.finditer(text):
                used = m.group(1)
                if used in ALLOWED and used != module and used not in allowed:
                    bad.append(f"{f.relative_to(root)} includes {used}/")
            if module != "server" and "boost/asio" in text:
                bad.append(f"{f.relative_to(root)} includes Boost.Asio (only server/asio.h may)")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
