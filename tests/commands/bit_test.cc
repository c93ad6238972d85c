// Bit commands on an Engine: replies checked against redis-server 7.0.15, plus what the
// differential script cannot see (limits from EngineOptions, RESP3, dirty counts).
#include <catch2/catch.hpp>
#include <string>

#include "commands/fixture.h"

using tessera::commands::EngineOptions;
using tessera::commands::testing::EngineFixture;

TEST_CASE("SETBIT grows the string with zeros and returns the old bit", "[commands][bits]") {
  EngineFixture f;
  CHECK(f.Cmd("SETBIT k 7 1") == ":0\r\n");
  CHECK(f.Cmd("SETBIT k 7 1") == ":1\r\n");
  CHECK(f.Cmd("SETBIT k 17 1") == ":0\r\n");
  CHECK(f.Run({"GET", "k"}) == std::string("$3\r\n\x01\x00\x40\r\n", 9));
  CHECK(f.Cmd("GETBIT k 17") == ":1\r\n");
  CHECK(f.Cmd("GETBIT k 16") == ":0\r\n");
  CHECK(f.Cmd("GETBIT k 1000") == ":0\r\n");
  CHECK(f.Cmd("GETBIT missing 0") == ":0\r\n");
  CHECK(f.Cmd("SETBIT k 0 2") == "-ERR bit is not an integer or out of range\r\n");
  CHECK(f.Cmd("SETBIT k -1 1") == "-ERR bit offset is not an integer or out of range\r\n");
  CHECK(f.Cmd("SETBIT k 4294967296 1") == "-ERR bit offset is not an integer or out of range\r\n");
  CHECK(f.Cmd("GETBIT k 4294967295") == ":0\r\n");
}

TEST_CASE("bit offsets are limited by proto-max-bulk-len", "[commands][bits]") {
  EngineOptions o;
  o.proto_max_bulk_len = 4;
  EngineFixture f(o);
  const std::string bad = "-ERR bit offset is not an integer or out of range\r\n";
  CHECK(f.Cmd("SETBIT k 31 1") == ":0\r\n");
  CHECK(f.Cmd("SETBIT k 32 1") == bad);
  CHECK(f.Cmd("GETBIT k 32") == bad);
  CHECK(f.Cmd("BITFIELD k GET u8 24") == "*1\r\n:1\r\n");
  CHECK(f.Cmd("BITFIELD k GET u8 #3") == "*1\r\n:1\r\n");
  CHECK(f.Cmd("BITFIELD k GET u8 #4") == bad);
  // A field may start in the last allowed byte and run past it.
  CHECK(f.Cmd("BITFIELD k SET u16 31 65535") == "*1\r\n:32768\r\n");
  CHECK(f.Cmd("STRLEN k") == ":6\r\n");
}

TEST_CASE("BITCOUNT counts bytes or bits in a range", "[commands][bits]") {
  EngineFixture f;
  f.Cmd("SET k foobar");
  CHECK(f.Cmd("BITCOUNT k") == ":26\r\n");
  CHECK(f.Cmd("BITCOUNT k 1 1") == ":6\r\n");
  CHECK(f.Cmd("BITCOUNT k 5 30 BIT") == ":17\r\n");
  CHECK(f.Cmd("BITCOUNT k -1 -3") == ":0\r\n");
  CHECK(f.Cmd("BITCOUNT k 0") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("BITCOUNT missing a b") == ":0\r\n");
}

TEST_CASE("BITPOS finds the first set or clear bit", "[commands][bits]") {
  EngineFixture f;
  f.Run({"SET", "k", std::string("\xff\xf0\x00", 3)});
  CHECK(f.Cmd("BITPOS k 0") == ":12\r\n");
  CHECK(f.Cmd("BITPOS k 1 2") == ":-1\r\n");
  CHECK(f.Cmd("BITPOS k 0 7 15 BIT") == ":12\r\n");
  f.Run({"SET", "ones", std::string("\xff\xff", 2)});
  CHECK(f.Cmd("BITPOS ones 0") == ":16\r\n");  // the zeros that follow the string
  CHECK(f.Cmd("BITPOS ones 0 0 -1") == ":-1\r\n");
  CHECK(f.Cmd("BITPOS missing 0") == ":0\r\n");
  CHECK(f.Cmd("BITPOS missing 1") == ":-1\r\n");
  CHECK(f.Cmd("BITPOS k 2") == "-ERR The bit argument must be 1 or 0.\r\n");
  // A long run exercises the word-at-a-time scan.
  std::string zeros(1000, '\0');
  zeros[999] = 1;
  f.Run({"SET", "z", zeros});
  CHECK(f.Cmd("BITPOS z 1") == ":7999\r\n");
  CHECK(f.Cmd("BITPOS z 1 3 998") == ":-1\r\n");
  CHECK(f.Cmd("BITCOUNT z") == ":1\r\n");
}

TEST_CASE("BITOP combines strings padded with zeros", "[commands][bits]") {
  EngineFixture f;
  f.Run({"SET", "a", std::string("\xff\x0f", 2)});
  f.Run({"SET", "b", std::string("\x0f\xff\xaa", 3)});
  CHECK(f.Cmd("BITOP AND d a b") == ":3\r\n");
  CHECK(f.Run({"GET", "d"}) == std::string("$3\r\n\x0f\x0f\x00\r\n", 9));
  CHECK(f.Cmd("BITOP OR d a b") == ":3\r\n");
  CHECK(f.Run({"GET", "d"}) == std::string("$3\r\n\xff\xff\xaa\r\n", 9));
  CHECK(f.Cmd("BITOP XOR d a b") == ":3\r\n");
  CHECK(f.Run({"GET", "d"}) == std::string("$3\r\n\xf0\xf0\xaa\r\n", 9));
  CHECK(f.Cmd("BITOP NOT d a") == ":2\r\n");
  CHECK(f.Run({"GET", "d"}) == std::string("$2\r\n\x00\xf0\r\n", 8));
  CHECK(f.Cmd("BITOP NOT d a b") == "-ERR BITOP NOT must be called with a single source key.\r\n");
  CHECK(f.Cmd("BITOP NAND d a") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("BITOP AND d x y") == ":0\r\n");
  CHECK(f.Cmd("GET d") == "$-1\r\n");
}

TEST_CASE("BITFIELD reads and writes fields with WRAP, SAT and FAIL", "[commands][bits]") {
  EngineFixture f;
  CHECK(f.Cmd("BITFIELD k SET i8 0 -100 GET u8 0 GET i4 0") == "*3\r\n:0\r\n:156\r\n:-7\r\n");
  CHECK(f.Cmd("BITFIELD k INCRBY u8 0 200") == "*1\r\n:100\r\n");
  CHECK(f.Cmd("BITFIELD k OVERFLOW SAT INCRBY u8 0 200 INCRBY i8 0 -300") ==
        "*2\r\n:255\r\n:-128\r\n");
  CHECK(f.Cmd("BITFIELD k OVERFLOW FAIL INCRBY u8 0 1 GET u8 0") == "*2\r\n:129\r\n:129\r\n");
  CHECK(f.Cmd("BITFIELD k OVERFLOW FAIL INCRBY u8 0 200 GET u8 0") == "*2\r\n$-1\r\n:129\r\n");
  // Redis quirks: a negative unsigned SET saturates to max, and so does a signed SET far
  // below min.
  CHECK(f.Cmd("BITFIELD k OVERFLOW SAT SET u8 0 -5 GET u8 0") == "*2\r\n:129\r\n:255\r\n");
  CHECK(f.Cmd("BITFIELD k OVERFLOW SAT SET i8 0 -9223372036854775808 GET i8 0") ==
        "*2\r\n:-1\r\n:127\r\n");
  CHECK(f.Cmd("BITFIELD k OVERFLOW SAT SET i8 0 -129 GET i8 0") == "*2\r\n:127\r\n:-128\r\n");
  CHECK(f.Cmd("BITFIELD k SET i64 0 9223372036854775807 INCRBY i64 0 1") ==
        "*2\r\n:-9223372036854775808\r\n:-9223372036854775808\r\n");
  CHECK(f.Cmd("BITFIELD k GET u64 0") ==
        "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported "
        "but i64 is.\r\n");
  CHECK(f.Cmd("BITFIELD k OVERFLOW MAYBE") == "-ERR Invalid OVERFLOW type specified\r\n");
  CHECK(f.Cmd("BITFIELD_RO k GET u8 0 SET u8 0 1") ==
        "-ERR BITFIELD_RO only supports the GET subcommand\r\n");
  CHECK(f.Cmd("BITFIELD_RO missing GET i8 100") == "*1\r\n:0\r\n");
  f.client->proto = 3;
  CHECK(f.Cmd("BITFIELD k OVERFLOW FAIL INCRBY i64 0 -1") == "*1\r\n_\r\n");
}

TEST_CASE("BITFIELD counts one change per field it alters", "[commands][bits]") {
  EngineFixture f;
  f.Cmd("BITFIELD k SET u8 0 1");
  uint64_t dirty = f.engine.stats().dirty;
  CHECK(f.Cmd("BITFIELD k SET u8 0 1 SET u8 0 2 INCRBY u4 0 1") == "*3\r\n:1\r\n:1\r\n:1\r\n");
  CHECK(f.engine.stats().dirty == dirty + 2);
  CHECK(f.Cmd("BITFIELD k OVERFLOW FAIL INCRBY u1 0 5") == "*1\r\n$-1\r\n");
  CHECK(f.engine.stats().dirty == dirty + 2);
}
