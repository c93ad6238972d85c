// An Engine with a ManualClock and fake server hooks, driven by commands as strings; replies are
// read back as raw RESP.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "tessera/commands/engine.h"
#include "tessera/core/clock.h"

namespace tessera::commands::testing {

class FakeHooks : public ServerHooks {
 public:
  std::vector<std::pair<std::string, std::string>> ConfigGet(
      const std::vector<std::string>&) override {
    return {};
  }
  absl::Status ConfigSet(const std::vector<std::pair<std::string, std::string>>&) override {
    return absl::OkStatus();
  }
  absl::Status ConfigRewrite() override { return absl::OkStatus(); }
  absl::Status Shutdown(ShutdownMode) override {
    shutdown_requested = true;
    return absl::OkStatus();
  }
  bool WritesDeniedByDiskError() override { return deny_writes; }
  void AfterFlushAll() override { ++flushall_calls; }
  bool shutdown_requested = false;
  bool deny_writes = false;  // MISCONF
  int flushall_calls = 0;
};

class EngineFixture {
 public:
  explicit EngineFixture(EngineOptions opts = {})
      : engine(opts, ServerIdentity{}, &hooks, clock, /*seed=*/42) {
    engine.SetTime(clock.Now(), clock.UnixUs());
    client = NewClient();
  }
  ~EngineFixture() {
    for (auto& c : clients_) engine.RemoveClient(c.get());
  }

  ClientState* NewClient() {
    auto c = std::make_unique<ClientState>();
    c->id = engine.NextClientId();
    c->addr = "127.0.0.1:" + std::to_string(40000 + c->id);
    c->authenticated = engine.options().requirepass.empty();
    engine.AddClient(c.get());
    clients_.push_back(std::move(c));
    return clients_.back().get();
  }

  // Runs one command given as separate arguments; returns the raw reply bytes.
  std::string Run(ClientState* c, std::vector<std::string> argv) {
    c->out.clear();
    engine.Execute(*c, argv);
    std::string out;
    out.swap(c->out);
    return out;
  }
  std::string Run(std::vector<std::string> argv) { return Run(client, std::move(argv)); }
  // Space-separated convenience form (no quoting): Cmd("SET foo bar").
  std::string Cmd(std::string_view line) {
    std::vector<std::string> argv = absl::StrSplit(std::string(line), ' ', absl::SkipEmpty());
    return Run(std::move(argv));
  }

  void Advance(std::chrono::milliseconds d) {
    clock.Advance(d);
    engine.SetTime(clock.Now(), clock.UnixUs());
  }

  core::ManualClock clock;
  FakeHooks hooks;
  Engine engine;
  ClientState* client;

 private:
  std::vector<std::unique_ptr<ClientState>> clients_;
};

// OBJECT ENCODING of a key in db 0 ("none" when absent), read without touching its access time.
inline std::string Encoding(EngineFixture& f, std::string_view key) {
  const keyspace::Object* o = f.engine.db(0).Peek(key, f.engine.now_ms());
  return o == nullptr ? "none" : std::string(o->EncodingName());
}

// prefix + i; appending avoids GCC 12's false -Wrestrict on "f" + std::to_string(i).
inline std::string Name(std::string_view prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

}  // namespace tessera::commands::testing
