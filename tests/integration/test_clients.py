#!/usr/bin/python3
"""Process test of the introspection commands with real clients: redis-py parses INFO and
CLIENT LIST, MONITOR sees another client's command, CLIENT KILL closes a connection, CLIENT PAUSE
WRITE holds a SET but not a GET, redis-cli prints INFO, RESP3 replies match redis-server 7.0.15
byte for byte, and SHUTDOWN closes the connection without a reply."""
import os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
import harness
import redis

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


def test_info_parses(srv):
    r = redis.Redis(port=srv.port, socket_timeout=10)
    r.set("k", "v")
    r.get("k")
    info = r.info()
    check(info.get("redis_version") == "7.0.15", f"redis_version: {info.get('redis_version')}")
    for key in ("connected_clients", "used_memory", "used_memory_human", "role", "uptime_in_seconds",
                "total_commands_processed", "instantaneous_ops_per_sec", "keyspace_hits",
                "cluster_enabled", "maxmemory_policy", "rdb_changes_since_last_save",
                "master_replid", "used_cpu_sys"):
        check(key in info, f"INFO lacks {key}")
    check(info.get("db0", {}).get("keys") == 1, f"db0: {info.get('db0')}")
    everything = r.info("everything")
    check("cmdstat_set" in everything and everything["cmdstat_set"]["calls"] >= 1,
          f"cmdstat_set: {everything.get('cmdstat_set')}")
    check(r.info("nosuch") == {}, "INFO nosuch is not empty")
    r.close()


def test_client_list_parses(srv):
    r = redis.Redis(port=srv.port, socket_timeout=10)
    r.client_setname("lister")
    clients = r.client_list()
    me = [c for c in clients if c.get("name") == "lister"]
    check(len(me) == 1, f"CLIENT LIST: {clients}")
    if me:
        for key in ("id", "addr", "laddr", "fd", "age", "idle", "flags", "db", "cmd", "resp",
                    "tot-mem", "user"):
            check(key in me[0], f"CLIENT LIST lacks {key}")
        check(me[0]["cmd"] == "client|list", f"cmd= {me[0].get('cmd')}")
    check(r.client_info().get("name") == "lister", "CLIENT INFO name")
    check(r.client_getname() in ("lister", b"lister"), "CLIENT GETNAME")
    check(r.client_id() == int(me[0]["id"]) if me else False, "CLIENT ID")
    r.close()


def test_monitor(srv):
    r = redis.Redis(port=srv.port, socket_timeout=10)
    other = redis.Redis(port=srv.port, socket_timeout=10)
    with r.monitor() as m:
        other.set("watched-key", "value")
        cmd = m.next_command()
        check(cmd.get("command") == "SET watched-key value", f"MONITOR saw {cmd}")
    other.close()
    r.close()


def test_client_kill(srv):
    r = redis.Redis(port=srv.port, socket_timeout=10)
    victim = harness.Raw(srv.port)
    victim_id = int(victim.call("CLIENT", "ID")[1:-2])
    check(r.client_kill_filter(_id=victim_id) == 1, "CLIENT KILL ID did not kill one client")
    data, closed = victim.read_all_until_close(timeout=5)
    check(closed and data == b"", f"victim not closed (closed={closed}, data={data!r})")
    victim.close()
    r.close()


def test_client_pause_write(srv):
    r = redis.Redis(port=srv.port, socket_timeout=10)
    other = harness.Raw(srv.port)
    r.set("paused", "before")
    check(r.client_pause(600, all=False), "CLIENT PAUSE WRITE")
    start = time.monotonic()
    check(other.call("GET", "paused") == b"$6\r\nbefore\r\n", "GET during pause")
    check(time.monotonic() - start < 0.4, "GET waited during a WRITE pause")
    check(other.call("SET", "paused", "after") == b"+OK\r\n", "SET after pause")
    waited = time.monotonic() - start
    check(waited >= 0.5, f"SET was not held by the pause (answered after {waited:.3f}s)")
    check(r.get("paused") == b"after", "SET applied after the pause")
    other.close()
    r.close()


def test_redis_cli_info(srv):
    out = subprocess.run(["redis-cli", "-p", str(srv.port), "info", "server"],
                         capture_output=True, text=True, timeout=10).stdout
    check("redis_version:7.0.15" in out, f"redis-cli info server: {out[:200]!r}")


def test_resp3_matches_redis(srv, real):
    cmds = [("INFO", "cluster"), ("INFO", "nosuch"), ("CLIENT", "TRACKINGINFO"),
            ("CLIENT", "LIST", "ID", "99999"), ("COMMAND", "INFO", "get"),
            ("COMMAND", "DOCS", "get"), ("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"),
            ("CONFIG", "HELP"), ("MEMORY", "USAGE", "nosuch")]
    t, r = srv.conn(), real.conn()
    for c in (t, r):
        c.call("HELLO", "3")  # its reply holds the client id, which differs
    for cmd in cmds:
        got, want = t.call(*cmd), r.call(*cmd)
        check(got == want, f"RESP3 {' '.join(cmd)}:\n  tessera: {got!r}\n  redis:   {want!r}")
    t.close()
    r.close()


def test_shutdown(srv):
    c = harness.Raw(srv.port)
    c.send("SHUTDOWN", "NOSAVE")
    data, closed = c.read_all_until_close(timeout=10)
    check(closed and data == b"", f"SHUTDOWN replied {data!r} (closed={closed})")
    try:
        srv.proc.wait(10)
    except subprocess.TimeoutExpired:
        check(False, "tessera-server still running after SHUTDOWN")
    c.close()


def main():
    with harness.Server() as srv, harness.redis() as real:
        test_info_parses(srv)
        test_client_list_parses(srv)
        test_monitor(srv)
        test_client_kill(srv)
        test_client_pause_write(srv)
        test_redis_cli_info(srv)
        test_resp3_matches_redis(srv, real)
        test_shutdown(srv)
    if failures:
        print(f"{len(failures)} failures")
        sys.exit(1)
    print("all client tests passed")


if __name__ == "__main__":
    main()
