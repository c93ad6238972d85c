// ClusterBus entry points for CLUSTER commands: FORGET and its ban, REPLICATE, RESET, PONG
// broadcasts, LINKS (cluster-commands.md §1.2, cluster-bus.md §2.8, §3.5).
#include "tessera/bus/cluster_bus.h"
#include "tessera/core/log.h"

namespace tessera::bus {

void ClusterBus::Forget(const NodeId& id, MonoTime now) {
  ClusterNode* n = state_->Find(id);
  if (!n || n->IsMyself()) return;
  banned_[id] = now + kForgetBan;
  FreeNode(*n);
  RequestSave(false);
  update_state_ = true;
}

bool ClusterBus::Banned(const NodeId& id, MonoTime now) const {
  auto it = banned_.find(id);
  return it != banned_.end() && it->second > now;
}

void ClusterBus::ReplicateTo(ClusterNode& master) {
  BecomeReplicaOf(master);
  RequestSave(false);
  update_state_ = true;
}

void ClusterBus::Reset(bool hard, const NodeId& new_id) {
  ClusterState& st = *state_;
  ClusterNode& me = st.myself();
  if (me.IsReplica()) {
    st.SetNodeAsMaster(me);
    me.flags &= ~node_flags::kMigrateTo;
  }
  st.ClearOpenSlots();
  for (int s = 0; s < core::kSlots; ++s) st.DelSlot(s);
  std::vector<ClusterNode*> others;
  st.ForEachNode([&](ClusterNode& n) {
    if (!n.IsMyself()) others.push_back(&n);
  });
  for (ClusterNode* n : others) FreeNode(*n);
  if (hard) {
    st.set_current_epoch(0);
    st.set_last_vote_epoch(0);
    me.config_epoch = 0;
    if (new_id != me.id && !st.Find(new_id)) st.Rename(me.id, new_id);
    core::Log(core::Module::kBus).info("Node hard reset, now I'm {}", me.id.View());
  }
  save_ = fsync_ = update_state_ = true;
}

void ClusterBus::BroadcastPong(MonoTime now) {
  Message m = BuildPing(MsgType::kPong, now);
  Broadcast(m);
}

std::vector<ClusterBus::LinkInfo> ClusterBus::Links() const {
  std::vector<LinkInfo> out;
  state_->ForEachNode([&](const ClusterNode& n) {
    for (LinkId id : {n.link, n.inbound_link}) {
      auto it = links_.find(id);
      if (id == kNoLink || it == links_.end()) continue;
      out.push_back(LinkInfo{id, it->second.outbound, n.id, it->second.ctime});
    }
  });
  return out;
}

}  // namespace tessera::bus
