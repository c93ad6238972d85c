// The 100 ms cluster cron: handshake expiry, reconnects, random and forced PINGs, PFAIL timers
// (cluster-bus.md §2.2, §2.8, §3).
#include <algorithm>

#include "tessera/bus/cluster_bus.h"
#include "tessera/core/log.h"

namespace tessera::bus {

Effects ClusterBus::Tick(MonoTime now) {
  const milliseconds handshake_timeout = std::max(opts_.node_timeout, milliseconds(1000));
  // Once a second (Redis: every 10th clusterCron), by the clock: the server may run a tick a
  // little early. Before the walk, like Redis: the walk's forced PINGs then skip the node it chose.
  if (last_random_ping_ == MonoTime{}) last_random_ping_ = now;
  if (now - last_random_ping_ >= kRandomPingPeriod) {
    last_random_ping_ = now;
    RandomPing(now);
  }

  // One walk does both of Redis's per-node passes (handshakes and links, then timeouts): on an
  // idle node the first touch of each node is a cache miss, and that was most of Tick's cost.
  std::vector<NodeId> expired;
  pfail_count_ = 0;
  state_->ForEachNodeIndexed([&](ClusterNode& n) {
    if (n.Has(node_flags::kMyself | node_flags::kNoAddr)) return;
    if (n.InHandshake()) {
      if (now - n.ctime > handshake_timeout) {
        expired.push_back(n.id);
      } else if (n.link == kNoLink) {
        ConnectIfNeeded(n, now);
      }
      return;
    }
    if (n.link == kNoLink) ConnectIfNeeded(n, now);
    if (n.TimedOut()) ++pfail_count_;
    CheckTimeouts(n, now);
  });
  for (const NodeId& id : expired) FreeNode(*state_->Find(id));
  std::erase_if(banned_, [&](const auto& kv) { return kv.second <= now; });
  // While the cluster is down, keep re-evaluating: nothing else may trigger the way back.
  if (!state_->ok()) update_state_ = true;
  return Finish(now);
}

void ClusterBus::ConnectIfNeeded(ClusterNode& node, MonoTime now) {
  if (node.ip.empty() || node.cport == 0) {
    // Like a synchronous connect failure: start the failure clock, retry next tick.
    if (node.ping_sent == kNever) node.ping_sent = now;
    return;
  }
  LinkId id = next_link_++;
  links_[id] = Link{id, true, &node, now, node.ip, ""};
  node.link = id;
  out_.push_back(ConnectEffect{id, node.id, node.ip, node.cport});
}

void ClusterBus::RandomPing(MonoTime now) {
  ClusterNode* best = nullptr;
  const size_t n = state_->NodeCount();
  for (int i = 0; i < 5; ++i) {
    ClusterNode& c = state_->NodeAt(rng_.Uniform(n));
    if (c.link == kNoLink || c.ping_sent != kNever) continue;
    if (c.Has(node_flags::kMyself | node_flags::kHandshake)) continue;
    if (!best || c.pong_received < best->pong_received) best = &c;
  }
  if (best) SendPing(links_.at(best->link), MsgType::kPing, now);
}

}  // namespace tessera::bus
