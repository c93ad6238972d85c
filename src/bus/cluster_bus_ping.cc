// PING/PONG/MEET processing: handshake, addresses, roles, gossip sections and building them
// (cluster-bus.md §2.4-§2.7, §3.4, §5.3, §11 step 5-6).
#include <algorithm>

#include "tessera/bus/cluster_bus.h"
#include "tessera/core/log.h"

namespace tessera::bus {
namespace {

constexpr uint16_t kFailing = node_flags::kPfail | node_flags::kFail;

GossipEntry EntryFor(const ClusterNode& n, const TimeBase& tb) {
  GossipEntry e;
  e.name = n.id;
  e.ping_sent_s = uint32_t(tb.ToUnixMs(n.ping_sent) / 1000);
  e.pong_received_s = uint32_t(tb.ToUnixMs(n.pong_received) / 1000);
  e.ip = n.ip;
  e.port = n.port;
  e.cport = n.cport;
  e.flags = n.flags;
  e.pport = n.pport;
  return e;
}

}  // namespace

bool ClusterBus::OnPingLike(Link& link, ClusterNode* sender, const Message& msg, MonoTime now) {
  const Header& h = msg.header;
  const bool is_ping = h.Is(MsgType::kPing), is_meet = h.Is(MsgType::kMeet);
  if (is_ping || is_meet) {
    if ((is_meet || state_->myself().ip.empty()) && opts_.announce_ip.empty()) LearnOwnIp(link, msg);
    if (!sender && is_meet) {
      // The MEET's sender joins as a HANDSHAKE node under a random name until our PING's PONG
      // tells us its real one (§2.4 step 3).
      NodeId id = NodeId::Random(rng_);
      while (state_->Find(id)) id = NodeId::Random(rng_);
      ClusterNode& n = state_->Add(id, node_flags::kHandshake, now);
      n.ip = h.myip.empty() ? link.peer_ip : h.myip;
      n.port = h.port;
      n.pport = h.pport;
      n.cport = h.cport;
      RequestSave(false);
      ProcessGossip(nullptr, msg.ping(), now);
    }
    // The PONG reflects the state before this message is applied, like Redis's.
    SendPing(link, MsgType::kPong, now);
  }
  if (link.outbound && !HandleOutboundPong(link, sender, msg, now)) return false;
  if (sender) {
    sender->flags = (sender->flags & ~node_flags::kNoFailover) | (h.flags & node_flags::kNoFailover);
  }
  if (sender && is_ping && !link.outbound && UpdateAddress(*sender, link, h)) {
    RequestSave(false);
    update_state_ = true;
  }
  if (link.outbound && h.Is(MsgType::kPong)) {
    ClusterNode& n = *link.node;
    n.pong_received = now;
    n.ping_sent = kNever;
    if (n.TimedOut()) {
      n.flags &= ~node_flags::kPfail;
      RequestSave(false);
      update_state_ = true;
    } else if (n.Failed()) {
      ClearFailureIfNeeded(n, now);
    }
  }
  if (sender && is_ping && !link.outbound && sender->ping_sent == kNever) {
    // The peer's PING shows it alive just as our PING's PONG would, so it postpones our own
    // PING (CheckTimeouts). Redis does not do this: both nodes of a pair PING each other every
    // node_timeout / 2, twice the messages the pair needs. A dead peer stops pinging, so it
    // is PINGed within node_timeout / 2 of its last message and gets PFAIL on the usual clock.
    sender->pong_received = now;
  }
  if (!sender) return true;
  UpdateRole(*sender, h);
  ClusterNode* sender_master = sender->IsMaster() ? sender : sender->master;
  const bool dirty = sender_master && !(sender_master->slots == h.myslots);
  if (sender->IsMaster() && dirty) UpdateSlotsConfigWith(*sender, h.config_epoch, h.myslots);
  if (dirty) SendUpdateIfStale(*sender, h);
  if (sender->IsMaster() && state_->myself().IsMaster() && h.config_epoch == state_->myself().config_epoch) {
    HandleConfigEpochCollision(*sender);
  }
  ProcessGossip(sender, msg.ping(), now);
  // No HOSTNAME extension means the peer cleared its hostname (§1.5.2).
  sender->hostname = msg.ping().hostname.value_or("");
  for (const RawExtension& e : msg.ping().other_extensions) {
    core::Log(core::Module::kBus).debug("Received unknown extension type {}", e.type);
  }
  return true;
}

void ClusterBus::LearnOwnIp(const Link& link, const Message&) {
  ClusterNode& me = state_->myself();
  if (link.local_ip.empty() || me.ip == link.local_ip) return;
  me.ip = link.local_ip;
  core::Log(core::Module::kBus).info("IP address for this node updated to {}", me.ip);
  RequestSave(false);
}

// Our outbound link: complete a handshake, or notice that a different node now answers at this
// address (§2.4). Returns false when the link (and maybe its node) is gone.
bool ClusterBus::HandleOutboundPong(Link& link, ClusterNode* sender, const Message& msg, MonoTime now) {
  const Header& h = msg.header;
  ClusterNode& ln = *link.node;
  if (ln.InHandshake()) {
    if (sender) {
      // We met a node we already know under its real name: keep that one.
      if (UpdateAddress(*sender, link, h)) {
        RequestSave(false);
        update_state_ = true;
      }
      FreeNode(ln);
      return false;
    }
    // A name that real nodes could never look up would poison our table and nodes.conf.
    if (!h.sender.IsValid() || state_->Find(h.sender)) {
      FreeNode(ln);
      return false;
    }
    state_->Rename(ln.id, h.sender);
    ln.flags &= ~node_flags::kHandshake;
    ln.flags |= h.flags & (node_flags::kMaster | node_flags::kSlave);
    core::Log(core::Module::kBus).debug("Handshake with node {} completed", ln.id.View());
    RequestSave(false);
    new_nodes_.push_back({ln.id, now});
    return true;
  }
  if (ln.id != h.sender) {
    core::Log(core::Module::kBus).debug("PONG contains mismatching sender ID for {}", ln.id.View());
    ln.flags |= node_flags::kNoAddr;
    ln.ip.clear();
    ln.port = ln.pport = ln.cport = 0;
    CloseLink(link.id);
    RequestSave(false);
    return false;
  }
  return true;
}

bool ClusterBus::UpdateAddress(ClusterNode& node, const Link& link, const Header& h) {
  // Our own outbound link never teaches us an address (§2.7).
  if (node.link == link.id) return false;
  const std::string& ip = h.myip.empty() ? link.peer_ip : h.myip;
  if (node.ip == ip && node.port == h.port && node.pport == h.pport && node.cport == h.cport) {
    return false;
  }
  node.ip = ip;
  node.port = h.port;
  node.pport = h.pport;
  node.cport = h.cport;
  if (node.link != kNoLink) CloseLink(node.link);
  node.flags &= ~node_flags::kNoAddr;
  core::Log(core::Module::kBus).info("Address updated for node {}, now {}:{}", node.id.View(), ip, h.port);
  ClusterNode& me = state_->myself();
  if (me.IsReplica() && me.master == &node) out_.push_back(ReplicateEffect{node.id, node.ip, node.port});
  return true;
}

void ClusterBus::UpdateRole(ClusterNode& sender, const Header& h) {
  if (h.slaveof.IsZero()) {
    if (state_->SetNodeAsMaster(sender)) {
      RequestSave(false);
      update_state_ = true;
    }
    return;
  }
  ClusterNode* master = state_->Find(h.slaveof);
  if (sender.IsMaster()) {
    // A master turned replica: its slots are free until someone claims them.
    state_->DelNodeSlots(sender);
    sender.flags &= ~(node_flags::kMaster | node_flags::kMigrateTo);
    sender.flags |= node_flags::kSlave;
    RequestSave(false);
    update_state_ = true;
  }
  if (master && master != &sender && sender.master != master) {
    state_->SetReplicaOf(sender, *master);
    RequestSave(false);
  }
}

void ClusterBus::ProcessGossip(ClusterNode* sender, const PingBody& body, MonoTime now) {
  for (const GossipEntry& e : body.gossip) ProcessGossipEntry(sender, e, now);
}

void ClusterBus::ProcessGossipEntry(ClusterNode* sender, const GossipEntry& e, MonoTime now) {
  ClusterNode* node = state_->Find(e.name);
  if (!node) {
    // Only a known sender introduces nodes (§2.6); they arrive as normal nodes and get PINGed.
    if (!sender || (e.flags & node_flags::kNoAddr) || !e.name.IsValid()) return;
    // A node we were told to FORGET stays forgotten while the ban lasts (§2.8).
    if (Banned(e.name, now)) return;
    // MYSELF in a peer's gossip would create a second "myself"; never adopt it.
    ClusterNode& n = state_->Add(e.name, e.flags & ~node_flags::kMyself, now);
    n.ip = e.ip;
    n.port = e.port;
    n.pport = e.pport;
    n.cport = e.cport;
    new_nodes_.push_back({n.id, now});
    return;
  }
  if (sender && sender->IsMaster() && !node->IsMyself()) {
    if (e.flags & kFailing) {
      state_->AddFailureReport(*node, sender->id, now);
      MarkFailingIfNeeded(*node, now);
    } else {
      state_->DelFailureReport(*node, sender->id);
    }
  }
  if (!(e.flags & kFailing) && node->ping_sent == kNever &&
      state_->CountFailureReports(*node, now, opts_.node_timeout) == 0) {
    // Someone heard from the node recently: that postpones our own PING to it (§2.6).
    MonoTime pong = state_->time_base().FromUnixMs(int64_t(e.pong_received_s) * 1000);
    if (pong <= now + milliseconds(500) && pong > node->pong_received) node->pong_received = pong;
  }
  if (node->Has(kFailing) && !(e.flags & (node_flags::kNoAddr | kFailing)) &&
      (node->ip != e.ip || node->port != e.port || node->cport != e.cport)) {
    // We think it is down but others reach it elsewhere: it moved, follow it.
    if (node->link != kNoLink) CloseLink(node->link);
    node->ip = e.ip;
    node->port = e.port;
    node->pport = e.pport;
    node->cport = e.cport;
    node->flags &= ~node_flags::kNoAddr;
  }
}

void ClusterBus::PickNewNodes(int wanted, std::vector<const ClusterNode*>& added) {
  // A partial shuffle: which new nodes go out is random, like the rest of the section.
  for (size_t i = 0; i < new_nodes_.size() && int(added.size()) < wanted; ++i) {
    std::swap(new_nodes_[i], new_nodes_[i + rng_.Uniform(new_nodes_.size() - i)]);
    const ClusterNode* c = state_->Find(new_nodes_[i].first);
    if (!c || !GossipCandidate(*c) || c->TimedOut()) continue;
    if (std::find(added.begin(), added.end(), c) == added.end()) added.push_back(c);
  }
}

bool ClusterBus::GossipCandidate(const ClusterNode& c) {
  return !c.IsMyself() && !c.Has(node_flags::kHandshake | node_flags::kNoAddr) &&
         !(c.link == kNoLink && c.num_slots == 0);
}

void ClusterBus::AddGossipEntries(Message& msg, MonoTime now) {
  PingBody& body = msg.ping();
  const int n = int(state_->NodeCount());
  int fresh = n - 2;
  int wanted = std::min(std::max(3, n / 10), fresh);
  const TimeBase& tb = state_->time_base();
  std::vector<const ClusterNode*> added;
  // Nodes that joined lately take the first places, so a new node is known by all within about
  // node_timeout / 2 (every peer gets a message from us that often); the section keeps its size.
  if (!new_nodes_.empty()) {
    std::erase_if(new_nodes_, [&](const auto& e) { return now - e.second > opts_.node_timeout / 2; });
    PickNewNodes(wanted, added);
    fresh -= int(added.size());
  }
  // Random draws with replacement, as Redis does (§3.4): the receiver may hear about itself.
  for (int iter = wanted * 3; fresh > 0 && int(added.size()) < wanted && iter > 0; --iter) {
    const ClusterNode& c = state_->NodeAt(rng_.Uniform(uint64_t(n)));
    if (c.IsMyself() || c.TimedOut()) continue;
    if (!GossipCandidate(c)) {
      --fresh;
      continue;
    }
    if (std::find(added.begin(), added.end(), &c) != added.end()) continue;
    added.push_back(&c);
    --fresh;
  }
  for (const ClusterNode* c : added) body.gossip.push_back(EntryFor(*c, tb));
  // Every PFAIL node goes out, so masters' reports reach quorum quickly (§4.2 caveat).
  size_t pfail_wanted = pfail_count_;
  if (pfail_wanted == 0) return;
  state_->ForEachNode([&](const ClusterNode& c) {
    if (pfail_wanted == 0 || !c.TimedOut() || c.Has(node_flags::kHandshake | node_flags::kNoAddr)) return;
    body.gossip.push_back(EntryFor(c, tb));
    --pfail_wanted;
  });
}

}  // namespace tessera::bus
