// A running tessera-server: owns the io_context, the engine and the network side, answers the
// engine's ServerHooks (config, shutdown), and handles signals.
#pragma once

#include <memory>
#include <string>

#include "server/asio.h"
#include "server/bus_service.h"
#include "server/config.h"
#include "server/persistence.h"
#include "server/server.h"
#include "tessera/commands/engine.h"
#include "tessera/core/clock.h"

namespace tessera::server {


class Node final : public commands::ServerHooks {
 public:
  Node(Config config, commands::ServerIdentity identity);
  ~Node() override;

  // Listens and runs the event loop until shutdown; returns the process exit code.
  int Run();

  // commands::ServerHooks
  std::vector<std::pair<std::string, std::string>> ConfigGet(
      const std::vector<std::string>& patterns) override;
  absl::Status ConfigSet(const std::vector<std::pair<std::string, std::string>>& kv) override;
  absl::Status ConfigRewrite() override;
  absl::Status Shutdown(commands::ShutdownMode mode) override;
  std::string InfoSection(std::string_view section) override;
  absl::Status Save() override { return persistence_.Save(); }
  absl::StatusOr<std::string> BgSave(bool schedule, bool in_exec) override {
    return persistence_.BgSave(schedule, in_exec);
  }
  absl::Status DebugReload(const commands::ReloadOptions& opts) override {
    return persistence_.DebugReload(opts);
  }
  void AfterFlushAll() override { persistence_.AfterFlushAll(); }
  bool WritesDeniedByDiskError() override { return persistence_.WritesDenied(); }
  commands::ProcessMemory ReadProcessMemory() override;  // node_process.cc
  void Stall(double seconds) override;

 private:
  void WaitForSignal();
  // Pushes the current config into the engine, the server and the loggers (after CONFIG SET).
  void ApplyConfig();
  void FinishShutdown();

  Config config_;
  core::SystemClock clock_;
  // One thread runs it (STYLE.md §1); the hint spares Asio its multi-thread bookkeeping.
  asio::io_context io_{1};
  commands::Engine engine_;
  Server server_;
  std::unique_ptr<BusService> cluster_;  // cluster-enabled yes only
  Persistence persistence_;
  asio::signal_set signals_;
  bool shutting_down_ = false;
};

}  // namespace tessera::server
