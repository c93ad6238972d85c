// SINTER, SINTERCARD, SUNION, SDIFF and the STORE forms, following Redis 7.0.15's algorithms
// closely enough that replies come out in the same order whenever that order is deterministic
// (an intset result or source is ascending).
#include <algorithm>
#include <memory>
#include <vector>

#include "commands/collection_util.h"
#include "commands/set_util.h"
#include "commands/util.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

using keyspace::SetValue;

// Looks up every key; nullopt after a WRONGTYPE reply (Redis checks all keys before any work).
// Missing keys give nullptr.
std::optional<std::vector<SetValue*>> FindSets(Call& c, size_t first, size_t n) {
  std::vector<SetValue*> sets;
  sets.reserve(n);
  for (size_t i = first; i < first + n; ++i) {
    auto s = FindSet(c, c.arg(i));
    if (!s) return std::nullopt;
    sets.push_back(*s);
  }
  return sets;
}

void ReplyMembers(Call& c, const SetValue& s) {
  c.w.SetHeader(static_cast<int64_t>(s.Size()));
  s.ForEach([&](std::string_view m) { c.w.Bulk(m); });
}

// Replaces dst with the result, or deletes it when the result is empty; replies the size.
void StoreResult(Call& c, std::string_view dst, std::unique_ptr<SetValue> result) {
  size_t n = result->Size();
  if (n > 0) {
    c.db().Set(dst, keyspace::Object(std::move(result)));
    c.Touched(dst);
    c.Notify(notify::kSet, c.cmd->name, dst);  // "sinterstore", "sunionstore", "sdiffstore"
  } else if (c.db().Delete(dst)) {
    c.Touched(dst);
    c.Notify(notify::kGeneric, "del", dst);
  }
  c.w.Integer(static_cast<int64_t>(n));
}

// Visits the intersection in the smallest set's order, stopping after `limit` members (0: all).
template <class Fn>
void ForEachInIntersection(std::vector<SetValue*> sets, size_t limit, Fn fn) {
  for (SetValue* s : sets) {
    if (s == nullptr || s->Size() == 0) return;
  }
  std::stable_sort(sets.begin(), sets.end(),
                   [](const SetValue* a, const SetValue* b) { return a->Size() < b->Size(); });
  size_t found = 0;
  // ForEach cannot stop early; the limit only saves the membership checks and the output.
  sets[0]->ForEach([&](std::string_view m) {
    if (limit != 0 && found >= limit) return;
    for (size_t j = 1; j < sets.size(); ++j) {
      if (sets[j] != sets[0] && !sets[j]->Contains(m)) return;
    }
    ++found;
    fn(m);
  });
}

void SInterGeneric(Call& c, size_t first, std::string_view dst) {
  auto sets = FindSets(c, first, c.argc() - first);
  if (!sets) return;
  if (dst.empty()) {
    // Collected first: the reply's length precedes the members.
    std::vector<std::string> members;
    ForEachInIntersection(*sets, 0, [&](std::string_view m) { members.emplace_back(m); });
    c.w.SetHeader(static_cast<int64_t>(members.size()));
    for (const auto& m : members) c.w.Bulk(m);
    return;
  }
  auto result = std::make_unique<SetValue>();
  ForEachInIntersection(*sets, 0, [&](std::string_view m) { result->Add(m, Limits(c)); });
  StoreResult(c, dst, std::move(result));
}

std::unique_ptr<SetValue> Union(Call& c, const std::vector<SetValue*>& sets) {
  auto result = std::make_unique<SetValue>();
  for (SetValue* s : sets) {
    if (s != nullptr) s->ForEach([&](std::string_view m) { result->Add(m, Limits(c)); });
  }
  return result;
}

std::unique_ptr<SetValue> Diff(Call& c, const std::vector<SetValue*>& sets) {
  auto result = std::make_unique<SetValue>();
  if (sets[0] == nullptr) return result;
  sets[0]->ForEach([&](std::string_view m) {
    for (size_t j = 1; j < sets.size(); ++j) {
      if (sets[j] == sets[0]) return;  // a set minus itself is empty
      if (sets[j] != nullptr && sets[j]->Contains(m)) return;
    }
    result->Add(m, Limits(c));
  });
  return result;
}

enum class Op { kUnion, kDiff };

void SUnionDiffGeneric(Call& c, size_t first, std::string_view dst, Op op) {
  auto sets = FindSets(c, first, c.argc() - first);
  if (!sets) return;
  std::unique_ptr<SetValue> result = op == Op::kUnion ? Union(c, *sets) : Diff(c, *sets);
  if (dst.empty()) {
    ReplyMembers(c, *result);
  } else {
    StoreResult(c, dst, std::move(result));
  }
}

void SInter(Call& c) { SInterGeneric(c, 1, {}); }
void SInterStore(Call& c) { SInterGeneric(c, 2, c.arg(1)); }
void SUnion(Call& c) { SUnionDiffGeneric(c, 1, {}, Op::kUnion); }
void SUnionStore(Call& c) { SUnionDiffGeneric(c, 2, c.arg(1), Op::kUnion); }
void SDiff(Call& c) { SUnionDiffGeneric(c, 1, {}, Op::kDiff); }
void SDiffStore(Call& c) { SUnionDiffGeneric(c, 2, c.arg(1), Op::kDiff); }

void SInterCard(Call& c) {
  int64_t numkeys = 0;
  if (!GetRangeLong(c, c.arg(1), 1, INT64_MAX, &numkeys, "numkeys should be greater than 0")) {
    return;
  }
  if (static_cast<uint64_t>(numkeys) > c.argc() - 2) {
    c.Error("ERR Number of keys can't be greater than number of args");
    return;
  }
  int64_t limit = 0;
  for (size_t j = 2 + static_cast<size_t>(numkeys); j < c.argc(); ++j) {
    if (EqualsIgnoreCase(c.arg(j), "limit") && j + 1 < c.argc()) {
      if (!GetPositiveLong(c, c.arg(++j), &limit, "LIMIT can't be negative")) return;
    } else {
      c.SyntaxError();
      return;
    }
  }
  auto sets = FindSets(c, 2, static_cast<size_t>(numkeys));
  if (!sets) return;
  int64_t n = 0;
  ForEachInIntersection(*sets, static_cast<size_t>(limit), [&](std::string_view) { ++n; });
  c.w.Integer(n);
}

}  // namespace

void RegisterSetAlgebraCommands(CommandTable& t) {
  t.Register("sinter", SInter);
  t.Register("sinterstore", SInterStore);
  t.Register("sintercard", SInterCard);
  t.Register("sunion", SUnion);
  t.Register("sunionstore", SUnionStore);
  t.Register("sdiff", SDiff);
  t.Register("sdiffstore", SDiffStore);
}

}  // namespace tessera::commands
