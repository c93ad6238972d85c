// Generic key commands: DEL, UNLINK, EXISTS, TYPE, TOUCH, RENAME, RENAMENX, COPY, MOVE,
// RANDOMKEY, with Redis 7.0.15's replies and error texts. Expiry, SCAN/KEYS and OBJECT live in
// expire_commands.cc, scan_commands.cc and object_commands.cc.
#include <limits>

#include "commands/key_families.h"
#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {

bool ParseDbIndexArg(Call& c, std::string_view arg, int* out) {
  std::optional<int64_t> v = ParseInt(arg);
  if (!v) {
    c.Error(err::kNotInteger);
    return false;
  }
  if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
    c.Error(fmt::format("ERR value is out of range, value must between {} and {}",
                        std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
    return false;
  }
  *out = static_cast<int>(*v);
  return true;
}

namespace {

// DEL and UNLINK (values are freed at once either way; Tessera has no lazy-free thread yet).
void Del(Call& c) {
  int64_t deleted = 0;
  for (size_t i = 1; i < c.argc(); ++i) {
    // An expired key is counted as expired, not deleted.
    if (c.engine.ExpireIfNeeded(c.client.db, c.arg(i))) continue;
    if (c.db().Delete(c.arg(i))) {
      c.Touched(c.arg(i));
      c.Notify(notify::kGeneric, "del", c.arg(i));
      ++deleted;
    }
  }
  c.w.Integer(deleted);
}

// Repeated keys count once per mention.
void Exists(Call& c) {
  int64_t n = 0;
  for (size_t i = 1; i < c.argc(); ++i) {
    if (c.engine.PeekKey(c.client.db, c.arg(i), /*read=*/true) != nullptr) ++n;
  }
  c.w.Integer(n);
}

void Touch(Call& c) {
  int64_t n = 0;
  for (size_t i = 1; i < c.argc(); ++i) {
    if (c.LookupRead(c.arg(i)) != nullptr) ++n;
  }
  c.w.Integer(n);
}

void Type(Call& c) {
  const keyspace::Object* o = c.engine.PeekKey(c.client.db, c.arg(1), /*read=*/true);
  c.w.Simple(o == nullptr ? std::string_view("none") : keyspace::TypeName(o->type()));
}

void RenameGeneric(Call& c, bool nx) {
  const std::string& src = c.arg(1);
  const std::string& dst = c.arg(2);
  if (c.Lookup(src) == nullptr) {
    c.Error(err::kNoSuchKey);
    return;
  }
  if (src == dst) {
    nx ? c.w.Integer(0) : c.Ok();
    return;
  }
  if (c.Lookup(dst) != nullptr && nx) {
    c.w.Integer(0);
    return;
  }
  keyspace::Db& db = c.db();
  int64_t expire_ms = -1;
  std::optional<keyspace::Object> value = db.Take(src, &expire_ms);
  // Set drops whatever TTL the old destination had; the source's TTL moves with the value.
  db.Set(dst, std::move(*value));
  if (expire_ms >= 0) db.SetExpire(dst, expire_ms);
  c.Touched(src, 0);
  c.Touched(dst);
  c.Notify(notify::kGeneric, "rename_from", src);
  c.Notify(notify::kGeneric, "rename_to", dst);
  nx ? c.w.Integer(1) : c.Ok();
}

void Rename(Call& c) { RenameGeneric(c, false); }
void RenameNx(Call& c) { RenameGeneric(c, true); }

// Checks a target DB index as COPY and MOVE do; replies the error and returns false if bad.
bool CheckTargetDb(Call& c, int dbid) {
  if (dbid < 0 || dbid >= c.engine.db_count()) {
    c.Error(err::kDbIndex);
    return false;
  }
  return true;
}

void Copy(Call& c) {
  int dbid = c.client.db;
  bool replace = false;
  for (size_t i = 3; i < c.argc(); ++i) {
    if (EqualsIgnoreCase(c.arg(i), "replace")) {
      replace = true;
    } else if (EqualsIgnoreCase(c.arg(i), "db") && i + 1 < c.argc()) {
      if (!ParseDbIndexArg(c, c.arg(++i), &dbid)) return;
    } else {
      c.SyntaxError();
      return;
    }
  }
  if (c.engine.options().cluster_enabled && (c.client.db != 0 || dbid != 0)) {
    c.Error("ERR Copying to another database is not allowed in cluster mode");
    return;
  }
  if (!CheckTargetDb(c, dbid)) return;
  const std::string& src = c.arg(1);
  const std::string& dst = c.arg(2);
  if (dbid == c.client.db && src == dst) {
    c.Error(err::kSameObject);
    return;
  }
  if (c.LookupRead(src) == nullptr || (c.engine.LookupKey(dbid, dst) != nullptr && !replace)) {
    c.w.Integer(0);
    return;
  }
  // Looked up again: the destination lookup may have deleted an expired key and moved things.
  const keyspace::Object* o = c.db().Peek(src, c.now_ms());
  int64_t expire_ms = c.db().GetExpire(src);
  keyspace::Object copy = o->Clone();
  // The copy is a new object: fresh access time and LFU counter.
  copy.lru = static_cast<uint32_t>(c.now_ms() / 1000);
  copy.lfu_counter = keyspace::Object().lfu_counter;
  keyspace::Db& target = c.engine.db(dbid);
  target.Set(dst, std::move(copy));
  if (expire_ms >= 0) target.SetExpire(dst, expire_ms);
  c.engine.TouchKey(dbid, dst);
  c.engine.NotifyKeyspaceEvent(notify::kGeneric, "copy_to", dst, dbid);
  ++c.engine.stats().dirty;
  c.w.Integer(1);
}

void Move(Call& c) {
  if (c.engine.options().cluster_enabled) {
    c.Error("ERR MOVE is not allowed in cluster mode");
    return;
  }
  int dbid = 0;
  if (!ParseDbIndexArg(c, c.arg(2), &dbid) || !CheckTargetDb(c, dbid)) return;
  if (dbid == c.client.db) {
    c.Error(err::kSameObject);
    return;
  }
  const std::string& key = c.arg(1);
  if (c.Lookup(key) == nullptr || c.engine.LookupKey(dbid, key) != nullptr) {
    c.w.Integer(0);
    return;
  }
  int64_t expire_ms = -1;
  std::optional<keyspace::Object> value = c.db().Take(key, &expire_ms);
  keyspace::Db& target = c.engine.db(dbid);
  target.Set(key, std::move(*value));
  if (expire_ms >= 0) target.SetExpire(key, expire_ms);
  c.Touched(key);
  c.engine.TouchKey(dbid, key);
  c.Notify(notify::kGeneric, "move_from", key);
  c.engine.NotifyKeyspaceEvent(notify::kGeneric, "move_to", key, dbid);
  c.w.Integer(1);
}

void RandomKey(Call& c) {
  keyspace::Db& db = c.db();
  // Each round either answers or deletes an expired key, so this ends.
  while (std::optional<std::string> key = db.RandomKey(c.engine.rng().Next())) {
    if (!c.engine.ExpireIfNeeded(c.client.db, *key)) {
      c.w.Bulk(*key);
      return;
    }
  }
  c.w.Null();
}

}  // namespace

void RegisterKeyCommands(CommandTable& t) {
  t.Register("del", Del);
  t.Register("unlink", Del);
  t.Register("exists", Exists);
  t.Register("touch", Touch);
  t.Register("type", Type);
  t.Register("rename", Rename);
  t.Register("renamenx", RenameNx);
  t.Register("copy", Copy);
  t.Register("move", Move);
  t.Register("randomkey", RandomKey);
  RegisterExpireCommands(t);
  RegisterScanCommands(t);
  RegisterObjectCommands(t);
}

}  // namespace tessera::commands
