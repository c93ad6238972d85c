// Slot ownership from messages: rebinding by configEpoch, UPDATE push and receipt, demotion
// (cluster-bus.md §5.4).
#include "tessera/bus/cluster_bus.h"
#include "tessera/core/log.h"

namespace tessera::bus {

void ClusterBus::UpdateSlotsConfigWith(ClusterNode& sender, uint64_t sender_epoch,
                                       const SlotBitmap& slots) {
  ClusterState& st = *state_;
  ClusterNode& me = st.myself();
  ClusterNode* curmaster = me.IsMaster() ? &me : me.master;
  if (&sender == &me) {
    core::Log(core::Module::kBus).info("Discarding UPDATE message about myself.");
    return;
  }
  ClusterNode* new_master = nullptr;
  int migrated_our_slots = 0, sender_slots = 0;
  std::vector<int> dirty_slots;
  for (int s = 0; s < core::kSlots; ++s) {
    ClusterNode* owner = st.SlotOwner(s);
    if (!slots.Test(s)) {
      // Still bound to the sender, but it stopped claiming it: anyone may take it now.
      if (owner == &sender) st.SetOwnerNotClaiming(s, true);
      continue;
    }
    ++sender_slots;
    if (owner == &sender) {
      st.SetOwnerNotClaiming(s, false);
      continue;
    }
    // Importing slots change only through CLUSTER SETSLOT.
    if (st.ImportingFrom(s)) continue;
    // Equal epochs never rebind an owned slot: collision handling separates them first.
    if (!st.SlotUnclaimed(s) && owner->config_epoch >= sender_epoch) continue;
    if (owner == &me) dirty_slots.push_back(s);
    if (owner && owner == curmaster) {
      new_master = &sender;
      ++migrated_our_slots;
    }
    st.DelSlot(s);
    st.AddSlot(sender, s);
    st.SetOwnerNotClaiming(s, false);
    save_ = fsync_ = update_state_ = true;
  }
  if (new_master && curmaster->num_slots == 0 &&
      (opts_.allow_replica_migration || sender_slots == migrated_our_slots)) {
    core::Log(core::Module::kBus).info(
        "Configuration change detected. Reconfiguring myself as a replica of {}", sender.id.View());
    BecomeReplicaOf(sender);
    save_ = fsync_ = update_state_ = true;
  } else if (me.master && me.master->master && me.master->master != &me) {
    // Our master became a replica of someone else: follow the real master.
    BecomeReplicaOf(*me.master->master);
    save_ = fsync_ = update_state_ = true;
  } else if (!dirty_slots.empty()) {
    out_.push_back(DeleteSlotKeysEffect{std::move(dirty_slots)});
  }
}

void ClusterBus::SendUpdateIfStale(ClusterNode& sender, const Header& h) {
  ClusterState& st = *state_;
  for (int s = 0; s < core::kSlots; ++s) {
    if (!h.myslots.Test(s)) continue;
    ClusterNode* owner = st.SlotOwner(s);
    if (owner == &sender || st.SlotUnclaimed(s)) continue;
    if (owner->config_epoch <= h.config_epoch) continue;
    // One UPDATE about the first newer owner is enough; the sender will ping again.
    Message m = BuildHeader(MsgType::kUpdate);
    UpdateBody& u = std::get<UpdateBody>(m.body);
    u.config_epoch = owner->config_epoch;
    u.node = owner->id;
    u.slots = owner->slots;
    for (int t = 0; t < core::kSlots; ++t) {
      if (st.OwnerNotClaiming(t)) u.slots.Clear(t);
    }
    SendTo(sender, m);
    return;
  }
}

void ClusterBus::OnUpdate(ClusterNode* sender, const UpdateBody& body) {
  if (!sender) return;
  ClusterNode* n = state_->Find(body.node);
  if (!n || n->config_epoch >= body.config_epoch) return;
  if (n->IsReplica()) state_->SetNodeAsMaster(*n);
  n->config_epoch = body.config_epoch;
  save_ = fsync_ = true;
  UpdateSlotsConfigWith(*n, body.config_epoch, body.slots);
}

void ClusterBus::BecomeReplicaOf(ClusterNode& master) {
  ClusterNode& me = state_->myself();
  if (me.IsMaster()) {
    me.flags &= ~(node_flags::kMaster | node_flags::kMigrateTo);
    me.flags |= node_flags::kSlave;
    state_->ClearOpenSlots();
  }
  state_->SetReplicaOf(me, master);
  out_.push_back(ReplicateEffect{master.id, master.ip, master.port});
}

}  // namespace tessera::bus
