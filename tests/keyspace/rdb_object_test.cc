// Object <-> RdbValue adapters: every type and encoding round-trips through a DUMP payload,
// values written by their in-memory encoding, and loaded with the encoding Redis 7.0 picks.
#include "tessera/keyspace/rdb_object.h"

#include <catch2/catch.hpp>
#include <string>

#include "keyspace/rdb_fixture_data.h"
#include "tessera/keyspace/dump.h"
#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/set.h"
#include "tessera/keyspace/zset.h"

namespace tessera::keyspace {
namespace {

// Redis 7.0.15's defaults (hash-max-listpack-entries is 512 there).
EncodingLimits Defaults() {
  EncodingLimits l;
  l.hash_max_listpack_entries = 512;
  return l;
}

std::string Name(std::string_view prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

Object ListOf(int n, size_t len = 3) {
  auto l = std::make_unique<ListValue>();
  for (int i = 0; i < n; ++i) l->PushBack(Name(std::string(len, 'e'), i), Defaults());
  return Object(std::move(l));
}

Object SetOf(const std::vector<std::string>& members) {
  auto s = std::make_unique<SetValue>();
  for (const auto& m : members) s->Add(m, Defaults());
  return Object(std::move(s));
}

Object ZSetOf(int n, size_t len = 2) {
  auto z = std::make_unique<ZSetValue>();
  ZSetLimits zl;
  for (int i = 0; i < n; ++i) z->Set(Name(std::string(len, 'm'), i), i * 0.5 - 3, zl);
  return Object(std::move(z));
}

Object HashOf(int n, size_t value_len = 2) {
  auto h = std::make_unique<HashValue>();
  for (int i = 0; i < n; ++i) h->Set(Name("f", i), std::string(value_len, 'v'), Defaults());
  return Object(std::move(h));
}

// DUMP then RESTORE through the adapters; checks value, encoding and the payload's type byte.
void RoundTrip(const Object& o, uint8_t want_type) {
  const std::string payload = CreateDumpPayload(ToRdbValue(o), SaveOptionsFor(o, {}));
  CHECK(static_cast<uint8_t>(payload[0]) == want_type);
  auto v = DecodeDumpPayload(payload);
  REQUIRE(v.ok());
  auto back = FromRdbValue(std::move(*v), Defaults());
  REQUIRE(back.ok());
  CHECK(back->type() == o.type());
  CHECK(back->EncodingName() == o.EncodingName());
  CHECK(ToRdbValue(*back) == ToRdbValue(o));
}

TEST_CASE("every type and encoding round-trips through the adapters", "[rdb][adapter]") {
  RoundTrip(Object(std::string("12345")), kRdbString);
  RoundTrip(Object(std::string(100, 'r')), kRdbString);
  RoundTrip(ListOf(3), kRdbListQuicklist2);
  RoundTrip(ListOf(5000, 20), kRdbListQuicklist2);
  RoundTrip(SetOf({"3", "-1", "100000"}), kRdbSetIntset);
  RoundTrip(SetOf({"a", "b", "1"}), kRdbSet);
  std::vector<std::string> many;
  for (int i = 0; i < 600; ++i) many.push_back(std::to_string(i));
  RoundTrip(SetOf(many), kRdbSet);
  RoundTrip(ZSetOf(10), kRdbZSetListpack);
  RoundTrip(ZSetOf(300), kRdbZSet2);
  RoundTrip(ZSetOf(3, 80), kRdbZSet2);
  RoundTrip(HashOf(10), kRdbHashListpack);
  RoundTrip(HashOf(600), kRdbHash);
  RoundTrip(HashOf(2, 100), kRdbHash);
}

TEST_CASE("a value is written by its in-memory encoding, not by its size", "[rdb][adapter]") {
  // Went to hashtable with a long value, then shrank: Redis still writes type 4.
  auto h = std::make_unique<HashValue>();
  h->Set("big", std::string(100, 'x'), Defaults());
  h->Delete("big");
  h->Set("f", "v", Defaults());
  Object ho(std::move(h));
  CHECK(ho.EncodingName() == "hashtable");
  CHECK(static_cast<uint8_t>(CreateDumpPayload(ToRdbValue(ho), SaveOptionsFor(ho, {}))[0]) ==
        kRdbHash);

  auto s = std::make_unique<SetValue>();
  s->Add("x", Defaults());
  s->Remove("x");
  s->Add("1", Defaults());
  Object so(std::move(s));
  CHECK(static_cast<uint8_t>(CreateDumpPayload(ToRdbValue(so), SaveOptionsFor(so, {}))[0]) ==
        kRdbSet);

  auto z = std::make_unique<ZSetValue>();
  z->ConvertToSkiplist();
  z->Set("m", 1, ZSetLimits{});
  Object zo(std::move(z));
  CHECK(static_cast<uint8_t>(CreateDumpPayload(ToRdbValue(zo), SaveOptionsFor(zo, {}))[0]) ==
        kRdbZSet2);
}

TEST_CASE("loading picks Redis's encodings whatever type the RDB used", "[rdb][adapter]") {
  auto load = [](RdbValue v, EncodingLimits l = Defaults()) {
    auto o = FromRdbValue(std::move(v), l);
    REQUIRE(o.ok());
    return std::string(o->EncodingName());
  };
  CHECK(load(testing::Hash({{"a", "1"}, {"b", "2"}})) == "listpack");
  CHECK(load(testing::Hash({{"a", std::string(65, 'x')}})) == "hashtable");
  CHECK(load(testing::Set({"1", "2", "3"})) == "intset");
  CHECK(load(testing::Set({"1", "x"})) == "hashtable");
  CHECK(load(testing::Set({"1", "01"})) == "hashtable");
  CHECK(load(testing::ZSet({{"a", 1}, {"b", 2}})) == "listpack");
  CHECK(load(testing::ZSet({{std::string(65, 'x'), 1}})) == "skiplist");
  CHECK(load(testing::List({"a"})) == "quicklist");
  EncodingLimits tight = Defaults();
  tight.set_max_intset_entries = 2;
  tight.hash_max_listpack_entries = 1;
  tight.zset_max_listpack_entries = 1;
  CHECK(load(testing::Set({"1", "2", "3"}), tight) == "hashtable");
  CHECK(load(testing::Hash({{"a", "1"}, {"b", "2"}}), tight) == "hashtable");
  CHECK(load(testing::ZSet({{"a", 1}, {"b", 2}}), tight) == "skiplist");
}

TEST_CASE("values Tessera cannot hold are refused", "[rdb][adapter]") {
  RdbValue stream;
  stream.kind = ObjKind::kStream;
  CHECK(absl::IsDataLoss(FromRdbValue(stream, Defaults()).status()));
  CHECK(!FromRdbValue(testing::Set({}), Defaults()).ok());
  CHECK(!FromRdbValue(testing::Set({"a", "a"}), Defaults()).ok());
  CHECK(!FromRdbValue(testing::Hash({{"f", "1"}, {"f", "2"}}), Defaults()).ok());
  CHECK(!FromRdbValue(testing::ZSet({{"m", 1}, {"m", 2}}), Defaults()).ok());
}

TEST_CASE("DUMP of a small list is byte-identical to Redis 7.0.15", "[rdb][adapter]") {
  auto l = std::make_unique<ListValue>();
  l->PushBack("a", Defaults());
  l->PushBack("b", Defaults());
  Object o(std::move(l));
  CHECK(CreateDumpPayload(ToRdbValue(o), SaveOptionsFor(o, {})) ==
        testing::Unhex("1201020d0d000000020081610281620"
                       "2ff0a0068eb0a891341bbb1"));
}

}  // namespace
}  // namespace tessera::keyspace
