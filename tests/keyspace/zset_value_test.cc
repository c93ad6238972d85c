// ZSetValue: both representations against a naive sorted model, and the conversion thresholds.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include "tessera/core/rng.h"
#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/object.h"
#include "tessera/keyspace/set.h"
#include "tessera/keyspace/small_alloc.h"
#include "tessera/keyspace/zset.h"

namespace tessera::keyspace {
namespace {

// Avoids `"m" + std::to_string(i)`, which trips GCC 12's bogus -Wrestrict warning.
std::string Name(uint64_t i) {
  std::string s = "m";
  s += std::to_string(i);
  return s;
}

using Model = std::vector<std::pair<double, std::string>>;  // sorted by (score, member)

void ModelSet(Model& m, const std::string& member, double score) {
  m.erase(std::remove_if(m.begin(), m.end(), [&](const auto& e) { return e.second == member; }),
          m.end());
  m.emplace_back(score, member);
  std::sort(m.begin(), m.end());
}

std::vector<std::pair<double, std::string>> Contents(const ZSetValue& z, bool reverse = false) {
  std::vector<std::pair<double, std::string>> out;
  z.Visit(0, z.Size(), reverse,
          [&](std::string_view member, double score) { out.emplace_back(score, member); });
  return out;
}

void CheckAgainstModel(const ZSetValue& z, const Model& m, core::Rng& rng) {
  REQUIRE(z.Size() == m.size());
  REQUIRE(Contents(z) == m);
  Model rev(m.rbegin(), m.rend());
  REQUIRE(Contents(z, true) == rev);
  for (int i = 0; i < 20 && !m.empty(); ++i) {
    size_t r = rng.Uniform(m.size());
    CHECK(z.Rank(m[r].second) == r);
    CHECK(z.At(r).member == m[r].second);
    CHECK(z.Score(m[r].second) == m[r].first);
    double bound = m[r].first;
    size_t want = std::count_if(m.begin(), m.end(), [&](const auto& e) { return e.first < bound; });
    CHECK(z.CountPrefix([&](std::string_view, double s) { return s < bound; }) == want);
    size_t lo = rng.Uniform(m.size());
    size_t hi = lo + rng.Uniform(m.size() - lo + 1);
    std::vector<std::string> got;
    z.Visit(lo, hi, false, [&](std::string_view mem, double) { got.emplace_back(mem); });
    REQUIRE(got.size() == hi - lo);
    for (size_t k = lo; k < hi; ++k) CHECK(got[k - lo] == m[k].second);
  }
  CHECK_FALSE(z.Rank("absent-member").has_value());
  CHECK_FALSE(z.Score("absent-member").has_value());
}

void RandomOps(ZSetLimits limits, uint64_t seed, int ops, int members) {
  core::Rng rng(seed);
  ZSetValue z;
  Model m;
  for (int i = 0; i < ops; ++i) {
    std::string member = Name(rng.Uniform(members));
    switch (rng.Uniform(4)) {
      case 0:
      case 1: {
        // Few distinct scores so that ties (ordered by member) are common; some are fractional.
        double score = static_cast<double>(rng.Uniform(20)) - 10;
        if (rng.Uniform(4) == 0) score += 0.5;
        if (rng.Uniform(50) == 0) score = rng.Uniform(2) ? INFINITY : -INFINITY;
        bool was_new = !z.Score(member).has_value();
        CHECK(z.Set(member, score, limits) == was_new);
        ModelSet(m, member, score);
        break;
      }
      case 2: {
        bool present = z.Score(member).has_value();
        CHECK(z.Remove(member) == present);
        m.erase(
            std::remove_if(m.begin(), m.end(), [&](const auto& e) { return e.second == member; }),
            m.end());
        break;
      }
      case 3:
        if (!m.empty() && rng.Uniform(10) == 0) {
          size_t lo = rng.Uniform(m.size());
          size_t hi = std::min(m.size(), lo + 1 + rng.Uniform(3));
          z.RemoveRange(lo, hi);
          m.erase(m.begin() + static_cast<long>(lo), m.begin() + static_cast<long>(hi));
        }
        break;
    }
    if (i % 97 == 0) CheckAgainstModel(z, m, rng);
  }
  CheckAgainstModel(z, m, rng);
  ZSetValue copy(z);
  CHECK(copy.EncodingName() == z.EncodingName());
  CheckAgainstModel(copy, m, rng);
}

TEST_CASE("listpack form matches a sorted model under random operations", "[keyspace][zset]") {
  ZSetLimits big{1000000, 1000};
  RandomOps(big, 1, 3000, 150);
}

TEST_CASE("skiplist form matches a sorted model under random operations", "[keyspace][zset]") {
  ZSetLimits none{0, 0};
  RandomOps(none, 2, 20000, 2000);
  RandomOps(none, 3, 3000, 40);
}

TEST_CASE("a sorted set converts to skiplist past max entries and never back", "[keyspace][zset]") {
  ZSetLimits limits;  // 128 entries, 64 bytes
  ZSetValue z;
  for (int i = 0; i < 128; ++i) z.Set(Name(i), i, limits);
  CHECK(z.EncodingName() == "listpack");
  z.Set("m5", 1000, limits);  // an update does not grow the set
  CHECK(z.EncodingName() == "listpack");
  z.Set("extra", 1, limits);
  CHECK(z.EncodingName() == "skiplist");
  CHECK(z.Size() == 129);
  z.Remove("extra");
  z.RemoveRange(0, 100);
  CHECK(z.EncodingName() == "skiplist");
  CHECK(z.Size() == 28);
}

TEST_CASE("a member longer than max value converts a sorted set", "[keyspace][zset]") {
  ZSetLimits limits;
  ZSetValue z;
  z.Set(std::string(64, 'x'), 1, limits);
  CHECK(z.EncodingName() == "listpack");
  z.Set(std::string(65, 'y'), 2, limits);
  CHECK(z.EncodingName() == "skiplist");
  CHECK(z.Rank(std::string(65, 'y')) == 1);
}

TEST_CASE("equal scores order by member bytes, shorter first", "[keyspace][zset]") {
  for (size_t entries : {size_t{128}, size_t{0}}) {
    ZSetValue z;
    ZSetLimits limits{entries, 64};
    z.Set("b", 1, limits);
    z.Set("ab", 1, limits);
    z.Set("a", 1, limits);
    z.Set(std::string("\xff", 1), 1, limits);
    z.Set("z", -1, limits);
    std::vector<std::string> order;
    z.ForEach([&](std::string_view m, double) { order.emplace_back(m); });
    CHECK(order == std::vector<std::string>{"z", "a", "ab", "b", "\xff"});
  }
}

TEST_CASE("listpack scores keep their exact value", "[keyspace][zset]") {
  ZSetLimits limits;
  ZSetValue z;
  std::vector<double> scores = {
      0.0,       1.5,      -3,  9007199254740993.0,  1e300,
      -INFINITY, INFINITY, 0.1, -9007199254740992.0, 4611686018427387904.0};
  // The edges of each score encoding: in the tag byte (-120..119), a varint after it (integral,
  // below 2^53 in magnitude), and the 8-byte double.
  const double edges[] = {119,  120,  -120,  -121,   183,        184,          -184,
                          -185, 1e15, -1e15, 1e-300, 0x1p53 - 1, -(0x1p53 - 1)};
  scores.insert(scores.end(), std::begin(edges), std::end(edges));
  int i = 0;
  for (double s : scores) z.Set(Name(i++), s, limits);
  i = 0;
  for (double s : scores) {
    auto got = z.Score(Name(i++));
    REQUIRE(got.has_value());
    CHECK(*got == s);
    CHECK(std::signbit(*got) == std::signbit(s));
  }
}

TEST_CASE("a score of -0 is stored as 0 in listpack form but kept in skiplist form",
          "[keyspace][zset]") {
  ZSetValue packed, tree;
  packed.Set("z", -0.0, ZSetLimits{});
  tree.Set("z", -0.0, ZSetLimits{0, 0});
  CHECK_FALSE(std::signbit(*packed.Score("z")));
  CHECK(std::signbit(*tree.Score("z")));
}

// The benchmark's shape (bench/memory.py): ZADD z:<i> 0 m0 1 m1 ... 9 m9.
ZSetValue BenchmarkZSet() {
  ZSetValue z;
  for (int i = 0; i < 10; ++i) z.Set(Name(i), i, ZSetLimits{});
  return z;
}

TEST_CASE("a small sorted set is a 16-byte handle and one 48-byte block", "[keyspace][zset]") {
  STATIC_REQUIRE(sizeof(ZSetValue) <= 16);
  size_t before = GetSmallAllocStats().in_use_bytes;
  {
    ZSetValue z = BenchmarkZSet();
    // An 8-byte header, then 4 bytes per entry: length, two member bytes, the score in the tag.
    CHECK(GetSmallAllocStats().in_use_bytes - before == 48);
    CHECK(z.MemoryUsage() == sizeof(ZSetValue) + 48);
    CHECK(z.EncodingName() == "listpack");
  }
  CHECK(GetSmallAllocStats().in_use_bytes == before);
}

TEST_CASE("listpack entries grow by one byte per score encoding step", "[keyspace][zset]") {
  // One 6-byte member: header 8 + length 1 + member 6 + tag 1 fills a 16-byte size class, so
  // any byte after the tag moves the block to the 24-byte class.
  auto block_for = [](double score) {
    ZSetValue z;
    z.Set("member", score, ZSetLimits{});
    return z.MemoryUsage() - sizeof(ZSetValue);
  };
  for (double s : {0.0, -0.0, 1.0, 119.0, -120.0}) CHECK(block_for(s) == 16);
  for (double s : {120.0, -121.0, 1e6, 9007199254740991.0, 0.5, 1e300, HUGE_VAL}) {
    CHECK(block_for(s) == 24);
  }
}

TEST_CASE("removing every member frees the listpack block", "[keyspace][zset]") {
  size_t before = GetSmallAllocStats().in_use_bytes;
  ZSetValue z = BenchmarkZSet();
  z.Remove("m3");
  CHECK(z.MemoryUsage() == sizeof(ZSetValue) + 48);  // 44 bytes still take the 48-byte class
  z.RemoveRange(0, z.Size());
  CHECK(z.Size() == 0);
  CHECK(z.MemoryUsage() == sizeof(ZSetValue));
  CHECK(GetSmallAllocStats().in_use_bytes == before);
  z.Set("again", 7, ZSetLimits{});
  CHECK(z.Score("again") == 7.0);
  CHECK(z.Size() == 1);
}

TEST_CASE("converting to skiplist frees the listpack block", "[keyspace][zset]") {
  size_t before = GetSmallAllocStats().in_use_bytes;
  ZSetValue z = BenchmarkZSet();
  z.Set("m10", 10, ZSetLimits{10, 64});
  CHECK(z.EncodingName() == "skiplist");
  CHECK(GetSmallAllocStats().in_use_bytes == before);  // tree nodes come from new, not slabs
  CHECK(z.Size() == 11);
  CHECK(z.Rank("m10") == 10);
  CHECK(z.At(0).member == "m0");
}

TEST_CASE("a sorted set rebuilt within the limits is a listpack again", "[keyspace][zset]") {
  // Redis converts back only when it builds a fresh value (RDB load, ZRANGESTORE and friends):
  // the rebuilt copy of a shrunken skiplist set takes the listpack form and its compact size.
  ZSetValue big;
  for (int i = 0; i < 200; ++i) big.Set(Name(i), i, ZSetLimits{});
  REQUIRE(big.EncodingName() == "skiplist");
  big.RemoveRange(10, big.Size());
  ZSetValue rebuilt;
  big.ForEach([&](std::string_view m, double s) { rebuilt.Set(m, s, ZSetLimits{}); });
  CHECK(rebuilt.EncodingName() == "listpack");
  CHECK(rebuilt.MemoryUsage() == BenchmarkZSet().MemoryUsage());
  CHECK(Contents(rebuilt) == Contents(big));
}

TEST_CASE("a copy of a listpack sorted set is independent and the same size", "[keyspace][zset]") {
  ZSetValue z = BenchmarkZSet();
  ZSetValue copy(z);
  CHECK(copy.MemoryUsage() == z.MemoryUsage());
  z.Set("m0", 100, ZSetLimits{});
  z.Remove("m1");
  CHECK(copy.Size() == 10);
  CHECK(copy.At(0).member == "m0");
  CHECK(copy.Score("m1") == 1.0);
  CHECK(z.At(z.Size() - 1).member == "m0");
}

TEST_CASE("moving a sorted set leaves the source empty", "[keyspace][zset]") {
  for (size_t entries : {size_t{128}, size_t{0}}) {
    ZSetValue z;
    z.Set("a", 1, ZSetLimits{entries, 64});
    std::string encoding(z.EncodingName());
    ZSetValue moved(std::move(z));
    CHECK(moved.Score("a") == 1.0);
    CHECK(moved.EncodingName() == encoding);
    CHECK(z.Size() == 0);  // NOLINT(bugprone-use-after-move): the moved-from state is specified
    CHECK(z.EncodingName() == "listpack");
  }
}

TEST_CASE("a member viewed from the listpack itself can be updated and removed",
          "[keyspace][zset]") {
  // At() returns a view into the block, which Set and Remove reallocate.
  ZSetValue z = BenchmarkZSet();
  CHECK_FALSE(z.Set(z.At(0).member, 1000.5, ZSetLimits{}));
  CHECK(z.At(9).member == "m0");
  CHECK(z.Score("m0") == 1000.5);
  CHECK_FALSE(z.Set(z.At(4).member, 5, ZSetLimits{}));     // m5 has that score already
  CHECK_FALSE(z.Set(z.At(4).member, 4.25, ZSetLimits{}));  // longer entry, same place
  CHECK(z.At(4).member == "m5");
  CHECK(z.Score("m5") == 4.25);
  CHECK(z.Remove(z.At(9).member));
  CHECK_FALSE(z.Score("m0").has_value());
  CHECK(z.Size() == 9);
}

TEST_CASE("an Object keeps a sorted set in place and moves it intact", "[keyspace][zset]") {
  size_t before = GetSmallAllocStats().in_use_bytes;
  {
    Object o(std::make_unique<ZSetValue>(BenchmarkZSet()));
    CHECK(GetSmallAllocStats().in_use_bytes - before == 48);
    Object moved(std::move(o));
    CHECK(moved.zset().Size() == 10);
    CHECK(moved.zset().Score("m9") == 9.0);
    CHECK(moved.MemoryUsage() == 16 + sizeof(ZSetValue) + 48);
    CHECK(GetSmallAllocStats().in_use_bytes - before == 48);
  }
  CHECK(GetSmallAllocStats().in_use_bytes == before);
}

TEST_CASE("an Object clones a sorted set deeply", "[keyspace][zset]") {
  auto z = std::make_unique<ZSetValue>();
  z->Set("a", 1, ZSetLimits{0, 0});
  Object o(std::move(z));
  Object copy = o.Clone();
  o.zset().Set("b", 2, ZSetLimits{});
  CHECK(copy.zset().Size() == 1);
  CHECK(copy.EncodingName() == "skiplist");
  CHECK(o.MemoryUsage() > 16);

  Object packed(std::make_unique<ZSetValue>(BenchmarkZSet()));
  Object packed_copy = packed.Clone();
  packed.zset().Remove("m0");
  CHECK(packed_copy.zset().Size() == 10);
  CHECK(packed_copy.EncodingName() == "listpack");
  CHECK(packed_copy.MemoryUsage() == 16 + sizeof(ZSetValue) + 48);
}

}  // namespace
}  // namespace tessera::keyspace
