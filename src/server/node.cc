// Node: process-level behaviour (signals, shutdown, pidfile) around Server and Engine.
#include "server/node.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "tessera/core/log.h"
#include "tessera/core/status.h"
#include "tessera/core/rng.h"

namespace tessera::server {
namespace {
auto& Log() { return core::Log(core::Module::kServer); }
}  // namespace

Node::Node(NodeOptions opts)
    : opts_(std::move(opts)),
      engine_(opts_.engine, opts_.identity, this, clock_, core::Rng::SeedFromOs()),
      server_(io_, opts_.settings, engine_, clock_),
      signals_(io_, SIGTERM, SIGINT) {}

Node::~Node() = default;

int Node::Run() {
  std::signal(SIGPIPE, SIG_IGN);
  Log().info("Running mode={}, port={}.", opts_.engine.cluster_enabled ? "cluster" : "standalone",
             opts_.settings.port);
  Log().warn("Server initialized");
  if (absl::Status st = server_.Listen(); !st.ok()) {
    Log().warn("{}", core::Msg(st));
    return 1;
  }
  if (!opts_.pidfile.empty()) {
    if (FILE* f = std::fopen(opts_.pidfile.c_str(), "w")) {
      std::fprintf(f, "%d\n", static_cast<int>(getpid()));
      std::fclose(f);
    } else {
      Log().warn("Failed to write PID file: {}", std::strerror(errno));
    }
  }
  Log().info("Ready to accept connections");
  WaitForSignal();
  io_.run();
  if (!opts_.pidfile.empty()) unlink(opts_.pidfile.c_str());
  Log().warn("Redis is now ready to exit, bye bye...");
  return 0;
}

void Node::WaitForSignal() {
  signals_.async_wait([this](const error_code& ec, int sig) {
    if (ec) return;
    Log().warn("Received {} scheduling shutdown...", sig == SIGINT ? "SIGINT" : "SIGTERM");
    (void)Shutdown(commands::ShutdownMode::kDefault);
  });
}

absl::Status Node::Shutdown(commands::ShutdownMode mode) {
  (void)mode;  // TODO(#3): SAVE / save points once RDB persistence exists.
  if (shutting_down_) return absl::OkStatus();
  shutting_down_ = true;
  Log().warn("User requested shutdown...");
  asio::post(io_, [this] { FinishShutdown(); });
  return absl::OkStatus();
}

void Node::FinishShutdown() {
  server_.Stop();
  signals_.cancel();
  io_.stop();
}

std::vector<std::pair<std::string, std::string>> Node::ConfigGet(
    const std::vector<std::string>& patterns) {
  (void)patterns;
  return {};
}

absl::Status Node::ConfigSet(const std::vector<std::pair<std::string, std::string>>& kv) {
  (void)kv;
  return absl::InvalidArgumentError("ERR CONFIG SET is not available yet");
}

absl::Status Node::ConfigRewrite() {
  return absl::FailedPreconditionError("ERR The server is running without a config file");
}

}  // namespace tessera::server
