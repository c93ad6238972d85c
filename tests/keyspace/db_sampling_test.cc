// Db iteration and sampling: SCAN cursors, ForEach, RandomKey, SampleKeys/SampleExpiring and the
// active expire cycle.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "tessera/core/rng.h"
#include "tessera/core/slot.h"
#include "tessera/keyspace/db.h"

namespace tessera::keyspace {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

// "prefix" + std::to_string(i) trips GCC 12's -Wrestrict false positive; this does not.
std::string Key(std::string_view prefix, uint64_t i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

void Fill(Db* db, const std::string& prefix, int n) {
  for (int i = 0; i < n; ++i) db->Set(Key(prefix, i), Object(std::string("v")));
}

TEST_CASE("a full scan visits every key exactly once", "[keyspace]") {
  Db db;
  Fill(&db, "key:", 3000);
  std::map<std::string, int> seen;
  uint64_t cursor = 0;
  int calls = 0;
  do {
    cursor = db.Scan(cursor, 10, [&](const std::string& k, const Object& v) {
      ++seen[k];
      CHECK(v.str() == "v");
    });
    ++calls;
  } while (cursor != 0);
  CHECK(seen.size() == 3000);
  CHECK(std::all_of(seen.begin(), seen.end(), [](const auto& p) { return p.second == 1; }));
  CHECK(calls > 100);  // count 10 means roughly 10 keys per call, not everything at once
}

TEST_CASE("scan sees every key that stays present while others come and go", "[keyspace]") {
  core::Rng rng(7);
  Db db;
  Fill(&db, "stable:", 2000);
  Fill(&db, "churn:", 2000);
  int next_new = 0;
  std::map<std::string, int> seen;
  uint64_t cursor = 0;
  do {
    cursor = db.Scan(cursor, 25, [&](const std::string& k, const Object&) { ++seen[k]; });
    for (int i = 0; i < 20; ++i) {
      db.Delete(Key("churn:", rng.Uniform(2000)));
      db.Set(Key("new:", next_new++), Object(std::string("n")));
    }
  } while (cursor != 0);
  for (int i = 0; i < 2000; ++i) {
    auto it = seen.find(Key("stable:", i));
    REQUIRE(it != seen.end());
    CHECK(it->second == 1);
  }
}

TEST_CASE("scan of an empty db and past the last slot ends at once", "[keyspace]") {
  Db db;
  int calls = 0;
  auto fn = [&](const std::string&, const Object&) { ++calls; };
  CHECK(db.Scan(0, 10, fn) == 0);
  db.Set("a", Object(std::string("1")));
  CHECK(db.Scan(core::kSlots, 10, fn) == 0);
  CHECK(db.Scan(1ULL << 40, 10, fn) == 0);
  CHECK(calls == 0);
  CHECK(db.Scan(0, 0, fn) == 0);  // count 0 still makes progress
  CHECK(calls == 1);
  // Starting at the key's own slot finds it; starting just after does not.
  int slot = core::KeySlot("a");
  calls = 0;
  db.Scan(slot, 10, fn);
  CHECK(calls == 1);
  if (slot + 1 < core::kSlots) {
    db.Scan(slot + 1, 10, fn);
    CHECK(calls == 1);
  }
}

TEST_CASE("for-each reports every key with its expiry", "[keyspace]") {
  Db db;
  Fill(&db, "k", 50);
  db.SetExpire("k3", kNow + 3);
  std::map<std::string, int64_t> got;
  db.ForEach([&](const std::string& k, const Object&, int64_t when) { got[k] = when; });
  CHECK(got.size() == 50);
  CHECK(got["k3"] == kNow + 3);
  CHECK(got["k4"] == -1);
}

TEST_CASE("random key is roughly uniform over keys, not over slots", "[keyspace]") {
  core::Rng rng(1);
  Db db;
  CHECK(!db.RandomKey(rng.Next()).has_value());
  Fill(&db, "{hot}", 900);  // one slot holds 90% of the keys
  Fill(&db, "spread:", 100);
  std::map<std::string, int> hits;
  const int draws = 50000;
  for (int i = 0; i < draws; ++i) ++hits[*db.RandomKey(rng.Next())];
  CHECK(hits.size() >= 990);
  int hot = 0;
  for (const auto& [k, n] : hits) hot += k.rfind("{hot}", 0) == 0 ? n : 0;
  CHECK(hot > draws * 0.88);
  CHECK(hot < draws * 0.92);
  int max_hits = 0;
  for (const auto& [k, n] : hits) max_hits = std::max(max_hits, n);
  CHECK(max_hits < 120);  // mean is 50
}

TEST_CASE("random key is deterministic for a given random word", "[keyspace]") {
  Db db;
  Fill(&db, "k", 100);
  CHECK(*db.RandomKey(12345) == *db.RandomKey(12345));
}

TEST_CASE("sample keys returns distinct keys, or all of them when asked for more", "[keyspace]") {
  core::Rng rng(3);
  Db db;
  std::vector<std::string> out{"stale"};
  db.SampleKeys(rng.Next(), 5, &out);
  CHECK(out.empty());
  Fill(&db, "k", 200);
  db.SampleKeys(rng.Next(), 16, &out);
  CHECK(out.size() == 16);
  CHECK(std::set<std::string>(out.begin(), out.end()).size() == 16);
  db.SampleKeys(rng.Next(), 500, &out);
  CHECK(out.size() == 200);
  CHECK(std::set<std::string>(out.begin(), out.end()).size() == 200);
}

TEST_CASE("sample expiring returns only keys with a TTL, with their expiry", "[keyspace]") {
  core::Rng rng(4);
  Db db;
  Fill(&db, "k", 300);
  for (int i = 0; i < 300; i += 10) db.SetExpire(Key("k", i), kNow + i);
  std::vector<std::pair<std::string, int64_t>> out;
  db.SampleExpiring(rng.Next(), 20, &out);
  REQUIRE(out.size() == 20);
  std::set<std::string> distinct;
  for (const auto& [k, when] : out) {
    CHECK(db.GetExpire(k) == when);
    distinct.insert(k);
  }
  CHECK(distinct.size() == 20);
  db.SampleExpiring(rng.Next(), 100, &out);
  CHECK(out.size() == 30);
}

TEST_CASE("active expire deletes expired keys and reports each one", "[keyspace]") {
  core::Rng rng(5);
  Db db;
  Fill(&db, "old:", 600);
  Fill(&db, "live:", 200);
  Fill(&db, "plain:", 200);
  for (int i = 0; i < 600; ++i) db.SetExpire(Key("old:", i), kNow - 1);
  for (int i = 0; i < 200; ++i) db.SetExpire(Key("live:", i), kNow + 1000);
  std::set<std::string> reported;
  auto on_expired = [&](const std::string& k) {
    CHECK(db.Peek(k, kNow - 10) == nullptr);  // already gone when reported
    CHECK(reported.insert(k).second);
  };
  size_t rounds = 0;
  while (db.ExpiresCount() > 200 && rounds < 1000) {
    ActiveExpireStats st = db.ActiveExpire(kNow, rng.Next(), 200, on_expired);
    CHECK(st.sampled <= 200);
    CHECK(st.expired <= st.sampled);
    ++rounds;
  }
  CHECK(db.ExpiresCount() == 200);
  CHECK(db.Size() == 400);
  CHECK(reported.size() == 600);
  for (const auto& k : reported) CHECK(k.rfind("old:", 0) == 0);
}

TEST_CASE("active expire stops after one sample when few keys are stale", "[keyspace]") {
  core::Rng rng(6);
  Db db;
  Fill(&db, "k", 1000);
  for (int i = 0; i < 1000; ++i) db.SetExpire(Key("k", i), kNow + 1000);
  int calls = 0;
  ActiveExpireStats st =
      db.ActiveExpire(kNow, rng.Next(), 10000, [&](const std::string&) { ++calls; });
  CHECK(st.sampled == 20);
  CHECK(st.expired == 0);
  CHECK(calls == 0);
  // Everything stale: it keeps going until max_checks.
  st = db.ActiveExpire(kNow + 2000, rng.Next(), 100, [&](const std::string&) { ++calls; });
  CHECK(st.sampled == 100);
  CHECK(st.expired == 100);
  CHECK(calls == 100);
  CHECK(db.Size() == 900);
}

TEST_CASE("active expire tolerates a callback that deletes other keys", "[keyspace]") {
  core::Rng rng(8);
  Db db;
  Fill(&db, "k", 100);
  for (int i = 0; i < 100; ++i) db.SetExpire(Key("k", i), kNow - 1);
  size_t reported = 0;
  db.ActiveExpire(kNow, rng.Next(), 1000, [&](const std::string&) {
    ++reported;
    std::optional<std::string> other = db.RandomKey(rng.Next());
    if (other) db.Delete(*other);
  });
  CHECK(reported + db.Size() <= 100);
  CHECK(db.ExpiresCount() == db.Size());
}

}  // namespace
}  // namespace tessera::keyspace
