// One client connection: reads bytes, parses requests, runs them on the engine and writes the
// replies, one write per read batch. Lives on the server's single io_context thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/asio.h"
#include "server/server_settings.h"
#include "tessera/commands/client.h"
#include "tessera/resp/parser.h"

namespace tessera::commands {
class Engine;
}

namespace tessera::server {

class ClientConn : public std::enable_shared_from_this<ClientConn> {
 public:
  ClientConn(tcp::socket socket, commands::Engine& engine, const ServerSettings& settings);
  ~ClientConn();

  void Start();
  // Writes whatever output is queued (replies to others' commands: pub/sub, unblocking).
  void Flush();
  // After the engine freed this client from a blocking command (served, timed out, CLIENT
  // UNBLOCK), runs the commands it sent meanwhile. No-op unless it was paused by a block.
  void ResumeIfUnblocked();
  // Periodic checks: idle timeout, output soft limits, paused commands. Returns false if closed.
  bool Cron();
  void Close();
  commands::ClientState& state() { return state_; }
  // Called once when the connection closes (the server drops its reference).
  std::function<void(ClientConn*)> on_close;
  // Called after each read batch, so the server can flush clients that got output from it.
  std::function<void()> on_batch_done;
  bool closed() const { return closed_; }

 private:
  void ReadMore();
  void OnRead(size_t n);
  // Parses and runs what the buffer holds; stops early if the client must wait (CLIENT PAUSE).
  void ProcessInput();
  bool CheckOutputLimits();
  void UpdateParserLimits();

  tcp::socket socket_;
  commands::Engine& engine_;
  const ServerSettings& settings_;
  commands::ClientState state_;
  resp::Parser parser_;
  std::unique_ptr<char[]> in_;  // in_[in_start_, in_len_) is received and not yet parsed
  size_t in_cap_ = 0;
  size_t in_start_ = 0;
  size_t in_len_ = 0;
  std::vector<std::string> argv_;
  bool waiting_ = false;   // a command is held back by CLIENT PAUSE
  bool paused_by_block_ = false;  // input processing stopped because the client blocked
  bool reading_ = false;
  bool writing_ = false;
  bool closed_ = false;
  std::string writing_buf_;
  core::MonoTime soft_limit_since_{};
};

}  // namespace tessera::server
