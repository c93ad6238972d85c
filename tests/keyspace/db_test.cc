// Db basics: set/get, TTL rules, lazy expiry, counts, slot views, Clear/Swap/Take.
#include "tessera/keyspace/db.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "tessera/core/rng.h"
#include "tessera/core/slot.h"

namespace tessera::keyspace {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

// "prefix" + std::to_string(i) trips GCC 12's -Wrestrict false positive; this does not.
std::string Key(std::string_view prefix, uint64_t i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

Object Str(std::string s) { return Object(std::move(s)); }

TEST_CASE("set, find and overwrite a string key", "[keyspace]") {
  Db db;
  CHECK(db.Size() == 0);
  CHECK(db.Find("a", kNow) == nullptr);
  db.Set("a", Str("1"));
  REQUIRE(db.Find("a", kNow) != nullptr);
  CHECK(db.Find("a", kNow)->str() == "1");
  db.Set("a", Str("2"));
  CHECK(db.Find("a", kNow)->str() == "2");
  CHECK(db.Size() == 1);
  db.Find("a", kNow)->mutable_str() += "x";
  CHECK(db.Peek("a", kNow)->str() == "2x");
  CHECK(db.Exists("a", kNow));
  CHECK(!db.Exists("b", kNow));
}

TEST_CASE("binary and empty keys are distinct keys", "[keyspace]") {
  Db db;
  db.Set("", Str("empty"));
  db.Set(std::string("a\0b", 3), Str("nul"));
  db.Set("a", Str("a"));
  CHECK(db.Size() == 3);
  CHECK(db.Find("", kNow)->str() == "empty");
  CHECK(db.Find(std::string("a\0b", 3), kNow)->str() == "nul");
  CHECK(db.Find("a", kNow)->str() == "a");
}

TEST_CASE("overwriting drops the TTL unless keep_ttl", "[keyspace]") {
  Db db;
  db.Set("k", Str("v"));
  db.SetExpire("k", kNow + 1000);
  CHECK(db.GetExpire("k") == kNow + 1000);
  CHECK(db.ExpiresCount() == 1);
  db.Set("k", Str("w"), /*keep_ttl=*/true);
  CHECK(db.GetExpire("k") == kNow + 1000);
  CHECK(db.ExpiresCount() == 1);
  db.Set("k", Str("x"));
  CHECK(db.GetExpire("k") == -1);
  CHECK(db.ExpiresCount() == 0);
  CHECK(db.GetExpire("missing") == -1);
}

TEST_CASE("persist removes a TTL and reports whether there was one", "[keyspace]") {
  Db db;
  db.Set("k", Str("v"));
  CHECK(!db.Persist("k"));
  db.SetExpire("k", kNow + 10);
  db.SetExpire("k", kNow + 20);
  CHECK(db.ExpiresCount() == 1);
  CHECK(db.GetExpire("k") == kNow + 20);
  CHECK(db.Persist("k"));
  CHECK(db.ExpiresCount() == 0);
  CHECK(!db.Persist("missing"));
}

TEST_CASE("find expires lazily while peek never deletes", "[keyspace]") {
  Db db;
  db.Set("k", Str("v"));
  db.SetExpire("k", kNow);
  // Redis: a key is expired only once now > when.
  CHECK(db.Peek("k", kNow) != nullptr);
  CHECK(db.Find("k", kNow) != nullptr);
  CHECK(db.Peek("k", kNow + 1) == nullptr);
  CHECK(db.Size() == 1);
  CHECK(db.ExpiresCount() == 1);
  CHECK(db.Find("k", kNow + 1) == nullptr);
  CHECK(db.Size() == 0);
  CHECK(db.ExpiresCount() == 0);
}

TEST_CASE("find-or-insert creates once and replaces an expired key", "[keyspace]") {
  Db db;
  bool inserted = false;
  Object& o = db.FindOrInsert("k", kNow, &inserted);
  CHECK(inserted);
  o.mutable_str() = std::string("v");
  CHECK(&db.FindOrInsert("k", kNow, &inserted) == &o);
  CHECK(!inserted);
  db.SetExpire("k", kNow);
  Object& fresh = db.FindOrInsert("k", kNow + 1, &inserted);
  CHECK(inserted);
  CHECK(fresh.str().empty());
  CHECK(db.GetExpire("k") == -1);
  CHECK(db.Size() == 1);
}

TEST_CASE("delete and take remove keys and their TTL", "[keyspace]") {
  Db db;
  db.Set("a", Str("1"));
  db.Set("b", Str("2"));
  db.SetExpire("b", kNow + 5);
  CHECK(db.Delete("a"));
  CHECK(!db.Delete("a"));
  int64_t when = 0;
  std::optional<Object> v = db.Take("b", &when);
  REQUIRE(v.has_value());
  CHECK(v->str() == "2");
  CHECK(when == kNow + 5);
  CHECK(db.Size() == 0);
  CHECK(db.ExpiresCount() == 0);
  CHECK(!db.Take("b", &when).has_value());
  CHECK(when == -1);
}

TEST_CASE("slot views count, list and delete the keys of one slot", "[keyspace]") {
  Db db;
  const int slot = core::KeySlot("{user}");
  for (int i = 0; i < 100; ++i) db.Set(Key("{user}", i), Str("v"));
  db.Set("other", Str("v"));
  db.SetExpire("{user}7", kNow + 100);
  db.SetExpire("other", kNow + 100);
  CHECK(db.CountKeysInSlot(slot) == 100);
  CHECK(db.CountKeysInSlot(-1) == 0);
  CHECK(db.CountKeysInSlot(core::kSlots) == 0);
  CHECK(db.KeysInSlot(slot, 10).size() == 10);
  std::vector<std::string> all = db.KeysInSlot(slot, 1000);
  CHECK(std::set<std::string>(all.begin(), all.end()).size() == 100);
  CHECK(db.DeleteSlot(slot) == 100);
  CHECK(db.CountKeysInSlot(slot) == 0);
  CHECK(db.Size() == 1);
  CHECK(db.ExpiresCount() == 1);
  CHECK(db.GetExpire("other") == kNow + 100);
  CHECK(db.DeleteSlot(slot) == 0);
}

TEST_CASE("clear and swap exchange whole keyspaces", "[keyspace]") {
  Db a, b;
  a.Set("x", Str("1"));
  a.SetExpire("x", kNow + 1);
  b.Set("y", Str("2"));
  b.Set("z", Str("3"));
  a.Swap(b);
  CHECK(a.Size() == 2);
  CHECK(a.ExpiresCount() == 0);
  CHECK(b.Size() == 1);
  CHECK(b.ExpiresCount() == 1);
  CHECK(b.Find("x", kNow)->str() == "1");
  Db c(std::move(a));
  CHECK(c.Find("y", kNow)->str() == "2");
  CHECK(a.Size() == 0);  // NOLINT: moved-from is empty by contract
  c.Clear();
  CHECK(c.Size() == 0);
  CHECK(c.Find("y", kNow) == nullptr);
  c.Set("again", Str("ok"));
  CHECK(c.Find("again", kNow)->str() == "ok");
  b = std::move(c);
  CHECK(b.Size() == 1);
  CHECK(b.ExpiresCount() == 0);
}

TEST_CASE("a large single slot keeps working past 2^16 buckets", "[keyspace]") {
  // One hash tag puts every key in one table, which then hashes keys again to find homes.
  Db db;
  const int n = 70000;
  for (int i = 0; i < n; ++i) db.Set(Key("{t}", i), Str("v"));
  CHECK(db.CountKeysInSlot(core::KeySlot("{t}")) == size_t(n));
  for (int i = 0; i < n; i += 2) REQUIRE(db.Delete(Key("{t}", i)));
  for (int i = 0; i < n; ++i) {
    REQUIRE((db.Peek(Key("{t}", i), kNow) != nullptr) == (i % 2 == 1));
  }
  CHECK(db.Size() == size_t(n / 2));
}

TEST_CASE("random operations agree with a simple model", "[keyspace]") {
  core::Rng rng(42);
  Db db;
  std::map<std::string, std::pair<std::string, int64_t>> model;  // value, expiry
  int64_t now = kNow;
  for (int step = 0; step < 20000; ++step) {
    std::string key = Key("k", rng.Uniform(300));
    auto it = model.find(key);
    bool live = it != model.end() && (it->second.second < 0 || now <= it->second.second);
    switch (rng.Uniform(6)) {
      case 0: {
        std::string v = std::to_string(step);
        db.Set(key, Str(v));
        model[key] = {v, -1};
        break;
      }
      case 1:
        CHECK(db.Delete(key) == (it != model.end()));
        if (it != model.end()) model.erase(it);
        break;
      case 2:
        if (it != model.end()) {
          int64_t when = now + static_cast<int64_t>(rng.Uniform(50));
          db.SetExpire(key, when);
          it->second.second = when;
        }
        break;
      case 3: {
        Object* o = db.Find(key, now);
        REQUIRE((o != nullptr) == live);
        if (live) CHECK(o->str() == it->second.first);
        if (!live && it != model.end()) model.erase(it);
        break;
      }
      case 4:
        now += static_cast<int64_t>(rng.Uniform(5));
        break;
      case 5:
        CHECK(db.Persist(key) == (it != model.end() && it->second.second >= 0));
        if (it != model.end()) it->second.second = -1;
        break;
    }
    REQUIRE(db.Size() == model.size());
  }
  size_t with_ttl = 0;
  for (const auto& [k, v] : model) {
    with_ttl += v.second >= 0;
    CHECK(db.GetExpire(k) == v.second);
  }
  CHECK(db.ExpiresCount() == with_ttl);
}

}  // namespace
}  // namespace tessera::keyspace
