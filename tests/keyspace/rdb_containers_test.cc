// Listpack, intset, ziplist and zipmap blobs (shared/spec/replication-rdb.md §5.9-5.12, §7).
#include <catch2/catch.hpp>

#include "keyspace/rdb_fixture_data.h"
#include "tessera/keyspace/intset.h"
#include "tessera/keyspace/listpack.h"
#include "tessera/keyspace/ziplist.h"

namespace tessera::keyspace {
namespace {

using testing::Unhex;

// The bytes of one element inside a one-element listpack (header and terminator stripped).
std::string EntryBytes(std::string_view element) {
  std::string lp = ListpackEncode({std::string(element)});
  return lp.substr(6, lp.size() - 7);
}

TEST_CASE("listpack integer and string encodings match redis 7.0.15", "[rdb][listpack]") {
  CHECK(ListpackEncode({}) == Unhex("070000000000ff"));
  CHECK(EntryBytes("-1") == Unhex("dfff02"));
  CHECK(EntryBytes("127") == Unhex("7f01"));
  CHECK(EntryBytes("128") == Unhex("c08002"));
  CHECK(EntryBytes("-4096") == Unhex("d00002"));
  CHECK(EntryBytes("4095") == Unhex("cfff02"));
  CHECK(EntryBytes("5000") == Unhex("f1881303"));
  CHECK(EntryBytes("-32768") == Unhex("f1008003"));
  CHECK(EntryBytes("70000") == Unhex("f270110104"));
  CHECK(EntryBytes("-8388608") == Unhex("f200008004"));
  CHECK(EntryBytes("2147483647") == Unhex("f3ffffff7f05"));
  CHECK(EntryBytes("-2147483648") == Unhex("f30000008005"));
  CHECK(EntryBytes("1099511627776") == Unhex("f4000000000001000009"));
  CHECK(EntryBytes("-9223372036854775808") == Unhex("f4000000000000008009"));
  CHECK(EntryBytes("007") == Unhex("8330303704"));
  CHECK(EntryBytes("+5") == Unhex("822b3503"));
  CHECK(EntryBytes(std::string(70, 'x')) == Unhex("e046") + std::string(70, 'x') + Unhex("48"));
  // Entry size 200 -> two-byte backlen 01 C8 (§5.9).
  CHECK(EntryBytes(std::string(198, 'y')).substr(200) == Unhex("01c8"));
}

TEST_CASE("listpack decodes what it encodes, for every size class", "[rdb][listpack]") {
  std::vector<std::string> items = {"",
                                    "0",
                                    "-0",
                                    "9223372036854775807",
                                    "9223372036854775808",
                                    std::string(63, 'a'),
                                    std::string(64, 'b'),
                                    std::string(4095, 'c'),
                                    std::string(4096, 'd'),
                                    std::string(20000, 'e')};
  for (int i = -70000; i < 70000; i += 997) items.push_back(std::to_string(i));
  auto back = ListpackDecode(ListpackEncode(items));
  REQUIRE(back.ok());
  CHECK(*back == items);
}

TEST_CASE("listpack refuses bad headers, entries and counts", "[rdb][listpack]") {
  CHECK(!ListpackDecode(Unhex("070000000000")).ok());          // too short
  CHECK(!ListpackDecode(Unhex("08000000000000ff")).ok());      // size mismatch
  CHECK(!ListpackDecode(Unhex("0700000000000a")).ok());        // no terminator
  CHECK(!ListpackDecode(Unhex("0900000002007f01ff")).ok());    // count 2, one entry
  CHECK(!ListpackDecode(Unhex("0900000001007f02ff")).ok());    // wrong backlen
  CHECK(!ListpackDecode(Unhex("090000000100f500ff")).ok());    // invalid encoding
  CHECK(!ListpackDecode(Unhex("0a0000000100850102ff")).ok());  // string past end
  auto scan = ListpackDecode(Unhex("09000000ffff7f01ff"));
  REQUIRE(scan.ok());
  CHECK(*scan == std::vector<std::string>{"127"});
}

TEST_CASE("intset encodes with the smallest width, sorted, and checks order", "[rdb][intset]") {
  CHECK(IntsetEncode({3, 1, 2}) == Unhex("0200000003000000010002000300"));
  CHECK(IntsetEncode({70000, 1}).substr(0, 4) == Unhex("04000000"));
  CHECK(IntsetEncode({5000000000, 1}).substr(0, 4) == Unhex("08000000"));
  auto v = IntsetDecode(Unhex("0200000003000000010002000300"));
  REQUIRE(v.ok());
  CHECK(*v == std::vector<int64_t>{1, 2, 3});
  auto neg = IntsetDecode(IntsetEncode({-5, INT64_MIN, INT64_MAX}));
  REQUIRE(neg.ok());
  CHECK(*neg == std::vector<int64_t>{INT64_MIN, -5, INT64_MAX});
  CHECK(!IntsetDecode(Unhex("020000000200000002")).ok());        // short
  CHECK(!IntsetDecode(Unhex("020000000200000002000100")).ok());  // out of order
  CHECK(!IntsetDecode(Unhex("0300000001000000010000")).ok());    // bad width
  CHECK(!IntsetDecode(Unhex("0200000000000000")).ok());          // empty
  CHECK(!IntsetDecode(Unhex("02000000ffffffff0100")).ok());      // length past blob
}

TEST_CASE("ziplist decodes the spec example and every entry encoding", "[rdb][ziplist]") {
  auto v = ZiplistDecode(Unhex("0f0000000c000000020000f302f6ff"));
  REQUIRE(v.ok());
  CHECK(*v == std::vector<std::string>{"2", "5"});
  // "ab", int8 -2, int16 300, int24 -70000, int32 2^30, int64 2^40, immediate 12.
  std::string blob(10, '\0');
  blob += Unhex("00026162") + Unhex("04fefe") + Unhex("03c02c01") + Unhex("04f090eefe") +
          Unhex("05d000000040") + Unhex("06e00000000000010000") + Unhex("0afd") + Unhex("ff");
  auto put32 = [&](size_t at, uint32_t v32) {
    for (int i = 0; i < 4; ++i) blob[at + i] = static_cast<char>((v32 >> (8 * i)) & 0xFF);
  };
  put32(0, static_cast<uint32_t>(blob.size()));
  put32(4, static_cast<uint32_t>(blob.size() - 3));  // the last entry is "0a fd"
  blob[8] = 7;
  auto all = ZiplistDecode(blob);
  REQUIRE(all.ok());
  CHECK(*all ==
        std::vector<std::string>{"ab", "-2", "300", "-70000", "1073741824", "1099511627776", "12"});
  std::string bad_prevlen = blob;
  bad_prevlen[14] = 5;
  CHECK(!ZiplistDecode(bad_prevlen).ok());
  std::string bad_tail = blob;
  bad_tail[4] = 0;
  CHECK(!ZiplistDecode(bad_tail).ok());
  std::string bad_count = blob;
  bad_count[8] = 6;
  CHECK(!ZiplistDecode(bad_count).ok());
}

TEST_CASE("zipmap decodes the spec example and refuses truncation", "[rdb][zipmap]") {
  std::string b = Unhex("0203") + "foo" + Unhex("0300") + "bar" + Unhex("05") + "hello" +
                  Unhex("0500") + "world" + Unhex("ff");
  auto v = ZipmapDecode(b);
  REQUIRE(v.ok());
  CHECK(*v == std::vector<std::pair<std::string, std::string>>{{"foo", "bar"}, {"hello", "world"}});
  for (size_t n = 0; n < b.size(); ++n) CHECK(!ZipmapDecode(b.substr(0, n)).ok());
}

}  // namespace
}  // namespace tessera::keyspace
