// The node's network side: listeners, client connections, the cron timer and signals, all on
// one io_context thread. Data and commands live in commands::Engine.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "server/asio.h"
#include "server/server_settings.h"
#include "tessera/commands/engine.h"
#include "tessera/core/clock.h"

namespace tessera::server {

class ClientConn;

class Server {
 public:
  Server(asio::io_context& io, ServerSettings settings, commands::Engine& engine,
         const core::Clock& clock);
  ~Server();

  // Binds every address of `bind`; fails with Redis's message when none can be bound.
  absl::Status Listen();
  // Stops accepting, closes clients; the io_context then runs out of work.
  void Stop();
  ServerSettings& settings() { return settings_; }
  size_t client_count() const { return conns_.size(); }
  // Re-arms the cron timer at a new hz (CONFIG SET hz).
  void SetHz(int hz) { settings_.hz = hz; }
  // Writes the output of clients that got some outside their own commands (pub/sub).
  void FlushPending();
  // Runs at the end of every cron tick (the node's persistence work).
  std::function<void()> on_cron;
  // Runs the cron now when its timer is due within `window`, and restarts the period from now.
  // Called once something else (a bus message) has woken the node: on an idle cluster that
  // saves the timer's own wakeup, which costs more than the cron's work (docs/benchmarks.md).
  void CronIfDueWithin(std::chrono::milliseconds window);

 private:
  void Accept(tcp::acceptor& acc);
  void OnAccept(tcp::socket sock);
  void ScheduleCron();
  void Cron();
  bool IsLoopback(const tcp::socket& sock) const;

  asio::io_context& io_;
  ServerSettings settings_;
  commands::Engine& engine_;
  const core::Clock& clock_;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  absl::flat_hash_map<uint64_t, std::shared_ptr<ClientConn>> conns_;
  asio::steady_timer cron_timer_;
  core::MonoTime next_cron_{};
  // A timer that fired just as CronIfDueWithin re-armed it may still deliver its old
  // completion: the generation tells a stale one apart.
  uint64_t cron_generation_ = 0;
  uint64_t cron_loops_ = 0;
  bool stopped_ = false;
};

}  // namespace tessera::server
