// ClientConn: the read -> parse -> execute -> write loop of one client.
#include "server/client_conn.h"

#include <algorithm>
#include <cstring>

#include "fmt/format.h"
#include "tessera/commands/engine.h"
#include "tessera/core/log.h"

namespace tessera::server {
namespace {

constexpr size_t kReadChunk = 16 * 1024;
// Before AUTH a client may not make us queue more than this (CVE-2025-21605).
constexpr size_t kUnauthenticatedOutputLimit = 1024;

std::string EndpointString(const tcp::endpoint& ep) {
  auto a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  }
  return fmt::format("{}:{}", a.to_string(), ep.port());
}

}  // namespace

ClientConn::ClientConn(tcp::socket socket, commands::Engine& engine,
                       const ServerSettings& settings)
    : socket_(std::move(socket)), engine_(engine), settings_(settings) {
  error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
  socket_.non_blocking(true, ec);
  auto remote = socket_.remote_endpoint(ec);
  if (!ec) state_.addr = EndpointString(remote);
  auto local = socket_.local_endpoint(ec);
  if (!ec) state_.laddr = EndpointString(local);
  state_.fd = socket_.native_handle();
  state_.id = engine_.NextClientId();
  state_.created = engine_.mono_now();
  state_.last_interaction = state_.created;
  state_.authenticated = engine_.options().requirepass.empty();
  UpdateParserLimits();
}

ClientConn::~ClientConn() = default;

void ClientConn::Start() {
  engine_.AddClient(&state_);
  ReadMore();
}

void ClientConn::UpdateParserLimits() {
  resp::ParserLimits l;
  l.proto_max_bulk_len = settings_.proto_max_bulk_len;
  l.unauthenticated = !state_.authenticated;
  // Tessera requires an exact CRLF after each bulk (Redis skips two bytes unchecked).
  l.strict_crlf = true;
  parser_.set_limits(l);
}

void ClientConn::ReadMore() {
  if (reading_ || closed_ || waiting_) return;
  // Keep the unparsed tail at the front; grow only when a request needs more room. No byte is
  // zero-filled or moved when everything was parsed (the common case).
  if (in_start_ == in_len_) {
    in_start_ = in_len_ = 0;
  } else if (in_start_ > 0 && in_cap_ - in_len_ < kReadChunk) {
    std::memmove(in_.get(), in_.get() + in_start_, in_len_ - in_start_);
    in_len_ -= in_start_;
    in_start_ = 0;
  }
  if (in_cap_ - in_len_ < kReadChunk) {
    size_t cap = std::max(kReadChunk * 2, in_cap_ * 2);
    std::unique_ptr<char[]> bigger(new char[cap]);
    std::memcpy(bigger.get(), in_.get() + in_start_, in_len_ - in_start_);
    in_len_ -= in_start_;
    in_start_ = 0;
    in_ = std::move(bigger);
    in_cap_ = cap;
  }
  reading_ = true;
  auto self = shared_from_this();
  socket_.async_read_some(asio::buffer(in_.get() + in_len_, in_cap_ - in_len_),
                          [this, self](const error_code& ec, size_t n) {
                            reading_ = false;
                            if (closed_) return;
                            if (ec) {
                              Close();
                              return;
                            }
                            OnRead(n);
                          });
}

void ClientConn::OnRead(size_t n) {
  in_len_ += n;
  state_.total_net_in += n;
  engine_.stats().total_net_input_bytes += n;
  const core::Clock& clock = engine_.clock();
  engine_.SetTime(clock.Now(), clock.UnixUs());
  state_.last_interaction = engine_.mono_now();
  ProcessInput();
  if (closed_) return;
  Flush();
  if (closed_) return;
  if (on_batch_done) on_batch_done();
  if (closed_) return;
  ReadMore();
}

void ClientConn::ProcessInput() {
  while (!closed_ && !state_.close_after_reply && !state_.close_asap) {
    // A blocked client (BLPOP...) runs nothing more until the engine frees it; its pipeline
    // stays buffered and ResumeIfUnblocked picks it up.
    if (state_.blocked) {
      paused_by_block_ = true;
      break;
    }
    if (!waiting_) {
      size_t consumed = 0;
      auto st = parser_.Parse(std::string_view(in_.get() + in_start_, in_len_ - in_start_),
                              &consumed, &argv_);
      in_start_ += consumed;
      if (st == resp::ParseStatus::kNeedMore) break;
      if (st == resp::ParseStatus::kError) {
        resp::Writer(&state_.out, state_.proto).Error("ERR " + parser_.error());
        core::Log(core::Module::kServer)
            .debug("Protocol error ({}) from client: id={} addr={}", parser_.error(), state_.id,
                   state_.addr);
        state_.close_after_reply = true;
        break;
      }
      if (argv_.empty()) continue;
    }
    if (engine_.MustWait(state_, argv_)) {
      waiting_ = true;
      break;
    }
    waiting_ = false;
    size_t before = state_.out.size();
    auto mode_before = state_.reply_mode;
    bool was_authenticated = state_.authenticated;
    engine_.Execute(state_, argv_);
    auto mode = state_.reply_mode;
    // A command that blocked replies later; whether that reply is dropped is decided now.
    if (state_.blocked) {
      state_.block.drop_reply =
          mode_before == commands::ReplyMode::kSkip || mode == commands::ReplyMode::kOff;
    }
    if (mode_before == commands::ReplyMode::kSkip) {
      state_.out.resize(before);
      if (mode == commands::ReplyMode::kSkip) state_.reply_mode = commands::ReplyMode::kOn;
    } else if (mode == commands::ReplyMode::kOff || mode == commands::ReplyMode::kSkipNext) {
      state_.out.resize(before);
      if (mode == commands::ReplyMode::kSkipNext) state_.reply_mode = commands::ReplyMode::kSkip;
    }
    if (was_authenticated != state_.authenticated) UpdateParserLimits();
  }
  size_t pending = in_len_ - in_start_ + parser_.PendingBytes();
  state_.query_buffer_bytes = pending;
  if (pending > settings_.client_query_buffer_limit) {
    core::Log(core::Module::kServer)
        .warn("Closing client that reached max query buffer length: id={} addr={} qbuf={}",
              state_.id, state_.addr, pending);
    ++engine_.stats().client_query_buffer_limit_disconnections;
    Close();
  }
}

void ClientConn::Flush() {
  if (closed_) return;
  if (state_.close_asap) {
    Close();
    return;
  }
  if (!CheckOutputLimits() || writing_) return;
  if (state_.out.empty()) {
    if (state_.close_after_reply) Close();
    return;
  }
  // Try the write now; most replies fit in the socket buffer and need no async round trip.
  error_code ec;
  size_t n = socket_.write_some(asio::buffer(state_.out), ec);
  if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
    Close();
    return;
  }
  state_.total_net_out += n;
  engine_.stats().total_net_output_bytes += n;
  if (n == state_.out.size()) {
    state_.out.clear();
    if (state_.out.capacity() > 64 * 1024) state_.out.shrink_to_fit();
    if (state_.close_after_reply) Close();
    return;
  }
  writing_buf_.assign(state_.out, n);
  state_.out.clear();
  writing_ = true;
  auto self = shared_from_this();
  asio::async_write(socket_, asio::buffer(writing_buf_),
                    [this, self](const error_code& ec, size_t written) {
                      writing_ = false;
                      if (closed_) return;
                      if (ec) {
                        Close();
                        return;
                      }
                      state_.total_net_out += written;
                      engine_.stats().total_net_output_bytes += written;
                      writing_buf_.clear();
                      Flush();
                      if (!closed_ && waiting_ == false && !reading_) ReadMore();
                    });
}

void ClientConn::ResumeIfUnblocked() {
  if (closed_ || state_.blocked || !paused_by_block_) return;
  paused_by_block_ = false;
  // Posted: we are called while flushing after another client's command, whose stack must
  // unwind before this client's buffered commands run.
  auto self = shared_from_this();
  asio::post(socket_.get_executor(), [this, self] {
    if (closed_) return;
    const core::Clock& clock = engine_.clock();
    engine_.SetTime(clock.Now(), clock.UnixUs());
    ProcessInput();
    if (closed_) return;
    Flush();
    if (closed_) return;
    if (on_batch_done) on_batch_done();
    if (!closed_) ReadMore();
  });
}

bool ClientConn::CheckOutputLimits() {
  size_t queued = state_.out.size() + writing_buf_.size();
  if (!state_.authenticated && queued > kUnauthenticatedOutputLimit) {
    Close();
    return false;
  }
  const OutputLimit& lim = state_.klass() == commands::ClientClass::kPubSub
                               ? settings_.pubsub_limit
                               : settings_.normal_limit;
  bool hard = lim.hard_bytes > 0 && queued > lim.hard_bytes;
  bool soft = false;
  if (lim.soft_bytes > 0 && queued > lim.soft_bytes) {
    if (soft_limit_since_ == core::MonoTime{}) soft_limit_since_ = engine_.mono_now();
    soft = engine_.mono_now() - soft_limit_since_ > std::chrono::seconds(lim.soft_seconds);
  } else {
    soft_limit_since_ = core::MonoTime{};
  }
  if (hard || soft) {
    core::Log(core::Module::kServer)
        .warn("Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer "
              "limits.",
              state_.id, state_.addr);
    ++engine_.stats().client_output_buffer_limit_disconnections;
    Close();
    return false;
  }
  return true;
}

bool ClientConn::Cron() {
  if (closed_) return false;
  if (state_.close_asap) {
    Close();
    return false;
  }
  // Blocked clients are exempt from the idle timeout, as in Redis (their own timeout applies).
  if (settings_.timeout_s > 0 && state_.SubscriptionCount() == 0 && !state_.is_master_link &&
      !state_.monitor && !state_.blocked &&
      engine_.mono_now() - state_.last_interaction > std::chrono::seconds(settings_.timeout_s)) {
    Close();
    return false;
  }
  if (waiting_) {
    ProcessInput();
    Flush();
    if (!closed_ && !waiting_) ReadMore();
  }
  return !closed_;
}

void ClientConn::Close() {
  if (closed_) return;
  closed_ = true;
  engine_.RemoveClient(&state_);
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  if (on_close) on_close(this);
}

}  // namespace tessera::server
