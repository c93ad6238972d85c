// CLUSTER commands that describe the cluster: INFO, NODES, SLOTS, SHARDS, LINKS, REPLICAS,
// SLAVES, HELP, with Redis 7.0's reply shapes (cluster-commands.md §1.3-§1.8).
#include <fmt/format.h>

#include "commands/cluster_family.h"

namespace tessera::commands::cluster {
namespace {

void Info(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  c.w.Verbatim(cl->bus->state().ClusterInfoText(cl->bus->stats()));
}

void Nodes(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  c.w.Verbatim(cl->bus->state().ClusterNodesText());
}

// One node of a CLUSTER SLOTS range: endpoint, port, id, and the other known endpoints.
void SlotsNode(Call& c, const ClusterContext& cl, const bus::ClusterNode& n) {
  c.w.ArrayHeader(4);
  if (cl.preferred_endpoint == EndpointType::kUnknownEndpoint) {
    c.w.Null();
  } else {
    c.w.Bulk(PreferredEndpoint(cl, n));
  }
  c.w.Integer(n.port);
  c.w.Bulk(n.id.View());
  const bool with_ip = cl.preferred_endpoint != EndpointType::kIp;
  const bool with_host = cl.preferred_endpoint != EndpointType::kHostname && !n.hostname.empty();
  c.w.MapHeader(int(with_ip) + int(with_host));
  if (with_ip) {
    c.w.Bulk("ip");
    c.w.Bulk(n.ip);
  }
  if (with_host) {
    c.w.Bulk("hostname");
    c.w.Bulk(n.hostname);
  }
}

void Slots(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  const bus::ClusterState& st = cl->bus->state();
  struct Run {
    int first, last;
    const bus::ClusterNode* owner;
  };
  std::vector<Run> runs;
  for (int s = 0; s < core::kSlots; ++s) {
    const bus::ClusterNode* o = st.SlotOwner(s);
    if (o == nullptr) continue;
    if (!runs.empty() && runs.back().owner == o && runs.back().last == s - 1) {
      runs.back().last = s;
    } else {
      runs.push_back({s, s, o});
    }
  }
  c.w.ArrayHeader(static_cast<int64_t>(runs.size()));
  for (const Run& r : runs) {
    // Only replicas that are up and have synced at least once are worth a client's read.
    std::vector<const bus::ClusterNode*> replicas;
    for (const bus::ClusterNode* rep : r.owner->replicas) {
      if (!rep->Failed() && rep->repl_offset != 0) replicas.push_back(rep);
    }
    c.w.ArrayHeader(static_cast<int64_t>(3 + replicas.size()));
    c.w.Integer(r.first);
    c.w.Integer(r.last);
    SlotsNode(c, *cl, *r.owner);
    for (const bus::ClusterNode* rep : replicas) SlotsNode(c, *cl, *rep);
  }
}

void ShardNode(Call& c, const ClusterContext& cl, const bus::ClusterNode& n) {
  const bool has_port = n.port != 0, has_host = !n.hostname.empty();
  c.w.MapHeader(6 + int(has_port) + int(has_host));
  c.w.Bulk("id");
  c.w.Bulk(n.id.View());
  if (has_port) {
    c.w.Bulk("port");
    c.w.Integer(n.port);
  }
  c.w.Bulk("ip");
  c.w.Bulk(n.ip);
  c.w.Bulk("endpoint");
  c.w.Bulk(PreferredEndpoint(cl, n));
  if (has_host) {
    c.w.Bulk("hostname");
    c.w.Bulk(n.hostname);
  }
  // TODO(#5): myself's offset comes from replication once it exists.
  const uint64_t offset = n.IsMyself() ? 0 : n.repl_offset;
  c.w.Bulk("role");
  c.w.Bulk(n.IsMaster() ? "master" : "replica");
  c.w.Bulk("replication-offset");
  c.w.Integer(static_cast<int64_t>(offset));
  c.w.Bulk("health");
  c.w.Bulk(n.Failed() ? "fail" : (n.IsReplica() && offset == 0) ? "loading" : "online");
}

void Shards(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  const bus::ClusterState& st = cl->bus->state();
  std::vector<const bus::ClusterNode*> masters;
  st.ForEachNode([&](const bus::ClusterNode& n) {
    if (n.IsMaster()) masters.push_back(&n);
  });
  c.w.ArrayHeader(static_cast<int64_t>(masters.size()));
  for (const bus::ClusterNode* m : masters) {
    c.w.MapHeader(2);
    c.w.Bulk("slots");
    std::vector<int> slots;
    for (int s = 0; s < core::kSlots && m->num_slots > 0; ++s) {
      if (st.SlotOwner(s) == m) slots.push_back(s);
    }
    auto ranges = bus::SlotsToRanges(slots);
    c.w.ArrayHeader(static_cast<int64_t>(ranges.size() * 2));
    for (const auto& r : ranges) {
      c.w.Integer(r.first);
      c.w.Integer(r.last);
    }
    c.w.Bulk("nodes");
    c.w.ArrayHeader(static_cast<int64_t>(1 + m->replicas.size()));
    ShardNode(c, *cl, *m);
    for (const bus::ClusterNode* r : m->replicas) ShardNode(c, *cl, *r);
  }
}

void Links(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  const auto links = cl->bus->Links();
  const bus::TimeBase& tb = cl->bus->state().time_base();
  c.w.ArrayHeader(static_cast<int64_t>(links.size()));
  for (const auto& l : links) {
    const size_t used = cl->hooks->LinkSendBufferBytes(l.id);
    c.w.MapHeader(6);
    c.w.Bulk("direction");
    c.w.Bulk(l.outbound ? "to" : "from");
    c.w.Bulk("node");
    c.w.Bulk(l.node.View());
    c.w.Bulk("create-time");
    c.w.Integer(tb.ToUnixMs(l.ctime));
    c.w.Bulk("events");
    c.w.Bulk(used > 0 ? "rw" : "r");
    c.w.Bulk("send-buffer-allocated");
    c.w.Integer(static_cast<int64_t>(used));
    c.w.Bulk("send-buffer-used");
    c.w.Integer(static_cast<int64_t>(used));
  }
}

void Replicas(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  bus::ClusterNode* n = NodeArg(c, c.arg(2));
  if (n == nullptr) return c.Error(fmt::format("ERR Unknown node {}", c.arg(2)));
  if (n->IsReplica()) return c.Error("ERR The specified node is not a master");
  const bus::ClusterState& st = cl->bus->state();
  c.w.ArrayHeader(static_cast<int64_t>(n->replicas.size()));
  for (const bus::ClusterNode* r : n->replicas) c.w.Bulk(bus::FormatNodeLine(st.ToNodeLine(*r)));
}

constexpr std::string_view kHelp[] = {
    "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ADDSLOTS <slot> [<slot> ...]",
    "    Assign slots to current node.",
    "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
    "    Assign slots which are between <start-slot> and <end-slot> to current node.",
    "BUMPEPOCH",
    "    Advance the cluster config epoch.",
    "COUNT-FAILURE-REPORTS <node-id>",
    "    Return number of failure reports for <node-id>.",
    "COUNTKEYSINSLOT <slot>",
    "    Return the number of keys in <slot>.",
    "DELSLOTS <slot> [<slot> ...]",
    "    Delete slots information from current node.",
    "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
    "    Delete slots information which are between <start-slot> and <end-slot> from current "
    "node.",
    "FAILOVER [FORCE|TAKEOVER]",
    "    Promote current replica node to being a master.",
    "FORGET <node-id>",
    "    Remove a node from the cluster.",
    "GETKEYSINSLOT <slot> <count>",
    "    Return key names stored by current node in a slot.",
    "FLUSHSLOTS",
    "    Delete current node own slots information.",
    "INFO",
    "    Return information about the cluster.",
    "KEYSLOT <key>",
    "    Return the hash slot for <key>.",
    "MEET <ip> <port> [<bus-port>]",
    "    Connect nodes into a working cluster.",
    "MYID",
    "    Return the node id.",
    "NODES",
    "    Return cluster configuration seen by node. Output format:",
    "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
    "REPLICATE <node-id>",
    "    Configure current node as replica to <node-id>.",
    "RESET [HARD|SOFT]",
    "    Reset current node (default: soft).",
    "SET-CONFIG-EPOCH <epoch>",
    "    Set config epoch of current node.",
    "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
    "    Set slot state.",
    "REPLICAS <node-id>",
    "    Return <node-id> replicas.",
    "SAVECONFIG",
    "    Force saving cluster configuration on disk.",
    "SLOTS",
    "    Return information about slots range mappings. Each range is made of:",
    "    start, end, master and replicas IP addresses, ports and ids",
    "SHARDS",
    "    Return information about slot range mappings and the nodes associated with them.",
    "LINKS",
    "    Return information about all network links between this node and its peers.",
    "    Output format is an array where each array element is a map containing attributes of a "
    "link",
    "HELP",
    "    Prints this help.",
};

void Help(Call& c) {
  if (Need(c) == nullptr) return;
  c.w.ArrayHeader(static_cast<int64_t>(std::size(kHelp)));
  for (std::string_view line : kHelp) c.w.Simple(line);
}

}  // namespace

void RegisterReplyCommands(CommandTable& t) {
  t.Register("cluster|info", Info);
  t.Register("cluster|nodes", Nodes);
  t.Register("cluster|slots", Slots);
  t.Register("cluster|shards", Shards);
  t.Register("cluster|links", Links);
  t.Register("cluster|replicas", Replicas);
  t.Register("cluster|slaves", Replicas);
  t.Register("cluster|help", Help);
}

}  // namespace tessera::commands::cluster
