// SetValue: intset/hashtable conversions at Redis 7.0's thresholds.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "tessera/core/rng.h"
#include "tessera/keyspace/set.h"

namespace tessera::keyspace {
namespace {

std::set<std::string> Contents(const SetValue& s) {
  std::set<std::string> m;
  s.ForEach([&](std::string_view v) { m.emplace(v); });
  return m;
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

}  // namespace
}  // namespace tessera::keyspace
