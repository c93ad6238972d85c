// Hash commands (HSET, HGET and family), with Redis 7.0.15's replies and error texts.
#include <algorithm>
#include <cmath>

#include "commands/collection_util.h"
#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/errors.h"
#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/int_set.h"

namespace tessera::commands {
namespace {

using keyspace::HashValue;
using keyspace::ObjType;

// The hash at key, nullptr when missing; nullopt after a WRONGTYPE reply.
std::optional<HashValue*> FindHash(Call& c, std::string_view key) {
  auto o = FindTyped(c, key, ObjType::kHash);
  if (!o) return std::nullopt;
  return *o == nullptr ? nullptr : &(*o)->hash();
}

// The hash at key, created when missing; nullptr after a WRONGTYPE reply.
HashValue* HashForWrite(Call& c, std::string_view key) {
  auto h = FindHash(c, key);
  if (!h) return nullptr;
  return *h != nullptr ? *h : &CreateValue<HashValue>(c, key);
}

void HSetGeneric(Call& c, bool hmset) {
  if (c.argc() % 2 != 0) {
    c.Error(fmt::format("ERR wrong number of arguments for '{}' command", c.cmd->name));
    return;
  }
  HashValue* h = HashForWrite(c, c.arg(1));
  if (h == nullptr) return;
  const auto& limits = Limits(c);
  for (size_t i = 2; i < c.argc(); ++i) h->CheckLength(c.arg(i).size(), limits);
  int64_t created = 0;
  for (size_t i = 2; i < c.argc(); i += 2) created += h->Set(c.arg(i), c.arg(i + 1), limits);
  c.Touched(c.arg(1));
  c.Notify(notify::kHash, "hset", c.arg(1));
  if (hmset) {
    c.Ok();
  } else {
    c.w.Integer(created);
  }
}

void HSet(Call& c) { HSetGeneric(c, false); }
void HMSet(Call& c) { HSetGeneric(c, true); }

void HSetNx(Call& c) {
  HashValue* h = HashForWrite(c, c.arg(1));
  if (h == nullptr) return;
  const auto& limits = Limits(c);
  h->CheckLength(c.arg(2).size(), limits);
  h->CheckLength(c.arg(3).size(), limits);
  if (h->Contains(c.arg(2))) {
    c.w.Integer(0);
    return;
  }
  h->Set(c.arg(2), c.arg(3), limits);
  c.Touched(c.arg(1));
  c.Notify(notify::kHash, "hset", c.arg(1));
  c.w.Integer(1);
}

void HGet(Call& c) {
  auto h = FindHash(c, c.arg(1));
  if (!h) return;
  std::optional<std::string_view> v;
  if (*h != nullptr) v = (*h)->Get(c.arg(2));
  if (v) {
    c.w.Bulk(*v);
  } else {
    c.w.Null();
  }
}

void HMGet(Call& c) {
  auto h = FindHash(c, c.arg(1));
  if (!h) return;
  c.w.ArrayHeader(static_cast<int64_t>(c.argc() - 2));
  for (size_t i = 2; i < c.argc(); ++i) {
    std::optional<std::string_view> v;
    if (*h != nullptr) v = (*h)->Get(c.arg(i));
    if (v) {
      c.w.Bulk(*v);
    } else {
      c.w.Null();
    }
  }
}

void HDel(Call& c) {
  auto h = FindHash(c, c.arg(1));
  if (!h) return;
  int64_t deleted = 0;
  bool key_deleted = false;
  if (*h != nullptr) {
    for (size_t i = 2; i < c.argc(); ++i) {
      if (!(*h)->Delete(c.arg(i))) continue;
      ++deleted;
      if ((*h)->Size() == 0) {
        c.db().Delete(c.arg(1));
        key_deleted = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    c.Touched(c.arg(1), static_cast<uint64_t>(deleted));
    c.Notify(notify::kHash, "hdel", c.arg(1));
    if (key_deleted) c.Notify(notify::kGeneric, "del", c.arg(1));
  }
  c.w.Integer(deleted);
}

void HExists(Call& c) {
  auto h = FindHash(c, c.arg(1));
  if (!h) return;
  c.w.Integer(*h != nullptr && (*h)->Contains(c.arg(2)) ? 1 : 0);
}

void HLen(Call& c) {
  auto h = FindHash(c, c.arg(1));
  if (!h) return;
  c.w.Integer(*h != nullptr ? static_cast<int64_t>((*h)->Size()) : 0);
}

void HStrLen(Call& c) {
  auto h = FindHash(c, c.arg(1));
  if (!h) return;
  std::optional<std::string_view> v;
  if (*h != nullptr) v = (*h)->Get(c.arg(2));
  c.w.Integer(v ? static_cast<int64_t>(v->size()) : 0);
}

enum class Part { kKeys, kValues, kBoth };

void HGetAllGeneric(Call& c, Part part) {
  auto h = FindHash(c, c.arg(1));
  if (!h) return;
  size_t n = *h != nullptr ? (*h)->Size() : 0;
  if (part == Part::kBoth) {
    c.w.MapHeader(static_cast<int64_t>(n));
  } else {
    c.w.ArrayHeader(static_cast<int64_t>(n));
  }
  if (n == 0) return;
  (*h)->ForEach([&](std::string_view f, std::string_view v) {
    if (part != Part::kValues) c.w.Bulk(f);
    if (part != Part::kKeys) c.w.Bulk(v);
  });
}

void HKeys(Call& c) { HGetAllGeneric(c, Part::kKeys); }
void HVals(Call& c) { HGetAllGeneric(c, Part::kValues); }
void HGetAll(Call& c) { HGetAllGeneric(c, Part::kBoth); }

void HIncrBy(Call& c) {
  int64_t incr = 0;
  if (!GetLong(c, c.arg(3), &incr)) return;
  HashValue* h = HashForWrite(c, c.arg(1));
  if (h == nullptr) return;
  int64_t old = 0;
  if (auto v = h->Get(c.arg(2))) {
    auto parsed = keyspace::ParseCanonicalInt(*v);
    if (!parsed) {
      c.Error("ERR hash value is not an integer");
      return;
    }
    old = *parsed;
  }
  if ((incr < 0 && old < 0 && incr < INT64_MIN - old) ||
      (incr > 0 && old > 0 && incr > INT64_MAX - old)) {
    c.Error(err::kOverflow);
    return;
  }
  int64_t value = old + incr;
  h->Set(c.arg(2), std::to_string(value), Limits(c));
  c.Touched(c.arg(1));
  c.Notify(notify::kHash, "hincrby", c.arg(1));
  c.w.Integer(value);
}

void HIncrByFloat(Call& c) {
  auto incr = ParseLongDouble(c.arg(3));
  if (!incr) {
    c.Error(err::kNotFloat);
    return;
  }
  if (std::isnan(*incr) || std::isinf(*incr)) {
    c.Error("ERR value is NaN or Infinity");
    return;
  }
  HashValue* h = HashForWrite(c, c.arg(1));
  if (h == nullptr) return;
  long double old = 0;
  if (auto v = h->Get(c.arg(2))) {
    auto parsed = ParseLongDouble(*v);
    if (!parsed) {
      c.Error("ERR hash value is not a float");
      return;
    }
    old = *parsed;
  }
  long double value = old + *incr;
  if (std::isnan(value) || std::isinf(value)) {
    c.Error("ERR increment would produce NaN or Infinity");
    return;
  }
  std::string text = resp::FormatHumanLongDouble(value);
  h->Set(c.arg(2), text, Limits(c));
  c.Touched(c.arg(1));
  c.Notify(notify::kHash, "hincrbyfloat", c.arg(1));
  c.w.Bulk(text);
}

void ReplyField(Call& c, const std::pair<std::string_view, std::string_view>& e, bool withvalues) {
  if (withvalues && c.w.proto() > 2) c.w.ArrayHeader(2);
  c.w.Bulk(e.first);
  if (withvalues) c.w.Bulk(e.second);
}

void HRandFieldWithCount(Call& c) {
  int64_t l = 0;
  if (!GetRangeLong(c, c.arg(2), -INT64_MAX, INT64_MAX, &l)) return;
  bool withvalues = false;
  if (c.argc() > 4 || (c.argc() == 4 && !EqualsIgnoreCase(c.arg(3), "withvalues"))) {
    c.SyntaxError();
    return;
  }
  if (c.argc() == 4) {
    withvalues = true;
    // Redis refuses counts whose doubled reply length would overflow.
    if (l < -INT64_MAX / 2 || l > INT64_MAX / 2) {
      c.Error("ERR value is out of range");
      return;
    }
  }
  auto h = FindHash(c, c.arg(1));
  if (!h) return;
  if (*h == nullptr || l == 0) {
    c.w.ArrayHeader(0);
    return;
  }
  HashValue& hash = **h;
  size_t size = hash.Size();
  int64_t per = withvalues && c.w.proto() == 2 ? 2 : 1;
  auto& rng = c.engine.rng();
  if (l < 0 || l == 1) {
    // Repetitions allowed: each pick is independent.
    auto count = static_cast<uint64_t>(l < 0 ? -l : l);
    c.w.ArrayHeader(static_cast<int64_t>(count) * per);
    for (uint64_t i = 0; i < count; ++i) ReplyField(c, hash.At(rng.Uniform(size)), withvalues);
    return;
  }
  auto count = static_cast<size_t>(l);
  if (count >= size) {
    c.w.ArrayHeader(static_cast<int64_t>(size) * per);
    hash.ForEach([&](std::string_view f, std::string_view v) {
      ReplyField(c, {f, v}, withvalues);
    });
    return;
  }
  std::vector<size_t> picks = SampleDistinct(rng, size, count);
  // A listpack's distinct sample comes back in listpack order in Redis.
  if (hash.IsListpack()) std::sort(picks.begin(), picks.end());
  c.w.ArrayHeader(static_cast<int64_t>(count) * per);
  for (size_t i : picks) ReplyField(c, hash.At(i), withvalues);
}

void HRandField(Call& c) {
  if (c.argc() >= 3) {
    HRandFieldWithCount(c);
    return;
  }
  auto h = FindHash(c, c.arg(1));
  if (!h) return;
  if (*h == nullptr) {
    c.w.Null();
    return;
  }
  c.w.Bulk((*h)->At(c.engine.rng().Uniform((*h)->Size())).first);
}

void HScan(Call& c) {
  uint64_t cursor = 0;
  if (!ParseScanCursor(c, c.arg(2), &cursor)) return;
  auto h = FindHash(c, c.arg(1));
  if (!h) return;
  if (*h == nullptr) {
    ReplyScan(c, 0, {});
    return;
  }
  ScanOptions opts;
  if (!ParseScanOptions(c, 3, &opts)) return;
  std::vector<std::string_view> items;
  uint64_t next = (*h)->Scan(cursor, opts.count, [&](std::string_view f, std::string_view v) {
    if (!ScanMatches(opts, f)) return;
    items.push_back(f);
    items.push_back(v);
  });
  ReplyScan(c, next, items);
}

}  // namespace

void RegisterHashCommands(CommandTable& t) {
  t.Register("hset", HSet);
  t.Register("hmset", HMSet);
  t.Register("hsetnx", HSetNx);
  t.Register("hget", HGet);
  t.Register("hmget", HMGet);
  t.Register("hdel", HDel);
  t.Register("hexists", HExists);
  t.Register("hlen", HLen);
  t.Register("hstrlen", HStrLen);
  t.Register("hkeys", HKeys);
  t.Register("hvals", HVals);
  t.Register("hgetall", HGetAll);
  t.Register("hincrby", HIncrBy);
  t.Register("hincrbyfloat", HIncrByFloat);
  t.Register("hrandfield", HRandField);
  t.Register("hscan", HScan);
}

}  // namespace tessera::commands
