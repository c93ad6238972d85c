// Keyspace notifications through the engine (notify.cc and the families' Call::Notify calls).
#include "tessera/commands/notify.h"

#include <catch2/catch.hpp>

#include "commands/fixture.h"
#include "fmt/format.h"

namespace tessera::commands {
namespace {

using namespace std::chrono_literals;
using testing::EngineFixture;

std::string Msg(std::string_view channel, std::string_view payload) {
  return fmt::format("*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n${}\r\n{}\r\n${}\r\n{}\r\n",
                     channel.size(), channel, payload.size(), payload);
}

TEST_CASE("enabled classes publish keyspace then keyevent messages", "[commands][notify]") {
  EngineFixture f;
  ClientState* sub = f.NewClient();
  f.Run(sub, {"PSUBSCRIBE", "*"});
  sub->out.clear();
  f.engine.options().notify_keyspace_events =
      notify::kKeyspace | notify::kKeyevent | notify::kList | notify::kGeneric;
  f.Cmd("RPUSH l a");
  f.Cmd("SET s v");  // strings are not enabled
  f.Cmd("LPOP l");
  CHECK(sub->out == Msg("__keyspace@0__:l", "rpush") + Msg("__keyevent@0__:rpush", "l") +
                        Msg("__keyspace@0__:l", "lpop") + Msg("__keyevent@0__:lpop", "l") +
                        Msg("__keyspace@0__:l", "del") + Msg("__keyevent@0__:del", "l"));
  sub->out.clear();
  f.engine.options().notify_keyspace_events = notify::kKeyevent | notify::kExpired;
  f.Cmd("SELECT 3");
  f.Cmd("SET e v PX 10");
  f.Advance(20ms);
  f.engine.Cron();
  CHECK(sub->out == Msg("__keyevent@3__:expired", "e"));
  sub->out.clear();
  f.engine.options().notify_keyspace_events = 0;
  f.Cmd("SET x y");
  CHECK(sub->out.empty());
}

}  // namespace
}  // namespace tessera::commands
