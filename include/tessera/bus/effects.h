// What ClusterBus asks the network layer to do (docs/cluster.md, "Effects").
// Every ClusterBus entry point returns an ordered list of effects; the server runs them in
// order, on the same thread, before feeding the next event. Effects never call back into
// ClusterBus synchronously: results come back as later events (OnConnected, OnLinkClosed...).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "tessera/bus/cluster_state.h"
#include "tessera/bus/message.h"
#include "tessera/bus/node_id.h"

namespace tessera::bus {

// Open an outbound TCP connection to ip:cport and call it `link`. Report success with
// ClusterBus::OnConnected(link) and failure (sync or async) with OnLinkClosed(link).
// `Send`s for the link may arrive before the connect completes: queue them (Redis does too).
struct ConnectEffect {
  LinkId link = kNoLink;
  NodeId node;
  std::string ip;
  uint16_t cport = 0;
};

// Append `bytes` (one encoded message) to the link's send buffer. A Send to a link that the
// server already closed is dropped silently.
struct SendEffect {
  LinkId link = kNoLink;
  std::string bytes;
  uint16_t type = 0;  // for logs only
};

// Close the link. ClusterBus has already forgotten it: do not report OnLinkClosed for it.
struct CloseEffect {
  LinkId link = kNoLink;
};

// Persist state().ToNodesConf() (cluster-bus.md §8.3-§8.4). `fsync`: sync the file.
// `now`: Redis writes synchronously before anything else happens (collision handling);
// otherwise it may be coalesced until the end of the event-loop iteration. At most one per
// batch of effects, always after the changes it covers.
struct SaveConfigEffect {
  bool fsync = false;
  bool now = false;
};

// cluster_state changed (ok <-> fail); the server logs "Cluster state changed: ok".
struct StateChangedEffect {
  bool ok = false;
};

// A message for another layer, from a known, non-handshake sender: PUBLISH and PUBLISHSHARD
// (pub/sub), FAILOVER_AUTH_REQUEST/ACK and MFSTART (failover), MODULE (modules), and unknown
// types (log them).
struct DeliverEffect {
  LinkId link = kNoLink;
  NodeId sender;
  Message msg;
};

// This node became a replica of `master` (§5.4 demotion, or its master moved): point
// replication at ip:port and reset any manual failover.
struct ReplicateEffect {
  NodeId master;
  std::string ip;
  uint16_t port = 0;
};

// Slots this node lost to a higher-epoch owner (§5.4a "dirty slots"): delete their keys.
struct DeleteSlotKeysEffect {
  std::vector<int> slots;
};

// Slots this node's shard (itself, or its master) stopped serving, by any path: unsubscribe
// their shard-channel subscribers (cluster-commands.md §3.8).
struct ShardSlotsLostEffect {
  std::vector<int> slots;
};

using Effect = std::variant<ConnectEffect, SendEffect, CloseEffect, SaveConfigEffect,
                            StateChangedEffect, DeliverEffect, ReplicateEffect,
                            DeleteSlotKeysEffect, ShardSlotsLostEffect>;
using Effects = std::vector<Effect>;

}  // namespace tessera::bus
