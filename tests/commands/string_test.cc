// String commands on an Engine: what the differential scripts cannot see (encodings, TTLs,
// WATCH/dirty bookkeeping, WRONGTYPE, RESP3, proto-max-bulk-len) plus the main replies.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "commands/fixture.h"
#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/set.h"
#include "tessera/keyspace/zset.h"

using namespace std::chrono_literals;
using tessera::commands::EngineOptions;
using tessera::commands::testing::EngineFixture;
using tessera::commands::testing::Encoding;
using tessera::keyspace::ListValue;
using tessera::keyspace::Object;

namespace {

constexpr int64_t kNow = 1'700'000'000'000;  // ManualClock's default unix ms


int64_t Expire(EngineFixture& f, std::string_view key) { return f.engine.db(0).GetExpire(key); }

void PutList(EngineFixture& f, std::string_view key) {
  f.engine.db(0).Set(key, Object(std::make_unique<ListValue>()));
}

}  // namespace

TEST_CASE("SET and GET store and return values, with NX, XX and GET", "[commands][strings]") {
  EngineFixture f;
  CHECK(f.Cmd("SET k v") == "+OK\r\n");
  CHECK(f.Cmd("GET k") == "$1\r\nv\r\n");
  CHECK(f.Cmd("GET missing") == "$-1\r\n");
  CHECK(f.Cmd("SET k w NX") == "$-1\r\n");
  CHECK(f.Cmd("SET k w XX GET") == "$1\r\nv\r\n");
  CHECK(f.Cmd("SET n w XX") == "$-1\r\n");
  CHECK(f.Cmd("GET n") == "$-1\r\n");
  CHECK(f.Cmd("SET k v NX XX") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("SET k v EX 10 PX 10") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("SET k v EX 0") == "-ERR invalid expire time in 'set' command\r\n");
  CHECK(f.Cmd("SETEX k -1 v") == "-ERR invalid expire time in 'setex' command\r\n");
  CHECK(f.Cmd("PSETEX k 0 v") == "-ERR invalid expire time in 'psetex' command\r\n");
  CHECK(f.Cmd("GETEX k EX 0") == "-ERR invalid expire time in 'getex' command\r\n");
  CHECK(f.Cmd("SET k v EX abc") == "-ERR value is not an integer or out of range\r\n");
}

TEST_CASE("SET's expire options set absolute unix ms expiries", "[commands][strings][ttl]") {
  EngineFixture f;
  CHECK(f.Cmd("SET k v EX 10") == "+OK\r\n");
  CHECK(Expire(f, "k") == kNow + 10'000);
  CHECK(f.Cmd("SET k v PX 1500") == "+OK\r\n");
  CHECK(Expire(f, "k") == kNow + 1'500);
  CHECK(f.Cmd("SET k v EXAT 1800000000") == "+OK\r\n");
  CHECK(Expire(f, "k") == 1'800'000'000'000);
  CHECK(f.Cmd("SET k v PXAT 1800000000123") == "+OK\r\n");
  CHECK(Expire(f, "k") == 1'800'000'000'123);
  CHECK(f.Cmd("SET k w KEEPTTL") == "+OK\r\n");
  CHECK(Expire(f, "k") == 1'800'000'000'123);
  CHECK(f.Cmd("SET k w") == "+OK\r\n");
  CHECK(Expire(f, "k") == -1);
  // The relative forms overflow int64 once now is added.
  CHECK(f.Cmd("SET k v PX 9223372036854775807") == "-ERR invalid expire time in 'set' command\r\n");
  CHECK(f.Cmd("SET k v EX 9223372036854775") == "-ERR invalid expire time in 'set' command\r\n");
  CHECK(f.Cmd("SETEX s 5 v") == "+OK\r\n");
  CHECK(Expire(f, "s") == kNow + 5'000);
  CHECK(f.Cmd("PSETEX p 5 v") == "+OK\r\n");
  CHECK(Expire(f, "p") == kNow + 5);
  f.Advance(5ms);
  CHECK(f.Cmd("GET p") == "$1\r\nv\r\n");  // expired only when now > expiry
  f.Advance(1ms);
  CHECK(f.Cmd("GET p") == "$-1\r\n");
}

TEST_CASE("SET with a time already past deletes the key but replies OK",
          "[commands][strings][ttl]") {
  EngineFixture f;
  CHECK(f.Cmd("SET k v") == "+OK\r\n");
  CHECK(f.Cmd("SET k v EXAT 1") == "+OK\r\n");
  CHECK(f.engine.db(0).Size() == 0);
  CHECK(f.Cmd("SET k v") == "+OK\r\n");
  CHECK(f.Cmd("GETEX k PXAT 1") == "$1\r\nv\r\n");
  CHECK(f.engine.db(0).Size() == 0);
}

TEST_CASE("GETEX sets, replaces and removes the expiry", "[commands][strings][ttl]") {
  EngineFixture f;
  CHECK(f.Cmd("SET k v") == "+OK\r\n");
  CHECK(f.Cmd("GETEX k EX 100") == "$1\r\nv\r\n");
  CHECK(Expire(f, "k") == kNow + 100'000);
  CHECK(f.Cmd("GETEX k") == "$1\r\nv\r\n");
  CHECK(Expire(f, "k") == kNow + 100'000);
  CHECK(f.Cmd("GETEX k PERSIST") == "$1\r\nv\r\n");
  CHECK(Expire(f, "k") == -1);
  CHECK(f.Cmd("GETEX k PERSIST EX 1") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("GETEX missing EX -1") == "$-1\r\n");
}

TEST_CASE("counters and APPEND keep the TTL, GETSET and MSET drop it", "[commands][strings][ttl]") {
  EngineFixture f;
  for (const char* cmd : {"INCR c", "INCRBYFLOAT c 1.5", "APPEND c 0", "SETRANGE c 0 9",
                          "SETBIT c 0 1", "BITFIELD c SET u8 8 1"}) {
    CHECK(f.Cmd("SET c 1 EX 100") == "+OK\r\n");
    f.Cmd(cmd);
    INFO(cmd);
    CHECK(Expire(f, "c") == kNow + 100'000);
  }
  for (const char* cmd : {"GETSET c 1", "MSET c 1", "SET c 1", "BITOP NOT c c"}) {
    CHECK(f.Cmd("SET c 1 EX 100") == "+OK\r\n");
    f.Cmd(cmd);
    INFO(cmd);
    CHECK(Expire(f, "c") == -1);
  }
}

TEST_CASE("OBJECT ENCODING follows Redis's int/embstr/raw choices", "[commands][strings]") {
  EngineFixture f;
  f.Cmd("SET i 12345");
  CHECK(Encoding(f, "i") == "int");
  f.Cmd("SET e 0123");
  CHECK(Encoding(f, "e") == "embstr");
  f.Run({"SET", "r", std::string(45, 'x')});
  CHECK(Encoding(f, "r") == "raw");
  f.Cmd("APPEND i 6");
  CHECK(Encoding(f, "i") == "raw");
  f.Cmd("APPEND new 7");
  CHECK(Encoding(f, "new") == "int");
  f.Cmd("INCR i");
  CHECK(Encoding(f, "i") == "int");
  f.Cmd("INCRBYFLOAT fl 3");
  CHECK(Encoding(f, "fl") == "embstr");
  f.Cmd("SETRANGE sr 0 5");
  CHECK(Encoding(f, "sr") == "raw");
  f.Cmd("MSET m1 5 m2 abc");
  CHECK(Encoding(f, "m1") == "int");
  CHECK(Encoding(f, "m2") == "embstr");
  f.Cmd("GETSET m2 7");
  CHECK(Encoding(f, "m2") == "int");
  f.Cmd("SETEX x 10 8");
  CHECK(Encoding(f, "x") == "int");
  f.Cmd("SETBIT b 0 0");
  CHECK(Encoding(f, "b") == "raw");
  f.Cmd("SET b2 1");
  f.Cmd("GETBIT b2 0");
  CHECK(Encoding(f, "b2") == "int");
  f.Cmd("SETBIT b2 0 0");  // unchanged, yet Redis unshares it to raw
  CHECK(Encoding(f, "b2") == "raw");
  f.Cmd("BITOP OR bo m1");
  CHECK(Encoding(f, "bo") == "raw");
}

TEST_CASE("every string command answers WRONGTYPE on another type", "[commands][strings]") {
  EngineFixture f;
  PutList(f, "l");
  const std::string wrong =
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  for (const char* cmd : {"GET l",
                          "SET l v GET",
                          "GETSET l v",
                          "GETDEL l",
                          "GETEX l",
                          "GETEX l EX 10",
                          "APPEND l x",
                          "STRLEN l",
                          "GETRANGE l 0 1",
                          "SUBSTR l 0 1",
                          "SETRANGE l 0 x",
                          "INCR l",
                          "DECR l",
                          "INCRBY l 1",
                          "DECRBY l 1",
                          "INCRBYFLOAT l 1",
                          "INCRBYFLOAT l abc",
                          "SETBIT l 0 1",
                          "GETBIT l 0",
                          "BITCOUNT l",
                          "BITPOS l 1",
                          "BITOP AND d l",
                          "BITFIELD l GET u8 0",
                          "BITFIELD l SET u8 0 1",
                          "BITFIELD_RO l GET u8 0"}) {
    INFO(cmd);
    CHECK(f.Cmd(cmd) == wrong);
  }
  CHECK(f.Run({"SETRANGE", "l", "0", ""}) == wrong);
  CHECK(f.Cmd("MGET l") == "*1\r\n$-1\r\n");
  CHECK(f.Cmd("SET l v NX") == "$-1\r\n");
  CHECK(f.Cmd("LCS l x") == "-ERR The specified keys must contain string values\r\n");
  CHECK(f.Cmd("MSETNX l 1 z 2") == ":0\r\n");
  // Plain SET, MSET and BITOP's destination overwrite any type.
  CHECK(f.Cmd("SET l v") == "+OK\r\n");
  CHECK(f.Cmd("GET l") == "$1\r\nv\r\n");
  PutList(f, "l");
  CHECK(f.Cmd("BITOP NOT l l2") == ":0\r\n");
  CHECK(f.Cmd("GET l") == "$-1\r\n");  // an empty result deletes the destination
}

TEST_CASE("failed writes create nothing and leave values alone", "[commands][strings]") {
  EngineFixture f;
  CHECK(f.Cmd("INCRBY c abc") == "-ERR value is not an integer or out of range\r\n");
  CHECK(f.Cmd("INCRBYFLOAT c abc") == "-ERR value is not a valid float\r\n");
  CHECK(f.Run({"SETRANGE", "c", "0", ""}) == ":0\r\n");
  CHECK(f.engine.db(0).Size() == 0);
  f.Cmd("SET c 9223372036854775807");
  CHECK(f.Cmd("INCR c") == "-ERR increment or decrement would overflow\r\n");
  CHECK(f.Cmd("GET c") == "$19\r\n9223372036854775807\r\n");
  CHECK(f.Cmd("INCRBYFLOAT big 1e4932") != "");
  CHECK(f.Cmd("INCRBYFLOAT big 1e4932") == "-ERR increment would produce NaN or Infinity\r\n");
}

TEST_CASE("string writes touch WATCHed keys and count as dirty", "[commands][strings]") {
  EngineFixture f;
  auto* other = f.NewClient();
  for (const char* cmd :
       {"SET w 1",         "SETNX w 1",      "SETEX w 10 1",  "PSETEX w 10 1",
        "GETSET w 1",      "GETDEL w",       "GETEX w EX 10", "GETEX w PERSIST",
        "MSET w 1",        "MSETNX w 1",     "APPEND w 1",    "SETRANGE w 0 1",
        "INCR w",          "DECR w",         "INCRBY w 2",    "DECRBY w 2",
        "INCRBYFLOAT w 1", "SETBIT w 100 1", "BITOP OR w x",  "BITFIELD w INCRBY u8 0 1"}) {
    INFO(cmd);
    f.Cmd("SET x 1");
    if (std::string(cmd).find("GET") == 0 || std::string(cmd) == "GETEX w PERSIST") {
      f.Cmd("SET w 2 EX 100");
    }
    if (std::string(cmd).find("MSETNX") == 0 || std::string(cmd).find("SETNX") == 0) {
      f.Run({"GETDEL", "w"});
    }
    CHECK(f.Run(other, {"WATCH", "w"}) == "+OK\r\n");
    uint64_t dirty = f.engine.stats().dirty;
    f.Cmd(cmd);
    CHECK(f.engine.stats().dirty > dirty);
    CHECK(f.Run(other, {"MULTI"}) == "+OK\r\n");
    CHECK(f.Run(other, {"PING"}) == "+QUEUED\r\n");
    CHECK(f.Run(other, {"EXEC"}) == "*-1\r\n");
  }
}

TEST_CASE("reads and no-op writes leave WATCHed keys alone", "[commands][strings]") {
  EngineFixture f;
  auto* other = f.NewClient();
  f.Cmd("SET w 1");
  for (const char* cmd : {"GET w", "SETNX w 2", "SET w 2 NX", "SET w 3 XX EX 0", "GETEX w",
                          "GETEX w PERSIST", "APPEND w2 x", "GETBIT w 0", "BITCOUNT w",
                          "SETBIT w 2 1", "BITFIELD w SET u2 0 0", "LCS w w"}) {
    INFO(cmd);
    CHECK(f.Run(other, {"WATCH", "w"}) == "+OK\r\n");
    f.Run(std::vector<std::string>(absl::StrSplit(cmd, ' ')));
    CHECK(f.Run(other, {"MULTI"}) == "+OK\r\n");
    CHECK(f.Run(other, {"PING"}) == "+QUEUED\r\n");
    CHECK(f.Run(other, {"EXEC"}) == "*1\r\n+PONG\r\n");
  }
  CHECK(f.Run(other, {"WATCH", "w"}) == "+OK\r\n");
  CHECK(f.Run({"SETRANGE", "w", "0", ""}) == ":1\r\n");
  CHECK(f.Run(other, {"MULTI"}) == "+OK\r\n");
  CHECK(f.Run(other, {"EXEC"}) == "*0\r\n");
}

TEST_CASE("proto-max-bulk-len limits APPEND, SETRANGE and LCS", "[commands][strings]") {
  EngineOptions o;
  o.proto_max_bulk_len = 10;
  EngineFixture f(o);
  const std::string too_long = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";
  CHECK(f.Cmd("APPEND a 12345") == ":5\r\n");
  CHECK(f.Cmd("APPEND a 12345") == ":10\r\n");
  CHECK(f.Cmd("APPEND a 1") == too_long);
  CHECK(f.Cmd("SETRANGE s 9 x") == ":10\r\n");
  CHECK(f.Cmd("SETRANGE s 10 x") == too_long);
  CHECK(f.Cmd("SETRANGE t 10 x") == too_long);
  CHECK(f.Run({"SETRANGE", "t", "100", ""}) == ":0\r\n");
  CHECK(f.Cmd("LCS x y") == "$0\r\n\r\n");  // (0+1)*(0+1)*4 = 4 bytes
  CHECK(f.Cmd("SET x ab") == "+OK\r\n");
  CHECK(f.Cmd("LCS x y") ==
        "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n");
}

TEST_CASE("RESP3 replies use nulls and maps", "[commands][strings]") {
  EngineFixture f;
  f.client->proto = 3;
  CHECK(f.Cmd("GET missing") == "_\r\n");
  CHECK(f.Cmd("SET k v XX") == "_\r\n");
  CHECK(f.Cmd("MSET a ohmytext b mynewtext") == "+OK\r\n");
  CHECK(f.Cmd("MGET a missing") == "*2\r\n$8\r\nohmytext\r\n_\r\n");
  CHECK(f.Cmd("LCS a b IDX MINMATCHLEN 4 WITHMATCHLEN") ==
        "%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
        "$3\r\nlen\r\n:6\r\n");
  CHECK(f.Cmd("INCRBYFLOAT fl 10.5") == "$4\r\n10.5\r\n");
  CHECK(f.Cmd("INCRBYFLOAT fl 0.1") == "$4\r\n10.6\r\n");
}

TEST_CASE("INCRBYFLOAT prints Redis's long double text", "[commands][strings]") {
  EngineFixture f;
  CHECK(f.Cmd("INCRBYFLOAT a 0.1") == "$3\r\n0.1\r\n");
  CHECK(f.Cmd("INCRBYFLOAT a 0.2") == "$3\r\n0.3\r\n");
  CHECK(f.Cmd("INCRBYFLOAT b 1e20") == "$21\r\n100000000000000000000\r\n");
  CHECK(f.Cmd("INCRBYFLOAT c -0.0") == "$1\r\n0\r\n");
  CHECK(f.Cmd("INCRBYFLOAT d 1.23456789012345678901") == "$19\r\n1.23456789012345679\r\n");
  CHECK(f.Cmd("INCRBYFLOAT e 5.0e3") == "$4\r\n5000\r\n");
  CHECK(f.Cmd("INCRBYFLOAT e inf") == "-ERR increment would produce NaN or Infinity\r\n");
  CHECK(f.Cmd("INCRBYFLOAT e 1e5000") == "-ERR value is not a valid float\r\n");
}

TEST_CASE("GETRANGE, SETRANGE and APPEND follow Redis's index rules", "[commands][strings]") {
  EngineFixture f;
  f.Cmd("SET s Hello");
  CHECK(f.Cmd("GETRANGE s 0 -100") == "$1\r\nH\r\n");
  CHECK(f.Cmd("GETRANGE s -1 -5") == "$0\r\n\r\n");
  CHECK(f.Cmd("GETRANGE s -100 1") == "$2\r\nHe\r\n");
  CHECK(f.Cmd("SETRANGE s 7 !") == ":8\r\n");
  CHECK(f.Run({"GET", "s"}) == std::string("$8\r\nHello\0\0!\r\n", 14));
  CHECK(f.Cmd("SETRANGE s -1 x") == "-ERR offset is out of range\r\n");
  CHECK(f.Cmd("APPEND s ?") == ":9\r\n");
  CHECK(f.Cmd("STRLEN s") == ":9\r\n");
}

TEST_CASE("MSET and MSETNX need key/value pairs; MSETNX is all or nothing", "[commands][strings]") {
  EngineFixture f;
  CHECK(f.Cmd("MSET a 1 b") == "-ERR wrong number of arguments for 'mset' command\r\n");
  CHECK(f.Cmd("MSETNX a 1 b") == "-ERR wrong number of arguments for 'msetnx' command\r\n");
  CHECK(f.Cmd("MSETNX a 1 b 2") == ":1\r\n");
  CHECK(f.Cmd("MSETNX b 3 c 4") == ":0\r\n");
  CHECK(f.Cmd("MGET a b c") == "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
  CHECK(f.Cmd("DECRBY a -9223372036854775808") == "-ERR decrement would overflow\r\n");
}
