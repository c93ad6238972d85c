// ClusterState <-> text: CLUSTER NODES, nodes.conf load/save, CLUSTER INFO
// (cluster-bus.md §8-§9, cluster-commands.md §1.3-§1.4).
#include <fmt/format.h>

#include "tessera/bus/cluster_state.h"
#include "tessera/core/status.h"

namespace tessera::bus {
namespace {

ClusterNode& FindOrAdd(ClusterState& st, const NodeId& id, MonoTime now) {
  ClusterNode* n = st.Find(id);
  return n ? *n : st.Add(id, 0, now);
}

}  // namespace

NodeLine ClusterState::ToNodeLine(const ClusterNode& n) const {
  NodeLine l;
  l.id = n.id;
  l.ip = n.ip;
  l.port = n.port;
  l.cport = n.cport;
  l.hostname = n.hostname;
  l.flags = n.flags;
  if (n.master) l.master = n.master->id;
  l.ping_sent_ms = time_base_.ToUnixMs(n.ping_sent);
  l.pong_received_ms = time_base_.ToUnixMs(n.pong_received);
  // A replica shows its master's epoch (§9 field 7).
  l.config_epoch = n.IsReplica() && n.master ? n.master->config_epoch : n.config_epoch;
  l.connected = n.link != kNoLink || n.IsMyself();
  std::vector<int> slots;
  for (int s = 0; s < core::kSlots && n.num_slots > 0; ++s) {
    if (n.slots.Test(s)) slots.push_back(s);
  }
  l.slots = SlotsToRanges(slots);
  if (n.IsMyself()) {
    for (int s = 0; s < core::kSlots; ++s) {
      // Migrating wins when both are set (§8.1).
      if (migrating_to_[s]) {
        l.open_slots.push_back({s, true, migrating_to_[s]->id});
      } else if (importing_from_[s]) {
        l.open_slots.push_back({s, false, importing_from_[s]->id});
      }
    }
  }
  return l;
}

std::string ClusterState::ClusterNodesText() const {
  std::string out;
  for (const auto& [id, n] : nodes_) {
    out += FormatNodeLine(ToNodeLine(*n));
    out += '\n';
  }
  return out;
}

NodesConf ClusterState::ToNodesConf() const {
  NodesConf conf;
  for (const auto& [id, n] : nodes_) {
    if (!n->InHandshake()) conf.nodes.push_back(ToNodeLine(*n));
  }
  conf.current_epoch = current_epoch_;
  conf.last_vote_epoch = last_vote_epoch_;
  return conf;
}

absl::StatusOr<std::unique_ptr<ClusterState>> ClusterState::FromNodesConf(const NodesConf& conf,
                                                                         TimeBase time_base,
                                                                         MonoTime now) {
  std::unique_ptr<ClusterState> st(new ClusterState(time_base));
  for (const NodeLine& l : conf.nodes) {
    ClusterNode& n = FindOrAdd(*st, l.id, now);
    n.flags = l.flags;
    n.ip = l.ip;
    n.port = l.port;
    n.cport = l.cport;
    n.hostname = l.hostname;
    if (n.IsMyself()) st->myself_ = &n;
    // Only "was there a pending ping / a pong" survives a restart (§8.2 fields 5-6).
    n.ping_sent = l.ping_sent_ms ? now : kNever;
    n.pong_received = l.pong_received_ms ? now : kNever;
    if (n.Failed()) n.fail_time = now;
    if (!l.master.IsZero()) {
      st->SetReplicaOf(n, FindOrAdd(*st, l.master, now));
    } else {
      n.config_epoch = l.config_epoch;
    }
    for (const SlotRange& r : l.slots) {
      for (int s = r.first; s <= r.last; ++s) {
        st->DelSlot(s);
        st->AddSlot(n, s);
      }
    }
    for (const OpenSlot& o : l.open_slots) {
      ClusterNode& peer = FindOrAdd(*st, o.node, now);
      (o.migrating ? st->migrating_to_ : st->importing_from_)[o.slot] = &peer;
    }
  }
  if (!st->myself_) return absl::InvalidArgumentError("no myself line");
  st->current_epoch_ = std::max(conf.current_epoch, st->MaxConfigEpoch());
  st->last_vote_epoch_ = conf.last_vote_epoch;
  return st;
}

std::string ClusterState::ClusterInfoText(const BusStats& stats) const {
  int assigned = 0, ok = 0, pfail = 0, fail = 0;
  for (int s = 0; s < core::kSlots; ++s) {
    const ClusterNode* o = owners_[s];
    if (!o) continue;
    ++assigned;
    if (o->Failed()) {
      ++fail;
    } else if (o->TimedOut()) {
      ++pfail;
    } else {
      ++ok;
    }
  }
  std::string out = fmt::format(
      "cluster_state:{}\r\ncluster_slots_assigned:{}\r\ncluster_slots_ok:{}\r\n"
      "cluster_slots_pfail:{}\r\ncluster_slots_fail:{}\r\ncluster_known_nodes:{}\r\n"
      "cluster_size:{}\r\ncluster_current_epoch:{}\r\ncluster_my_epoch:{}\r\n",
      state_ok_ ? "ok" : "fail", assigned, ok, pfail, fail, nodes_.size(), size_, current_epoch_,
      MyAdvertisedEpoch());
  auto counters = [&](const std::array<uint64_t, kTypeCount>& c, const char* dir) {
    uint64_t total = 0;
    for (uint16_t t = 0; t < kTypeCount; ++t) {
      total += c[t];
      if (c[t]) out += fmt::format("cluster_stats_messages_{}_{}:{}\r\n", MsgTypeStatsName(t), dir, c[t]);
    }
    out += fmt::format("cluster_stats_messages_{}:{}\r\n", dir, total);
  };
  counters(stats.sent, "sent");
  counters(stats.received, "received");
  out += fmt::format("total_cluster_links_buffer_limit_exceeded:{}\r\n",
                     stats.links_buffer_limit_exceeded);
  return out;
}

}  // namespace tessera::bus
