// Node's answers to the engine about the process and the machine (ServerHooks): the OS reads and
// the one deliberate stall that commands must not do themselves (STYLE.md, layering).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "server/node.h"

namespace tessera::server {

commands::ProcessMemory Node::ReadProcessMemory() {
  commands::ProcessMemory pm;
  const auto page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  pm.total_system_bytes = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * page;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return pm;
  unsigned long size = 0, resident = 0;
  if (std::fscanf(f, "%lu %lu", &size, &resident) == 2) pm.rss_bytes = resident * page;
  std::fclose(f);
  return pm;
}

void Node::Stall(double seconds) {
  if (!(seconds > 0)) return;
  std::this_thread::sleep_for(std::chrono::duration<double>(std::min(seconds, 3600.0)));
}

}  // namespace tessera::server
