// An EngineFixture in cluster mode: a socket-free ClusterBus (myself = NodeId::ForTest(1)) and
// hooks that record the effects commands produce.
#pragma once

#include <memory>

#include "commands/fixture.h"
#include "tessera/bus/cluster_bus.h"
#include "tessera/commands/cluster.h"

namespace tessera::commands::testing {

class FakeClusterHooks : public ClusterHooks {
 public:
  void RunClusterEffects(bus::Effects effects) override {
    for (auto& e : effects) effects_.push_back(std::move(e));
  }
  absl::Status SaveClusterConfigNow() override {
    ++saves;
    return save_status;
  }
  size_t LinkSendBufferBytes(bus::LinkId) override { return 0; }

  template <typename T>
  size_t Count() const {
    size_t n = 0;
    for (const auto& e : effects_) n += std::holds_alternative<T>(e) ? 1 : 0;
    return n;
  }
  bus::Effects effects_;
  int saves = 0;
  absl::Status save_status = absl::OkStatus();
};

inline EngineOptions ClusterEngineOptions() {
  EngineOptions o;
  o.cluster_enabled = true;
  return o;
}

class ClusterFixture : public EngineFixture {
 public:
  ClusterFixture()
      : EngineFixture(ClusterEngineOptions()),
        bus(BusOpts(),
            std::make_unique<bus::ClusterState>(
                bus::NodeId::ForTest(1), bus::TimeBase{clock.Now(), clock.UnixMs()}, clock.Now()),
            rng) {
    bus.state().myself().ip = "127.0.0.1";
    context.bus = &bus;
    context.hooks = &cluster_hooks;
    engine.set_cluster(&context);
  }

  static bus::BusOptions BusOpts() {
    bus::BusOptions o;
    o.node_timeout = std::chrono::milliseconds(2000);
    o.port = 7001;
    o.cport = 17001;
    return o;
  }

  bus::ClusterState& st() { return bus.state(); }
  bus::ClusterNode& me() { return bus.state().myself(); }

  // A master at 127.0.0.1:(7000 + n) owning [first, last].
  bus::ClusterNode& Peer(uint64_t n, int first, int last,
                         uint16_t flags = bus::node_flags::kMaster) {
    bus::ClusterNode& p = st().Add(bus::NodeId::ForTest(n), flags, clock.Now());
    p.ip = "127.0.0.1";
    p.port = static_cast<uint16_t>(7000 + n);
    p.cport = static_cast<uint16_t>(17000 + n);
    for (int s = first; s <= last && first >= 0; ++s) st().AddSlot(p, s);
    return p;
  }
  void MySlots(int first, int last) {
    for (int s = first; s <= last; ++s) st().AddSlot(me(), s);
  }
  // Lets the startup delay pass and re-evaluates cluster_state (cluster-bus.md §7).
  void Settle() {
    bus.RequestStateUpdate();
    context.Commit(engine.mono_now());
    Advance(std::chrono::milliseconds(2500));
    bus.RequestStateUpdate();
    context.Commit(engine.mono_now());
  }

  core::Rng rng{7};
  bus::ClusterBus bus;
  FakeClusterHooks cluster_hooks;
  ClusterContext context;
};

}  // namespace tessera::commands::testing
