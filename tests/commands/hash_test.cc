// Hash commands through the engine: encodings as the commands leave them, RESP3 shapes, WATCH
// and dirty accounting, deletion of emptied keys, seeded HRANDFIELD.
#include "tessera/keyspace/hash.h"

#include <catch2/catch.hpp>
#include <set>

#include "commands/fixture.h"

namespace tessera::commands {
namespace {

using testing::EngineFixture;
using testing::Encoding;
using testing::Name;



TEST_CASE("HSET converts at hash-max-listpack-entries and -value", "[commands][hash]") {
  EngineFixture f;
  for (int i = 0; i < 512; ++i) f.Run({"HSET", "h", Name("f", i), "v"});
  CHECK(Encoding(f, "h") == "listpack");
  f.Cmd("HSET h f512 v");
  CHECK(Encoding(f, "h") == "hashtable");
  f.Run({"HSET", "v", "f", std::string(64, 'x')});
  CHECK(Encoding(f, "v") == "listpack");
  f.Run({"HSET", "v", "g", std::string(65, 'x')});
  CHECK(Encoding(f, "v") == "hashtable");
}

TEST_CASE("HSETNX on an existing field still converts for a long value, as Redis does",
          "[commands][hash]") {
  EngineFixture f;
  f.Cmd("HSET h f v");
  CHECK(f.Run({"HSETNX", "h", "f", std::string(65, 'x')}) == ":0\r\n");
  CHECK(Encoding(f, "h") == "hashtable");
  CHECK(f.Cmd("HGET h f") == "$1\r\nv\r\n");
}

TEST_CASE("the engine's encoding limits reach the hash values", "[commands][hash]") {
  EngineOptions o;
  o.encoding_limits.hash_max_listpack_entries = 1;
  EngineFixture f(o);
  f.Cmd("HSET h a 1");
  CHECK(Encoding(f, "h") == "listpack");
  f.Cmd("HSET h b 1");
  CHECK(Encoding(f, "h") == "hashtable");
}

TEST_CASE("HDEL of the last field deletes the key", "[commands][hash]") {
  EngineFixture f;
  f.Cmd("HSET h a 1 b 2");
  CHECK(f.Cmd("HDEL h a b c") == ":2\r\n");
  CHECK(Encoding(f, "h") == "none");
}

TEST_CASE("hash replies take RESP3 shapes", "[commands][hash]") {
  EngineFixture f;
  f.Cmd("HELLO 3");
  f.Cmd("HSET h a 1 b 2");
  CHECK(f.Cmd("HGETALL h") == "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
  CHECK(f.Cmd("HGETALL nokey") == "%0\r\n");
  CHECK(f.Cmd("HGET h z") == "_\r\n");
  CHECK(f.Cmd("HRANDFIELD nokey") == "_\r\n");
  CHECK(f.Cmd("HRANDFIELD h 5 WITHVALUES") ==
        "*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  f.Cmd("HSET one x y");
  CHECK(f.Cmd("HRANDFIELD one -2 WITHVALUES") ==
        "*2\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
  CHECK(f.Cmd("HINCRBYFLOAT h c 2.5") == "$3\r\n2.5\r\n");
}

TEST_CASE("hash writes touch WATCHed keys and count as changes", "[commands][hash]") {
  EngineFixture f;
  ClientState* other = f.NewClient();
  f.Cmd("HSET h a 1");
  uint64_t dirty = f.engine.stats().dirty;
  f.Cmd("WATCH h");
  f.Run(other, {"HINCRBY", "h", "a", "1"});
  CHECK(f.engine.stats().dirty == dirty + 1);
  f.Cmd("MULTI");
  f.Cmd("HGET h a");
  CHECK(f.Cmd("EXEC") == "*-1\r\n");
  // Failed or no-op writes do not count.
  dirty = f.engine.stats().dirty;
  f.Cmd("HDEL h nosuch");
  f.Cmd("HINCRBY h a x");
  f.Cmd("HSETNX h a 5");
  CHECK(f.engine.stats().dirty == dirty);
}

TEST_CASE("HRANDFIELD with a positive count returns distinct fields", "[commands][hash]") {
  EngineFixture f;
  for (int i = 0; i < 300; ++i) f.Run({"HSET", "h", Name("f", i), "v"});
  for (int round = 0; round < 20; ++round) {
    std::string reply = f.Cmd("HRANDFIELD h 100");
    REQUIRE(reply.rfind("*100\r\n", 0) == 0);
    std::set<std::string> fields;
    for (size_t p = reply.find("$"); p != std::string::npos; p = reply.find("$", p + 1)) {
      size_t line = reply.find("\r\n", p);
      size_t start = line + 2;
      fields.insert(reply.substr(start, reply.find("\r\n", start) - start));
    }
    CHECK(fields.size() == 100);
  }
}

TEST_CASE("HSCAN over a hashtable returns every field exactly once when unchanged",
          "[commands][hash]") {
  EngineFixture f;
  for (int i = 0; i < 600; ++i) f.Run({"HSET", "h", Name("f", i), "v"});
  REQUIRE(Encoding(f, "h") == "hashtable");
  auto& h = f.engine.db(0).Find("h", f.engine.now_ms())->hash();
  std::multiset<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor =
        h.Scan(cursor, 10, [&](std::string_view field, std::string_view) { seen.emplace(field); });
  } while (cursor != 0);
  CHECK(seen.size() == 600);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 600);
  CHECK(f.Cmd("HSCAN h 0 COUNT 5").rfind("*2\r\n$3\r\n595\r\n*10\r\n", 0) == 0);
}

}  // namespace
}  // namespace tessera::commands
