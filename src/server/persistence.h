// RDB persistence of a node (docs: issue #3 §3; shared/spec/replication-rdb.md §5): SAVE, BGSAVE
// in a forked child, save points checked by the cron, save on shutdown, loading at startup,
// DEBUG RELOAD, and the INFO persistence section. All file I/O of the node's data is here.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/config.h"
#include "tessera/commands/engine.h"
#include "tessera/core/clock.h"
#include "tessera/keyspace/rdb_snapshot.h"

namespace tessera::server {

class Persistence {
 public:
  // `config` and `engine` outlive this object; the config is read live (CONFIG SET applies).
  Persistence(const Config& config, commands::Engine& engine, const core::Clock& clock);
  ~Persistence();

  // Loads dir/dbfilename into the engine when the file exists. A missing file is not an error;
  // a bad one is, with a message naming the file and the byte offset, and nothing is loaded.
  absl::Status LoadAtStartup();

  // SAVE. Errors are whole reply texts ("ERR Background save already in progress", "ERR").
  absl::Status Save();
  // BGSAVE [SCHEDULE]: the status reply on success. `in_exec`: called from a transaction,
  // where Redis only schedules the save.
  absl::StatusOr<std::string> BgSave(bool schedule, bool in_exec);
  // DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE].
  absl::Status DebugReload(const commands::ReloadOptions& opts);
  // FLUSHALL: a running child's snapshot is stale (it is killed) and, with save points, an
  // empty dataset is saved at once, as Redis does.
  void AfterFlushAll();
  // Before exiting (SHUTDOWN, SIGTERM): kills a bgsave child, then saves when asked to or when
  // save points exist (unless NOSAVE). An error means the node must not exit.
  absl::Status PrepareShutdown(commands::ShutdownMode mode);

  // Reaps a finished child, then starts a scheduled BGSAVE or one due by a save point.
  void Cron();

  // MISCONF: writes are refused while the last background save failed, save points exist and
  // stop-writes-on-bgsave-error is on.
  bool WritesDenied() const;
  // The "field:value\r\n" lines of INFO persistence.
  std::string InfoSection() const;

  bool child_running() const { return child_pid_ > 0; }

 private:
  std::string RdbPath() const;
  std::string TempPath(pid_t pid) const;
  keyspace::SnapshotSaveOptions SnapshotOptions() const;
  // Writes the snapshot to temp-<pid>.rdb, fsyncs and renames it over dbfilename.
  absl::Status WriteRdbFile(pid_t pid) const;
  // SAVE's work without the child check (shutdown, FLUSHALL, DEBUG RELOAD).
  absl::Status SaveNow();
  absl::Status StartBgSave();
  void ReapChild();
  void KillChild();
  // Reads and parses the RDB at RdbPath() into fresh databases.
  absl::StatusOr<keyspace::SnapshotLoadStats> ReadRdbFile(std::vector<keyspace::Db>* dbs,
                                                          bool replace_existing) const;
  int64_t UnixS() const { return clock_.UnixMs() / 1000; }

  const Config& config_;
  commands::Engine& engine_;
  const core::Clock& clock_;

  pid_t child_pid_ = -1;
  core::MonoTime child_started_{};
  uint64_t dirty_before_bgsave_ = 0;
  int64_t last_bgsave_try_s_ = 0;
  bool last_bgsave_ok_ = true;
  int64_t last_bgsave_time_sec_ = -1;
  bool bgsave_scheduled_ = false;
  uint64_t rdb_saves_ = 0;
  uint64_t last_load_keys_loaded_ = 0;
  uint64_t last_load_keys_expired_ = 0;
};

}  // namespace tessera::server
