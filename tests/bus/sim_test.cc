// Deterministic 50-node simulation over tests/sim/sim_cluster.h: MEET to full mesh, failure
// detection, minority partitions and configEpoch collisions (cluster-bus.md §2-§5, §7).
#include <set>

#include <catch2/catch.hpp>

#include "sim/sim_cluster.h"
#include "tessera/bus/nodes_conf.h"
#include "tessera/core/log.h"

namespace tessera::sim {
namespace {

using namespace std::chrono_literals;
using bus::ClusterNode;
namespace nf = bus::node_flags;

constexpr int kNodes = 50;
constexpr milliseconds kNodeTimeout{2000};

bus::BusOptions Options(bool full_coverage = true) {
  bus::BusOptions o;
  o.node_timeout = kNodeTimeout;
  o.require_full_coverage = full_coverage;
  return o;
}

// Every node knows every other one (no handshake left), has an outbound link to each, agrees
// on all 16384 owners, sees distinct master epochs and reports cluster_state:ok.
bool Converged(SimCluster& c) {
  for (int i = 0; i < c.size(); ++i) {
    bus::ClusterState& st = c.bus(i).state();
    if (int(st.NodeCount()) != c.size() || !st.ok()) return false;
    bool good = true;
    std::set<uint64_t> epochs;
    st.ForEachNode([&](const ClusterNode& n) {
      if (n.InHandshake() || n.Has(nf::kPfail | nf::kFail)) good = false;
      if (!n.IsMyself() && n.link == bus::kNoLink) good = false;
      epochs.insert(n.config_epoch);
    });
    if (!good || int(epochs.size()) != c.size()) return false;
    for (int s = 0; s < core::kSlots; s += 97) {
      const ClusterNode* owner = st.SlotOwner(s);
      const ClusterNode* truth = c.bus(s * c.size() / core::kSlots).state().myself().id == owner->id
                                     ? owner
                                     : nullptr;
      if (!truth) return false;
    }
  }
  return true;
}

// Each node MEETs node 0 and claims an equal share of the slots; all start at configEpoch 0.
std::unique_ptr<SimCluster> MakeConverged(uint64_t seed, bool full_coverage = true) {
  core::SetLogLevel(spdlog::level::warn);
  auto c = std::make_unique<SimCluster>(kNodes, seed, Options(full_coverage));
  for (int i = 0; i < kNodes; ++i) {
    const int first = i * core::kSlots / kNodes, last = (i + 1) * core::kSlots / kNodes - 1;
    c->Do(i, [&](bus::ClusterBus& b, core::MonoTime now) { return b.AddSlotRange(first, last, now); });
    if (i > 0) c->Meet(i, 0);
  }
  auto took = c->RunUntil([&] { return Converged(*c); }, 120s);
  INFO("seed " << seed);
  REQUIRE(took.has_value());
  UNSCOPED_INFO("converged in " << took->count() << " ms");
  return c;
}

bool AllSee(SimCluster& c, int target, uint16_t flag, const std::set<int>& except = {}) {
  const bus::NodeId id = c.bus(target).state().myself().id;
  for (int i = 0; i < c.size(); ++i) {
    if (i == target || except.count(i)) continue;
    const ClusterNode* n = c.bus(i).state().Find(id);
    if (!n || !n->Has(flag)) return false;
  }
  return true;
}

TEST_CASE("50 nodes converge from MEETs to a full mesh with distinct epochs", "[bus][sim]") {
  auto c = MakeConverged(1);
  // The state each node would persist loads back.
  for (int i = 0; i < c->size(); ++i) {
    auto text = bus::FormatNodesConf(c->bus(i).state().ToNodesConf());
    auto conf = bus::ParseNodesConf(text);
    REQUIRE(conf.ok());
    CHECK(conf->nodes.size() == size_t(kNodes));
    CHECK(c->saves(i) > 0);
  }
  CHECK(c->bus(7).state().ClusterInfoText(c->bus(7).stats()).find("cluster_known_nodes:50\r\n") !=
        std::string::npos);
}

TEST_CASE("a silenced master becomes PFAIL then FAIL everywhere in bounded time", "[bus][sim]") {
  auto c = MakeConverged(2);
  const int victim = 17;
  c->SetGroup(victim, 1);
  auto pfail = c->RunUntil([&] {
    for (int i = 0; i < kNodes; ++i) {
      if (i == victim) continue;
      const ClusterNode* n = c->bus(i).state().Find(c->bus(victim).state().myself().id);
      if (n->Has(nf::kPfail | nf::kFail)) return true;
    }
    return false;
  }, 20s);
  REQUIRE(pfail.has_value());
  CHECK(*pfail > kNodeTimeout);  // nobody gives up before node_timeout
  auto fail = c->RunUntil([&] { return AllSee(*c, victim, nf::kFail); }, 4 * kNodeTimeout);
  REQUIRE(fail.has_value());
  UNSCOPED_INFO("PFAIL after " << pfail->count() << " ms, FAIL everywhere " << fail->count() << " ms later");
  // Full coverage is required: a FAIL owner takes the cluster down everywhere else.
  CHECK_FALSE(c->bus(0).state().ok());

  // Back on the network: a master with slots is un-failed only after 2 * node_timeout.
  c->Heal();
  auto back = c->RunUntil([&] {
    for (int i = 0; i < kNodes; ++i) {
      if (!c->bus(i).state().ok()) return false;
    }
    return !AllSee(*c, victim, nf::kFail);
  }, 10 * kNodeTimeout);
  REQUIRE(back.has_value());
}

TEST_CASE("a partitioned minority sees cluster_state:fail and the majority stays ok",
          "[bus][sim]") {
  auto c = MakeConverged(3, /*full_coverage=*/false);
  std::set<int> minority;
  for (int i = 40; i < kNodes; ++i) minority.insert(i);
  for (int i : minority) c->SetGroup(i, 1);
  auto split = c->RunUntil([&] {
    for (int i = 0; i < kNodes; ++i) {
      if (c->bus(i).state().ok() == bool(minority.count(i))) return false;
    }
    return true;
  }, 10 * kNodeTimeout);
  REQUIRE(split.has_value());
  CHECK(*split > kNodeTimeout);
  // The majority has agreed that the minority failed; the minority can never reach quorum.
  c->RunFor(4 * kNodeTimeout);
  CHECK(AllSee(*c, 45, nf::kFail, minority));
  for (int i : minority) {
    CHECK_FALSE(c->bus(i).state().ok());
    CHECK_FALSE(c->bus(i).state().Find(c->bus(0).state().myself().id)->Has(nf::kFail));
  }
  c->Heal();
  auto healed = c->RunUntil([&] {
    for (int i = 0; i < kNodes; ++i) {
      if (!c->bus(i).state().ok()) return false;
    }
    return true;
  }, 10 * kNodeTimeout);
  CHECK(healed.has_value());
}

std::string Fingerprint(uint64_t seed) {
  auto c = MakeConverged(seed);
  c->SetGroup(5, 1);
  c->RunFor(3 * kNodeTimeout);
  std::string out = fmt::format("{}\n", c->messages_delivered());
  for (int i = 0; i < c->size(); ++i) out += c->bus(i).state().ClusterNodesText();
  return out;
}

TEST_CASE("a simulation is reproducible from its seed", "[bus][sim]") {
  const std::string a = Fingerprint(11);
  CHECK(a == Fingerprint(11));
  CHECK(a != Fingerprint(12));
}

}  // namespace
}  // namespace tessera::sim
