// Key expiry: the EXPIRE family's 7.0 rules, TTL replies, and lazy and active expiry driven by a
// ManualClock.
#include <catch2/catch.hpp>
#include <string>

#include "commands/fixture.h"

using namespace std::chrono_literals;
using tessera::commands::testing::EngineFixture;

TEST_CASE("EXPIRE sets a TTL that TTL and PTTL report, rounded like Redis", "[expire]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  CHECK(f.Cmd("TTL a") == ":-1\r\n");
  CHECK(f.Cmd("TTL nosuch") == ":-2\r\n");
  CHECK(f.Cmd("PTTL nosuch") == ":-2\r\n");
  CHECK(f.Cmd("EXPIRE a 10") == ":1\r\n");
  CHECK(f.Cmd("PTTL a") == ":10000\r\n");
  f.Advance(9400ms);
  CHECK(f.Cmd("TTL a") == ":1\r\n");  // 600 ms rounds up
  f.Advance(200ms);
  CHECK(f.Cmd("TTL a") == ":0\r\n");  // 400 ms rounds down
  CHECK(f.Cmd("PTTL a") == ":400\r\n");
  CHECK(f.Cmd("EXPIRE nosuch 10") == ":0\r\n");
}

TEST_CASE("EXPIREAT and PEXPIREAT take absolute times that EXPIRETIME reports", "[expire]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  CHECK(f.Cmd("EXPIRETIME a") == ":-1\r\n");
  CHECK(f.Cmd("EXPIRETIME nosuch") == ":-2\r\n");
  CHECK(f.Cmd("EXPIREAT a 4102444800") == ":1\r\n");
  CHECK(f.Cmd("EXPIRETIME a") == ":4102444800\r\n");
  CHECK(f.Cmd("PEXPIRETIME a") == ":4102444800000\r\n");
  CHECK(f.Cmd("PEXPIREAT a 4102444800600") == ":1\r\n");
  CHECK(f.Cmd("EXPIRETIME a") == ":4102444801\r\n");
  CHECK(f.Cmd("PEXPIREAT a 9223372036854775807") == ":1\r\n");
  CHECK(f.Cmd("EXPIRETIME a") == ":9223372036854776\r\n");
}

TEST_CASE("a time in the past deletes the key and counts as a change", "[expire]") {
  EngineFixture f;
  for (const char* cmd : {"EXPIRE a -1", "PEXPIRE a 0", "EXPIREAT a 1", "PEXPIREAT a 100"}) {
    f.Cmd("SET a 1");
    uint64_t dirty = f.engine.stats().dirty;
    CHECK(f.Cmd(cmd) == ":1\r\n");
    CHECK(f.Cmd("EXISTS a") == ":0\r\n");
    CHECK(f.engine.stats().dirty == dirty + 1);
  }
  CHECK(f.engine.stats().expired_keys == 0);  // a deletion, not an expiry
}

TEST_CASE("NX, XX, GT and LT follow Redis 7.0 (no TTL counts as infinite)", "[expire]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  CHECK(f.Cmd("EXPIRE a 100 XX") == ":0\r\n");
  CHECK(f.Cmd("EXPIRE a 100 GT") == ":0\r\n");
  CHECK(f.Cmd("EXPIRE a 100 LT") == ":1\r\n");
  CHECK(f.Cmd("EXPIRE a 50 NX") == ":0\r\n");
  CHECK(f.Cmd("EXPIRE a 200 gt") == ":1\r\n");
  CHECK(f.Cmd("EXPIRE a 150 GT") == ":0\r\n");
  CHECK(f.Cmd("EXPIRE a 200 LT") == ":0\r\n");
  CHECK(f.Cmd("EXPIRE a 150 lt") == ":1\r\n");
  CHECK(f.Cmd("EXPIRE a 300 XX") == ":1\r\n");
  CHECK(f.Cmd("TTL a") == ":300\r\n");
  // A refused past time leaves the key alone.
  CHECK(f.Cmd("EXPIRE a -5 GT") == ":0\r\n");
  CHECK(f.Cmd("EXISTS a") == ":1\r\n");
  f.Cmd("SET b 1");
  CHECK(f.Cmd("EXPIRE b 0 XX") == ":0\r\n");
  CHECK(f.Cmd("EXISTS b") == ":1\r\n");
  CHECK(f.Cmd("EXPIRE b 0 NX") == ":1\r\n");
  CHECK(f.Cmd("EXISTS b") == ":0\r\n");
}

TEST_CASE("EXPIRE rejects options, then the time, with Redis's errors", "[expire]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  CHECK(f.Cmd("EXPIRE a 100 NX XX") ==
        "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
  CHECK(f.Cmd("EXPIRE a 100 NX GT") ==
        "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
  CHECK(f.Cmd("EXPIRE a 100 GT LT") ==
        "-ERR GT and LT options at the same time are not compatible\r\n");
  CHECK(f.Cmd("EXPIRE a abc foo") == "-ERR Unsupported option foo\r\n");
  CHECK(f.Run({"EXPIRE", "a", "1", "x\r\ny"}) == "-ERR Unsupported option x  y\r\n");
  CHECK(f.Cmd("EXPIRE a abc") == "-ERR value is not an integer or out of range\r\n");
  CHECK(f.Cmd("EXPIRE a 1.5") == "-ERR value is not an integer or out of range\r\n");
  CHECK(f.Cmd("EXPIRE a 9223372036854775807") ==
        "-ERR invalid expire time in 'expire' command\r\n");
  CHECK(f.Cmd("EXPIRE a -9223372036854775808") ==
        "-ERR invalid expire time in 'expire' command\r\n");
  CHECK(f.Cmd("PEXPIRE a 9223372036854775000") ==
        "-ERR invalid expire time in 'pexpire' command\r\n");
  CHECK(f.Cmd("EXPIREAT a 9223372036854775807") ==
        "-ERR invalid expire time in 'expireat' command\r\n");
  CHECK(f.Cmd("EXPIRE nosuch 100 NX XX") ==
        "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
  CHECK(f.Cmd("TTL a") == ":-1\r\n");
}

TEST_CASE("PERSIST removes a TTL and says whether there was one", "[expire]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  CHECK(f.Cmd("PERSIST a") == ":0\r\n");
  CHECK(f.Cmd("PERSIST nosuch") == ":0\r\n");
  f.Cmd("EXPIRE a 100");
  CHECK(f.Cmd("PERSIST a") == ":1\r\n");
  CHECK(f.Cmd("TTL a") == ":-1\r\n");
}

TEST_CASE("keys expire lazily when looked up after their time", "[expire]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.Cmd("PEXPIRE a 100");
  f.Advance(100ms);
  CHECK(f.Cmd("EXISTS a") == ":1\r\n");  // expired only when now > expiry
  f.Advance(1ms);
  CHECK(f.engine.db(0).Size() == 1);
  CHECK(f.Cmd("TTL a") == ":-2\r\n");
  CHECK(f.engine.db(0).Size() == 0);
  CHECK(f.engine.stats().expired_keys == 1);
}

TEST_CASE("Cron expires keys actively without any lookup", "[expire]") {
  EngineFixture f;
  for (int i = 0; i < 50; ++i) {
    std::string key(1, 'k');
    key += std::to_string(i);
    f.Run({"SET", key, "v"});
    f.Run({"PEXPIRE", key, "10"});
  }
  f.Cmd("SET keep v");
  f.Cmd("SELECT 5");
  f.Cmd("SET other v");
  f.Cmd("PEXPIRE other 10");
  f.Advance(11ms);
  // Mostly-stale samples keep the cycle going: a few ticks clear every db.
  for (int i = 0; i < 10; ++i) f.engine.Cron();
  CHECK(f.engine.db(0).Size() == 1);
  CHECK(f.engine.db(5).Size() == 0);
  CHECK(f.engine.stats().expired_keys == 51);
}

TEST_CASE("Cron leaves keys that have not expired yet", "[expire]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.Cmd("PEXPIRE a 1000");
  f.engine.Cron();
  f.Advance(999ms);
  f.engine.Cron();
  CHECK(f.engine.db(0).Size() == 1);
  f.Advance(2ms);
  f.engine.Cron();
  CHECK(f.engine.db(0).Size() == 0);
}

TEST_CASE("active expiry invalidates WATCH", "[expire]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.Cmd("PEXPIRE a 10");
  CHECK(f.Cmd("WATCH a") == "+OK\r\n");
  f.Advance(11ms);
  f.engine.Cron();
  f.Cmd("MULTI");
  f.Cmd("PING");
  CHECK(f.Cmd("EXEC") == "*-1\r\n");
}
