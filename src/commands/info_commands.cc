// INFO: section selection and the server, clients, memory and persistence sections, with the
// field names and order of redis-server 7.0.15 (the other sections are in info_sections.cc).
#include <sys/utsname.h>

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "commands/info_sections.h"
#include "commands/server_family.h"
#include "fmt/format.h"
#include "tessera/commands/cluster.h"
#include "tessera/commands/engine.h"

namespace tessera::commands {

namespace info {

std::string MaxmemoryPolicyName(MaxmemoryPolicy p) {
  switch (p) {
    case MaxmemoryPolicy::kNoEviction:
      return "noeviction";
    case MaxmemoryPolicy::kAllKeysLru:
      return "allkeys-lru";
    case MaxmemoryPolicy::kAllKeysLfu:
      return "allkeys-lfu";
    case MaxmemoryPolicy::kAllKeysRandom:
      return "allkeys-random";
    case MaxmemoryPolicy::kVolatileLru:
      return "volatile-lru";
    case MaxmemoryPolicy::kVolatileLfu:
      return "volatile-lfu";
    case MaxmemoryPolicy::kVolatileRandom:
      return "volatile-random";
    case MaxmemoryPolicy::kVolatileTtl:
      return "volatile-ttl";
  }
  return "noeviction";
}

int64_t UptimeSeconds(const Engine& e) {
  return std::max<int64_t>(
      0, std::chrono::duration_cast<std::chrono::seconds>(e.mono_now() - e.identity().started)
             .count());
}

std::string OsName() {
  struct utsname u {};
  if (uname(&u) != 0) return "Linux";
  return fmt::format("{} {} {}", u.sysname, u.release, u.machine);
}

std::string ConfigValue(Engine& e, std::string_view name, std::string_view fallback) {
  auto kv = e.hooks().ConfigGet({std::string(name)});
  return kv.empty() ? std::string(fallback) : kv.front().second;
}

void Server(Engine& e, Lines& l) {
  const ServerIdentity& id = e.identity();
  int64_t uptime = UptimeSeconds(e);
  l.Add("redis_version", "7.0.15");
  l.Add("redis_git_sha1", "00000000");
  l.Add("redis_git_dirty", 0);
  l.Add("redis_build_id", "0");
  l.Add("redis_mode", e.options().cluster_enabled ? "cluster" : "standalone");
  l.Add("os", OsName());
  l.Add("arch_bits", sizeof(void*) * 8);
  l.Add("monotonic_clock", "POSIX clock_gettime");
  l.Add("multiplexing_api", "epoll");
  l.Add("atomicvar_api", "c11-builtin");
  l.Add("gcc_version", fmt::format("{}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__));
  l.Add("process_id", id.pid);
  l.Add("process_supervised", "no");
  l.Add("run_id", id.run_id.empty() ? std::string(40, '0') : id.run_id);
  l.Add("tcp_port", id.tcp_port);
  l.Add("server_time_usec", e.now_us());
  l.Add("uptime_in_seconds", uptime);
  l.Add("uptime_in_days", uptime / 86400);
  l.Add("hz", e.options().hz);
  l.Add("configured_hz", e.options().hz);
  l.Add("lru_clock", (e.now_ms() / 1000) & ((1 << 24) - 1));
  l.Add("executable", id.executable);
  l.Add("config_file", id.config_file);
  l.Add("io_threads_active", 0);
}

void Clients(Engine& e, Lines& l) {
  size_t max_in = 0, max_out = 0;
  for (const auto& [cid, cl] : e.clients()) {
    max_in = std::max(max_in, cl->query_buffer_bytes);
    max_out = std::max(max_out, cl->out.size());
  }
  l.Add("connected_clients", e.clients().size());
  // Redis estimates the bus sockets: an outbound and an inbound link per other known node.
  const ClusterContext* cluster = e.cluster();
  l.Add("cluster_connections", cluster ? (cluster->bus->state().NodeCount() - 1) * 2 : 0);
  l.Add("maxclients", ConfigValue(e, "maxclients", "10000"));
  l.Add("client_recent_max_input_buffer", max_in);
  l.Add("client_recent_max_output_buffer", max_out);
  l.Add("blocked_clients", e.blocked_count());
  l.Add("tracking_clients", 0);
  l.Add("clients_in_timeout_table", e.blocked_with_timeout_count());
}

std::string Ratio(double a, double b) { return fmt::format("{:.2f}", b > 0 ? a / b : 0.0); }

void Memory(Engine& e, Lines& l) {
  e.RefreshMemory();
  uint64_t used = e.used_memory(), peak = std::max(e.used_memory_peak(), e.used_memory());
  const ProcessMemory pm = e.hooks().ReadProcessMemory();
  uint64_t rss = pm.rss_bytes;
  uint64_t total = pm.total_system_bytes;
  uint64_t maxmemory = e.options().maxmemory;
  l.Add("used_memory", used);
  l.Add("used_memory_human", BytesToHuman(used));
  l.Add("used_memory_rss", rss);
  l.Add("used_memory_rss_human", BytesToHuman(rss));
  l.Add("used_memory_peak", peak);
  l.Add("used_memory_peak_human", BytesToHuman(peak));
  l.Add("used_memory_peak_perc", fmt::format("{:.2f}%", peak > 0 ? 100.0 * used / peak : 0.0));
  // Tessera does not split overhead from data; all of it is reported as dataset.
  l.Add("used_memory_overhead", 0);
  l.Add("used_memory_startup", 0);
  l.Add("used_memory_dataset", used);
  l.Add("used_memory_dataset_perc", "100.00%");
  l.Add("allocator_allocated", used);
  l.Add("allocator_active", used);
  l.Add("allocator_resident", rss);
  l.Add("total_system_memory", total);
  l.Add("total_system_memory_human", BytesToHuman(total));
  for (const char* k : {"used_memory_lua", "used_memory_vm_eval"}) l.Add(k, 0);
  l.Add("used_memory_lua_human", "0B");
  for (const char* k :
       {"used_memory_scripts_eval", "number_of_cached_scripts", "number_of_functions",
        "number_of_libraries", "used_memory_vm_functions", "used_memory_vm_total"})
    l.Add(k, 0);
  l.Add("used_memory_vm_total_human", "0B");
  l.Add("used_memory_functions", 0);
  l.Add("used_memory_scripts", 0);
  l.Add("used_memory_scripts_human", "0B");
  l.Add("maxmemory", maxmemory);
  l.Add("maxmemory_human", BytesToHuman(maxmemory));
  l.Add("maxmemory_policy", MaxmemoryPolicyName(e.options().maxmemory_policy));
  l.Add("allocator_frag_ratio", "1.00");
  l.Add("allocator_frag_bytes", 0);
  l.Add("allocator_rss_ratio", Ratio(static_cast<double>(rss), static_cast<double>(used)));
  l.Add("allocator_rss_bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(used));
  l.Add("rss_overhead_ratio", "1.00");
  l.Add("rss_overhead_bytes", 0);
  l.Add("mem_fragmentation_ratio", Ratio(static_cast<double>(rss), static_cast<double>(used)));
  l.Add("mem_fragmentation_bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(used));
  for (const char* k :
       {"mem_not_counted_for_evict", "mem_replication_backlog", "mem_total_replication_buffers",
        "mem_clients_slaves", "mem_clients_normal", "mem_cluster_links", "mem_aof_buffer"})
    l.Add(k, 0);
  l.Add("mem_allocator", "libc");
  l.Add("active_defrag_running", 0);
  l.Add("lazyfree_pending_objects", 0);
  l.Add("lazyfreed_objects", 0);
}

void Persistence(Engine& e, Lines& l) {
  int64_t lastsave =
      e.lastsave_unix_s != 0 ? e.lastsave_unix_s : e.identity().started_unix_ms / 1000;
  for (const char* k :
       {"loading", "async_loading", "current_cow_peak", "current_cow_size", "current_cow_size_age"})
    l.Add(k, 0);
  l.Add("current_fork_perc", "0.00");
  l.Add("current_save_keys_processed", 0);
  l.Add("current_save_keys_total", 0);
  l.Add("rdb_changes_since_last_save", e.stats().dirty);
  l.Add("rdb_bgsave_in_progress", 0);
  l.Add("rdb_last_save_time", lastsave);
  l.Add("rdb_last_bgsave_status", "ok");
  l.Add("rdb_last_bgsave_time_sec", -1);
  l.Add("rdb_current_bgsave_time_sec", -1);
  for (const char* k :
       {"rdb_saves", "rdb_last_cow_size", "rdb_last_load_keys_expired", "rdb_last_load_keys_loaded",
        "aof_enabled", "aof_rewrite_in_progress", "aof_rewrite_scheduled"})
    l.Add(k, 0);
  l.Add("aof_last_rewrite_time_sec", -1);
  l.Add("aof_current_rewrite_time_sec", -1);
  l.Add("aof_last_bgrewrite_status", "ok");
  l.Add("aof_rewrites", 0);
  l.Add("aof_rewrites_consecutive_failures", 0);
  l.Add("aof_last_write_status", "ok");
  l.Add("aof_last_cow_size", 0);
  l.Add("module_fork_in_progress", 0);
  l.Add("module_fork_last_cow_size", 0);
}

}  // namespace info

namespace {

struct SectionDef {
  const char* name;
  const char* title;
  void (*fill)(Engine&, info::Lines&);
  bool is_default;
};

// Redis's order; INFO prints sections in this order whatever order they were asked in.
const SectionDef kSections[] = {
    {"server", "Server", info::Server, true},
    {"clients", "Clients", info::Clients, true},
    {"memory", "Memory", info::Memory, true},
    {"persistence", "Persistence", info::Persistence, true},
    {"stats", "Stats", info::Stats, true},
    {"replication", "Replication", info::Replication, true},
    {"cpu", "CPU", info::Cpu, true},
    {"modules", "Modules", nullptr, true},
    {"commandstats", "Commandstats", info::CommandStats, false},
    {"errorstats", "Errorstats", info::ErrorStats, true},
    {"latencystats", "Latencystats", nullptr, false},
    {"cluster", "Cluster", info::Cluster, true},
    {"keyspace", "Keyspace", info::Keyspace, true},
};

// Sections whose content the server may provide through ServerHooks::InfoSection.
bool ServerOwned(std::string_view name) {
  return name == "persistence" || name == "replication" || name == "cluster";
}

}  // namespace

std::string GenerateInfo(Engine& e, const std::vector<std::string>& args) {
  absl::flat_hash_set<std::string> want;
  bool all = false;
  for (const auto& a : args) {
    std::string s = absl::AsciiStrToLower(a);
    if (s == "all" || s == "everything") {
      all = true;
    } else if (s == "default") {
      for (const auto& d : kSections) {
        if (d.is_default) want.insert(d.name);
      }
    } else {
      want.insert(std::move(s));
    }
  }
  if (args.empty()) {
    for (const auto& d : kSections) {
      if (d.is_default) want.insert(d.name);
    }
  }
  std::string out;
  for (const auto& d : kSections) {
    if (!all && !want.contains(d.name)) continue;
    if (!out.empty()) out += "\r\n";
    out += fmt::format("# {}\r\n", d.title);
    std::string hooked = ServerOwned(d.name) ? e.hooks().InfoSection(d.name) : std::string();
    if (!hooked.empty()) {
      out += hooked;
    } else if (d.fill != nullptr) {
      info::Lines l(&out);
      d.fill(e, l);
    }
  }
  return out;
}

namespace {

void Info(Call& c) {
  std::vector<std::string> args(c.argv.begin() + 1, c.argv.end());
  c.w.Verbatim(GenerateInfo(c.engine, args));
}

}  // namespace

void RegisterInfoCommands(CommandTable& t) { t.Register("info", Info); }

}  // namespace tessera::commands
