// Server commands: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, LASTSAVE, CONFIG, SLOWLOG, SHUTDOWN,
// MONITOR, LATENCY, with Redis 7.0.15's replies and error texts (checked against redis-server).
#include <algorithm>

#include "absl/strings/ascii.h"
#include "commands/server_family.h"
#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {

void ReplyHelp(Call& c, std::initializer_list<std::string_view> lines) {
  c.w.ArrayHeader(static_cast<int64_t>(lines.size()) + 3);
  c.w.Simple(fmt::format("{} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                         absl::AsciiStrToUpper(c.arg(0))));
  for (std::string_view l : lines) c.w.Simple(l);
  c.w.Simple("HELP");
  c.w.Simple("    Prints this help.");
}

void SubcommandSyntaxError(Call& c) {
  c.Error(fmt::format("ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
                      std::string_view(c.arg(1)).substr(0, 128), absl::AsciiStrToUpper(c.arg(0))));
}

bool IsLocalAddr(std::string_view addr) {
  size_t colon = addr.rfind(':');
  std::string_view ip = colon == std::string_view::npos ? addr : addr.substr(0, colon);
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  return ip == "127.0.0.1" || ip == "::1";
}

std::string BytesToHuman(uint64_t n) {
  double d = static_cast<double>(n);
  constexpr double k = 1024;
  if (n < 1024) return fmt::format("{}B", n);
  if (d < k * k) return fmt::format("{:.2f}K", d / k);
  if (d < k * k * k) return fmt::format("{:.2f}M", d / (k * k));
  if (d < k * k * k * k) return fmt::format("{:.2f}G", d / (k * k * k));
  if (d < k * k * k * k * k) return fmt::format("{:.2f}T", d / (k * k * k * k));
  if (d < k * k * k * k * k * k) return fmt::format("{:.2f}P", d / (k * k * k * k * k));
  return fmt::format("{}B", n);
}

namespace {

void DbSize(Call& c) { c.w.Integer(static_cast<int64_t>(c.db().Size())); }

// The optional ASYNC|SYNC argument of FLUSHDB/FLUSHALL; false (and replied) when invalid.
bool ParseFlushMode(Call& c) {
  if (c.argc() == 1) return true;
  if (c.argc() == 2 && (EqualsIgnoreCase(c.arg(1), "async") || EqualsIgnoreCase(c.arg(1), "sync")))
    return true;
  c.SyntaxError();
  return false;
}

// Empties one db. ASYNC frees synchronously too: the command layer has no helper thread, and
// Db::Clear is what the async path would run anyway.
uint64_t EmptyDb(Engine& e, int i) {
  uint64_t removed = e.db(i).Size();
  e.db(i).Clear();
  e.TouchAllKeys(i);
  return removed;
}

void FlushDb(Call& c) {
  if (!ParseFlushMode(c)) return;
  c.engine.stats().dirty += EmptyDb(c.engine, c.client.db);
  c.Ok();
}

void FlushAll(Call& c) {
  if (!ParseFlushMode(c)) return;
  uint64_t removed = 0;
  for (int i = 0; i < c.engine.db_count(); ++i) removed += EmptyDb(c.engine, i);
  c.engine.stats().dirty += removed;
  c.engine.hooks().AfterFlushAll();  // with save points Redis saves the empty dataset now
  c.Ok();
}

void SwapDb(Call& c) {
  if (c.engine.options().cluster_enabled) {
    c.Error("ERR SWAPDB is not allowed in cluster mode");
    return;
  }
  auto a = ParseInt(c.arg(1));
  if (!a || *a < INT32_MIN || *a > INT32_MAX) {
    c.Error("ERR invalid first DB index");
    return;
  }
  auto b = ParseInt(c.arg(2));
  if (!b || *b < INT32_MIN || *b > INT32_MAX) {
    c.Error("ERR invalid second DB index");
    return;
  }
  int n = c.engine.db_count();
  if (*a < 0 || *a >= n || *b < 0 || *b >= n) {
    c.Error(err::kDbIndex);
    return;
  }
  if (*a != *b) {
    c.engine.db(static_cast<int>(*a)).Swap(c.engine.db(static_cast<int>(*b)));
    // Keys watched in either db may now hold other values (or none).
    c.engine.TouchAllKeys(static_cast<int>(*a));
    c.engine.TouchAllKeys(static_cast<int>(*b));
  }
  ++c.engine.stats().dirty;
  c.Ok();
}

void Time(Call& c) {
  int64_t us = c.engine.now_us();
  c.w.ArrayHeader(2);
  c.w.BulkInt(us / 1000000);
  c.w.BulkInt(us % 1000000);
}

void LastSave(Call& c) {
  // Until the first save Redis reports its start time.
  int64_t t = c.engine.lastsave_unix_s;
  if (t == 0) t = c.engine.identity().started_unix_ms / 1000;
  c.w.Integer(t);
}

void ConfigGet(Call& c) {
  std::vector<std::string> patterns(c.argv.begin() + 2, c.argv.end());
  auto kv = c.engine.hooks().ConfigGet(patterns);
  c.w.MapHeader(static_cast<int64_t>(kv.size()));
  for (const auto& [k, v] : kv) {
    c.w.Bulk(k);
    c.w.Bulk(v);
  }
}

void ConfigSet(Call& c) {
  if ((c.argc() - 2) % 2 != 0) {
    c.SyntaxError();
    return;
  }
  std::vector<std::pair<std::string, std::string>> kv;
  for (size_t i = 2; i + 1 < c.argc(); i += 2) kv.emplace_back(c.arg(i), c.arg(i + 1));
  absl::Status st = c.engine.hooks().ConfigSet(kv);
  if (!st.ok()) {
    c.Error(std::string(st.message()));
    return;
  }
  c.Ok();
}

void ConfigResetStat(Call& c) {
  Stats& st = c.engine.stats();
  uint64_t dirty = st.dirty;  // not a statistic: it drives saving
  st = Stats{};
  st.dirty = dirty;
  for (Command* cmd : c.engine.table().AllImplemented()) {
    cmd->calls = cmd->usec = cmd->rejected_calls = cmd->failed_calls = 0;
  }
  c.engine.hooks().ConfigResetStat();
  c.Ok();
}

void ConfigRewrite(Call& c) {
  absl::Status st = c.engine.hooks().ConfigRewrite();
  if (!st.ok()) {
    c.Error(std::string(st.message()));
    return;
  }
  c.Ok();
}

void ConfigHelp(Call& c) {
  ReplyHelp(c, {"GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
                "RESETSTAT", "    Reset statistics reported by the INFO command.", "REWRITE",
                "    Rewrite the configuration file."});
}

void SlowlogGet(Call& c) {
  if (c.argc() > 3) {
    SubcommandSyntaxError(c);
    return;
  }
  int64_t count = 10;
  if (c.argc() == 3) {
    auto v = ParseInt(c.arg(2));
    if (!v || *v < -1) {
      c.Error("ERR count should be greater than or equal to -1");
      return;
    }
    count = *v;
  }
  const auto& log = c.engine.slowlog();
  size_t n = count == -1 ? log.size() : std::min<size_t>(static_cast<size_t>(count), log.size());
  c.w.ArrayHeader(static_cast<int64_t>(n));
  for (size_t i = 0; i < n; ++i) {
    const SlowlogEntry& e = log[i];
    c.w.ArrayHeader(6);
    c.w.Integer(static_cast<int64_t>(e.id));
    c.w.Integer(e.unix_s);
    c.w.Integer(e.duration_us);
    c.w.ArrayHeader(static_cast<int64_t>(e.argv.size()));
    for (const auto& a : e.argv) c.w.Bulk(a);
    c.w.Bulk(e.addr);
    c.w.Bulk(e.name);
  }
}

void SlowlogLen(Call& c) { c.w.Integer(static_cast<int64_t>(c.engine.slowlog().size())); }

void SlowlogReset(Call& c) {
  c.engine.slowlog().clear();
  c.Ok();
}

void SlowlogHelp(Call& c) {
  ReplyHelp(c, {"GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name", "LEN", "    Return the length of the slowlog.", "RESET",
                "    Reset the slowlog."});
}

void Shutdown(Call& c) {
  bool nosave = false, save = false, abort = false, other = false;
  for (size_t i = 1; i < c.argc(); ++i) {
    const std::string& a = c.arg(i);
    if (EqualsIgnoreCase(a, "nosave")) {
      nosave = true;
    } else if (EqualsIgnoreCase(a, "save")) {
      save = true;
    } else if (EqualsIgnoreCase(a, "now") || EqualsIgnoreCase(a, "force")) {
      other = true;
    } else if (EqualsIgnoreCase(a, "abort")) {
      abort = true;
    } else {
      c.SyntaxError();
      return;
    }
  }
  if ((nosave && save) || (abort && (nosave || save || other))) {
    c.SyntaxError();
    return;
  }
  if (abort) {
    // Tessera shuts down at once, so there is never a pending shutdown to abort.
    c.Error("ERR No shutdown in progress.");
    return;
  }
  ShutdownMode mode = save     ? ShutdownMode::kSave
                      : nosave ? ShutdownMode::kNoSave
                               : ShutdownMode::kDefault;
  absl::Status st = c.engine.hooks().Shutdown(mode);
  if (!st.ok()) {
    c.Error(std::string(st.message()));
    return;
  }
  // Redis never answers a successful SHUTDOWN: the connection just closes.
  c.client.close_asap = true;
}

void Monitor(Call& c) {
  if (c.client.monitor) {  // Redis ignores a second MONITOR silently
    return;
  }
  c.client.monitor = true;
  c.engine.AddMonitor(&c.client);
  c.Ok();
}

void LatencyLatest(Call& c) { c.w.ArrayHeader(0); }
void LatencyHistory(Call& c) { c.w.ArrayHeader(0); }
void LatencyReset(Call& c) { c.w.Integer(0); }

void LatencyGraph(Call& c) {
  c.Error(fmt::format("ERR No samples available for event '{}'", c.arg(2)));
}

void LatencyDoctor(Call& c) {
  c.w.Verbatim(
      "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "
      "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable "
      "it. If we weren't in a deep space mission I'd suggest to take a look at "
      "https://redis.io/topics/latency-monitor.\n");
}

void LatencyHelp(Call& c) {
  ReplyHelp(c, {"DOCTOR", "    Return a human readable latency analysis report.", "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.", "HISTORY <event>",
                "    Return time-latency samples for the <event> class.", "LATEST",
                "    Return the latest latency samples for all events.", "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)", "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram "
                "for the specified command names.",
                "    If no commands are specified then all histograms are replied."});
}

}  // namespace

void RegisterServerCommands(CommandTable& t) {
  t.Register("dbsize", DbSize);
  t.Register("flushdb", FlushDb);
  t.Register("flushall", FlushAll);
  t.Register("swapdb", SwapDb);
  t.Register("time", Time);
  t.Register("lastsave", LastSave);
  t.Register("config|get", ConfigGet);
  t.Register("config|set", ConfigSet);
  t.Register("config|resetstat", ConfigResetStat);
  t.Register("config|rewrite", ConfigRewrite);
  t.Register("config|help", ConfigHelp);
  t.Register("slowlog|get", SlowlogGet);
  t.Register("slowlog|len", SlowlogLen);
  t.Register("slowlog|reset", SlowlogReset);
  t.Register("slowlog|help", SlowlogHelp);
  t.Register("shutdown", Shutdown);
  t.Register("monitor", Monitor);
  t.Register("latency|latest", LatencyLatest);
  t.Register("latency|history", LatencyHistory);
  t.Register("latency|reset", LatencyReset);
  t.Register("latency|graph", LatencyGraph);
  t.Register("latency|doctor", LatencyDoctor);
  t.Register("latency|help", LatencyHelp);
  RegisterCommandCommands(t);
  RegisterDebugCommands(t);
}

}  // namespace tessera::commands
