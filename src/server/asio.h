// The one include of Boost.Asio (STYLE.md §1, §8): GCC 12 needs <utility> before awaitable.hpp.
#pragma once

#include <utility>

#include <boost/asio.hpp>

namespace tessera::server {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
}  // namespace tessera::server
