// INFO: section selection, order and field names as redis-server 7.0.15 prints them.
#include <catch2/catch.hpp>
#include <vector>

#include "commands/fixture.h"
#include "commands/info_sections.h"
#include "commands/server_family.h"

using tessera::commands::EngineOptions;
using tessera::commands::GenerateInfo;
using tessera::commands::testing::EngineFixture;

namespace {

// The "# Title" lines of an INFO text, in order.
std::vector<std::string> Titles(const std::string& info) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = info.find("# ", pos)) != std::string::npos) {
    size_t end = info.find("\r\n", pos);
    out.push_back(info.substr(pos + 2, end - pos - 2));
    pos = end;
  }
  return out;
}

// The value of "field:" in an INFO text, or "<missing>".
std::string Field(const std::string& info, const std::string& name) {
  size_t pos = info.find("\r\n" + name + ":");
  if (pos == std::string::npos) return "<missing>";
  pos += name.size() + 3;
  return info.substr(pos, info.find("\r\n", pos) - pos);
}

}  // namespace

TEST_CASE("INFO without arguments prints Redis's default sections in order", "[commands]") {
  EngineFixture f;
  std::string info = GenerateInfo(f.engine, {});
  CHECK(Titles(info) == std::vector<std::string>{"Server", "Clients", "Memory", "Persistence",
                                                 "Stats", "Replication", "CPU", "Modules",
                                                 "Errorstats", "Cluster", "Keyspace"});
  CHECK(info.rfind("# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n", 0) == 0);
  CHECK(info.find("\r\n\r\n# Clients\r\nconnected_clients:1\r\n") != std::string::npos);
  CHECK(Field(info, "redis_mode") == "standalone");
  CHECK(Field(info, "role") == "master");
  CHECK(Field(info, "cluster_enabled") == "0");
  CHECK(Field(info, "maxmemory_policy") == "noeviction");
  CHECK(Field(info, "aof_enabled") == "0");
  CHECK(Field(info, "master_replid2") == std::string(40, '0'));
}

TEST_CASE("INFO all adds commandstats and latencystats; unknown sections are empty", "[commands]") {
  EngineFixture f;
  std::vector<std::string> titles = Titles(GenerateInfo(f.engine, {"all"}));
  CHECK(titles.size() == 13);
  CHECK(titles[8] == "Commandstats");
  CHECK(titles[10] == "Latencystats");
  CHECK(GenerateInfo(f.engine, {"everything"}).size() > 0);
  CHECK(GenerateInfo(f.engine, {"nosuch"}).empty());
  CHECK(GenerateInfo(f.engine, {"CLUSTER", "cpu"}).rfind("# CPU\r\n", 0) == 0);
  CHECK(GenerateInfo(f.engine, {"keyspace", "cluster"}) ==
        "# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n");
  CHECK(Titles(GenerateInfo(f.engine, {"default", "commandstats"})).size() == 12);
}

TEST_CASE("INFO is a bulk string in RESP2 and verbatim in RESP3", "[commands]") {
  EngineFixture f;
  CHECK(f.Cmd("INFO cluster") == "$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n");
  f.Cmd("HELLO 3");
  CHECK(f.Cmd("INFO cluster") == "=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n");
  CHECK(f.Cmd("INFO nosuch") == "=4\r\ntxt:\r\n");
}

TEST_CASE("INFO keyspace, commandstats and errorstats follow what ran", "[commands]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  f.Cmd("SET b 2");
  f.engine.db(0).SetExpire("b", f.engine.now_ms() + 100000);
  f.Cmd("GET a");
  f.Cmd("GET");
  f.Cmd("NOSUCH");
  f.Cmd("SWAPDB x 1");
  CHECK(GenerateInfo(f.engine, {"keyspace"}) == "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n");
  std::string cs = GenerateInfo(f.engine, {"commandstats"});
  CHECK(cs.find("cmdstat_set:calls=2,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0"
                "\r\n") != std::string::npos);
  CHECK(cs.find("cmdstat_get:calls=1,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0"
                "\r\n") != std::string::npos);
  CHECK(cs.find("cmdstat_swapdb:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,"
                "failed_calls=1\r\n") != std::string::npos);
  CHECK(GenerateInfo(f.engine, {"errorstats"}) == "# Errorstats\r\nerrorstat_ERR:count=3\r\n");
  CHECK(Field(GenerateInfo(f.engine, {"stats"}), "total_error_replies") == "3");
}

TEST_CASE("INFO stats counts keyspace hits and misses of LookupRead", "[commands]") {
  EngineFixture f;
  f.Cmd("SET a 1");
  std::vector<std::string> argv{"GET", "a"};
  tessera::commands::Call call(f.engine, *f.client, argv, nullptr);
  CHECK(call.LookupRead("a") != nullptr);
  CHECK(call.LookupRead("b") == nullptr);
  std::string stats = GenerateInfo(f.engine, {"stats"});
  CHECK(Field(stats, "keyspace_hits") == "1");
  CHECK(Field(stats, "keyspace_misses") == "1");
}

TEST_CASE("instantaneous_ops_per_sec averages the rates sampled by cron", "[commands]") {
  EngineFixture f;
  f.engine.Cron();
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 10; ++j) f.Cmd("PING");
    f.Advance(std::chrono::milliseconds(100));
    f.engine.Cron();
  }
  CHECK(Field(GenerateInfo(f.engine, {"stats"}), "instantaneous_ops_per_sec") == "100");
}

TEST_CASE("server-owned sections come from the hooks when they answer", "[commands]") {
  struct Hooks : tessera::commands::testing::FakeHooks {
    std::string InfoSection(std::string_view s) override {
      return s == "replication" ? "role:slave\r\n" : "";
    }
  };
  tessera::core::ManualClock clock;
  Hooks hooks;
  tessera::commands::Engine e({}, {}, &hooks, clock, 1);
  CHECK(GenerateInfo(e, {"replication"}) == "# Replication\r\nrole:slave\r\n");
  CHECK(GenerateInfo(e, {"persistence"}).find("rdb_last_bgsave_status:ok\r\n") !=
        std::string::npos);
}

TEST_CASE("INFO memory reports maxmemory and its human form", "[commands]") {
  EngineOptions o;
  o.maxmemory = 1048576;
  EngineFixture f(o);
  std::string mem = GenerateInfo(f.engine, {"memory"});
  CHECK(Field(mem, "maxmemory") == "1048576");
  CHECK(Field(mem, "maxmemory_human") == "1.00M");
  CHECK(tessera::commands::BytesToHuman(1023) == "1023B");
  CHECK(tessera::commands::BytesToHuman(1000000000000ULL) == "931.32G");
}
