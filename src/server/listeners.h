// Opening TCP listeners on redis.conf `bind` addresses (client port and cluster bus port).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "server/asio.h"

namespace tessera::server {

// Binds and listens on every address of `bind` ("*" is 0.0.0.0, "::*" is ::, a leading "-"
// makes an address optional: skipped when its family or address is not available here).
// Fails with Redis's message naming the address when a required one cannot be bound.
absl::Status OpenListeners(asio::io_context& io, const std::vector<std::string>& bind, int port,
                           std::vector<std::unique_ptr<tcp::acceptor>>* out);

}  // namespace tessera::server
