// ClusterState node table, roles, slots, epochs and failure reports (cluster-bus.md §4.2, §5, §6.7).
#include "tessera/bus/cluster_state.h"

#include <algorithm>
#include <utility>

#include "tessera/core/status.h"

namespace tessera::bus {

ClusterState::ClusterState(const NodeId& myself, TimeBase time_base, MonoTime now)
    : time_base_(time_base) {
  myself_ = &Add(myself, node_flags::kMyself | node_flags::kMaster, now);
}

ClusterNode* ClusterState::Find(const NodeId& id) {
  if (!id.IsValid()) return nullptr;
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : it->second.get();
}

const ClusterNode* ClusterState::Find(const NodeId& id) const {
  return const_cast<ClusterState*>(this)->Find(id);
}

ClusterNode& ClusterState::Add(const NodeId& id, uint16_t flags, MonoTime now) {
  auto node = std::make_unique<ClusterNode>();
  node->id = id;
  node->flags = flags;
  node->ctime = now;
  ClusterNode& ref = *node;
  auto [it, inserted] = nodes_.emplace(id, std::move(node));
  TS_CHECK(inserted);
  index_stale_ = true;
  return ref;
}

void ClusterState::ClearSlotRefs(ClusterNode* node) {
  for (int s = 0; s < core::kSlots; ++s) {
    if (migrating_to_[s] == node) migrating_to_[s] = nullptr;
    if (importing_from_[s] == node) importing_from_[s] = nullptr;
  }
  DelNodeSlots(*node);
}

void ClusterState::Remove(const NodeId& id) {
  auto it = nodes_.find(id);
  TS_CHECK(it != nodes_.end());
  ClusterNode* node = it->second.get();
  TS_CHECK(node != myself_);
  ClearSlotRefs(node);
  for (auto& [other_id, other] : nodes_) {
    DelFailureReport(*other, id);
    if (other->master == node) other->master = nullptr;
  }
  if (node->master) RemoveReplica(*node->master, *node);
  nodes_.erase(it);
  index_stale_ = true;
}

void ClusterState::Rename(const NodeId& old_id, const NodeId& new_id) {
  auto handle = nodes_.extract(old_id);
  TS_CHECK(!handle.empty());
  handle.key() = new_id;
  handle.mapped()->id = new_id;
  auto result = nodes_.insert(std::move(handle));
  TS_CHECK(result.inserted);
  index_stale_ = true;
}

ClusterNode& ClusterState::NodeAt(size_t index) {
  TS_CHECK(index < nodes_.size());
  if (index_stale_) {
    by_index_.clear();
    by_index_.reserve(nodes_.size());
    for (auto& [id, n] : nodes_) by_index_.push_back(n.get());
    index_stale_ = false;
  }
  return *by_index_[index];
}

bool ClusterState::SetNodeAsMaster(ClusterNode& node) {
  if (node.IsMaster()) return false;
  if (node.master) {
    RemoveReplica(*node.master, node);
    if (&node != myself_) node.flags |= node_flags::kMigrateTo;
  }
  node.flags &= ~node_flags::kSlave;
  node.flags |= node_flags::kMaster;
  node.master = nullptr;
  return true;
}

void ClusterState::SetReplicaOf(ClusterNode& replica, ClusterNode& master) {
  if (replica.master == &master) return;
  if (replica.master) RemoveReplica(*replica.master, replica);
  replica.master = &master;
  if (std::find(master.replicas.begin(), master.replicas.end(), &replica) == master.replicas.end()) {
    master.replicas.push_back(&replica);
  }
  // A master with a replica is a valid replica-migration target (§6.7 bookkeeping).
  master.flags |= node_flags::kMigrateTo;
}

void ClusterState::RemoveReplica(ClusterNode& master, ClusterNode& replica) {
  auto& r = master.replicas;
  r.erase(std::remove(r.begin(), r.end(), &replica), r.end());
  if (r.empty()) master.flags &= ~node_flags::kMigrateTo;
}

bool ClusterState::AddSlot(ClusterNode& node, int slot) {
  if (owners_[slot]) return false;
  owners_[slot] = &node;
  node.slots.Set(slot);
  ++node.num_slots;
  return true;
}

bool ClusterState::DelSlot(int slot) {
  ClusterNode* owner = owners_[slot];
  if (!owner) return false;
  owner->slots.Clear(slot);
  --owner->num_slots;
  owners_[slot] = nullptr;
  if (myself_ != nullptr && (owner == myself_ || owner == myself_->master)) {
    lost_shard_slots_.push_back(slot);
  }
  not_claiming_.Clear(slot);
  return true;
}

std::vector<int> ClusterState::TakeLostShardSlots() {
  std::vector<int> lost;
  for (int s : std::exchange(lost_shard_slots_, {})) {
    const ClusterNode* owner = owners_[s];
    if (owner == nullptr || (owner != myself_ && owner != myself_->master)) lost.push_back(s);
  }
  std::sort(lost.begin(), lost.end());
  lost.erase(std::unique(lost.begin(), lost.end()), lost.end());
  return lost;
}

void ClusterState::DelNodeSlots(ClusterNode& node) {
  for (int s = 0; s < core::kSlots && node.num_slots > 0; ++s) {
    if (owners_[s] == &node) DelSlot(s);
  }
}

void ClusterState::ClearOpenSlots() {
  migrating_to_.fill(nullptr);
  importing_from_.fill(nullptr);
}

uint64_t ClusterState::MyAdvertisedEpoch() const {
  const ClusterNode& me = *myself_;
  return me.IsReplica() && me.master ? me.master->config_epoch : me.config_epoch;
}

uint64_t ClusterState::MaxConfigEpoch() const {
  uint64_t max = 0;
  for (const auto& [id, n] : nodes_) max = std::max(max, n->config_epoch);
  return max;
}

bool ClusterState::AddFailureReport(ClusterNode& node, const NodeId& reporter, MonoTime now) {
  for (FailureReport& r : node.fail_reports) {
    if (r.reporter == reporter) {
      r.time = now;
      return false;
    }
  }
  node.fail_reports.push_back({reporter, now});
  return true;
}

bool ClusterState::DelFailureReport(ClusterNode& node, const NodeId& reporter) {
  auto& v = node.fail_reports;
  auto it = std::find_if(v.begin(), v.end(), [&](const FailureReport& r) { return r.reporter == reporter; });
  if (it == v.end()) return false;
  v.erase(it);
  return true;
}

size_t ClusterState::CountFailureReports(ClusterNode& node, MonoTime now, milliseconds node_timeout) {
  // Reports expire: a master that flagged the node long ago may have seen it come back since.
  auto& v = node.fail_reports;
  v.erase(std::remove_if(v.begin(), v.end(),
                         [&](const FailureReport& r) { return now - r.time > 2 * node_timeout; }),
          v.end());
  return v.size();
}

bool ClusterState::UpdateState(MonoTime now, const StateOptions& opts) {
  if (!first_state_eval_) first_state_eval_ = now;
  // A restarted master waits a little so that it can learn a newer config before serving.
  if (myself_->IsMaster() && !state_ok_ && now - *first_state_eval_ < milliseconds(2000)) {
    return false;
  }
  bool new_ok = true;
  if (opts.require_full_coverage) {
    for (int s = 0; s < core::kSlots && new_ok; ++s) {
      if (!owners_[s] || owners_[s]->Failed()) new_ok = false;
    }
  }
  int size = 0, reachable = 0;
  for (const auto& [id, n] : nodes_) {
    if (!n->IsMaster() || n->num_slots == 0) continue;
    ++size;
    if (!n->Has(node_flags::kPfail | node_flags::kFail)) ++reachable;
  }
  size_ = size;
  if (reachable < size / 2 + 1) {
    new_ok = false;
    among_minority_time_ = now;
  }
  if (new_ok == state_ok_) return false;
  // A master coming back from a minority waits, so that the majority can fail it over first.
  const milliseconds rejoin_delay =
      std::clamp(opts.node_timeout, milliseconds(500), milliseconds(5000));
  if (new_ok && myself_->IsMaster() && among_minority_time_ &&
      now - *among_minority_time_ < rejoin_delay) {
    return false;
  }
  state_ok_ = new_ok;
  return true;
}

}  // namespace tessera::bus
