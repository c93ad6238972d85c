// CLUSTER sub-commands: reply shapes and error texts of Redis 7.0.15 (cluster-commands.md §1).
#include <catch2/catch.hpp>

#include "commands/cluster_fixture.h"

namespace tessera::commands::testing {
namespace {

std::string Id(uint64_t n) { return bus::NodeId::ForTest(n).Str(); }

TEST_CASE("KEYSLOT follows the hash-tag rule", "[cluster]") {
  ClusterFixture f;
  CHECK(f.Cmd("CLUSTER KEYSLOT foo") == ":12182\r\n");
  CHECK(f.Cmd("CLUSTER KEYSLOT {user1000}.following") == ":3443\r\n");
  CHECK(f.Cmd("CLUSTER KEYSLOT foo{}{bar}") == ":8363\r\n");
  CHECK(f.Run({"CLUSTER", "KEYSLOT", ""}) == ":0\r\n");
}

TEST_CASE("ADDSLOTS and DELSLOTS check every slot before changing any", "[cluster]") {
  ClusterFixture f;
  CHECK(f.Cmd("CLUSTER ADDSLOTS 1 x") == "-ERR Invalid or out of range slot\r\n");
  CHECK(f.Cmd("CLUSTER ADDSLOTS 16384") == "-ERR Invalid or out of range slot\r\n");
  CHECK(f.Cmd("CLUSTER ADDSLOTS 5 5") == "-ERR Slot 5 specified multiple times\r\n");
  CHECK(f.st().SlotOwner(5) == nullptr);
  CHECK(f.Cmd("CLUSTER ADDSLOTS 1 2 3") == "+OK\r\n");
  CHECK(f.Cmd("CLUSTER ADDSLOTS 4 3") == "-ERR Slot 3 is already busy\r\n");
  CHECK(f.st().SlotOwner(4) == nullptr);
  CHECK(f.Cmd("CLUSTER DELSLOTS 3 9") == "-ERR Slot 9 is already unassigned\r\n");
  CHECK(f.Cmd("CLUSTER DELSLOTS 3") == "+OK\r\n");
  CHECK(f.me().num_slots == 2);
  CHECK(f.cluster_hooks.Count<bus::SaveConfigEffect>() == 2);
}

TEST_CASE("ADDSLOTSRANGE and DELSLOTSRANGE take pairs", "[cluster]") {
  ClusterFixture f;
  CHECK(f.Cmd("CLUSTER ADDSLOTSRANGE 1 2 3") ==
        "-ERR wrong number of arguments for 'cluster|addslotsrange' command\r\n");
  CHECK(f.Cmd("CLUSTER ADDSLOTSRANGE 10 5") ==
        "-ERR start slot number 10 is greater than end slot number 5\r\n");
  CHECK(f.Cmd("CLUSTER ADDSLOTSRANGE 0 10 5 6") == "-ERR Slot 5 specified multiple times\r\n");
  CHECK(f.Cmd("CLUSTER ADDSLOTSRANGE 0 16383") == "+OK\r\n");
  CHECK(f.me().num_slots == 16384);
  CHECK(f.Cmd("CLUSTER DELSLOTSRANGE 0 99 200 299") == "+OK\r\n");
  CHECK(f.me().num_slots == 16184);
  CHECK(f.Cmd("CLUSTER DELSLOTSRANGE 0 0") == "-ERR Slot 0 is already unassigned\r\n");
}

TEST_CASE("a lone node with all slots reports cluster_state ok after the startup delay",
          "[cluster]") {
  ClusterFixture f;
  CHECK(f.Cmd("CLUSTER ADDSLOTSRANGE 0 16383") == "+OK\r\n");
  f.Settle();
  std::string info = f.Cmd("CLUSTER INFO");
  CHECK(info.find("cluster_state:ok\r\n") != std::string::npos);
  CHECK(info.find("cluster_slots_assigned:16384\r\n") != std::string::npos);
  CHECK(f.cluster_hooks.Count<bus::StateChangedEffect>() == 1);
  CHECK(f.Cmd("CLUSTER MYID") == "$40\r\n" + Id(1) + "\r\n");
}

TEST_CASE("CLUSTER NODES, SLOTS and SHARDS describe the table", "[cluster]") {
  ClusterFixture f;
  f.MySlots(0, 5460);
  bus::ClusterNode& b = f.Peer(2, 5461, 16383);
  b.config_epoch = 2;
  const std::string nodes = f.Cmd("CLUSTER NODES");
  CHECK(nodes.find(Id(1) + " 127.0.0.1:7001@17001 myself,master - 0 0 0 connected 0-5460\n") !=
        std::string::npos);
  CHECK(nodes.find(Id(2) + " 127.0.0.1:7002@17002 master - 0 0 2 disconnected 5461-16383\n") !=
        std::string::npos);
  CHECK(f.Cmd("CLUSTER SLOTS") ==
        "*2\r\n*3\r\n:0\r\n:5460\r\n*4\r\n$9\r\n127.0.0.1\r\n:7001\r\n$40\r\n" + Id(1) +
            "\r\n*0\r\n*3\r\n:5461\r\n:16383\r\n*4\r\n$9\r\n127.0.0.1\r\n:7002\r\n$40\r\n" + Id(2) +
            "\r\n*0\r\n");
  const std::string shards = f.Cmd("CLUSTER SHARDS");
  CHECK(shards.rfind("*2\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:5460\r\n$5\r\nnodes\r\n*1\r\n*14\r\n"
                     "$2\r\nid\r\n",
                     0) == 0);
  CHECK(shards.find("$6\r\nhealth\r\n$6\r\nonline\r\n") != std::string::npos);
}

TEST_CASE("SETSLOT validates the node and the owner in Redis's order", "[cluster]") {
  ClusterFixture f;
  f.MySlots(0, 10);
  f.Peer(2, 11, 20);
  CHECK(f.Cmd("CLUSTER SETSLOT 12 MIGRATING " + Id(2)) ==
        "-ERR I'm not the owner of hash slot 12\r\n");
  CHECK(f.Cmd("CLUSTER SETSLOT 1 MIGRATING " + Id(9)) ==
        "-ERR I don't know about node " + Id(9) + "\r\n");
  CHECK(f.Cmd("CLUSTER SETSLOT 1 IMPORTING " + Id(2)) ==
        "-ERR I'm already the owner of hash slot 1\r\n");
  CHECK(f.Cmd("CLUSTER SETSLOT 1 NODE " + Id(9)) == "-ERR Unknown node " + Id(9) + "\r\n");
  CHECK(f.Cmd("CLUSTER SETSLOT 1 BOGUS") ==
        "-ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP\r\n");
  CHECK(f.Cmd("CLUSTER SETSLOT 99999 STABLE") == "-ERR Invalid or out of range slot\r\n");
  CHECK(f.Cmd("CLUSTER SETSLOT 1 MIGRATING " + Id(2)) == "+OK\r\n");
  CHECK(f.Cmd("CLUSTER NODES").find("[1->-" + Id(2) + "]") != std::string::npos);
  CHECK(f.Cmd("CLUSTER SETSLOT 1 STABLE") == "+OK\r\n");
  CHECK(f.st().MigratingTo(1) == nullptr);
}

TEST_CASE("SETSLOT NODE to myself closes an import with a bumped epoch and a PONG broadcast",
          "[cluster]") {
  ClusterFixture f;
  bus::ClusterNode& b = f.Peer(2, 0, 100);
  b.config_epoch = 3;
  b.link = 21;
  f.st().set_current_epoch(3);
  CHECK(f.Cmd("CLUSTER SETSLOT 5 IMPORTING " + Id(2)) == "+OK\r\n");
  CHECK(f.Cmd("CLUSTER SETSLOT 5 NODE " + Id(1)) == "+OK\r\n");
  CHECK(f.st().SlotOwner(5) == &f.me());
  CHECK(f.st().ImportingFrom(5) == nullptr);
  CHECK(f.me().config_epoch == 4);
  CHECK(f.cluster_hooks.Count<bus::SendEffect>() == 1);
}

TEST_CASE("a master giving away its last slot with SETSLOT NODE becomes a replica", "[cluster]") {
  ClusterFixture f;
  f.MySlots(7, 7);
  bus::ClusterNode& b = f.Peer(2, 0, 6);
  CHECK(f.Cmd("CLUSTER SETSLOT 7 NODE " + Id(2)) == "+OK\r\n");
  CHECK(f.me().IsReplica());
  CHECK(f.me().master == &b);
  CHECK(f.Cmd("CLUSTER SETSLOT 7 NODE " + Id(1)) ==
        "-ERR Please use SETSLOT only with masters.\r\n");
}

TEST_CASE("SET-CONFIG-EPOCH and BUMPEPOCH", "[cluster]") {
  ClusterFixture f;
  CHECK(f.Cmd("CLUSTER SET-CONFIG-EPOCH x") == "-ERR value is not an integer or out of range\r\n");
  CHECK(f.Cmd("CLUSTER SET-CONFIG-EPOCH -1") == "-ERR Invalid config epoch specified: -1\r\n");
  CHECK(f.Cmd("CLUSTER SET-CONFIG-EPOCH 5") == "+OK\r\n");
  CHECK(f.st().current_epoch() == 5);
  CHECK(f.Cmd("CLUSTER SET-CONFIG-EPOCH 6") == "-ERR Node config epoch is already non-zero\r\n");
  CHECK(f.Cmd("CLUSTER BUMPEPOCH") == "+STILL 5\r\n");
  f.Peer(2, -1, -1).config_epoch = 9;
  CHECK(f.Cmd("CLUSTER SET-CONFIG-EPOCH 1") ==
        "-ERR The user can assign a config epoch only when the node does not know any other "
        "node.\r\n");
  CHECK(f.Cmd("CLUSTER BUMPEPOCH") == "+BUMPED 6\r\n");
}

TEST_CASE("MEET validates its address and starts a handshake", "[cluster]") {
  ClusterFixture f;
  CHECK(f.Cmd("CLUSTER MEET 127.0.0.1 x") == "-ERR Invalid TCP base port specified: x\r\n");
  CHECK(f.Cmd("CLUSTER MEET 127.0.0.1 7002 y") == "-ERR Invalid TCP bus port specified: y\r\n");
  CHECK(f.Cmd("CLUSTER MEET localhost 7002") ==
        "-ERR Invalid node address specified: localhost:7002\r\n");
  CHECK(f.Cmd("CLUSTER MEET 127.0.0.1 70000") ==
        "-ERR Invalid node address specified: 127.0.0.1:70000\r\n");
  CHECK(f.Cmd("CLUSTER MEET 127.0.0.1 7002") == "+OK\r\n");
  CHECK(f.Cmd("CLUSTER MEET 127.0.0.1 7002") == "+OK\r\n");
  CHECK(f.st().NodeCount() == 2);
  CHECK(f.Cmd("CLUSTER NODES").find(" 127.0.0.1:7002@17002 handshake - ") != std::string::npos);
}

TEST_CASE("FORGET, REPLICATE and REPLICAS error texts", "[cluster]") {
  ClusterFixture f;
  bus::ClusterNode& m = f.Peer(2, 0, 10);
  bus::ClusterNode& r = f.Peer(3, -1, -1, bus::node_flags::kSlave);
  f.st().SetReplicaOf(r, m);
  CHECK(f.Cmd("CLUSTER FORGET " + Id(9)) == "-ERR Unknown node " + Id(9) + "\r\n");
  CHECK(f.Cmd("CLUSTER FORGET " + Id(1)) == "-ERR I tried hard but I can't forget myself...\r\n");
  CHECK(f.Cmd("CLUSTER REPLICATE " + Id(1)) == "-ERR Can't replicate myself\r\n");
  CHECK(f.Cmd("CLUSTER REPLICATE " + Id(3)) ==
        "-ERR I can only replicate a master, not a replica.\r\n");
  CHECK(f.Cmd("CLUSTER REPLICAS " + Id(3)) == "-ERR The specified node is not a master\r\n");
  const std::string replicas = f.Cmd("CLUSTER REPLICAS " + Id(2));
  CHECK(replicas.rfind("*1\r\n$", 0) == 0);
  CHECK(replicas.find(Id(3) + " 127.0.0.1:7003@17003 slave " + Id(2) + " 0 0 0 disconnected\r\n") !=
        std::string::npos);
  CHECK(f.Cmd("CLUSTER REPLICATE " + Id(2)) == "+OK\r\n");
  CHECK(f.Cmd("CLUSTER FORGET " + Id(2)) == "-ERR Can't forget my master!\r\n");
  CHECK(f.Cmd("CLUSTER FORGET " + Id(3)) == "+OK\r\n");
  CHECK(f.st().Find(bus::NodeId::ForTest(3)) == nullptr);
  CHECK(f.bus.Banned(bus::NodeId::ForTest(3), f.engine.mono_now()));
}

TEST_CASE("RESET forgets everyone; HARD also renames the node and zeroes the epochs", "[cluster]") {
  ClusterFixture f;
  f.Peer(2, 0, 10);
  f.MySlots(11, 20);
  f.me().config_epoch = 3;
  f.st().set_current_epoch(4);
  CHECK(f.Cmd("CLUSTER RESET MEDIUM") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("CLUSTER RESET SOFT") == "+OK\r\n");
  CHECK(f.st().NodeCount() == 1);
  CHECK(f.me().num_slots == 0);
  CHECK(f.me().config_epoch == 3);
  CHECK(f.Cmd("CLUSTER RESET HARD") == "+OK\r\n");
  CHECK(f.me().id != bus::NodeId::ForTest(1));
  CHECK(f.st().current_epoch() == 0);
  CHECK(f.me().config_epoch == 0);
}

TEST_CASE("COUNTKEYSINSLOT, GETKEYSINSLOT and FLUSHSLOTS", "[cluster]") {
  ClusterFixture f;
  f.MySlots(0, 16383);
  f.Settle();
  CHECK(f.Cmd("SET foo 1") == "+OK\r\n");
  CHECK(f.Cmd("CLUSTER COUNTKEYSINSLOT 12182") == ":1\r\n");
  CHECK(f.Cmd("CLUSTER COUNTKEYSINSLOT 16384") == "-ERR Invalid slot\r\n");
  CHECK(f.Cmd("CLUSTER COUNTKEYSINSLOT x") == "-ERR value is not an integer or out of range\r\n");
  CHECK(f.Cmd("CLUSTER GETKEYSINSLOT 12182 10") == "*1\r\n$3\r\nfoo\r\n");
  CHECK(f.Cmd("CLUSTER GETKEYSINSLOT 12182 -1") == "-ERR Invalid slot or number of keys\r\n");
  CHECK(f.Cmd("CLUSTER FLUSHSLOTS") == "-ERR DB must be empty to perform CLUSTER FLUSHSLOTS.\r\n");
  CHECK(f.Cmd("CLUSTER SAVECONFIG") == "+OK\r\n");
  CHECK(f.cluster_hooks.saves == 1);
  f.cluster_hooks.save_status = absl::InternalError("No space left on device");
  CHECK(f.Cmd("CLUSTER SAVECONFIG") ==
        "-ERR error saving the cluster node config: No space left on device\r\n");
}

TEST_CASE("unknown sub-commands and bad arity get the command table's errors", "[cluster]") {
  ClusterFixture f;
  CHECK(f.Cmd("CLUSTER FOO") == "-ERR unknown subcommand 'FOO'. Try CLUSTER HELP.\r\n");
  CHECK(f.Cmd("CLUSTER INFO x") == "-ERR wrong number of arguments for 'cluster|info' command\r\n");
  CHECK(f.Cmd("CLUSTER MYSHARDID") == "-ERR unknown subcommand 'MYSHARDID'. Try CLUSTER HELP.\r\n");
  CHECK(f.Cmd("CLUSTER HELP").rfind("*56\r\n+CLUSTER <subcommand>", 0) == 0);
  CHECK(f.Cmd("CLUSTER LINKS") == "*0\r\n");
  CHECK(f.Cmd("CLUSTER COUNT-FAILURE-REPORTS " + Id(1)) == ":0\r\n");
}

}  // namespace
}  // namespace tessera::commands::testing
