// Server: accepting clients (maxclients, protected mode), the cron, flushing pending output.
#include "server/server.h"

#include <algorithm>

#include "fmt/format.h"
#include "server/client_conn.h"
#include "server/listeners.h"
#include "tessera/core/log.h"
#include "tessera/core/status.h"

namespace tessera::server {
Server::Server(asio::io_context& io, ServerSettings settings, commands::Engine& engine,
               const core::Clock& clock)
    : io_(io), settings_(std::move(settings)), engine_(engine), clock_(clock), cron_timer_(io) {}

Server::~Server() = default;

absl::Status Server::Listen() {
  TS_RETURN_IF_ERROR(OpenListeners(io_, settings_.bind, settings_.port, &acceptors_));
  if (acceptors_.empty()) return absl::UnavailableError("Failed listening on port (tcp), aborting.");
  for (auto& a : acceptors_) Accept(*a);
  ScheduleCron();
  return absl::OkStatus();
}

void Server::Accept(tcp::acceptor& acc) {
  acc.async_accept([this, &acc](const error_code& ec, tcp::socket sock) {
    if (stopped_) return;
    if (!ec) OnAccept(std::move(sock));
    Accept(acc);
  });
}

bool Server::IsLoopback(const tcp::socket& sock) const {
  error_code ec;
  auto a = sock.remote_endpoint(ec).address();
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).is_loopback();
  }
  return a.is_loopback();
}

void Server::OnAccept(tcp::socket sock) {
  auto refuse = [&](std::string_view text) {
    error_code ec;
    asio::write(sock, asio::buffer(fmt::format("-{}\r\n", text)), ec);
    ++engine_.stats().rejected_connections;
  };
  if (conns_.size() >= static_cast<size_t>(settings_.maxclients)) {
    refuse("ERR max number of clients reached");
    return;
  }
  if (settings_.protected_mode && engine_.options().requirepass.empty() && !IsLoopback(sock)) {
    refuse(
        "DENIED Redis is running in protected mode because protected mode is enabled and no "
        "password is set for the default user. In this mode connections are only accepted from "
        "the loopback interface. If you want to connect from external computers to Redis you may "
        "adopt one of the following solutions: 1) Just disable protected mode sending the command "
        "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from "
        "the same host the server is running, however MAKE SURE Redis is not publicly accessible "
        "from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) "
        "Alternatively you can just disable the protected mode by editing the Redis configuration "
        "file, and setting the protected mode option to 'no', and then restarting the server. 3) "
        "If you started the server manually just for testing, restart it with the "
        "'--protected-mode no' option. 4) Set up an authentication password for the default "
        "user. NOTE: You only need to do one of the above things in order for the server to start "
        "accepting connections from the outside.");
    return;
  }
  if (settings_.tcp_keepalive_s > 0) {
    error_code ec;
    sock.set_option(asio::socket_base::keep_alive(true), ec);
  }
  engine_.SetTime(clock_.Now(), clock_.UnixUs());
  auto conn = std::make_shared<ClientConn>(std::move(sock), engine_, settings_);
  uint64_t id = conn->state().id;
  conn->on_close = [this, id](ClientConn*) {
    // Deferred: the connection may be deep in its own call stack.
    asio::post(io_, [this, id] { conns_.erase(id); });
  };
  conn->on_batch_done = [this] { FlushPending(); };
  conns_[id] = conn;
  conn->Start();
}

void Server::FlushPending() {
  for (commands::ClientState* st : engine_.TakePending()) {
    auto it = conns_.find(st->id);
    if (it == conns_.end()) continue;
    it->second->Flush();
    it->second->ResumeIfUnblocked();  // an unblocked client's pipelined commands

  }
}

void Server::ScheduleCron() {
  const std::chrono::milliseconds period(1000 / std::clamp(settings_.hz, 1, 500));
  next_cron_ = clock_.Now() + period;
  const uint64_t generation = ++cron_generation_;
  cron_timer_.expires_after(period);
  cron_timer_.async_wait([this, generation](const error_code& ec) {
    if (ec || stopped_ || generation != cron_generation_) return;
    Cron();
    ScheduleCron();
  });
}

void Server::CronIfDueWithin(std::chrono::milliseconds window) {
  if (stopped_ || clock_.Now() + window < next_cron_) return;
  Cron();
  ScheduleCron();
}

void Server::Cron() {
  engine_.SetTime(clock_.Now(), clock_.UnixUs());
  engine_.Cron();
  // mallinfo2() walks malloc's free lists: on an idle node it cost more than the whole cluster
  // cron. Once a second is enough for the peak; INFO and eviction refresh before they read.
  if (cron_loops_++ % std::clamp(settings_.hz, 1, 500) == 0) engine_.RefreshMemory();
  std::vector<std::shared_ptr<ClientConn>> all;
  all.reserve(conns_.size());
  for (auto& [id, c] : conns_) all.push_back(c);
  for (auto& c : all) c->Cron();
  FlushPending();
  if (on_cron) on_cron();
}

void Server::Stop() {
  if (stopped_) return;
  stopped_ = true;
  cron_timer_.cancel();
  for (auto& a : acceptors_) {
    error_code ec;
    a->close(ec);
  }
  std::vector<std::shared_ptr<ClientConn>> all;
  for (auto& [id, c] : conns_) all.push_back(c);
  for (auto& c : all) c->Close();
}

}  // namespace tessera::server
