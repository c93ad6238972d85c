// Sorted set commands through the engine: replies in RESP2 and RESP3, encodings and limits,
// key deletion when empty, write bookkeeping. Byte-level parity with Redis is checked by
// tests/integration/diff/zsets.redis.
#include "tessera/keyspace/zset.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "commands/fixture.h"

using tessera::commands::EngineOptions;
using tessera::commands::testing::EngineFixture;
using tessera::commands::testing::Encoding;

namespace {

// Avoids `"x" + std::to_string(i)`, which trips GCC 12's bogus -Wrestrict warning.
std::string Cat(std::string prefix, int64_t n) {
  prefix += std::to_string(n);
  return prefix;
}


}  // namespace

TEST_CASE("ZADD counts added and changed members and honours NX XX GT LT", "[commands][zset]") {
  EngineFixture f;
  CHECK(f.Cmd("ZADD z 1 a 2 b") == ":2\r\n");
  CHECK(f.Cmd("ZADD z CH 1 a 3 b 4 c") == ":2\r\n");
  CHECK(f.Cmd("ZADD z NX 9 a 5 d") == ":1\r\n");
  CHECK(f.Cmd("ZADD z XX CH 9 a 9 nosuch") == ":1\r\n");
  CHECK(f.Cmd("ZADD z GT CH 1 a") == ":0\r\n");
  CHECK(f.Cmd("ZADD z LT CH 1 a") == ":1\r\n");
  CHECK(f.Cmd("ZSCORE z a") == "$1\r\n1\r\n");
  CHECK(f.Cmd("ZADD z INCR 2.5 a") == "$3\r\n3.5\r\n");
  CHECK(f.Cmd("ZADD z INCR GT -1 a") == "$-1\r\n");
  CHECK(f.Cmd("ZADD z XX NX 1 a") ==
        "-ERR XX and NX options at the same time are not compatible\r\n");
  CHECK(f.Cmd("ZADD z GT LT 1 a") ==
        "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
  CHECK(f.Cmd("ZADD z 1 a x b") == "-ERR value is not a valid float\r\n");
  CHECK(f.Cmd("ZCARD z") == ":4\r\n");
}

TEST_CASE("ZINCRBY to inf and back gives the NaN error and leaves the score", "[commands][zset]") {
  EngineFixture f;
  CHECK(f.Cmd("ZINCRBY z +inf a") == "$3\r\ninf\r\n");
  CHECK(f.Cmd("ZINCRBY z -inf a") == "-ERR resulting score is not a number (NaN)\r\n");
  CHECK(f.Cmd("ZSCORE z a") == "$3\r\ninf\r\n");
}

TEST_CASE("sorted set replies use RESP3 doubles and pairs", "[commands][zset]") {
  EngineFixture f;
  f.client->proto = 3;
  CHECK(f.Cmd("ZADD z 1 a 2.5 b") == ":2\r\n");
  CHECK(f.Cmd("ZSCORE z b") == ",2.5\r\n");
  CHECK(f.Cmd("ZSCORE z nosuch") == "_\r\n");
  CHECK(f.Cmd("ZMSCORE z a nosuch") == "*2\r\n,1\r\n_\r\n");
  CHECK(f.Cmd("ZRANGE z 0 -1 WITHSCORES") ==
        "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n");
  CHECK(f.Cmd("ZRANGE z 0 -1") == "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  CHECK(f.Cmd("ZPOPMIN z") == "*2\r\n$1\r\na\r\n,1\r\n");
  CHECK(f.Cmd("ZADD z 1 a") == ":1\r\n");
  CHECK(f.Cmd("ZPOPMIN z 1") == "*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
  CHECK(f.Cmd("ZMPOP 1 z MAX") == "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n");
  CHECK(f.Cmd("ZMPOP 1 z MAX") == "_\r\n");
  CHECK(f.Cmd("ZRANDMEMBER z") == "_\r\n");
  CHECK(f.Cmd("ZADD y 1 a") == ":1\r\n");
  CHECK(f.Cmd("ZUNION 1 y WITHSCORES") == "*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
}

TEST_CASE("a sorted set is deleted when its last member goes", "[commands][zset]") {
  EngineFixture f;
  for (const char* cmd :
       {"ZREM z a b", "ZPOPMIN z 5", "ZREMRANGEBYRANK z 0 -1", "ZREMRANGEBYSCORE z -inf +inf",
        "ZREMRANGEBYLEX z - +", "ZMPOP 1 z MIN COUNT 2"}) {
    CHECK(f.Cmd("ZADD z 0 a 0 b") == ":2\r\n");
    f.Cmd(cmd);
    CHECK(Encoding(f, "z") == "none");
  }
}

TEST_CASE("the encoding follows zset_limits and never converts back", "[commands][zset]") {
  EngineOptions o;
  o.zset_limits = {3, 4};
  EngineFixture f(o);
  CHECK(f.Cmd("ZADD z 1 a 2 b 3 c") == ":3\r\n");
  CHECK(Encoding(f, "z") == "listpack");
  CHECK(f.Cmd("ZADD z 4 d") == ":1\r\n");
  CHECK(Encoding(f, "z") == "skiplist");
  CHECK(f.Cmd("ZREM z a b") == ":2\r\n");
  CHECK(Encoding(f, "z") == "skiplist");
  // A stored result is encoded for its final size, like Redis's ZUNIONSTORE.
  CHECK(f.Cmd("ZUNIONSTORE u 1 z") == ":2\r\n");
  CHECK(Encoding(f, "u") == "listpack");
  CHECK(f.Cmd("ZADD w 1 abcde") == ":1\r\n");
  CHECK(Encoding(f, "w") == "skiplist");
  CHECK(f.Cmd("ZRANGESTORE s w 0 -1") == ":1\r\n");
  CHECK(Encoding(f, "s") == "skiplist");
}

TEST_CASE("both encodings give the same replies", "[commands][zset]") {
  EngineOptions small;
  small.zset_limits = {0, 0};
  EngineFixture packed, tree(small);
  const char* script[] = {
      "ZADD z 1 a 2 b 3 c 4 d 5 e 0 x 0 y 0 z",
      "ZRANGE z 0 -1 WITHSCORES",
      "ZRANGE z (1 +inf BYSCORE REV LIMIT 1 2 WITHSCORES",
      "ZRANGE z [x + BYLEX",
      "ZREVRANGE z 1 3",
      "ZRANK z c",
      "ZREVRANK z c",
      "ZCOUNT z (0 4",
      "ZLEXCOUNT z - (y",
      "ZREMRANGEBYSCORE z 4 4",
      "ZPOPMAX z",
      "ZSCAN z 0 COUNT 100",
      "ZINTER 2 z z WITHSCORES",
      "ZINCRBY z 10 a",
      "ZRANGE z 0 -1 WITHSCORES",
  };
  for (const char* line : script) {
    INFO(line);
    CHECK(packed.Cmd(line) == tree.Cmd(line));
  }
  CHECK(Encoding(packed, "z") == "listpack");
  CHECK(Encoding(tree, "z") == "skiplist");
}

TEST_CASE("writes count as changes for WATCH and the dirty counter", "[commands][zset]") {
  EngineFixture f;
  uint64_t before = f.engine.stats().dirty;
  f.Cmd("ZADD z 1 a 2 b");
  CHECK(f.engine.stats().dirty == before + 2);
  f.Cmd("ZADD z 1 a");  // no change
  CHECK(f.engine.stats().dirty == before + 2);
  f.Cmd("ZREM z a");
  CHECK(f.engine.stats().dirty == before + 3);
  CHECK(f.Cmd("WATCH z") == "+OK\r\n");
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  auto* other = f.NewClient();
  f.Run(other, {"ZINCRBY", "z", "1", "b"});
  f.Cmd("ZCARD z");
  CHECK(f.Cmd("EXEC") == "*-1\r\n");
}

TEST_CASE("ZRANDMEMBER picks distinct members for a positive count", "[commands][zset]") {
  EngineFixture f;
  f.Cmd("ZADD z 1 a 2 b 3 c 4 d 5 e 6 f");
  for (int round = 0; round < 20; ++round) {
    std::string reply = f.Cmd("ZRANDMEMBER z 4");
    REQUIRE(reply.rfind("*4\r\n", 0) == 0);
    std::set<std::string> seen;
    for (size_t i = 0; i < 4; ++i) {
      size_t at = reply.find("$1\r\n", 4 + i * 7);
      REQUIRE(at != std::string::npos);
      seen.insert(reply.substr(at + 4, 1));
    }
    CHECK(seen.size() == 4);
  }
  CHECK(f.Cmd("ZRANDMEMBER z -10").rfind("*10\r\n", 0) == 0);
  CHECK(f.Cmd("ZRANDMEMBER z -3 WITHSCORES").rfind("*6\r\n", 0) == 0);
}

TEST_CASE("ZSCAN over a skiplist visits every member across cursors", "[commands][zset]") {
  EngineOptions small;
  small.zset_limits = {0, 0};
  EngineFixture f(small);
  for (int i = 0; i < 25; ++i) f.Run({"ZADD", "z", std::to_string(i), Cat("m", i)});
  std::string cursor = "0";
  int members = 0, calls = 0;
  do {
    std::string reply = f.Run({"ZSCAN", "z", cursor, "COUNT", "10"});
    size_t nl = reply.find("\r\n", 5);
    size_t len_at = reply.find('$');
    cursor = reply.substr(
        reply.find("\r\n", len_at) + 2,
        reply.find("\r\n", reply.find("\r\n", len_at) + 2) - (reply.find("\r\n", len_at) + 2));
    size_t arr = reply.find('*', nl);
    members += std::stoi(reply.substr(arr + 1)) / 2;
    ++calls;
  } while (cursor != "0" && calls < 10);
  CHECK(members == 25);
  CHECK(calls == 3);
}
