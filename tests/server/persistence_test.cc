// Persistence without the event loop: SAVE writes dir/dbfilename, startup loading, a bad file
// refused with its path and offset and nothing loaded, MISCONF rules, save on shutdown.
#include "server/persistence.h"

#include <catch2/catch.hpp>

#include "server/config_test_util.h"

namespace tessera::server {
namespace {

using testing::Loaded;
using testing::TempDir;

class NoHooks : public commands::ServerHooks {
 public:
  std::vector<std::pair<std::string, std::string>> ConfigGet(
      const std::vector<std::string>&) override {
    return {};
  }
  absl::Status ConfigSet(const std::vector<std::pair<std::string, std::string>>&) override {
    return absl::OkStatus();
  }
  absl::Status ConfigRewrite() override { return absl::OkStatus(); }
  absl::Status Shutdown(commands::ShutdownMode) override { return absl::OkStatus(); }
};

// An engine and its persistence on a scratch dir, with a manual clock.
struct Node {
  explicit Node(const TempDir& dir, const std::string& extra = "save \"\"\n")
      : config(Loaded("dir " + dir.path.string() + "\n" + extra)),
        engine(commands::EngineOptions{}, commands::ServerIdentity{}, &hooks, clock, 1),
        persistence(config, engine, clock) {
    engine.SetTime(clock.Now(), clock.UnixUs());
  }
  void Set(const std::string& k, const std::string& v) {
    engine.db(0).Set(k, keyspace::Object(std::string(v)));
  }
  core::ManualClock clock;
  NoHooks hooks;
  Config config;
  commands::Engine engine;
  Persistence persistence;
};

TEST_CASE("SAVE writes dump.rdb and a restart loads it", "[persistence]") {
  TempDir dir;
  {
    Node n(dir);
    n.Set("a", "1");
    n.engine.db(5).Set("b", keyspace::Object(std::string("2")));
    n.engine.stats().dirty = 7;
    REQUIRE(n.persistence.Save().ok());
    CHECK(n.engine.stats().dirty == 0);
    CHECK(n.engine.lastsave_unix_s == n.clock.UnixMs() / 1000);
    CHECK(n.persistence.InfoSection().find("rdb_saves:1\r\n") != std::string::npos);
  }
  CHECK(dir.Read("dump.rdb").substr(0, 9) == "REDIS0010");
  Node n(dir);
  REQUIRE(n.persistence.LoadAtStartup().ok());
  CHECK(n.engine.db(0).Peek("a", n.clock.UnixMs())->str() == "1");
  CHECK(n.engine.db(5).Peek("b", n.clock.UnixMs())->str() == "2");
  CHECK(n.persistence.InfoSection().find("rdb_last_load_keys_loaded:2\r\n") != std::string::npos);
}

TEST_CASE("no dump.rdb is not an error at startup", "[persistence]") {
  TempDir dir;
  Node n(dir);
  CHECK(n.persistence.LoadAtStartup().ok());
  CHECK(n.engine.db(0).Size() == 0);
}

TEST_CASE("a corrupt dump.rdb names the file and offset and loads nothing", "[persistence]") {
  TempDir dir;
  {
    Node n(dir);
    for (int i = 0; i < 100; ++i) n.Set(std::string("key:").append(std::to_string(i)), "v");
    REQUIRE(n.persistence.Save().ok());
  }
  std::string rdb = dir.Read("dump.rdb");
  dir.Write("dump.rdb", rdb.substr(0, rdb.size() - 30));
  Node n(dir);
  n.Set("existing", "x");
  absl::Status st = n.persistence.LoadAtStartup();
  REQUIRE_FALSE(st.ok());
  CHECK_THAT(std::string(st.message()),
             Catch::Contains((dir.path / "dump.rdb").string()) && Catch::Contains("at offset"));
  CHECK(n.engine.db(0).Size() == 1);  // untouched
}

TEST_CASE("MISCONF needs a failed bgsave, save points and stop-writes-on-bgsave-error",
          "[persistence]") {
  TempDir dir;
  Node n(dir, "save 3600 1\n");
  CHECK_FALSE(n.persistence.WritesDenied());
  CHECK(n.persistence.InfoSection().find("rdb_last_bgsave_status:ok\r\n") != std::string::npos);
}

TEST_CASE("shutdown saves with save points unless NOSAVE", "[persistence]") {
  TempDir dir;
  {
    Node n(dir, "save 3600 1\n");
    n.Set("k", "v");
    REQUIRE(n.persistence.PrepareShutdown(commands::ShutdownMode::kNoSave).ok());
    CHECK(dir.Read("dump.rdb").empty());
    REQUIRE(n.persistence.PrepareShutdown(commands::ShutdownMode::kDefault).ok());
    CHECK_FALSE(dir.Read("dump.rdb").empty());
  }
  TempDir other;
  Node n(other);
  REQUIRE(n.persistence.PrepareShutdown(commands::ShutdownMode::kDefault).ok());
  CHECK(other.Read("dump.rdb").empty());
  REQUIRE(n.persistence.PrepareShutdown(commands::ShutdownMode::kSave).ok());
  CHECK_FALSE(other.Read("dump.rdb").empty());
}

TEST_CASE("a save that cannot write reports ERR and keeps the dirty count", "[persistence]") {
  TempDir dir;
  Node n(dir);
  std::filesystem::create_directory(dir.path / "dump.rdb");  // rename() over a directory fails
  n.Set("k", "v");
  n.engine.stats().dirty = 3;
  absl::Status st = n.persistence.Save();
  CHECK(st.message() == "ERR");
  CHECK(n.engine.stats().dirty == 3);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path),
                      std::filesystem::directory_iterator()) == 1);  // no temp file left
  CHECK(n.persistence.PrepareShutdown(commands::ShutdownMode::kSave).message() ==
        "ERR Errors trying to SHUTDOWN. Check logs.");
}

}  // namespace
}  // namespace tessera::server
