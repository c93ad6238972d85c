// tessera-server configuration: one typed table of every Redis 7.0 directive, loaded from
// redis.conf syntax and the command line, changed by CONFIG SET, saved by CONFIG REWRITE.
// What each directive does in Tessera is listed in docs/configuration.md.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tessera/commands/notify.h"

namespace tessera::server {

// How far Tessera honours a directive.
enum class Support {
  kImplemented,  // Tessera enforces it.
  kTuning,       // only tunes Redis internals: any valid value is stored and shown, no effect.
  kDefaultOnly,  // a behaviour Tessera lacks: only the Redis default value is accepted.
};

enum class LogLevel { kDebug, kVerbose, kNotice, kWarning };
enum class MaxmemoryPolicy {
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
  kAllkeysLru,
  kAllkeysLfu,
  kAllkeysRandom,
  kNoeviction,
};
// enable-debug-command / enable-protected-configs: no, yes, or only from loopback clients.
enum class Access { kNo, kYes, kLocal };
enum class EndpointType { kIp, kHostname, kUnknownEndpoint };

// notify-keyspace-events bits: the engine's (one definition for parser and engine).
namespace notify {
using namespace commands::notify;
inline constexpr uint32_t kAll = kGeneric | kString | kList | kSet | kHash | kZset | kExpired |
                                 kEvicted | kStream | kModule;  // A
}  // namespace notify

// One class of client-output-buffer-limit; 0 means no limit.
struct BufferLimit {
  uint64_t hard_bytes = 0;
  uint64_t soft_bytes = 0;
  int64_t soft_seconds = 0;
  bool operator==(const BufferLimit&) const = default;
};

// One `save <seconds> <changes>` point.
struct SavePoint {
  int64_t seconds = 0;
  int64_t changes = 0;
  bool operator==(const SavePoint&) const = default;
};

struct ReplicaOf {
  std::string host;
  int port = 0;
};

// Typed snapshot of the directives Tessera implements (Support::kImplemented), rebuilt after
// every change. Field names follow the directives; units are in the names.
struct ServerOptions {
  // General and network.
  int port = 6379;
  std::vector<std::string> bind;  // "-" prefixed addresses are optional, as in Redis
  bool daemonize = false;
  std::string pidfile;
  std::string logfile;
  LogLevel loglevel = LogLevel::kNotice;
  std::string dir;
  int databases = 16;
  int64_t timeout_s = 0;
  int64_t tcp_keepalive_s = 300;
  uint64_t maxclients = 10000;
  std::string requirepass;
  bool protected_mode = true;
  Access enable_debug_command = Access::kNo;
  Access enable_protected_configs = Access::kNo;
  int hz = 10;  // already clamped to 1..500 like Redis
  // Memory and clients.
  uint64_t maxmemory_bytes = 0;
  MaxmemoryPolicy maxmemory_policy = MaxmemoryPolicy::kNoeviction;
  int maxmemory_samples = 5;
  int lfu_log_factor = 10;
  int lfu_decay_time_min = 1;
  BufferLimit output_limit_normal;
  BufferLimit output_limit_replica;
  BufferLimit output_limit_pubsub;
  uint64_t client_query_buffer_limit_bytes = 1ull << 30;
  int64_t proto_max_bulk_len_bytes = 512ll << 20;
  // Persistence.
  std::vector<SavePoint> save;
  std::string dbfilename = "dump.rdb";
  bool stop_writes_on_bgsave_error = true;
  bool rdbcompression = true;
  bool rdbchecksum = true;
  // Cluster.
  bool cluster_enabled = false;
  std::string cluster_config_file = "nodes.conf";
  int64_t cluster_node_timeout_ms = 15000;
  int cluster_port = 0;  // 0: port + 10000
  std::string cluster_announce_ip;
  int cluster_announce_port = 0;
  int cluster_announce_bus_port = 0;
  std::string cluster_announce_hostname;
  bool cluster_require_full_coverage = true;
  bool cluster_allow_reads_when_down = false;
  bool cluster_allow_pubsubshard_when_down = true;
  EndpointType cluster_preferred_endpoint_type = EndpointType::kIp;
  int cluster_replica_validity_factor = 10;
  int cluster_migration_barrier = 1;
  bool cluster_allow_replica_migration = true;
  bool cluster_replica_no_failover = false;
  uint64_t cluster_link_sendbuf_limit_bytes = 0;
  // Replication.
  std::optional<ReplicaOf> replicaof;
  std::string masterauth;
  int64_t repl_backlog_size_bytes = 1 << 20;
  int repl_timeout_s = 60;
  int repl_ping_replica_period_s = 10;
  bool replica_read_only = true;
  bool replica_serve_stale_data = true;
  int min_replicas_to_write = 0;
  int min_replicas_max_lag_s = 10;
  std::string replica_announce_ip;
  int replica_announce_port = 0;
  // Encodings.
  int64_t hash_max_listpack_entries = 512;
  int64_t hash_max_listpack_value = 64;
  int64_t set_max_intset_entries = 512;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;
  int list_max_listpack_size = -2;
  // Observability.
  uint32_t notify_keyspace_events = 0;  // notify::k* bits
  int64_t slowlog_log_slower_than_us = 10000;
  int64_t slowlog_max_len = 128;
  bool latency_tracking = true;
  std::vector<double> latency_tracking_info_percentiles = {50.0, 99.0, 99.9};
};

// What main() should do with its arguments before loading the config.
enum class CommandLineAction { kRun, kVersion, kHelp };
// `args` excludes argv[0]. -v/--version and -h/--help count only as the first argument, as in
// Redis.
CommandLineAction ClassifyCommandLine(const std::vector<std::string>& args);
// The --help text, in redis-server's layout; `program` is argv[0].
std::string UsageText(std::string_view program);

// The configuration of one server. Copyable; observers are copied along.
class Config {
 public:
  using Observer = std::function<void(std::string_view name)>;

  // Every directive at its Redis 7.0 default.
  Config();

  // `tessera-server [configfile] [--name value ...] [-]`, args without argv[0]. A first argument
  // not starting with '-' is the config file; "-" as the first or last argument reads `in` too.
  // Options are appended as config lines after the file and stdin, so they win. Errors carry
  // redis-server's "*** FATAL CONFIG FILE ERROR ..." text, ready to print to stderr.
  static absl::StatusOr<Config> Load(const std::vector<std::string>& args, std::istream& in);
  // Loads configuration text as if it were a file named `source` (tests, embedded defaults).
  static absl::StatusOr<Config> LoadFromString(std::string_view text,
                                               std::string_view source = "(string)");

  // The value as CONFIG GET prints it; `name` may be an alias, in any case.
  std::optional<std::string> Get(std::string_view name) const;

  // CONFIG SET name value. On error the message is the whole reply text, e.g.
  // "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable
  // config". Observers run after a change.
  absl::Status Set(std::string_view name, std::string_view value);
  // CONFIG SET with several pairs: all or nothing, as in Redis 7.0. `local_client` says the
  // caller came over loopback or a unix socket (for enable-protected-configs local).
  absl::Status SetMany(const std::vector<std::pair<std::string, std::string>>& pairs,
                       bool local_client = false);
  // Sets a value for the server itself, bypassing immutability and protection but not
  // validation: dir after chdir() (absolute), replicaof after REPLICAOF, cluster-announce-*.
  absl::Status ForceSet(std::string_view name, std::string_view value);

  // CONFIG GET: (name, value) pairs for the patterns (Redis glob, case-insensitive). Names
  // include aliases like Redis 7.0; a plain name is echoed as given. No duplicates.
  std::vector<std::pair<std::string, std::string>> Matching(
      const std::vector<std::string>& patterns) const;

  // CONFIG REWRITE into `path`, with Redis's rules: the file's comments and unknown lines
  // stay, each changed directive is updated at its first line (extra lines are dropped),
  // non-default directives missing from the file go after "# Generated by CONFIG REWRITE",
  // and the file is replaced atomically.
  absl::Status Rewrite(const std::string& path) const;

  // The config file given at startup (absolute), empty if none: CONFIG REWRITE needs one.
  const std::string& config_file() const { return config_file_; }
  const ServerOptions& options() const { return options_; }

  // Called with the primary name of each directive changed by Set/SetMany/ForceSet.
  void OnChange(Observer observer) { observers_.push_back(std::move(observer)); }

  // Support level of a directive (primary or alias name), nullopt if unknown.
  static std::optional<Support> SupportOf(std::string_view name);
  // Primary names of all directives, in table order.
  static std::vector<std::string> AllNames();

 private:
  friend class ConfigLoader;
  // Checks the arity of `args` for directive `index` (splitting a lone argument of a
  // multi-argument directive, as Redis does) and parses them into the canonical value. Errors
  // carry Redis's bare reason text.
  absl::StatusOr<std::string> Prepare(size_t index, std::vector<std::string> args,
                                      bool accumulate) const;
  // Sets one value from CONFIG SET; checks as in SetMany.
  absl::Status SetChecked(const std::vector<std::pair<std::string, std::string>>& pairs,
                          bool local_client, bool force);
  void RebuildOptions();
  void Notify(std::string_view name) const;

  std::vector<std::string> values_;  // canonical CONFIG GET text, indexed like the table
  ServerOptions options_;
  std::string config_file_;
  std::vector<Observer> observers_;
};

}  // namespace tessera::server
