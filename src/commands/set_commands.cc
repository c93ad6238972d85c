// Set commands (SADD, SMEMBERS and family), with Redis 7.0.15's replies and error texts.
// SINTER/SUNION/SDIFF and their STORE forms live in set_algebra_commands.cc.
#include <algorithm>

#include "commands/collection_util.h"
#include "commands/set_util.h"
#include "commands/util.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/errors.h"
#include "tessera/keyspace/int_set.h"

namespace tessera::commands {
namespace {

using keyspace::SetValue;

void SAdd(Call& c) {
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  SetValue* set = *s;
  if (set == nullptr) {
    set = &CreateValue<SetValue>(c, c.arg(1));
    // A new set with a non-integer member ends up a hashtable anyway: sizing it for all the
    // members at once saves the growth steps' slack (memory matters for small sets).
    size_t n = c.argc() - 2;
    bool all_ints = true;
    for (size_t i = 2; i < c.argc() && all_ints; ++i) {
      all_ints = keyspace::ParseCanonicalInt(c.arg(i)).has_value();
    }
    if (n > 1 && !all_ints) {
      set->ConvertToHashtable();
      set->Reserve(n);
    }
  }
  int64_t added = 0;
  for (size_t i = 2; i < c.argc(); ++i) added += set->Add(c.arg(i), Limits(c));
  if (added > 0) {
    c.Touched(c.arg(1), static_cast<uint64_t>(added));
    c.Notify(notify::kSet, "sadd", c.arg(1));
  }
  c.w.Integer(added);
}

void SRem(Call& c) {
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  int64_t removed = 0;
  bool key_deleted = false;
  if (*s != nullptr) {
    for (size_t i = 2; i < c.argc(); ++i) {
      if (!(*s)->Remove(c.arg(i))) continue;
      ++removed;
      if ((*s)->Size() == 0) {
        c.db().Delete(c.arg(1));
        key_deleted = true;
        break;
      }
    }
  }
  if (removed > 0) {
    c.Touched(c.arg(1), static_cast<uint64_t>(removed));
    c.Notify(notify::kSet, "srem", c.arg(1));
    if (key_deleted) c.Notify(notify::kGeneric, "del", c.arg(1));
  }
  c.w.Integer(removed);
}

void SCard(Call& c) {
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  c.w.Integer(*s != nullptr ? static_cast<int64_t>((*s)->Size()) : 0);
}

void SIsMember(Call& c) {
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  c.w.Integer(*s != nullptr && (*s)->Contains(c.arg(2)) ? 1 : 0);
}

void SMIsMember(Call& c) {
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  c.w.ArrayHeader(static_cast<int64_t>(c.argc() - 2));
  for (size_t i = 2; i < c.argc(); ++i) {
    c.w.Integer(*s != nullptr && (*s)->Contains(c.arg(i)) ? 1 : 0);
  }
}

void SMembers(Call& c) {
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  if (*s == nullptr) {
    c.w.SetHeader(0);
    return;
  }
  c.w.SetHeader(static_cast<int64_t>((*s)->Size()));
  (*s)->ForEach([&](std::string_view m) { c.w.Bulk(m); });
}

void SRandMemberWithCount(Call& c) {
  int64_t l = 0;
  if (!GetRangeLong(c, c.arg(2), -INT64_MAX, INT64_MAX, &l)) return;
  if (c.argc() > 3) {
    c.SyntaxError();
    return;
  }
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  if (*s == nullptr || l == 0) {
    c.w.ArrayHeader(0);
    return;
  }
  SetValue& set = **s;
  size_t size = set.Size();
  auto& rng = c.engine.rng();
  if (l < 0 || l == 1) {
    auto count = static_cast<uint64_t>(l < 0 ? -l : l);
    c.w.ArrayHeader(static_cast<int64_t>(count));
    for (uint64_t i = 0; i < count; ++i) c.w.Bulk(set.At(rng.Uniform(size)));
    return;
  }
  auto count = static_cast<size_t>(l);
  if (count >= size) {
    c.w.ArrayHeader(static_cast<int64_t>(size));
    set.ForEach([&](std::string_view m) { c.w.Bulk(m); });
    return;
  }
  c.w.ArrayHeader(static_cast<int64_t>(count));
  for (size_t i : SampleDistinct(rng, size, count)) c.w.Bulk(set.At(i));
}

void SRandMember(Call& c) {
  if (c.argc() >= 3) {
    SRandMemberWithCount(c);
    return;
  }
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  if (*s == nullptr) {
    c.w.Null();
    return;
  }
  c.w.Bulk((*s)->At(c.engine.rng().Uniform((*s)->Size())));
}

void SPopWithCount(Call& c) {
  int64_t count = 0;
  if (!GetPositiveLong(c, c.arg(2), &count)) return;
  if (c.argc() > 3) {
    c.SyntaxError();
    return;
  }
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  if (*s == nullptr || count == 0) {
    c.w.SetHeader(0);
    return;
  }
  SetValue& set = **s;
  size_t size = set.Size();
  if (static_cast<uint64_t>(count) >= size) {
    c.w.SetHeader(static_cast<int64_t>(size));
    set.ForEach([&](std::string_view m) { c.w.Bulk(m); });
    c.db().Delete(c.arg(1));
    c.Touched(c.arg(1));
    c.Notify(notify::kSet, "spop", c.arg(1));
    c.Notify(notify::kGeneric, "del", c.arg(1));
    return;
  }
  auto& rng = c.engine.rng();
  c.w.SetHeader(count);
  for (int64_t i = 0; i < count; ++i) c.w.Bulk(set.TakeAt(rng.Uniform(set.Size())));
  c.Touched(c.arg(1), static_cast<uint64_t>(count));
  c.Notify(notify::kSet, "spop", c.arg(1));
}

void SPop(Call& c) {
  if (c.argc() >= 3) {
    SPopWithCount(c);
    return;
  }
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  if (*s == nullptr) {
    c.w.Null();
    return;
  }
  c.w.Bulk((*s)->TakeAt(c.engine.rng().Uniform((*s)->Size())));
  c.Notify(notify::kSet, "spop", c.arg(1));
  if ((*s)->Size() == 0) {
    c.db().Delete(c.arg(1));
    c.Notify(notify::kGeneric, "del", c.arg(1));
  }
  c.Touched(c.arg(1));
}

void SMove(Call& c) {
  auto src = FindSet(c, c.arg(1));
  if (!src) return;
  if (*src == nullptr) {
    // Redis answers 0 for a missing source before it looks at the destination's type.
    c.w.Integer(0);
    return;
  }
  auto dst = FindSet(c, c.arg(2));
  if (!dst) return;
  std::string_view member = c.arg(3);
  if (*src == *dst) {
    c.w.Integer((*src)->Contains(member) ? 1 : 0);
    return;
  }
  if (!(*src)->Remove(member)) {
    c.w.Integer(0);
    return;
  }
  c.Notify(notify::kSet, "srem", c.arg(1));
  if ((*src)->Size() == 0) {
    c.db().Delete(c.arg(1));
    c.Notify(notify::kGeneric, "del", c.arg(1));
  }
  c.Touched(c.arg(1));
  // The delete may have moved entries: look the destination up again.
  auto again = FindSet(c, c.arg(2));
  SetValue* d = *again != nullptr ? *again : &CreateValue<SetValue>(c, c.arg(2));
  if (d->Add(member, Limits(c))) {
    c.Touched(c.arg(2));
    c.Notify(notify::kSet, "sadd", c.arg(2));
  }
  c.w.Integer(1);
}

void SScan(Call& c) {
  uint64_t cursor = 0;
  if (!ParseScanCursor(c, c.arg(2), &cursor)) return;
  auto s = FindSet(c, c.arg(1));
  if (!s) return;
  if (*s == nullptr) {
    ReplyScan(c, 0, {});
    return;
  }
  ScanOptions opts;
  if (!ParseScanOptions(c, 3, &opts)) return;
  // Views into an intset's members are to a scratch buffer: copy them.
  std::vector<std::string> items;
  uint64_t next = (*s)->Scan(cursor, opts.count, [&](std::string_view m) {
    if (ScanMatches(opts, m)) items.emplace_back(m);
  });
  ReplyScan(c, next, std::vector<std::string_view>(items.begin(), items.end()));
}

}  // namespace

std::optional<SetValue*> FindSet(Call& c, std::string_view key) {
  auto o = FindTyped(c, key, keyspace::ObjType::kSet);
  if (!o) return std::nullopt;
  return *o == nullptr ? nullptr : &(*o)->set();
}

void RegisterSetCommands(CommandTable& t) {
  t.Register("sadd", SAdd);
  t.Register("srem", SRem);
  t.Register("scard", SCard);
  t.Register("sismember", SIsMember);
  t.Register("smismember", SMIsMember);
  t.Register("smembers", SMembers);
  t.Register("srandmember", SRandMember);
  t.Register("spop", SPop);
  t.Register("smove", SMove);
  t.Register("sscan", SScan);
  RegisterSetAlgebraCommands(t);
}

}  // namespace tessera::commands
