// Shared pieces of the sorted set commands (see zset_common.h).
#include "commands/zset_common.h"

#include <cmath>
#include <cstdlib>
#include <memory>

#include "tessera/commands/notify.h"
#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/set.h"

namespace tessera::commands::zset {
namespace {

keyspace::ZSetValue* AsZSet(Call& c, keyspace::Object* o, bool* wrongtype) {
  *wrongtype = false;
  if (o == nullptr) return nullptr;
  if (o->type() != keyspace::ObjType::kZSet) {
    *wrongtype = true;
    c.WrongType();
    return nullptr;
  }
  return &o->zset();
}

// zslParseRange's strtod: the whole string (up to a NUL byte) must be taken.
std::optional<std::pair<double, bool>> ParseScoreBound(std::string_view s) {
  bool exclusive = !s.empty() && s[0] == '(';
  if (exclusive) s.remove_prefix(1);
  std::string buf(s);
  char* end = nullptr;
  double v = std::strtod(buf.c_str(), &end);
  if (*end != '\0' || std::isnan(v)) return std::nullopt;
  return std::make_pair(v, exclusive);
}

std::optional<LexBound> ParseLexBound(std::string_view s) {
  LexBound b;
  if (s.empty()) return std::nullopt;
  switch (s[0]) {
    case '+':
      if (s.size() != 1) return std::nullopt;
      b.kind = LexBound::kPlusInf;
      return b;
    case '-':
      if (s.size() != 1) return std::nullopt;
      b.kind = LexBound::kMinusInf;
      return b;
    case '(':
    case '[':
      b.kind = LexBound::kValue;
      b.exclusive = s[0] == '(';
      b.value = std::string(s.substr(1));
      return b;
    default:
      return std::nullopt;
  }
}

}  // namespace

const keyspace::ZSetLimits& Limits(Call& c) { return c.engine.options().zset_limits; }

keyspace::ZSetValue* ReadZSet(Call& c, std::string_view key, bool* wrongtype) {
  return AsZSet(c, c.LookupRead(key), wrongtype);
}

keyspace::ZSetValue* WriteZSet(Call& c, std::string_view key, bool* wrongtype) {
  return AsZSet(c, c.db().Find(key, c.now_ms()), wrongtype);
}

void DeleteIfEmpty(Call& c, std::string_view key, const keyspace::ZSetValue& z) {
  if (z.Size() != 0) return;
  c.db().Delete(key);
  c.Notify(notify::kGeneric, "del", key);
}

std::optional<ScoreRange> ParseScoreRange(std::string_view min, std::string_view max) {
  auto lo = ParseScoreBound(min);
  auto hi = ParseScoreBound(max);
  if (!lo || !hi) return std::nullopt;
  return ScoreRange{lo->first, hi->first, lo->second, hi->second};
}

std::optional<LexRange> ParseLexRange(std::string_view min, std::string_view max) {
  auto lo = ParseLexBound(min);
  auto hi = ParseLexBound(max);
  if (!lo || !hi) return std::nullopt;
  return LexRange{std::move(*lo), std::move(*hi)};
}

std::pair<size_t, size_t> ScoreRanks(const keyspace::ZSetValue& z, const ScoreRange& r) {
  size_t first =
      z.CountPrefix([&](std::string_view, double s) { return r.minex ? s <= r.min : s < r.min; });
  size_t last =
      z.CountPrefix([&](std::string_view, double s) { return r.maxex ? s < r.max : s <= r.max; });
  return {first, std::max(first, last)};
}

std::pair<size_t, size_t> LexRanks(const keyspace::ZSetValue& z, const LexRange& r) {
  auto below_min = [&](std::string_view m, double) {
    switch (r.min.kind) {
      case LexBound::kMinusInf:
        return false;
      case LexBound::kPlusInf:
        return true;
      case LexBound::kValue:
        break;
    }
    return r.min.exclusive ? m <= r.min.value : m < r.min.value;
  };
  auto within_max = [&](std::string_view m, double) {
    switch (r.max.kind) {
      case LexBound::kMinusInf:
        return false;
      case LexBound::kPlusInf:
        return true;
      case LexBound::kValue:
        break;
    }
    return r.max.exclusive ? m < r.max.value : m <= r.max.value;
  };
  size_t first = z.CountPrefix(below_min);
  size_t last = z.CountPrefix(within_max);
  return {first, std::max(first, last)};
}

std::optional<std::pair<size_t, size_t>> RankRange(int64_t start, int64_t end, size_t size) {
  auto len = static_cast<int64_t>(size);
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return std::nullopt;
  if (end >= len) end = len - 1;
  return std::make_pair(static_cast<size_t>(start), static_cast<size_t>(end) + 1);
}

void ReplyElementsHeader(Call& c, size_t n, bool withscores) {
  auto count = static_cast<int64_t>(n);
  c.w.ArrayHeader(withscores && c.w.proto() == 2 ? count * 2 : count);
}

void ReplyElement(Call& c, std::string_view member, double score, bool withscores) {
  if (withscores && c.w.proto() > 2) c.w.ArrayHeader(2);
  c.w.Bulk(member);
  if (withscores) c.w.Double(score);
}

void StoreEntries(Call& c, std::string_view dst, const Entries& entries) {
  if (entries.empty()) {
    if (c.db().Delete(dst)) {
      c.Touched(dst);
      c.Notify(notify::kGeneric, "del", dst);
    }
    c.w.Integer(0);
    return;
  }
  auto z = std::make_unique<keyspace::ZSetValue>();
  const keyspace::ZSetLimits& limits = Limits(c);
  bool fits = entries.size() <= limits.max_listpack_entries;
  for (const auto& [member, score] : entries)
    fits = fits && member.size() <= limits.max_listpack_value;
  if (!fits) z->ConvertToSkiplist();
  for (const auto& [member, score] : entries) z->Set(member, score, limits);
  size_t n = z->Size();
  c.db().Set(dst, keyspace::Object(std::move(z)));
  c.Touched(dst);
  c.Notify(notify::kZset, c.cmd->name, dst);  // "zunionstore", "zrangestore", ...
  c.w.Integer(static_cast<int64_t>(n));
}

}  // namespace tessera::commands::zset
