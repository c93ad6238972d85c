// Dispatch rules of the engine: lookup, arity, auth, MULTI/EXEC, pub/sub context.
#include <catch2/catch.hpp>

#include "commands/fixture.h"

using tessera::commands::EngineOptions;
using tessera::commands::testing::EngineFixture;

TEST_CASE("unknown commands and bad arity get Redis's errors", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("NOSUCH a b") ==
        "-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \r\n");
  CHECK(f.Cmd("GET") == "-ERR wrong number of arguments for 'get' command\r\n");
  CHECK(f.Cmd("pInG") == "+PONG\r\n");
}

TEST_CASE("a password makes every command but AUTH and HELLO wait for authentication",
          "[commands]") {
  EngineOptions o;
  o.requirepass = "secret";
  EngineFixture f(o);
  CHECK(f.Cmd("GET x") == "-NOAUTH Authentication required.\r\n");
  CHECK(f.Cmd("AUTH wrong") ==
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  CHECK(f.Cmd("AUTH secret") == "+OK\r\n");
  CHECK(f.Cmd("GET x") == "$-1\r\n");
}

TEST_CASE("EXEC runs queued commands, and aborts after a rejected one", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  CHECK(f.Cmd("SET a 1") == "+QUEUED\r\n");
  CHECK(f.Cmd("GET a") == "+QUEUED\r\n");
  CHECK(f.Cmd("EXEC") == "*2\r\n+OK\r\n$1\r\n1\r\n");
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  CHECK(f.Cmd("GET") == "-ERR wrong number of arguments for 'get' command\r\n");
  CHECK(f.Cmd("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n");
}

TEST_CASE("a WATCHed key touched by another client makes EXEC return null", "[commands]") {
  EngineFixture f;
  auto* other = f.NewClient();
  CHECK(f.Cmd("WATCH k") == "+OK\r\n");
  CHECK(f.Run(other, {"SET", "k", "v"}) == "+OK\r\n");
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  CHECK(f.Cmd("GET k") == "+QUEUED\r\n");
  CHECK(f.Cmd("EXEC") == "*-1\r\n");
}

TEST_CASE("PUBLISH reaches channel and pattern subscribers", "[commands]") {
  EngineFixture f;
  auto* sub = f.NewClient();
  CHECK(f.Run(sub, {"SUBSCRIBE", "news"}) == "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
  CHECK(f.Run(sub, {"GET", "x"}).rfind("-ERR Can't execute 'get'", 0) == 0);
  CHECK(f.Cmd("PUBLISH news hi") == ":1\r\n");
  CHECK(sub->out == "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
}
