// RDB persistence: files, the bgsave child, save points and loading (issue #3 §3,
// shared/spec/replication-rdb.md §5). Log lines follow redis-server 7.0.15's.
#include "server/persistence.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "fmt/format.h"
#include "tessera/core/log.h"
#include "tessera/core/status.h"

namespace tessera::server {
namespace {

auto& Log() { return core::Log(core::Module::kServer); }

// Redis retries a failed background save no sooner than this (CONFIG_BGSAVE_RETRY_DELAY).
constexpr int64_t kBgsaveRetryDelayS = 5;

absl::Status WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

bool IsLru(MaxmemoryPolicy p) {
  return p == MaxmemoryPolicy::kAllkeysLru || p == MaxmemoryPolicy::kVolatileLru;
}
bool IsLfu(MaxmemoryPolicy p) {
  return p == MaxmemoryPolicy::kAllkeysLfu || p == MaxmemoryPolicy::kVolatileLfu;
}

// list-max-listpack-size as a node byte limit: -1..-5 are 4..64 KiB; a positive entry count
// has no byte form, so such lists get Redis's default node size.
size_t ListNodeBytes(int fill) {
  if (fill < 0 && fill >= -5) return size_t{4096} << (-fill - 1);
  return 8192;
}

}  // namespace

Persistence::Persistence(const Config& config, commands::Engine& engine, const core::Clock& clock)
    : config_(config), engine_(engine), clock_(clock) {}

Persistence::~Persistence() { KillChild(); }

std::string Persistence::RdbPath() const {
  const ServerOptions& o = config_.options();
  return o.dir.empty() ? o.dbfilename : fmt::format("{}/{}", o.dir, o.dbfilename);
}

std::string Persistence::TempPath(pid_t pid) const {
  const ServerOptions& o = config_.options();
  std::string name = fmt::format("temp-{}.rdb", pid);
  return o.dir.empty() ? name : fmt::format("{}/{}", o.dir, name);
}

keyspace::SnapshotSaveOptions Persistence::SnapshotOptions() const {
  const ServerOptions& o = config_.options();
  keyspace::SnapshotSaveOptions s;
  s.rdb.compression = o.rdbcompression;
  s.rdb.hash_max_listpack_entries = static_cast<size_t>(o.hash_max_listpack_entries);
  s.rdb.hash_max_listpack_value = static_cast<size_t>(o.hash_max_listpack_value);
  s.rdb.zset_max_listpack_entries = static_cast<size_t>(o.zset_max_listpack_entries);
  s.rdb.zset_max_listpack_value = static_cast<size_t>(o.zset_max_listpack_value);
  s.rdb.set_max_intset_entries = static_cast<size_t>(o.set_max_intset_entries);
  s.rdb.list_max_listpack_bytes = ListNodeBytes(o.list_max_listpack_size);
  s.checksum = o.rdbchecksum;
  s.save_lru = IsLru(o.maxmemory_policy);
  s.save_lfu = IsLfu(o.maxmemory_policy);
  s.now_ms = clock_.UnixMs();
  s.aux.ctime_s = UnixS();
  s.aux.used_mem = engine_.used_memory();
  return s;
}

absl::Status Persistence::WriteRdbFile(pid_t pid) const {
  const std::string tmp = TempPath(pid);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    const std::string& dir = config_.options().dir;
    return absl::InternalError(
        fmt::format("Failed opening the temp RDB file temp-{}.rdb (in server root dir {}) for "
                    "saving: {}",
                    pid, dir, std::strerror(errno)));
  }
  std::vector<const keyspace::Db*> dbs;
  for (int i = 0; i < engine_.db_count(); ++i) dbs.push_back(&engine_.db(i));
  absl::Status st = keyspace::WriteSnapshot(
      dbs, SnapshotOptions(), [fd](std::string_view chunk) { return WriteAll(fd, chunk); });
  if (st.ok() && ::fsync(fd) != 0) st = absl::InternalError(std::strerror(errno));
  if (::close(fd) != 0 && st.ok()) st = absl::InternalError(std::strerror(errno));
  if (st.ok() && ::rename(tmp.c_str(), RdbPath().c_str()) != 0) {
    st = absl::InternalError(fmt::format(
        "Error moving temp DB file {} on the final destination {} (in server root dir {}): {}", tmp,
        config_.options().dbfilename, config_.options().dir, std::strerror(errno)));
  } else if (!st.ok()) {
    st = absl::InternalError(fmt::format("Write error saving DB on disk: {}", core::Msg(st)));
  }
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

absl::Status Persistence::SaveNow() {
  absl::Status st = WriteRdbFile(getpid());
  if (!st.ok()) {
    Log().warn("{}", core::Msg(st));
    return absl::InternalError("ERR");
  }
  Log().info("DB saved on disk");
  engine_.stats().dirty = 0;
  engine_.lastsave_unix_s = UnixS();
  last_bgsave_ok_ = true;
  return absl::OkStatus();
}

absl::Status Persistence::Save() {
  if (child_running())
    return absl::FailedPreconditionError("ERR Background save already in progress");
  ++rdb_saves_;
  return SaveNow();
}

absl::StatusOr<std::string> Persistence::BgSave(bool schedule, bool in_exec) {
  if (child_running()) {
    return absl::FailedPreconditionError("ERR Background save already in progress");
  }
  (void)schedule;  // with no other kind of child, SCHEDULE only matters inside a transaction
  if (in_exec) {
    bgsave_scheduled_ = true;
    return std::string("Background saving scheduled");
  }
  TS_RETURN_IF_ERROR(StartBgSave());
  return std::string("Background saving started");
}

absl::Status Persistence::StartBgSave() {
  last_bgsave_try_s_ = UnixS();
  const uint64_t dirty = engine_.stats().dirty;
  pid_t pid = ::fork();
  if (pid == 0) {
    // The child: the forked address space is the snapshot. It never touches the event loop
    // (whose epoll set it shares) and leaves with _exit so no parent state is torn down.
    core::SetLogRole(core::Role::kChild);
    // The inherited handlers would report a signal sent to the child to the parent's loop.
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    absl::Status st = WriteRdbFile(getpid());
    if (st.ok()) {
      Log().info("DB saved on disk");
    } else {
      Log().warn("{}", core::Msg(st));
    }
    Log().flush();
    ::_exit(st.ok() ? 0 : 1);
  }
  if (pid < 0) {
    last_bgsave_ok_ = false;
    Log().warn("Can't save in background: fork: {}", std::strerror(errno));
    return absl::InternalError("ERR");
  }
  ++rdb_saves_;
  Log().info("Background saving started by pid {}", pid);
  child_pid_ = pid;
  child_started_ = clock_.Now();
  dirty_before_bgsave_ = dirty;
  bgsave_scheduled_ = false;
  return absl::OkStatus();
}

void Persistence::ReapChild() {
  if (!child_running()) return;
  int status = 0;
  pid_t r = ::waitpid(child_pid_, &status, WNOHANG);
  if (r == 0) return;
  const pid_t pid = child_pid_;
  child_pid_ = -1;
  last_bgsave_time_sec_ =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now() - child_started_).count();
  if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    Log().info("Background saving terminated with success");
    auto& dirty = engine_.stats().dirty;
    dirty = dirty > dirty_before_bgsave_ ? dirty - dirty_before_bgsave_ : 0;
    engine_.lastsave_unix_s = UnixS();
    last_bgsave_ok_ = true;
  } else if (r > 0 && WIFSIGNALED(status)) {
    Log().warn("Background saving terminated by signal {}", WTERMSIG(status));
    ::unlink(TempPath(pid).c_str());
    // SIGUSR1 is how Redis (and KillChild) stops a child on purpose: not a failure.
    if (WTERMSIG(status) != SIGUSR1) last_bgsave_ok_ = false;
  } else {
    Log().warn("Background saving error");
    last_bgsave_ok_ = false;
  }
}

void Persistence::KillChild() {
  if (!child_running()) return;
  ::kill(child_pid_, SIGUSR1);
  int status = 0;
  while (::waitpid(child_pid_, &status, 0) < 0 && errno == EINTR) {
  }
  ::unlink(TempPath(child_pid_).c_str());
  child_pid_ = -1;
}

void Persistence::Cron() {
  ReapChild();
  if (child_running()) return;
  const int64_t now_s = UnixS();
  const bool may_retry = now_s - last_bgsave_try_s_ > kBgsaveRetryDelayS || last_bgsave_ok_;
  if (bgsave_scheduled_ && may_retry) {
    (void)StartBgSave();
    return;
  }
  const uint64_t dirty = engine_.stats().dirty;
  const int64_t since_save = now_s - engine_.lastsave_unix_s;
  for (const SavePoint& sp : config_.options().save) {
    if (dirty >= static_cast<uint64_t>(sp.changes) && since_save > sp.seconds && may_retry) {
      Log().info("{} changes in {} seconds. Saving...", sp.changes, sp.seconds);
      (void)StartBgSave();
      return;
    }
  }
}

void Persistence::AfterFlushAll() {
  if (child_running()) KillChild();
  if (!config_.options().save.empty()) (void)SaveNow();
}

absl::Status Persistence::PrepareShutdown(commands::ShutdownMode mode) {
  if (child_running()) {
    Log().warn("There is a child saving an .rdb. Killing it!");
    KillChild();
  }
  const bool save = mode == commands::ShutdownMode::kSave ||
                    (mode == commands::ShutdownMode::kDefault && !config_.options().save.empty());
  if (!save) return absl::OkStatus();
  Log().info("Saving the final RDB snapshot before exiting.");
  if (!SaveNow().ok()) {
    Log().warn("Error trying to save the DB, can't exit.");
    return absl::InternalError("ERR Errors trying to SHUTDOWN. Check logs.");
  }
  return absl::OkStatus();
}

bool Persistence::WritesDenied() const {
  const ServerOptions& o = config_.options();
  return !last_bgsave_ok_ && o.stop_writes_on_bgsave_error && !o.save.empty();
}

}  // namespace tessera::server
