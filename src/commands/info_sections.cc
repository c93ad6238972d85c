// INFO sections stats, replication, cpu, commandstats, errorstats, cluster and keyspace, with the
// field names and order of redis-server 7.0.15.
#include "commands/info_sections.h"

#include <sys/resource.h>

#include <algorithm>

#include "commands/pubsub_registry.h"

namespace tessera::commands::info {
namespace {

std::string Kbps(double bytes_per_sec) { return fmt::format("{:.2f}", bytes_per_sec / 1024); }

std::string CpuTime(const timeval& tv) {
  return fmt::format("{}.{:06d}", static_cast<int64_t>(tv.tv_sec), static_cast<int>(tv.tv_usec));
}

}  // namespace

void Stats(Engine& e, Lines& l) {
  const commands::Stats& s = e.stats();
  l.Add("total_connections_received", s.total_connections_received);
  l.Add("total_commands_processed", s.total_commands_processed);
  l.Add("instantaneous_ops_per_sec", static_cast<int64_t>(e.ops_metric().PerSecond()));
  l.Add("total_net_input_bytes", s.total_net_input_bytes);
  l.Add("total_net_output_bytes", s.total_net_output_bytes);
  l.Add("total_net_repl_input_bytes", 0);
  l.Add("total_net_repl_output_bytes", 0);
  l.Add("instantaneous_input_kbps", Kbps(e.net_input_metric().PerSecond()));
  l.Add("instantaneous_output_kbps", Kbps(e.net_output_metric().PerSecond()));
  l.Add("instantaneous_input_repl_kbps", "0.00");
  l.Add("instantaneous_output_repl_kbps", "0.00");
  l.Add("rejected_connections", s.rejected_connections);
  l.Add("sync_full", 0);
  l.Add("sync_partial_ok", 0);
  l.Add("sync_partial_err", 0);
  l.Add("expired_keys", s.expired_keys);
  l.Add("expired_stale_perc", "0.00");
  l.Add("expired_time_cap_reached_count", 0);
  l.Add("expire_cycle_cpu_milliseconds", 0);
  l.Add("evicted_keys", s.evicted_keys);
  l.Add("evicted_clients", 0);
  l.Add("total_eviction_exceeded_time", 0);
  l.Add("current_eviction_exceeded_time", 0);
  l.Add("keyspace_hits", s.keyspace_hits);
  l.Add("keyspace_misses", s.keyspace_misses);
  l.Add("pubsub_channels", e.pubsub().channels.size());
  l.Add("pubsub_patterns", e.pubsub().patterns.size());
  l.Add("pubsubshard_channels", e.pubsub().shard_channels.size());
  for (const char* k :
       {"latest_fork_usec", "total_forks", "migrate_cached_sockets", "slave_expires_tracked_keys",
        "active_defrag_hits", "active_defrag_misses", "active_defrag_key_hits",
        "active_defrag_key_misses", "total_active_defrag_time", "current_active_defrag_time",
        "tracking_total_keys", "tracking_total_items", "tracking_total_prefixes"})
    l.Add(k, 0);
  l.Add("unexpected_error_replies", s.unexpected_error_replies);
  l.Add("total_error_replies", s.total_error_replies);
  l.Add("dump_payload_sanitizations", 0);
  // Read/write syscall counts and reply-buffer resizing are not tracked.
  for (const char* k :
       {"total_reads_processed", "total_writes_processed", "io_threaded_reads_processed",
        "io_threaded_writes_processed", "reply_buffer_shrinks", "reply_buffer_expands"})
    l.Add(k, 0);
}

void Replication(Engine& e, Lines& l) {
  const std::string& run_id = e.identity().run_id;
  l.Add("role", "master");
  l.Add("connected_slaves", 0);
  l.Add("master_failover_state", "no-failover");
  // Until the replication module reports its own id, the run id stands in for it.
  l.Add("master_replid", run_id.size() == 40 ? run_id : std::string(40, '0'));
  l.Add("master_replid2", std::string(40, '0'));
  l.Add("master_repl_offset", 0);
  l.Add("second_repl_offset", -1);
  l.Add("repl_backlog_active", 0);
  l.Add("repl_backlog_size", 1048576);
  l.Add("repl_backlog_first_byte_offset", 0);
  l.Add("repl_backlog_histlen", 0);
}

void Cpu(Engine& e, Lines& l) {
  (void)e;
  rusage self{}, children{}, thread{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  getrusage(RUSAGE_THREAD, &thread);
  l.Add("used_cpu_sys", CpuTime(self.ru_stime));
  l.Add("used_cpu_user", CpuTime(self.ru_utime));
  l.Add("used_cpu_sys_children", CpuTime(children.ru_stime));
  l.Add("used_cpu_user_children", CpuTime(children.ru_utime));
  l.Add("used_cpu_sys_main_thread", CpuTime(thread.ru_stime));
  l.Add("used_cpu_user_main_thread", CpuTime(thread.ru_utime));
}

void CommandStats(Engine& e, Lines& l) {
  for (const Command* c : e.table().AllImplemented()) {
    if (c->calls == 0 && c->failed_calls == 0 && c->rejected_calls == 0) continue;
    double per_call = c->calls > 0 ? static_cast<double>(c->usec) / c->calls : 0.0;
    l.Raw(fmt::format(
        "cmdstat_{}:calls={},usec={},usec_per_call={:.2f},rejected_calls={},failed_calls={}",
        c->name, c->calls, c->usec, per_call, c->rejected_calls, c->failed_calls));
  }
}

void ErrorStats(Engine& e, Lines& l) {
  // Redis keeps error codes in a radix tree, so they come out sorted.
  std::vector<std::pair<std::string_view, uint64_t>> errors(e.stats().errors.begin(),
                                                            e.stats().errors.end());
  std::sort(errors.begin(), errors.end());
  for (const auto& [code, n] : errors) l.Raw(fmt::format("errorstat_{}:count={}", code, n));
}

void Cluster(Engine& e, Lines& l) { l.Add("cluster_enabled", e.options().cluster_enabled ? 1 : 0); }

void Keyspace(Engine& e, Lines& l) {
  for (int i = 0; i < e.db_count(); ++i) {
    const keyspace::Db& d = e.db(i);
    if (d.Size() == 0) continue;
    // avg_ttl is Redis's running estimate from active expiry; Tessera does not keep one.
    l.Raw(fmt::format("db{}:keys={},expires={},avg_ttl=0", i, d.Size(), d.ExpiresCount()));
  }
}

}  // namespace tessera::commands::info
