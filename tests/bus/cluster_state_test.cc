// ClusterState: nodes.conf load/save, CLUSTER NODES/INFO text, cluster_state (cluster-bus.md §7-§9).
#include <algorithm>

#include <catch2/catch.hpp>

#include "bus/fixtures.h"
#include "tessera/bus/cluster_state.h"

namespace tessera::bus {
namespace {

using namespace std::chrono_literals;

const TimeBase kBase{core::MonoTime(std::chrono::hours(1)), 1'700'000'000'000};

std::vector<NodeLine> Normalized(std::vector<NodeLine> v) {
  for (NodeLine& l : v) l.ping_sent_ms = l.pong_received_ms = 0, l.connected = false;
  std::sort(v.begin(), v.end(), [](const NodeLine& a, const NodeLine& b) { return a.id < b.id; });
  return v;
}

TEST_CASE("a real nodes.conf loads into the state and saves back the same lines",
          "[bus][state][golden]") {
  for (int i = 0; i < 6; ++i) {
    std::string name = "nodes_" + std::to_string(i) + ".conf";
    INFO(name);
    auto conf = ParseNodesConf(testing::ReadFixture(name));
    REQUIRE(conf.ok());
    auto st = ClusterState::FromNodesConf(*conf, kBase, kBase.mono);
    REQUIRE(st.ok());
    NodesConf saved = (*st)->ToNodesConf();
    CHECK(saved.current_epoch == 6);
    auto got = Normalized(saved.nodes), want = Normalized(conf->nodes);
    REQUIRE(got.size() == want.size());
    for (size_t j = 0; j < got.size(); ++j) CHECK(FormatNodeLine(got[j]) == FormatNodeLine(want[j]));
  }
}

TEST_CASE("loading wires up slots, roles and open slots", "[bus][state]") {
  auto conf = ParseNodesConf(testing::ReadFixture("nodes_1.conf"));
  auto st = *ClusterState::FromNodesConf(*conf, kBase, kBase.mono);
  ClusterNode& me = st->myself();
  CHECK(me.id.View() == "cec39d92766fb1e8d0f27e6894ebfcbf45107084");
  CHECK(me.num_slots == 5462);
  CHECK(st->SlotOwner(5461) == &me);
  REQUIRE(st->ImportingFrom(100) != nullptr);
  CHECK(st->ImportingFrom(100)->id.View() == "5afce62035478e8e4eef2266dd11eb1974849eae");
  CHECK(me.replicas.size() == 1);
  CHECK(me.replicas[0]->master == &me);
  CHECK(st->MyAdvertisedEpoch() == 2);
  CHECK(st->current_epoch() == 6);
  CHECK(st->Find(NodeId::ForTest(1)) == nullptr);
}

TEST_CASE("a fresh node prints Redis's fresh CLUSTER NODES and INFO", "[bus][state]") {
  ClusterState st(NodeId::ForTest(0xabc), kBase, kBase.mono);
  st.myself().port = 52100;
  st.myself().cport = 62100;
  CHECK(st.ClusterNodesText() ==
        "0000000000000000000000000000000000000abc :52100@62100 myself,master - 0 0 0 connected\n");
  CHECK(st.ClusterInfoText({}) ==
        "cluster_state:fail\r\ncluster_slots_assigned:0\r\ncluster_slots_ok:0\r\n"
        "cluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:1\r\n"
        "cluster_size:0\r\ncluster_current_epoch:0\r\ncluster_my_epoch:0\r\n"
        "cluster_stats_messages_sent:0\r\ncluster_stats_messages_received:0\r\n"
        "total_cluster_links_buffer_limit_exceeded:0\r\n");
  BusStats stats;
  stats.sent[0] = 66;
  stats.sent[1] = 85;
  stats.received[2] = 15;
  std::string info = st.ClusterInfoText(stats);
  CHECK(info.find("cluster_stats_messages_ping_sent:66\r\ncluster_stats_messages_pong_sent:85\r\n"
                  "cluster_stats_messages_sent:151\r\ncluster_stats_messages_meet_received:15\r\n"
                  "cluster_stats_messages_received:15\r\n") != std::string::npos);
}

struct ThreeMasters {
  ClusterState st{NodeId::ForTest(1), kBase, kBase.mono};
  ClusterNode* b;
  ClusterNode* c;
  ThreeMasters() {
    b = &st.Add(NodeId::ForTest(2), node_flags::kMaster, kBase.mono);
    c = &st.Add(NodeId::ForTest(3), node_flags::kMaster, kBase.mono);
    for (int s = 0; s < core::kSlots; ++s) {
      st.AddSlot(s < 5000 ? st.myself() : s < 10000 ? *b : *c, s);
    }
  }
};

TEST_CASE("cluster_state follows coverage and the reachable majority", "[bus][state]") {
  ThreeMasters t;
  StateOptions opts{milliseconds(1000), true};
  MonoTime now = kBase.mono;
  CHECK_FALSE(t.st.UpdateState(now, opts));  // a master waits 2 s after the first evaluation
  now += 2000ms;
  CHECK(t.st.UpdateState(now, opts));
  CHECK(t.st.ok());
  CHECK(t.st.size() == 3);
  t.b->flags |= node_flags::kPfail;  // PFAIL owners still cover their slots
  CHECK_FALSE(t.st.UpdateState(now, opts));
  t.c->flags |= node_flags::kPfail;  // 1 of 3 reachable: minority
  CHECK(t.st.UpdateState(now, opts));
  CHECK_FALSE(t.st.ok());
  t.b->flags &= ~node_flags::kPfail;
  t.c->flags &= ~node_flags::kPfail;
  now += 999ms;
  CHECK_FALSE(t.st.UpdateState(now, opts));  // rejoin delay = NT clamped to [500, 5000]
  now += 1ms;
  CHECK(t.st.UpdateState(now, opts));
  CHECK(t.st.ok());
  t.c->flags |= node_flags::kFail;  // a FAIL owner breaks full coverage
  CHECK(t.st.UpdateState(now, opts));
  CHECK_FALSE(t.st.ok());
  opts.require_full_coverage = false;
  CHECK(t.st.UpdateState(now, opts));
  CHECK(t.st.ok());
  t.st.DelSlot(0);
  CHECK(t.st.ClusterInfoText({}).find("cluster_slots_assigned:16383\r\ncluster_slots_ok:9999\r\n"
                                      "cluster_slots_pfail:0\r\ncluster_slots_fail:6384\r\n") !=
        std::string::npos);
}

TEST_CASE("failure reports expire after twice the node timeout", "[bus][state]") {
  ThreeMasters t;
  MonoTime now = kBase.mono;
  CHECK(t.st.AddFailureReport(*t.c, t.b->id, now));
  CHECK_FALSE(t.st.AddFailureReport(*t.c, t.b->id, now + 500ms));  // refresh
  CHECK(t.st.CountFailureReports(*t.c, now + 2500ms, milliseconds(1000)) == 1);
  CHECK(t.st.CountFailureReports(*t.c, now + 2501ms, milliseconds(1000)) == 0);
}

TEST_CASE("removing a node clears its slots, reports and replica links", "[bus][state]") {
  ThreeMasters t;
  ClusterNode& r = t.st.Add(NodeId::ForTest(4), node_flags::kSlave, kBase.mono);
  t.st.SetReplicaOf(r, *t.b);
  CHECK(t.b->Has(node_flags::kMigrateTo));
  t.st.AddFailureReport(*t.c, t.b->id, kBase.mono);
  t.st.Remove(t.b->id);
  CHECK(t.st.SlotOwner(5000) == nullptr);
  CHECK(r.master == nullptr);
  CHECK(t.c->fail_reports.empty());
  t.st.Rename(r.id, NodeId::ForTest(5));
  CHECK(t.st.Find(NodeId::ForTest(5)) == &r);
  CHECK(t.st.Find(NodeId::ForTest(4)) == nullptr);
}

TEST_CASE("NodeAt follows id order through adds, removals and renames", "[bus][state]") {
  ClusterState st(NodeId::ForTest(5), kBase, kBase.mono);
  st.Add(NodeId::ForTest(3), node_flags::kMaster, kBase.mono);
  CHECK(st.NodeAt(0).id == NodeId::ForTest(3));
  st.Add(NodeId::ForTest(1), node_flags::kMaster, kBase.mono);
  st.Add(NodeId::ForTest(9), node_flags::kMaster, kBase.mono);
  auto ids = [&] {
    std::vector<NodeId> v;
    for (size_t i = 0; i < st.NodeCount(); ++i) v.push_back(st.NodeAt(i).id);
    return v;
  };
  CHECK(ids() == std::vector<NodeId>{NodeId::ForTest(1), NodeId::ForTest(3), NodeId::ForTest(5),
                                     NodeId::ForTest(9)});
  st.Remove(NodeId::ForTest(3));
  CHECK(ids() == std::vector<NodeId>{NodeId::ForTest(1), NodeId::ForTest(5), NodeId::ForTest(9)});
  st.Rename(NodeId::ForTest(1), NodeId::ForTest(7));
  CHECK(ids() == std::vector<NodeId>{NodeId::ForTest(5), NodeId::ForTest(7), NodeId::ForTest(9)});
}

}  // namespace
}  // namespace tessera::bus

namespace tessera::bus {
namespace {

TEST_CASE("slots leaving my shard are reported once, unless they came back", "[bus][state]") {
  ClusterState st{NodeId::ForTest(1), kBase, kBase.mono};
  ClusterNode& other = st.Add(NodeId::ForTest(2), node_flags::kMaster, kBase.mono);
  for (int s : {5, 6, 7}) st.AddSlot(st.myself(), s);
  st.AddSlot(other, 9);
  CHECK(st.TakeLostShardSlots().empty());
  st.DelSlot(5);                        // DELSLOTS
  st.DelSlot(6);
  st.AddSlot(other, 6);                 // UPDATE / SETSLOT NODE to another node
  st.DelSlot(7);
  st.AddSlot(st.myself(), 7);           // SETSLOT NODE myself: still mine
  st.DelSlot(9);                        // another node's slot: not my shard's
  CHECK(st.TakeLostShardSlots() == std::vector<int>{5, 6});
  CHECK(st.TakeLostShardSlots().empty());
}

TEST_CASE("a replica's shard is its master's slots", "[bus][state]") {
  ClusterState st{NodeId::ForTest(1), kBase, kBase.mono};
  ClusterNode& master = st.Add(NodeId::ForTest(2), node_flags::kMaster, kBase.mono);
  st.SetReplicaOf(st.myself(), master);
  st.AddSlot(master, 3);
  st.DelSlot(3);
  CHECK(st.TakeLostShardSlots() == std::vector<int>{3});
}

}  // namespace
}  // namespace tessera::bus
