// A deterministic in-memory network of ClusterBus nodes driven by a ManualClock and a seeded
// Rng: it executes each node's Effects (connect, send, close) with small random latencies,
// ticks every node's cron every 100 ms, and can partition nodes (docs/cluster.md, "Simulation").
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tessera/bus/cluster_bus.h"
#include "tessera/bus/codec.h"
#include "tessera/core/clock.h"
#include "tessera/core/rng.h"

namespace tessera::sim {

using bus::ClusterBus;
using bus::Effects;
using bus::LinkId;
using core::MonoTime;
using std::chrono::milliseconds;

class SimCluster {
 public:
  SimCluster(int n, uint64_t seed, bus::BusOptions base) : rng_(seed) {
    for (int i = 0; i < n; ++i) {
      auto node = std::make_unique<Node>();
      node->ip = fmt::format("10.0.{}.{}", i / 256, i % 256);
      node->rng = std::make_unique<core::Rng>(seed * 1000003 + i);
      bus::BusOptions o = base;
      o.port = 7000;
      o.cport = 17000;
      auto state = std::make_unique<bus::ClusterState>(
          bus::NodeId::Random(*node->rng), bus::TimeBase{clock_.Now(), clock_.UnixMs()}, clock_.Now());
      node->bus = std::make_unique<ClusterBus>(o, std::move(state), *node->rng);
      node->phase = milliseconds(rng_.Uniform(100));
      by_ip_[node->ip] = i;
      nodes_.push_back(std::move(node));
      ScheduleTick(i, clock_.Now() + nodes_.back()->phase);
    }
  }

  int size() const { return int(nodes_.size()); }
  ClusterBus& bus(int i) { return *nodes_[i]->bus; }
  const std::string& ip(int i) const { return nodes_[i]->ip; }
  MonoTime now() const { return clock_.Now(); }
  uint64_t messages_delivered() const { return delivered_; }
  int saves(int i) const { return nodes_[i]->saves; }

  // Runs node i's command and executes its effects.
  void Do(int i, const std::function<Effects(ClusterBus&, MonoTime)>& cmd) {
    Apply(i, cmd(bus(i), clock_.Now()));
  }
  void Meet(int i, int j) {
    Do(i, [&](ClusterBus& b, MonoTime now) { return b.Meet(ip(j), 7000, 17000, now); });
  }

  // Nodes in different groups cannot talk: connects hang and bytes vanish (like a black hole
  // or a SIGSTOPped peer). Default group is 0.
  void SetGroup(int i, int group) { nodes_[i]->group = group; }
  void Heal() {
    for (auto& n : nodes_) n->group = 0;
  }

  void RunFor(milliseconds d) { RunUntil([] { return false; }, d); }
  // Runs until pred() holds (checked after every event) or d passes. Returns the time taken.
  std::optional<milliseconds> RunUntil(const std::function<bool()>& pred, milliseconds d) {
    const MonoTime start = clock_.Now(), end = start + d;
    while (!events_.empty() && events_.top().at <= end) {
      Event ev = events_.top();
      events_.pop();
      if (ev.at > clock_.Now()) clock_.Advance(std::chrono::duration_cast<milliseconds>(ev.at - clock_.Now()));
      ev.fn();
      if (pred()) return std::chrono::duration_cast<milliseconds>(clock_.Now() - start);
    }
    if (end > clock_.Now()) clock_.Advance(std::chrono::duration_cast<milliseconds>(end - clock_.Now()));
    return std::nullopt;
  }

 private:
  struct Node {
    std::string ip;
    std::unique_ptr<core::Rng> rng;
    std::unique_ptr<ClusterBus> bus;
    milliseconds phase{0};
    int group = 0;
    int saves = 0;
  };
  struct Endpoint {
    int peer = -1;
    LinkId peer_link = bus::kNoLink;
    bool established = false;
    std::vector<std::string> pending;  // bytes sent before the connect completed
    MonoTime last_delivery{};
  };
  struct Event {
    MonoTime at;
    uint64_t seq;
    std::function<void()> fn;
    bool operator>(const Event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };

  bool Blocked(int a, int b) const { return nodes_[a]->group != nodes_[b]->group; }
  milliseconds Latency() { return milliseconds(1 + rng_.Uniform(3)); }
  void At(MonoTime t, std::function<void()> fn) { events_.push({t, seq_++, std::move(fn)}); }

  void ScheduleTick(int i, MonoTime t) {
    At(t, [this, i, t] {
      Apply(i, bus(i).Tick(clock_.Now()));
      ScheduleTick(i, t + bus::kCronPeriod);
    });
  }

  void Apply(int i, Effects effects) {
    for (bus::Effect& e : effects) {
      if (auto* c = std::get_if<bus::ConnectEffect>(&e)) {
        Connect(i, *c);
      } else if (auto* s = std::get_if<bus::SendEffect>(&e)) {
        Send(i, s->link, std::move(s->bytes));
      } else if (auto* x = std::get_if<bus::CloseEffect>(&e)) {
        Close(i, x->link);
      } else if (std::holds_alternative<bus::SaveConfigEffect>(e)) {
        ++nodes_[i]->saves;
      }
    }
  }

  void Connect(int a, const bus::ConnectEffect& c) {
    auto it = by_ip_.find(c.ip);
    if (it == by_ip_.end() || c.cport != 17000) {
      At(clock_.Now() + milliseconds(1), [this, a, l = c.link] {
        Apply(a, bus(a).OnLinkClosed(l, clock_.Now()));
      });
      return;
    }
    const int b = it->second;
    Endpoint& mine = endpoints_[{a, c.link}];
    mine = Endpoint();
    mine.peer = b;
    if (Blocked(a, b)) return;  // the SYN is lost: the connect hangs until a gives up
    At(clock_.Now() + Latency(), [this, a, b, la = c.link] {
      auto ep = endpoints_.find({a, la});
      if (ep == endpoints_.end() || Blocked(a, b)) return;
      LinkId lb = bus(b).OnAccepted(ip(a), ip(b), clock_.Now());
      Endpoint& theirs = endpoints_[{b, lb}];
      theirs.peer = a;
      theirs.peer_link = la;
      theirs.established = true;
      ep->second.peer_link = lb;
      ep->second.established = true;
      for (std::string& bytes : std::exchange(ep->second.pending, {})) Send(a, la, std::move(bytes));
      Apply(a, bus(a).OnConnected(la, clock_.Now()));
    });
  }

  void Send(int a, LinkId la, std::string bytes) {
    auto ep = endpoints_.find({a, la});
    if (ep == endpoints_.end()) return;
    if (!ep->second.established) {
      ep->second.pending.push_back(std::move(bytes));
      return;
    }
    const int b = ep->second.peer;
    if (Blocked(a, b)) return;
    // TCP keeps order on one connection.
    MonoTime t = std::max(clock_.Now() + Latency(), ep->second.last_delivery);
    ep->second.last_delivery = t;
    At(t, [this, b, lb = ep->second.peer_link, bytes = std::move(bytes)] {
      if (!endpoints_.count({b, lb})) return;
      ++delivered_;
      auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
      Apply(b, bus(b).OnFrame(lb, std::span(p, bytes.size()), clock_.Now()));
    });
  }

  void Close(int a, LinkId la) {
    auto ep = endpoints_.find({a, la});
    if (ep == endpoints_.end()) return;
    Endpoint e = ep->second;
    endpoints_.erase(ep);
    if (!e.established) return;
    At(clock_.Now() + Latency(), [this, b = e.peer, lb = e.peer_link] {
      if (endpoints_.erase({b, lb})) Apply(b, bus(b).OnLinkClosed(lb, clock_.Now()));
    });
  }

  core::ManualClock clock_;
  core::Rng rng_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, int> by_ip_;
  std::map<std::pair<int, LinkId>, Endpoint> endpoints_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  uint64_t seq_ = 0;
  uint64_t delivered_ = 0;
};

}  // namespace tessera::sim
