// What tests/data/rdb/make_fixtures.py loads into redis-server 7.0.15, as the neutral values the
// RDB and DUMP readers must produce, plus helpers to read fixtures and compare values.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "tessera/keyspace/rdb_value.h"

namespace tessera::keyspace::testing {

inline std::filesystem::path RdbDataDir() {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "data" / "rdb";
}

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

struct Expected {
  RdbValue value;
  int64_t expire_ms = -1;
};

// Sets and hashes in hash-table encoding come out in Redis's arbitrary order: compare sorted.
inline RdbValue Normalized(RdbValue v) {
  std::sort(v.set.begin(), v.set.end());
  std::sort(v.hash.begin(), v.hash.end());
  std::sort(v.zset.begin(), v.zset.end());
  v.stream_raw.clear();  // compared separately
  return v;
}

// prefix + decimal i (appending avoids a GCC 12 -Wrestrict false positive on "lit" + string).
inline std::string Num(std::string prefix, int i) { return prefix.append(std::to_string(i)); }

inline RdbValue Str(std::string s) { return RdbValue::String(std::move(s)); }
inline RdbValue List(std::vector<std::string> l) {
  RdbValue v;
  v.kind = ObjKind::kList;
  v.list = std::move(l);
  return v;
}
inline RdbValue Set(std::vector<std::string> s) {
  RdbValue v;
  v.kind = ObjKind::kSet;
  v.set = std::move(s);
  return v;
}
inline RdbValue Hash(std::vector<std::pair<std::string, std::string>> h) {
  RdbValue v;
  v.kind = ObjKind::kHash;
  v.hash = std::move(h);
  return v;
}
inline RdbValue ZSet(std::vector<std::pair<std::string, double>> z) {
  RdbValue v;
  v.kind = ObjKind::kZSet;
  v.zset = std::move(z);
  return v;
}

// Key "<db>_<name>" -> value, exactly as make_fixtures.py builds them.
inline std::map<std::string, Expected> FixtureValues() {
  std::map<std::string, Expected> m;
  m["0_str"] = {Str("hello")};
  m["0_int8"] = {Str("100")};
  m["0_int16"] = {Str("12345")};
  m["0_int32"] = {Str("1234567890")};
  m["0_bigint"] = {Str("12345678901")};
  m["0_neg"] = {Str("-5")};
  m["0_notint"] = {Str("007")};
  m["0_lzf"] = {Str(std::string(92, 'a'))};
  std::string lzf2;
  for (int i = 0; i < 30; ++i) lzf2 += "abcdefghij";
  m["0_lzf2"] = {Str(lzf2)};
  m["0_plain30"] = {Str("0123456789abcdefghijklmnopqrst")};
  m["0_list_small"] = {List({"a", "b", "c", "1", "2", "-3", std::string(70, 'x')})};
  std::vector<std::string> big, varied;
  for (int i = 0; i < 5000; ++i) big.push_back(Num("item:", i));
  for (int i = 0; i < 400; ++i) varied.push_back(Num(std::string((i * 37) % 300, 'v'), i));
  m["0_list_big"] = {List(big)};
  m["0_list_varied"] = {List(varied)};
  m["0_hash_small"] = {Hash({{"f1", "v1"}, {"f2", "v2"}, {"fint", "42"}})};
  std::vector<std::pair<std::string, std::string>> hb;
  for (int i = 0; i < 600; ++i) hb.emplace_back(Num("field:", i), Num("value:", i));
  m["0_hash_big"] = {Hash(hb)};
  std::vector<std::pair<std::string, std::string>> hm;
  for (int i = 0; i < 300; ++i) hm.emplace_back(Num("k", i), std::to_string(i));
  m["0_hash_mid"] = {Hash(hm)};
  m["0_hash_longval"] = {Hash({{"f", std::string(100, 'x')}, {"g", "short"}})};
  m["0_set_int"] = {Set({"3", "1", "2", "-7", "70000"})};
  m["0_set_int64"] = {Set({"1", "5000000000"})};
  m["0_set_str"] = {Set({"x", "y", "z"})};
  std::vector<std::string> sb;
  for (int i = 0; i < 600; ++i) sb.push_back(std::to_string(i));
  m["0_set_bigint"] = {Set(sb)};
  m["0_zset_small"] = {
      ZSet({{"a", 1}, {"b", 2.5}, {"c", -3}, {"d", HUGE_VAL}, {"e", 1e20}, {"f", -0.5}})};
  std::vector<std::pair<std::string, double>> zb;
  for (int i = 0; i < 200; ++i) zb.emplace_back(Num("m", i), i * 0.5);
  m["0_zset_big"] = {ZSet(zb)};
  m["0_zset_longmember"] = {ZSet({{std::string(80, 'y'), 1}, {"short", 2}})};
  m["0_ttl_key"] = {Str("v"), 4102444800000};
  RdbValue stream;
  stream.kind = ObjKind::kStream;
  m["0_stream"] = {stream};
  m["1_db1key"] = {Str("one"), 4102444800001};
  m["1_db1list"] = {List({"1", "2", "3"})};
  m["5_db5set"] = {Set({"a", "b"})};
  for (auto& [k, e] : m) e.value = Normalized(e.value);
  return m;
}

inline constexpr std::string_view kFixtureFunction =
    "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)";

}  // namespace tessera::keyspace::testing
