// Node: process-level behaviour (signals, shutdown, pidfile, live config) around Server and
// Engine.
#include "server/node.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>

#include "server/node_options.h"
#include "tessera/core/log.h"
#include "tessera/core/rng.h"
#include "tessera/core/status.h"

namespace tessera::server {
namespace {

// A bus message that wakes the node runs a cron tick that is due within this window, so the
// tick's timer does not wake the node again a few ms later (idle cluster CPU, docs/benchmarks.md).
constexpr std::chrono::milliseconds kCronPiggyback{50};

auto& Log() { return core::Log(core::Module::kServer); }

commands::EngineOptions EngineOptionsFrom(const ServerOptions& o) {
  commands::EngineOptions e;
  ApplyEngineOptions(o, &e);
  return e;
}
}  // namespace

Node::Node(Config config, commands::ServerIdentity identity)
    : config_(std::move(config)),
      engine_(EngineOptionsFrom(config_.options()), std::move(identity), this, clock_,
              core::Rng::SeedFromOs()),
      server_(io_, ToServerSettings(config_.options()), engine_, clock_),
      persistence_(config_, engine_, clock_),
      signals_(io_, SIGTERM, SIGINT) {
  config_.OnChange([this](std::string_view) { ApplyConfig(); });
  engine_.lastsave_unix_s = engine_.identity().started_unix_ms / 1000;
  server_.on_cron = [this] {
    persistence_.Cron();
    if (cluster_) cluster_->Cron();
  };
}

Node::~Node() = default;

void Node::ApplyConfig() {
  const ServerOptions& o = config_.options();
  ApplyEngineOptions(o, &engine_.options());
  ServerSettings s = ToServerSettings(o);
  s.port = server_.settings().port;  // the listener keeps its port until restart
  server_.settings() = s;
  if (cluster_) cluster_->ApplyOptions(o);
  spdlog::level::level_enum lvl;
  if (core::ParseLogLevel(LogLevelName(o.loglevel), &lvl)) core::SetLogLevel(lvl);
}

int Node::Run() {
  std::signal(SIGPIPE, SIG_IGN);
  const ServerOptions& o = config_.options();
  Log().info("Running mode={}, port={}.", o.cluster_enabled ? "cluster" : "standalone", o.port);
  if (o.cluster_enabled) {
    cluster_ = std::make_unique<BusService>(io_, clock_, engine_, [this] { server_.FlushPending(); });
    if (absl::Status st = cluster_->Init(o); !st.ok()) {
      Log().warn("{}", core::Msg(st));
      return 1;
    }
    engine_.set_cluster(&cluster_->context());
    cluster_->on_woken = [this] { server_.CronIfDueWithin(kCronPiggyback); };
  }
  Log().warn("Server initialized");
  if (absl::Status st = persistence_.LoadAtStartup(); !st.ok()) {
    Log().warn("{}", core::Msg(st));
    Log().warn("Terminating server after rdb file reading failure.");
    return 1;
  }
  if (absl::Status st = server_.Listen(); !st.ok()) {
    Log().warn("{}", core::Msg(st));
    return 1;
  }
  if (cluster_) {
    if (absl::Status st = cluster_->Listen(o); !st.ok()) {
      Log().warn("{}", core::Msg(st));
      return 1;
    }
  }
  if (!o.pidfile.empty()) {
    if (FILE* f = std::fopen(o.pidfile.c_str(), "w")) {
      std::fprintf(f, "%d\n", static_cast<int>(getpid()));
      std::fclose(f);
    } else {
      Log().warn("Failed to write PID file: {}", std::strerror(errno));
    }
  }
  Log().info("Ready to accept connections");
  WaitForSignal();
  io_.run();
  if (!o.pidfile.empty()) unlink(o.pidfile.c_str());
  Log().warn("Redis is now ready to exit, bye bye...");
  return 0;
}

void Node::WaitForSignal() {
  signals_.async_wait([this](const error_code& ec, int sig) {
    if (ec) return;
    const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
    Log().warn("Received {} scheduling shutdown...", name);
    if (!Shutdown(commands::ShutdownMode::kDefault).ok()) {
      Log().warn("{} received but errors trying to shut down the server, check the logs for more "
                 "information", name);
      WaitForSignal();
    }
  });
}

absl::Status Node::Shutdown(commands::ShutdownMode mode) {
  if (shutting_down_) return absl::OkStatus();
  Log().warn("User requested shutdown...");
  TS_RETURN_IF_ERROR(persistence_.PrepareShutdown(mode));
  shutting_down_ = true;
  asio::post(io_, [this] { FinishShutdown(); });
  return absl::OkStatus();
}

void Node::FinishShutdown() {
  if (cluster_) cluster_->Stop();
  server_.Stop();
  signals_.cancel();
  io_.stop();
}

std::string Node::InfoSection(std::string_view section) {
  return section == "persistence" ? persistence_.InfoSection() : std::string();
}

std::vector<std::pair<std::string, std::string>> Node::ConfigGet(
    const std::vector<std::string>& patterns) {
  return config_.Matching(patterns);
}

absl::Status Node::ConfigSet(const std::vector<std::pair<std::string, std::string>>& kv) {
  return config_.SetMany(kv, /*local_client=*/true);
}

absl::Status Node::ConfigRewrite() {
  if (config_.config_file().empty()) {
    return absl::FailedPreconditionError("ERR The server is running without a config file");
  }
  absl::Status st = config_.Rewrite(config_.config_file());
  if (!st.ok()) {
    return absl::InternalError("ERR Rewriting config file: " + core::Msg(st));
  }
  Log().info("CONFIG REWRITE executed with success.");
  return absl::OkStatus();
}

}  // namespace tessera::server
