// nodes.conf on disk: the flock survives atomic saves, loading, and corrupt-file errors
// (cluster-bus.md §8.2-§8.5).
#include "server/bus_config_file.h"

#include <catch2/catch.hpp>

#include "server/config_test_util.h"
#include "tessera/bus/message.h"

namespace tessera::server::testing {
namespace {

bus::NodesConf OneNode() {
  bus::NodesConf conf;
  bus::NodeLine l;
  l.id = bus::NodeId::ForTest(1);
  l.ip = "127.0.0.1";
  l.port = 7000;
  l.cport = 17000;
  l.flags = bus::node_flags::kMyself | bus::node_flags::kMaster;
  l.config_epoch = 3;
  l.connected = true;
  l.slots = {{0, 16383}};
  conf.nodes.push_back(l);
  conf.current_epoch = 3;
  return conf;
}

TEST_CASE("a second holder of nodes.conf is refused, also after saves renamed new files in",
          "[bus][server]") {
  TempDir dir;
  const std::string path = (dir.path / "nodes.conf").string();
  NodesConfFile first(path);
  REQUIRE(first.Lock().ok());
  {
    NodesConfFile second(path);
    absl::Status st = second.Lock();
    CHECK(st.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Msg(st) == "Sorry, the cluster configuration file " + path +
                         " is already used by a different Redis Cluster node. Please make sure "
                         "that different nodes use different cluster configuration files.");
  }
  REQUIRE(first.Save(OneNode(), true).ok());
  REQUIRE(first.Save(OneNode(), false).ok());
  NodesConfFile third(path);
  CHECK_FALSE(third.Lock().ok());
  CHECK_FALSE(fs::exists(path + ".tmp-" + std::to_string(getpid())));
}

TEST_CASE("nodes.conf loads what was saved; missing or empty means a fresh node", "[bus][server]") {
  TempDir dir;
  const std::string path = (dir.path / "nodes.conf").string();
  NodesConfFile f(path);
  auto missing = f.Load();
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  REQUIRE(f.Lock().ok());  // creates an empty file
  auto empty = f.Load();
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->has_value());
  REQUIRE(f.Save(OneNode(), true).ok());
  auto loaded = f.Load();
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->nodes == OneNode().nodes);
  CHECK((*loaded)->current_epoch == 3);
}

TEST_CASE("a corrupt nodes.conf is an error naming the file and the line", "[bus][server]") {
  TempDir dir;
  const std::string path = (dir.path / "nodes.conf").string();
  std::ofstream(path) << bus::FormatNodesConf(OneNode()) << "garbage line\n";
  NodesConfFile f(path);
  auto r = f.Load();
  REQUIRE_FALSE(r.ok());
  CHECK(Msg(r.status()).find("corrupted cluster config file \"" + path + "\": line 3") !=
        std::string::npos);
}

}  // namespace
}  // namespace tessera::server::testing
