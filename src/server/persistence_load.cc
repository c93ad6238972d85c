// RDB persistence, the reading side: loading at startup, DEBUG RELOAD, and INFO persistence
// (issue #3 §3, shared/spec/replication-rdb.md §5). Log lines follow redis-server 7.0.15's.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "fmt/format.h"
#include "server/persistence.h"
#include "tessera/core/log.h"
#include "tessera/core/status.h"

namespace tessera::server {
namespace {

auto& Log() { return core::Log(core::Module::kServer); }

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return errno == ENOENT ? absl::NotFoundError(std::strerror(errno))
                           : absl::InternalError(std::strerror(errno));
  }
  std::string data;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) data.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status err = absl::InternalError(std::strerror(errno));
      ::close(fd);
      return err;
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

void LogAux(const std::vector<keyspace::RdbAux>& aux, int64_t now_s) {
  for (const keyspace::RdbAux& a : aux) {
    if (a.key == "redis-ver") {
      Log().info("Loading RDB produced by version {}", a.value);
    } else if (a.key == "ctime") {
      int64_t age = now_s - std::strtoll(a.value.c_str(), nullptr, 10);
      Log().info("RDB age {} seconds", std::max<int64_t>(age, 0));
    } else if (a.key == "used-mem") {
      double mb = static_cast<double>(std::strtoull(a.value.c_str(), nullptr, 10)) / 1048576.0;
      Log().info("RDB memory usage when created {:.2f} Mb", mb);
    }
  }
}

}  // namespace

absl::StatusOr<keyspace::SnapshotLoadStats> Persistence::ReadRdbFile(std::vector<keyspace::Db>* dbs,
                                                                     bool replace_existing) const {
  const std::string path = RdbPath();
  absl::StatusOr<std::string> data = ReadWholeFile(path);
  if (!data.ok()) {
    if (absl::IsNotFound(data.status())) return data.status();
    return absl::InternalError(
        fmt::format("Fatal error loading the DB: {}. Exiting.", core::Msg(data.status())));
  }
  keyspace::SnapshotLoadOptions lo;
  lo.now_ms = clock_.UnixMs();
  // A replica keeps keys that expired while it was down: its master will delete them.
  lo.drop_expired = !config_.options().replicaof.has_value();
  lo.replace_existing = replace_existing;
  lo.limits = engine_.options().encoding_limits;
  absl::StatusOr<keyspace::SnapshotLoadStats> st = keyspace::LoadSnapshot(*data, lo, dbs);
  if (!st.ok()) {
    return absl::DataLossError(
        fmt::format("Failed loading RDB file {}: {}", path, core::Msg(st.status())));
  }
  LogAux(st->aux, lo.now_ms / 1000);
  Log().info("Done loading RDB, keys loaded: {}, keys expired: {}.", st->keys_loaded,
             st->keys_expired);
  return st;
}

absl::Status Persistence::LoadAtStartup() {
  const core::MonoTime start = clock_.Now();
  // Loaded aside and swapped in whole, so a bad file leaves nothing half-loaded.
  std::vector<keyspace::Db> dbs(static_cast<size_t>(engine_.db_count()));
  absl::StatusOr<keyspace::SnapshotLoadStats> st = ReadRdbFile(&dbs, false);
  if (absl::IsNotFound(st.status())) return absl::OkStatus();
  TS_RETURN_IF_ERROR(st.status());
  for (int i = 0; i < engine_.db_count(); ++i) engine_.db(i).Swap(dbs[static_cast<size_t>(i)]);
  last_load_keys_loaded_ = st->keys_loaded;
  last_load_keys_expired_ = st->keys_expired;
  const double secs = std::chrono::duration<double>(clock_.Now() - start).count();
  Log().info("DB loaded from disk: {:.3f} seconds", secs);
  return absl::OkStatus();
}

absl::Status Persistence::DebugReload(const commands::ReloadOptions& opts) {
  if (opts.save) TS_RETURN_IF_ERROR(SaveNow());
  std::vector<keyspace::Db> dbs(static_cast<size_t>(engine_.db_count()));
  if (!opts.flush) {
    // NOFLUSH loads on top of the current data (MERGE: file keys replace current ones).
    for (int i = 0; i < engine_.db_count(); ++i) dbs[static_cast<size_t>(i)].Swap(engine_.db(i));
  }
  absl::StatusOr<keyspace::SnapshotLoadStats> st = ReadRdbFile(&dbs, opts.merge);
  if (st.ok() || !opts.flush) {
    for (int i = 0; i < engine_.db_count(); ++i) {
      engine_.db(i).Swap(dbs[static_cast<size_t>(i)]);
      engine_.TouchAllKeys(i);
    }
  }
  if (!st.ok()) {
    Log().warn("{}", core::Msg(st.status()));
    return absl::InternalError("ERR Error trying to load the RDB dump, check server logs.");
  }
  last_load_keys_loaded_ = st->keys_loaded;
  last_load_keys_expired_ = st->keys_expired;
  Log().warn("DB reloaded by DEBUG RELOAD");
  return absl::OkStatus();
}

std::string Persistence::InfoSection() const {
  std::string s;
  auto add = [&s](std::string_view k, auto v) { s += fmt::format("{}:{}\r\n", k, v); };
  for (const char* k :
       {"loading", "async_loading", "current_cow_peak", "current_cow_size", "current_cow_size_age"})
    add(k, 0);
  add("current_fork_perc", "0.00");
  add("current_save_keys_processed", 0);
  add("current_save_keys_total", 0);
  add("rdb_changes_since_last_save", engine_.stats().dirty);
  add("rdb_bgsave_in_progress", child_running() ? 1 : 0);
  add("rdb_last_save_time", engine_.lastsave_unix_s);
  add("rdb_last_bgsave_status", last_bgsave_ok_ ? "ok" : "err");
  add("rdb_last_bgsave_time_sec", last_bgsave_time_sec_);
  add("rdb_current_bgsave_time_sec",
      child_running()
          ? std::chrono::duration_cast<std::chrono::seconds>(clock_.Now() - child_started_).count()
          : -1);
  add("rdb_saves", rdb_saves_);
  add("rdb_last_cow_size", 0);
  add("rdb_last_load_keys_expired", last_load_keys_expired_);
  add("rdb_last_load_keys_loaded", last_load_keys_loaded_);
  for (const char* k : {"aof_enabled", "aof_rewrite_in_progress", "aof_rewrite_scheduled"})
    add(k, 0);
  add("aof_last_rewrite_time_sec", -1);
  add("aof_current_rewrite_time_sec", -1);
  add("aof_last_bgrewrite_status", "ok");
  add("aof_rewrites", 0);
  add("aof_rewrites_consecutive_failures", 0);
  add("aof_last_write_status", "ok");
  add("aof_last_cow_size", 0);
  add("module_fork_in_progress", 0);
  add("module_fork_last_cow_size", 0);
  return s;
}

}  // namespace tessera::server
