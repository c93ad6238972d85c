// Generic key commands against an Engine: replies byte for byte as redis-server 7.0.15 gives them.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "commands/fixture.h"

using namespace std::chrono_literals;
using tessera::commands::testing::EngineFixture;

TEST_CASE("DEL and UNLINK count the keys they removed, once each", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.Cmd("SET b 2");
  CHECK(f.Cmd("DEL a a nosuch") == ":1\r\n");
  CHECK(f.Cmd("UNLINK b") == ":1\r\n");
  CHECK(f.Cmd("UNLINK b") == ":0\r\n");
  CHECK(f.Cmd("GET a") == "$-1\r\n");
  CHECK(f.engine.stats().dirty == 4);  // two SETs and two deletions
}

TEST_CASE("EXISTS counts a key once per mention", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  CHECK(f.Cmd("EXISTS a a nosuch a") == ":3\r\n");
  CHECK(f.Cmd("EXISTS nosuch") == ":0\r\n");
  CHECK(f.engine.stats().keyspace_hits == 3);
  CHECK(f.engine.stats().keyspace_misses == 2);
}

TEST_CASE("TYPE names the value's type, or none", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  CHECK(f.Cmd("TYPE a") == "+string\r\n");
  CHECK(f.Cmd("TYPE nosuch") == "+none\r\n");
}

TEST_CASE("TOUCH counts existing keys and refreshes their access time", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.Cmd("TOUCH a");
  f.Advance(5000ms);
  CHECK(f.Cmd("OBJECT IDLETIME a") == ":5\r\n");
  CHECK(f.Cmd("TOUCH a nosuch a") == ":2\r\n");
  CHECK(f.Cmd("OBJECT IDLETIME a") == ":0\r\n");
}

TEST_CASE("RENAME moves the value and its TTL and replaces the destination", "[keys]") {
  EngineFixture f;
  f.Cmd("SET src v");
  f.Cmd("PEXPIRE src 5000");
  f.Cmd("SET dst old");
  CHECK(f.Cmd("RENAME src dst") == "+OK\r\n");
  CHECK(f.Cmd("GET dst") == "$1\r\nv\r\n");
  CHECK(f.Cmd("PTTL dst") == ":5000\r\n");
  CHECK(f.Cmd("EXISTS src") == ":0\r\n");
  // A destination's own TTL goes with its old value.
  f.Cmd("SET other x");
  f.Cmd("SET ttl y");
  f.Cmd("EXPIRE ttl 100");
  CHECK(f.Cmd("RENAME other ttl") == "+OK\r\n");
  CHECK(f.Cmd("TTL ttl") == ":-1\r\n");
}

TEST_CASE("RENAME errors on a missing source and is a no-op on the same name", "[keys]") {
  EngineFixture f;
  CHECK(f.Cmd("RENAME nosuch x") == "-ERR no such key\r\n");
  CHECK(f.Cmd("RENAMENX nosuch nosuch") == "-ERR no such key\r\n");
  f.Cmd("SET a 1");
  CHECK(f.Cmd("RENAME a a") == "+OK\r\n");
  CHECK(f.Cmd("RENAMENX a a") == ":0\r\n");
  CHECK(f.Cmd("GET a") == "$1\r\n1\r\n");
}

TEST_CASE("RENAMENX renames only onto a missing key, keeping the TTL", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.Cmd("SET b 2");
  CHECK(f.Cmd("RENAMENX a b") == ":0\r\n");
  f.Cmd("PEXPIRE a 3000");
  CHECK(f.Cmd("RENAMENX a c") == ":1\r\n");
  CHECK(f.Cmd("PTTL c") == ":3000\r\n");
  // An expired destination counts as missing.
  f.Cmd("PEXPIRE b 10");
  f.Advance(11ms);
  CHECK(f.Cmd("RENAMENX c b") == ":1\r\n");
  CHECK(f.engine.stats().expired_keys == 1);
}

TEST_CASE("COPY copies value and TTL, to another db and over a key with REPLACE", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a hello");
  f.Cmd("PEXPIRE a 7000");
  CHECK(f.Cmd("COPY a b") == ":1\r\n");
  CHECK(f.Cmd("GET b") == "$5\r\nhello\r\n");
  CHECK(f.Cmd("PTTL b") == ":7000\r\n");
  CHECK(f.Cmd("COPY a b") == ":0\r\n");
  f.Cmd("SET c other");
  CHECK(f.Cmd("COPY c b replace") == ":1\r\n");
  CHECK(f.Cmd("GET b") == "$5\r\nother\r\n");
  CHECK(f.Cmd("TTL b") == ":-1\r\n");
  CHECK(f.Cmd("COPY a a DB 3") == ":1\r\n");
  CHECK(f.Cmd("COPY nosuch x") == ":0\r\n");
  f.Cmd("SELECT 3");
  CHECK(f.Cmd("GET a") == "$5\r\nhello\r\n");
  CHECK(f.Cmd("PTTL a") == ":7000\r\n");
}

TEST_CASE("COPY rejects bad options with Redis's errors", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  CHECK(f.Cmd("COPY a a") == "-ERR source and destination objects are the same\r\n");
  CHECK(f.Cmd("COPY nosuch nosuch db 0") == "-ERR source and destination objects are the same\r\n");
  CHECK(f.Cmd("COPY a b db 16") == "-ERR DB index is out of range\r\n");
  CHECK(f.Cmd("COPY a b db -1") == "-ERR DB index is out of range\r\n");
  CHECK(f.Cmd("COPY a b db x") == "-ERR value is not an integer or out of range\r\n");
  CHECK(f.Cmd("COPY a b db 2147483648") ==
        "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n");
  CHECK(f.Cmd("COPY a b db") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("COPY a b replace foo") == "-ERR syntax error\r\n");
}

TEST_CASE("MOVE moves a key to another db unless it exists there", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.Cmd("PEXPIRE a 9000");
  CHECK(f.Cmd("MOVE a 1") == ":1\r\n");
  CHECK(f.Cmd("EXISTS a") == ":0\r\n");
  CHECK(f.Cmd("MOVE a 1") == ":0\r\n");
  f.Cmd("SET a 2");
  CHECK(f.Cmd("MOVE a 1") == ":0\r\n");
  f.Cmd("SELECT 1");
  CHECK(f.Cmd("GET a") == "$1\r\n1\r\n");
  CHECK(f.Cmd("PTTL a") == ":9000\r\n");
}

TEST_CASE("MOVE rejects bad databases with Redis's errors", "[keys]") {
  EngineFixture f;
  CHECK(f.Cmd("MOVE nosuch 0") == "-ERR source and destination objects are the same\r\n");
  CHECK(f.Cmd("MOVE a 16") == "-ERR DB index is out of range\r\n");
  CHECK(f.Cmd("MOVE a -1") == "-ERR DB index is out of range\r\n");
  CHECK(f.Cmd("MOVE a x") == "-ERR value is not an integer or out of range\r\n");
  CHECK(f.Cmd("MOVE a 2147483648") ==
        "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n");
}

TEST_CASE("cluster mode refuses MOVE and COPY to another db", "[keys]") {
  tessera::commands::EngineOptions o;
  o.cluster_enabled = true;
  EngineFixture f(o);
  f.Cmd("SET a 1");
  CHECK(f.Cmd("MOVE a 1") == "-ERR MOVE is not allowed in cluster mode\r\n");
  CHECK(f.Cmd("COPY a b db 1") ==
        "-ERR Copying to another database is not allowed in cluster mode\r\n");
  CHECK(f.Cmd("COPY a b db 0") == ":1\r\n");
}

TEST_CASE("KEYS lists matching keys that have not expired", "[keys]") {
  EngineFixture f;
  f.Cmd("SET hello 1");
  f.Cmd("SET hallo 2");
  f.Cmd("SET other 3");
  CHECK(f.Cmd("KEYS h?llo").size() == std::string("*2\r\n$5\r\nhello\r\n$5\r\nhallo\r\n").size());
  CHECK(f.Cmd("KEYS o*") == "*1\r\n$5\r\nother\r\n");
  CHECK(f.Cmd("KEYS nomatch*") == "*0\r\n");
  f.Cmd("PEXPIRE other 5");
  f.Advance(6ms);
  CHECK(f.Cmd("KEYS o*") == "*0\r\n");
  CHECK(f.Cmd("KEYS *").rfind("*2\r\n", 0) == 0);
}

TEST_CASE("a full SCAN returns every key once, filtered by MATCH and TYPE", "[keys]") {
  EngineFixture f;
  for (int i = 0; i < 100; ++i) f.Run({"SET", "key:" + std::to_string(i), "v"});
  std::set<std::string> seen;
  std::string cursor = "0";
  int rounds = 0;
  do {
    std::string r = f.Run({"SCAN", cursor, "COUNT", "7", "MATCH", "key:1*"});
    // *2\r\n$<n>\r\n<cursor>\r\n*<m>\r\n($<len>\r\n<key>\r\n)*
    size_t p = r.find("\r\n", 4);
    cursor = r.substr(p + 2, r.find("\r\n", p + 2) - p - 2);
    p = r.find('*', p);
    size_t pos = r.find("\r\n", p) + 2;
    while (pos < r.size()) {
      size_t eol = r.find("\r\n", pos);
      size_t len = std::stoul(r.substr(pos + 1, eol - pos - 1));
      CHECK(seen.insert(r.substr(eol + 2, len)).second);
      pos = eol + 2 + len + 2;
    }
    ++rounds;
  } while (cursor != "0" && rounds < 1000);
  CHECK(seen.size() == 11);  // key:1, key:10..key:19
  CHECK(rounds > 1);
  CHECK(f.Cmd("SCAN 0 COUNT 1000 TYPE hash") == "*2\r\n$1\r\n0\r\n*0\r\n");
  CHECK(f.Cmd("SCAN 0 COUNT 1000 TYPE STRING MATCH key:5") ==
        "*2\r\n$1\r\n0\r\n*1\r\n$5\r\nkey:5\r\n");
}

TEST_CASE("SCAN drops and deletes expired keys", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.Cmd("PEXPIRE a 1");
  f.Advance(2ms);
  CHECK(f.Cmd("SCAN 0") == "*2\r\n$1\r\n0\r\n*0\r\n");
  CHECK(f.engine.db(0).Size() == 0);
  CHECK(f.engine.stats().expired_keys == 1);
}

TEST_CASE("SCAN checks its cursor and options like Redis", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  CHECK(f.Cmd("SCAN abc") == "-ERR invalid cursor\r\n");
  CHECK(f.Run({"SCAN", " 1"}) == "-ERR invalid cursor\r\n");
  CHECK(f.Cmd("SCAN 18446744073709551616") == "-ERR invalid cursor\r\n");
  CHECK(f.Cmd("SCAN abc COUNT 0") == "-ERR invalid cursor\r\n");
  CHECK(f.Run({"SCAN", ""}) == "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
  CHECK(f.Cmd("SCAN 18446744073709551615") == "*2\r\n$1\r\n0\r\n*0\r\n");
  CHECK(f.Cmd("SCAN 0 COUNT 0") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("SCAN 0 COUNT -1") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("SCAN 0 COUNT x") == "-ERR value is not an integer or out of range\r\n");
  CHECK(f.Cmd("SCAN 0 MATCH") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("SCAN 0 foo bar") == "-ERR syntax error\r\n");
}

TEST_CASE("RANDOMKEY skips and deletes expired keys", "[keys]") {
  EngineFixture f;
  CHECK(f.Cmd("RANDOMKEY") == "$-1\r\n");
  for (int i = 0; i < 10; ++i) {
    f.Run({"SET", "gone" + std::to_string(i), "v"});
    f.Run({"PEXPIRE", "gone" + std::to_string(i), "5"});
  }
  f.Cmd("SET live v");
  f.Advance(6ms);
  CHECK(f.Cmd("RANDOMKEY") == "$4\r\nlive\r\n");
  f.Cmd("DEL live");
  CHECK(f.Cmd("RANDOMKEY") == "$-1\r\n");
  CHECK(f.engine.db(0).Size() == 0);
}

TEST_CASE("OBJECT ENCODING, REFCOUNT and HELP answer like Redis", "[keys]") {
  EngineFixture f;
  f.Cmd("SET i 123");
  f.Cmd("SET big 10000");
  f.Cmd("SET s hello");
  CHECK(f.Cmd("OBJECT ENCODING i") == "$3\r\nint\r\n");
  CHECK(f.Cmd("OBJECT ENCODING s") == "$6\r\nembstr\r\n");
  CHECK(f.Cmd("OBJECT ENCODING nosuch") == "$-1\r\n");
  CHECK(f.Cmd("OBJECT REFCOUNT i") == ":2147483647\r\n");
  CHECK(f.Cmd("OBJECT REFCOUNT big") == ":1\r\n");
  CHECK(f.Cmd("OBJECT REFCOUNT s") == ":1\r\n");
  std::string help = f.Cmd("OBJECT HELP");
  CHECK(help.rfind("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n",
                   0) == 0);
  CHECK(help.size() == 662);  // redis-server 7.0.15's reply length
  CHECK(f.Cmd("OBJECT FOO") == "-ERR unknown subcommand 'FOO'. Try OBJECT HELP.\r\n");
  CHECK(f.Cmd("OBJECT ENCODING") ==
        "-ERR wrong number of arguments for 'object|encoding' command\r\n");
}

TEST_CASE("OBJECT FREQ works only under LFU and IDLETIME only without", "[keys]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  CHECK(f.Cmd("OBJECT FREQ a") ==
        "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
        "that when switching between policies at runtime LRU and LFU data will take some time to "
        "adjust.\r\n");
  CHECK(f.Cmd("OBJECT FREQ nosuch") == "$-1\r\n");
  f.engine.options().maxmemory_policy = tessera::commands::MaxmemoryPolicy::kAllKeysLfu;
  CHECK(f.Cmd("OBJECT IDLETIME a") ==
        "-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to "
        "adjust.\r\n");
  CHECK(f.Cmd("TOUCH a") == ":1\r\n");
  CHECK(f.Cmd("OBJECT FREQ a") == ":6\r\n");  // 5 for a new key, +1 for the first access
  // The counter decays by one per lfu-decay-time (1) minute without access.
  f.Advance(std::chrono::minutes(4));
  CHECK(f.Cmd("OBJECT FREQ a") == ":2\r\n");
  f.Advance(std::chrono::minutes(10));
  CHECK(f.Cmd("OBJECT FREQ a") == ":0\r\n");
}

TEST_CASE("a WATCHed key invalidated by lazy expiry, RENAME, MOVE or EXPIRE aborts EXEC",
          "[keys]") {
  EngineFixture f;
  auto* other = f.NewClient();
  auto exec_after = [&](const std::string& key, std::vector<std::string> cmd) {
    CHECK(f.Run({"WATCH", key}) == "+OK\r\n");
    f.Run(other, std::move(cmd));
    CHECK(f.Cmd("MULTI") == "+OK\r\n");
    CHECK(f.Cmd("PING") == "+QUEUED\r\n");
    return f.Cmd("EXEC");
  };
  f.Cmd("SET k v");
  f.Cmd("PEXPIRE k 5");
  f.Advance(6ms);
  CHECK(exec_after("k", {"EXISTS", "k"}) == "*-1\r\n");
  f.Cmd("SET a 1");
  CHECK(exec_after("b", {"RENAME", "a", "b"}) == "*-1\r\n");
  CHECK(exec_after("b", {"RENAME", "b", "a"}) == "*-1\r\n");
  CHECK(exec_after("a", {"MOVE", "a", "1"}) == "*-1\r\n");
  f.Cmd("SET c 1");
  CHECK(exec_after("c", {"EXPIRE", "c", "100"}) == "*-1\r\n");
  CHECK(exec_after("c", {"TTL", "c"}) == "*1\r\n+PONG\r\n");
  CHECK(exec_after("c", {"PERSIST", "c"}) == "*-1\r\n");
}
