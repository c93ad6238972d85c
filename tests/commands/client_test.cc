// CLIENT subcommands: replies and error texts from redis-server 7.0.15.
#include <catch2/catch.hpp>

#include "commands/fixture.h"

using tessera::commands::ReplyMode;
using tessera::commands::testing::EngineFixture;

TEST_CASE("CLIENT ID, SETNAME and GETNAME", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("CLIENT ID") == ":1\r\n");
  CHECK(f.Cmd("CLIENT GETNAME") == "$-1\r\n");
  CHECK(f.Run({"CLIENT", "SETNAME", "a b"}) ==
        "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
  CHECK(f.Cmd("CLIENT SETNAME app") == "+OK\r\n");
  CHECK(f.Cmd("CLIENT GETNAME") == "$3\r\napp\r\n");
  CHECK(f.Run({"CLIENT", "SETNAME", ""}) == "+OK\r\n");
  CHECK(f.Cmd("CLIENT GETNAME") == "$-1\r\n");
  CHECK(f.Cmd("CLIENT FOO") == "-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n");
}

TEST_CASE("CLIENT INFO has Redis 7.0's fields in order", "[commands]") {
  EngineFixture f;
  f.client->laddr = "127.0.0.1:6379";
  f.client->fd = 7;
  f.client->created = f.client->last_interaction = f.engine.mono_now();
  std::string r = f.Cmd("CLIENT INFO");
  INFO(r);
  CHECK(r.rfind("$", 0) == 0);
  CHECK(r.find("\r\nid=1 addr=127.0.0.1:40001 laddr=127.0.0.1:6379 fd=7 name= age=0 idle=0 "
               "flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=10 "
               "multi-mem=0 rbs=16384 rbp=16384 obl=0 oll=0 omem=0 tot-mem=") != std::string::npos);
  CHECK(r.find(" events=r cmd=client|info user=default redir=-1 resp=2\n\r\n") !=
        std::string::npos);
}

TEST_CASE("CLIENT LIST lists every client, filtered by TYPE or ID", "[commands]") {
  EngineFixture f;
  auto* sub = f.NewClient();
  f.Run(sub, {"SUBSCRIBE", "ch"});
  std::string all = f.Cmd("CLIENT LIST");
  CHECK(all.find("id=1 ") != std::string::npos);
  CHECK(all.find("id=2 ") != std::string::npos);
  CHECK(all.find("flags=P db=0 sub=1") != std::string::npos);
  std::string pubsub = f.Cmd("CLIENT LIST TYPE pubsub");
  CHECK(pubsub.find("id=2 ") != std::string::npos);
  CHECK(pubsub.find("id=1 ") == std::string::npos);
  CHECK(f.Cmd("CLIENT LIST ID 2").find("id=2 ") != std::string::npos);
  CHECK(f.Cmd("CLIENT LIST ID 99") == "$0\r\n\r\n");
  CHECK(f.Cmd("CLIENT LIST ID -1") == "$0\r\n\r\n");
  CHECK(f.Cmd("CLIENT LIST ID abc") == "-ERR Invalid client ID\r\n");
  CHECK(f.Cmd("CLIENT LIST TYPE foo") == "-ERR Unknown client type 'foo'\r\n");
  CHECK(f.Cmd("CLIENT LIST TYPE normal ID 1") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("CLIENT LIST foo") == "-ERR syntax error\r\n");
}

TEST_CASE("CLIENT KILL by address and by filters", "[commands]") {
  EngineFixture f;
  auto* a = f.NewClient();
  auto* b = f.NewClient();
  CHECK(f.Cmd("CLIENT KILL 1.2.3.4:5") == "-ERR No such client\r\n");
  CHECK(f.Run({"CLIENT", "KILL", a->addr}) == "+OK\r\n");
  CHECK(a->close_asap);
  auto pending = f.engine.TakePending();
  CHECK(std::find(pending.begin(), pending.end(), a) != pending.end());
  CHECK(f.Cmd("CLIENT KILL ID 999") == ":0\r\n");
  CHECK(f.Run({"CLIENT", "KILL", "ID", std::to_string(b->id)}) == ":1\r\n");
  CHECK(b->close_asap);
  CHECK(f.Cmd("CLIENT KILL ID abc") == "-ERR client-id should be greater than 0\r\n");
  CHECK(f.Cmd("CLIENT KILL TYPE foo") == "-ERR Unknown client type 'foo'\r\n");
  CHECK(f.Cmd("CLIENT KILL SKIPME maybe") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("CLIENT KILL USER foo") == "-ERR No such user 'foo'\r\n");
  CHECK(f.Cmd("CLIENT KILL ID 5 ID") == "-ERR syntax error\r\n");
  CHECK_FALSE(f.client->close_after_reply);
  CHECK(f.Cmd("CLIENT KILL ID 1 SKIPME no") == ":1\r\n");
  CHECK(f.client->close_after_reply);
}

TEST_CASE("CLIENT PAUSE WRITE holds writes but not reads until it ends", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("CLIENT PAUSE abc") == "-ERR timeout is not an integer or out of range\r\n");
  CHECK(f.Cmd("CLIENT PAUSE -1") == "-ERR timeout is negative\r\n");
  CHECK(f.Cmd("CLIENT PAUSE 10 foo") == "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n");
  CHECK(f.Cmd("CLIENT PAUSE 10 write x") ==
        "-ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.\r\n");
  CHECK(f.Cmd("CLIENT PAUSE 1000 WRITE") == "+OK\r\n");
  auto* other = f.NewClient();
  CHECK(f.engine.MustWait(*other, {"SET", "k", "v"}));
  CHECK_FALSE(f.engine.MustWait(*other, {"GET", "k"}));
  f.Advance(std::chrono::milliseconds(1001));
  CHECK_FALSE(f.engine.MustWait(*other, {"SET", "k", "v"}));
  CHECK(f.Cmd("CLIENT PAUSE 1000") == "+OK\r\n");
  CHECK(f.engine.MustWait(*other, {"GET", "k"}));
  CHECK(f.Cmd("CLIENT UNPAUSE") == "+OK\r\n");
  CHECK_FALSE(f.engine.MustWait(*other, {"GET", "k"}));
}

TEST_CASE("CLIENT REPLY sets the reply mode the connection applies", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("CLIENT REPLY foo") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("CLIENT REPLY OFF") == "");
  CHECK(f.client->reply_mode == ReplyMode::kOff);
  f.Cmd("CLIENT REPLY SKIP");
  CHECK(f.client->reply_mode == ReplyMode::kOff);
  CHECK(f.Cmd("CLIENT REPLY ON") == "+OK\r\n");
  CHECK(f.client->reply_mode == ReplyMode::kOn);
  f.Cmd("CLIENT REPLY SKIP");
  CHECK(f.client->reply_mode == ReplyMode::kSkipNext);
}

TEST_CASE("CLIENT NO-EVICT, GETREDIR, TRACKING, CACHING and UNBLOCK", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("CLIENT NO-EVICT on") == "+OK\r\n");
  CHECK(f.client->no_evict);
  CHECK(f.Cmd("CLIENT NO-EVICT maybe") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("CLIENT GETREDIR") == ":-1\r\n");
  CHECK(f.Cmd("CLIENT TRACKING off") == "+OK\r\n");
  CHECK(
      f.Cmd("CLIENT TRACKINGINFO") ==
      "*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n");
  CHECK(f.Cmd("CLIENT CACHING yes") ==
        "-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
        "or OPTOUT mode enabled\r\n");
  CHECK(f.Cmd("CLIENT UNBLOCK 5") == ":0\r\n");
  CHECK(f.Cmd("CLIENT UNBLOCK abc") == "-ERR value is not an integer or out of range\r\n");
  CHECK(f.Cmd("CLIENT UNBLOCK 5 foo") ==
        "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n");
  CHECK(f.Cmd("CLIENT HELP").rfind("*", 0) == 0);
  CHECK(f.Cmd("CLIENT HELP")
            .find("\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n") !=
        std::string::npos);
}
