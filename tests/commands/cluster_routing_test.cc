// Cluster routing before dispatch: MOVED, ASK, CROSSSLOT, TRYAGAIN, CLUSTERDOWN, READONLY,
// ASKING and MULTI/EXEC, with Redis 7.0.15's exact replies (cluster-commands.md §3).
#include <catch2/catch.hpp>

#include "commands/cluster_fixture.h"

namespace tessera::commands::testing {
namespace {

// foo -> 12182, bar -> 5061 (cluster-commands.md §2.3). Myself owns 0-8191, node 2 the rest.
struct TwoMasters : ClusterFixture {
  TwoMasters() : peer(Peer(2, 8192, 16383)) {
    MySlots(0, 8191);
    Settle();
  }
  bus::ClusterNode& peer;
};

TEST_CASE("cluster commands and READONLY answer 'cluster support disabled' outside cluster mode",
          "[cluster]") {
  EngineFixture f;
  for (const char* cmd :
       {"CLUSTER INFO", "CLUSTER KEYSLOT foo", "CLUSTER HELP", "READONLY", "READWRITE", "ASKING"}) {
    CHECK(f.Cmd(cmd) == "-ERR This instance has cluster support disabled\r\n");
  }
}

TEST_CASE("a fresh node refuses keys with 'Hash slot not served' and serves keyless commands",
          "[cluster]") {
  ClusterFixture f;
  CHECK(f.Cmd("SET foo bar") == "-CLUSTERDOWN Hash slot not served\r\n");
  CHECK(f.Cmd("PING") == "+PONG\r\n");
  CHECK(f.Cmd("SELECT 0") == "+OK\r\n");
  CHECK(f.Cmd("SELECT 1") == "-ERR SELECT is not allowed in cluster mode\r\n");
}

TEST_CASE("keys of other masters get MOVED with the owner's endpoint", "[cluster]") {
  TwoMasters f;
  REQUIRE(f.st().ok());
  CHECK(f.Cmd("SET bar 1") == "+OK\r\n");
  CHECK(f.Cmd("GET foo") == "-MOVED 12182 127.0.0.1:7002\r\n");
  CHECK(f.Cmd("SET foo 1") == "-MOVED 12182 127.0.0.1:7002\r\n");
  f.context.preferred_endpoint = EndpointType::kUnknownEndpoint;
  CHECK(f.Cmd("GET foo") == "-MOVED 12182 :7002\r\n");
  f.context.preferred_endpoint = EndpointType::kHostname;
  CHECK(f.Cmd("GET foo") == "-MOVED 12182 ?:7002\r\n");
  f.peer.hostname = "node2.example";
  CHECK(f.Cmd("GET foo") == "-MOVED 12182 node2.example:7002\r\n");
}

TEST_CASE("keys in different slots are CROSSSLOT, one key repeated is not", "[cluster]") {
  TwoMasters f;
  CHECK(f.Cmd("WATCH bar {bar}x bar") == "+OK\r\n");
  CHECK(f.Cmd("WATCH bar foo") == "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
}

TEST_CASE("a refused command inside MULTI aborts EXEC; EXEC checks all queued keys together",
          "[cluster]") {
  TwoMasters f;
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  CHECK(f.Cmd("SET foo 1") == "-MOVED 12182 127.0.0.1:7002\r\n");
  CHECK(f.Cmd("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n");
  // Both keys are local, but in different slots: EXEC itself refuses and discards.
  f.MySlots(8192, 8192);
  f.st().DelSlot(12182);
  f.st().AddSlot(f.me(), 12182);
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  CHECK(f.Cmd("SET bar 1") == "+QUEUED\r\n");
  CHECK(f.Cmd("SET foo 2") == "+QUEUED\r\n");
  CHECK(f.Cmd("EXEC") == "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  CHECK(!f.client->in_multi);
  CHECK(f.Cmd("EXEC") == "-ERR EXEC without MULTI\r\n");
}

TEST_CASE("a migrating slot serves existing keys and sends missing ones to the target with ASK",
          "[cluster]") {
  TwoMasters f;
  const int slot = 5061;  // bar
  CHECK(f.Cmd("SET bar 1") == "+OK\r\n");
  CHECK(f.Cmd("CLUSTER SETSLOT 5061 MIGRATING " + f.peer.id.Str()) == "+OK\r\n");
  REQUIRE(f.st().MigratingTo(slot) == &f.peer);
  CHECK(f.Cmd("GET bar") == "$1\r\n1\r\n");
  CHECK(f.Cmd("GET {bar}new") == "-ASK 5061 127.0.0.1:7002\r\n");
  CHECK(f.Cmd("WATCH bar {bar}new") ==
        "-TRYAGAIN Multiple keys request during rehashing of slot\r\n");
  // ASKING changes nothing on the source.
  CHECK(f.Cmd("ASKING") == "+OK\r\n");
  CHECK(f.Cmd("GET {bar}new") == "-ASK 5061 127.0.0.1:7002\r\n");
}

TEST_CASE("an importing slot serves exactly one command after ASKING", "[cluster]") {
  TwoMasters f;
  CHECK(f.Cmd("CLUSTER SETSLOT 12182 IMPORTING " + f.peer.id.Str()) == "+OK\r\n");
  CHECK(f.Cmd("GET foo") == "-MOVED 12182 127.0.0.1:7002\r\n");
  CHECK(f.Cmd("ASKING") == "+OK\r\n");
  CHECK(f.Cmd("GET foo") == "$-1\r\n");
  CHECK(f.Cmd("GET foo") == "-MOVED 12182 127.0.0.1:7002\r\n");
  // A keyless command in between uses the flag up too.
  CHECK(f.Cmd("ASKING") == "+OK\r\n");
  CHECK(f.Cmd("PING") == "+PONG\r\n");
  CHECK(f.Cmd("GET foo") == "-MOVED 12182 127.0.0.1:7002\r\n");
  // Before MULTI it lasts until EXEC.
  CHECK(f.Cmd("ASKING") == "+OK\r\n");
  CHECK(f.Cmd("MULTI") == "+OK\r\n");
  CHECK(f.Cmd("SET foo 1") == "+QUEUED\r\n");
  CHECK(f.Cmd("EXEC") == "*1\r\n+OK\r\n");
  CHECK(f.Cmd("GET foo") == "-MOVED 12182 127.0.0.1:7002\r\n");
  // Several keys with one missing: TRYAGAIN.
  CHECK(f.Cmd("ASKING") == "+OK\r\n");
  CHECK(f.Cmd("WATCH foo {foo}missing") ==
        "-TRYAGAIN Multiple keys request during rehashing of slot\r\n");
}

TEST_CASE("a down cluster refuses keyed commands unless reads are allowed", "[cluster]") {
  ClusterFixture f;
  f.MySlots(0, 100);  // full coverage is required and missing: cluster_state fail
  f.Settle();
  REQUIRE(!f.st().ok());
  CHECK(f.Cmd("GET t29") == "-CLUSTERDOWN The cluster is down\r\n");
  CHECK(f.Cmd("GET t0") == "-CLUSTERDOWN Hash slot not served\r\n");
  CHECK(f.Cmd("PING") == "+PONG\r\n");
  f.context.allow_reads_when_down = true;
  CHECK(f.Cmd("GET t29") == "$-1\r\n");
  CHECK(f.Cmd("SET t29 1") ==
        "-CLUSTERDOWN The cluster is down and only accepts read commands\r\n");
  CHECK(f.Cmd("SPUBLISH t29 x") == ":0\r\n");
  f.context.allow_pubsubshard_when_down = false;
  CHECK(f.Cmd("SPUBLISH t29 x") == "-CLUSTERDOWN The cluster is down\r\n");
}

TEST_CASE("a READONLY replica serves reads of its master's slots and moves writes", "[cluster]") {
  ClusterFixture f;
  bus::ClusterNode& m = f.Peer(2, 0, 16383);
  f.bus.ReplicateTo(m);
  f.Settle();
  REQUIRE(f.st().ok());
  CHECK(f.Cmd("GET foo") == "-MOVED 12182 127.0.0.1:7002\r\n");
  CHECK(f.Cmd("READONLY") == "+OK\r\n");
  CHECK(f.Cmd("GET foo") == "$-1\r\n");
  CHECK(f.Cmd("SET foo x") == "-MOVED 12182 127.0.0.1:7002\r\n");
  // Shard pub/sub needs no READONLY on a replica of the owner.
  CHECK(f.Cmd("READWRITE") == "+OK\r\n");
  CHECK(f.Cmd("GET foo") == "-MOVED 12182 127.0.0.1:7002\r\n");
  CHECK(f.Cmd("SPUBLISH foo x") == ":0\r\n");
}

TEST_CASE("PUBLISH is broadcast on the bus and SPUBLISH only within the shard", "[cluster]") {
  TwoMasters f;
  f.peer.link = 11;  // "connected" outbound links
  bus::ClusterNode& replica = f.Peer(3, -1, -1, bus::node_flags::kSlave);
  f.st().SetReplicaOf(replica, f.me());
  replica.link = 12;
  CHECK(f.Cmd("PUBLISH ch hello") == ":0\r\n");
  CHECK(f.cluster_hooks.Count<bus::SendEffect>() == 2);
  f.cluster_hooks.effects_.clear();
  CHECK(f.Cmd("SPUBLISH bar hello") == ":0\r\n");
  REQUIRE(f.cluster_hooks.Count<bus::SendEffect>() == 1);
  CHECK(std::get<bus::SendEffect>(f.cluster_hooks.effects_[0]).link == 12);
}

}  // namespace
}  // namespace tessera::commands::testing
