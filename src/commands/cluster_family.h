// Shared pieces of the CLUSTER command family (cluster-commands.md §1): the cluster-mode check,
// slot and node-id arguments, and the registration of each file's handlers.
#pragma once

#include <optional>
#include <string>

#include "tessera/commands/cluster.h"
#include "tessera/commands/engine.h"

namespace tessera::commands::cluster {

inline constexpr std::string_view kDisabled = "ERR This instance has cluster support disabled";

// The cluster, or nullptr after replying "cluster support disabled".
ClusterContext* Need(Call& c);
// A slot argument of ADDSLOTS/DELSLOTS/SETSLOT: 0..16383, else "Invalid or out of range slot".
std::optional<int> SlotArg(Call& c, const std::string& arg);
// A node by its id argument; nullptr when unknown (the caller picks the error text).
bus::ClusterNode* NodeArg(Call& c, const std::string& arg);
// Redis's fallback for a handler's own argument-count check.
void SubcommandSyntaxError(Call& c);
// Runs what the bus queued after a command changed the cluster.
void Commit(Call& c);

void RegisterSlotCommands(CommandTable& t);   // cluster_commands.cc
void RegisterNodeCommands(CommandTable& t);   // cluster_node_commands.cc
void RegisterReplyCommands(CommandTable& t);  // cluster_reply_commands.cc

}  // namespace tessera::commands::cluster

namespace tessera::commands {
void RegisterRoutingCommands(CommandTable& t);  // cluster_routing.cc
}
