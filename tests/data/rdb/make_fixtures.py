#!/usr/bin/python3
"""Regenerates the RDB and DUMP golden fixtures with the real redis-server 7.0.15.

Usage: /usr/bin/python3 tests/data/rdb/make_fixtures.py
Starts redis-server on a free loopback port in a temp dir, loads every type and encoding
(the same data tests/keyspace/rdb_fixture_data.cc expects), SAVEs, copies dump.rdb here and
writes each key's DUMP payload (rdbcompression yes and no) as a binary file. Always stops the
server it started.
"""
import os, pathlib, shutil, signal, socket, subprocess, tempfile, time
import redis

HERE = pathlib.Path(__file__).resolve().parent
FUNC = "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(r):
    r.select(0)
    r.set("str", "hello")
    for k, v in [("int8", "100"), ("int16", "12345"), ("int32", "1234567890"),
                 ("bigint", "12345678901"), ("neg", "-5"), ("notint", "007"),
                 ("lzf", "a" * 92), ("lzf2", "abcdefghij" * 30),
                 ("plain30", "0123456789abcdefghijklmnopqrst")]:
        r.set(k, v)
    r.rpush("list_small", "a", "b", "c", "1", "2", "-3", "x" * 70)
    r.rpush("list_big", *[f"item:{i}" for i in range(5000)])
    r.rpush("list_varied", *[("v" * ((i * 37) % 300)) + str(i) for i in range(400)])
    r.hset("hash_small", mapping={"f1": "v1", "f2": "v2", "fint": "42"})
    r.hset("hash_big", mapping={f"field:{i}": f"value:{i}" for i in range(600)})
    r.hset("hash_mid", mapping={f"k{i}": str(i) for i in range(300)})
    r.hset("hash_longval", mapping={"f": "x" * 100, "g": "short"})
    r.sadd("set_int", 3, 1, 2, -7, 70000)
    r.sadd("set_int64", 1, 5000000000)
    r.sadd("set_str", "x", "y", "z")
    r.sadd("set_bigint", *range(600))
    r.zadd("zset_small", {"a": 1, "b": 2.5, "c": -3, "d": float("inf"), "e": 1e20, "f": -0.5})
    r.zadd("zset_big", {f"m{i}": i * 0.5 for i in range(200)})
    r.zadd("zset_longmember", {"y" * 80: 1, "short": 2})
    r.set("ttl_key", "v", pxat=4102444800000)
    r.xadd("stream", {"f": "v"}, id="1-1")
    r.xadd("stream", {"f": "w", "g": "z"}, id="1-2")
    r.xgroup_create("stream", "grp", id="0")
    r.xreadgroup("grp", "c1", {"stream": ">"}, count=1)
    r.function_load(FUNC)
    r.select(1)
    r.set("db1key", "one", pxat=4102444800001)
    r.rpush("db1list", 1, 2, 3)
    r.select(5)
    r.sadd("db5set", "a", "b")


def main():
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="tessera-rdb-")
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", tmp,
         "--save", "", "--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        r = redis.Redis(port=port)
        deadline = time.time() + 10
        while True:
            try:
                r.ping()
                break
            except redis.ConnectionError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        load(r)
        r.save()
        shutil.copy(os.path.join(tmp, "dump.rdb"), HERE / "all_types.rdb")
        for comp in ("yes", "no"):
            r.config_set("rdbcompression", comp)
            out = HERE / ("dump" if comp == "yes" else "dump_nocomp")
            out.mkdir(exist_ok=True)
            for db in (0, 1, 5):
                r.execute_command("SELECT", db)
                for key in r.keys("*"):
                    (out / f"{db}_{key.decode()}.bin").write_bytes(r.dump(key))
        r.execute_command("SELECT", 0)
        r.save()
        shutil.copy(os.path.join(tmp, "dump.rdb"), HERE / "all_types_nocomp.rdb")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
