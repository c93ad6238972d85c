// What the command layer knows of one client connection. The server owns the socket and this
// state; commands read and change the state and append replies to `out`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "tessera/core/clock.h"
#include "tessera/core/hash.h"

namespace tessera::commands {

enum class ReplyMode : uint8_t { kOn, kOff, kSkip, kSkipNext };

// Client classes for client-output-buffer-limit.
enum class ClientClass : uint8_t { kNormal, kReplica, kPubSub };

class Call;

// Serves a blocked client from `key`, one of the keys it waits on, which a write just made ready:
// appends the blocking command's reply and returns true, or returns false without replying when
// the key cannot serve it (missing, empty or of another type), so the client stays blocked.
using BlockedServeFn = bool (*)(Call& c, std::string_view key);

// What a client blocked by BLPOP and family waits for (the engine's registry, blocking.cc).
struct BlockState {
  std::vector<std::string> keys;  // in the client's db, which cannot change while blocked
  core::MonoTime deadline{};      // MonoTime{}: no timeout
  std::vector<std::string> argv;  // the blocking command, re-read by `serve`
  BlockedServeFn serve = nullptr;
  bool drop_reply = false;  // CLIENT REPLY OFF/SKIP applied to the blocking command
};

struct ClientState {
  uint64_t id = 0;
  std::string name;
  std::string addr;   // "ip:port" of the peer
  std::string laddr;  // "ip:port" of our side
  int fd = -1;
  int db = 0;
  int proto = 2;
  bool authenticated = false;
  core::MonoTime created{};
  core::MonoTime last_interaction{};
  std::string last_command = "NULL";

  // Replies waiting to be written. The server writes it after each read batch, and for clients
  // marked pending (pub/sub deliveries, unblocked clients).
  std::string out;
  bool write_pending = false;  // queued in the engine's pending list already
  bool close_after_reply = false;
  bool close_asap = false;  // CLIENT KILL, output limits: close without writing more
  ReplyMode reply_mode = ReplyMode::kOn;

  // MULTI/EXEC.
  bool in_multi = false;
  bool multi_dirty = false;  // a queued command was rejected: EXEC answers EXECABORT
  std::vector<std::vector<std::string>> queued;
  // WATCH: keys by db; `watch_dirty` is set when any of them is touched.
  std::vector<std::pair<int, std::string>> watched;
  bool watch_dirty = false;

  // Pub/sub.
  absl::flat_hash_set<std::string, core::StringHash, core::StringEq> channels;
  absl::flat_hash_set<std::string, core::StringHash, core::StringEq> patterns;
  absl::flat_hash_set<std::string, core::StringHash, core::StringEq> shard_channels;
  size_t SubscriptionCount() const {
    return channels.size() + patterns.size() + shard_channels.size();
  }

  // Blocked by a blocking command: the server reads no further commands from it until the engine
  // serves it, times it out or CLIENT UNBLOCK frees it.
  bool blocked = false;
  BlockState block;

  bool monitor = false;
  bool no_evict = false;
  bool readonly = false;  // cluster READONLY
  bool asking = false;    // cluster ASKING, for the next command only
  bool is_master_link = false;  // the connection from our master (replication)
  ClientClass klass() const {
    if (is_master_link) return ClientClass::kNormal;
    return SubscriptionCount() > 0 && proto == 2 ? ClientClass::kPubSub : ClientClass::kNormal;
  }

  // Filled by the server for CLIENT LIST / INFO.
  size_t query_buffer_bytes = 0;
  size_t query_buffer_free = 0;
  uint64_t total_net_in = 0;
  uint64_t total_net_out = 0;
};

}  // namespace tessera::commands
