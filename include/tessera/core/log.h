// Loggers, one per module, in Redis's line format "pid:role dd Mon yyyy hh:mm:ss.mmm <c> msg".
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace tessera::core {

enum class Module { kServer, kResp, kKeyspace, kBus, kReplication, kFailover, kCommands, kCore };

// Redis's role letters: X sentinel, C child, S replica, M master.
enum class Role : char { kMaster = 'M', kReplica = 'S', kChild = 'C' };

// Redis loglevel names: debug, verbose, notice, warning (and "nothing").
struct LogOptions {
  std::string level = "notice";
  std::string file;  // empty: stdout
};

// Sets up every module logger (idempotent). Throws nothing; on a bad file falls back to stdout
// and returns false.
bool InitLogging(const LogOptions& opts);
spdlog::logger& Log(Module m);
void SetLogRole(Role r);
// Maps a Redis loglevel name to spdlog's; returns false for an unknown name.
bool ParseLogLevel(const std::string& name, spdlog::level::level_enum* out);

}  // namespace tessera::core

namespace tessera::core {
// Changes the level of every module logger (CONFIG SET loglevel).
void SetLogLevel(spdlog::level::level_enum lvl);
}  // namespace tessera::core
