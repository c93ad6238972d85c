// What the network layer needs from the configuration, as plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::server {

struct OutputLimit {
  uint64_t hard_bytes = 0;  // 0: none
  uint64_t soft_bytes = 0;
  int soft_seconds = 0;
};

struct ServerSettings {
  int port = 6379;
  std::vector<std::string> bind = {"*", "-::*"};
  bool protected_mode = true;
  int timeout_s = 0;
  int tcp_keepalive_s = 300;
  int maxclients = 10000;
  uint64_t client_query_buffer_limit = 1024ULL * 1024 * 1024;
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  OutputLimit normal_limit{};
  OutputLimit replica_limit{256ULL << 20, 64ULL << 20, 60};
  OutputLimit pubsub_limit{32ULL << 20, 8ULL << 20, 60};
  int hz = 10;
};

}  // namespace tessera::server
