// The cluster bus on the network (docs/cluster.md, "The network layer's contract"): the bus
// listener, the links, the 100 ms cluster cron, nodes.conf, and the executor of the Effects
// that ClusterBus returns. Policy stays in bus::ClusterBus; this class only moves bytes, runs
// timers and touches files. It also serves the command layer's ClusterHooks.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "server/asio.h"
#include "server/bus_config_file.h"
#include "server/bus_link.h"
#include "server/config.h"
#include "tessera/bus/cluster_bus.h"
#include "tessera/commands/cluster.h"
#include "tessera/commands/engine.h"
#include "tessera/core/clock.h"
#include "tessera/core/rng.h"

namespace tessera::server {

class BusService final : public commands::ClusterHooks, private BusLink::Events {
 public:
  // `flush_clients` writes clients' pending output (pub/sub deliveries from the bus).
  BusService(asio::io_context& io, const core::Clock& clock, commands::Engine& engine,
             std::function<void()> flush_clients);
  ~BusService() override;

  // Locks and loads nodes.conf (or creates a new node and saves it), and builds the ClusterBus.
  // Errors carry the text to log before exiting.
  absl::Status Init(const ServerOptions& o);
  // Listens on the bus port on the same addresses as the client port; Cron() runs from then on.
  absl::Status Listen(const ServerOptions& o);
  // The cluster cron: call from every server cron tick. It runs ClusterBus::Tick about every
  // bus::kCronPeriod, on the server's own timer, so an idle node wakes once per tick, not twice.
  void Cron();
  // CONFIG SET of cluster-* options.
  void ApplyOptions(const ServerOptions& o);
  // Closes the listener and every link (shutdown). nodes.conf is not written.
  void Stop();

  // Posted once after the frames of a wakeup are handled (the node uses it to run a cron that
  // is nearly due now rather than wake again for it).
  std::function<void()> on_woken;

  commands::ClusterContext& context() { return context_; }
  bus::ClusterBus& bus() { return *bus_; }

  // commands::ClusterHooks
  void RunClusterEffects(bus::Effects effects) override { Run(std::move(effects)); }
  absl::Status SaveClusterConfigNow() override;
  size_t LinkSendBufferBytes(bus::LinkId link) override;

 private:
  BusLink::Events& events() { return *this; }
  // BusLink::Events
  void OnLinkConnected(bus::LinkId id) override;
  void OnLinkFrame(bus::LinkId id, std::span<const uint8_t> frame) override;
  void OnLinkError(bus::LinkId id) override;

  // Executes effects in order (effects.h).
  void Run(bus::Effects effects);
  void Execute(bus::Effect& e);
  void Deliver(const bus::DeliverEffect& d);
  void SaveConfig(bool fsync, bool now);
  // Saves or exits: a node that cannot persist its config must not go on (cluster-bus.md §8.3).
  void SaveOrDie(bool fsync);
  void Accept(tcp::acceptor& acc);
  core::MonoTime Now();
  // Sets the engine's cached time before an effect that touches keys or clients.
  void SyncEngineTime();
  // Events from the bus may deliver pub/sub messages: flush them at the end of the event.
  void AfterEvent();

  asio::io_context& io_;
  const core::Clock& clock_;
  commands::Engine& engine_;
  std::function<void()> flush_clients_;
  bool woken_posted_ = false;
  core::Rng rng_;
  std::unique_ptr<NodesConfFile> conf_file_;
  std::unique_ptr<bus::ClusterBus> bus_;
  commands::ClusterContext context_;
  std::map<bus::LinkId, std::shared_ptr<BusLink>> links_;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  core::MonoTime last_tick_{};
  uint64_t link_sendbuf_limit_ = 0;
  bool save_posted_ = false, save_fsync_ = false;
  bool delivered_ = false;
  bool listening_ = false;
  bool stopped_ = false;
};

}  // namespace tessera::server
