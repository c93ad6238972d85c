// tessera-server: the command line, config loading, daemonizing and logging, like redis-server.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "server/config.h"
#include "server/node.h"
#include "server/node_options.h"
#include "tessera/core/hash.h"
#include "tessera/core/log.h"
#include "tessera/core/rng.h"
#include "tessera/core/status.h"

using namespace tessera;

namespace {

void Daemonize() {
  if (fork() != 0) _exit(0);  // the parent returns to the shell
  setsid();
  int fd = open("/dev/null", O_RDWR);
  if (fd >= 0) {
    dup2(fd, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO) close(fd);
  }
}

std::string ExecutablePath(const char* argv0) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string(argv0);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  switch (server::ClassifyCommandLine(args)) {
    case server::CommandLineAction::kVersion:
      std::printf("Redis server v=7.0.15 sha=00000000:0 malloc=libc bits=64 build=tessera\n");
      return 0;
    case server::CommandLineAction::kHelp:
      std::fputs(server::UsageText(argv[0]).c_str(), stderr);
      return 1;
    case server::CommandLineAction::kRun:
      break;
  }
  auto config = server::Config::Load(args, std::cin);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", core::Msg(config.status()).c_str());
    return 1;
  }
  const server::ServerOptions& o = config->options();
  if (!o.dir.empty() && chdir(o.dir.c_str()) != 0) {
    std::fprintf(stderr, "Can't chdir to '%s': %s\n", o.dir.c_str(), std::strerror(errno));
    return 1;
  }
  if (char cwd[PATH_MAX]; getcwd(cwd, sizeof(cwd)) != nullptr) (void)config->ForceSet("dir", cwd);
  // Redis logs to /dev/null when daemonized without a logfile.
  if (o.daemonize) Daemonize();
  core::SetHashSeed(core::Rng::SeedFromOs());
  core::LogOptions lo{server::LogLevelName(o.loglevel), o.logfile};
  if (o.daemonize && lo.file.empty()) lo.file = "/dev/null";
  if (!core::InitLogging(lo)) {
    std::fprintf(stderr, "Can't open the log file: %s\n", std::strerror(errno));
    return 1;
  }
  auto& log = core::Log(core::Module::kServer);
  core::SetLogRole(core::Role::kChild);
  log.warn("oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo");
  log.warn("Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid={}, just started",
           getpid());
  log.warn("Configuration loaded");
  log.info("Tessera: a Redis Cluster node speaking Redis 7.0.15's protocols");
  core::SetLogRole(core::Role::kMaster);
  commands::ServerIdentity id;
  id.pid = getpid();
  id.tcp_port = o.port;
  id.executable = ExecutablePath(argv[0]);
  id.config_file = config->config_file();
  core::SystemClock clock;
  id.started = clock.Now();
  id.started_unix_ms = clock.UnixMs();
  core::Rng rng(core::Rng::SeedFromOs());
  id.run_id = rng.Hex(40);
  server::Node node(std::move(*config), std::move(id));
  return node.Run();
}
