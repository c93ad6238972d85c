// CONFIG SET / CONFIG GET / CONFIG REWRITE tests and the ServerOptions snapshot. Expected
// texts and files come from a live redis-server 7.0.15 (docs/configuration.md).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "server/config.h"
#include "server/config_internal.h"
#include "server/config_test_util.h"

using tessera::server::Access;
using tessera::server::ClassifyCommandLine;
using tessera::server::CommandLineAction;
using tessera::server::Config;
using tessera::server::MaxmemoryPolicy;
using tessera::server::Support;
using namespace tessera::server::testing;
namespace cfg = tessera::server::config;
namespace fs = std::filesystem;

TEST_CASE("CONFIG SET errors match Redis", "[config]") {
  Config c;
  CHECK(Msg(c.Set("daemonize", "yes")) ==
        "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
        "immutable config");
  CHECK(Msg(c.Set("DAEMONIZE", "yes")) ==
        "ERR CONFIG SET failed (possibly related to argument 'DAEMONIZE') - can't set "
        "immutable config");
  CHECK(Msg(c.Set("FOO", "bar")) ==
        "ERR Unknown option or number of arguments for CONFIG SET - 'FOO'");
  CHECK(Msg(c.Set("list-max-ziplist-entries", "1")) ==
        "ERR Unknown option or number of arguments for CONFIG SET - 'list-max-ziplist-entries'");
  CHECK(Msg(c.Set("MAXMEMORY", "abc")) ==
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a "
        "memory value");
  CHECK(Msg(c.Set("slave-read-only", "maybe")) ==
        "ERR CONFIG SET failed (possibly related to argument 'slave-read-only') - argument must "
        "be 'yes' or 'no'");
  CHECK(Msg(c.Set("timeout", "-1")) ==
        "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be "
        "between 0 and 2147483647 inclusive");
  CHECK(Msg(c.Set("dir", "/tmp")) ==
        "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
  CHECK(Msg(c.Set("replicaof", "1.2.3.4 5")) ==
        "ERR CONFIG SET failed (possibly related to argument 'replicaof') - can't set immutable "
        "config");
  CHECK(Msg(c.Set("tls-port", "6380")) ==
        "ERR CONFIG SET failed (possibly related to argument 'tls-port') - Tessera does not "
        "support 'tls-port 6380' yet (only the default is accepted)");
  CHECK(Msg(c.Set("oom-score-adj-values", "1 2")) ==
        "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - wrong "
        "number of arguments");
  CHECK(Msg(c.SetMany({{"maxmemory", "10mb"}, {"maxmemory", "20mb"}})) ==
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter");
  CHECK(c.Set("tls-port", "0").ok());
}

TEST_CASE("CONFIG SET of several values is all or nothing", "[config]") {
  Config c;
  std::vector<std::string> changed;
  c.OnChange([&](std::string_view name) { changed.emplace_back(name); });
  CHECK_FALSE(c.SetMany({{"maxmemory", "10mb"}, {"hz", "x"}}).ok());
  CHECK_FALSE(c.SetMany({{"maxmemory", "10mb"}, {"daemonize", "yes"}}).ok());
  CHECK(c.Get("maxmemory") == "0");
  CHECK(changed.empty());
  REQUIRE(c.SetMany({{"maxmemory", "10mb"}, {"slave-read-only", "no"}}).ok());
  CHECK(c.Get("maxmemory") == "10485760");
  CHECK(c.options().maxmemory_bytes == 10u << 20);
  CHECK_FALSE(c.options().replica_read_only);
  CHECK(changed == std::vector<std::string>{"maxmemory", "replica-read-only"});
  REQUIRE(c.Set("client-output-buffer-limit", "normal 1mb 2mb 3").ok());
  CHECK(c.Get("client-output-buffer-limit") ==
        "normal 1048576 2097152 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  REQUIRE(c.Set("loglevel", "WARNING").ok());
  CHECK(c.Get("loglevel") == "warning");
  REQUIRE(c.Set("bind", "127.0.0.1 ::1").ok());
  CHECK(c.options().bind == std::vector<std::string>{"127.0.0.1", "::1"});
}

TEST_CASE("protected configs follow enable-protected-configs", "[config]") {
  TempDir dir;
  Config yes = Loaded("enable-protected-configs yes\n");
  CHECK(yes.Set("dir", dir.path.string()).ok());
  Config local = Loaded("enable-protected-configs local\n");
  CHECK_FALSE(local.Set("dbfilename", "x.rdb").ok());
  CHECK(local.SetMany({{"dbfilename", "x.rdb"}}, true).ok());
  CHECK(local.options().dbfilename == "x.rdb");
  Config none;
  CHECK(none.ForceSet("dir", dir.path.string()).ok());
  CHECK(none.ForceSet("replicaof", "10.1.1.1 7000").ok());
  CHECK(none.options().replicaof->port == 7000);
  CHECK(none.ForceSet("replicaof", "no one").ok());
  CHECK_FALSE(none.options().replicaof.has_value());
}

TEST_CASE("CONFIG GET matches globs over names and aliases", "[config]") {
  Config c;
  auto names = [](const std::vector<std::pair<std::string, std::string>>& v) {
    std::vector<std::string> n;
    for (const auto& p : v) n.push_back(p.first);
    std::sort(n.begin(), n.end());
    return n;
  };
  CHECK(c.Matching({"*"}).size() == 192);
  CHECK(names(c.Matching({"slave-read-o*"})) == std::vector<std::string>{"slave-read-only"});
  CHECK(names(c.Matching({"*read-only"})) ==
        std::vector<std::string>{"replica-read-only", "slave-read-only"});
  CHECK(names(c.Matching({"MAX*"})).size() == 6);
  // A plain name is echoed as written, duplicates collapse, unknown names give nothing.
  auto r = c.Matching({"MAXMEMORY", "maxmemory", "hz", "nonexistent"});
  REQUIRE(r.size() == 2);
  CHECK(r[0] == std::pair<std::string, std::string>{"MAXMEMORY", "0"});
  CHECK(r[1] == std::pair<std::string, std::string>{"hz", "10"});
  CHECK(names(c.Matching({"cluster-[a-e]*"})) ==
        std::vector<std::string>{
            "cluster-allow-pubsubshard-when-down", "cluster-allow-reads-when-down",
            "cluster-allow-replica-migration", "cluster-announce-bus-port",
            "cluster-announce-hostname", "cluster-announce-ip", "cluster-announce-port",
            "cluster-announce-tls-port", "cluster-config-file", "cluster-enabled"});
}

TEST_CASE("CONFIG REWRITE keeps the file and updates it like Redis", "[config]") {
  TempDir dir;
  const std::string original =
      "# Top comment\n"
      "port 6393\n"
      "  # indented comment\n"
      "\n"
      "slaveof 127.0.0.1 9999\n"
      "SAVE 900 1\n"
      "save 300 10\n"
      "hash-max-ziplist-entries 100\n"
      "maxmemory 1gb\n"
      "# maxmemory-policy noeviction\n"
      "maxmemory-policy noeviction\n"
      "hz 10\n"
      "client-output-buffer-limit pubsub 1mb 2mb 3\n"
      "hz 12\n";
  std::string path = dir.Write("rw.conf", original);
  absl::StatusOr<Config> loaded = LoadArgs({path});
  REQUIRE(loaded.ok());
  Config c = *loaded;
  REQUIRE(c.ForceSet("dir", "/tmp").ok());
  REQUIRE(c.SetMany({{"maxmemory", "2gb"},
                     {"timeout", "30"},
                     {"hash-max-listpack-entries", "200"},
                     {"replica-read-only", "no"},
                     {"notify-keyspace-events", "Ex"},
                     {"client-output-buffer-limit", "normal 1 2 3"}})
              .ok());
  REQUIRE(c.Rewrite(path).ok());
  // As redis-server 7.0.15 wrote it, except for lines of features Tessera lacks (ACL user,
  // latency percentiles format) and the order of the appended lines (table order here).
  CHECK(dir.Read("rw.conf") ==
        "# Top comment\n"
        "port 6393\n"
        "# indented comment\n"
        "\n"
        "replicaof 127.0.0.1 9999\n"
        "save 900 1\n"
        "save 300 10\n"
        "hash-max-listpack-entries 200\n"
        "maxmemory 2gb\n"
        "# maxmemory-policy noeviction\n"
        "maxmemory-policy noeviction\n"
        "hz 12\n"
        "client-output-buffer-limit normal 1 2 3\n"
        "\n"
        "# Generated by CONFIG REWRITE\n"
        "client-output-buffer-limit pubsub 1mb 2mb 3\n"
        "dir \"/tmp\"\n"
        "notify-keyspace-events \"xE\"\n"
        "replica-read-only no\n"
        "timeout 30\n");

  // Second round: directives in the file are rewritten even at their default, extra lines of a
  // rewritten directive are blanked, and runs of blank lines collapse.
  REQUIRE(c.SetMany({{"save", ""},
                     {"maxmemory", "0"},
                     {"hz", "10"},
                     {"client-output-buffer-limit", "pubsub 32mb 8mb 60 normal 0 0 0"}})
              .ok());
  REQUIRE(c.Rewrite(path).ok());
  CHECK(dir.Read("rw.conf") ==
        "# Top comment\n"
        "port 6393\n"
        "# indented comment\n"
        "\n"
        "replicaof 127.0.0.1 9999\n"
        "save \"\"\n"
        "\n"
        "hash-max-listpack-entries 200\n"
        "maxmemory 0\n"
        "# maxmemory-policy noeviction\n"
        "maxmemory-policy noeviction\n"
        "hz 10\n"
        "client-output-buffer-limit normal 0 0 0\n"
        "\n"
        "# Generated by CONFIG REWRITE\n"
        "client-output-buffer-limit replica 256mb 64mb 60\n"
        "dir \"/tmp\"\n"
        "notify-keyspace-events \"xE\"\n"
        "replica-read-only no\n"
        "timeout 30\n");
  // The rewritten file loads back to the same values.
  absl::StatusOr<Config> again = LoadArgs({path});
  REQUIRE(again.ok());
  for (const std::string& name : Config::AllNames()) {
    INFO(name);
    CHECK(again->Get(name) == c.Get(name));
  }
}

TEST_CASE("CONFIG REWRITE quotes strings, writes sizes in units and drops a cleared replicaof",
          "[config]") {
  TempDir dir;
  std::string path = dir.Write("rw2.conf",
                               "# c1\n\n\n\nport 6393\n\n\nhz 10\nreplicaof h 1\n"
                               "rename-command FLUSHALL \"\"\nport \"unbalanced\n");
  Config c;
  REQUIRE(c.SetMany({{"requirepass", "a b\"c"},
                     {"maxmemory", "1536mb"},
                     {"hash-max-listpack-value", "2048"},
                     {"oom-score-adj-values", "1 2 3"},
                     {"maxmemory-policy", "allkeys-lru"},
                     {"port", "6393"}})
              .ok());
  REQUIRE(c.Rewrite(path).ok());
  CHECK(dir.Read("rw2.conf") ==
        "# c1\n"
        "\n"
        "port 6393\n"
        "\n"
        "hz 10\n"
        "\n"
        "rename-command FLUSHALL \"\"\n"
        "# ??? port \"unbalanced\n"
        "\n"
        "# Generated by CONFIG REWRITE\n"
        "dir \"./\"\n"
        "hash-max-listpack-value 2kb\n"
        "maxmemory 1536mb\n"
        "maxmemory-policy allkeys-lru\n"
        "oom-score-adj-values 1 2 3\n"
        "requirepass \"a b\\\"c\"\n"
        "save 3600 1\n"
        "save 300 100\n"
        "save 60 10000\n");
  // A missing file is created.
  REQUIRE(c.Rewrite((dir.path / "new.conf").string()).ok());
  CHECK_THAT(dir.Read("new.conf"), Catch::StartsWith("\n# Generated by CONFIG REWRITE\n"));
  CHECK_FALSE(c.Rewrite("/nonexistent/dir/x.conf").ok());
}

TEST_CASE("the options snapshot carries the implemented values", "[config]") {
  Config c = Loaded(
      "bind 127.0.0.1 -::1\nenable-debug-command local\ncluster-enabled yes\n"
      "cluster-node-timeout 5000\ncluster-announce-hostname node-1.example\n"
      "cluster-preferred-endpoint-type hostname\nslowlog-log-slower-than -1\n"
      "latency-tracking-info-percentiles 50 99.99\n");
  const auto& o = c.options();
  CHECK(o.bind == std::vector<std::string>{"127.0.0.1", "-::1"});
  CHECK(o.enable_debug_command == Access::kLocal);
  CHECK(o.cluster_enabled);
  CHECK(o.cluster_node_timeout_ms == 5000);
  CHECK(o.cluster_announce_hostname == "node-1.example");
  CHECK(o.cluster_preferred_endpoint_type == tessera::server::EndpointType::kHostname);
  CHECK(o.slowlog_log_slower_than_us == -1);
  CHECK(o.latency_tracking_info_percentiles == std::vector<double>{50.0, 99.99});
  CHECK(c.Get("latency-tracking-info-percentiles") == "50 99.99");
  Config d;
  CHECK(d.options().save ==
        std::vector<tessera::server::SavePoint>{{3600, 1}, {300, 100}, {60, 10000}});
  CHECK(d.options().output_limit_replica.hard_bytes == 256u << 20);
  CHECK(d.options().bind == std::vector<std::string>{"*", "-::*"});
}
