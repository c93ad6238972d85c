// Blocking commands through the engine: FIFO wake-up, timeouts on Cron with a ManualClock,
// MULTI, CLIENT UNBLOCK and disconnects (blocking.cc, list_blocking_commands.cc,
// zset_blocking.cc).
#include <catch2/catch.hpp>

#include "commands/fixture.h"

namespace tessera::commands {
namespace {

using namespace std::chrono_literals;
using testing::EngineFixture;

std::string Info(EngineFixture& f, std::string_view field) {
  std::string all = f.Cmd("INFO clients");
  size_t at = all.find(std::string(field) + ":");
  if (at == std::string::npos) return "";
  size_t end = all.find("\r\n", at);
  return all.substr(at + field.size() + 1, end - at - field.size() - 1);
}

TEST_CASE("blocking commands answer at once when a key has data", "[commands][blocking]") {
  EngineFixture f;
  f.Cmd("RPUSH l a b c");
  CHECK(f.Cmd("BLPOP nokey l 0") == "*2\r\n$1\r\nl\r\n$1\r\na\r\n");
  CHECK(f.Cmd("BRPOP l 0") == "*2\r\n$1\r\nl\r\n$1\r\nc\r\n");
  CHECK(f.Cmd("BLMOVE l d RIGHT LEFT 0") == "$1\r\nb\r\n");
  CHECK(f.Cmd("BRPOPLPUSH d l 0") == "$1\r\nb\r\n");
  CHECK(f.Cmd("BLMPOP 0 2 x l LEFT COUNT 5") == "*2\r\n$1\r\nl\r\n*1\r\n$1\r\nb\r\n");
  f.Cmd("ZADD z 1 a 2 b 3 c");
  CHECK(f.Cmd("BZPOPMIN z 0") == "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n");
  CHECK(f.Cmd("BZPOPMAX z 0") == "*3\r\n$1\r\nz\r\n$1\r\nc\r\n$1\r\n3\r\n");
  CHECK(f.Cmd("BZMPOP 0 1 z MIN") == "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  f.Cmd("SET s x");
  CHECK(f.Cmd("BLPOP s 0") ==
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  CHECK(f.engine.blocked_count() == 0);
}

TEST_CASE("timeouts are parsed as Redis 7.0 does", "[commands][blocking]") {
  EngineFixture f;
  CHECK(f.Cmd("BLPOP l -1") == "-ERR timeout is negative\r\n");
  CHECK(f.Cmd("BLPOP l inf") == "-ERR timeout is negative\r\n");
  CHECK(f.Cmd("BLPOP l 1e20") == "-ERR timeout is negative\r\n");
  CHECK(f.Cmd("BLPOP l nan") == "-ERR timeout is not a float or out of range\r\n");
  CHECK(f.Cmd("BLPOP l abc") == "-ERR timeout is not a float or out of range\r\n");
  CHECK(f.Cmd("BZMPOP x 1 z MIN") == "-ERR timeout is not a float or out of range\r\n");
  CHECK(f.Cmd("BLMOVE a b UP LEFT 0") == "-ERR syntax error\r\n");
  CHECK(f.engine.blocked_count() == 0);
  // Truncated to whole milliseconds: -0.0001 is 0, which blocks forever.
  CHECK(f.Cmd("BLPOP l -0.0001").empty());
  CHECK(f.engine.blocked_count() == 1);
}

TEST_CASE("two blocked clients are served in FIFO order", "[commands][blocking]") {
  EngineFixture f;
  ClientState* a = f.NewClient();
  ClientState* b = f.NewClient();
  CHECK(f.Run(a, {"BLPOP", "k", "0"}).empty());
  CHECK(f.Run(b, {"BLPOP", "other", "k", "0"}).empty());
  CHECK(a->blocked);
  CHECK(Info(f, "blocked_clients") == "2");
  CHECK(Info(f, "clients_in_timeout_table") == "0");
  CHECK(f.Cmd("CLIENT LIST").find("flags=b ") != std::string::npos);
  // One element: only the oldest waiter gets it.
  CHECK(f.Cmd("RPUSH k x") == ":1\r\n");
  CHECK(a->out == "*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
  CHECK(!a->blocked);
  CHECK(b->out.empty());
  CHECK(b->blocked);
  auto pending = f.engine.TakePending();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0] == a);
  CHECK(f.Cmd("EXISTS k") == ":0\r\n");
  f.Cmd("RPUSH k y z");
  CHECK(b->out == "*2\r\n$1\r\nk\r\n$1\r\ny\r\n");
  CHECK(f.Cmd("LRANGE k 0 -1") == "*1\r\n$1\r\nz\r\n");
  CHECK(f.engine.blocked_count() == 0);
}

TEST_CASE("a timeout replies a null array on Cron", "[commands][blocking]") {
  EngineFixture f;
  ClientState* a = f.NewClient();
  ClientState* b = f.NewClient();
  CHECK(f.Run(a, {"BLPOP", "k", "0.25"}).empty());
  a->proto = 3;  // the reply follows the protocol at reply time
  CHECK(f.Run(b, {"BZPOPMIN", "z", "0.1"}).empty());
  CHECK(Info(f, "clients_in_timeout_table") == "2");
  f.Advance(99ms);
  f.engine.Cron();
  CHECK(b->out.empty());
  f.Advance(1ms);
  f.engine.Cron();
  CHECK(b->out == "*-1\r\n");
  CHECK(!b->blocked);
  CHECK(a->blocked);
  f.Advance(150ms);
  f.engine.Cron();
  CHECK(a->out == "_\r\n");
  CHECK(f.engine.blocked_count() == 0);
  CHECK(Info(f, "clients_in_timeout_table") == "0");
  // A served client leaves the timeout table.
  CHECK(f.Run(a, {"BLPOP", "k", "1"}).empty());
  a->out.clear();
  f.Cmd("LPUSH k v");
  CHECK(a->out == "*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
  CHECK(Info(f, "clients_in_timeout_table") == "0");
}

TEST_CASE("inside MULTI a blocking command does not block", "[commands][blocking]") {
  EngineFixture f;
  f.Cmd("MULTI");
  f.Cmd("BLPOP k 0");
  f.Cmd("BLMOVE k d LEFT LEFT 0");
  f.Cmd("BZPOPMIN z 0");
  f.Cmd("RPUSH k a");
  f.Cmd("BLPOP k 0");
  CHECK(f.Cmd("EXEC") == "*5\r\n*-1\r\n$-1\r\n*-1\r\n:1\r\n*2\r\n$1\r\nk\r\n$1\r\na\r\n");
  CHECK(f.engine.blocked_count() == 0);
}

TEST_CASE("a push inside MULTI wakes blocked clients only after EXEC", "[commands][blocking]") {
  EngineFixture f;
  ClientState* a = f.NewClient();
  ClientState* b = f.NewClient();
  f.Run(a, {"BLPOP", "k", "0"});
  f.Run(b, {"BRPOP", "k", "0"});
  f.Cmd("MULTI");
  f.Cmd("RPUSH k x y");
  f.Cmd("RPUSH k z");
  CHECK(a->out.empty());
  // Both pushes ran before anyone was served, so the list held x y z.
  CHECK(f.Cmd("EXEC") == "*2\r\n:2\r\n:3\r\n");
  CHECK(a->out == "*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
  CHECK(b->out == "*2\r\n$1\r\nk\r\n$1\r\nz\r\n");
  CHECK(f.Cmd("LRANGE k 0 -1") == "*1\r\n$1\r\ny\r\n");
}

TEST_CASE("CLIENT UNBLOCK frees a client with a timeout or an error", "[commands][blocking]") {
  EngineFixture f;
  ClientState* a = f.NewClient();
  std::string id = std::to_string(a->id);
  f.Run(a, {"BLPOP", "k", "0"});
  CHECK(f.Cmd("CLIENT UNBLOCK " + id + " ERROR") == ":1\r\n");
  CHECK(a->out == "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
  CHECK(f.Cmd("CLIENT UNBLOCK " + id) == ":0\r\n");
  a->out.clear();
  f.Run(a, {"BZMPOP", "5", "1", "z", "MAX"});
  CHECK(f.Cmd("CLIENT UNBLOCK " + id + " timeout") == ":1\r\n");
  CHECK(a->out == "*-1\r\n");
  CHECK(f.engine.blocked_count() == 0);
  CHECK(Info(f, "clients_in_timeout_table") == "0");
  CHECK(f.Cmd("INFO errorstats").find("errorstat_UNBLOCKED:count=1") != std::string::npos);
}

TEST_CASE("a disconnected blocked client is forgotten", "[commands][blocking]") {
  EngineFixture f;
  auto gone = std::make_unique<ClientState>();
  gone->id = f.engine.NextClientId();
  f.engine.AddClient(gone.get());
  ClientState* b = f.NewClient();
  f.Run(gone.get(), {"BLPOP", "k", "1"});
  f.Run(b, {"BLPOP", "k", "0"});
  f.engine.RemoveClient(gone.get());
  gone.reset();
  CHECK(f.engine.blocked_count() == 1);
  f.Advance(2s);
  f.engine.Cron();  // its deadline is gone too
  f.Cmd("RPUSH k v");
  CHECK(b->out == "*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
}

TEST_CASE("a key of another type keeps the client blocked", "[commands][blocking]") {
  EngineFixture f;
  ClientState* a = f.NewClient();
  f.Run(a, {"BLPOP", "k", "0"});
  f.Cmd("SET k str");
  CHECK(a->out.empty());
  CHECK(a->blocked);
  f.Cmd("DEL k");
  f.Cmd("ZADD k 1 m");  // a sorted set does not serve BLPOP
  CHECK(a->blocked);
  f.Cmd("DEL k");
  f.Cmd("RPUSH k v");
  CHECK(a->out == "*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
}

TEST_CASE("BLMOVE serves from its source and its push wakes others", "[commands][blocking]") {
  EngineFixture f;
  ClientState* a = f.NewClient();
  ClientState* b = f.NewClient();
  f.Run(a, {"BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"});
  f.Run(b, {"BLPOP", "dst", "0"});
  f.Cmd("RPUSH src v");
  CHECK(a->out == "$1\r\nv\r\n");
  CHECK(b->out == "*2\r\n$3\r\ndst\r\n$1\r\nv\r\n");
  CHECK(f.Cmd("EXISTS src dst") == ":0\r\n");
  // A destination of another type: WRONGTYPE, the client is freed and the source kept.
  a->out.clear();
  f.Run(a, {"BRPOPLPUSH", "src", "str", "0"});
  f.Cmd("SET str x");
  f.Cmd("RPUSH src w");
  CHECK(a->out == "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  CHECK(!a->blocked);
  CHECK(f.Cmd("LRANGE src 0 -1") == "*1\r\n$1\r\nw\r\n");
}

TEST_CASE("blocked sorted set and multi-pop clients get Redis's reply shapes",
          "[commands][blocking]") {
  EngineFixture f;
  ClientState* a = f.NewClient();
  ClientState* b = f.NewClient();
  ClientState* c = f.NewClient();
  b->proto = 3;
  f.Run(a, {"BZPOPMAX", "z", "0"});
  f.Run(b, {"BZPOPMIN", "z", "0"});
  f.Run(c, {"BLMPOP", "0", "2", "l1", "l2", "RIGHT", "COUNT", "5"});
  f.Cmd("ZADD z 1 a 2 b 3 c");
  CHECK(a->out == "*3\r\n$1\r\nz\r\n$1\r\nc\r\n$1\r\n3\r\n");
  CHECK(b->out == "*3\r\n$1\r\nz\r\n$1\r\na\r\n,1\r\n");
  f.Cmd("RPUSH l2 a b c");
  CHECK(c->out == "*2\r\n$2\r\nl2\r\n*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  c->out.clear();
  f.Run(c, {"BZMPOP", "0", "1", "z2", "MAX", "COUNT", "5"});
  f.Cmd("ZADD z2 1 a 2 b");
  CHECK(c->out ==
        "*2\r\n$2\r\nz2\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
}

TEST_CASE("RENAME and SWAPDB onto a waited key wake the client", "[commands][blocking]") {
  EngineFixture f;
  ClientState* a = f.NewClient();
  f.Run(a, {"BLPOP", "k", "0"});
  f.Cmd("RPUSH tmp v");
  f.Cmd("RENAME tmp k");
  CHECK(a->out == "*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
  a->out.clear();
  f.Run(a, {"BLPOP", "k", "0"});
  f.Cmd("SELECT 1");
  f.Cmd("RPUSH k w");
  CHECK(a->blocked);
  f.Cmd("SWAPDB 0 1");
  CHECK(a->out == "*2\r\n$1\r\nk\r\n$1\r\nw\r\n");
}

}  // namespace
}  // namespace tessera::commands
