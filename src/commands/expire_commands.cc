// Expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with 7.0's NX/XX/GT/LT), TTL, PTTL,
// EXPIRETIME, PEXPIRETIME, PERSIST; replies and error texts as in Redis 7.0.15.
#include <limits>

#include "commands/key_families.h"
#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

enum ExpireFlag : unsigned { kNx = 1, kXx = 2, kGt = 4, kLt = 8 };

// Redis's addReplyErrorFormat turns CR and LF into spaces so the reply stays one line.
std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch == '\r' || ch == '\n') ch = ' ';
  }
  return out;
}

// Parses the options after the time. Redis checks them before the time itself.
bool ParseExpireFlags(Call& c, unsigned* flags) {
  for (size_t i = 3; i < c.argc(); ++i) {
    const std::string& a = c.arg(i);
    if (EqualsIgnoreCase(a, "nx")) {
      *flags |= kNx;
    } else if (EqualsIgnoreCase(a, "xx")) {
      *flags |= kXx;
    } else if (EqualsIgnoreCase(a, "gt")) {
      *flags |= kGt;
    } else if (EqualsIgnoreCase(a, "lt")) {
      *flags |= kLt;
    } else {
      c.Error("ERR Unsupported option " + OneLine(a));
      return false;
    }
  }
  if ((*flags & kNx) && (*flags & (kXx | kGt | kLt))) {
    c.Error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return false;
  }
  if ((*flags & kGt) && (*flags & kLt)) {
    c.Error("ERR GT and LT options at the same time are not compatible");
    return false;
  }
  return true;
}

// Whether the NX/XX/GT/LT condition allows replacing `current` (-1: no TTL, i.e. infinite)
// by `when`.
bool FlagsAllow(unsigned flags, int64_t current, int64_t when) {
  if ((flags & kNx) && current != -1) return false;
  if ((flags & kXx) && current == -1) return false;
  if ((flags & kGt) && (current == -1 || when <= current)) return false;
  if ((flags & kLt) && current != -1 && when >= current) return false;
  return true;
}

// The absolute expiry in unix ms, or nullopt (after replying) on a bad or overflowing time.
std::optional<int64_t> ParseExpireTime(Call& c, int64_t base_ms, bool seconds) {
  std::optional<int64_t> when = ParseInt(c.arg(2));
  if (!when) {
    c.Error(err::kNotInteger);
    return std::nullopt;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  bool overflow = false;
  if (seconds) {
    overflow = *when > kMax / 1000 || *when < kMin / 1000;
    if (!overflow) *when *= 1000;
  }
  overflow = overflow || *when > kMax - base_ms;
  if (overflow) {
    c.Error(fmt::format(err::kInvalidExpire, c.cmd->name));
    return std::nullopt;
  }
  return *when + base_ms;
}

void ExpireGeneric(Call& c, int64_t base_ms, bool seconds) {
  unsigned flags = 0;
  if (!ParseExpireFlags(c, &flags)) return;
  std::optional<int64_t> when = ParseExpireTime(c, base_ms, seconds);
  if (!when) return;
  const std::string& key = c.arg(1);
  if (c.Lookup(key) == nullptr) {
    c.w.Integer(0);
    return;
  }
  keyspace::Db& db = c.db();
  if (flags != 0 && !FlagsAllow(flags, db.GetExpire(key), *when)) {
    c.w.Integer(0);
    return;
  }
  // A time already past deletes the key (a DEL, not an expiry) and still counts as set.
  if (*when <= c.now_ms()) {
    db.Delete(key);
    c.Notify(notify::kGeneric, "del", key);
  } else {
    db.SetExpire(key, *when);
    c.Notify(notify::kGeneric, "expire", key);
  }
  c.Touched(key);
  c.w.Integer(1);
}

void Expire(Call& c) { ExpireGeneric(c, c.now_ms(), true); }
void PExpire(Call& c) { ExpireGeneric(c, c.now_ms(), false); }
void ExpireAt(Call& c) { ExpireGeneric(c, 0, true); }
void PExpireAt(Call& c) { ExpireGeneric(c, 0, false); }

// -2: no key; -1: no TTL. Seconds are rounded to the nearest, as Redis does.
void TtlGeneric(Call& c, bool ms, bool absolute) {
  const std::string& key = c.arg(1);
  if (c.engine.PeekKey(c.client.db, key, /*read=*/true) == nullptr) {
    c.w.Integer(-2);
    return;
  }
  int64_t expire = c.db().GetExpire(key);
  if (expire == -1) {
    c.w.Integer(-1);
    return;
  }
  int64_t v = absolute ? expire : std::max<int64_t>(expire - c.now_ms(), 0);
  // (v + 500) / 1000 without overflowing for v near INT64_MAX (PEXPIREAT k 9223372036854775807).
  c.w.Integer(ms ? v : v / 1000 + (v % 1000 >= 500 ? 1 : 0));
}

void Ttl(Call& c) { TtlGeneric(c, false, false); }
void PTtl(Call& c) { TtlGeneric(c, true, false); }
void ExpireTime(Call& c) { TtlGeneric(c, false, true); }
void PExpireTime(Call& c) { TtlGeneric(c, true, true); }

void Persist(Call& c) {
  const std::string& key = c.arg(1);
  if (c.Lookup(key) == nullptr || !c.db().Persist(key)) {
    c.w.Integer(0);
    return;
  }
  c.Touched(key);
  c.Notify(notify::kGeneric, "persist", key);
  c.w.Integer(1);
}

}  // namespace

void RegisterExpireCommands(CommandTable& t) {
  t.Register("expire", Expire);
  t.Register("pexpire", PExpire);
  t.Register("expireat", ExpireAt);
  t.Register("pexpireat", PExpireAt);
  t.Register("ttl", Ttl);
  t.Register("pttl", PTtl);
  t.Register("expiretime", ExpireTime);
  t.Register("pexpiretime", PExpireTime);
  t.Register("persist", Persist);
}

}  // namespace tessera::commands
