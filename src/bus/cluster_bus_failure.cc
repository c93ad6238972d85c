// Failure detection: PFAIL timers, failure reports -> FAIL, FAIL messages and clearing, and
// configEpoch collisions (cluster-bus.md §3.3, §4, §5.2).
#include <fmt/format.h>

#include "tessera/bus/cluster_bus.h"
#include "tessera/core/log.h"

namespace tessera::bus {

void ClusterBus::CheckTimeouts(ClusterNode& node, MonoTime now) {
  const milliseconds nt = opts_.node_timeout;
  if (node.link != kNoLink && node.ping_sent != kNever) {
    // A link that swallows our PINGs while nothing else arrives is likely stuck: reconnect.
    const Link& link = links_.at(node.link);
    if (now - link.ctime > nt && now - node.ping_sent > nt / 2 && now - node.data_received > nt / 2) {
      CloseLink(node.link);
    }
  }
  if (node.link != kNoLink && node.ping_sent == kNever && now - node.pong_received > nt / 2) {
    SendPing(links_.at(node.link), MsgType::kPing, now);
    return;
  }
  if (node.ping_sent == kNever) return;
  // Any traffic from the node postpones PFAIL, not only PONGs.
  const auto delay = std::min(now - node.ping_sent, now - node.data_received);
  if (delay > nt && !node.Has(node_flags::kPfail | node_flags::kFail)) {
    core::Log(core::Module::kBus).debug("*** NODE {} possibly failing", node.id.View());
    node.flags |= node_flags::kPfail;
    update_state_ = true;
  }
}

void ClusterBus::MarkFailingIfNeeded(ClusterNode& node, MonoTime now) {
  if (!node.TimedOut() || node.Failed()) return;
  const size_t needed = size_t(state_->size() / 2 + 1);
  size_t failures = state_->CountFailureReports(node, now, opts_.node_timeout);
  // Our own PFAIL is a vote only when we are a master.
  if (state_->myself().IsMaster()) ++failures;
  if (failures < needed) return;
  core::Log(core::Module::kBus).info("Marking node {} as failing (quorum reached).", node.id.View());
  node.flags = (node.flags & ~node_flags::kPfail) | node_flags::kFail;
  node.fail_time = now;
  Message fail = BuildHeader(MsgType::kFail);
  std::get<FailBody>(fail.body).node = node.id;
  Broadcast(fail);
  update_state_ = true;
  RequestSave(false);
}

void ClusterBus::ClearFailureIfNeeded(ClusterNode& node, MonoTime now) {
  // A master with slots stays FAIL for 2 * node_timeout: if nobody took its slots over by
  // then, it may serve them again (§4.4).
  const bool undo = node.IsReplica() || node.num_slots == 0 ||
                    now - node.fail_time > 2 * opts_.node_timeout;
  if (!undo) return;
  core::Log(core::Module::kBus).info("Clear FAIL state for node {}", node.id.View());
  node.flags &= ~node_flags::kFail;
  update_state_ = true;
  RequestSave(false);
}

void ClusterBus::OnFail(ClusterNode* sender, const FailBody& body, MonoTime now) {
  if (!sender) {
    core::Log(core::Module::kBus).debug("Ignoring FAIL message from unknown node");
    return;
  }
  ClusterNode* failing = state_->Find(body.node);
  if (!failing || failing->Has(node_flags::kFail | node_flags::kMyself)) return;
  core::Log(core::Module::kBus).info("FAIL message received from {} about {}", sender->id.View(),
                                     failing->id.View());
  failing->flags = (failing->flags & ~node_flags::kPfail) | node_flags::kFail;
  failing->fail_time = now;
  update_state_ = true;
  RequestSave(false);
}

void ClusterBus::HandleConfigEpochCollision(ClusterNode& sender) {
  ClusterState& st = *state_;
  ClusterNode& me = st.myself();
  if (sender.config_epoch != me.config_epoch || !sender.IsMaster() || !me.IsMaster()) return;
  // The node with the smaller name moves; the other one keeps its epoch.
  if (sender.id <= me.id) return;
  st.set_current_epoch(st.current_epoch() + 1);
  me.config_epoch = st.current_epoch();
  save_ = fsync_ = save_now_ = true;
  core::Log(core::Module::kBus).debug("configEpoch collision with node {}. configEpoch set to {}",
                                      sender.id.View(), me.config_epoch);
}

}  // namespace tessera::bus
