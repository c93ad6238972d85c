// BusLink: connect, frame, read and write one cluster bus connection (cluster-bus.md §1.4, §2.2).
#include "server/bus_link.h"

#include <cstring>

#include "fmt/format.h"
#include "tessera/bus/codec.h"
#include "tessera/core/log.h"

namespace tessera::server {
namespace {

constexpr size_t kReadChunk = 16 * 1024;

auto& Log() { return core::Log(core::Module::kBus); }

}  // namespace

BusLink::BusLink(bus::LinkId id, tcp::socket socket, Events& events)
    : id_(id), socket_(std::move(socket)), events_(events), connected_(true) {
  error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
  auto ep = socket_.remote_endpoint(ec);
  if (!ec) peer_ = fmt::format("{}:{}", ep.address().to_string(), ep.port());
}

BusLink::BusLink(bus::LinkId id, asio::io_context& io, Events& events)
    : id_(id), socket_(io), events_(events) {}

void BusLink::Connect(const std::string& ip, uint16_t port) {
  peer_ = fmt::format("{}:{}", ip, port);
  error_code ec;
  auto addr = asio::ip::make_address(ip, ec);
  auto self = shared_from_this();
  if (ec) {
    // Reported later: ClusterBus wants connect results as separate events.
    asio::post(socket_.get_executor(), [this, self] { Fail(); });
    return;
  }
  socket_.async_connect(tcp::endpoint(addr, port), [this, self](const error_code& ec) {
    if (closed_) return;
    if (ec) {
      Fail();
      return;
    }
    connected_ = true;
    error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    events_.OnLinkConnected(id_);
    if (closed_) return;
    StartReading();
    WriteMore();
  });
}

void BusLink::StartReading() { ReadMore(); }

void BusLink::ReadMore() {
  if (reading_ || closed_) return;
  // Grows only: the buffer is reused for the link's lifetime, never shrunk or re-zeroed.
  if (in_.size() - in_len_ < kReadChunk) in_.resize(in_len_ + kReadChunk);
  reading_ = true;
  auto self = shared_from_this();
  socket_.async_read_some(asio::buffer(in_.data() + in_len_, in_.size() - in_len_),
                          [this, self](const error_code& ec, size_t n) {
                            reading_ = false;
                            if (closed_) return;
                            if (ec) {
                              Fail();
                              return;
                            }
                            OnRead(n);
                          });
}

void BusLink::OnRead(size_t n) {
  in_len_ += n;
  size_t start = 0;
  while (!closed_) {
    auto buf = std::span(reinterpret_cast<const uint8_t*>(in_.data()) + start, in_len_ - start);
    bus::FrameCheck fc = bus::CheckFrame(buf);
    if (fc.status == bus::FrameStatus::kNeedMore) {
      // A big frame (a large PUBLISH) announces its size: make room for all of it.
      if (fc.length > in_.size() - start) in_.resize(start + fc.length);
      break;
    }
    if (fc.status == bus::FrameStatus::kBad) {
      Log().warn("Bad message length or signature received on cluster bus link from {}", peer_);
      Fail();
      return;
    }
    events_.OnLinkFrame(id_, buf.first(fc.length));
    start += fc.length;
  }
  if (closed_) return;
  // Usually every byte was consumed; otherwise only the partial frame moves to the front, not
  // the whole buffer (erase() would shift all of its capacity on every message).
  if (start > 0) {
    std::memmove(in_.data(), in_.data() + start, in_len_ - start);
    in_len_ -= start;
  }
  ReadMore();
}

void BusLink::Send(std::string bytes) {
  if (closed_) return;
  // The common case is one message per write: take the buffer instead of copying it.
  if (out_.empty()) {
    out_ = std::move(bytes);
  } else {
    out_ += bytes;
  }
  if (connected_) WriteMore();
}

void BusLink::WriteMore() {
  if (closed_ || !connected_ || !writing_.empty() || out_.empty()) return;
  writing_.swap(out_);
  auto self = shared_from_this();
  asio::async_write(socket_, asio::buffer(writing_), [this, self](const error_code& ec, size_t) {
    writing_.clear();
    if (closed_) return;
    if (ec) {
      Fail();
      return;
    }
    WriteMore();
  });
}

void BusLink::Fail() {
  if (closed_) return;
  Close();
  events_.OnLinkError(id_);
}

void BusLink::Close() {
  if (closed_) return;
  closed_ = true;
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

}  // namespace tessera::server
