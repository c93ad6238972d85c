// The directive table: every config of redis-server 7.0.15 (CONFIG GET * on a live server),
// with its default, bounds, mutability and Tessera support level (docs/configuration.md).
#include <array>
#include <climits>
#include <cstdint>

#include "server/config_internal.h"
#include "server/config_special.h"

namespace tessera::server::config {
namespace {

using S = Support;
constexpr int64_t kInt = INT_MAX;
constexpr int64_t kLong = LLONG_MAX;
constexpr uint64_t kULong = ULLONG_MAX;

constexpr Directive Bool(std::string_view name, std::string_view def, S s, uint32_t flags = 0) {
  return {name, "", Kind::kBool, s, flags, def};
}
constexpr Directive Int(std::string_view name, int64_t min, uint64_t max, std::string_view def, S s,
                        uint32_t flags = 0) {
  return {name, "", Kind::kInt, s, flags, def, min, max};
}
constexpr Directive Mem(std::string_view name, int64_t min, uint64_t max, std::string_view def, S s,
                        uint32_t flags = 0) {
  return {name, "", Kind::kMemory, s, flags, def, min, max};
}
constexpr Directive Enum(std::string_view name, std::span<const std::string_view> choices,
                         std::string_view def, S s, uint32_t flags = 0) {
  return {name, "", Kind::kEnum, s, flags, def, 0, 0, choices};
}
constexpr Directive Str(std::string_view name, std::string_view def, S s, uint32_t flags = 0) {
  return {name, "", Kind::kString, s, flags, def};
}
constexpr Directive Spec(std::string_view name, const Special& sp, std::string_view def, S s,
                         uint32_t flags = 0, int64_t min = 0, uint64_t max = 0) {
  return {name, "", Kind::kSpecial, s, flags, def, min, max, {}, &sp};
}
constexpr Directive Alias(Directive d, std::string_view alias) {
  d.alias = alias;
  return d;
}

constexpr std::string_view kYesNoLocal[] = {"no", "yes", "local"};
constexpr std::string_view kAclPubsub[] = {"allchannels", "resetchannels"};
constexpr std::string_view kFsync[] = {"everysec", "always", "no"};
constexpr std::string_view kEndpoint[] = {"ip", "hostname", "unknown-endpoint"};
constexpr std::string_view kLogLevels[] = {"debug", "verbose", "notice", "warning"};
constexpr std::string_view kPolicies[] = {"volatile-lru",   "volatile-lfu", "volatile-random",
                                          "volatile-ttl",   "allkeys-lru",  "allkeys-lfu",
                                          "allkeys-random", "noeviction"};
constexpr std::string_view kOomScoreAdj[] = {"no", "yes", "relative", "absolute"};
constexpr std::string_view kPropagation[] = {"ignore", "panic", "panic-on-replicas"};
constexpr std::string_view kDisklessLoad[] = {"disabled", "on-empty-db", "swapdb"};
constexpr std::string_view kSanitize[] = {"no", "yes", "clients"};
constexpr std::string_view kShutdownFlags[] = {"default", "save", "nosave", "now", "force"};
constexpr std::string_view kSupervised[] = {"upstart", "systemd", "auto", "no"};
constexpr std::string_view kFacilities[] = {"user",   "local0", "local1", "local2", "local3",
                                            "local4", "local5", "local6", "local7"};
constexpr std::string_view kTlsAuth[] = {"no", "yes", "optional"};

constexpr Directive WithChoices(Directive d, std::span<const std::string_view> choices) {
  d.choices = choices;
  return d;
}

// Aliases: Redis 7.0 renamed slave -> replica and ziplist -> listpack, and keeps the old names.
const Directive kTable[] = {
    Enum("acl-pubsub-default", kAclPubsub, "resetchannels", S::kDefaultOnly),
    Str("aclfile", "", S::kDefaultOnly, kImmutable),
    Int("acllog-max-len", 0, kLong, "128", S::kTuning),
    Int("active-defrag-cycle-max", 1, 99, "25", S::kTuning),
    Int("active-defrag-cycle-min", 1, 99, "1", S::kTuning),
    Mem("active-defrag-ignore-bytes", 1, kLong, "104857600", S::kTuning),
    Int("active-defrag-max-scan-fields", 1, kLong, "1000", S::kTuning),
    Int("active-defrag-threshold-lower", 0, 1000, "10", S::kTuning),
    Int("active-defrag-threshold-upper", 0, 1000, "100", S::kTuning),
    Int("active-expire-effort", 1, 10, "1", S::kTuning),
    Bool("activedefrag", "no", S::kTuning),
    Bool("activerehashing", "yes", S::kTuning),
    Bool("always-show-logo", "no", S::kTuning, kImmutable),
    Bool("aof-disable-auto-gc", "no", S::kTuning),
    Bool("aof-load-truncated", "yes", S::kTuning),
    Bool("aof-rewrite-incremental-fsync", "yes", S::kTuning),
    Bool("aof-timestamp-enabled", "no", S::kTuning),
    Bool("aof-use-rdb-preamble", "yes", S::kTuning),
    Str("aof_rewrite_cpulist", "", S::kTuning, kImmutable),
    Str("appenddirname", "appendonlydir", S::kTuning, kImmutable),
    Str("appendfilename", "appendonly.aof", S::kTuning, kImmutable),
    Enum("appendfsync", kFsync, "everysec", S::kTuning),
    Bool("appendonly", "no", S::kDefaultOnly),
    Mem("auto-aof-rewrite-min-size", 0, kLong, "67108864", S::kTuning),
    Int("auto-aof-rewrite-percentage", 0, kInt, "100", S::kTuning),
    Str("bgsave_cpulist", "", S::kTuning, kImmutable),
    Spec("bind", kBind, "* -::*", S::kImplemented, kMultiArg),
    Str("bind-source-addr", "", S::kDefaultOnly),
    Str("bio_cpulist", "", S::kTuning, kImmutable),
    Alias(Int("busy-reply-threshold", 0, kLong, "5000", S::kTuning), "lua-time-limit"),
    Spec("client-output-buffer-limit", kOutputLimit,
         "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", S::kImplemented,
         kMultiArg),
    Mem("client-query-buffer-limit", 1048576, kLong, "1073741824", S::kImplemented),
    Bool("cluster-allow-pubsubshard-when-down", "yes", S::kImplemented),
    Bool("cluster-allow-reads-when-down", "no", S::kImplemented),
    Bool("cluster-allow-replica-migration", "yes", S::kImplemented),
    Int("cluster-announce-bus-port", 0, 65535, "0", S::kImplemented),
    Spec("cluster-announce-hostname", kHostname, "", S::kImplemented),
    Str("cluster-announce-ip", "", S::kImplemented),
    Int("cluster-announce-port", 0, 65535, "0", S::kImplemented),
    Int("cluster-announce-tls-port", 0, 65535, "0", S::kDefaultOnly),
    Str("cluster-config-file", "nodes.conf", S::kImplemented, kImmutable),
    Bool("cluster-enabled", "no", S::kImplemented, kImmutable),
    Mem("cluster-link-sendbuf-limit", 0, kULong, "0", S::kImplemented),
    Int("cluster-migration-barrier", 0, kInt, "1", S::kImplemented),
    Int("cluster-node-timeout", 0, kLong, "15000", S::kImplemented),
    Int("cluster-port", 0, 65535, "0", S::kImplemented, kImmutable),
    Enum("cluster-preferred-endpoint-type", kEndpoint, "ip", S::kImplemented),
    Alias(Bool("cluster-replica-no-failover", "no", S::kImplemented), "cluster-slave-no-failover"),
    Alias(Int("cluster-replica-validity-factor", 0, kInt, "10", S::kImplemented),
          "cluster-slave-validity-factor"),
    Bool("cluster-require-full-coverage", "yes", S::kImplemented),
    Bool("crash-log-enabled", "yes", S::kTuning),
    Bool("crash-memcheck-enabled", "yes", S::kTuning),
    Bool("daemonize", "no", S::kImplemented, kImmutable),
    Int("databases", 1, kInt, "16", S::kImplemented, kImmutable),
    Spec("dbfilename", kDbfilename, "dump.rdb", S::kImplemented, kProtected),
    Spec("dir", kDir, "./", S::kImplemented, kProtected | kAlwaysRewrite),
    Bool("disable-thp", "yes", S::kTuning, kImmutable),
    Bool("dynamic-hz", "yes", S::kTuning),
    Enum("enable-debug-command", kYesNoLocal, "no", S::kImplemented, kImmutable),
    Enum("enable-module-command", kYesNoLocal, "no", S::kDefaultOnly, kImmutable),
    Enum("enable-protected-configs", kYesNoLocal, "no", S::kImplemented, kImmutable),
    Alias(Int("hash-max-listpack-entries", 0, kLong, "512", S::kImplemented),
          "hash-max-ziplist-entries"),
    Alias(Mem("hash-max-listpack-value", 0, kLong, "64", S::kImplemented),
          "hash-max-ziplist-value"),
    Mem("hll-sparse-max-bytes", 0, kLong, "3000", S::kTuning),
    Spec("hz", kHz, "10", S::kImplemented, 0, 0, kInt),
    Str("ignore-warnings", "", S::kTuning),
    Int("io-threads", 1, 128, "1", S::kTuning, kImmutable),
    Bool("io-threads-do-reads", "no", S::kTuning, kImmutable),
    Bool("jemalloc-bg-thread", "yes", S::kTuning),
    Int("latency-monitor-threshold", 0, kLong, "0", S::kDefaultOnly),
    Bool("latency-tracking", "yes", S::kImplemented),
    Spec("latency-tracking-info-percentiles", kPercentiles, "50 99 99.9", S::kImplemented,
         kMultiArg),
    Bool("lazyfree-lazy-eviction", "no", S::kTuning),
    Bool("lazyfree-lazy-expire", "no", S::kTuning),
    Bool("lazyfree-lazy-server-del", "no", S::kTuning),
    Bool("lazyfree-lazy-user-del", "no", S::kTuning),
    Bool("lazyfree-lazy-user-flush", "no", S::kTuning),
    Int("lfu-decay-time", 0, kInt, "1", S::kImplemented),
    Int("lfu-log-factor", 0, kInt, "10", S::kImplemented),
    Int("list-compress-depth", 0, kInt, "0", S::kTuning),
    Alias(Int("list-max-listpack-size", INT_MIN, kInt, "-2", S::kImplemented),
          "list-max-ziplist-size"),
    Str("logfile", "", S::kImplemented, kImmutable),
    Enum("loglevel", kLogLevels, "notice", S::kImplemented),
    Str("masterauth", "", S::kImplemented),
    Str("masteruser", "", S::kDefaultOnly),
    Int("maxclients", 1, UINT_MAX, "10000", S::kImplemented),
    Mem("maxmemory", 0, kULong, "0", S::kImplemented),
    Spec("maxmemory-clients", kMaxmemoryClients, "0", S::kDefaultOnly),
    Int("maxmemory-eviction-tenacity", 0, 100, "10", S::kTuning),
    Enum("maxmemory-policy", kPolicies, "noeviction", S::kImplemented),
    Int("maxmemory-samples", 1, kInt, "5", S::kImplemented),
    Alias(Int("min-replicas-max-lag", 0, kInt, "10", S::kImplemented), "min-slaves-max-lag"),
    Alias(Int("min-replicas-to-write", 0, kInt, "0", S::kImplemented), "min-slaves-to-write"),
    Bool("no-appendfsync-on-rewrite", "no", S::kTuning),
    Spec("notify-keyspace-events", kNotify, "", S::kImplemented),
    Enum("oom-score-adj", kOomScoreAdj, "no", S::kDefaultOnly),
    Spec("oom-score-adj-values", kOomValues, "0 200 800", S::kTuning, kMultiArg),
    Str("pidfile", "", S::kImplemented, kImmutable),
    Int("port", 0, 65535, "6379", S::kImplemented),
    Str("proc-title-template", "{title} {listen-addr} {server-mode}", S::kTuning),
    Enum("propagation-error-behavior", kPropagation, "ignore", S::kDefaultOnly),
    Bool("protected-mode", "yes", S::kImplemented),
    Mem("proto-max-bulk-len", 1048576, kLong, "536870912", S::kImplemented),
    Bool("rdb-del-sync-files", "no", S::kDefaultOnly),
    Bool("rdb-save-incremental-fsync", "yes", S::kTuning),
    Bool("rdbchecksum", "yes", S::kImplemented, kImmutable),
    Bool("rdbcompression", "yes", S::kImplemented),
    Mem("repl-backlog-size", 1, kLong, "1048576", S::kImplemented),
    Int("repl-backlog-ttl", 0, kLong, "3600", S::kTuning),
    Bool("repl-disable-tcp-nodelay", "no", S::kTuning),
    Enum("repl-diskless-load", kDisklessLoad, "disabled", S::kDefaultOnly),
    Bool("repl-diskless-sync", "yes", S::kTuning),
    Int("repl-diskless-sync-delay", 0, kInt, "5", S::kTuning),
    Int("repl-diskless-sync-max-replicas", 0, kInt, "0", S::kTuning),
    Alias(Int("repl-ping-replica-period", 1, kInt, "10", S::kImplemented),
          "repl-ping-slave-period"),
    Int("repl-timeout", 1, kInt, "60", S::kImplemented),
    Alias(Str("replica-announce-ip", "", S::kImplemented), "slave-announce-ip"),
    Alias(Int("replica-announce-port", 0, 65535, "0", S::kImplemented), "slave-announce-port"),
    Bool("replica-announced", "yes", S::kDefaultOnly),
    Bool("replica-ignore-disk-write-errors", "no", S::kTuning),
    Alias(Bool("replica-ignore-maxmemory", "yes", S::kDefaultOnly), "slave-ignore-maxmemory"),
    Alias(Bool("replica-lazy-flush", "no", S::kTuning), "slave-lazy-flush"),
    // Only Sentinel reads the priority; Tessera has no Sentinel.
    Alias(Int("replica-priority", 0, kInt, "100", S::kTuning), "slave-priority"),
    Alias(Bool("replica-read-only", "yes", S::kImplemented), "slave-read-only"),
    Alias(Bool("replica-serve-stale-data", "yes", S::kImplemented), "slave-serve-stale-data"),
    Alias(Spec("replicaof", kReplicaOf, "", S::kImplemented, kImmutable | kMultiArg), "slaveof"),
    Str("requirepass", "", S::kImplemented),
    Enum("sanitize-dump-payload", kSanitize, "no", S::kDefaultOnly),
    Spec("save", kSave, "3600 1 300 100 60 10000", S::kImplemented, kMultiArg | kAlwaysRewrite),
    Str("server_cpulist", "", S::kTuning, kImmutable),
    Int("set-max-intset-entries", 0, kLong, "512", S::kImplemented),
    Bool("set-proc-title", "yes", S::kTuning, kImmutable),
    WithChoices(Spec("shutdown-on-sigint", kShutdown, "default", S::kDefaultOnly, kMultiArg),
                kShutdownFlags),
    WithChoices(Spec("shutdown-on-sigterm", kShutdown, "default", S::kDefaultOnly, kMultiArg),
                kShutdownFlags),
    Int("shutdown-timeout", 0, kInt, "10", S::kTuning),
    Int("slowlog-log-slower-than", -1, kLong, "10000", S::kImplemented),
    Int("slowlog-max-len", 0, kLong, "128", S::kImplemented),
    Int("socket-mark-id", 0, UINT_MAX, "0", S::kDefaultOnly, kImmutable),
    Bool("stop-writes-on-bgsave-error", "yes", S::kImplemented),
    Mem("stream-node-max-bytes", 0, kLong, "4096", S::kTuning),
    Int("stream-node-max-entries", 0, kLong, "100", S::kTuning),
    Enum("supervised", kSupervised, "no", S::kDefaultOnly, kImmutable),
    Bool("syslog-enabled", "no", S::kDefaultOnly, kImmutable),
    Enum("syslog-facility", kFacilities, "local0", S::kTuning, kImmutable),
    Str("syslog-ident", "redis", S::kTuning, kImmutable),
    Int("tcp-backlog", 0, kInt, "511", S::kTuning, kImmutable),
    Int("tcp-keepalive", 0, kInt, "300", S::kImplemented),
    Int("timeout", 0, kInt, "0", S::kImplemented),
    Enum("tls-auth-clients", kTlsAuth, "yes", S::kDefaultOnly),
    Str("tls-ca-cert-dir", "", S::kDefaultOnly),
    Str("tls-ca-cert-file", "", S::kDefaultOnly),
    Str("tls-cert-file", "", S::kDefaultOnly),
    Str("tls-ciphers", "", S::kDefaultOnly),
    Str("tls-ciphersuites", "", S::kDefaultOnly),
    Str("tls-client-cert-file", "", S::kDefaultOnly),
    Str("tls-client-key-file", "", S::kDefaultOnly),
    Str("tls-client-key-file-pass", "", S::kDefaultOnly),
    Bool("tls-cluster", "no", S::kDefaultOnly),
    Str("tls-dh-params-file", "", S::kDefaultOnly),
    Str("tls-key-file", "", S::kDefaultOnly),
    Str("tls-key-file-pass", "", S::kDefaultOnly),
    Int("tls-port", 0, 65535, "0", S::kDefaultOnly),
    Bool("tls-prefer-server-ciphers", "no", S::kDefaultOnly),
    Str("tls-protocols", "", S::kDefaultOnly),
    Bool("tls-replication", "no", S::kDefaultOnly),
    Int("tls-session-cache-size", 0, kInt, "20480", S::kDefaultOnly),
    Int("tls-session-cache-timeout", 0, kInt, "300", S::kDefaultOnly),
    Bool("tls-session-caching", "yes", S::kDefaultOnly),
    Int("tracking-table-max-keys", 0, kLong, "1000000", S::kTuning),
    Str("unixsocket", "", S::kDefaultOnly, kImmutable),
    {"unixsocketperm", "", Kind::kOctal, S::kDefaultOnly, kImmutable, "0", 0, 0777},
    Alias(Int("zset-max-listpack-entries", 0, kLong, "128", S::kImplemented),
          "zset-max-ziplist-entries"),
    Alias(Mem("zset-max-listpack-value", 0, kLong, "64", S::kImplemented),
          "zset-max-ziplist-value"),
};

// Read and ignored by Redis 7.0 (config.c's deprecated list): old files keep loading.
constexpr std::string_view kDeprecated[] = {"list-max-ziplist-entries", "list-max-ziplist-value",
                                            "lua-replicate-commands"};

}  // namespace

std::span<const Directive> Table() { return kTable; }

const Directive* Find(std::string_view name, size_t* index) {
  for (size_t i = 0; i < std::size(kTable); ++i) {
    if (EqualsNoCase(kTable[i].name, name) ||
        (!kTable[i].alias.empty() && EqualsNoCase(kTable[i].alias, name))) {
      if (index) *index = i;
      return &kTable[i];
    }
  }
  return nullptr;
}

bool IsDeprecated(std::string_view name) {
  for (std::string_view d : kDeprecated) {
    if (EqualsNoCase(d, name)) return true;
  }
  return false;
}

}  // namespace tessera::server::config
