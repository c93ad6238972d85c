// Builds the typed ServerOptions snapshot from the canonical config values (config.h).
// Values are already validated, so conversions here cannot fail.
#include <charconv>
#include <string>

#include "absl/strings/str_split.h"
#include "server/config.h"
#include "server/config_internal.h"
#include "server/config_special.h"
#include "tessera/core/status.h"

namespace tessera::server {
namespace {

// Typed reads of validated canonical values, by directive name.
class Reader {
 public:
  explicit Reader(const std::vector<std::string>& values) : values_(values) {}

  const std::string& Str(std::string_view name) const {
    size_t i = 0;
    TS_CHECK(config::Find(name, &i) != nullptr);
    return values_[i];
  }
  bool Bool(std::string_view name) const { return Str(name) == "yes"; }
  int64_t Int(std::string_view name) const { return std::stoll(Str(name)); }
  uint64_t UInt(std::string_view name) const { return std::stoull(Str(name)); }
  std::vector<std::string> Words(std::string_view name) const {
    const std::string& s = Str(name);
    return absl::StrSplit(absl::string_view(s.data(), s.size()), ' ', absl::SkipEmpty());
  }
  template <typename E>
  E Enum(std::string_view name) const {
    const config::Directive* d = config::Find(name);
    const std::string& v = Str(name);
    for (size_t i = 0; i < d->choices.size(); ++i) {
      if (d->choices[i] == v) return static_cast<E>(i);
    }
    return static_cast<E>(0);
  }

 private:
  const std::vector<std::string>& values_;
};

BufferLimit Limit(const std::vector<std::string>& w, size_t cls) {
  if (w.size() != 12) return {};
  return {std::stoull(w[cls * 4 + 1]), std::stoull(w[cls * 4 + 2]), std::stoll(w[cls * 4 + 3])};
}

void ReadGeneral(const Reader& r, ServerOptions& o) {
  o.port = static_cast<int>(r.Int("port"));
  o.bind = r.Words("bind");
  o.daemonize = r.Bool("daemonize");
  o.pidfile = r.Str("pidfile");
  o.logfile = r.Str("logfile");
  o.loglevel = r.Enum<LogLevel>("loglevel");
  o.dir = r.Str("dir");
  o.databases = static_cast<int>(r.Int("databases"));
  o.timeout_s = r.Int("timeout");
  o.tcp_keepalive_s = r.Int("tcp-keepalive");
  o.maxclients = r.UInt("maxclients");
  o.requirepass = r.Str("requirepass");
  o.protected_mode = r.Bool("protected-mode");
  o.enable_debug_command = r.Enum<Access>("enable-debug-command");
  o.enable_protected_configs = r.Enum<Access>("enable-protected-configs");
  o.hz = static_cast<int>(r.Int("hz"));
  o.maxmemory_bytes = r.UInt("maxmemory");
  o.maxmemory_policy = r.Enum<MaxmemoryPolicy>("maxmemory-policy");
  o.maxmemory_samples = static_cast<int>(r.Int("maxmemory-samples"));
  o.lfu_log_factor = static_cast<int>(r.Int("lfu-log-factor"));
  o.lfu_decay_time_min = static_cast<int>(r.Int("lfu-decay-time"));
  std::vector<std::string> limits = r.Words("client-output-buffer-limit");
  o.output_limit_normal = Limit(limits, 0);
  o.output_limit_replica = Limit(limits, 1);
  o.output_limit_pubsub = Limit(limits, 2);
  o.client_query_buffer_limit_bytes = r.UInt("client-query-buffer-limit");
  o.proto_max_bulk_len_bytes = r.Int("proto-max-bulk-len");
  o.save.clear();
  std::vector<std::string> save = r.Words("save");
  for (size_t i = 0; i + 1 < save.size(); i += 2) {
    o.save.push_back({std::stoll(save[i]), std::stoll(save[i + 1])});
  }
  o.dbfilename = r.Str("dbfilename");
  o.stop_writes_on_bgsave_error = r.Bool("stop-writes-on-bgsave-error");
  o.rdbcompression = r.Bool("rdbcompression");
  o.rdbchecksum = r.Bool("rdbchecksum");
}

void ReadCluster(const Reader& r, ServerOptions& o) {
  o.cluster_enabled = r.Bool("cluster-enabled");
  o.cluster_config_file = r.Str("cluster-config-file");
  o.cluster_node_timeout_ms = r.Int("cluster-node-timeout");
  o.cluster_port = static_cast<int>(r.Int("cluster-port"));
  o.cluster_announce_ip = r.Str("cluster-announce-ip");
  o.cluster_announce_port = static_cast<int>(r.Int("cluster-announce-port"));
  o.cluster_announce_bus_port = static_cast<int>(r.Int("cluster-announce-bus-port"));
  o.cluster_announce_hostname = r.Str("cluster-announce-hostname");
  o.cluster_require_full_coverage = r.Bool("cluster-require-full-coverage");
  o.cluster_allow_reads_when_down = r.Bool("cluster-allow-reads-when-down");
  o.cluster_allow_pubsubshard_when_down = r.Bool("cluster-allow-pubsubshard-when-down");
  o.cluster_preferred_endpoint_type = r.Enum<EndpointType>("cluster-preferred-endpoint-type");
  o.cluster_replica_validity_factor = static_cast<int>(r.Int("cluster-replica-validity-factor"));
  o.cluster_migration_barrier = static_cast<int>(r.Int("cluster-migration-barrier"));
  o.cluster_allow_replica_migration = r.Bool("cluster-allow-replica-migration");
  o.cluster_replica_no_failover = r.Bool("cluster-replica-no-failover");
  o.cluster_link_sendbuf_limit_bytes = r.UInt("cluster-link-sendbuf-limit");
}

void ReadReplication(const Reader& r, ServerOptions& o) {
  std::vector<std::string> master = r.Words("replicaof");
  o.replicaof.reset();
  if (master.size() == 2) o.replicaof = ReplicaOf{master[0], std::stoi(master[1])};
  o.masterauth = r.Str("masterauth");
  o.repl_backlog_size_bytes = r.Int("repl-backlog-size");
  o.repl_timeout_s = static_cast<int>(r.Int("repl-timeout"));
  o.repl_ping_replica_period_s = static_cast<int>(r.Int("repl-ping-replica-period"));
  o.replica_read_only = r.Bool("replica-read-only");
  o.replica_serve_stale_data = r.Bool("replica-serve-stale-data");
  o.min_replicas_to_write = static_cast<int>(r.Int("min-replicas-to-write"));
  o.min_replicas_max_lag_s = static_cast<int>(r.Int("min-replicas-max-lag"));
  o.replica_announce_ip = r.Str("replica-announce-ip");
  o.replica_announce_port = static_cast<int>(r.Int("replica-announce-port"));
}

void ReadEncodingsAndStats(const Reader& r, ServerOptions& o) {
  o.hash_max_listpack_entries = r.Int("hash-max-listpack-entries");
  o.hash_max_listpack_value = r.Int("hash-max-listpack-value");
  o.set_max_intset_entries = r.Int("set-max-intset-entries");
  o.zset_max_listpack_entries = r.Int("zset-max-listpack-entries");
  o.zset_max_listpack_value = r.Int("zset-max-listpack-value");
  o.list_max_listpack_size = static_cast<int>(r.Int("list-max-listpack-size"));
  o.notify_keyspace_events = config::NotifyFlags(r.Str("notify-keyspace-events")).value_or(0);
  o.slowlog_log_slower_than_us = r.Int("slowlog-log-slower-than");
  o.slowlog_max_len = r.Int("slowlog-max-len");
  o.latency_tracking = r.Bool("latency-tracking");
  o.latency_tracking_info_percentiles.clear();
  for (const std::string& w : r.Words("latency-tracking-info-percentiles")) {
    double v = 0;
    std::from_chars(w.data(), w.data() + w.size(), v);
    o.latency_tracking_info_percentiles.push_back(v);
  }
}

}  // namespace

void Config::RebuildOptions() {
  Reader r(values_);
  ReadGeneral(r, options_);
  ReadCluster(r, options_);
  ReadReplication(r, options_);
  ReadEncodingsAndStats(r, options_);
}

}  // namespace tessera::server
