// The engine's registry of clients blocked by BLPOP, BZPOPMIN and family: (db, key) -> FIFO of
// waiters, keys signalled ready by writes, serving after each command, timeouts in Cron, and
// CLIENT UNBLOCK (docs: issue #3 "blocking"; Redis 7.0 blocked.c semantics).
#include "commands/blocking.h"

#include <algorithm>
#include <cmath>

#include "commands/util.h"
#include "tessera/core/status.h"

namespace tessera::commands {
namespace {

std::string DbKey(int db, std::string_view key) {
  std::string k = std::to_string(db);
  k.push_back(':');
  k.append(key);
  return k;
}

}  // namespace

std::optional<int64_t> ParseBlockTimeout(Call& c, std::string_view arg) {
  auto secs = ParseLongDouble(arg);
  if (!secs) {
    c.Error("ERR timeout is not a float or out of range");
    return std::nullopt;
  }
  long double ms = *secs * 1000.0L;
  // Redis casts to long long; on x86 a value that does not fit (inf, 1e20) becomes LLONG_MIN,
  // hence "negative". Truncation toward zero makes -0.0001 a timeout of 0 (forever).
  if (!(ms > -9.2e18L && ms < 9.2e18L) || static_cast<int64_t>(ms) < 0) {
    c.Error("ERR timeout is negative");
    return std::nullopt;
  }
  auto v = static_cast<int64_t>(ms);
  if (v > 0 && v > INT64_MAX - c.now_ms()) {
    c.Error("ERR timeout is out of range");
    return std::nullopt;
  }
  return v;
}

void BlockOrReplyNull(Call& c, std::vector<std::string> keys, int64_t timeout_ms,
                      BlockedServeFn serve, bool null_bulk) {
  if (!c.engine.CanBlock(c.client)) {
    if (null_bulk) return c.w.Null();
    return c.w.NullArray();
  }
  c.engine.Block(c, std::move(keys), timeout_ms, serve);
}

void Engine::Block(Call& c, std::vector<std::string> keys, int64_t timeout_ms,
                   BlockedServeFn serve) {
  ClientState& cl = c.client;
  TS_CHECK(!cl.blocked);
  // BLPOP k k: one registration per distinct key.
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const std::string& k : keys) blocking_keys_[DbKey(cl.db, k)].push_back(&cl);
  cl.blocked = true;
  cl.block.keys = std::move(keys);
  cl.block.argv = c.argv;
  cl.block.serve = serve;
  cl.block.deadline = core::MonoTime{};
  if (timeout_ms > 0) {
    cl.block.deadline = mono_ + std::chrono::milliseconds(timeout_ms);
    block_deadlines_.emplace(cl.block.deadline, cl.id);
  }
  ++blocked_count_;
}

void Engine::SignalKeyReady(int db, std::string_view key) {
  if (blocking_keys_.empty()) return;
  std::string k = DbKey(db, key);
  if (!blocking_keys_.contains(k) || ready_set_.contains(k)) return;
  ready_set_.insert(std::move(k));
  ready_keys_.emplace_back(db, std::string(key));
}

void Engine::ServeReadyKeys() {
  // A served BLMOVE pushes, which signals more keys: keep going until nothing is ready. Nested
  // calls (a command run while serving) leave the work to this loop.
  if (serving_ready_) return;
  serving_ready_ = true;
  while (!ready_keys_.empty()) {
    std::vector<std::pair<int, std::string>> batch;
    batch.swap(ready_keys_);
    ready_set_.clear();
    for (const auto& [db, key] : batch) ServeKey(db, key);
  }
  serving_ready_ = false;
}

void Engine::ServeKey(int db, const std::string& key) {
  auto it = blocking_keys_.find(DbKey(db, key));
  if (it == blocking_keys_.end()) return;
  // Serving unregisters clients from this FIFO, so walk a copy, oldest first.
  std::vector<ClientState*> waiters(it->second.begin(), it->second.end());
  for (ClientState* cl : waiters) {
    if (dbs_[db].Peek(key, now_ms()) == nullptr) break;  // drained (or expired)
    if (!cl->blocked) continue;
    Command* cmd = Lookup(cl->block.argv);
    TS_CHECK(cmd != nullptr);
    Call call(*this, *cl, cl->block.argv, cmd);
    size_t before = cl->out.size();
    // A key of the wrong type (or empty) leaves the client blocked, as in Redis 7.0.
    if (!cl->block.serve(call, key)) {
      TS_CHECK(cl->out.size() == before);
      continue;
    }
    if (cl->block.drop_reply) cl->out.resize(before);
    UnregisterBlocked(*cl);
    MarkPending(cl);
  }
}

bool Engine::Unblock(ClientState& c, UnblockReason reason) {
  if (!c.blocked) return false;
  if (reason != UnblockReason::kDisconnect) {
    Command* cmd = Lookup(c.block.argv);
    std::vector<std::string> argv = c.block.argv;
    Call call(*this, c, argv, cmd);
    size_t before = c.out.size();
    if (reason == UnblockReason::kTimeout) {
      call.w.NullArray();
    } else {
      call.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    }
    if (c.block.drop_reply) c.out.resize(before);
    MarkPending(&c);
  }
  UnregisterBlocked(c);
  return true;
}

void Engine::UnregisterBlocked(ClientState& c) {
  for (const std::string& k : c.block.keys) {
    auto it = blocking_keys_.find(DbKey(c.db, k));
    if (it == blocking_keys_.end()) continue;
    auto& q = it->second;
    q.erase(std::remove(q.begin(), q.end(), &c), q.end());
    if (q.empty()) blocking_keys_.erase(it);
  }
  if (c.block.deadline != core::MonoTime{}) block_deadlines_.erase({c.block.deadline, c.id});
  c.blocked = false;
  c.block = BlockState{};
  --blocked_count_;
}

void Engine::HandleBlockTimeouts() {
  while (!block_deadlines_.empty() && block_deadlines_.begin()->first <= mono_) {
    ClientState* c = FindClient(block_deadlines_.begin()->second);
    if (c == nullptr || !c->blocked) {
      block_deadlines_.erase(block_deadlines_.begin());  // cannot happen: removal unregisters
      continue;
    }
    Unblock(*c, UnblockReason::kTimeout);
  }
}

}  // namespace tessera::commands
