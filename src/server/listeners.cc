// OpenListeners: one acceptor per bind address, IPv6 sockets v6-only like Redis.
#include "server/listeners.h"

#include "fmt/format.h"

namespace tessera::server {

absl::Status OpenListeners(asio::io_context& io, const std::vector<std::string>& bind, int port,
                           std::vector<std::unique_ptr<tcp::acceptor>>* out) {
  for (std::string addr : bind) {
    const bool optional = !addr.empty() && addr[0] == '-';
    if (optional) addr = addr.substr(1);
    if (addr == "*") addr = "0.0.0.0";
    if (addr == "::*") addr = "::";
    error_code ec;
    auto ip = asio::ip::make_address(addr, ec);
    if (ec) return absl::InvalidArgumentError(fmt::format("Invalid bind address '{}'", addr));
    auto acc = std::make_unique<tcp::acceptor>(io);
    tcp::endpoint ep(ip, static_cast<uint16_t>(port));
    acc->open(ep.protocol(), ec);
    if (!ec && ip.is_v6()) acc->set_option(asio::ip::v6_only(true), ec);
    if (!ec) acc->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acc->bind(ep, ec);
    if (!ec) acc->listen(511, ec);
    if (ec) {
      if (optional && (ec == asio::error::address_family_not_supported ||
                       ec == boost::system::errc::address_not_available)) {
        continue;
      }
      return absl::UnavailableError(fmt::format(
          "Could not create server TCP listening socket {}:{}: {}", addr, port, ec.message()));
    }
    out->push_back(std::move(acc));
  }
  return absl::OkStatus();
}

}  // namespace tessera::server
