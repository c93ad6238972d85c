// Object: OBJECT ENCODING names and MEMORY USAGE sizes, checked against redis-server 7.0.15.
#include "tessera/keyspace/object.h"

#include <catch2/catch.hpp>

#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/set.h"
#include "tessera/keyspace/zset.h"

namespace tessera::keyspace {
namespace {

std::string_view EncodingOf(std::string s, StringHint hint = StringHint::kAuto) {
  Object o(std::move(s), hint);
  return o.EncodingName();
}

TEST_CASE("canonical int64 strings are int-encoded, others embstr up to 44 bytes", "[keyspace]") {
  // Each pair was observed with SET k <v>; OBJECT ENCODING k on redis-server 7.0.15.
  CHECK(EncodingOf("123") == "int");
  CHECK(EncodingOf("0") == "int");
  CHECK(EncodingOf("-5") == "int");
  CHECK(EncodingOf("9223372036854775807") == "int");
  CHECK(EncodingOf("-9223372036854775808") == "int");
  CHECK(EncodingOf("0123") == "embstr");
  CHECK(EncodingOf("-0") == "embstr");
  CHECK(EncodingOf("+1") == "embstr");
  CHECK(EncodingOf(" 1") == "embstr");
  CHECK(EncodingOf("1 ") == "embstr");
  CHECK(EncodingOf("-") == "embstr");
  CHECK(EncodingOf("") == "embstr");
  CHECK(EncodingOf("9223372036854775808") == "embstr");
  CHECK(EncodingOf(std::string(44, 'x')) == "embstr");
  CHECK(EncodingOf(std::string(45, 'x')) == "raw");
}

TEST_CASE("string hints mimic APPEND, SETRANGE and INCRBYFLOAT", "[keyspace]") {
  CHECK(EncodingOf("12", StringHint::kRaw) == "raw");      // SET k 1; APPEND k 2
  CHECK(EncodingOf("3", StringHint::kNoInt) == "embstr");  // SET k 1; INCRBYFLOAT k 2
  CHECK(EncodingOf(std::string(45, '1'), StringHint::kNoInt) == "raw");
  Object o(std::string("1"));
  o.mutable_str() += "2";
  o.str_hint = StringHint::kRaw;
  CHECK(o.EncodingName() == "raw");
  Object moved(std::move(o));
  CHECK(moved.EncodingName() == "raw");
}

TEST_CASE("string memory usage follows Redis's jemalloc accounting", "[keyspace]") {
  // MEMORY USAGE k on 7.0.15 for key "k", minus the 32 bytes KeyMemoryUsage("k") reports.
  CHECK(KeyMemoryUsage("k", false) == 32);
  CHECK(Object(std::string("123")).MemoryUsage() + 32 == 48);
  CHECK(Object(std::string("0123")).MemoryUsage() + 32 == 64);
  CHECK(Object(std::string("9223372036854775808")).MemoryUsage() + 32 == 80);
  CHECK(Object(std::string(44, '1')).MemoryUsage() + 32 == 96);
  CHECK(Object(std::string(45, '1')).MemoryUsage() + 32 == 112);
  CHECK(Object(std::string(84, 'x')).MemoryUsage() + 32 == 144);
  // SET kkk...(36 k) 1 -> 88.
  CHECK(KeyMemoryUsage(std::string(36, 'k'), false) + Object(std::string("1")).MemoryUsage() == 88);
  // Cluster mode adds 16 bytes of slot-list links: SET k 123 -> 64.
  CHECK(KeyMemoryUsage("k", true) + Object(std::string("123")).MemoryUsage() == 64);
}

TEST_CASE("objects report their type and clone deeply", "[keyspace]") {
  Object s(std::string("hello"), StringHint::kRaw);
  s.lru = 77;
  Object c = s.Clone();
  CHECK(c.type() == ObjType::kString);
  CHECK(TypeName(c.type()) == "string");
  CHECK(c.str() == "hello");
  CHECK(c.EncodingName() == "raw");
  CHECK(c.lru == 77);
  c.mutable_str() = "bye";
  CHECK(s.str() == "hello");

  Object l(std::make_unique<ListValue>());
  CHECK(l.type() == ObjType::kList);
  CHECK(!l.is_string());
  CHECK(TypeName(l.type()) == "list");
  Object lc = l.Clone();
  CHECK(lc.type() == ObjType::kList);
  CHECK(&lc.list() != &l.list());
  CHECK(l.MemoryUsage() >= 16);
  CHECK(TypeName(ObjType::kHash) == "hash");
  CHECK(TypeName(ObjType::kZSet) == "zset");
  CHECK(TypeName(ObjType::kSet) == "set");
}

TEST_CASE("a default object is an empty string", "[keyspace]") {
  Object o;
  CHECK(o.is_string());
  CHECK(o.str().empty());
  CHECK(o.EncodingName() == "embstr");
}

}  // namespace
}  // namespace tessera::keyspace

namespace tessera::keyspace {
namespace {

TEST_CASE("strings keep their bytes in every form and across moves", "[keyspace]") {
  for (size_t n : {0, 1, 16, 17, 44, 600}) {
    std::string text(n, 'a');
    for (size_t i = 0; i < n; ++i) text[i] = static_cast<char>('a' + i % 26);
    Object o(text);
    CHECK(o.str() == text);
    Object moved(std::move(o));
    CHECK(moved.str() == text);
    CHECK(o.str().empty());  // NOLINT(bugprone-use-after-move): moved-from is an empty string
    Object assigned;
    assigned = std::move(moved);
    CHECK(assigned.str() == text);
    CHECK(assigned.Clone().str() == text);
  }
}

TEST_CASE("mutable_str edits in place and SetStr may take the Object's own bytes", "[keyspace]") {
  Object o(std::string_view("hello"));
  o.mutable_str().append(" world, and then some more");
  CHECK(o.str() == "hello world, and then some more");
  o.SetStr(o.str().substr(6, 5));
  CHECK(o.str() == "world");
  o.SetStr(std::string(40, 'x'));
  o.SetStr(o.str().substr(1));
  CHECK(o.str() == std::string(39, 'x'));
}

TEST_CASE("a large string moved in is taken over", "[keyspace]") {
  std::string big(100000, 'z');
  const char* data = big.data();
  Object o(std::move(big));
  CHECK(o.str().data() == data);
}

TEST_CASE("collections survive moves and clones", "[keyspace]") {
  Object h(ObjType::kHash);
  EncodingLimits limits;
  h.hash().Set("f", "v", limits);
  Object moved(std::move(h));
  CHECK(moved.type() == ObjType::kHash);
  CHECK(moved.hash().Get("f") == "v");
  Object copy = moved.Clone();
  moved.hash().Set("f", "w", limits);
  CHECK(copy.hash().Get("f") == "v");
  CHECK(moved.As<HashValue>().Get("f") == "w");
}

}  // namespace
}  // namespace tessera::keyspace
