// Whole-keyspace snapshots: WriteSnapshot then LoadSnapshot round trips, expiry, metadata and
// the refusal of bad files with an offset (rdb_snapshot.h).
#include "tessera/keyspace/rdb_snapshot.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tessera/keyspace/rdb_object.h"

namespace tessera::keyspace {
namespace {

constexpr int64_t kNowMs = 1'700'000'000'000;

// "k" + i, built so that GCC 12 does not warn (-Wrestrict false positive on operator+).
std::string Key(int i) {
  std::string k("k");
  k += std::to_string(i);
  return k;
}

std::string Save(const std::vector<Db>& dbs, SnapshotSaveOptions opts = {}) {
  std::vector<const Db*> ptrs;
  for (const Db& d : dbs) ptrs.push_back(&d);
  std::string out;
  size_t calls = 0;
  opts.now_ms = kNowMs;
  REQUIRE(WriteSnapshot(ptrs, opts, [&](std::string_view chunk) {
            out.append(chunk);
            ++calls;
            return absl::OkStatus();
          }).ok());
  CHECK(calls >= 1);
  return out;
}

SnapshotLoadOptions LoadOpts() {
  SnapshotLoadOptions o;
  o.now_ms = kNowMs;
  return o;
}

TEST_CASE("a snapshot of strings in several dbs loads back equal", "[rdb][snapshot]") {
  std::vector<Db> dbs(4);
  dbs[0].Set("a", Object(std::string("hello")));
  dbs[0].Set("n", Object(std::string("12345")));
  dbs[0].Set("big", Object(std::string(5000, 'x')));
  dbs[2].Set("ttl", Object(std::string("v")));
  dbs[2].SetExpire("ttl", kNowMs + 60'000);
  const std::string rdb = Save(dbs);
  CHECK(rdb.substr(0, 9) == "REDIS0010");

  std::vector<Db> back(4);
  auto st = LoadSnapshot(rdb, LoadOpts(), &back);
  REQUIRE(st.ok());
  CHECK(st->keys_loaded == 4);
  CHECK(st->version == 10);
  CHECK(back[0].Size() == 3);
  CHECK(back[1].Size() == 0);
  CHECK(back[0].Peek("a", kNowMs)->str() == "hello");
  CHECK(back[0].Peek("n", kNowMs)->EncodingName() == "int");
  CHECK(back[0].Peek("big", kNowMs)->str() == std::string(5000, 'x'));
  CHECK(back[2].GetExpire("ttl") == kNowMs + 60'000);
}

TEST_CASE("keys already expired are dropped by a master and kept by a replica", "[rdb][snapshot]") {
  std::vector<Db> dbs(1);
  dbs[0].Set("old", Object(std::string("v")));
  dbs[0].SetExpire("old", kNowMs - 1);
  dbs[0].Set("live", Object(std::string("v")));
  const std::string rdb = Save(dbs);

  std::vector<Db> master(1);
  auto st = LoadSnapshot(rdb, LoadOpts(), &master);
  REQUIRE(st.ok());
  CHECK(st->keys_loaded == 1);
  CHECK(st->keys_expired == 1);
  CHECK(master[0].Size() == 1);

  std::vector<Db> replica(1);
  SnapshotLoadOptions o = LoadOpts();
  o.drop_expired = false;
  REQUIRE(LoadSnapshot(rdb, o, &replica).ok());
  CHECK(replica[0].Size() == 2);
}

TEST_CASE("a truncated or corrupt snapshot fails naming the offset", "[rdb][snapshot]") {
  std::vector<Db> dbs(1);
  for (int i = 0; i < 50; ++i) dbs[0].Set(Key(i), Object(std::string("val")));
  const std::string rdb = Save(dbs);
  for (size_t cut : {size_t{3}, size_t{20}, rdb.size() / 2, rdb.size() - 1}) {
    std::vector<Db> back(1);
    auto st = LoadSnapshot(std::string_view(rdb).substr(0, cut), LoadOpts(), &back);
    REQUIRE_FALSE(st.ok());
    CHECK_THAT(std::string(st.status().message()), Catch::Contains("at offset"));
  }
  std::string bad = rdb;
  bad[bad.size() / 2] ^= 0x5A;
  std::vector<Db> back(1);
  auto st = LoadSnapshot(bad, LoadOpts(), &back);
  REQUIRE_FALSE(st.ok());
  CHECK_THAT(std::string(st.status().message()), Catch::Contains("at offset"));
}

TEST_CASE("a db index beyond the configured databases is refused", "[rdb][snapshot]") {
  std::vector<Db> dbs(8);
  dbs[7].Set("k", Object(std::string("v")));
  const std::string rdb = Save(dbs);
  std::vector<Db> back(4);
  auto st = LoadSnapshot(rdb, LoadOpts(), &back);
  REQUIRE_FALSE(st.ok());
  CHECK_THAT(std::string(st.status().message()), Catch::Contains("DB index 7 is out of range"));
}

TEST_CASE("a key present twice is refused unless merging", "[rdb][snapshot]") {
  std::vector<Db> dbs(1);
  dbs[0].Set("k", Object(std::string("from-file")));
  const std::string rdb = Save(dbs);
  std::vector<Db> back(1);
  back[0].Set("k", Object(std::string("current")));
  auto st = LoadSnapshot(rdb, LoadOpts(), &back);
  REQUIRE_FALSE(st.ok());
  CHECK_THAT(std::string(st.status().message()), Catch::Contains("duplicate key 'k'"));
  SnapshotLoadOptions merge = LoadOpts();
  merge.replace_existing = true;
  REQUIRE(LoadSnapshot(rdb, merge, &back).ok());
  CHECK(back[0].Peek("k", kNowMs)->str() == "from-file");
}

TEST_CASE("IDLE and FREQ are written under LRU and LFU policies and restored", "[rdb][snapshot]") {
  std::vector<Db> dbs(1);
  Object o(std::string("v"));
  o.lru = static_cast<uint32_t>(kNowMs / 1000 - 100);
  o.lfu_counter = 77;
  dbs[0].Set("k", std::move(o));
  SnapshotSaveOptions lru;
  lru.save_lru = true;
  std::vector<Db> back(1);
  REQUIRE(LoadSnapshot(Save(dbs, lru), LoadOpts(), &back).ok());
  CHECK(back[0].Peek("k", kNowMs)->lru == kNowMs / 1000 - 100);

  SnapshotSaveOptions lfu;
  lfu.save_lfu = true;
  std::vector<Db> back2(1);
  REQUIRE(LoadSnapshot(Save(dbs, lfu), LoadOpts(), &back2).ok());
  CHECK(back2[0].Peek("k", kNowMs)->lfu_counter == 77);
}

TEST_CASE("a sink error stops the snapshot and is returned", "[rdb][snapshot]") {
  std::vector<Db> dbs(1);
  for (int i = 0; i < 1000; ++i) dbs[0].Set(Key(i), Object(std::string(100, 'v')));
  SnapshotSaveOptions opts;
  opts.chunk_bytes = 1024;
  int calls = 0;
  absl::Status st = WriteSnapshot({&dbs[0]}, opts, [&](std::string_view) {
    ++calls;
    return absl::InternalError("disk full");
  });
  CHECK(st.message() == "disk full");
  CHECK(calls == 1);
}

TEST_CASE("string objects keep Redis's load-time encodings", "[rdb][adapter]") {
  auto load = [](std::string s) {
    auto o = FromRdbValue(RdbValue::String(std::move(s)), EncodingLimits{});
    REQUIRE(o.ok());
    return std::string(o->EncodingName());
  };
  CHECK(load("123") == "int");
  CHECK(load("0123") == "embstr");
  CHECK(load(std::string(44, 'a')) == "embstr");
  CHECK(load(std::string(45, 'a')) == "raw");
  CHECK(ToRdbValue(Object(std::string("abc"))) == RdbValue::String("abc"));
}

}  // namespace
}  // namespace tessera::keyspace
