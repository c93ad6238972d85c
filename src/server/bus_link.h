// One cluster bus connection (cluster-bus.md §2.1-§2.2): connects (outbound) or wraps an
// accepted socket (inbound), cuts the byte stream into frames with bus::CheckFrame, and queues
// writes. It only moves bytes; BusService feeds what it reads to ClusterBus.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "server/asio.h"
#include "tessera/bus/cluster_state.h"

namespace tessera::server {

class BusLink : public std::enable_shared_from_this<BusLink> {
 public:
  // What a link reports; every callback runs on the io_context thread.
  class Events {
   public:
    virtual ~Events() = default;
    virtual void OnLinkConnected(bus::LinkId id) = 0;
    // One complete frame; the span is valid during the call only.
    virtual void OnLinkFrame(bus::LinkId id, std::span<const uint8_t> frame) = 0;
    // EOF, a read/write error, a failed connect or a bad frame. The link is closed already.
    virtual void OnLinkError(bus::LinkId id) = 0;
  };

  // An accepted connection.
  BusLink(bus::LinkId id, tcp::socket socket, Events& events);
  // An outbound link; call Connect().
  BusLink(bus::LinkId id, asio::io_context& io, Events& events);

  // Starts the non-blocking connect; success or failure is reported asynchronously.
  void Connect(const std::string& ip, uint16_t port);
  void StartReading();
  // Queues bytes; writes start at once when connected, else after the connect.
  void Send(std::string bytes);
  // Closes without reporting anything.
  void Close();

  bus::LinkId id() const { return id_; }
  bool closed() const { return closed_; }
  size_t queued_bytes() const { return out_.size() + writing_.size(); }
  const std::string& peer() const { return peer_; }

 private:
  void ReadMore();
  void OnRead(size_t n);
  void WriteMore();
  void Fail();

  bus::LinkId id_;
  tcp::socket socket_;
  Events& events_;
  std::string peer_;  // "ip:port" for logs
  bool connected_ = false;
  bool closed_ = false;
  bool reading_ = false;
  std::string in_;
  size_t in_len_ = 0;
  std::string out_;      // queued, not yet handed to the socket
  std::string writing_;  // being written
};

}  // namespace tessera::server
