// nodes.conf parse/format against files written by real redis-server 7.0.15 (cluster-bus.md §8).
#include <catch2/catch.hpp>

#include "bus/fixtures.h"
#include "tessera/bus/message.h"
#include "tessera/bus/nodes_conf.h"
#include "tessera/core/rng.h"

namespace tessera::bus {
namespace {

TEST_CASE("real 7.0.15 nodes.conf files round-trip byte for byte", "[bus][nodes_conf][golden]") {
  for (int i = 0; i < 6; ++i) {
    std::string name = "nodes_" + std::to_string(i) + ".conf";
    INFO(name);
    std::string text = testing::ReadFixture(name);
    REQUIRE(!text.empty());
    auto conf = ParseNodesConf(text);
    REQUIRE(conf.ok());
    CHECK(conf->nodes.size() == 6);
    CHECK(conf->current_epoch == 6);
    CHECK(conf->last_vote_epoch == 0);
    CHECK(FormatNodesConf(*conf) == text);
  }
}

TEST_CASE("a real myself line with a migrating slot and a hostname parses", "[bus][nodes_conf]") {
  auto conf = ParseNodesConf(testing::ReadFixture("nodes_0.conf"));
  REQUIRE(conf.ok());
  const NodeLine& me = conf->nodes[0];
  CHECK(me.flags == (node_flags::kMyself | node_flags::kMaster));
  CHECK(me.ip == "127.0.0.1");
  CHECK(me.port == 54300);
  CHECK(me.cport == 64300);
  CHECK(me.hostname == "host-a.example");
  CHECK(me.master.IsZero());
  CHECK(me.config_epoch == 1);
  CHECK(me.connected);
  CHECK(me.slots == std::vector<SlotRange>{{0, 5460}});
  REQUIRE(me.open_slots.size() == 1);
  CHECK(me.open_slots[0].slot == 100);
  CHECK(me.open_slots[0].migrating);
  const NodeLine& replica = conf->nodes[2];
  CHECK(replica.flags == node_flags::kSlave);
  CHECK(replica.master.View() == "cec39d92766fb1e8d0f27e6894ebfcbf45107084");
}

TEST_CASE("lines captured in the spec round-trip", "[bus][nodes_conf]") {
  const char* lines[] = {
      "fe4f463e7b7aebe30c322f52d9d7813c09d09953 :52100@62100 myself,master - 0 0 0 connected",
      "6fe9ebfb8590fb0759af0992cf5cc2c0aeb24010 :0@0 slave,noaddr "
      "5a3f5a54b7fd455062c827f915c9b52a762f26ea 1795466088770 1795466086158 3 disconnected",
      "a0f1ee34005f8e78249e6fb1cbe9c5e8111ba270 ::1:52199@62199 handshake - 0 0 0 disconnected",
      "5a3f5a54b7fd455062c827f915c9b52a762f26ea 127.0.0.1:52102@62102 master,fail - "
      "1795466696087 1795466694581 13 connected 6822-6827 10927-12181 12183-15999 16001-16383",
      "c2a720f06ae3df943353f0499a3d59a5e8c95402 127.0.0.1:52104@62104 slave,nofailover "
      "5a3f5a54b7fd455062c827f915c9b52a762f26ea 0 1795466694000 13 connected",
      "352ce84a5f0806ac1589756aa3a025467062c10c :52107@62107,node7.example myself,master - 0 0 0 "
      "connected 0-100",
      "1655cf218665bd4c53980bdcea098501169fcb87 127.0.0.1:52100@62100 myself,master - 0 "
      "1795466162000 1 connected 0-5460 12182 [12182-<-5a3f5a54b7fd455062c827f915c9b52a762f26ea]",
      "0000000000000000000000000000000000000001 1.2.3.4:1@2 slave,fail? - 0 0 0 disconnected",
  };
  for (const char* l : lines) {
    INFO(l);
    auto parsed = ParseNodeLine(l);
    REQUIRE(parsed.ok());
    CHECK(FormatNodeLine(*parsed) == l);
  }
  auto v6 = ParseNodeLine(lines[2]);
  CHECK(v6->ip == "::1");
  CHECK(v6->port == 52199);
}

TEST_CASE("flags print in Redis order and noflags when empty", "[bus][nodes_conf]") {
  CHECK(FormatFlags(0) == "noflags");
  CHECK(FormatFlags(node_flags::kMeet | node_flags::kMigrateTo) == "noflags");
  CHECK(FormatFlags(node_flags::kNoFailover | node_flags::kSlave | node_flags::kMyself) ==
        "myself,slave,nofailover");
  CHECK(*ParseFlags("noflags") == 0);
  CHECK(*ParseFlags("master,fail?") == (node_flags::kMaster | node_flags::kPfail));
}

TEST_CASE("an address without @cport means port+10000", "[bus][nodes_conf]") {
  auto l = ParseNodeLine("0000000000000000000000000000000000000001 10.0.0.1:7000 master - 0 0 0 x");
  REQUIRE(l.ok());
  CHECK(l->cport == 17000);
  CHECK_FALSE(l->connected);
}

TEST_CASE("corrupted files fail naming the line", "[bus][nodes_conf]") {
  const std::string me =
      "0000000000000000000000000000000000000001 1.2.3.4:1@2 myself,master - 0 0 0 connected\n";
  struct Bad {
    std::string text;
    std::string want;
  };
  std::vector<Bad> cases = {
      {me + "\n0000000000000000000000000000000000000002 1.2.3.4:1@2 master,bogus - 0 0 0 c\n",
       "line 3: unknown flag 'bogus'"},
      {me + "00000000000000000000000000000000000000Z2 1.2.3.4:1@2 master - 0 0 0 c\n", "line 2:"},
      {me + "0000000000000000000000000000000000000002 1.2.3.4:1@2 master - 0 0\n",
       "line 2: expected 8+ fields, got 6"},
      {me + "0000000000000000000000000000000000000002 1.2.3.4:1@2 master - 0 0 0 c 16384\n",
       "line 2: slot 16384 out of range"},
      {me + "vars currentEpoch 1 lastVoteEpoch\n", "line 2: odd number"},
      {"vars currentEpoch 1 lastVoteEpoch 0\n", "no myself line"},
      {me + me, "line 2: a second myself line"},
      {me + "0000000000000000000000000000000000000002 1.2.3.4:x@2 master - 0 0 0 c\n",
       "line 2: invalid port"},
      {me + "0000000000000000000000000000000000000002 1.2.3.4:1@2 master - 0 0 0 c [5->-xyz]\n",
       "line 2: invalid node id"},
  };
  for (const Bad& b : cases) {
    INFO(b.text);
    auto conf = ParseNodesConf(b.text);
    REQUIRE_FALSE(conf.ok());
    CHECK(std::string(conf.status().message()).find(b.want) != std::string::npos);
  }
}

TEST_CASE("vars may appear anywhere, keys are case-insensitive, unknown keys skipped",
          "[bus][nodes_conf]") {
  auto conf = ParseNodesConf(
      "vars CURRENTEPOCH 7 foo bar lastvoteepoch 3\n\n"
      "0000000000000000000000000000000000000001 1.2.3.4:1@2 myself,master - 0 0 0 connected\n");
  REQUIRE(conf.ok());
  CHECK(conf->current_epoch == 7);
  CHECK(conf->last_vote_epoch == 3);
}

TEST_CASE("slot lists collapse into maximal runs", "[bus][nodes_conf]") {
  CHECK(SlotsToRanges({0, 1, 2, 5, 7, 8}) == std::vector<SlotRange>{{0, 2}, {5, 5}, {7, 8}});
  CHECK(SlotsToRanges({}).empty());
}

TEST_CASE("random bytes never crash the nodes.conf parser", "[bus][nodes_conf][random]") {
  core::Rng rng(7);
  std::string base = testing::ReadFixture("nodes_1.conf");
  for (int i = 0; i < 3000; ++i) {
    std::string t = base;
    for (int e = 0; e < 3; ++e) {
      const char alphabet[] = " \n-[]<>@:,0123456789abcdefmyself";
      t[rng.Uniform(t.size())] = rng.Uniform(2) ? alphabet[rng.Uniform(sizeof(alphabet) - 1)]
                                                : char(rng.Next());
    }
    auto conf = ParseNodesConf(t);
    if (conf.ok()) CHECK(ParseNodesConf(FormatNodesConf(*conf)).ok());
  }
}

}  // namespace
}  // namespace tessera::bus
