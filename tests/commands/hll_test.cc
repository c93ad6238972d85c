// HyperLogLog: the string encoding (keyspace/hll.h) and PFADD/PFCOUNT/PFMERGE through the engine.
// Byte-for-byte parity with Redis is checked by tests/integration/diff/hll.redis.
#include "tessera/keyspace/hll.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "commands/fixture.h"

using tessera::commands::testing::EngineFixture;
namespace hll = tessera::keyspace::hll;

namespace {

// Avoids `"x" + std::to_string(i)`, which trips GCC 12's bogus -Wrestrict warning.
std::string Cat(std::string prefix, int64_t n) {
  prefix += std::to_string(n);
  return prefix;
}

std::string Bulk(const std::string& s) {
  std::string out = Cat("$", static_cast<int64_t>(s.size()));
  out += "\r\n";
  out += s;
  out += "\r\n";
  return out;
}

int64_t IntReply(const std::string& r) { return std::stoll(r.substr(1)); }

}  // namespace

TEST_CASE("PFADD creates an empty sparse HLL with a stale cache", "[commands][hll]") {
  EngineFixture f;
  CHECK(f.Cmd("PFADD h") == ":1\r\n");
  std::string want("HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80\x7f\xff", 18);
  CHECK(f.Cmd("GET h") == Bulk(want));
  CHECK(f.Cmd("PFADD h") == ":0\r\n");
  CHECK(f.Cmd("PFCOUNT h") == ":0\r\n");
  want[15] = 0;  // PFCOUNT stored a valid cached 0
  CHECK(f.Cmd("GET h") == Bulk(want));
}

TEST_CASE("PFCOUNT estimates within a few percent and caches", "[commands][hll]") {
  EngineFixture f;
  for (int batch = 0; batch < 50; ++batch) {
    std::vector<std::string> argv{"PFADD", "h"};
    for (int i = 0; i < 400; ++i) argv.push_back(Cat("el:", batch * 400 + i));
    f.Run(argv);
  }
  int64_t n = IntReply(f.Cmd("PFCOUNT h"));
  CHECK(std::abs(n - 20000) < 20000 * 0.03);
  uint64_t dirty = f.engine.stats().dirty;
  CHECK(IntReply(f.Cmd("PFCOUNT h")) == n);
  CHECK(f.engine.stats().dirty == dirty);  // served from the cache this time
  std::string v(f.engine.db(0).Find("h", 0)->str());
  CHECK(hll::IsDense(v));
  CHECK(hll::CachedCount(v) == static_cast<uint64_t>(n));
}

TEST_CASE("PFMERGE and multi-key PFCOUNT give the union's cardinality", "[commands][hll]") {
  EngineFixture f;
  std::vector<std::string> a{"PFADD", "a"}, b{"PFADD", "b"};
  for (int i = 0; i < 300; ++i) a.push_back(std::to_string(i));
  for (int i = 200; i < 500; ++i) b.push_back(std::to_string(i));
  f.Run(a);
  f.Run(b);
  int64_t merged = IntReply(f.Cmd("PFCOUNT a b"));
  CHECK(std::abs(merged - 500) < 15);
  CHECK(f.Cmd("PFMERGE m a b") == "+OK\r\n");
  CHECK(IntReply(f.Cmd("PFCOUNT m")) == merged);
  CHECK(f.Cmd("PFCOUNT m missing") == Cat(":", merged).append("\r\n"));
}

TEST_CASE("HLL commands reject other strings and corrupt payloads", "[commands][hll]") {
  EngineFixture f;
  f.Cmd("SET s hello");
  CHECK(f.Cmd("PFADD s a") == "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n");
  CHECK(f.Cmd("ZADD z 1 a") == ":1\r\n");
  CHECK(f.Cmd("PFCOUNT z") ==
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  // An XZERO run one register short: counting notices, an update of a covered register not.
  f.Run({"SET", "c", std::string("HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80\x7f\xfe", 18)});
  CHECK(f.Cmd("PFCOUNT c") == "-INVALIDOBJ Corrupted HLL object detected\r\n");
  CHECK(f.Cmd("PFADD c x y z") == ":1\r\n");
  // Runs covering register 0 only: adding elsewhere finds no opcode.
  f.Run({"SET", "d", std::string("HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80\x40\x00", 18)});
  CHECK(f.Cmd("PFADD d x y z") == "-INVALIDOBJ Corrupted HLL object detected\r\n");
}

TEST_CASE("a register value above 32 turns a sparse HLL dense", "[keyspace][hll]") {
  std::string h = hll::CreateEmpty();
  CHECK(hll::SetRegister(&h, 5, 32, hll::kDefaultSparseMaxBytes) == hll::Update::kChanged);
  CHECK_FALSE(hll::IsDense(h));
  CHECK(hll::SetRegister(&h, 5, 32, hll::kDefaultSparseMaxBytes) == hll::Update::kUnchanged);
  CHECK(hll::SetRegister(&h, 9, 33, hll::kDefaultSparseMaxBytes) == hll::Update::kChanged);
  CHECK(hll::IsDense(h));
  CHECK(h.size() == hll::kDenseSize);
  std::vector<uint8_t> regs(hll::kRegisters, 0);
  REQUIRE(hll::MergeInto(h, regs.data()));
  CHECK(regs[5] == 32);
  CHECK(regs[9] == 33);
  CHECK(regs[16383] == 0);
}

TEST_CASE("sparse and dense forms of the same registers count alike", "[keyspace][hll]") {
  std::string sparse = hll::CreateEmpty();
  for (int i = 0; i < 700; ++i) hll::Add(&sparse, Cat("k", i), 1 << 20);
  REQUIRE_FALSE(hll::IsDense(sparse));
  std::string dense = sparse;
  REQUIRE(hll::ToDense(&dense));
  CHECK(hll::Count(sparse) == hll::Count(dense));
  std::vector<uint8_t> a(hll::kRegisters, 0), b(hll::kRegisters, 0);
  REQUIRE(hll::MergeInto(sparse, a.data()));
  REQUIRE(hll::MergeInto(dense, b.data()));
  CHECK(a == b);
  CHECK(hll::CountRegisters(a.data()) == *hll::Count(sparse));
}

TEST_CASE("MurmurHash64A matches the reference for short and block-sized inputs",
          "[keyspace][hll]") {
  // Exact values are checked against Redis through the HLL bytes in diff/hll.redis; here, the
  // empty input with seed 0 stays 0 through the final mixing.
  CHECK(hll::MurmurHash64A("", 0) == 0);
  // Every tail length must feed each byte exactly once: flipping any byte changes the hash.
  std::string s = "abcdefghijklmnopq";
  for (size_t len = 1; len <= s.size(); ++len) {
    std::string v = s.substr(0, len);
    uint64_t h = hll::MurmurHash64A(v, 0xadc83b19);
    for (size_t i = 0; i < len; ++i) {
      std::string w = v;
      w[i] ^= 1;
      CHECK(hll::MurmurHash64A(w, 0xadc83b19) != h);
    }
  }
}
