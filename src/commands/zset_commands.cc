// Sorted set commands, point operations: ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK,
// ZREVRANK, ZCOUNT, ZLEXCOUNT (Redis 7.0 t_zset.c semantics and replies).
#include <cmath>
#include <memory>

#include "commands/util.h"
#include "commands/zset_common.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/errors.h"
#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/set.h"

namespace tessera::commands {
namespace {

using keyspace::ZSetValue;
using namespace zset;  // NOLINT: the family's shared helpers

struct ZAddFlags {
  bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
};

// Flags come first and stop at the first word that is not one (that word is the first score).
size_t ParseZAddFlags(Call& c, ZAddFlags* f) {
  size_t i = 2;
  for (; i < c.argc(); ++i) {
    std::string_view a = c.arg(i);
    if (EqualsIgnoreCase(a, "nx")) {
      f->nx = true;
    } else if (EqualsIgnoreCase(a, "xx")) {
      f->xx = true;
    } else if (EqualsIgnoreCase(a, "gt")) {
      f->gt = true;
    } else if (EqualsIgnoreCase(a, "lt")) {
      f->lt = true;
    } else if (EqualsIgnoreCase(a, "ch")) {
      f->ch = true;
    } else if (EqualsIgnoreCase(a, "incr")) {
      f->incr = true;
    } else {
      break;
    }
  }
  return i;
}

// ZADD and ZINCRBY (which is ZADD INCR without flags).
void ZAddGeneric(Call& c, bool zincrby) {
  ZAddFlags f;
  size_t first = 2;
  if (zincrby) {
    f.incr = true;
  } else {
    first = ParseZAddFlags(c, &f);
  }
  size_t elements = c.argc() - first;
  if (elements % 2 != 0 || elements == 0) return c.SyntaxError();
  elements /= 2;
  if (f.nx && f.xx) return c.Error("ERR XX and NX options at the same time are not compatible");
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) {
    return c.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (f.incr && elements > 1) {
    return c.Error("ERR INCR option supports a single increment-element pair");
  }
  // Every score is checked before anything changes.
  std::vector<double> scores(elements);
  for (size_t j = 0; j < elements; ++j) {
    auto s = ParseDouble(c.arg(first + 2 * j));
    if (!s) return c.Error(err::kNotFloat);
    scores[j] = *s;
  }

  const std::string& key = c.arg(1);
  bool wrongtype = false;
  ZSetValue* z = WriteZSet(c, key, &wrongtype);
  if (wrongtype) return;
  int64_t added = 0, updated = 0, processed = 0;
  double last_score = 0;
  if (z == nullptr && !f.xx) {
    // The Object keeps a sorted set in place: point at the stored one, not at `fresh`.
    z = &c.db().Set(key, keyspace::Object(std::make_unique<ZSetValue>())).zset();
  }
  for (size_t j = 0; z != nullptr && j < elements; ++j) {
    const std::string& member = c.arg(first + 2 * j + 1);
    double score = scores[j];
    std::optional<double> cur = z->Score(member);
    if (cur) {
      if (f.nx) continue;
      if (f.incr) {
        score += *cur;
        if (std::isnan(score)) {
          if (added + updated > 0) {
            c.Touched(key, added + updated);
            c.Notify(notify::kZset, "zincr", key);
          }
          return c.Error("ERR resulting score is not a number (NaN)");
        }
      }
      // GT/LT compare the final score (after INCR) and only restrict updates.
      if ((f.lt && score >= *cur) || (f.gt && score <= *cur)) continue;
      if (score != *cur) {
        z->Set(member, score, Limits(c));
        ++updated;
      }
    } else {
      if (f.xx) continue;
      z->Set(member, score, Limits(c));
      ++added;
    }
    ++processed;
    last_score = score;
  }
  if (added + updated > 0) {
    c.Touched(key, added + updated);
    c.Notify(notify::kZset, f.incr ? "zincr" : "zadd", key);
  }
  if (f.incr) {
    if (processed > 0) {
      c.w.Double(last_score);
    } else {
      c.w.Null();
    }
  } else {
    c.w.Integer(f.ch ? added + updated : added);
  }
}

void ZAdd(Call& c) { ZAddGeneric(c, false); }
void ZIncrBy(Call& c) { ZAddGeneric(c, true); }

void ZRem(Call& c) {
  bool wrongtype = false;
  ZSetValue* z = WriteZSet(c, c.arg(1), &wrongtype);
  if (wrongtype) return;
  int64_t removed = 0;
  if (z != nullptr) {
    for (size_t i = 2; i < c.argc() && z->Size() > 0; ++i) removed += z->Remove(c.arg(i));
    if (removed > 0) {
      c.Notify(notify::kZset, "zrem", c.arg(1));
      DeleteIfEmpty(c, c.arg(1), *z);
      c.Touched(c.arg(1), static_cast<uint64_t>(removed));
    }
  }
  c.w.Integer(removed);
}

void ZCard(Call& c) {
  bool wrongtype = false;
  ZSetValue* z = ReadZSet(c, c.arg(1), &wrongtype);
  if (wrongtype) return;
  c.w.Integer(z == nullptr ? 0 : static_cast<int64_t>(z->Size()));
}

void ZScore(Call& c) {
  bool wrongtype = false;
  ZSetValue* z = ReadZSet(c, c.arg(1), &wrongtype);
  if (wrongtype) return;
  std::optional<double> s = z == nullptr ? std::nullopt : z->Score(c.arg(2));
  if (s) {
    c.w.Double(*s);
  } else {
    c.w.Null();
  }
}

void ZMScore(Call& c) {
  bool wrongtype = false;
  ZSetValue* z = ReadZSet(c, c.arg(1), &wrongtype);
  if (wrongtype) return;
  c.w.ArrayHeader(static_cast<int64_t>(c.argc() - 2));
  for (size_t i = 2; i < c.argc(); ++i) {
    std::optional<double> s = z == nullptr ? std::nullopt : z->Score(c.arg(i));
    if (s) {
      c.w.Double(*s);
    } else {
      c.w.Null();
    }
  }
}

void ZRankGeneric(Call& c, bool reverse) {
  bool wrongtype = false;
  ZSetValue* z = ReadZSet(c, c.arg(1), &wrongtype);
  if (wrongtype) return;
  std::optional<size_t> r = z == nullptr ? std::nullopt : z->Rank(c.arg(2));
  if (!r) return c.w.Null();
  c.w.Integer(static_cast<int64_t>(reverse ? z->Size() - 1 - *r : *r));
}

void ZRank(Call& c) { ZRankGeneric(c, false); }
void ZRevRank(Call& c) { ZRankGeneric(c, true); }

void ZCount(Call& c) {
  auto range = ParseScoreRange(c.arg(2), c.arg(3));
  if (!range) return c.Error(kErrMinMaxFloat);
  bool wrongtype = false;
  ZSetValue* z = ReadZSet(c, c.arg(1), &wrongtype);
  if (wrongtype) return;
  if (z == nullptr) return c.w.Integer(0);
  auto [first, last] = ScoreRanks(*z, *range);
  c.w.Integer(static_cast<int64_t>(last - first));
}

void ZLexCount(Call& c) {
  auto range = ParseLexRange(c.arg(2), c.arg(3));
  if (!range) return c.Error(kErrMinMaxLex);
  bool wrongtype = false;
  ZSetValue* z = ReadZSet(c, c.arg(1), &wrongtype);
  if (wrongtype) return;
  if (z == nullptr) return c.w.Integer(0);
  auto [first, last] = LexRanks(*z, *range);
  c.w.Integer(static_cast<int64_t>(last - first));
}

}  // namespace

void RegisterZSetCommands(CommandTable& t) {
  t.Register("zadd", ZAdd);
  t.Register("zincrby", ZIncrBy);
  t.Register("zrem", ZRem);
  t.Register("zcard", ZCard);
  t.Register("zscore", ZScore);
  t.Register("zmscore", ZMScore);
  t.Register("zrank", ZRank);
  t.Register("zrevrank", ZRevRank);
  t.Register("zcount", ZCount);
  t.Register("zlexcount", ZLexCount);
  zset::RegisterRangeCommands(t);
  zset::RegisterPopCommands(t);
  zset::RegisterSetOpCommands(t);
  zset::RegisterBlockingCommands(t);
}

}  // namespace tessera::commands
