// Set commands through the engine: encodings as the commands leave them, RESP3 shapes, random
// commands with the seeded Rng, dirty accounting.
#include "tessera/keyspace/set.h"

#include <catch2/catch.hpp>
#include <set>

#include "commands/fixture.h"

namespace tessera::commands {
namespace {

using testing::EngineFixture;
using testing::Encoding;
using testing::Name;



std::multiset<std::string> Bulks(const std::string& reply) {
  std::multiset<std::string> out;
  for (size_t p = reply.find('$'); p != std::string::npos; p = reply.find('$', p + 1)) {
    size_t start = reply.find("\r\n", p) + 2;
    size_t end = reply.find("\r\n", start);
    out.insert(reply.substr(start, end - start));
    p = end;
  }
  return out;
}

TEST_CASE("SADD keeps an intset up to set-max-intset-entries integers", "[commands][set]") {
  EngineFixture f;
  for (int i = 0; i < 512; ++i) f.Run({"SADD", "s", std::to_string(i)});
  CHECK(Encoding(f, "s") == "intset");
  f.Cmd("SADD s 512");
  CHECK(Encoding(f, "s") == "hashtable");
  f.Cmd("SADD t 1 2 x");
  CHECK(Encoding(f, "t") == "hashtable");
}

TEST_CASE("STORE results are encoded by their contents", "[commands][set]") {
  EngineFixture f;
  f.Cmd("SADD a 1 2 x");
  f.Cmd("SADD b 1 2 3");
  CHECK(f.Cmd("SINTERSTORE d a b") == ":2\r\n");
  CHECK(Encoding(f, "d") == "intset");
  CHECK(f.Cmd("SUNIONSTORE u a b") == ":4\r\n");
  CHECK(Encoding(f, "u") == "hashtable");
  CHECK(f.Cmd("SDIFFSTORE d a b") == ":1\r\n");
  CHECK(Encoding(f, "d") == "hashtable");
  CHECK(f.Cmd("SDIFFSTORE d b b") == ":0\r\n");
  CHECK(Encoding(f, "d") == "none");
}

TEST_CASE("set replies take RESP3 shapes", "[commands][set]") {
  EngineFixture f;
  f.Cmd("HELLO 3");
  f.Cmd("SADD s 1 2");
  CHECK(f.Cmd("SMEMBERS s") == "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  CHECK(f.Cmd("SINTER s") == "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  CHECK(f.Cmd("SRANDMEMBER s 5") == "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  CHECK(f.Cmd("SPOP nokey 2") == "~0\r\n");
  CHECK(f.Cmd("SPOP nokey") == "_\r\n");
  CHECK(f.Cmd("SPOP s 5") == "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  CHECK(Encoding(f, "s") == "none");
}

TEST_CASE("SRANDMEMBER with a positive count returns distinct members", "[commands][set]") {
  EngineFixture f;
  for (int i = 0; i < 50; ++i) f.Run({"SADD", "s", Name("m", i)});
  for (int count : {2, 20, 49}) {
    auto members = Bulks(f.Run({"SRANDMEMBER", "s", std::to_string(count)}));
    CHECK(members.size() == static_cast<size_t>(count));
    CHECK(std::set<std::string>(members.begin(), members.end()).size() == members.size());
  }
  CHECK(Bulks(f.Cmd("SRANDMEMBER s -200")).size() == 200);
}

TEST_CASE("SPOP with a count removes exactly the members it returns", "[commands][set]") {
  EngineFixture f;
  for (int i = 0; i < 600; ++i) f.Run({"SADD", "s", std::to_string(i)});
  uint64_t dirty = f.engine.stats().dirty;
  auto popped = Bulks(f.Cmd("SPOP s 250"));
  CHECK(popped.size() == 250);
  CHECK(f.engine.stats().dirty == dirty + 250);
  CHECK(f.Cmd("SCARD s") == ":350\r\n");
  for (const auto& m : popped) CHECK(f.Run({"SISMEMBER", "s", m}) == ":0\r\n");
  auto rest = Bulks(f.Cmd("SMEMBERS s"));
  for (const auto& m : rest) CHECK(popped.count(m) == 0);
}

TEST_CASE("SMOVE moves a member, deletes an emptied source and counts both keys",
          "[commands][set]") {
  EngineFixture f;
  f.Cmd("SADD a x");
  uint64_t dirty = f.engine.stats().dirty;
  CHECK(f.Cmd("SMOVE a b x") == ":1\r\n");
  CHECK(f.engine.stats().dirty == dirty + 2);
  CHECK(Encoding(f, "a") == "none");
  CHECK(f.Cmd("SMEMBERS b") == "*1\r\n$1\r\nx\r\n");
}

TEST_CASE("SINTERCARD stops at LIMIT", "[commands][set]") {
  EngineFixture f;
  f.Cmd("SADD a 1 2 3 4 5");
  f.Cmd("SADD b 2 3 4 5 6");
  CHECK(f.Cmd("SINTERCARD 2 a b") == ":4\r\n");
  CHECK(f.Cmd("SINTERCARD 2 a b LIMIT 3") == ":3\r\n");
  CHECK(f.Cmd("SINTERCARD 2 a a") == ":5\r\n");
}

}  // namespace
}  // namespace tessera::commands
