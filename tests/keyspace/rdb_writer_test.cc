// RDB writer: 7.0.15's encoding choices and thresholds, streaming, and loadability by
// redis-check-rdb (shared/spec/replication-rdb.md §5.3, §5.6, §5.17).
#include "tessera/keyspace/rdb_writer.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>

#include "keyspace/rdb_fixture_data.h"
#include "tessera/keyspace/dump.h"
#include "tessera/keyspace/rdb_reader.h"

namespace tessera::keyspace {
namespace {

using testing::FixtureValues;
using testing::Normalized;
using testing::Num;
using testing::Unhex;

uint8_t TypeOf(const RdbValue& v, RdbSaveOptions opts = {}) {
  return static_cast<uint8_t>(CreateDumpPayload(v, opts)[0]);
}

// The serialized value without type byte and DUMP footer.
std::string Body(const RdbValue& v, RdbSaveOptions opts = {}) {
  std::string p = CreateDumpPayload(v, opts);
  return p.substr(1, p.size() - 11);
}

TEST_CASE("strings use int8/16/32 encodings only where redis does", "[rdb][writer]") {
  CHECK(Body(testing::Str("0")) == Unhex("c000"));
  CHECK(Body(testing::Str("-128")) == Unhex("c080"));
  CHECK(Body(testing::Str("12345")) == Unhex("c13930"));
  CHECK(Body(testing::Str("-2147483648")) == Unhex("c200000080"));
  CHECK(Body(testing::Str("2147483648")) == Unhex("0a") + "2147483648");
  CHECK(Body(testing::Str("007")) == Unhex("03") + "007");
  CHECK(Body(testing::Str("-0")) == Unhex("02") + "-0");
  CHECK(Body(testing::Str("+1")) == Unhex("02") + "+1");
}

TEST_CASE("strings over 20 bytes are LZF-compressed only when it saves 4 bytes", "[rdb][writer]") {
  const std::string a92(92, 'a');
  CHECK(static_cast<uint8_t>(Body(testing::Str(a92))[0]) == 0xC3);
  RdbSaveOptions off;
  off.compression = false;
  CHECK(Body(testing::Str(a92), off) == Unhex("405c") + a92);
  CHECK(Body(testing::Str(std::string(20, 'a'))) == Unhex("14") + std::string(20, 'a'));
  const std::string varied = "0123456789abcdefghijklmnopqrst";
  CHECK(Body(testing::Str(varied)) == Unhex("1e") + varied);
}

TEST_CASE("collections switch encodings at the 7.0.15 default thresholds", "[rdb][writer]") {
  std::vector<std::pair<std::string, std::string>> h;
  for (int i = 0; i < 512; ++i) h.emplace_back(Num("f", i), "v");
  CHECK(TypeOf(testing::Hash(h)) == kRdbHashListpack);
  h.emplace_back("one-more", "v");
  CHECK(TypeOf(testing::Hash(h)) == kRdbHash);
  CHECK(TypeOf(testing::Hash({{"f", std::string(64, 'x')}})) == kRdbHashListpack);
  CHECK(TypeOf(testing::Hash({{"f", std::string(65, 'x')}})) == kRdbHash);
  CHECK(TypeOf(testing::Hash({{std::string(65, 'x'), "v"}})) == kRdbHash);

  std::vector<std::pair<std::string, double>> z;
  for (int i = 0; i < 128; ++i) z.emplace_back(Num("m", i), i);
  CHECK(TypeOf(testing::ZSet(z)) == kRdbZSetListpack);
  z.emplace_back("one-more", 0);
  CHECK(TypeOf(testing::ZSet(z)) == kRdbZSet2);
  CHECK(TypeOf(testing::ZSet({{std::string(65, 'x'), 1}})) == kRdbZSet2);

  std::vector<std::string> s;
  for (int i = 0; i < 512; ++i) s.push_back(std::to_string(i * 3 - 700));
  CHECK(TypeOf(testing::Set(s)) == kRdbSetIntset);
  s.push_back("100000");
  CHECK(TypeOf(testing::Set(s)) == kRdbSet);
  CHECK(TypeOf(testing::Set({"1", "x"})) == kRdbSet);
  CHECK(TypeOf(testing::Set({"1", "01"})) == kRdbSet);
  CHECK(TypeOf(testing::List({"a"})) == kRdbListQuicklist2);
}

TEST_CASE("listpack zset scores follow redis's number formatting", "[rdb][writer]") {
  RdbSaveOptions off;
  off.compression = false;
  // Sorted by score then member; 1 is an integer entry, 0.1 is "%.17g" text, -0 stays "-0".
  const std::string body = Body(testing::ZSet({{"b", 0.1}, {"a", 1}, {"c", -0.0}}), off);
  auto v =
      DecodeDumpPayload(CreateDumpPayload(testing::ZSet({{"b", 0.1}, {"a", 1}, {"c", -0.0}}), off));
  REQUIRE(v.ok());
  CHECK(v->zset[0].first == "c");
  CHECK(v->zset[1] == std::pair<std::string, double>{"b", 0.1});
  CHECK(v->zset[2] == std::pair<std::string, double>{"a", 1});
  CHECK(body.find("0.10000000000000001") != std::string::npos);
  CHECK(body.find(Unhex("822d30")) != std::string::npos);  // "-0" as a 2-byte string entry
}

std::vector<std::pair<std::string, testing::Expected>> Sample() {
  std::vector<std::pair<std::string, testing::Expected>> out;
  for (auto& [name, e] : FixtureValues()) {
    if (e.value.kind == ObjKind::kStream) continue;  // raw-only; covered by the golden tests
    out.emplace_back(name, e);
  }
  return out;
}

std::string WriteSample(RdbSaveOptions opts, bool drain_often) {
  RdbWriter w(opts);
  std::string out;
  w.Begin();
  RdbAuxInfo aux;
  aux.ctime_s = 1700000000;
  aux.used_mem = 1000000;
  aux.repl_id = std::string(40, 'a');
  aux.repl_offset = 14;
  w.StandardAux(aux);
  w.Function(testing::kFixtureFunction);
  uint64_t db = ~uint64_t{0};
  for (const auto& [name, e] : Sample()) {
    const uint64_t key_db = std::stoull(name.substr(0, 1));
    if (key_db != db) {
      db = key_db;
      w.SelectDb(db);
      w.ResizeDb(10, 1);
    }
    w.Entry(name.substr(2), e.value, e.expire_ms);
    if (drain_often) out += w.Drain();
  }
  w.Finish();
  return out + w.Drain();
}

TEST_CASE("the writer's RDB reads back to the same values, drained or not", "[rdb][writer]") {
  for (bool compression : {true, false}) {
    RdbSaveOptions opts;
    opts.compression = compression;
    const std::string rdb = WriteSample(opts, false);
    CHECK(WriteSample(opts, true) == rdb);
    auto r = ReadRdb(rdb);
    REQUIRE(r.ok());
    CHECK(r->eof.verified);
    REQUIRE(r->aux.size() == 8);
    CHECK(r->aux[4].key == "repl-stream-db");
    CHECK(r->aux[5].value == std::string(40, 'a'));
    CHECK(r->aux[6].value == "14");
    CHECK(r->aux[7].key == "aof-base");
    auto sample = Sample();
    REQUIRE(r->entries.size() == sample.size());
    for (size_t i = 0; i < sample.size(); ++i) {
      INFO(sample[i].first);
      CHECK(std::to_string(r->entries[i].db) + "_" + r->entries[i].key == sample[i].first);
      CHECK(Normalized(r->entries[i].value) == sample[i].second.value);
      CHECK(r->entries[i].expire_ms == sample[i].second.expire_ms);
    }
  }
}

TEST_CASE("redis-check-rdb accepts the writer's RDB", "[rdb][writer][interop]") {
  const char* tool = "/usr/bin/redis-check-rdb";
  if (access(tool, X_OK) != 0) {
    WARN("redis-check-rdb not installed; skipped");
    return;
  }
  const auto path = std::filesystem::temp_directory_path() /
                    ("tessera-rdb-writer-" + std::to_string(getpid()) + ".rdb");
  {
    std::ofstream f(path, std::ios::binary);
    f << WriteSample(RdbSaveOptions{}, false);
  }
  const std::string cmd = std::string(tool) + " " + path.string() + " 2>&1";
  std::string output;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) output += buf;
  const int rc = pclose(p);
  std::filesystem::remove(path);
  INFO(output);
  CHECK(rc == 0);
  CHECK_THAT(output, Catch::Contains("RDB looks OK"));
}

}  // namespace
}  // namespace tessera::keyspace
