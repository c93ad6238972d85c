// maxmemory: eviction policies and the OOM refusal, with used memory either the real heap (a
// limit of 1 byte is always exceeded) or an injected probe for exact control.
#include <catch2/catch.hpp>
#include <string>

#include "commands/fixture.h"

using namespace std::chrono_literals;
using tessera::commands::MaxmemoryPolicy;
using tessera::commands::testing::EngineFixture;

namespace {

constexpr const char* kOom = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

// prefix + i, built so that GCC 12 does not warn (-Wrestrict false positive on operator+).
std::string Key(std::string_view prefix, int i) {
  std::string k(prefix);
  k += std::to_string(i);
  return k;
}

void Fill(EngineFixture& f, int n, std::string_view prefix = "k") {
  for (int i = 0; i < n; ++i) f.Run({"SET", Key(prefix, i), "v"});
}

// used_memory = 100 bytes per key in all dbs.
void ProbeKeys(EngineFixture& f) {
  f.engine.SetMemoryProbe([&f] {
    size_t n = 0;
    for (int i = 0; i < f.engine.db_count(); ++i) n += f.engine.db(i).Size();
    return n * 100;
  });
}

}  // namespace

TEST_CASE("noeviction refuses writes over maxmemory but still serves reads", "[eviction]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.engine.options().maxmemory = 1;
  CHECK(f.Cmd("SET b 2") == kOom);
  CHECK(f.Cmd("GET a") == "$1\r\n1\r\n");
  CHECK(f.Cmd("DEL a") == ":1\r\n");  // DEL is not denyoom
  CHECK(f.engine.stats().evicted_keys == 0);
}

TEST_CASE("allkeys-random with a tiny maxmemory evicts every key and counts them", "[eviction]") {
  EngineFixture f;
  Fill(f, 20);
  f.Cmd("SELECT 2");
  Fill(f, 5);
  f.engine.options().maxmemory = 1;
  f.engine.options().maxmemory_policy = MaxmemoryPolicy::kAllKeysRandom;
  // The heap stays above 1 byte, so after evicting everything the write is still refused.
  CHECK(f.Cmd("SET x y") == kOom);
  CHECK(f.engine.stats().evicted_keys == 25);
  CHECK(f.engine.db(0).Size() == 0);
  CHECK(f.engine.db(2).Size() == 0);
}

TEST_CASE("allkeys-lru with a tiny maxmemory evicts every key", "[eviction]") {
  EngineFixture f;
  Fill(f, 10);
  f.engine.options().maxmemory = 1;
  f.engine.options().maxmemory_policy = MaxmemoryPolicy::kAllKeysLru;
  CHECK(f.Cmd("GET k1") == "$-1\r\n");  // reads run (and evict) too
  CHECK(f.engine.stats().evicted_keys == 10);
}

TEST_CASE("allkeys-random evicts only down to maxmemory", "[eviction]") {
  EngineFixture f;
  ProbeKeys(f);
  Fill(f, 10);
  f.engine.options().maxmemory = 500;
  f.engine.options().maxmemory_policy = MaxmemoryPolicy::kAllKeysRandom;
  CHECK(f.Cmd("SET new v") == "+OK\r\n");
  CHECK(f.engine.stats().evicted_keys == 5);
  CHECK(f.engine.db(0).Size() == 6);
}

TEST_CASE("allkeys-random spreads evictions over the databases", "[eviction]") {
  EngineFixture f;
  ProbeKeys(f);
  Fill(f, 50, "a");
  f.Cmd("SELECT 1");
  Fill(f, 50, "b");
  f.engine.options().maxmemory_policy = MaxmemoryPolicy::kAllKeysRandom;
  f.engine.options().maxmemory = 6000;
  f.Cmd("SET x y");  // evicts before it runs: 100 keys down to 60
  CHECK(f.engine.stats().evicted_keys == 40);
  CHECK(f.engine.db(0).Size() < 50);
  CHECK(f.engine.db(1).Size() < 51);
}

TEST_CASE("allkeys-lru evicts the least recently used keys first", "[eviction]") {
  EngineFixture f;
  ProbeKeys(f);
  for (int i = 0; i < 10; ++i) {
    f.Run({"SET", Key("k", i), "v"});
    f.Run({"TOUCH", Key("k", i)});
    f.Advance(1000ms);
  }
  f.Cmd("TOUCH k0 k1");  // now the most recent
  f.engine.options().maxmemory = 500;
  f.engine.options().maxmemory_samples = 10;  // sample everything: exact LRU
  f.engine.options().maxmemory_policy = MaxmemoryPolicy::kAllKeysLru;
  CHECK(f.Cmd("PING") == "+PONG\r\n");
  CHECK(f.engine.stats().evicted_keys == 5);
  CHECK(f.Cmd("EXISTS k0 k1 k7 k8 k9") == ":5\r\n");
}

TEST_CASE("volatile-ttl evicts the keys closest to expiry, and only keys with a TTL",
          "[eviction]") {
  EngineFixture f;
  ProbeKeys(f);
  Fill(f, 4);
  f.Cmd("PEXPIRE k0 5000");
  f.Cmd("PEXPIRE k1 1000");
  f.Cmd("PEXPIRE k2 9000");
  f.engine.options().maxmemory = 200;
  f.engine.options().maxmemory_policy = MaxmemoryPolicy::kVolatileTtl;
  CHECK(f.Cmd("PING") == "+PONG\r\n");
  CHECK(f.Cmd("EXISTS k1 k0") == ":0\r\n");
  CHECK(f.Cmd("EXISTS k2 k3") == ":2\r\n");
  // Only k2 has a TTL now; evicting it is not enough, so writes are refused.
  f.engine.options().maxmemory = 50;
  CHECK(f.Cmd("SET x y") == kOom);
  CHECK(f.Cmd("EXISTS k3") == ":1\r\n");
  CHECK(f.engine.stats().evicted_keys == 3);
}

TEST_CASE("over maxmemory, MULTI refuses queuing and EXEC aborts with denyoom commands",
          "[eviction]") {
  EngineFixture f;
  f.Cmd("SET k v");
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  CHECK(f.Cmd("SET a 1") == "+QUEUED\r\n");
  f.engine.options().maxmemory = 1;
  CHECK(f.Cmd("GET k") == kOom);
  CHECK(f.Cmd("EXEC") ==
        "-EXECABORT Transaction discarded because of: OOM command not allowed when used memory "
        "> 'maxmemory'.\r\n");
  CHECK(f.Cmd("GET k") == "$1\r\nv\r\n");  // no longer in MULTI
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  CHECK(f.Cmd("GET k") == kOom);
  CHECK(f.Cmd("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n");
  f.engine.options().maxmemory = 0;
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  CHECK(f.Cmd("GET k") == "+QUEUED\r\n");
  f.engine.options().maxmemory = 1;
  CHECK(f.Cmd("EXEC") == "*1\r\n$1\r\nv\r\n");  // no denyoom command inside
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  CHECK(f.Cmd("DISCARD") == "+OK\r\n");
}
