// Sorted set range commands: ZRANGE (BYSCORE, BYLEX, REV, LIMIT, WITHSCORES) and the older
// ZRANGEBYSCORE / ZREVRANGEBYSCORE / ZRANGEBYLEX / ZREVRANGEBYLEX / ZREVRANGE, ZRANGESTORE, and
// ZREMRANGEBYRANK / BYSCORE / BYLEX (Redis 7.0 zrangeGenericCommand, zremrangeGenericCommand).
#include "commands/util.h"
#include "commands/zset_common.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/errors.h"

namespace tessera::commands::zset {
namespace {

using keyspace::ZSetValue;

enum class RangeType { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

struct RangeRequest {
  RangeType type;
  Direction dir;
  bool withscores = false;
  int64_t offset = 0;
  int64_t limit = -1;  // negative: no limit
};

// Parses the options after "key min max"; replies and returns false on error.
bool ParseRangeOptions(Call& c, size_t from, bool store, RangeRequest* r) {
  for (size_t j = from; j < c.argc(); ++j) {
    std::string_view a = c.arg(j);
    size_t left = c.argc() - j - 1;
    if (!store && EqualsIgnoreCase(a, "withscores")) {
      r->withscores = true;
    } else if (EqualsIgnoreCase(a, "limit") && left >= 2) {
      auto off = ParseInt(c.arg(j + 1));
      auto lim = off ? ParseInt(c.arg(j + 2)) : std::nullopt;
      if (!off || !lim) {
        c.Error(err::kNotInteger);
        return false;
      }
      r->offset = *off;
      r->limit = *lim;
      j += 2;
    } else if (r->dir == Direction::kAuto && EqualsIgnoreCase(a, "rev")) {
      r->dir = Direction::kReverse;
    } else if (r->type == RangeType::kAuto && EqualsIgnoreCase(a, "bylex")) {
      r->type = RangeType::kLex;
    } else if (r->type == RangeType::kAuto && EqualsIgnoreCase(a, "byscore")) {
      r->type = RangeType::kScore;
    } else {
      c.SyntaxError();
      return false;
    }
  }
  return true;
}

// The positions to emit: [lo, hi) walked backwards when `reverse`.
struct Span {
  size_t lo = 0, hi = 0;
  bool reverse = false;
};

// Applies LIMIT offset count to the in-range positions [first, last) in the walk direction.
Span Limit(size_t first, size_t last, bool reverse, int64_t offset, int64_t limit) {
  Span s{first, first, reverse};
  // A negative offset skips everything in Redis (its skip loop counts down past zero).
  if (offset < 0 || static_cast<uint64_t>(offset) >= last - first) return s;
  size_t n = last - first - static_cast<size_t>(offset);
  if (limit >= 0 && static_cast<uint64_t>(limit) < n) n = static_cast<size_t>(limit);
  if (reverse) {
    s.hi = last - static_cast<size_t>(offset);
    s.lo = s.hi - n;
  } else {
    s.lo = first + static_cast<size_t>(offset);
    s.hi = s.lo + n;
  }
  return s;
}

void EmitSpan(Call& c, const ZSetValue* z, Span s, bool withscores, const std::string* dst) {
  if (dst != nullptr) {
    Entries entries;
    if (z != nullptr) {
      z->Visit(s.lo, s.hi, s.reverse,
               [&](std::string_view m, double score) { entries.emplace_back(m, score); });
    }
    StoreEntries(c, *dst, entries);
    return;
  }
  ReplyElementsHeader(c, s.hi - s.lo, withscores);
  if (z == nullptr) return;
  z->Visit(s.lo, s.hi, s.reverse,
           [&](std::string_view m, double score) { ReplyElement(c, m, score, withscores); });
}

// `key_at` is the index of the source key (2 for ZRANGESTORE, whose argv[1] is the target).
void RangeGeneric(Call& c, size_t key_at, bool store, RangeType type, Direction dir) {
  RangeRequest r{type, dir};
  if (!ParseRangeOptions(c, key_at + 3, store, &r)) return;
  if (r.dir == Direction::kAuto) r.dir = Direction::kForward;
  if (r.type == RangeType::kAuto) r.type = RangeType::kRank;
  if (r.limit != -1 && r.type == RangeType::kRank) {
    return c.Error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  if (r.withscores && r.type == RangeType::kLex) {
    return c.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  bool reverse = r.dir == Direction::kReverse;
  std::string_view min = c.arg(key_at + 1), max = c.arg(key_at + 2);
  // Reverse score and lex ranges are written max first.
  if (reverse && r.type != RangeType::kRank) std::swap(min, max);

  std::optional<int64_t> start, end;
  std::optional<ScoreRange> score_range;
  std::optional<LexRange> lex_range;
  switch (r.type) {
    case RangeType::kAuto:
    case RangeType::kRank:
      start = ParseInt(min);
      end = start ? ParseInt(max) : std::nullopt;
      if (!end) return c.Error(err::kNotInteger);
      break;
    case RangeType::kScore:
      score_range = ParseScoreRange(min, max);
      if (!score_range) return c.Error(kErrMinMaxFloat);
      break;
    case RangeType::kLex:
      lex_range = ParseLexRange(min, max);
      if (!lex_range) return c.Error(kErrMinMaxLex);
      break;
  }

  const std::string* dst = store ? &c.arg(1) : nullptr;
  bool wrongtype = false;
  ZSetValue* z = ReadZSet(c, c.arg(key_at), &wrongtype);
  if (wrongtype) return;
  Span s;
  if (z != nullptr && r.type == RangeType::kRank) {
    auto ranks = RankRange(*start, *end, z->Size());
    if (ranks && reverse) {
      // Reverse ranks count from the highest score.
      size_t n = z->Size();
      ranks = std::make_pair(n - ranks->second, n - ranks->first);
    }
    if (ranks) s = Span{ranks->first, ranks->second, reverse};
  } else if (z != nullptr) {
    auto [first, last] = score_range ? ScoreRanks(*z, *score_range) : LexRanks(*z, *lex_range);
    s = Limit(first, last, reverse, r.offset, r.limit);
  }
  EmitSpan(c, z, s, r.withscores, dst);
}

void ZRange(Call& c) { RangeGeneric(c, 1, false, RangeType::kAuto, Direction::kAuto); }
void ZRangeStore(Call& c) { RangeGeneric(c, 2, true, RangeType::kAuto, Direction::kAuto); }
void ZRevRange(Call& c) { RangeGeneric(c, 1, false, RangeType::kRank, Direction::kReverse); }
void ZRangeByScore(Call& c) { RangeGeneric(c, 1, false, RangeType::kScore, Direction::kForward); }
void ZRevRangeByScore(Call& c) {
  RangeGeneric(c, 1, false, RangeType::kScore, Direction::kReverse);
}
void ZRangeByLex(Call& c) { RangeGeneric(c, 1, false, RangeType::kLex, Direction::kForward); }
void ZRevRangeByLex(Call& c) { RangeGeneric(c, 1, false, RangeType::kLex, Direction::kReverse); }

void RemRangeGeneric(Call& c, RangeType type) {
  std::optional<int64_t> start, end;
  std::optional<ScoreRange> score_range;
  std::optional<LexRange> lex_range;
  if (type == RangeType::kRank) {
    start = ParseInt(c.arg(2));
    end = start ? ParseInt(c.arg(3)) : std::nullopt;
    if (!end) return c.Error(err::kNotInteger);
  } else if (type == RangeType::kScore) {
    score_range = ParseScoreRange(c.arg(2), c.arg(3));
    if (!score_range) return c.Error(kErrMinMaxFloat);
  } else {
    lex_range = ParseLexRange(c.arg(2), c.arg(3));
    if (!lex_range) return c.Error(kErrMinMaxLex);
  }
  const std::string& key = c.arg(1);
  bool wrongtype = false;
  ZSetValue* z = WriteZSet(c, key, &wrongtype);
  if (wrongtype) return;
  if (z == nullptr) return c.w.Integer(0);
  std::pair<size_t, size_t> ranks{0, 0};
  if (type == RangeType::kRank) {
    ranks = RankRange(*start, *end, z->Size()).value_or(ranks);
  } else {
    ranks = score_range ? ScoreRanks(*z, *score_range) : LexRanks(*z, *lex_range);
  }
  size_t removed = ranks.second - ranks.first;
  if (removed > 0) {
    z->RemoveRange(ranks.first, ranks.second);
    c.Notify(notify::kZset, c.cmd->name, key);  // "zremrangebyrank", ...
    DeleteIfEmpty(c, key, *z);
    c.Touched(key, removed);
  }
  c.w.Integer(static_cast<int64_t>(removed));
}

void ZRemRangeByRank(Call& c) { RemRangeGeneric(c, RangeType::kRank); }
void ZRemRangeByScore(Call& c) { RemRangeGeneric(c, RangeType::kScore); }
void ZRemRangeByLex(Call& c) { RemRangeGeneric(c, RangeType::kLex); }

}  // namespace

void RegisterRangeCommands(CommandTable& t) {
  t.Register("zrange", ZRange);
  t.Register("zrangestore", ZRangeStore);
  t.Register("zrevrange", ZRevRange);
  t.Register("zrangebyscore", ZRangeByScore);
  t.Register("zrevrangebyscore", ZRevRangeByScore);
  t.Register("zrangebylex", ZRangeByLex);
  t.Register("zrevrangebylex", ZRevRangeByLex);
  t.Register("zremrangebyrank", ZRemRangeByRank);
  t.Register("zremrangebyscore", ZRemRangeByScore);
  t.Register("zremrangebylex", ZRemRangeByLex);
}

}  // namespace tessera::commands::zset
