// List commands through the engine: encoding names, RESP3 shapes, dirty accounting, deletion of
// emptied keys, multi-node lists.
#include "tessera/keyspace/list.h"

#include <catch2/catch.hpp>

#include "commands/fixture.h"

namespace tessera::commands {
namespace {

using testing::EngineFixture;
using testing::Encoding;


TEST_CASE("every list reports quicklist, as in redis 7.0", "[commands][list]") {
  EngineFixture f;
  f.Cmd("RPUSH l a");
  CHECK(Encoding(f, "l") == "quicklist");
}

TEST_CASE("popping the last element deletes the key", "[commands][list]") {
  EngineFixture f;
  f.Cmd("RPUSH l a b");
  CHECK(f.Cmd("LPOP l 5") == "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  CHECK(Encoding(f, "l") == "none");
  f.Cmd("RPUSH l a");
  CHECK(f.Cmd("LMOVE l m LEFT RIGHT") == "$1\r\na\r\n");
  CHECK(Encoding(f, "l") == "none");
  CHECK(f.Cmd("LREM m 0 a") == ":1\r\n");
  CHECK(Encoding(f, "m") == "none");
  f.Cmd("RPUSH l a");
  CHECK(f.Cmd("LTRIM l 1 0") == "+OK\r\n");
  CHECK(Encoding(f, "l") == "none");
}

TEST_CASE("list replies take RESP3 shapes", "[commands][list]") {
  EngineFixture f;
  f.Cmd("HELLO 3");
  CHECK(f.Cmd("LPOP nokey") == "_\r\n");
  CHECK(f.Cmd("LPOP nokey 2") == "_\r\n");
  CHECK(f.Cmd("LMPOP 1 nokey LEFT") == "_\r\n");
  CHECK(f.Cmd("LPOS nokey a") == "_\r\n");
  CHECK(f.Cmd("LINDEX nokey 0") == "_\r\n");
  f.Cmd("RPUSH l a b");
  CHECK(f.Cmd("LMPOP 1 l RIGHT COUNT 1") == "*2\r\n$1\r\nl\r\n*1\r\n$1\r\nb\r\n");
}

TEST_CASE("list writes count their changes; no-ops do not", "[commands][list]") {
  EngineFixture f;
  uint64_t dirty = f.engine.stats().dirty;
  f.Cmd("RPUSH l a b c");
  CHECK(f.engine.stats().dirty == dirty + 3);
  f.Cmd("LINSERT l BEFORE nosuch x");
  f.Cmd("LREM l 0 nosuch");
  f.Cmd("LPUSHX nokey a");
  CHECK(f.engine.stats().dirty == dirty + 3);
  f.Cmd("LTRIM l 0 0");
  CHECK(f.engine.stats().dirty == dirty + 5);
}

TEST_CASE("commands work across many quicklist nodes", "[commands][list]") {
  EngineOptions o;
  o.encoding_limits.list_max_listpack_size = 4;
  EngineFixture f(o);
  for (int i = 0; i < 100; ++i) f.Run({"RPUSH", "l", std::to_string(i)});
  CHECK(f.engine.db(0).Find("l", f.engine.now_ms())->list().NodeCount() == 25);
  CHECK(f.Cmd("LINDEX l 57") == "$2\r\n57\r\n");
  CHECK(f.Cmd("LINDEX l -43") == "$2\r\n57\r\n");
  CHECK(f.Cmd("LRANGE l 48 50") == "*3\r\n$2\r\n48\r\n$2\r\n49\r\n$2\r\n50\r\n");
  CHECK(f.Cmd("LPOS l 77") == ":77\r\n");
  CHECK(f.Cmd("LPOS l 77 RANK -1") == ":77\r\n");
  CHECK(f.Cmd("LINSERT l AFTER 50 x") == ":101\r\n");
  CHECK(f.Cmd("LINDEX l 51") == "$1\r\nx\r\n");
  CHECK(f.Cmd("LTRIM l 10 -11") == "+OK\r\n");
  CHECK(f.Cmd("LLEN l") == ":81\r\n");
  CHECK(f.Cmd("LINDEX l 0") == "$2\r\n10\r\n");
  CHECK(f.Cmd("LINDEX l -1") == "$2\r\n89\r\n");
}

}  // namespace
}  // namespace tessera::commands
