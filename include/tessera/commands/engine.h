// The data side of a node: databases, clients' command state, pub/sub, stats, and dispatch.
// Single-threaded; the server feeds it parsed commands and the time, and writes what it appends
// to clients' output buffers. Nothing here opens a socket or reads a clock.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tessera/commands/client.h"
#include "tessera/commands/command_table.h"
#include "tessera/core/clock.h"
#include "tessera/core/rng.h"
#include "tessera/keyspace/db.h"
#include "tessera/keyspace/encoding_limits.h"
#include "tessera/keyspace/zset.h"
#include "tessera/resp/writer.h"

namespace tessera::commands {

enum class MaxmemoryPolicy {
  kNoEviction, kAllKeysLru, kAllKeysLfu, kAllKeysRandom,
  kVolatileLru, kVolatileLfu, kVolatileRandom, kVolatileTtl,
};

enum class DebugCommand { kNo, kYes, kLocal };

// The options the engine enforces; the server keeps them in sync with the config.
struct EngineOptions {
  int databases = 16;
  std::string requirepass;
  uint64_t maxmemory = 0;
  MaxmemoryPolicy maxmemory_policy = MaxmemoryPolicy::kNoEviction;
  int maxmemory_samples = 5;
  DebugCommand enable_debug_command = DebugCommand::kNo;
  int hz = 10;
  bool cluster_enabled = false;
  int64_t slowlog_log_slower_than_us = 10000;
  size_t slowlog_max_len = 128;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;
  // DEBUG SET-ACTIVE-EXPIRE: when false, Cron leaves expired keys to lazy expiry.
  bool active_expire_enabled = true;
  // proto-max-bulk-len: the longest string SETRANGE/APPEND/SETBIT/BITFIELD may build.
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  // rdbcompression: DUMP payloads LZF-compress long strings like RDB files.
  bool rdb_compression = true;
  keyspace::EncodingLimits encoding_limits;
  keyspace::ZSetLimits zset_limits;
  // notify-keyspace-events as notify::k* bits (tessera/commands/notify.h); 0 publishes nothing.
  uint32_t notify_keyspace_events = 0;
};

// What INFO server prints about the process; filled once by the server.
struct ServerIdentity {
  int64_t pid = 0;
  int tcp_port = 6379;
  std::string run_id;
  std::string executable;
  std::string config_file;
  core::MonoTime started{};
  int64_t started_unix_ms = 0;
};

enum class ShutdownMode { kDefault, kSave, kNoSave };

// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE].
struct ReloadOptions {
  bool merge = false;  // keys in the file replace existing ones instead of being an error
  bool flush = true;   // empty the dataset before loading
  bool save = true;    // save the RDB first
};

// What the process and the machine report about memory (the server reads the OS for it).
struct ProcessMemory {
  uint64_t rss_bytes = 0;           // resident set size; 0 if unknown
  uint64_t total_system_bytes = 0;  // physical memory; 0 if unknown
};

// Services only the server can give (config table, process control, the OS).
class ServerHooks {
 public:
  virtual ~ServerHooks() = default;
  // CONFIG GET: name/value pairs matching any of the glob patterns.
  virtual std::vector<std::pair<std::string, std::string>> ConfigGet(
      const std::vector<std::string>& patterns) = 0;
  // CONFIG SET: all or nothing; the error message is the whole reply text without "-".
  virtual absl::Status ConfigSet(const std::vector<std::pair<std::string, std::string>>& kv) = 0;
  virtual absl::Status ConfigRewrite() = 0;
  virtual void ConfigResetStat() {}
  // SHUTDOWN: returns an error (reply text) when the shutdown cannot proceed.
  virtual absl::Status Shutdown(ShutdownMode mode) = 0;
  // INFO sections that belong to the server (e.g. "persistence", "replication", "cluster"): the
  // section's "field:value\r\n" lines without the "# Title" line. Empty: INFO prints the
  // engine's defaults for that section.
  virtual std::string InfoSection(std::string_view section) { (void)section; return {}; }

  // RDB persistence. Errors carry the whole reply text ("ERR Background save already in
  // progress"). SAVE; BGSAVE returns its status reply ("Background saving started"), `in_exec`
  // says it runs inside EXEC (Redis then only schedules it).
  virtual absl::Status Save() { return absl::UnimplementedError("ERR"); }
  virtual absl::StatusOr<std::string> BgSave(bool schedule, bool in_exec) {
    (void)schedule;
    (void)in_exec;
    return absl::UnimplementedError("ERR");
  }
  virtual absl::Status DebugReload(const ReloadOptions& opts) {
    (void)opts;
    return absl::UnimplementedError("ERR Error trying to load the RDB dump, check server logs.");
  }
  // After FLUSHALL emptied every db (Redis then saves an empty RDB when save points exist).
  virtual void AfterFlushAll() {}
  // MISCONF: the last background save failed and stop-writes-on-bgsave-error applies.
  virtual bool WritesDeniedByDiskError() { return false; }
  // INFO memory, MEMORY STATS.
  virtual ProcessMemory ReadProcessMemory() { return {}; }
  // DEBUG SLEEP: blocks the data thread on purpose (tests simulate a busy server with it).
  virtual void Stall(double seconds) { (void)seconds; }
};

struct SlowlogEntry {
  uint64_t id;
  int64_t unix_s;
  int64_t duration_us;
  std::vector<std::string> argv;
  std::string addr, name;
};

struct Stats {
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t expired_keys = 0;
  uint64_t evicted_keys = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t pubsub_messages = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t client_query_buffer_limit_disconnections = 0;
  uint64_t client_output_buffer_limit_disconnections = 0;
  uint64_t dirty = 0;  // changes since the last save
  absl::flat_hash_map<std::string, uint64_t, core::StringHash, core::StringEq> errors;  // errorstats
};

// Redis's instantaneous metrics (INFO instantaneous_ops_per_sec, *_kbps): a ring of per-cron
// rates whose mean is reported.
class InstantMetric {
 public:
  // Records the counter's value at `now`; the rate is taken against the previous sample.
  void Sample(core::MonoTime now, uint64_t value);
  // Mean rate per second over the ring.
  double PerSecond() const;

 private:
  static constexpr int kSamples = 16;  // Redis's STATS_METRIC_SAMPLES
  double rates_[kSamples] = {};
  int next_ = 0;
  core::MonoTime last_time_{};
  uint64_t last_value_ = 0;
  bool started_ = false;
};

class Engine;
struct ClusterContext;

// One command invocation: what a handler sees.
class Call {
 public:
  Call(Engine& e, ClientState& c, std::vector<std::string>& argv, Command* cmd);
  Engine& engine;
  ClientState& client;
  std::vector<std::string>& argv;
  Command* cmd;
  resp::Writer w;

  keyspace::Db& db();
  int64_t now_ms() const;
  const std::string& arg(size_t i) const { return argv[i]; }
  size_t argc() const { return argv.size(); }

  void Ok() { w.Simple("OK"); }
  // An error reply, counted in errorstats. `text` starts with the code ("ERR ...").
  void Error(std::string_view text);
  void WrongType();
  void SyntaxError();
  // A write changed `key` in the current db: WATCH invalidation and the dirty counter.
  void Touched(std::string_view key, uint64_t changes = 1);
  // A keyspace notification of class `type` (notify::k*) for key in the current db.
  void Notify(uint32_t type, std::string_view event, std::string_view key);
  // Engine::LookupKey in the current db, for writes (no hit/miss stats) and reads.
  keyspace::Object* Lookup(std::string_view key);
  keyspace::Object* LookupRead(std::string_view key);
  bool failed = false;
};

class Engine {
 public:
  // `clock` times commands (slowlog, commandstats); the engine's notion of "now" for data is
  // what SetTime gave it.
  Engine(EngineOptions opts, ServerIdentity id, ServerHooks* hooks, const core::Clock& clock,
         uint64_t seed);
  ~Engine();

  // Runs one parsed command for a client (argv must be non-empty); replies go to client.out.
  void Execute(ClientState& client, std::vector<std::string>& argv);

  // Runs a command queued by MULTI (its checks were made when it was queued).
  void RunQueued(ClientState& client, std::vector<std::string>& argv);

  // Time, set by the server before each batch of work (Redis's cached mstime).
  void SetTime(core::MonoTime mono, int64_t unix_us) {
    mono_ = mono;
    unix_us_ = unix_us;
  }
  core::MonoTime mono_now() const { return mono_; }
  int64_t now_ms() const { return unix_us_ / 1000; }
  int64_t now_us() const { return unix_us_; }

  // Clients.
  void AddClient(ClientState* c);
  void RemoveClient(ClientState* c);  // unsubscribes, unwatches
  ClientState* FindClient(uint64_t id);
  const absl::flat_hash_map<uint64_t, ClientState*>& clients() const { return clients_; }
  uint64_t NextClientId() { return ++last_client_id_; }
  // Clients with output waiting that did not issue the command being run (pub/sub, unblocked).
  void MarkPending(ClientState* c);
  std::vector<ClientState*> TakePending();

  // Periodic work (the 100 ms cron, `hz` times a second): active expiry and the like.
  void Cron();

  // Blocking commands (blocking.cc). A handler whose keys are all empty calls Block, replying
  // nothing; the client is then served in FIFO order per key by ServeReadyKeys after a write makes
  // one of its keys ready, or replied a null array when `timeout_ms` (> 0; 0 blocks forever)
  // passes (Cron). Precondition: CanBlock(c.client).
  void Block(Call& c, std::vector<std::string> keys, int64_t timeout_ms, BlockedServeFn serve);
  // False inside EXEC (and for the master link): blocking commands then answer as on timeout.
  bool CanBlock(const ClientState& c) const { return exec_depth_ == 0 && !c.is_master_link; }
  // A write may have made `key` non-empty; cheap when no client waits on it.
  void SignalKeyReady(int db, std::string_view key);
  // Serves blocked clients from the keys signalled ready, until none can be served. Execute calls
  // it after each top-level command (so after EXEC for writes inside MULTI).
  void ServeReadyKeys();
  enum class UnblockReason { kTimeout, kError, kDisconnect };
  // Frees a blocked client: kTimeout replies a null array, kError the UNBLOCKED error, kDisconnect
  // nothing. Marks it pending (except on disconnect). False when it was not blocked.
  bool Unblock(ClientState& c, UnblockReason reason);
  size_t blocked_count() const { return blocked_count_; }
  size_t blocked_with_timeout_count() const { return block_deadlines_.size(); }

  // Publishes a keyspace notification when class `type` is enabled: __keyspace@<db>__:<key>
  // <event> (K) then __keyevent@<db>__:<event> <key> (E), as Redis's notifyKeyspaceEvent.
  void NotifyKeyspaceEvent(uint32_t type, std::string_view event, std::string_view key, int db);

  // Pub/sub; return the number of receivers.
  size_t Publish(std::string_view channel, std::string_view message, bool shard = false);
  // This node stopped serving these slots (cluster-commands.md 3.8): every subscriber of a shard
  // channel in them is unsubscribed and told so with a "sunsubscribe" message.
  void UnsubscribeShardSlots(const std::vector<int>& slots);

  keyspace::Db& db(int i) { return dbs_[i]; }
  // Key lookups for commands (Redis's lookupKey*): a key found logically expired is deleted
  // first, counted in expired_keys and its watchers invalidated, then reported missing.
  // LookupKey records the access (LRU time; under an LFU policy the LFU counter too); PeekKey
  // does not (Redis's LOOKUP_NOTOUCH: TYPE, EXISTS, TTL, OBJECT). `read` counts keyspace
  // hits/misses. Pointers are valid until the next mutation of that db.
  keyspace::Object* LookupKey(int db, std::string_view key, bool read = false);
  const keyspace::Object* PeekKey(int db, std::string_view key, bool read = false);
  // Deletes `key` if it is logically expired (with the accounting above); true if it did.
  bool ExpireIfNeeded(int db, std::string_view key);
  int db_count() const { return static_cast<int>(dbs_.size()); }
  CommandTable& table() { return table_; }
  EngineOptions& options() { return opts_; }
  const ServerIdentity& identity() const { return id_; }
  ServerHooks& hooks() { return *hooks_; }
  Stats& stats() { return stats_; }
  core::Rng& rng() { return rng_; }
  const core::Clock& clock() const { return clock_; }
  std::deque<SlowlogEntry>& slowlog() { return slowlog_; }
  uint64_t& slowlog_next_id() { return slowlog_next_id_; }

  // WATCH bookkeeping.
  void Watch(ClientState& c, int db, std::string_view key);
  void Unwatch(ClientState& c);
  void TouchKey(int db, std::string_view key);
  void TouchAllKeys(int db);  // FLUSHDB/FLUSHALL/SWAPDB

  // Pub/sub bookkeeping used by the pubsub commands.
  struct PubSub;
  PubSub& pubsub() { return *pubsub_; }

  // CLIENT PAUSE: until when, and whether only writes are paused.
  void Pause(core::MonoTime until, bool writes_only) {
    pause_until_ = until;
    pause_writes_only_ = writes_only;
  }
  void Unpause() { pause_until_ = core::MonoTime{}; }
  // Whether a command must wait (the server keeps it and retries on cron).
  bool MustWait(const ClientState& c, const std::vector<std::string>& argv);

  // Evicts keys until under maxmemory; false when it could not (OOM for write commands).
  bool FreeMemoryIfNeeded();
  // Memory in use by the process's heap (glibc's count), cached per call to RefreshMemory().
  size_t used_memory() const { return used_memory_; }
  size_t used_memory_peak() const { return used_memory_peak_; }  // highest RefreshMemory saw
  void RefreshMemory();
  // Replaces glibc's count as the source of used_memory (tests make eviction deterministic).
  void SetMemoryProbe(std::function<size_t()> probe) { memory_probe_ = std::move(probe); }
  void AddMonitor(ClientState* c) { monitors_.push_back(c); }
  size_t monitor_count() const { return monitors_.size(); }

  // INFO's instantaneous metrics, sampled by Cron.
  const InstantMetric& ops_metric() const { return ops_metric_; }
  const InstantMetric& net_input_metric() const { return net_input_metric_; }
  const InstantMetric& net_output_metric() const { return net_output_metric_; }

  int64_t lastsave_unix_s = 0;
  // True while EXEC runs its queued commands (BGSAVE is then only scheduled).
  bool in_exec = false;

  // Cluster mode (cluster-enabled yes): the server sets this once before serving; nullptr
  // otherwise. Routing (MOVED/ASK/...) runs before dispatch when it is set.
  void set_cluster(ClusterContext* cluster) { cluster_ = cluster; }
  ClusterContext* cluster() { return cluster_; }

 private:
  void Dispatch(Call& call);
  // The command, or its subcommand when it has them; nullptr when unknown.
  Command* Lookup(const std::vector<std::string>& argv);
  bool CheckAuth(ClientState& c, Command* cmd, std::vector<std::string>& argv);
  // Whether a command is refused while over maxmemory (Redis's processCommand rules).
  bool RejectOnOom(const ClientState& c, const Command* cmd);
  // Whether the MISCONF check applies: write commands, PING, EXEC with a queued write.
  bool WriteForDiskCheck(const ClientState& c, const Command* cmd);
  void FeedMonitors(const ClientState& c, const std::vector<std::string>& argv);
  void RecordSlowlog(const ClientState& c, const std::vector<std::string>& argv, int64_t us);
  void QueueInMulti(Call& call);
  // Removes a blocked client from the key FIFOs and the deadline table.
  void UnregisterBlocked(ClientState& c);
  void ServeKey(int db, const std::string& key);
  void HandleBlockTimeouts();

  EngineOptions opts_;
  ServerIdentity id_;
  ServerHooks* hooks_;
  const core::Clock& clock_;
  core::Rng rng_;
  std::vector<keyspace::Db> dbs_;
  CommandTable table_;
  Stats stats_;
  absl::flat_hash_map<uint64_t, ClientState*> clients_;
  uint64_t last_client_id_ = 0;
  std::vector<ClientState*> pending_;
  std::unique_ptr<PubSub> pubsub_;
  // WATCHed keys: (db, key) -> clients watching it.
  absl::flat_hash_map<std::string, std::vector<ClientState*>, core::StringHash, core::StringEq>
      watched_keys_;
  std::vector<ClientState*> monitors_;
  std::deque<SlowlogEntry> slowlog_;
  uint64_t slowlog_next_id_ = 0;
  core::MonoTime mono_{};
  int64_t unix_us_ = 0;
  core::MonoTime pause_until_{};
  bool pause_writes_only_ = false;
  size_t used_memory_ = 0;
  size_t used_memory_peak_ = 0;
  std::function<size_t()> memory_probe_;
  int expire_db_cursor_ = 0;
  InstantMetric ops_metric_, net_input_metric_, net_output_metric_;
  ClusterContext* cluster_ = nullptr;
  // Blocking: (db, key) as WatchKey spells it -> blocked clients, oldest first.
  absl::flat_hash_map<std::string, std::deque<ClientState*>, core::StringHash, core::StringEq>
      blocking_keys_;
  std::vector<std::pair<int, std::string>> ready_keys_;
  absl::flat_hash_set<std::string, core::StringHash, core::StringEq> ready_set_;
  std::set<std::pair<core::MonoTime, uint64_t>> block_deadlines_;  // (deadline, client id)
  size_t blocked_count_ = 0;
  int exec_depth_ = 0;  // RunQueued nesting: EXEC is running
  bool serving_ready_ = false;
};

// Registration of each command family (one file each).
void RegisterConnectionCommands(CommandTable& t);
void RegisterStringCommands(CommandTable& t);
void RegisterKeyCommands(CommandTable& t);
void RegisterServerCommands(CommandTable& t);
void RegisterClientCommands(CommandTable& t);
void RegisterInfoCommands(CommandTable& t);
void RegisterMultiCommands(CommandTable& t);
void RegisterPubSubCommands(CommandTable& t);
void RegisterBitCommands(CommandTable& t);
void RegisterDumpCommands(CommandTable& t);
void RegisterHashCommands(CommandTable& t);
void RegisterSetCommands(CommandTable& t);
void RegisterListCommands(CommandTable& t);
void RegisterZSetCommands(CommandTable& t);
void RegisterHllCommands(CommandTable& t);

}  // namespace tessera::commands
