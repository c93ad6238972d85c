// CLIENT subcommands (ID, SETNAME, GETNAME, LIST, INFO, KILL, PAUSE, UNPAUSE, REPLY, NO-EVICT,
// TRACKING off, TRACKINGINFO, CACHING, GETREDIR, UNBLOCK, HELP) with Redis 7.0.15's texts.
#include <algorithm>

#include "commands/server_family.h"
#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

enum class ClientType { kNormal, kReplica, kPubSub, kMaster };

std::optional<ClientType> ParseClientType(std::string_view s) {
  if (EqualsIgnoreCase(s, "normal")) return ClientType::kNormal;
  if (EqualsIgnoreCase(s, "slave") || EqualsIgnoreCase(s, "replica")) return ClientType::kReplica;
  if (EqualsIgnoreCase(s, "pubsub")) return ClientType::kPubSub;
  if (EqualsIgnoreCase(s, "master")) return ClientType::kMaster;
  return std::nullopt;
}

ClientType TypeOf(const ClientState& cl) {
  if (cl.is_master_link) return ClientType::kMaster;
  if (cl.SubscriptionCount() > 0) return ClientType::kPubSub;
  return ClientType::kNormal;
}

// The flags letters of CLIENT LIST, in Redis's order.
std::string FlagsOf(const ClientState& cl) {
  std::string f;
  if (cl.monitor) f += 'O';
  if (cl.is_master_link) f += 'M';
  if (cl.SubscriptionCount() > 0) f += 'P';
  if (cl.in_multi) f += 'x';
  if (cl.blocked) f += 'b';
  if (cl.watch_dirty) f += 'd';
  if (cl.close_after_reply) f += 'c';
  if (cl.close_asap) f += 'A';
  if (cl.readonly) f += 'r';
  if (cl.no_evict) f += 'e';
  if (f.empty()) f.push_back('N');
  return f;
}

size_t ArgvBytes(const std::vector<std::string>& argv) {
  size_t n = 0;
  for (const auto& a : argv) n += a.size();
  return n;
}

int64_t SecondsBetween(core::MonoTime from, core::MonoTime to) {
  return std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(to - from).count());
}

// One CLIENT LIST / CLIENT INFO line (without the trailing newline). The caller's own line shows
// the command being run and its arguments, like Redis.
std::string InfoLine(const Call& c, const ClientState& cl) {
  bool self = &cl == &c.client;
  size_t argv_mem = self ? ArgvBytes(c.argv) : 0;
  size_t multi_mem = 0;
  for (const auto& q : cl.queued) multi_mem += ArgvBytes(q);
  core::MonoTime now = c.engine.mono_now();
  constexpr size_t kReplyBuffer = 16384;  // Redis's default reply buffer (rbs / rbp)
  size_t tot_mem = cl.query_buffer_bytes + cl.query_buffer_free + argv_mem + multi_mem +
                   kReplyBuffer + cl.out.capacity() + sizeof(ClientState);
  return fmt::format(
      "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} "
      "multi={} qbuf={} qbuf-free={} argv-mem={} multi-mem={} rbs={} rbp={} obl={} oll=0 omem={} "
      "tot-mem={} events={} cmd={} user=default redir=-1 resp={}",
      cl.id, cl.addr, cl.laddr, cl.fd, cl.name, SecondsBetween(cl.created, now),
      SecondsBetween(cl.last_interaction, now), FlagsOf(cl), cl.db, cl.channels.size(),
      cl.patterns.size(), cl.shard_channels.size(),
      cl.in_multi ? static_cast<int64_t>(cl.queued.size()) : -1, cl.query_buffer_bytes,
      cl.query_buffer_free, argv_mem, multi_mem, kReplyBuffer, kReplyBuffer,
      self ? 0 : cl.out.size(), self ? 0 : cl.out.size(), tot_mem,
      !self && !cl.out.empty() ? "rw" : "r", self ? c.cmd->name : cl.last_command, cl.proto);
}

std::vector<ClientState*> ClientsById(Engine& e) {
  std::vector<ClientState*> all;
  for (const auto& [id, cl] : e.clients()) all.push_back(cl);
  std::sort(all.begin(), all.end(),
            [](const ClientState* a, const ClientState* b) { return a->id < b->id; });
  return all;
}

void Id(Call& c) { c.w.Integer(static_cast<int64_t>(c.client.id)); }

void Info(Call& c) { c.w.Verbatim(InfoLine(c, c.client) + "\n"); }

void List(Call& c) {
  std::vector<ClientState*> chosen;
  if (c.argc() == 4 && EqualsIgnoreCase(c.arg(2), "type")) {
    auto type = ParseClientType(c.arg(3));
    if (!type) {
      c.Error(fmt::format("ERR Unknown client type '{}'", c.arg(3)));
      return;
    }
    for (ClientState* cl : ClientsById(c.engine)) {
      if (TypeOf(*cl) == *type) chosen.push_back(cl);
    }
  } else if (c.argc() > 3 && EqualsIgnoreCase(c.arg(2), "id")) {
    std::vector<int64_t> ids;
    for (size_t i = 3; i < c.argc(); ++i) {
      auto id = ParseInt(c.arg(i));
      if (!id) {
        c.Error("ERR Invalid client ID");
        return;
      }
      ids.push_back(*id);
    }
    for (int64_t id : ids) {
      if (id <= 0) continue;
      if (ClientState* cl = c.engine.FindClient(static_cast<uint64_t>(id))) chosen.push_back(cl);
    }
  } else if (c.argc() != 2) {
    c.SyntaxError();
    return;
  } else {
    chosen = ClientsById(c.engine);
  }
  std::string text;
  for (const ClientState* cl : chosen) {
    text += InfoLine(c, *cl);
    text += '\n';
  }
  c.w.Verbatim(text);
}

void SetName(Call& c) {
  for (char ch : c.arg(2)) {
    if (ch < '!' || ch > '~') {
      c.Error("ERR Client names cannot contain spaces, newlines or special characters.");
      return;
    }
  }
  c.client.name = c.arg(2);
  c.Ok();
}

void GetName(Call& c) {
  if (c.client.name.empty()) {
    c.w.Null();
  } else {
    c.w.Bulk(c.client.name);
  }
}

// Closes `target`: after this reply when it is the caller, otherwise at the next flush.
void Kill(Call& c, ClientState* target) {
  if (target == &c.client) {
    target->close_after_reply = true;
    return;
  }
  target->close_asap = true;
  c.engine.MarkPending(target);
}

struct KillFilter {
  std::optional<uint64_t> id;
  std::optional<ClientType> type;
  std::optional<std::string> addr, laddr;
  bool skipme = true;
};

// Parses the "CLIENT KILL <filter> <value> ..." form; false (and replied) on an error.
bool ParseKillFilter(Call& c, KillFilter* f) {
  for (size_t i = 2; i < c.argc(); i += 2) {
    const std::string& opt = c.arg(i);
    if (i + 1 >= c.argc()) {
      c.SyntaxError();
      return false;
    }
    const std::string& val = c.arg(i + 1);
    if (EqualsIgnoreCase(opt, "id")) {
      auto id = ParseInt(val);
      if (!id || *id < 1) {
        c.Error("ERR client-id should be greater than 0");
        return false;
      }
      f->id = static_cast<uint64_t>(*id);
    } else if (EqualsIgnoreCase(opt, "type")) {
      f->type = ParseClientType(val);
      if (!f->type) {
        c.Error(fmt::format("ERR Unknown client type '{}'", val));
        return false;
      }
    } else if (EqualsIgnoreCase(opt, "user")) {
      // Tessera has only the default user, which every client is authenticated as.
      if (val != "default") {
        c.Error(fmt::format("ERR No such user '{}'", val));
        return false;
      }
    } else if (EqualsIgnoreCase(opt, "addr")) {
      f->addr = val;
    } else if (EqualsIgnoreCase(opt, "laddr")) {
      f->laddr = val;
    } else if (EqualsIgnoreCase(opt, "skipme")) {
      if (EqualsIgnoreCase(val, "yes")) {
        f->skipme = true;
      } else if (EqualsIgnoreCase(val, "no")) {
        f->skipme = false;
      } else {
        c.SyntaxError();
        return false;
      }
    } else {
      c.SyntaxError();
      return false;
    }
  }
  return true;
}

void KillCommand(Call& c) {
  if (c.argc() == 3) {  // the old form: CLIENT KILL ip:port
    for (ClientState* cl : ClientsById(c.engine)) {
      if (cl->addr == c.arg(2)) {
        Kill(c, cl);
        c.Ok();
        return;
      }
    }
    c.Error("ERR No such client");
    return;
  }
  KillFilter f;
  if (!ParseKillFilter(c, &f)) return;
  int64_t killed = 0;
  for (ClientState* cl : ClientsById(c.engine)) {
    if (f.id && cl->id != *f.id) continue;
    if (f.type && TypeOf(*cl) != *f.type) continue;
    if (f.addr && cl->addr != *f.addr) continue;
    if (f.laddr && cl->laddr != *f.laddr) continue;
    if (f.skipme && cl == &c.client) continue;
    Kill(c, cl);
    ++killed;
  }
  c.w.Integer(killed);
}

void Pause(Call& c) {
  if (c.argc() > 4) {
    SubcommandSyntaxError(c);
    return;
  }
  auto ms = ParseInt(c.arg(2));
  if (!ms) {
    c.Error("ERR timeout is not an integer or out of range");
    return;
  }
  if (*ms < 0) {
    c.Error("ERR timeout is negative");
    return;
  }
  bool writes_only = false;
  if (c.argc() == 4) {
    if (EqualsIgnoreCase(c.arg(3), "write")) {
      writes_only = true;
    } else if (!EqualsIgnoreCase(c.arg(3), "all")) {
      c.Error("ERR CLIENT PAUSE mode must be WRITE or ALL");
      return;
    }
  }
  int64_t capped = std::min<int64_t>(*ms, int64_t{1} << 40);  // no time_point overflow
  c.engine.Pause(c.engine.mono_now() + std::chrono::milliseconds(capped), writes_only);
  c.Ok();
}

void Unpause(Call& c) {
  c.engine.Unpause();
  c.Ok();
}

void Reply(Call& c) {
  const std::string& mode = c.arg(2);
  if (EqualsIgnoreCase(mode, "on")) {
    c.client.reply_mode = ReplyMode::kOn;
    c.Ok();
  } else if (EqualsIgnoreCase(mode, "off")) {
    c.client.reply_mode = ReplyMode::kOff;
  } else if (EqualsIgnoreCase(mode, "skip")) {
    if (c.client.reply_mode != ReplyMode::kOff) c.client.reply_mode = ReplyMode::kSkipNext;
  } else {
    c.SyntaxError();
  }
}

void NoEvict(Call& c) {
  if (EqualsIgnoreCase(c.arg(2), "on")) {
    c.client.no_evict = true;
  } else if (EqualsIgnoreCase(c.arg(2), "off")) {
    c.client.no_evict = false;
  } else {
    c.SyntaxError();
    return;
  }
  c.Ok();
}

void GetRedir(Call& c) { c.w.Integer(-1); }

void Tracking(Call& c) {
  if (EqualsIgnoreCase(c.arg(2), "off")) {
    c.Ok();  // tracking is never on, so turning it off always succeeds
  } else if (EqualsIgnoreCase(c.arg(2), "on")) {
    // Client-side caching (invalidation messages) is not implemented.
    c.Error("ERR CLIENT TRACKING ON is not supported by this server");
  } else {
    c.SyntaxError();
  }
}

void TrackingInfo(Call& c) {
  c.w.MapHeader(3);
  c.w.Bulk("flags");
  c.w.SetHeader(1);
  c.w.Bulk("off");
  c.w.Bulk("redirect");
  c.w.Integer(-1);
  c.w.Bulk("prefixes");
  c.w.ArrayHeader(0);
}

void Caching(Call& c) {
  c.Error(
      "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
      "OPTOUT mode enabled");
}

void Unblock(Call& c) {
  if (c.argc() > 4) {
    SubcommandSyntaxError(c);
    return;
  }
  auto id = ParseInt(c.arg(2));
  if (!id) {
    c.Error(err::kNotInteger);
    return;
  }
  if (c.argc() == 4 && !EqualsIgnoreCase(c.arg(3), "timeout") &&
      !EqualsIgnoreCase(c.arg(3), "error")) {
    c.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    return;
  }
  bool error = c.argc() == 4 && EqualsIgnoreCase(c.arg(3), "error");
  ClientState* target = c.engine.FindClient(static_cast<uint64_t>(*id));
  bool freed = target != nullptr &&
               c.engine.Unblock(*target, error ? Engine::UnblockReason::kError
                                               : Engine::UnblockReason::kTimeout);
  c.w.Integer(freed ? 1 : 0);
}

void Help(Call& c) {
  ReplyHelp(c, {"CACHING (YES|NO)",
                "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR",
                "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "KILL <ip:port>",
                "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Kill connections by type.",
                "    * USER <username>",
                "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)",
                "      Skip killing current connection (default: yes).",
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type.",
                "UNPAUSE",
                "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)",
                "    Control the replies sent to the current connection.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                "    Unblock the specified blocked client.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO",
                "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)",
                "    Protect current client connection from eviction."});
}

}  // namespace

void RegisterClientCommands(CommandTable& t) {
  t.Register("client|id", Id);
  t.Register("client|info", Info);
  t.Register("client|list", List);
  t.Register("client|setname", SetName);
  t.Register("client|getname", GetName);
  t.Register("client|kill", KillCommand);
  t.Register("client|pause", Pause);
  t.Register("client|unpause", Unpause);
  t.Register("client|reply", Reply);
  t.Register("client|no-evict", NoEvict);
  t.Register("client|getredir", GetRedir);
  t.Register("client|tracking", Tracking);
  t.Register("client|trackinginfo", TrackingInfo);
  t.Register("client|caching", Caching);
  t.Register("client|unblock", Unblock);
  t.Register("client|help", Help);
}

}  // namespace tessera::commands
