// Server commands: DBSIZE, FLUSH*, SWAPDB, TIME, COMMAND, CONFIG, SLOWLOG, SHUTDOWN, MONITOR,
// DEBUG, MEMORY, LATENCY; expected replies were taken from redis-server 7.0.15.
#include <catch2/catch.hpp>

#include "commands/fixture.h"
#include "commands/key_specs.h"

using tessera::commands::DebugCommand;
using tessera::commands::EngineOptions;
using tessera::commands::testing::EngineFixture;

TEST_CASE("DBSIZE counts keys of the selected db and FLUSHDB empties only it", "[commands]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.Cmd("SET b 2");
  CHECK(f.Cmd("DBSIZE") == ":2\r\n");
  CHECK(f.Cmd("SELECT 1") == "+OK\r\n");
  f.Cmd("SET c 3");
  CHECK(f.Cmd("FLUSHDB ASYNC") == "+OK\r\n");
  CHECK(f.Cmd("DBSIZE") == ":0\r\n");
  CHECK(f.Cmd("SELECT 0") == "+OK\r\n");
  CHECK(f.Cmd("DBSIZE") == ":2\r\n");
  CHECK(f.Cmd("FLUSHDB foo") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("FLUSHALL async sync") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("FLUSHALL SYNC") == "+OK\r\n");
  CHECK(f.Cmd("DBSIZE") == ":0\r\n");
}

TEST_CASE("FLUSHALL invalidates WATCHed keys and counts removed keys as changes", "[commands]") {
  EngineFixture f;
  f.Cmd("SET k v");
  uint64_t dirty = f.engine.stats().dirty;
  CHECK(f.Cmd("WATCH k") == "+OK\r\n");
  CHECK(f.Run(f.NewClient(), {"FLUSHALL"}) == "+OK\r\n");
  CHECK(f.engine.stats().dirty == dirty + 1);
  f.Cmd("MULTI");
  f.Cmd("GET k");
  CHECK(f.Cmd("EXEC") == "*-1\r\n");
}

TEST_CASE("SWAPDB swaps contents and reports Redis's index errors", "[commands]") {
  EngineFixture f;
  f.Cmd("SET k v");
  CHECK(f.Cmd("SWAPDB 0 1") == "+OK\r\n");
  CHECK(f.Cmd("GET k") == "$-1\r\n");
  f.Cmd("SELECT 1");
  CHECK(f.Cmd("GET k") == "$1\r\nv\r\n");
  CHECK(f.Cmd("SWAPDB a 1") == "-ERR invalid first DB index\r\n");
  CHECK(f.Cmd("SWAPDB 0 b") == "-ERR invalid second DB index\r\n");
  CHECK(f.Cmd("SWAPDB 0 16") == "-ERR DB index is out of range\r\n");
  CHECK(f.Cmd("SWAPDB -1 0") == "-ERR DB index is out of range\r\n");
  CHECK(f.Cmd("SWAPDB 3 3") == "+OK\r\n");
}

TEST_CASE("SWAPDB is refused in cluster mode", "[commands]") {
  EngineOptions o;
  o.cluster_enabled = true;
  EngineFixture f(o);
  CHECK(f.Cmd("SWAPDB 0 1") == "-ERR SWAPDB is not allowed in cluster mode\r\n");
}

TEST_CASE("TIME and LASTSAVE come from the engine's time", "[commands]") {
  EngineFixture f;
  f.clock.SetUnixMs(1'700'000'123'456);
  f.engine.SetTime(f.clock.Now(), f.clock.UnixUs());
  CHECK(f.Cmd("TIME") == "*2\r\n$10\r\n1700000123\r\n$6\r\n456000\r\n");
  f.engine.lastsave_unix_s = 1234;
  CHECK(f.Cmd("LASTSAVE") == ":1234\r\n");
}

TEST_CASE("COMMAND INFO returns generated metadata and null for unknown names", "[commands]") {
  EngineFixture f;
  std::string r = f.Cmd("COMMAND INFO GET nosuch");
  CHECK(r.rfind("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n", 0) == 0);
  CHECK(r.size() > 20);
  CHECK(r.substr(r.size() - 5) == "$-1\r\n");
  CHECK(f.Cmd("COMMAND INFO config|get").rfind("*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n", 0) ==
        0);
  std::string count = f.Cmd("COMMAND COUNT");
  CHECK(count[0] == ':');
  CHECK(std::stoi(count.substr(1)) == static_cast<int>(f.engine.table().Implemented().size()));
  CHECK(f.Cmd("COMMAND DOCS nosuch") == "*0\r\n");
  CHECK(f.Cmd("COMMAND DOCS get").rfind("*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n", 0) == 0);
}

TEST_CASE("COMMAND LIST filters by pattern and ACL category", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("COMMAND LIST FILTERBY PATTERN s?t") == "*1\r\n$3\r\nset\r\n");
  std::string cfg = f.Cmd("COMMAND LIST FILTERBY PATTERN config*");
  CHECK(cfg.find("$10\r\nconfig|get\r\n") != std::string::npos);
  CHECK(f.Cmd("COMMAND LIST FILTERBY ACLCAT nosuch") == "*0\r\n");
  CHECK(f.Cmd("COMMAND LIST FILTERBY ACLCAT string").find("$3\r\nget\r\n") != std::string::npos);
  CHECK(f.Cmd("COMMAND LIST FILTERBY MODULE foo") == "*0\r\n");
  CHECK(f.Cmd("COMMAND LIST FILTERBY foo bar") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("COMMAND LIST foo") == "-ERR syntax error\r\n");
}

TEST_CASE("COMMAND GETKEYS follows key specs and reports Redis's errors", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("COMMAND GETKEYS set a b") == "*1\r\n$1\r\na\r\n");
  CHECK(f.Cmd("COMMAND GETKEYS GET a") == "*1\r\n$1\r\na\r\n");
  CHECK(f.Cmd("COMMAND GETKEYSANDFLAGS set a b") ==
        "*1\r\n*2\r\n$1\r\na\r\n*2\r\n+OW\r\n+update\r\n");
  CHECK(f.Cmd("COMMAND GETKEYS get a b") ==
        "-ERR Invalid number of arguments specified for command\r\n");
  CHECK(f.Cmd("COMMAND GETKEYS nosuch a") == "-ERR Invalid command specified\r\n");
  CHECK(f.Cmd("COMMAND GETKEYS config get x") == "-ERR The command has no key arguments\r\n");
  CHECK(f.Cmd("COMMAND GETKEYS memory usage k") == "*1\r\n$1\r\nk\r\n");
  CHECK(f.Cmd("COMMAND GETKEYSANDFLAGS set a b get") ==
        "*1\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+update\r\n");
  CHECK(f.Cmd("COMMAND GETKEYS get") ==
        "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
}

TEST_CASE("key specs handle keyword, keynum and limited ranges", "[commands]") {
  using tessera::commands::KeyRef;
  using tessera::commands::KeySpec;
  KeySpec streams;
  streams.begin = KeySpec::Begin::kKeyword;
  streams.keyword = "STREAMS";
  streams.startfrom = 1;
  streams.find = KeySpec::Find::kRange;
  streams.lastkey = -1;
  streams.keystep = 1;
  streams.limit = 2;
  std::vector<KeyRef> keys;
  REQUIRE(
      tessera::commands::KeysFromSpecs({streams}, {"xread", "streams", "a", "b", "0", "0"}, &keys));
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].pos == 2);
  CHECK(keys[1].pos == 3);
  KeySpec numkeys;
  numkeys.begin = KeySpec::Begin::kIndex;
  numkeys.index = 2;
  numkeys.find = KeySpec::Find::kKeynum;
  numkeys.keynumidx = 0;
  numkeys.firstkey = 1;
  numkeys.keystep = 1;
  CHECK(tessera::commands::KeysFromSpecs({numkeys}, {"zunionstore", "d", "2", "a", "b"}, &keys));
  CHECK(keys.size() == 2);
  CHECK_FALSE(tessera::commands::KeysFromSpecs({numkeys}, {"zunionstore", "d", "x", "a"}, &keys));
  CHECK_FALSE(tessera::commands::KeysFromSpecs({numkeys}, {"zunionstore", "d", "5", "a"}, &keys));
  CHECK(keys.empty());
}

TEST_CASE("CONFIG goes through the server hooks", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("CONFIG GET maxmemory") == "*0\r\n");
  CHECK(f.Cmd("CONFIG SET a b c") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("CONFIG SET a b") == "+OK\r\n");
  CHECK(f.Cmd("CONFIG REWRITE") == "+OK\r\n");
  CHECK(f.Cmd("CONFIG FOO") == "-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n");
  CHECK(f.Cmd("CONFIG HELP")
            .rfind("*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n",
                   0) == 0);
  f.Cmd("GET x");
  CHECK(f.Cmd("CONFIG RESETSTAT") == "+OK\r\n");
  CHECK(f.engine.stats().total_commands_processed == 1);  // CONFIG RESETSTAT itself
  CHECK(f.engine.table().Find("get")->calls == 0);
}

TEST_CASE("SLOWLOG records slow commands with Redis's entry shape", "[commands]") {
  EngineOptions o;
  o.slowlog_log_slower_than_us = 0;
  EngineFixture f(o);
  f.client->name = "me";
  f.Cmd("SET k v");
  CHECK(f.Cmd("SLOWLOG LEN") == ":1\r\n");
  CHECK(f.Cmd("SLOWLOG GET 1") ==
        "*1\r\n*6\r\n:1\r\n:1700000000\r\n:0\r\n*2\r\n$7\r\nSLOWLOG\r\n$3\r\nLEN\r\n"
        "$15\r\n127.0.0.1:40001\r\n$2\r\nme\r\n");
  CHECK(f.Cmd("SLOWLOG GET -2") == "-ERR count should be greater than or equal to -1\r\n");
  CHECK(f.Cmd("SLOWLOG GET 1 2") ==
        "-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n");
  CHECK(f.Cmd("SLOWLOG RESET") == "+OK\r\n");
  CHECK(f.Cmd("SLOWLOG GET 0") == "*0\r\n");
}

TEST_CASE("SHUTDOWN asks the server and closes the connection without a reply", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("SHUTDOWN NOSAVE SAVE") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("SHUTDOWN ABORT") == "-ERR No shutdown in progress.\r\n");
  CHECK(f.Cmd("SHUTDOWN ABORT NOW") == "-ERR syntax error\r\n");
  CHECK_FALSE(f.hooks.shutdown_requested);
  CHECK(f.Cmd("SHUTDOWN NOW") == "");
  CHECK(f.hooks.shutdown_requested);
  CHECK(f.client->close_asap);
}

TEST_CASE("MONITOR streams other clients' commands", "[commands]") {
  EngineFixture f;
  auto* mon = f.NewClient();
  CHECK(f.Run(mon, {"MONITOR"}) == "+OK\r\n");
  CHECK(mon->monitor);
  f.Cmd("SET k v");
  CHECK(mon->out.find("[0 127.0.0.1:40001] \"SET\" \"k\" \"v\"") != std::string::npos);
}

TEST_CASE("DEBUG is refused unless enable-debug-command allows it", "[commands]") {
  std::string refused =
      "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
      "you can run it from a local connection, otherwise you need to set this option in the "
      "configuration file, and then restart the server.\r\n";
  {
    EngineFixture f;
    CHECK(f.Cmd("DEBUG SLEEP 0") == refused);
  }
  EngineOptions o;
  o.enable_debug_command = DebugCommand::kLocal;
  EngineFixture f(o);
  CHECK(f.Cmd("DEBUG SLEEP 0") == "+OK\r\n");
  f.client->addr = "10.0.0.1:5000";
  CHECK(f.Cmd("DEBUG SLEEP 0") == refused);
  f.client->addr = "[::1]:5000";
  CHECK(f.Cmd("DEBUG SLEEP 0") == "+OK\r\n");
}

TEST_CASE("DEBUG OBJECT, SET-ACTIVE-EXPIRE and PROTOCOL", "[commands]") {
  EngineOptions o;
  o.enable_debug_command = DebugCommand::kYes;
  EngineFixture f(o);
  f.Cmd("SET k v");
  f.Cmd("SET n 123");
  std::string r = f.Cmd("DEBUG OBJECT k");
  CHECK(r.rfind("+Value at:0x", 0) == 0);
  CHECK(r.find(" refcount:1 encoding:embstr serializedlength:2 lru:") != std::string::npos);
  CHECK(f.Cmd("DEBUG OBJECT n").find("refcount:2147483647 encoding:int serializedlength:2") !=
        std::string::npos);
  CHECK(f.Cmd("DEBUG OBJECT nosuch") == "-ERR no such key\r\n");
  CHECK(f.Cmd("DEBUG SET-ACTIVE-EXPIRE 0") == "+OK\r\n");
  CHECK_FALSE(f.engine.options().active_expire_enabled);
  CHECK(f.Cmd("DEBUG SET-ACTIVE-EXPIRE 1") == "+OK\r\n");
  CHECK(f.engine.options().active_expire_enabled);
  CHECK(f.Cmd("DEBUG PROTOCOL map") == "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n");
  CHECK(f.Cmd("DEBUG foo") ==
        "-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n");
}

TEST_CASE("MEMORY USAGE adds the key's overhead and is null for missing keys", "[commands]") {
  EngineFixture f;
  f.Cmd("SET k 123");
  size_t want = tessera::keyspace::Object(std::string("123")).MemoryUsage() +
                tessera::keyspace::KeyMemoryUsage("k", false);
  CHECK(f.Cmd("MEMORY USAGE k") == ":" + std::to_string(want) + "\r\n");
  CHECK(f.Cmd("MEMORY USAGE k SAMPLES 0") == ":" + std::to_string(want) + "\r\n");
  CHECK(f.Cmd("MEMORY USAGE nosuch") == "$-1\r\n");
  CHECK(f.Cmd("MEMORY USAGE k SAMPLES") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("MEMORY USAGE k SAMPLES x") == "-ERR value is not an integer or out of range\r\n");
  CHECK(f.Cmd("MEMORY STATS").rfind("*", 0) == 0);
  CHECK(f.Cmd("MEMORY PURGE") == "+OK\r\n");
  CHECK(f.Cmd("MEMORY DOCTOR").rfind("$", 0) == 0);
}

TEST_CASE("LATENCY answers as a server with monitoring off", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("LATENCY LATEST") == "*0\r\n");
  CHECK(f.Cmd("LATENCY RESET") == ":0\r\n");
  CHECK(f.Cmd("LATENCY HISTORY command") == "*0\r\n");
  CHECK(f.Cmd("LATENCY GRAPH command") == "-ERR No samples available for event 'command'\r\n");
  CHECK(f.Cmd("LATENCY DOCTOR").rfind("$288\r\nI'm sorry, Dave", 0) == 0);
}

TEST_CASE("active expiry stops when disabled and instant metrics sample on cron", "[commands]") {
  EngineFixture f;
  f.Cmd("SET k v");
  f.engine.db(0).SetExpire("k", f.engine.now_ms() + 10);
  f.engine.options().active_expire_enabled = false;
  f.Advance(std::chrono::milliseconds(100));
  f.engine.Cron();
  CHECK(f.engine.db(0).Size() == 1);
  f.engine.options().active_expire_enabled = true;
  f.engine.Cron();
  CHECK(f.engine.db(0).Size() == 0);
}

TEST_CASE("DEBUG PROTOCOL writes RESP3 types and their RESP2 forms", "[commands]") {
  EngineOptions o;
  o.enable_debug_command = DebugCommand::kYes;
  EngineFixture f(o);
  CHECK(f.Cmd("DEBUG PROTOCOL double") == "$5\r\n3.141\r\n");
  CHECK(f.Cmd("DEBUG PROTOCOL push") == "-ERR RESP2 is not supported by this command\r\n");
  CHECK(f.Cmd("DEBUG PROTOCOL attrib") == "$39\r\nSome real reply following the attribute\r\n");
  f.Cmd("HELLO 3");
  CHECK(f.Cmd("DEBUG PROTOCOL double") == ",3.141\r\n");
  CHECK(f.Cmd("DEBUG PROTOCOL attrib") ==
        "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
        "$39\r\nSome real reply following the attribute\r\n");
  CHECK(f.Cmd("DEBUG PROTOCOL push") ==
        ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"
        "$40\r\nSome real reply following the push reply\r\n");
  CHECK(f.Cmd("DEBUG PROTOCOL nosuch").rfind("-ERR Wrong protocol type name.", 0) == 0);
}
