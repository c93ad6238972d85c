// Plain sets as inputs of ZUNION/ZINTER/ZDIFF/ZINTERCARD and the STORE forms (zset_setops.cc).
#include <catch2/catch.hpp>

#include "commands/fixture.h"

namespace tessera::commands {
namespace {

using testing::EngineFixture;

TEST_CASE("plain sets join the sorted set algebra with score 1", "[commands][zset]") {
  EngineFixture f;
  f.Cmd("SADD s 1 2 a");
  f.Cmd("ZADD z 5 a 0.5 2");
  CHECK(f.Cmd("ZUNION 2 s z WITHSCORES") ==
        "*6\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n$3\r\n1.5\r\n$1\r\na\r\n$1\r\n6\r\n");
  CHECK(f.Cmd("ZINTER 2 s z WEIGHTS 3 1") == "*2\r\n$1\r\n2\r\n$1\r\na\r\n");
  CHECK(f.Cmd("ZDIFF 2 s z WITHSCORES") == "*2\r\n$1\r\n1\r\n$1\r\n1\r\n");
  CHECK(f.Cmd("ZINTERCARD 2 s z") == ":2\r\n");
  CHECK(f.Cmd("ZUNIONSTORE d 1 s") == ":3\r\n");
  CHECK(f.Cmd("TYPE d") == "+zset\r\n");
  f.Cmd("SET str v");
  CHECK(f.Cmd("ZUNION 2 s str") ==
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

}  // namespace
}  // namespace tessera::commands
