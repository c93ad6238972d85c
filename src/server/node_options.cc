// Maps the typed config snapshot onto what each part of the node enforces.
#include "server/node_options.h"
#include "tessera/commands/notify.h"

namespace tessera::server {
namespace {

commands::MaxmemoryPolicy Policy(MaxmemoryPolicy p) {
  using P = commands::MaxmemoryPolicy;
  switch (p) {
    case MaxmemoryPolicy::kVolatileLru: return P::kVolatileLru;
    case MaxmemoryPolicy::kVolatileLfu: return P::kVolatileLfu;
    case MaxmemoryPolicy::kVolatileRandom: return P::kVolatileRandom;
    case MaxmemoryPolicy::kVolatileTtl: return P::kVolatileTtl;
    case MaxmemoryPolicy::kAllkeysLru: return P::kAllKeysLru;
    case MaxmemoryPolicy::kAllkeysLfu: return P::kAllKeysLfu;
    case MaxmemoryPolicy::kAllkeysRandom: return P::kAllKeysRandom;
    case MaxmemoryPolicy::kNoeviction: return P::kNoEviction;
  }
  return P::kNoEviction;
}

OutputLimit Limit(const BufferLimit& b) {
  return OutputLimit{b.hard_bytes, b.soft_bytes, static_cast<int>(b.soft_seconds)};
}

}  // namespace

ServerSettings ToServerSettings(const ServerOptions& o) {
  ServerSettings s;
  s.port = o.port;
  if (!o.bind.empty()) s.bind = o.bind;
  s.protected_mode = o.protected_mode;
  s.timeout_s = static_cast<int>(o.timeout_s);
  s.tcp_keepalive_s = static_cast<int>(o.tcp_keepalive_s);
  s.maxclients = static_cast<int>(o.maxclients);
  s.client_query_buffer_limit = o.client_query_buffer_limit_bytes;
  s.proto_max_bulk_len = o.proto_max_bulk_len_bytes;
  s.normal_limit = Limit(o.output_limit_normal);
  s.replica_limit = Limit(o.output_limit_replica);
  s.pubsub_limit = Limit(o.output_limit_pubsub);
  s.hz = o.hz;
  return s;
}

void ApplyEngineOptions(const ServerOptions& o, commands::EngineOptions* e) {
  e->databases = o.databases;
  e->requirepass = o.requirepass;
  e->maxmemory = o.maxmemory_bytes;
  e->maxmemory_policy = Policy(o.maxmemory_policy);
  e->maxmemory_samples = o.maxmemory_samples;
  e->enable_debug_command = o.enable_debug_command == Access::kYes     ? commands::DebugCommand::kYes
                            : o.enable_debug_command == Access::kLocal ? commands::DebugCommand::kLocal
                                                                       : commands::DebugCommand::kNo;
  e->hz = o.hz;
  e->cluster_enabled = o.cluster_enabled;
  e->slowlog_log_slower_than_us = o.slowlog_log_slower_than_us;
  e->slowlog_max_len = static_cast<size_t>(std::max<int64_t>(o.slowlog_max_len, 0));
  e->lfu_log_factor = o.lfu_log_factor;
  e->lfu_decay_time = o.lfu_decay_time_min;
  e->proto_max_bulk_len = o.proto_max_bulk_len_bytes;
  e->rdb_compression = o.rdbcompression;
  keyspace::EncodingLimits& l = e->encoding_limits;
  l.hash_max_listpack_entries = static_cast<size_t>(o.hash_max_listpack_entries);
  l.hash_max_listpack_value = static_cast<size_t>(o.hash_max_listpack_value);
  l.set_max_intset_entries = static_cast<size_t>(o.set_max_intset_entries);
  l.zset_max_listpack_entries = static_cast<size_t>(o.zset_max_listpack_entries);
  l.zset_max_listpack_value = static_cast<size_t>(o.zset_max_listpack_value);
  l.list_max_listpack_size = o.list_max_listpack_size;
  e->zset_limits.max_listpack_entries = l.zset_max_listpack_entries;
  e->zset_limits.max_listpack_value = l.zset_max_listpack_value;
  e->notify_keyspace_events = o.notify_keyspace_events;
}

std::string LogLevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kVerbose: return "verbose";
    case LogLevel::kNotice: return "notice";
    case LogLevel::kWarning: return "warning";
  }
  return "notice";
}

}  // namespace tessera::server
