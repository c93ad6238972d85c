// What the command layer needs to act as a cluster node (cluster-commands.md §1, §3): the
// socket-free ClusterBus, a hook to run the effects commands produce, the cluster options that
// routing reads, and the routing decision itself (MOVED/ASK/CROSSSLOT/TRYAGAIN/CLUSTERDOWN).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "tessera/bus/cluster_bus.h"
#include "tessera/bus/effects.h"

namespace tessera::commands {

class Engine;
struct ClientState;
struct Command;
class CommandTable;

// cluster-preferred-endpoint-type (cluster-commands.md §1.5).
enum class EndpointType { kIp, kHostname, kUnknownEndpoint };

// Services of the network layer that CLUSTER commands need. Implemented by the server.
class ClusterHooks {
 public:
  virtual ~ClusterHooks() = default;
  // Runs effects produced by a command (connects, sends, config saves...), in order.
  virtual void RunClusterEffects(bus::Effects effects) = 0;
  // CLUSTER SAVECONFIG: writes nodes.conf now, with fsync. The error text is strerror's.
  virtual absl::Status SaveClusterConfigNow() = 0;
  // Bytes queued on a bus link (CLUSTER LINKS send-buffer-*), 0 if unknown.
  virtual size_t LinkSendBufferBytes(bus::LinkId link) = 0;
};

// Owned by the server, which keeps the options in step with the config.
struct ClusterContext {
  bus::ClusterBus* bus = nullptr;
  ClusterHooks* hooks = nullptr;
  bool allow_reads_when_down = false;
  bool allow_pubsubshard_when_down = true;
  EndpointType preferred_endpoint = EndpointType::kIp;

  // Runs what the bus queued for a command (state re-evaluation, saves, sends).
  void Commit(core::MonoTime now) { hooks->RunClusterEffects(bus->Commit(now)); }
};

// The routing check of cluster-commands.md §3.3 for a command about to run or be queued
// (`cmd` is the resolved subcommand). Returns the error reply text without '-' (MOVED 12182
// 127.0.0.1:7002, CROSSSLOT ..., CLUSTERDOWN ...), or "" when this node serves the command.
std::string ClusterRoute(Engine& engine, ClusterContext& cluster, const ClientState& client,
                         const Command& cmd, const std::vector<std::string>& argv);

// "<endpoint>:<port>" of a node for MOVED/ASK (§1.5, §3.4).
std::string NodeEndpoint(const ClusterContext& cluster, const bus::ClusterNode& node);
std::string PreferredEndpoint(const ClusterContext& cluster, const bus::ClusterNode& node);

// PUBLISH / SPUBLISH propagation over the bus (cluster-bus.md §1.6.2). No-op outside cluster
// mode.
void ClusterPropagatePublish(Engine& engine, std::string_view channel, std::string_view message,
                             bool shard);

// CLUSTER, READONLY, READWRITE, ASKING.
void RegisterClusterCommands(CommandTable& t);

}  // namespace tessera::commands
