// ClusterBus: the socket-free heart of Redis 7.0 cluster mode (cluster-bus.md §2-§5, §11;
// docs/cluster.md). It owns the ClusterState and turns events (decoded frames, link events,
// the 100 ms cron tick, commands) into state changes plus an ordered list of Effects
// (effects.h) for the network layer to execute. It never reads a clock or opens a socket.
//
// Links: ClusterBus names every connection with a LinkId. Outbound links are created by a
// ConnectEffect; inbound links by OnAccepted(). Each link is reported closed at most once
// (OnLinkClosed), except links ClusterBus closed itself with a CloseEffect.
//
// Elections (AUTH_REQUEST/ACK, MFSTART) are not handled here: they are delivered as
// DeliverEffect for the failover module, which reads/writes state() and sends with Send().
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "tessera/bus/cluster_state.h"
#include "tessera/bus/effects.h"
#include "tessera/bus/message.h"
#include "tessera/core/rng.h"

namespace tessera::bus {

inline constexpr milliseconds kCronPeriod{100};
// How often Tick PINGs the oldest-pong node of a random sample (cluster-bus.md §2.2).
inline constexpr milliseconds kRandomPingPeriod{1000};
inline constexpr milliseconds kForgetBan{60000};

struct BusOptions {
  milliseconds node_timeout{15000};  // cluster-node-timeout
  bool require_full_coverage = true;
  bool allow_replica_migration = true;
  std::string announce_ip;  // cluster-announce-ip; empty: learn it from MEETs (§2.7)
  std::string hostname;     // cluster-announce-hostname; empty: no extension
  // Announced ports (§2.9), also stored on the myself node.
  uint16_t port = 6379;
  uint16_t pport = 0;
  uint16_t cport = 16379;
};

class ClusterBus {
 public:
  // `rng` must outlive the bus (gossip choice, handshake names).
  ClusterBus(BusOptions opts, std::unique_ptr<ClusterState> state, core::Rng& rng);

  ClusterState& state() { return *state_; }
  const ClusterState& state() const { return *state_; }
  const BusOptions& options() const { return opts_; }
  const BusStats& stats() const { return stats_; }
  // The replication offset put in every header (§1.2 `offset`).
  void set_repl_offset(uint64_t offset) { repl_offset_ = offset; }
  // mflags[0] PAUSED on every message, while a manual failover runs on this master (§1.9).
  void set_paused(bool paused) { paused_ = paused; }

  // --- Events ------------------------------------------------------------------------------
  // The cluster cron; call every kCronPeriod (§3).
  Effects Tick(MonoTime now);
  // A peer connected to our bus port. Returns the new link's id.
  LinkId OnAccepted(std::string peer_ip, std::string local_ip, MonoTime now);
  // An outbound connect (from a ConnectEffect) succeeded; sends MEET or PING (§2.2).
  Effects OnConnected(LinkId link, MonoTime now);
  // A link failed to connect, hit EOF/error, or was closed for framing (CheckFrame kBad).
  Effects OnLinkClosed(LinkId link, MonoTime now);
  // One complete frame (CheckFrame kComplete) read from `link`: counts, decodes, processes.
  // A frame that fails Decode is dropped (logged at debug); the link stays open.
  Effects OnFrame(LinkId link, std::span<const uint8_t> frame, MonoTime now);
  // A decoded message from `link` (cluster-bus.md §11 order).
  Effects OnMessage(LinkId link, const Message& msg, MonoTime now);

  // --- Commands ----------------------------------------------------------------------------
  // CLUSTER MEET: adds a HANDSHAKE|MEET placeholder unless one exists for the same address.
  Effects Meet(const std::string& ip, uint16_t port, uint16_t cport, MonoTime now);
  // CLUSTER ADDSLOTSRANGE for unassigned slots (already-owned ones are skipped).
  Effects AddSlotRange(int first, int last, MonoTime now);

  // --- For the failover module --------------------------------------------------------------
  // A header for a message of type t describing this node (§1.2, §2.9).
  Message BuildHeader(MsgType t) const;
  // Sends on the node's outbound link; false if it has none (nothing is queued).
  bool SendTo(ClusterNode& node, const Message& msg);
  // Sends to every node with an outbound link, except myself and HANDSHAKE nodes.
  void Broadcast(const Message& msg);
  // Appends a raw effect and asks for a config save; used by layers above.
  void RequestSave(bool fsync) { save_ = true, fsync_ |= fsync; }
  void RequestStateUpdate() { update_state_ = true; }
  // Returns queued effects (for callers that act between events).
  Effects TakeEffects();

  // --- For CLUSTER commands (cluster_bus_admin.cc) ------------------------------------------
  // Ends a command's changes: re-evaluates cluster_state and emits the save it asked for, then
  // returns every queued effect. Commands change state() directly, then call this.
  Effects Commit(MonoTime now) { return Finish(now); }
  BusOptions& mutable_options() { return opts_; }
  // CLUSTER FORGET: drops the node (closing its links) and keeps gossip from re-adding it for
  // kForgetBan (cluster-bus.md §2.8). Precondition: not myself.
  void Forget(const NodeId& id, MonoTime now);
  bool Banned(const NodeId& id, MonoTime now) const;
  // CLUSTER REPLICATE: become (or switch to being) a replica of `master` (§5.4 demotion rules:
  // open slots cleared). Asks for a save.
  void ReplicateTo(ClusterNode& master);
  // CLUSTER RESET: back to a lone master without slots; HARD also zeroes the epochs and renames
  // myself to `new_id`.
  void Reset(bool hard, const NodeId& new_id);
  // A PONG to every connected node, to spread a config change fast (§3.5).
  void BroadcastPong(MonoTime now);
  // CLUSTER LINKS, in node-table order: a node's outbound link, then its inbound one.
  struct LinkInfo {
    LinkId id = kNoLink;
    bool outbound = false;
    NodeId node;
    MonoTime ctime{};
  };
  std::vector<LinkInfo> Links() const;
  // The network layer freed a link for cluster-link-sendbuf-limit (CLUSTER INFO counter).
  void CountLinkBufferLimitExceeded() { ++stats_.links_buffer_limit_exceeded; }

 private:
  struct Link {
    LinkId id = kNoLink;
    bool outbound = false;
    ClusterNode* node = nullptr;  // bound node (outbound: always; inbound: once known)
    MonoTime ctime{};
    std::string peer_ip;
    std::string local_ip;
  };

  // --- cluster_bus.cc ---
  Effects Finish(MonoTime now);
  void Send(LinkId link, const Message& msg);
  void CloseLink(LinkId link);
  void FreeNode(ClusterNode& node);
  Message BuildPing(MsgType t, MonoTime now);
  void SendPing(Link& link, MsgType t, MonoTime now);
  ClusterNode* IdentifySender(Link& link, const Message& msg, MonoTime now);
  void ApplyHeaderEpochs(ClusterNode& sender, const Message& msg);
  void BindInbound(Link& link, ClusterNode& node);

  // --- cluster_bus_ping.cc ---
  // Returns false when processing must stop (handshake placeholder deleted, name mismatch).
  bool OnPingLike(Link& link, ClusterNode* sender, const Message& msg, MonoTime now);
  void LearnOwnIp(const Link& link, const Message& msg);
  bool HandleOutboundPong(Link& link, ClusterNode* sender, const Message& msg, MonoTime now);
  bool UpdateAddress(ClusterNode& node, const Link& link, const Header& h);
  void UpdateRole(ClusterNode& sender, const Header& h);
  void ProcessGossip(ClusterNode* sender, const PingBody& body, MonoTime now);
  void ProcessGossipEntry(ClusterNode* sender, const GossipEntry& e, MonoTime now);
  void AddGossipEntries(Message& msg, MonoTime now);
  // Adds up to `wanted` random entries of new_nodes_ to `added`.
  void PickNewNodes(int wanted, std::vector<const ClusterNode*>& added);
  // May appear in a gossip section (§3.4), PFAIL aside.
  static bool GossipCandidate(const ClusterNode& c);

  // --- cluster_bus_failure.cc ---
  void MarkFailingIfNeeded(ClusterNode& node, MonoTime now);
  void ClearFailureIfNeeded(ClusterNode& node, MonoTime now);
  void OnFail(ClusterNode* sender, const FailBody& body, MonoTime now);
  void HandleConfigEpochCollision(ClusterNode& sender);
  void CheckTimeouts(ClusterNode& node, MonoTime now);

  // --- cluster_bus_slots.cc ---
  void UpdateSlotsConfigWith(ClusterNode& sender, uint64_t sender_epoch, const SlotBitmap& slots);
  void SendUpdateIfStale(ClusterNode& sender, const Header& h);
  void OnUpdate(ClusterNode* sender, const UpdateBody& body);
  void BecomeReplicaOf(ClusterNode& master);

  // --- cluster_bus_cron.cc ---
  void ConnectIfNeeded(ClusterNode& node, MonoTime now);
  void RandomPing(MonoTime now);

  BusOptions opts_;
  std::unique_ptr<ClusterState> state_;
  core::Rng& rng_;
  std::map<LinkId, Link> links_;
  LinkId next_link_ = 1;
  BusStats stats_;
  uint64_t repl_offset_ = 0;
  bool paused_ = false;
  MonoTime last_random_ping_{};
  size_t pfail_count_ = 0;  // PFAIL nodes at the last tick, bounds the gossip PFAIL section
  std::map<NodeId, MonoTime> banned_;  // FORGET: until when gossip may not re-add a node
  // Nodes learned from the network (handshake or gossip) and when; kept node_timeout / 2.
  std::vector<std::pair<NodeId, MonoTime>> new_nodes_;
  Effects out_;
  bool save_ = false, fsync_ = false, save_now_ = false, update_state_ = false;
};

}  // namespace tessera::bus
