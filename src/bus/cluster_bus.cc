// ClusterBus core: links, sender identification, header epochs, sending, dispatch
// (cluster-bus.md §1.7, §2.1-§2.3, §5.1, §11).
#include "tessera/bus/cluster_bus.h"

#include <fmt/format.h>

#include "tessera/bus/codec.h"
#include "tessera/core/log.h"
#include "tessera/core/status.h"

namespace tessera::bus {

ClusterBus::ClusterBus(BusOptions opts, std::unique_ptr<ClusterState> state, core::Rng& rng)
    : opts_(std::move(opts)), state_(std::move(state)), rng_(rng) {
  ClusterNode& me = state_->myself();
  me.port = opts_.port;
  me.pport = opts_.pport;
  me.cport = opts_.cport;
  me.hostname = opts_.hostname;
  if (!opts_.announce_ip.empty()) me.ip = opts_.announce_ip;
}

Effects ClusterBus::TakeEffects() { return std::exchange(out_, {}); }

// Redis defers state updates and saves to "before sleep"; each entry point ends here instead.
Effects ClusterBus::Finish(MonoTime now) {
  if (update_state_) {
    update_state_ = false;
    if (state_->UpdateState(now, {opts_.node_timeout, opts_.require_full_coverage})) {
      out_.push_back(StateChangedEffect{state_->ok()});
    }
  }
  if (save_) {
    out_.push_back(SaveConfigEffect{fsync_, save_now_});
    save_ = fsync_ = save_now_ = false;
  }
  if (std::vector<int> lost = state_->TakeLostShardSlots(); !lost.empty()) {
    out_.push_back(ShardSlotsLostEffect{std::move(lost)});
  }
  return TakeEffects();
}

LinkId ClusterBus::OnAccepted(std::string peer_ip, std::string local_ip, MonoTime now) {
  LinkId id = next_link_++;
  links_[id] = Link{id, false, nullptr, now, std::move(peer_ip), std::move(local_ip)};
  return id;
}

Effects ClusterBus::OnConnected(LinkId id, MonoTime now) {
  auto it = links_.find(id);
  if (it == links_.end() || !it->second.outbound) return Finish(now);
  ClusterNode& node = *it->second.node;
  // A ping that was pending before the link dropped keeps its time: the failure clock runs on.
  const MonoTime old_ping_sent = node.ping_sent;
  SendPing(it->second, node.Has(node_flags::kMeet) ? MsgType::kMeet : MsgType::kPing, now);
  if (old_ping_sent != kNever) node.ping_sent = old_ping_sent;
  node.flags &= ~node_flags::kMeet;
  return Finish(now);
}

Effects ClusterBus::OnLinkClosed(LinkId id, MonoTime now) {
  auto it = links_.find(id);
  if (it == links_.end()) return Finish(now);
  if (ClusterNode* node = it->second.node) {
    if (node->link == id) {
      node->link = kNoLink;
      // A connect that never succeeded still starts the failure clock (§2.2).
      if (node->ping_sent == kNever) node->ping_sent = now;
    }
    if (node->inbound_link == id) node->inbound_link = kNoLink;
  }
  links_.erase(it);
  return Finish(now);
}

void ClusterBus::CloseLink(LinkId id) {
  auto it = links_.find(id);
  if (it == links_.end()) return;
  if (ClusterNode* node = it->second.node) {
    if (node->link == id) node->link = kNoLink;
    if (node->inbound_link == id) node->inbound_link = kNoLink;
  }
  links_.erase(it);
  out_.push_back(CloseEffect{id});
}

void ClusterBus::FreeNode(ClusterNode& node) {
  std::vector<LinkId> to_close;
  for (auto& [id, link] : links_) {
    if (link.node == &node) to_close.push_back(id);
  }
  for (LinkId id : to_close) CloseLink(id);
  state_->Remove(node.id);
}

Effects ClusterBus::OnFrame(LinkId link, std::span<const uint8_t> frame, MonoTime now) {
  // Redis counts a message as received before validating it (§1.4).
  if (frame.size() >= kHeaderSize) {
    uint16_t type = PeekType(frame);
    if (type < kTypeCount) ++stats_.received[type];
  }
  absl::StatusOr<Message> msg = Decode(frame);
  if (!msg.ok()) {
    core::Log(core::Module::kBus).debug("link {}: dropped message: {}", link, core::Msg(msg.status()));
    return Finish(now);
  }
  return OnMessage(link, *msg, now);
}

ClusterNode* ClusterBus::IdentifySender(Link& link, const Message& msg, MonoTime now) {
  ClusterNode* sender = nullptr;
  if (link.node && !link.node->InHandshake()) {
    sender = link.node;
  } else {
    sender = state_->Find(msg.header.sender);
    // A peer using our own name is not a peer we can reason about.
    if (sender && sender->IsMyself()) sender = nullptr;
    if (sender && !link.node && !link.outbound) BindInbound(link, *sender);
  }
  if (sender) sender->data_received = now;
  return sender;
}

void ClusterBus::BindInbound(Link& link, ClusterNode& node) {
  // One inbound link per node: the peer reconnected, so the older link is dead weight.
  if (node.inbound_link != kNoLink && node.inbound_link != link.id) CloseLink(node.inbound_link);
  node.inbound_link = link.id;
  link.node = &node;
}

void ClusterBus::ApplyHeaderEpochs(ClusterNode& sender, const Message& msg) {
  const Header& h = msg.header;
  if (h.current_epoch > state_->current_epoch()) state_->set_current_epoch(h.current_epoch);
  if (h.config_epoch > sender.config_epoch) {
    sender.config_epoch = h.config_epoch;
    RequestSave(true);
  }
  sender.repl_offset = h.offset;
}

Effects ClusterBus::OnMessage(LinkId link_id, const Message& msg, MonoTime now) {
  auto it = links_.find(link_id);
  if (it == links_.end()) return Finish(now);
  Link& link = it->second;
  ClusterNode* sender = IdentifySender(link, msg, now);
  if (sender && !sender->InHandshake()) ApplyHeaderEpochs(*sender, msg);
  if (msg.IsPingLike()) {
    OnPingLike(link, sender, msg, now);
    return Finish(now);
  }
  switch (msg.type()) {
    case MsgType::kFail:
      OnFail(sender, std::get<FailBody>(msg.body), now);
      break;
    case MsgType::kUpdate:
      OnUpdate(sender, std::get<UpdateBody>(msg.body));
      break;
    default:
      if (sender) {
        out_.push_back(DeliverEffect{link_id, sender->id, msg});
      } else {
        core::Log(core::Module::kBus).debug("ignoring type {} from unknown node", msg.header.type);
      }
  }
  return Finish(now);
}

Message ClusterBus::BuildHeader(MsgType t) const {
  const ClusterNode& me = state_->myself();
  // A replica advertises its master's slots and epoch (§1.2, §10.4).
  const ClusterNode& master = me.IsReplica() && me.master ? *me.master : me;
  Message m;
  Header& h = m.header;
  h.type = static_cast<uint16_t>(t);
  h.port = me.port;
  h.pport = me.pport;
  h.cport = me.cport;
  h.current_epoch = state_->current_epoch();
  h.config_epoch = master.config_epoch;
  h.offset = repl_offset_;
  h.sender = me.id;
  h.myslots = master.slots;
  if (me.master) h.slaveof = me.master->id;
  h.myip = opts_.announce_ip;
  h.flags = me.flags;
  h.state = state_->ok() ? 0 : 1;
  h.mflags = paused_ && me.IsMaster() ? msg_flags::kPaused : 0;
  switch (t) {
    case MsgType::kPing:
    case MsgType::kPong:
    case MsgType::kMeet:
      m.body = PingBody{};
      break;
    case MsgType::kFail:
      m.body = FailBody{};
      break;
    case MsgType::kPublish:
    case MsgType::kPublishShard:
      m.body = PublishBody{};
      break;
    case MsgType::kUpdate:
      m.body = UpdateBody{};
      break;
    case MsgType::kModule:
      m.body = ModuleBody{};
      break;
    default:
      break;
  }
  return m;
}

Message ClusterBus::BuildPing(MsgType t, MonoTime now) {
  Message m = BuildHeader(t);
  AddGossipEntries(m, now);
  if (!opts_.hostname.empty()) m.ping().hostname = opts_.hostname;
  return m;
}

void ClusterBus::SendPing(Link& link, MsgType t, MonoTime now) {
  // Only a PING on our outbound link starts the wait for a PONG (§3.2).
  if (t == MsgType::kPing && link.outbound && link.node) link.node->ping_sent = now;
  Send(link.id, BuildPing(t, now));
}

void ClusterBus::Send(LinkId link, const Message& msg) {
  if (msg.header.type < kTypeCount) ++stats_.sent[msg.header.type];
  out_.push_back(SendEffect{link, Encode(msg), msg.header.type});
}

bool ClusterBus::SendTo(ClusterNode& node, const Message& msg) {
  if (node.link == kNoLink) return false;
  Send(node.link, msg);
  return true;
}

void ClusterBus::Broadcast(const Message& msg) {
  const std::string bytes = Encode(msg);
  state_->ForEachNode([&](ClusterNode& n) {
    if (n.IsMyself() || n.InHandshake() || n.link == kNoLink) return;
    if (msg.header.type < kTypeCount) ++stats_.sent[msg.header.type];
    out_.push_back(SendEffect{n.link, bytes, msg.header.type});
  });
}

Effects ClusterBus::Meet(const std::string& ip, uint16_t port, uint16_t cport, MonoTime now) {
  bool exists = false;
  state_->ForEachNode([&](const ClusterNode& n) {
    exists |= n.InHandshake() && n.ip == ip && n.port == port && n.cport == cport;
  });
  if (!exists) {
    NodeId id = NodeId::Random(rng_);
    while (state_->Find(id)) id = NodeId::Random(rng_);
    ClusterNode& n = state_->Add(id, node_flags::kHandshake | node_flags::kMeet, now);
    n.ip = ip;
    n.port = port;
    n.cport = cport;
  }
  return Finish(now);
}

Effects ClusterBus::AddSlotRange(int first, int last, MonoTime now) {
  for (int s = first; s <= last; ++s) state_->AddSlot(state_->myself(), s);
  RequestSave(false);
  update_state_ = true;
  return Finish(now);
}

}  // namespace tessera::bus
