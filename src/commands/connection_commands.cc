// Connection commands: PING, ECHO, QUIT, HELLO, AUTH, SELECT, RESET.
#include "absl/strings/ascii.h"
#include "commands/pubsub_registry.h"
#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

void Ping(Call& c) {
  if (c.argc() > 2) {
    c.Error("ERR wrong number of arguments for 'ping' command");
    return;
  }
  if (c.client.proto == 2 && c.client.SubscriptionCount() > 0) {
    c.w.ArrayHeader(2);
    c.w.Bulk("pong");
    c.w.Bulk(c.argc() == 2 ? std::string_view(c.arg(1)) : std::string_view());
    return;
  }
  if (c.argc() == 2) {
    c.w.Bulk(c.arg(1));
  } else {
    c.w.Simple("PONG");
  }
}

void Echo(Call& c) { c.w.Bulk(c.arg(1)); }

void Quit(Call& c) {
  c.Ok();
  c.client.close_after_reply = true;
}

// Returns false (and replies) when the credentials are wrong.
bool Authenticate(Call& c, std::string_view user, std::string_view pass) {
  const std::string& required = c.engine.options().requirepass;
  if (user == "default" && (required.empty() || pass == required)) {
    c.client.authenticated = true;
    return true;
  }
  c.Error(err::kWrongPass);
  return false;
}

void Auth(Call& c) {
  if (c.argc() > 3) {
    c.SyntaxError();
    return;
  }
  if (c.argc() == 2 && c.engine.options().requirepass.empty()) {
    c.Error(err::kNoPassSet);
    return;
  }
  std::string_view user = c.argc() == 3 ? std::string_view(c.arg(1)) : "default";
  if (Authenticate(c, user, c.arg(c.argc() - 1))) c.Ok();
}

void Hello(Call& c) {
  int proto = c.client.proto;
  size_t i = 1;
  if (c.argc() >= 2) {
    auto v = ParseInt(c.arg(1));
    if (!v) {
      c.Error("ERR Protocol version is not an integer or out of range");
      return;
    }
    if (*v < 2 || *v > 3) {
      c.Error("NOPROTO unsupported protocol version");
      return;
    }
    proto = static_cast<int>(*v);
    i = 2;
  }
  std::string_view setname;
  bool has_setname = false;
  for (; i < c.argc(); ++i) {
    size_t left = c.argc() - i - 1;
    if (EqualsIgnoreCase(c.arg(i), "AUTH") && left >= 2) {
      if (!Authenticate(c, c.arg(i + 1), c.arg(i + 2))) return;
      i += 2;
    } else if (EqualsIgnoreCase(c.arg(i), "SETNAME") && left >= 1) {
      setname = c.arg(i + 1);
      has_setname = true;
      i += 1;
    } else {
      c.Error(fmt::format("ERR Syntax error in HELLO option '{}'", c.arg(i)));
      return;
    }
  }
  if (!c.client.authenticated && !c.engine.options().requirepass.empty()) {
    c.Error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
        "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
        "select the RESP protocol version at the same time");
    return;
  }
  if (has_setname) {
    for (char ch : setname) {
      if (ch < '!' || ch > '~') {
        c.Error("ERR Client names cannot contain spaces, newlines or special characters.");
        return;
      }
    }
    c.client.name = std::string(setname);
  }
  c.client.proto = proto;
  c.w.set_proto(proto);
  c.w.MapHeader(7);
  c.w.Bulk("server");
  c.w.Bulk("redis");
  c.w.Bulk("version");
  c.w.Bulk("7.0.15");
  c.w.Bulk("proto");
  c.w.Integer(proto);
  c.w.Bulk("id");
  c.w.Integer(static_cast<int64_t>(c.client.id));
  c.w.Bulk("mode");
  c.w.Bulk(c.engine.options().cluster_enabled ? "cluster" : "standalone");
  c.w.Bulk("role");
  c.w.Bulk("master");
  c.w.Bulk("modules");
  c.w.ArrayHeader(0);
}

void Select(Call& c) {
  auto v = ParseInt(c.arg(1));
  if (!v || *v < INT32_MIN || *v > INT32_MAX) {
    c.Error(err::kNotInteger);
    return;
  }
  if (c.engine.options().cluster_enabled && *v != 0) {
    c.Error(err::kSelectCluster);
    return;
  }
  if (*v < 0 || *v >= c.engine.db_count()) {
    c.Error(err::kDbIndex);
    return;
  }
  c.client.db = static_cast<int>(*v);
  c.Ok();
}

void Reset(Call& c) {
  ClientState& cl = c.client;
  cl.in_multi = false;
  cl.multi_dirty = false;
  cl.queued.clear();
  c.engine.Unwatch(cl);
  c.engine.pubsub().RemoveClient(&cl);
  cl.db = 0;
  cl.proto = 2;
  c.w.set_proto(2);
  cl.name.clear();
  cl.reply_mode = ReplyMode::kOn;
  cl.monitor = false;
  cl.no_evict = false;
  cl.readonly = false;
  cl.asking = false;
  if (!c.engine.options().requirepass.empty()) cl.authenticated = false;
  c.w.Simple("RESET");
}

}  // namespace

void RegisterConnectionCommands(CommandTable& t) {
  t.Register("ping", Ping);
  t.Register("echo", Echo);
  t.Register("quit", Quit);
  t.Register("auth", Auth);
  t.Register("hello", Hello);
  t.Register("select", Select);
  t.Register("reset", Reset);
}

}  // namespace tessera::commands
