// The node table and slot map of one cluster node (cluster-bus.md §1.8, §7, §8, §9):
// nodes, roles, slot owners, open slots, epochs, CLUSTER NODES / INFO text, cluster_state.
// Plain data plus invariant-keeping mutators; ClusterBus drives it from messages and time.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tessera/bus/message.h"
#include "tessera/bus/node_id.h"
#include "tessera/bus/nodes_conf.h"
#include "tessera/bus/slot_bitmap.h"
#include "tessera/core/clock.h"

namespace tessera::bus {

using core::MonoTime;
using std::chrono::milliseconds;

// A bus connection, named by ClusterBus. 0 means "none".
using LinkId = uint64_t;
inline constexpr LinkId kNoLink = 0;

// "Never" for the per-node times below (ping_sent = 0 in Redis terms).
inline constexpr MonoTime kNever{};

// Converts between the monotonic clock used for every timeout and the unix ms that Redis
// prints and gossips. Fixed once at startup: gossip times are only compared coarsely.
struct TimeBase {
  MonoTime mono{};
  int64_t unix_ms = 0;
  int64_t ToUnixMs(MonoTime t) const {
    if (t == kNever) return 0;
    return unix_ms + std::chrono::duration_cast<milliseconds>(t - mono).count();
  }
  MonoTime FromUnixMs(int64_t ms) const { return mono + milliseconds(ms - unix_ms); }
};

struct FailureReport {
  NodeId reporter;
  MonoTime time;
};

struct ClusterNode {
  // First: what the cron reads for every node on every tick, in one cache line.
  uint16_t flags = 0;
  LinkId link = kNoLink;  // outbound link; "connected" in CLUSTER NODES
  MonoTime ctime = kNever;
  MonoTime ping_sent = kNever;
  MonoTime pong_received = kNever;
  MonoTime data_received = kNever;
  NodeId id;
  std::string ip;
  uint16_t port = 0;
  uint16_t pport = 0;
  uint16_t cport = 0;
  std::string hostname;
  uint64_t config_epoch = 0;
  ClusterNode* master = nullptr;        // for a replica whose master is known
  std::vector<ClusterNode*> replicas;   // for a master
  int num_slots = 0;
  MonoTime fail_time = kNever;
  MonoTime voted_time = kNever;  // failover module bookkeeping (§6.4 rule 5)
  uint64_t repl_offset = 0;      // from the node's headers
  std::vector<FailureReport> fail_reports;
  LinkId inbound_link = kNoLink;
  // Last: 2 KB that the cron never reads, so the fields above share a few cache lines.
  SlotBitmap slots;

  bool Has(uint16_t f) const { return (flags & f) != 0; }
  bool IsMaster() const { return Has(node_flags::kMaster); }
  bool IsReplica() const { return Has(node_flags::kSlave); }
  bool IsMyself() const { return Has(node_flags::kMyself); }
  bool InHandshake() const { return Has(node_flags::kHandshake); }
  bool TimedOut() const { return Has(node_flags::kPfail); }
  bool Failed() const { return Has(node_flags::kFail); }
};

// CLUSTER INFO message counters, indexed by type code (< kTypeCount).
struct BusStats {
  std::array<uint64_t, kTypeCount> sent{};
  std::array<uint64_t, kTypeCount> received{};
  uint64_t links_buffer_limit_exceeded = 0;
};

struct StateOptions {
  milliseconds node_timeout{15000};
  bool require_full_coverage = true;
};

class ClusterState {
 public:
  // A fresh node: myself only, `myself,master`, no slots, epochs 0.
  ClusterState(const NodeId& myself, TimeBase time_base, MonoTime now);
  // Loads a parsed nodes.conf (§8.2): ping/pong non-zero become `now`, `fail` sets
  // fail_time = now, a replica's epoch is not trusted (0), unknown masters become
  // placeholder nodes, and current_epoch = max(vars, highest config epoch).
  static absl::StatusOr<std::unique_ptr<ClusterState>> FromNodesConf(const NodesConf& conf,
                                                                      TimeBase time_base,
                                                                      MonoTime now);
  ClusterState(const ClusterState&) = delete;
  ClusterState& operator=(const ClusterState&) = delete;

  // --- Node table -------------------------------------------------------------------------
  ClusterNode& myself() { return *myself_; }
  const ClusterNode& myself() const { return *myself_; }
  // nullptr when unknown. Only valid names are looked up, as in Redis (§10.1).
  ClusterNode* Find(const NodeId& id);
  const ClusterNode* Find(const NodeId& id) const;
  // Adds a node; precondition: the id is not in the table.
  ClusterNode& Add(const NodeId& id, uint16_t flags, MonoTime now);
  // Removes a node and every reference to it: slots, open slots, replica lists, failure
  // reports it made. Precondition: not myself. The caller closes its links first.
  void Remove(const NodeId& id);
  // Re-keys a node (handshake completion). Precondition: new id not in the table.
  void Rename(const NodeId& old_id, const NodeId& new_id);
  size_t NodeCount() const { return nodes_.size(); }
  // Deterministic (id-ordered) iteration.
  template <typename F>
  void ForEachNode(F&& f) {
    for (auto& [id, n] : nodes_) f(*n);
  }
  template <typename F>
  void ForEachNode(F&& f) const {
    for (const auto& [id, n] : nodes_) f(static_cast<const ClusterNode&>(*n));
  }
  // ForEachNode through the dense index (same order): the cron's walk reads a vector of pointers
  // instead of chasing map nodes. `f` must not add, remove or rename nodes.
  template <typename F>
  void ForEachNodeIndexed(F&& f) {
    for (size_t i = 0, n = nodes_.size(); i < n; ++i) f(NodeAt(i));
  }
  // The n-th node in id order (for random choice with an injected Rng). O(1) between changes to
  // the table: gossip draws several random nodes for every PING and PONG.
  ClusterNode& NodeAt(size_t index);

  // --- Roles ---------------------------------------------------------------------------------
  // Makes `node` a master (§5.3): leaves its old master's list, gains MIGRATE_TO if it had one
  // (unless myself). Returns false if it already was a master.
  bool SetNodeAsMaster(ClusterNode& node);
  // Records `replica` under `master`, moving it from an old master; MIGRATE_TO on the master.
  void SetReplicaOf(ClusterNode& replica, ClusterNode& master);
  void RemoveReplica(ClusterNode& master, ClusterNode& replica);

  // --- Slots ---------------------------------------------------------------------------------
  ClusterNode* SlotOwner(int slot) const { return owners_[slot]; }
  // Assigns an unassigned slot. Returns false if it already had an owner.
  bool AddSlot(ClusterNode& node, int slot);
  // Unassigns a slot; returns false if it had no owner.
  bool DelSlot(int slot);
  void DelNodeSlots(ClusterNode& node);
  ClusterNode* MigratingTo(int slot) const { return migrating_to_[slot]; }
  ClusterNode* ImportingFrom(int slot) const { return importing_from_[slot]; }
  void SetMigrating(int slot, ClusterNode* to) { migrating_to_[slot] = to; }
  void SetImporting(int slot, ClusterNode* from) { importing_from_[slot] = from; }
  void ClearOpenSlots();
  // The "owner no longer claims it" mark of §5.4(a); such slots count as unclaimed.
  // Slots that left this node's shard (myself or my master) since the last call, and were not
  // given back to it since.
  std::vector<int> TakeLostShardSlots();
  bool OwnerNotClaiming(int slot) const { return not_claiming_.Test(slot); }
  void SetOwnerNotClaiming(int slot, bool v) { v ? not_claiming_.Set(slot) : not_claiming_.Clear(slot); }
  bool SlotUnclaimed(int slot) const { return owners_[slot] == nullptr || OwnerNotClaiming(slot); }

  // --- Epochs --------------------------------------------------------------------------------
  uint64_t current_epoch() const { return current_epoch_; }
  void set_current_epoch(uint64_t e) { current_epoch_ = e; }
  uint64_t last_vote_epoch() const { return last_vote_epoch_; }
  void set_last_vote_epoch(uint64_t e) { last_vote_epoch_ = e; }
  // The epoch this node advertises: its own, or its master's when it is a replica (§5.1).
  uint64_t MyAdvertisedEpoch() const;
  // The highest config epoch of any known node.
  uint64_t MaxConfigEpoch() const;

  // --- Failure reports (§4.2) -----------------------------------------------------------------
  // Adds or refreshes; returns true if it is new.
  bool AddFailureReport(ClusterNode& node, const NodeId& reporter, MonoTime now);
  bool DelFailureReport(ClusterNode& node, const NodeId& reporter);
  // Drops reports older than 2 * node_timeout, then counts the rest.
  size_t CountFailureReports(ClusterNode& node, MonoTime now, milliseconds node_timeout);

  // --- cluster_state (§7) --------------------------------------------------------------------
  bool ok() const { return state_ok_; }
  // Masters with >= 1 slot, as of the last UpdateState.
  int size() const { return size_; }
  // Recomputes cluster_state; returns true if it changed.
  bool UpdateState(MonoTime now, const StateOptions& opts);

  // --- Text ----------------------------------------------------------------------------------
  NodeLine ToNodeLine(const ClusterNode& node) const;
  // CLUSTER NODES: every node, handshake included, each line ending in '\n'.
  std::string ClusterNodesText() const;
  // nodes.conf content: non-handshake nodes plus the vars line.
  NodesConf ToNodesConf() const;
  // CLUSTER INFO body, "\r\n" after every line (cluster-commands.md §1.4).
  std::string ClusterInfoText(const BusStats& stats) const;

  const TimeBase& time_base() const { return time_base_; }

 private:
  ClusterState(TimeBase time_base) : time_base_(time_base) {}
  void ClearSlotRefs(ClusterNode* node);

  TimeBase time_base_;
  std::map<NodeId, std::unique_ptr<ClusterNode>> nodes_;
  std::vector<ClusterNode*> by_index_;  // nodes_ in id order; rebuilt by NodeAt when stale
  bool index_stale_ = true;
  ClusterNode* myself_ = nullptr;
  std::array<ClusterNode*, core::kSlots> owners_{};
  std::array<ClusterNode*, core::kSlots> migrating_to_{};
  std::array<ClusterNode*, core::kSlots> importing_from_{};
  SlotBitmap not_claiming_;
  std::vector<int> lost_shard_slots_;
  uint64_t current_epoch_ = 0;
  uint64_t last_vote_epoch_ = 0;
  bool state_ok_ = false;
  int size_ = 0;
  std::optional<MonoTime> first_state_eval_;
  std::optional<MonoTime> among_minority_time_;
};

}  // namespace tessera::bus
