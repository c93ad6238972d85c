// HashValue: listpack/hashtable conversions at Redis 7.0's thresholds, and the packed formats
// underneath (PackedList, IntSet).
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>

#include "tessera/core/rng.h"
#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/int_set.h"
#include "tessera/keyspace/packed_list.h"

namespace tessera::keyspace {
namespace {

// "f<i>"; appending avoids GCC 12's false -Wrestrict on "f" + std::to_string(i).
std::string Field(uint64_t i) {
  std::string s = "f";
  s += std::to_string(i);
  return s;
}

std::map<std::string, std::string> Contents(const HashValue& h) {
  std::map<std::string, std::string> m;
  h.ForEach([&](std::string_view f, std::string_view v) { m.emplace(f, v); });
  return m;
}

TEST_CASE("a hash stays a listpack up to 128 entries and becomes a hashtable at 129",
          "[keyspace][hash]") {
  EncodingLimits limits;
  HashValue h;
  CHECK(h.EncodingName() == "listpack");
  for (int i = 0; i < 128; ++i) CHECK(h.Set(Field(i), "v", limits));
  CHECK(h.EncodingName() == "listpack");
  CHECK(h.Size() == 128);
  CHECK(h.Set("f128", "v", limits));
  CHECK(h.EncodingName() == "hashtable");
  CHECK(h.Size() == 129);
  CHECK(h.Get("f7") == "v");
  // Never back, even when small again.
  for (int i = 0; i < 120; ++i) CHECK(h.Delete(Field(i)));
  CHECK(h.EncodingName() == "hashtable");
  CHECK(h.Size() == 9);
}

TEST_CASE("a field or value longer than 64 bytes makes the hash a hashtable", "[keyspace][hash]") {
  EncodingLimits limits;
  HashValue a, b, c;
  a.Set("f", std::string(64, 'x'), limits);
  CHECK(a.EncodingName() == "listpack");
  a.Set("g", std::string(65, 'x'), limits);
  CHECK(a.EncodingName() == "hashtable");
  CHECK(a.Get("f") == std::string(64, 'x'));
  b.Set(std::string(65, 'k'), "v", limits);
  CHECK(b.EncodingName() == "hashtable");
  // CheckLength converts even when nothing is written (Redis's HSETNX on an existing field).
  c.Set("f", "v", limits);
  c.CheckLength(64, limits);
  CHECK(c.EncodingName() == "listpack");
  c.CheckLength(65, limits);
  CHECK(c.EncodingName() == "hashtable");
}

TEST_CASE("custom limits move the thresholds", "[keyspace][hash]") {
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 2;
  limits.hash_max_listpack_value = 3;
  HashValue h;
  h.Set("a", "abc", limits);
  h.Set("b", "1", limits);
  CHECK(h.EncodingName() == "listpack");
  h.Set("c", "1", limits);
  CHECK(h.EncodingName() == "hashtable");
}

TEST_CASE("a listpack hash keeps insertion order and overwrites in place", "[keyspace][hash]") {
  EncodingLimits limits;
  HashValue h;
  h.Set("a", "1", limits);
  h.Set("b", "2", limits);
  h.Set("c", "3", limits);
  CHECK_FALSE(h.Set("b", "a much longer value", limits));
  CHECK(h.Delete("a"));
  CHECK_FALSE(h.Delete("a"));
  h.Set("a", "4", limits);
  std::vector<std::string> order;
  h.ForEach([&](std::string_view f, std::string_view) { order.emplace_back(f); });
  CHECK(order == std::vector<std::string>{"b", "c", "a"});
  CHECK(h.At(0).second == "a much longer value");
  CHECK(h.At(2).first == "a");
  CHECK(h.Get("b") == "a much longer value");
  CHECK_FALSE(h.Get("z").has_value());
}

TEST_CASE("hash operations agree with a std::map model in both encodings", "[keyspace][hash]") {
  core::Rng rng(7);
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 16;
  HashValue h;
  std::map<std::string, std::string> model;
  for (int step = 0; step < 5000; ++step) {
    std::string f = Field(rng.Uniform(40));
    std::string v(rng.Uniform(20), static_cast<char>('a' + rng.Uniform(26)));
    if (rng.Uniform(3) == 0) {
      CHECK(h.Delete(f) == (model.erase(f) == 1));
    } else {
      CHECK(h.Set(f, v, limits) == (model.count(f) == 0));
      model[f] = v;
    }
    REQUIRE(h.Size() == model.size());
  }
  CHECK(h.EncodingName() == "hashtable");
  CHECK(Contents(h) == model);
  HashValue copy(h);
  CHECK(Contents(copy) == model);
  for (size_t i = 0; i < h.Size(); ++i)
    CHECK(model.at(std::string(h.At(i).first)) == h.At(i).second);
}

TEST_CASE("a hashtable scan visits every entry present throughout, despite deletions",
          "[keyspace][hash]") {
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 0;
  HashValue h;
  for (int i = 0; i < 100; ++i) h.Set(Field(i), "v", limits);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int round = 0;
  do {
    cursor = h.Scan(cursor, 7, [&](std::string_view f, std::string_view) { seen.emplace(f); });
    // Delete fields in the middle (odd ones) as the scan goes: the even ones must all be seen.
    h.Delete(Field(2 * round + 1));
    ++round;
  } while (cursor != 0);
  for (int i = 0; i < 100; i += 2) CHECK(seen.count(Field(i)) == 1);
}

TEST_CASE("a listpack scan returns everything with cursor 0", "[keyspace][hash]") {
  EncodingLimits limits;
  HashValue h;
  h.Set("a", "1", limits);
  h.Set("b", "2", limits);
  int n = 0;
  CHECK(h.Scan(0, 1, [&](std::string_view, std::string_view) { ++n; }) == 0);
  CHECK(n == 2);
}

TEST_CASE("packed lists walk both ways over entries of any length", "[keyspace][packed]") {
  PackedList p;
  std::vector<std::string> want = {
      "", "a", std::string(127, 'b'), std::string(128, 'c'), std::string(20000, 'd'), "e"};
  for (const auto& s : want) p.PushBack(s);
  CHECK(p.count() == want.size());
  size_t i = 0;
  for (size_t pos = p.Begin(); pos < p.End(); pos = p.Next(pos)) CHECK(p.At(pos) == want[i++]);
  i = want.size();
  for (size_t pos = p.End(); pos > p.Begin();) {
    pos = p.Prev(pos);
    CHECK(p.At(pos) == want[--i]);
  }
  p.Replace(p.Next(p.Begin()), std::string(300, 'z'));
  CHECK(p.At(p.Next(p.Begin())) == std::string(300, 'z'));
  PackedList tail = p.SplitAt(p.Next(p.Next(p.Begin())));
  CHECK(p.count() == 2);
  CHECK(tail.count() == 4);
  p.Append(tail);
  CHECK(p.count() == 6);
  p.Erase(p.Begin(), 6);
  CHECK(p.empty());
  CHECK(p.bytes() == 0);
}

TEST_CASE("an intset keeps integers sorted in the narrowest width", "[keyspace][intset]") {
  IntSet s;
  CHECK(s.Insert(5));
  CHECK(s.Insert(-3));
  CHECK_FALSE(s.Insert(5));
  CHECK(s.width() == 2);
  CHECK(s.Insert(70000));
  CHECK(s.width() == 4);
  CHECK(s.Insert(INT64_MIN));
  CHECK(s.width() == 8);
  CHECK(s.size() == 4);
  CHECK(s.At(0) == INT64_MIN);
  CHECK(s.At(1) == -3);
  CHECK(s.At(3) == 70000);
  CHECK(s.Contains(70000));
  CHECK_FALSE(s.Contains(4));
  CHECK(s.Erase(-3));
  CHECK_FALSE(s.Erase(-3));
  CHECK(s.size() == 3);
}

TEST_CASE("only integers spelled as Redis prints them are parsed", "[keyspace][intset]") {
  CHECK(ParseCanonicalInt("0") == 0);
  CHECK(ParseCanonicalInt("-9223372036854775808") == INT64_MIN);
  CHECK(ParseCanonicalInt("9223372036854775807") == INT64_MAX);
  CHECK_FALSE(ParseCanonicalInt("9223372036854775808"));
  CHECK_FALSE(ParseCanonicalInt("-0"));
  CHECK_FALSE(ParseCanonicalInt("01"));
  CHECK_FALSE(ParseCanonicalInt("+1"));
  CHECK_FALSE(ParseCanonicalInt(" 1"));
  CHECK_FALSE(ParseCanonicalInt(""));
  CHECK_FALSE(ParseCanonicalInt("-"));
}

}  // namespace
}  // namespace tessera::keyspace
