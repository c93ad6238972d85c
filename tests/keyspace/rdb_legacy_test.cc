// Encodings 7.0.15 loads but never writes (types 1, 3, 9, 10, 12, 13, 14, 15), PLAIN quicklist
// nodes, and the key-scoped opcodes of older files (shared/spec/replication-rdb.md §5.5,
// §5.7-5.13).
#include <catch2/catch.hpp>

#include "keyspace/rdb_fixture_data.h"
#include "tessera/keyspace/crc64.h"
#include "tessera/keyspace/dump.h"
#include "tessera/keyspace/rdb_reader.h"

namespace tessera::keyspace {
namespace {

using testing::Unhex;

// Concatenation by appending (GCC 12 warns falsely about "lit" + std::string).
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (out.append(parts), ...);
  return out;
}

std::string Le(uint64_t v, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return s;
}

// type + body + version 10 + CRC: a payload RESTORE accepts.
std::string Dump(uint8_t type, const std::string& body) {
  std::string p = Cat(std::string(1, static_cast<char>(type)), body, Le(10, 2));
  return Cat(p, Le(Crc64(0, p), 8));
}

std::string Str(const std::string& s) {
  return Cat(std::string(1, static_cast<char>(s.size())), s);
}

// A ziplist of short strings (test encoder: 6-bit string entries only).
std::string Ziplist(const std::vector<std::string>& items) {
  std::string body;
  size_t prev = 0, last = 10;
  for (const auto& it : items) {
    last = 10 + body.size();
    std::string e = Cat(std::string(1, static_cast<char>(prev)), Str(it));
    body += e;
    prev = e.size();
  }
  const size_t total = 10 + body.size() + 1;
  return Cat(Le(total, 4), Le(last, 4), Le(items.size(), 2), body, "\xff");
}

TEST_CASE("legacy list, zset and hash encodings decode", "[rdb][legacy]") {
  auto plain = DecodeDumpPayload(Unhex("0102017801790a0060f63c332f848d79"));
  REQUIRE(plain.ok());
  CHECK(plain->list == std::vector<std::string>{"x", "y"});

  auto zl = DecodeDumpPayload(Dump(kRdbListZiplist, Str(Ziplist({"a", "b"}))));
  REQUIRE(zl.ok());
  CHECK(zl->list == std::vector<std::string>{"a", "b"});

  auto ql = DecodeDumpPayload(
      Dump(kRdbListQuicklist, Cat("\x02", Str(Ziplist({"a"})), Str(Ziplist({"b", "c"})))));
  REQUIRE(ql.ok());
  CHECK(ql->list == std::vector<std::string>{"a", "b", "c"});

  auto z3 = DecodeDumpPayload(
      Dump(kRdbZSet, Cat("\x03", Str("a"), Str("1.5"), Str("b"), "\xfe", Str("c"), "\xff")));
  REQUIRE(z3.ok());
  CHECK(z3->zset ==
        std::vector<std::pair<std::string, double>>{{"a", 1.5}, {"b", HUGE_VAL}, {"c", -HUGE_VAL}});
  CHECK(!DecodeDumpPayload(Dump(kRdbZSet, Cat("\x01", Str("a"), "\xfd"))).ok());  // NaN

  auto z12 = DecodeDumpPayload(Dump(kRdbZSetZiplist, Str(Ziplist({"a", "1", "b", "2.5"}))));
  REQUIRE(z12.ok());
  CHECK(z12->zset == std::vector<std::pair<std::string, double>>{{"a", 1}, {"b", 2.5}});
  CHECK(!DecodeDumpPayload(Dump(kRdbZSetZiplist, Str(Ziplist({"a", "x"})))).ok());  // bad score

  auto h13 = DecodeDumpPayload(Dump(kRdbHashZiplist, Str(Ziplist({"f", "v", "g", "w"}))));
  REQUIRE(h13.ok());
  CHECK(h13->hash == std::vector<std::pair<std::string, std::string>>{{"f", "v"}, {"g", "w"}});
  CHECK(!DecodeDumpPayload(Dump(kRdbHashZiplist, Str(Ziplist({"f", "v", "f", "w"})))).ok());
  CHECK(!DecodeDumpPayload(Dump(kRdbHashZiplist, Str(Ziplist({"f", "v", "g"})))).ok());

  const std::string zm = Cat(Unhex("0203"), "foo", Unhex("0300"), "bar", Unhex("05"), "hello",
                             Unhex("0500"), "world", Unhex("ff"));
  auto h9 = DecodeDumpPayload(Dump(kRdbHashZipmap, Str(zm)));
  REQUIRE(h9.ok());
  CHECK(h9->hash ==
        std::vector<std::pair<std::string, std::string>>{{"foo", "bar"}, {"hello", "world"}});
}

TEST_CASE("a PLAIN quicklist node holds one element", "[rdb]") {
  auto v = DecodeDumpPayload(Dump(
      kRdbListQuicklist2, Cat("\x02\x01", Str("big"), "\x02", Str(Unhex("0a0000000100816302ff")))));
  REQUIRE(v.ok());
  CHECK(v->list == std::vector<std::string>{"big", "c"});
  CHECK(
      !DecodeDumpPayload(Dump(kRdbListQuicklist2, Cat("\x01\x03", Str("x")))).ok());  // container 3
}

TEST_CASE("duplicates and empty collections are refused in DUMP payloads", "[rdb]") {
  CHECK(!DecodeDumpPayload(Dump(kRdbSet, Cat("\x02", Str("a"), Str("a")))).ok());
  CHECK(!DecodeDumpPayload(Dump(kRdbSet, std::string(1, '\0'))).ok());
  CHECK(
      !DecodeDumpPayload(Dump(kRdbHash, Cat("\x02", Str("f"), Str("1"), Str("f"), Str("2")))).ok());
  CHECK(!DecodeDumpPayload(Dump(kRdbZSet2, Cat("\x02", Str("m"), Le(0, 8), Str("m"), Le(0, 8))))
             .ok());
  CHECK(!DecodeDumpPayload(Dump(kRdbModule2, std::string(1, '\0'))).ok());
  CHECK(!DecodeDumpPayload(Dump(8, std::string(1, '\0'))).ok());
}

// The stream of §5.13 (one entry 1-1 f v, no groups), in the type-15 layout.
const std::string kStreamNode = Unhex(
    "0110000000000000000100000000000000011d1d0000000a00010100010101816602000102010001000181760204"
    "01ff");

TEST_CASE("streams are kept raw and written back verbatim", "[rdb][stream]") {
  const std::string v15 = Cat(kStreamNode, Unhex("01"
                                                 "0101"
                                                 "00"));
  auto s15 = DecodeDumpPayload(Dump(kRdbStreamListpacks, v15));
  REQUIRE(s15.ok());
  CHECK(s15->kind == ObjKind::kStream);
  CHECK(s15->stream_type == kRdbStreamListpacks);
  CHECK(s15->stream_raw == v15);
  CHECK(CreateDumpPayload(*s15) == Dump(kRdbStreamListpacks, v15));
  const std::string v19 = Cat(kStreamNode, Unhex("01"
                                                 "0101"
                                                 "0101"
                                                 "0000"
                                                 "01"
                                                 "00"));
  auto s19 = DecodeDumpPayload(Dump(kRdbStreamListpacks2, v19));
  REQUIRE(s19.ok());
  CHECK(s19->stream_raw == v19);
  // A node key that is not 16 bytes, and a truncated group list, are refused.
  std::string bad = v19;
  bad[1] = 0x0f;
  CHECK(!DecodeDumpPayload(Dump(kRdbStreamListpacks2, bad)).ok());
  CHECK(!DecodeDumpPayload(Dump(kRdbStreamListpacks2, Cat(v19.substr(0, v19.size() - 1), "\x01")))
             .ok());
}

std::string Rdb(std::string version, const std::string& body, bool crc) {
  std::string f = Cat("REDIS", version, body, "\xff");
  if (crc) f += Le(Crc64(0, f), 8);
  return f;
}

TEST_CASE("key-scoped opcodes of older files attach to the next key", "[rdb]") {
  const std::string nul(1, '\0');
  const std::string body = Cat("\xfe\x03\xfd", Le(2000000000, 4), "\xf8\x05\xf9\x07", nul, Str("k"),
                               Str("v"), nul, Str("k2"), Str("w"));
  auto r = ReadRdb(Rdb("0009", body, true));
  REQUIRE(r.ok());
  REQUIRE(r->entries.size() == 2);
  CHECK(r->entries[0].db == 3);
  CHECK(r->entries[0].expire_ms == 2000000000000);
  CHECK(r->entries[0].lru_idle_s == 5);
  CHECK(r->entries[0].lfu_freq == 7);
  CHECK(r->entries[1].expire_ms == -1);
  CHECK(r->entries[1].lfu_freq == -1);
  auto v4 = ReadRdb(
      Rdb("0004", Cat(std::string(1, '\0'), Str("k"), Str("v")), false));  // no CRC before v5
  REQUIRE(v4.ok());
  CHECK(v4->entries.size() == 1);
  CHECK(!ReadRdb(Rdb("0010", "\xf7\x01", true)).ok());  // module aux
}

TEST_CASE("an empty collection in an RDB is skipped with its expiry", "[rdb]") {
  const std::string nul(1, '\0');
  const std::string body =
      Cat("\xfc", Le(1, 8), "\x02", Str("empty"), nul, nul, Str("k"), Str("v"));
  auto r = ReadRdb(Rdb("0010", body, true));
  REQUIRE(r.ok());
  REQUIRE(r->entries.size() == 1);
  CHECK(r->entries[0].key == "k");
  CHECK(r->entries[0].expire_ms == -1);
}

}  // namespace
}  // namespace tessera::keyspace
