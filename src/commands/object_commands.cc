// OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ / HELP, as Redis 7.0.15 answers them.
#include <array>
#include <string_view>

#include "commands/key_families.h"
#include "commands/lfu.h"
#include "commands/util.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

constexpr std::string_view kNoLfu =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
    "when switching between policies at runtime LRU and LFU data will take some time to adjust.";
constexpr std::string_view kLfuNoIdle =
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.";

// Redis shares the objects of the integers 0..9999 (refcount INT_MAX) unless eviction needs
// per-key access data (an LRU or LFU policy with maxmemory set).
constexpr int64_t kSharedIntegers = 10000;
constexpr int64_t kSharedRefcount = 2147483647;

const keyspace::Object* Find(Call& c) {
  const keyspace::Object* o = c.engine.PeekKey(c.client.db, c.arg(2), /*read=*/true);
  if (o == nullptr) c.w.Null();
  return o;
}

void Encoding(Call& c) {
  if (const keyspace::Object* o = Find(c)) c.w.Bulk(o->EncodingName());
}

bool IsShared(const EngineOptions& opts, const keyspace::Object& o) {
  if (!o.is_string() || o.EncodingName() != "int") return false;
  const MaxmemoryPolicy p = opts.maxmemory_policy;
  bool per_key_data =
      p == MaxmemoryPolicy::kAllKeysLru || p == MaxmemoryPolicy::kVolatileLru || IsLfuPolicy(p);
  if (opts.maxmemory != 0 && per_key_data) return false;
  std::optional<int64_t> v = ParseInt(o.str());
  return v && *v >= 0 && *v < kSharedIntegers;
}

void RefCount(Call& c) {
  if (const keyspace::Object* o = Find(c)) {
    c.w.Integer(IsShared(c.engine.options(), *o) ? kSharedRefcount : 1);
  }
}

void IdleTime(Call& c) {
  const keyspace::Object* o = Find(c);
  if (o == nullptr) return;
  if (IsLfuPolicy(c.engine.options().maxmemory_policy)) {
    c.Error(kLfuNoIdle);
    return;
  }
  int64_t idle_s = c.now_ms() / 1000 - static_cast<int64_t>(o->lru);
  c.w.Integer(std::max<int64_t>(idle_s, 0));
}

void Freq(Call& c) {
  const keyspace::Object* o = Find(c);
  if (o == nullptr) return;
  const EngineOptions& opts = c.engine.options();
  if (!IsLfuPolicy(opts.maxmemory_policy)) {
    c.Error(kNoLfu);
    return;
  }
  c.w.Integer(LfuDecayed(*o, c.now_ms(), opts.lfu_decay_time));
}

void Help(Call& c) {
  static constexpr std::array<std::string_view, 15> kLines = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
  };
  c.w.ArrayHeader(static_cast<int64_t>(kLines.size()));
  for (std::string_view line : kLines) c.w.Simple(line);
}

}  // namespace

void RegisterObjectCommands(CommandTable& t) {
  t.Register("object|encoding", Encoding);
  t.Register("object|refcount", RefCount);
  t.Register("object|idletime", IdleTime);
  t.Register("object|freq", Freq);
  t.Register("object|help", Help);
}

}  // namespace tessera::commands
