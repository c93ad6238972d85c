// SetValue: intset/hashtable conversions at Redis 7.0's thresholds, the packed and table forms
// behind "hashtable", their sizes, copies and scans.
#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>

#include "tessera/core/rng.h"
#include "tessera/keyspace/set.h"
#include "tessera/keyspace/small_alloc.h"

namespace tessera::keyspace {
namespace {

std::set<std::string> Contents(const SetValue& s) {
  std::set<std::string> m;
  s.ForEach([&](std::string_view v) { m.emplace(v); });
  return m;
}

// MemoryUsage of a packed set: the handle plus one block of an 8-byte header and, per member
// (all shorter than 128 bytes here), a length byte and the bytes.
size_t PackedUsage(const std::set<std::string>& members) {
  size_t n = 8;
  for (const auto& m : members) n += 1 + m.size();
  return sizeof(SetValue) + SmallAllocSize(n);
}

std::set<std::string> Names(const std::string& prefix, int n) {
  std::set<std::string> m;
  for (int i = 0; i < n; ++i) m.insert(prefix + std::to_string(i));
  return m;
}

SetValue Build(const std::set<std::string>& members, const EncodingLimits& limits = {}) {
  SetValue s;
  for (const auto& m : members) s.Add(m, limits);
  return s;
}

// Runs SSCAN to the end, `count` at a time, calling between(step) after each call.
std::multiset<std::string> ScanAll(
    SetValue& s, size_t count, const std::function<void(int)>& between = [](int) {}) {
  std::multiset<std::string> seen;
  uint64_t cursor = 0;
  int step = 0;
  do {
    cursor = s.Scan(cursor, count, [&](std::string_view m) { seen.emplace(m); });
    between(step++);
    REQUIRE(step < 10000);
  } while (cursor != 0);
  return seen;
}

TEST_CASE("a set of integers is an intset up to 512 members, a hashtable from 513",
          "[keyspace][set]") {
  EncodingLimits limits;
  SetValue s;
  CHECK(s.EncodingName() == "intset");
  for (int i = 0; i < 512; ++i) CHECK(s.Add(std::to_string(i * 3 - 700), limits));
  CHECK(s.EncodingName() == "intset");
  CHECK(s.Add("100000", limits));
  CHECK(s.EncodingName() == "hashtable");
  CHECK(s.Size() == 513);
  CHECK(s.Contains("-700"));
  // Never back.
  for (int i = 0; i < 510; ++i) s.Remove(std::to_string(i * 3 - 700));
  CHECK(s.EncodingName() == "hashtable");
}

TEST_CASE("a non-integer member makes the set a hashtable", "[keyspace][set]") {
  EncodingLimits limits;
  for (std::string m : {"a", "01", "-0", "+1", " 1", "1.0", "9223372036854775808"}) {
    SetValue s;
    s.Add("1", limits);
    CHECK(s.Add(m, limits));
    CHECK(s.EncodingName() == "hashtable");
    CHECK(s.Contains(m));
    CHECK(s.Contains("1"));
  }
}

TEST_CASE("an intset holds the spelled integer only", "[keyspace][set]") {
  EncodingLimits limits;
  SetValue s;
  s.Add("7", limits);
  CHECK_FALSE(s.Contains("07"));
  CHECK_FALSE(s.Remove("07"));
  CHECK(s.Contains("7"));
  CHECK_FALSE(s.Add("7", limits));
}

TEST_CASE("intset members come out ascending and TakeAt removes by position", "[keyspace][set]") {
  EncodingLimits limits;
  SetValue s;
  for (auto m : {"5", "-2", "100000", "3"}) s.Add(m, limits);
  std::vector<std::string> order;
  s.ForEach([&](std::string_view v) { order.emplace_back(v); });
  CHECK(order == std::vector<std::string>{"-2", "3", "5", "100000"});
  CHECK(s.At(1) == "3");
  CHECK(s.TakeAt(0) == "-2");
  CHECK(s.Size() == 3);
}

TEST_CASE("set operations agree with a std::set model in both encodings", "[keyspace][set]") {
  core::Rng rng(11);
  EncodingLimits limits;
  limits.set_max_intset_entries = 20;
  SetValue s;
  std::set<std::string> model;
  for (int step = 0; step < 5000; ++step) {
    std::string m = std::to_string(static_cast<int64_t>(rng.Uniform(60)) - 30);
    if (step > 2500 && rng.Uniform(10) == 0) m += "x";
    switch (rng.Uniform(3)) {
      case 0:
        CHECK(s.Remove(m) == (model.erase(m) == 1));
        break;
      case 1:
        if (s.Size() > 0) {
          std::string taken = s.TakeAt(rng.Uniform(s.Size()));
          CHECK(model.erase(taken) == 1);
        }
        break;
      default:
        CHECK(s.Add(m, limits) == model.insert(m).second);
    }
    REQUIRE(s.Size() == model.size());
  }
  CHECK(s.EncodingName() == "hashtable");
  CHECK(Contents(s) == model);
  SetValue copy(s);
  CHECK(Contents(copy) == model);
  for (const auto& m : model) CHECK(copy.Contains(m));
}

TEST_CASE("a set handle is 16 bytes and an intset handle one pointer", "[keyspace][set]") {
  CHECK(sizeof(SetValue) == 16);
  CHECK(sizeof(IntSet) == sizeof(void*));
}

TEST_CASE("the benchmark's set of ten 2-byte members takes one 40-byte block", "[keyspace][set]") {
  // bench/memory.py: SADD s:<i> m0 ... m9. Redis 7.0 spends 730 bytes per such key.
  const std::set<std::string> members = Names("m", 10);
  const size_t before = GetSmallAllocStats().in_use_bytes;
  SetValue s;
  s.ConvertToHashtable();  // as SADD does for a new set with a non-integer member
  s.Reserve(members.size());
  for (const auto& m : members) CHECK(s.Add(m, {}));
  CHECK(GetSmallAllocStats().in_use_bytes - before == 40);
  CHECK(s.MemoryUsage() == 16 + 40);
  CHECK(s.MemoryUsage() == PackedUsage(members));
  CHECK(s.EncodingName() == "hashtable");
  CHECK(Contents(s) == members);
}

TEST_CASE("an intset's block is its 5-byte header and the values", "[keyspace][intset]") {
  const size_t before = GetSmallAllocStats().in_use_bytes;
  {
    IntSet ints;
    CHECK(ints.AllocatedBytes() == 0);
    for (int i = 0; i < 10; ++i) ints.Insert(i);
    CHECK(ints.AllocatedBytes() == 32);  // 5 + 10 * 2, rounded to 8
    CHECK(GetSmallAllocStats().in_use_bytes - before == 32);
    ints.Insert(100000);
    CHECK(ints.width() == 4);
    CHECK(ints.AllocatedBytes() == 56);  // 5 + 11 * 4
    IntSet copy(ints);
    CHECK(copy.AllocatedBytes() == 56);
    CHECK(copy.At(10) == 100000);
    for (int i = 0; i < 11; ++i) ints.EraseAt(0);
    CHECK(ints.AllocatedBytes() == 0);
  }
  CHECK(GetSmallAllocStats().in_use_bytes == before);
}

TEST_CASE("an emptied intset frees its block and starts again at width 2", "[keyspace][intset]") {
  IntSet ints;
  ints.Insert(INT64_MAX);
  CHECK(ints.width() == 8);
  CHECK(ints.Erase(INT64_MAX));
  CHECK(ints.size() == 0);
  CHECK(ints.AllocatedBytes() == 0);
  CHECK(ints.width() == 2);
  CHECK(ints.Insert(-5));
  CHECK(ints.width() == 2);
  IntSet moved(std::move(ints));
  CHECK(moved.size() == 1);
  CHECK(ints.size() == 0);  // NOLINT(bugprone-use-after-move): a moved-from intset is empty
}

TEST_CASE("a set intset stays sized to its values", "[keyspace][set]") {
  SetValue s = Build({"1", "2", "3"});
  CHECK(s.EncodingName() == "intset");
  CHECK(s.MemoryUsage() == 16 + 16);  // 5 + 3 * 2, rounded to 8
}

TEST_CASE("a hashtable set stays packed up to 128 members and becomes a table at 129",
          "[keyspace][set]") {
  std::set<std::string> members = Names("member:", 128);
  SetValue s = Build(members);
  CHECK(s.EncodingName() == "hashtable");
  CHECK(s.MemoryUsage() == PackedUsage(members));
  CHECK(s.Add("member:128", {}));
  members.insert("member:128");
  CHECK(s.EncodingName() == "hashtable");
  CHECK(s.MemoryUsage() != PackedUsage(members));
  CHECK(s.MemoryUsage() > 129 * sizeof(std::string));
  CHECK(Contents(s) == members);
  // Never back, as Redis never shrinks a hashtable set to a smaller encoding.
  for (int i = 0; i < 127; ++i) CHECK(s.Remove("member:" + std::to_string(i)));
  CHECK(s.Size() == 2);
  CHECK(s.MemoryUsage() > PackedUsage({"member:127", "member:128"}) + 64);
  CHECK(s.Contains("member:127"));
  CHECK_FALSE(s.Contains("member:0"));
}

TEST_CASE("a member longer than 64 bytes moves a packed set to the table", "[keyspace][set]") {
  SetValue s = Build({"a", "b"});
  const std::string edge(64, 'x');
  CHECK(s.Add(edge, {}));
  CHECK(s.MemoryUsage() == PackedUsage({"a", "b", edge}));
  const std::string longer(65, 'y');
  CHECK(s.Add(longer, {}));
  CHECK(s.MemoryUsage() != PackedUsage({"a", "b", edge, longer}));
  CHECK(Contents(s) == std::set<std::string>{"a", "b", edge, longer});
  CHECK_FALSE(s.Add(longer, {}));
  CHECK_FALSE(s.Add("a", {}));
  CHECK(s.EncodingName() == "hashtable");
}

TEST_CASE("an intset goes to the packed form on a string, or past a low intset limit",
          "[keyspace][set]") {
  SetValue s = Build({"10", "-20", "30"});
  CHECK(s.Add("x", {}));
  CHECK(s.EncodingName() == "hashtable");
  CHECK(s.MemoryUsage() == PackedUsage({"-20", "10", "30", "x"}));
  // Members keep the intset's ascending order, then the new one.
  CHECK(s.At(0) == "-20");
  CHECK(s.At(3) == "x");

  EncodingLimits limits;
  limits.set_max_intset_entries = 4;
  SetValue t = Build({"1", "2", "3", "4"}, limits);
  CHECK(t.EncodingName() == "intset");
  CHECK(t.Add("5", limits));
  CHECK(t.EncodingName() == "hashtable");
  CHECK(t.MemoryUsage() == PackedUsage({"1", "2", "3", "4", "5"}));
  CHECK(t.Contains("5"));
  CHECK_FALSE(t.Contains("6"));
}

TEST_CASE("a large intset goes straight to the table", "[keyspace][set]") {
  std::set<std::string> members;
  for (int i = 0; i < 200; ++i) members.insert(std::to_string(i));
  SetValue s = Build(members);
  CHECK(s.EncodingName() == "intset");
  CHECK(s.Add("x", {}));
  members.insert("x");
  CHECK(s.MemoryUsage() > 201 * sizeof(std::string));
  CHECK(Contents(s) == members);
}

TEST_CASE("Reserve goes to the table only for more members than the packed form holds",
          "[keyspace][set]") {
  SetValue small;
  small.ConvertToHashtable();
  small.Reserve(128);
  small.Add("a", {});
  CHECK(small.MemoryUsage() == PackedUsage({"a"}));

  SetValue big;
  big.ConvertToHashtable();
  big.Reserve(129);
  big.Add("a", {});
  CHECK(big.MemoryUsage() > 129 * sizeof(std::string));
  CHECK(big.EncodingName() == "hashtable");

  SetValue ints = Build({"1"});
  ints.Reserve(1000);
  CHECK(ints.EncodingName() == "intset");
}

TEST_CASE("packed members come out in At's order and TakeAt removes that one", "[keyspace][set]") {
  SetValue s = Build({"b", "a", "c", "d"});
  std::vector<std::string> order;
  s.ForEach([&](std::string_view m) { order.emplace_back(m); });
  REQUIRE(order.size() == 4);
  for (size_t i = 0; i < order.size(); ++i) CHECK(s.At(i) == order[i]);
  CHECK(s.TakeAt(2) == order[2]);
  CHECK(s.TakeAt(0) == order[0]);
  CHECK(s.Size() == 2);
  CHECK(Contents(s) == std::set<std::string>{order[1], order[3]});
  CHECK(s.TakeAt(1) == order[3]);
  CHECK(s.TakeAt(0) == order[1]);
  CHECK(s.Size() == 0);
  CHECK(s.MemoryUsage() == sizeof(SetValue));
}

TEST_CASE("copies of every form are equal and independent", "[keyspace][set]") {
  std::set<std::string> big = Names("k", 300);
  for (const auto& members : {std::set<std::string>{"1", "70000", "-3"}, Names("m", 10), big}) {
    SetValue s = Build(members);
    SetValue copy(s);
    CHECK(copy.EncodingName() == s.EncodingName());
    CHECK(copy.MemoryUsage() <= s.MemoryUsage());  // a copied table is sized exactly
    CHECK(Contents(copy) == members);
    const std::string first = *members.begin();
    CHECK(s.Remove(first));
    CHECK(copy.Contains(first));
    CHECK(Contents(copy) == members);
    SetValue moved(std::move(copy));
    CHECK(Contents(moved) == members);
    // A moved-from set is an empty intset, safe to destroy or reuse.
    CHECK(copy.Size() == 0);  // NOLINT(bugprone-use-after-move)
    CHECK(copy.EncodingName() == "intset");
  }
}

TEST_CASE("a packed scan visits COUNT members a call and ends at cursor 0", "[keyspace][set]") {
  const std::set<std::string> members = Names("m", 10);
  SetValue s = Build(members);
  std::multiset<std::string> seen = ScanAll(s, 3);
  CHECK(seen == std::multiset<std::string>(members.begin(), members.end()));
  uint64_t cursor = s.Scan(0, 3, [](std::string_view) {});
  CHECK(cursor == 7);
  CHECK(s.Scan(0, 10, [](std::string_view) {}) == 0);
  CHECK(s.Scan(1000, 3, [](std::string_view) {}) == 7);
}

TEST_CASE("a scan sees every member present throughout, despite removals and conversion",
          "[keyspace][set]") {
  core::Rng rng(5);
  for (int round = 0; round < 50; ++round) {
    std::set<std::string> members = Names("r", 1 + static_cast<int>(rng.Uniform(120)));
    SetValue s = Build(members);
    std::set<std::string> kept = members, removed;
    int added = 0;
    std::multiset<std::string> seen = ScanAll(s, 1 + rng.Uniform(6), [&](int) {
      if (s.Size() > 0 && rng.Uniform(3) == 0) {
        std::string m = s.TakeAt(rng.Uniform(s.Size()));
        kept.erase(m);
        removed.insert(m);
      }
      // Growing past 128 moves the set to the table in mid-scan.
      for (int i = 0; i < 4; ++i) s.Add("new" + std::to_string(added++), {});
    });
    for (const auto& m : kept) CHECK(seen.count(m) >= 1);
    for (const auto& m : seen) {
      CHECK((members.count(m) == 1 || m.rfind("new", 0) == 0));
    }
  }
}

TEST_CASE("set operations agree with a std::set model across packed and table forms",
          "[keyspace][set]") {
  core::Rng rng(23);
  SetValue s;
  std::set<std::string> model;
  size_t max_size = 0;
  for (int step = 0; step < 20000; ++step) {
    // The member range drifts up so the set crosses 128 members in mid-run.
    std::string m = std::to_string(rng.Uniform(40 + step / 100));
    m.push_back('s');  // not an integer
    if (rng.Uniform(50) == 0) m += std::string(70, 'L');
    // Mostly adds: the set settles at about 2/3 of the member range.
    switch (rng.Uniform(8)) {
      case 0:
        CHECK(s.Remove(m) == (model.erase(m) == 1));
        break;
      case 1:
        if (s.Size() > 0) {
          std::string taken = s.TakeAt(rng.Uniform(s.Size()));
          CHECK(model.erase(taken) == 1);
        }
        break;
      case 2:
        CHECK(s.Contains(m) == (model.count(m) == 1));
        break;
      default:
        CHECK(s.Add(m, {}) == model.insert(m).second);
    }
    REQUIRE(s.Size() == model.size());
    max_size = std::max(max_size, model.size());
    if (step % 997 == 0) {
      CHECK(Contents(s) == model);
      CHECK(Contents(SetValue(s)) == model);
    }
  }
  CHECK(Contents(s) == model);
  CHECK(max_size > 128);
}

}  // namespace
}  // namespace tessera::keyspace
