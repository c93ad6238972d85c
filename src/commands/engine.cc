// Engine: command dispatch in Redis's check order (processCommand), and shared bookkeeping.
#include "tessera/commands/engine.h"

#include <malloc.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "fmt/format.h"
#include "commands/lfu.h"
#include "commands/pubsub_registry.h"
#include "tessera/commands/cluster.h"
#include "tessera/commands/errors.h"
#include "tessera/commands/notify.h"
#include "tessera/keyspace/small_alloc.h"

namespace tessera::commands {

Call::Call(Engine& e, ClientState& c, std::vector<std::string>& a, Command* command)
    : engine(e), client(c), argv(a), cmd(command), w(&c.out, c.proto) {}

keyspace::Db& Call::db() { return engine.db(client.db); }
int64_t Call::now_ms() const { return engine.now_ms(); }

void Call::Error(std::string_view text) {
  failed = true;
  w.Error(text);
  auto& st = engine.stats();
  ++st.total_error_replies;
  std::string_view code = text.substr(0, text.find(' '));
  ++st.errors[code];
}

void Call::WrongType() { Error(err::kWrongType); }
void Call::SyntaxError() { Error(err::kSyntax); }

void Call::Touched(std::string_view key, uint64_t changes) {
  engine.TouchKey(client.db, key);
  engine.stats().dirty += changes;
}

void Call::Notify(uint32_t type, std::string_view event, std::string_view key) {
  engine.NotifyKeyspaceEvent(type, event, key, client.db);
}

keyspace::Object* Call::Lookup(std::string_view key) {
  return engine.LookupKey(client.db, key);
}
keyspace::Object* Call::LookupRead(std::string_view key) {
  return engine.LookupKey(client.db, key, /*read=*/true);
}

void InstantMetric::Sample(core::MonoTime now, uint64_t value) {
  if (started_ && now > last_time_) {
    double secs = std::chrono::duration<double>(now - last_time_).count();
    rates_[next_] = static_cast<double>(value - last_value_) / secs;
    next_ = (next_ + 1) % kSamples;
  }
  started_ = true;
  last_time_ = now;
  last_value_ = value;
}

double InstantMetric::PerSecond() const {
  double sum = 0;
  for (double r : rates_) sum += r;
  return sum / kSamples;
}

Engine::Engine(EngineOptions opts, ServerIdentity id, ServerHooks* hooks,
               const core::Clock& clock, uint64_t seed)
    : opts_(std::move(opts)), id_(std::move(id)), hooks_(hooks), clock_(clock), rng_(seed),
      pubsub_(std::make_unique<PubSub>()) {
  dbs_.resize(opts_.databases);
  RegisterConnectionCommands(table_);
  RegisterStringCommands(table_);
  RegisterKeyCommands(table_);
  RegisterServerCommands(table_);
  RegisterClientCommands(table_);
  RegisterInfoCommands(table_);
  RegisterMultiCommands(table_);
  RegisterPubSubCommands(table_);
  RegisterBitCommands(table_);
  RegisterDumpCommands(table_);
  RegisterHashCommands(table_);
  RegisterSetCommands(table_);
  RegisterListCommands(table_);
  RegisterZSetCommands(table_);
  RegisterHllCommands(table_);
  RegisterClusterCommands(table_);
}

Engine::~Engine() = default;

namespace {

std::string ArgsPreview(const std::vector<std::string>& argv) {
  // Redis shows up to 128 bytes of each argument in single quotes, after the name.
  std::string s;
  for (size_t i = 1; i < argv.size() && s.size() < 128; ++i) {
    s += fmt::format("'{}' ", std::string_view(argv[i]).substr(0, 128 - s.size()));
  }
  return s;
}

bool Is(const Command* c, std::string_view name) { return c->name == name; }

}  // namespace

void Engine::Execute(ClientState& client, std::vector<std::string>& argv) {
  Command* cmd = table_.Find(argv[0]);
  Call call(*this, client, argv, cmd);
  // ASKING holds for exactly one command (or a whole MULTI ... EXEC), whatever its outcome.
  struct AskingReset {
    const Call& call;
    ~AskingReset() {
      const Command* c = call.cmd;
      if (!call.client.in_multi && !(c != nullptr && c->name == "asking")) {
        call.client.asking = false;
      }
    }
  } asking_reset{call};
  auto reject = [&](std::string_view text) {
    call.Error(text);
    if (cmd != nullptr) ++cmd->rejected_calls;
    if (client.in_multi) client.multi_dirty = true;
  };
  if (cmd == nullptr) {
    reject(fmt::format("ERR unknown command '{}', with args beginning with: {}",
                       std::string_view(argv[0]).substr(0, 128), ArgsPreview(argv)));
    return;
  }
  if (!cmd->subcommands.empty() && argv.size() >= 2) {
    auto it = cmd->subcommands.find(absl::AsciiStrToLower(argv[1]));
    if (it == cmd->subcommands.end() || it->second->handler == nullptr) {
      std::string upper = absl::AsciiStrToUpper(cmd->name);
      reject(fmt::format("ERR unknown subcommand '{}'. Try {} HELP.",
                         std::string_view(argv[1]).substr(0, 128), upper));
      return;
    }
    cmd = it->second;
    call.cmd = cmd;
  }
  if (!cmd->ArityOk(argv.size()) || (cmd->handler == nullptr && cmd->subcommands.size() > 0)) {
    reject(fmt::format("ERR wrong number of arguments for '{}' command", cmd->name));
    return;
  }
  if (!CheckAuth(client, cmd, argv)) {
    reject(err::kNoAuth);
    return;
  }
  if (client.in_multi && cmd->Has(kNoMulti)) {
    reject("ERR Command not allowed inside a transaction");
    return;
  }
  if (cluster_ != nullptr && !client.is_master_link) {
    std::string redirect = ClusterRoute(*this, *cluster_, client, *cmd, argv);
    if (!redirect.empty()) {
      reject(redirect);
      if (Is(cmd, "exec")) {  // a refused EXEC discards the transaction
        client.in_multi = client.multi_dirty = false;
        client.queued.clear();
        Unwatch(client);
      }
      return;
    }
  }
  if (opts_.maxmemory > 0 && !client.is_master_link && !FreeMemoryIfNeeded() &&
      RejectOnOom(client, cmd)) {
    if (client.in_multi && Is(cmd, "exec")) {
      // Redis aborts the whole transaction, naming the reason.
      call.Error(fmt::format("EXECABORT Transaction discarded because of: {}", err::kOom));
      ++cmd->rejected_calls;
      client.in_multi = false;
      client.multi_dirty = false;
      client.queued.clear();
      Unwatch(client);
      return;
    }
    reject(err::kOom);
    return;
  }
  if (!client.is_master_link && WriteForDiskCheck(client, cmd) &&
      hooks_->WritesDeniedByDiskError()) {
    reject(err::kMisconf);
    return;
  }
  if (client.proto == 2 && client.SubscriptionCount() > 0 && !cmd->Has(kPubSub) &&
      !Is(cmd, "ping") && !Is(cmd, "quit") && !Is(cmd, "reset")) {
    reject(fmt::format("ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                       "QUIT / RESET are allowed in this context",
                       cmd->name));
    return;
  }
  if (client.in_multi && !Is(cmd, "exec") && !Is(cmd, "discard") && !Is(cmd, "multi") &&
      !Is(cmd, "watch") && !Is(cmd, "quit") && !Is(cmd, "reset")) {
    QueueInMulti(call);
    return;
  }
  Dispatch(call);
  // Redis serves blocked clients after each command, so writes inside EXEC wake them only now.
  if (!ready_keys_.empty()) ServeReadyKeys();
}

Command* Engine::Lookup(const std::vector<std::string>& argv) {
  Command* cmd = table_.Find(argv[0]);
  if (cmd == nullptr || cmd->subcommands.empty() || argv.size() < 2) return cmd;
  auto it = cmd->subcommands.find(absl::AsciiStrToLower(argv[1]));
  return it == cmd->subcommands.end() ? nullptr : it->second;
}

void Engine::RunQueued(ClientState& client, std::vector<std::string>& argv) {
  Command* cmd = Lookup(argv);
  Call call(*this, client, argv, cmd);
  if (cmd == nullptr || cmd->handler == nullptr) {
    call.Error("ERR unknown command");  // cannot happen: it was looked up when queued
    return;
  }
  ++exec_depth_;
  Dispatch(call);
  --exec_depth_;
}

void Engine::QueueInMulti(Call& call) {
  call.client.queued.push_back(call.argv);
  call.w.Simple("QUEUED");
}

void Engine::Dispatch(Call& call) {
  Command* cmd = call.cmd;
  ClientState& client = call.client;
  if (!monitors_.empty() && !cmd->Has(kSkipMonitor) && !cmd->Has(kAdmin)) {
    FeedMonitors(client, call.argv);
  }
  core::MonoTime start = clock_.Now();
  cmd->handler(call);
  int64_t dur_us =
      std::chrono::duration_cast<std::chrono::microseconds>(clock_.Now() - start).count();
  ++cmd->calls;
  cmd->usec += static_cast<uint64_t>(std::max<int64_t>(dur_us, 0));
  if (call.failed) ++cmd->failed_calls;
  ++stats_.total_commands_processed;
  client.last_command = cmd->name;
  if (!cmd->Has(kSkipSlowlog)) RecordSlowlog(client, call.argv, dur_us);
}

bool Engine::RejectOnOom(const ClientState& c, const Command* cmd) {
  if (cmd->Has(kDenyOom)) return true;
  if (!c.in_multi) return false;
  // Queuing may grow without bound, so inside MULTI everything but these is refused; EXEC is
  // refused when it would run a denyoom command.
  if (Is(cmd, "exec")) {
    return std::any_of(c.queued.begin(), c.queued.end(), [&](const auto& argv) {
      const Command* q = Lookup(argv);
      return q != nullptr && q->Has(kDenyOom);
    });
  }
  return !Is(cmd, "discard") && !Is(cmd, "quit") && !Is(cmd, "reset");
}

bool Engine::WriteForDiskCheck(const ClientState& c, const Command* cmd) {
  // Redis refuses PING too, so that monitoring notices the failing disk.
  if (cmd->Has(kWrite) || Is(cmd, "ping")) return true;
  if (!Is(cmd, "exec")) return false;
  return std::any_of(c.queued.begin(), c.queued.end(), [&](const auto& argv) {
    const Command* q = Lookup(argv);
    return q != nullptr && q->Has(kWrite);
  });
}

bool Engine::CheckAuth(ClientState& c, Command* cmd, std::vector<std::string>& argv) {
  (void)argv;
  if (c.authenticated || opts_.requirepass.empty()) return true;
  const Command* top = cmd->parent != nullptr ? cmd->parent : cmd;
  return cmd->Has(kNoAuth) || top->Has(kNoAuth);
}

bool Engine::MustWait(const ClientState& c, const std::vector<std::string>& argv) {
  if (pause_until_ == core::MonoTime{} || c.is_master_link) return false;
  if (mono_ >= pause_until_) {
    pause_until_ = core::MonoTime{};
    return false;
  }
  if (!pause_writes_only_) return true;
  Command* cmd = table_.Find(argv[0]);
  if (cmd == nullptr) return false;
  return cmd->Has(kWrite) || cmd->Has(kMayReplicate);
}

void Engine::AddClient(ClientState* c) {
  clients_[c->id] = c;
  ++stats_.total_connections_received;
}

void Engine::RemoveClient(ClientState* c) {
  if (c->blocked) Unblock(*c, UnblockReason::kDisconnect);
  Unwatch(*c);
  pubsub_->RemoveClient(c);
  clients_.erase(c->id);
  monitors_.erase(std::remove(monitors_.begin(), monitors_.end(), c), monitors_.end());
  pending_.erase(std::remove(pending_.begin(), pending_.end(), c), pending_.end());
}

ClientState* Engine::FindClient(uint64_t id) {
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second;
}

void Engine::MarkPending(ClientState* c) {
  if (c->write_pending) return;
  c->write_pending = true;
  pending_.push_back(c);
}

std::vector<ClientState*> Engine::TakePending() {
  std::vector<ClientState*> out;
  out.swap(pending_);
  for (auto* c : out) c->write_pending = false;
  return out;
}

namespace {
std::string WatchKey(int db, std::string_view key) {
  std::string k = std::to_string(db);
  k.push_back(':');
  k.append(key);
  return k;
}
}  // namespace

void Engine::Watch(ClientState& c, int db, std::string_view key) {
  for (const auto& [d, k] : c.watched) {
    if (d == db && k == key) return;
  }
  c.watched.emplace_back(db, std::string(key));
  watched_keys_[WatchKey(db, key)].push_back(&c);
}

void Engine::Unwatch(ClientState& c) {
  for (const auto& [d, k] : c.watched) {
    auto it = watched_keys_.find(WatchKey(d, k));
    if (it == watched_keys_.end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), &c), v.end());
    if (v.empty()) watched_keys_.erase(it);
  }
  c.watched.clear();
  c.watch_dirty = false;
}

void Engine::TouchKey(int db, std::string_view key) {
  SignalKeyReady(db, key);
  if (watched_keys_.empty()) return;
  auto it = watched_keys_.find(WatchKey(db, key));
  if (it == watched_keys_.end()) return;
  for (auto* c : it->second) c->watch_dirty = true;
}

void Engine::TouchAllKeys(int db) {
  // SWAPDB and FLUSH* may have made any key of the db non-empty (Redis scans its blocked keys).
  for (const auto& [k, waiters] : blocking_keys_) {
    if (!waiters.empty() && (db < 0 || waiters.front()->db == db)) {
      SignalKeyReady(waiters.front()->db, std::string_view(k).substr(k.find(':') + 1));
    }
  }
  for (auto& [k, clients] : watched_keys_) {
    int d = std::atoi(k.c_str());
    if (db >= 0 && d != db) continue;
    for (auto* c : clients) c->watch_dirty = true;
  }
}

void Engine::FeedMonitors(const ClientState& c, const std::vector<std::string>& argv) {
  std::string line = fmt::format("{}.{:06d} [{} {}]", unix_us_ / 1000000, unix_us_ % 1000000,
                                 c.db, c.addr);
  for (const auto& a : argv) {
    line += " \"";
    for (unsigned char ch : a) {
      switch (ch) {
        case '\\': line += "\\\\"; break;
        case '"': line += "\\\""; break;
        case '\n': line += "\\n"; break;
        case '\r': line += "\\r"; break;
        case '\t': line += "\\t"; break;
        case '\a': line += "\\a"; break;
        case '\b': line += "\\b"; break;
        default:
          if (ch < 32 || ch >= 127) line += fmt::format("\\x{:02x}", ch);
          else line.push_back(static_cast<char>(ch));
      }
    }
    line += "\"";
  }
  for (auto* m : monitors_) {
    resp::Writer(&m->out, m->proto).Simple(line);
    MarkPending(m);
  }
}

void Engine::RecordSlowlog(const ClientState& c, const std::vector<std::string>& argv,
                           int64_t us) {
  if (opts_.slowlog_log_slower_than_us < 0 || us < opts_.slowlog_log_slower_than_us) return;
  SlowlogEntry e{slowlog_next_id_++, unix_us_ / 1000000, us, {}, c.addr, c.name};
  // Redis keeps at most 32 arguments and 128 bytes of each.
  size_t n = std::min<size_t>(argv.size(), 32);
  for (size_t i = 0; i < n; ++i) {
    if (i == 31 && argv.size() > 32) {
      e.argv.push_back(fmt::format("... ({} more arguments)", argv.size() - 31));
      break;
    }
    const std::string& a = argv[i];
    e.argv.push_back(a.size() > 128 ? fmt::format("{}... ({} more bytes)", a.substr(0, 128),
                                                  a.size() - 128)
                                    : a);
  }
  slowlog_.push_front(std::move(e));
  while (slowlog_.size() > opts_.slowlog_max_len) slowlog_.pop_back();
}

void Engine::RefreshMemory() {
  if (memory_probe_) {
    used_memory_ = memory_probe_();
    return;
  }
  struct mallinfo2 mi = mallinfo2();
  // Keyspace slabs are mapped outside malloc; count the blocks in use, as jemalloc's "allocated".
  used_memory_ = mi.uordblks + mi.hblkhd + keyspace::GetSmallAllocStats().in_use_bytes;
  used_memory_peak_ = std::max(used_memory_peak_, used_memory_);
}

bool Engine::ExpireIfNeeded(int db, std::string_view key) {
  keyspace::Db& d = dbs_[db];
  int64_t when = d.GetExpire(key);
  if (when < 0 || now_ms() <= when) return false;
  d.Delete(key);
  ++stats_.expired_keys;
  NotifyKeyspaceEvent(notify::kExpired, "expired", key, db);
  TouchKey(db, key);
  return true;
}

keyspace::Object* Engine::LookupKey(int db, std::string_view key, bool read) {
  keyspace::Db& d = dbs_[db];
  const bool lfu = IsLfuPolicy(opts_.maxmemory_policy);
  // Find overwrites the access time the LFU decay needs, so read it first.
  uint32_t last_access = 0;
  if (lfu) {
    const keyspace::Object* p = d.Peek(key, now_ms());
    if (p != nullptr) last_access = p->lru;
  }
  size_t before = d.Size();
  keyspace::Object* o = d.Find(key, now_ms());
  if (o == nullptr && d.Size() != before) {
    ++stats_.expired_keys;
    NotifyKeyspaceEvent(notify::kExpired, "expired", key, db);
    TouchKey(db, key);
  }
  if (read) ++(o != nullptr ? stats_.keyspace_hits : stats_.keyspace_misses);
  if (o != nullptr && lfu) {
    uint32_t now_s = o->lru;
    o->lru = last_access;
    uint8_t counter = LfuDecayed(*o, now_ms(), opts_.lfu_decay_time);
    o->lfu_counter = LfuIncremented(counter, opts_.lfu_log_factor, rng_.Unit());
    o->lru = now_s;
  }
  return o;
}

const keyspace::Object* Engine::PeekKey(int db, std::string_view key, bool read) {
  const keyspace::Object* o = ExpireIfNeeded(db, key) ? nullptr : dbs_[db].Peek(key, now_ms());
  if (read) ++(o != nullptr ? stats_.keyspace_hits : stats_.keyspace_misses);
  return o;
}

void Engine::Cron() {
  HandleBlockTimeouts();
  ops_metric_.Sample(mono_, stats_.total_commands_processed);
  net_input_metric_.Sample(mono_, stats_.total_net_input_bytes);
  net_output_metric_.Sample(mono_, stats_.total_net_output_bytes);
  // Active expiry: a bounded number of checks per db per tick, like Redis's slow cycle.
  for (int n = 0; opts_.active_expire_enabled && n < db_count(); ++n) {
    int i = (expire_db_cursor_ + n) % db_count();
    if (dbs_[i].ExpiresCount() == 0) continue;
    auto stats = dbs_[i].ActiveExpire(now_ms(), rng_.Next(), 200, [&](const std::string& key) {
      ++stats_.expired_keys;
      NotifyKeyspaceEvent(notify::kExpired, "expired", key, i);
      TouchKey(i, key);
    });
    (void)stats;
  }
  expire_db_cursor_ = (expire_db_cursor_ + 1) % std::max(1, db_count());
}

}  // namespace tessera::commands
