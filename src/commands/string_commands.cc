// String commands that get and set whole values: GET, SET (and its options), SETNX, SETEX,
// PSETEX, GETSET, GETDEL, GETEX, MGET, MSET, MSETNX. Replies and errors as redis-server 7.0.15.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "commands/string_util.h"
#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

using keyspace::Object;

enum class ExpireKind : uint8_t { kNone, kEx, kPx, kExAt, kPxAt };

// SET's and GETEX's options after parsing; the expire argument is validated later, as Redis
// does (after the syntax is known good, and for GETEX only once the key is found).
struct SetOptions {
  bool nx = false, xx = false, get = false, keep_ttl = false, persist = false;
  ExpireKind expire = ExpireKind::kNone;
  size_t expire_arg = 0;  // index in argv
};

bool Is(std::string_view a, std::string_view b) { return EqualsIgnoreCase(a, b); }

// Redis accepts a repeated option (the last EX value wins) but not two conflicting ones: NX/XX,
// KEEPTTL or PERSIST with an expire, two different expire kinds. `for_set` selects SET's
// options (NX XX GET KEEPTTL) or GETEX's (PERSIST); both take EX PX EXAT PXAT.
bool ParseSetOptions(const Call& c, size_t first, bool for_set, SetOptions* o) {
  for (size_t j = first; j < c.argc(); ++j) {
    std::string_view opt = c.arg(j);
    bool has_next = j + 1 < c.argc();
    ExpireKind kind = ExpireKind::kNone;
    if (Is(opt, "ex")) {
      kind = ExpireKind::kEx;
    } else if (Is(opt, "px")) {
      kind = ExpireKind::kPx;
    } else if (Is(opt, "exat")) {
      kind = ExpireKind::kExAt;
    } else if (Is(opt, "pxat")) {
      kind = ExpireKind::kPxAt;
    }

    if (for_set && Is(opt, "nx") && !o->xx) {
      o->nx = true;
    } else if (for_set && Is(opt, "xx") && !o->nx) {
      o->xx = true;
    } else if (for_set && Is(opt, "get")) {
      o->get = true;
    } else if (for_set && Is(opt, "keepttl") && o->expire == ExpireKind::kNone) {
      o->keep_ttl = true;
    } else if (!for_set && Is(opt, "persist") && o->expire == ExpireKind::kNone) {
      o->persist = true;
    } else if (kind != ExpireKind::kNone && !o->keep_ttl && !o->persist && has_next &&
               (o->expire == ExpireKind::kNone || o->expire == kind)) {
      o->expire = kind;
      o->expire_arg = ++j;
    } else {
      return false;
    }
  }
  return true;
}

// The absolute unix-ms expiry of an EX/PX/EXAT/PXAT argument, or nullopt after replying the
// error: not an integer, <= 0, or overflowing int64 once scaled and made absolute.
std::optional<int64_t> ExpireAt(Call& c, std::string_view arg, ExpireKind kind) {
  std::optional<int64_t> v = ParseInt(arg);
  if (!v) {
    c.Error(err::kNotInteger);
    return std::nullopt;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  bool seconds = kind == ExpireKind::kEx || kind == ExpireKind::kExAt;
  if (*v <= 0 || (seconds && *v > kMax / 1000)) {
    InvalidExpireError(c);
    return std::nullopt;
  }
  int64_t when = seconds ? *v * 1000 : *v;
  if (kind == ExpireKind::kEx || kind == ExpireKind::kPx) {
    if (when > kMax - c.now_ms()) {
      InvalidExpireError(c);
      return std::nullopt;
    }
    when += c.now_ms();
  }
  return when;
}

// Replies the value at key like GET; false (after WRONGTYPE) when it is not a string.
bool ReplyGet(Call& c, const Object* o) {
  if (o == nullptr) {
    c.w.Null();
  } else if (!o->is_string()) {
    c.WrongType();
    return false;
  } else {
    c.w.Bulk(o->str());
  }
  return true;
}

void Get(Call& c) { ReplyGet(c, c.db().Find(c.arg(1), c.now_ms())); }

// Stores argv[value_index] at argv[1] with the given conditions and expiry. The value string is
// moved out of argv: the caller's argv is not used again for its contents.
void SetGeneric(Call& c, size_t value_index, const SetOptions& o, bool reply_int) {
  std::optional<int64_t> when;
  if (o.expire != ExpireKind::kNone) {
    when = ExpireAt(c, c.arg(o.expire_arg), o.expire);
    if (!when) return;
  }
  keyspace::Db& db = c.db();
  const std::string& key = c.arg(1);
  if (o.get || o.nx || o.xx || o.keep_ttl) {
    const Object* old = db.Find(key, c.now_ms());
    if (o.get && !ReplyGet(c, old)) return;
    bool found = old != nullptr;
    if ((o.nx && found) || (o.xx && !found)) {
      if (o.get) return;
      if (reply_int) {
        c.w.Integer(0);
      } else {
        c.w.Null();
      }
      return;
    }
  }
  db.Set(key, NewString(c, std::move(c.argv[value_index])), o.keep_ttl);
  c.Touched(key);
  c.Notify(notify::kString, "set", key);
  // A time already past deletes the key at once (Redis 7.0.15: DBSIZE is 0 after
  // SET k v EXAT 1); still the reply is OK.
  if (when) {
    // Redis 7.0.15 reports "expire" even for a time already past, and no deletion.
    c.Notify(notify::kGeneric, "expire", key);
    if (*when <= c.now_ms()) {
      db.Delete(key);
    } else {
      db.SetExpire(key, *when);
    }
  }
  if (o.get) return;
  if (reply_int) {
    c.w.Integer(1);
  } else {
    c.Ok();
  }
}

void Set(Call& c) {
  if (c.argc() == 3) {
    // The common case, kept to one hash lookup.
    c.db().Set(c.arg(1), NewString(c, std::move(c.argv[2])));
    c.Touched(c.arg(1));
    c.Notify(notify::kString, "set", c.arg(1));
    c.Ok();
    return;
  }
  SetOptions o;
  if (!ParseSetOptions(c, 3, /*for_set=*/true, &o)) {
    c.SyntaxError();
    return;
  }
  SetGeneric(c, 2, o, /*reply_int=*/false);
}

void SetNx(Call& c) {
  SetOptions o;
  o.nx = true;
  SetGeneric(c, 2, o, /*reply_int=*/true);
}

void SetExGeneric(Call& c, ExpireKind kind) {
  SetOptions o;
  o.expire = kind;
  o.expire_arg = 2;
  SetGeneric(c, 3, o, /*reply_int=*/false);
}

void SetEx(Call& c) { SetExGeneric(c, ExpireKind::kEx); }
void PSetEx(Call& c) { SetExGeneric(c, ExpireKind::kPx); }

void GetSet(Call& c) {
  keyspace::Db& db = c.db();
  if (!ReplyGet(c, db.Find(c.arg(1), c.now_ms()))) return;
  db.Set(c.arg(1), NewString(c, std::move(c.argv[2])));
  c.Touched(c.arg(1));
  c.Notify(notify::kString, "set", c.arg(1));
}

void GetDel(Call& c) {
  keyspace::Db& db = c.db();
  const Object* o = db.Find(c.arg(1), c.now_ms());
  if (!ReplyGet(c, o) || o == nullptr) return;
  db.Delete(c.arg(1));
  c.Touched(c.arg(1));
  c.Notify(notify::kGeneric, "del", c.arg(1));
}

void GetEx(Call& c) {
  SetOptions o;
  if (!ParseSetOptions(c, 2, /*for_set=*/false, &o)) {
    c.SyntaxError();
    return;
  }
  keyspace::Db& db = c.db();
  const std::string& key = c.arg(1);
  StringLookup s = FindString(c, key);
  if (s.wrong_type) return;
  if (s.obj == nullptr) {
    c.w.Null();
    return;
  }
  std::optional<int64_t> when;
  if (o.expire != ExpireKind::kNone) {
    when = ExpireAt(c, c.arg(o.expire_arg), o.expire);
    if (!when) return;
  }
  c.w.Bulk(s.obj->str());
  if (when) {
    if (*when <= c.now_ms()) {
      db.Delete(key);
      c.Notify(notify::kGeneric, "del", key);
    } else {
      db.SetExpire(key, *when);
      c.Notify(notify::kGeneric, "expire", key);
    }
    c.Touched(key);
  } else if (o.persist && db.Persist(key)) {
    c.Touched(key);
    c.Notify(notify::kGeneric, "persist", key);
  }
}

void MGet(Call& c) {
  keyspace::Db& db = c.db();
  c.w.ArrayHeader(static_cast<int64_t>(c.argc() - 1));
  for (size_t i = 1; i < c.argc(); ++i) {
    const Object* o = db.Find(c.arg(i), c.now_ms());
    if (o == nullptr || !o->is_string()) {
      c.w.Null();
    } else {
      c.w.Bulk(o->str());
    }
  }
}

void MSetGeneric(Call& c, bool nx) {
  if (c.argc() % 2 == 0) {
    c.Error(fmt::format("ERR wrong number of arguments for '{}' command", c.cmd->FullName()));
    return;
  }
  keyspace::Db& db = c.db();
  if (nx) {
    for (size_t i = 1; i < c.argc(); i += 2) {
      if (db.Find(c.arg(i), c.now_ms()) != nullptr) {
        c.w.Integer(0);
        return;
      }
    }
  }
  for (size_t i = 1; i < c.argc(); i += 2) {
    db.Set(c.arg(i), NewString(c, std::move(c.argv[i + 1])));
    c.Touched(c.arg(i));
    c.Notify(notify::kString, "set", c.arg(i));
  }
  if (nx) {
    c.w.Integer(1);
  } else {
    c.Ok();
  }
}

void MSet(Call& c) { MSetGeneric(c, /*nx=*/false); }
void MSetNx(Call& c) { MSetGeneric(c, /*nx=*/true); }

}  // namespace

void RegisterStringCommands(CommandTable& t) {
  t.Register("get", Get);
  t.Register("set", Set);
  t.Register("setnx", SetNx);
  t.Register("setex", SetEx);
  t.Register("psetex", PSetEx);
  t.Register("getset", GetSet);
  t.Register("getdel", GetDel);
  t.Register("getex", GetEx);
  t.Register("mget", MGet);
  t.Register("mset", MSet);
  t.Register("msetnx", MSetNx);
  RegisterStringRangeCommands(t);
  RegisterStringIncrCommands(t);
}

}  // namespace tessera::commands
