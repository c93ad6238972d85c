// tessera-server: command line like redis-server's.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "server/node.h"
#include "tessera/core/hash.h"
#include "tessera/core/log.h"
#include "tessera/core/rng.h"

using namespace tessera;

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  server::NodeOptions opts;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--port" && i + 1 < args.size()) opts.settings.port = std::stoi(args[++i]);
  }
  core::SetHashSeed(core::Rng::SeedFromOs());
  core::InitLogging({});
  auto& log = core::Log(core::Module::kServer);
  core::SetLogRole(core::Role::kChild);
  log.warn("oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo");
  log.warn("Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid={}, just started",
           getpid());
  log.warn("Configuration loaded");
  core::SetLogRole(core::Role::kMaster);
  opts.identity.pid = getpid();
  opts.identity.tcp_port = opts.settings.port;
  server::Node node(std::move(opts));
  return node.Run();
}
