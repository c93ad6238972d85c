// List commands that work by index or by value (LLEN, LRANGE, LINDEX, LSET, LINSERT, LREM,
// LTRIM, LPOS), with Redis 7.0.15's replies and error texts.
#include "commands/collection_util.h"
#include "commands/list_util.h"
#include "commands/util.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

using keyspace::ListValue;

// A Redis index (negative counts from the tail) as a position, or nullopt when out of range.
std::optional<size_t> ToPosition(int64_t index, size_t size) {
  auto n = static_cast<int64_t>(size);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return std::nullopt;
  return static_cast<size_t>(index);
}

// LRANGE/LTRIM's clamping of [start, end]: the kept range as [first, first + count).
std::pair<size_t, size_t> ClampRange(int64_t start, int64_t end, size_t size) {
  auto n = static_cast<int64_t>(size);
  if (start < 0) start += n;
  if (end < 0) end += n;
  if (start < 0) start = 0;
  if (start > end || start >= n) return {0, 0};
  if (end >= n) end = n - 1;
  return {static_cast<size_t>(start), static_cast<size_t>(end - start + 1)};
}

void LLen(Call& c) {
  auto l = FindList(c, c.arg(1));
  if (!l) return;
  c.w.Integer(*l != nullptr ? static_cast<int64_t>((*l)->Size()) : 0);
}

void LRange(Call& c) {
  int64_t start = 0, end = 0;
  if (!GetLong(c, c.arg(2), &start) || !GetLong(c, c.arg(3), &end)) return;
  auto l = FindList(c, c.arg(1));
  if (!l) return;
  if (*l == nullptr) {
    c.w.ArrayHeader(0);
    return;
  }
  auto [first, count] = ClampRange(start, end, (*l)->Size());
  c.w.ArrayHeader(static_cast<int64_t>(count));
  (*l)->Range(first, count, [&](std::string_view v) { c.w.Bulk(v); });
}

void LIndex(Call& c) {
  auto l = FindList(c, c.arg(1));
  if (!l) return;
  if (*l == nullptr) {
    c.w.Null();
    return;
  }
  int64_t index = 0;
  if (!GetLong(c, c.arg(2), &index)) return;
  auto pos = ToPosition(index, (*l)->Size());
  if (pos) {
    c.w.Bulk((*l)->At(*pos));
  } else {
    c.w.Null();
  }
}

void LSet(Call& c) {
  auto l = FindList(c, c.arg(1));
  if (!l) return;
  if (*l == nullptr) {
    c.Error(err::kNoSuchKey);
    return;
  }
  int64_t index = 0;
  if (!GetLong(c, c.arg(2), &index)) return;
  auto pos = ToPosition(index, (*l)->Size());
  if (!pos) {
    c.Error("ERR index out of range");
    return;
  }
  (*l)->Set(*pos, c.arg(3), Limits(c));
  c.Touched(c.arg(1));
  c.Notify(notify::kList, "lset", c.arg(1));
  c.Ok();
}

void LInsert(Call& c) {
  bool after;
  if (EqualsIgnoreCase(c.arg(2), "after")) {
    after = true;
  } else if (EqualsIgnoreCase(c.arg(2), "before")) {
    after = false;
  } else {
    c.SyntaxError();
    return;
  }
  auto l = FindList(c, c.arg(1));
  if (!l) return;
  if (*l == nullptr) {
    c.w.Integer(0);
    return;
  }
  if (!(*l)->InsertAtPivot(c.arg(3), after, c.arg(4), Limits(c))) {
    c.w.Integer(-1);
    return;
  }
  c.Touched(c.arg(1));
  c.Notify(notify::kList, "linsert", c.arg(1));
  c.w.Integer(static_cast<int64_t>((*l)->Size()));
}

void LRem(Call& c) {
  int64_t count = 0;
  if (!GetLong(c, c.arg(2), &count)) return;
  auto l = FindList(c, c.arg(1));
  if (!l) return;
  if (*l == nullptr) {
    c.w.Integer(0);
    return;
  }
  size_t removed = (*l)->Remove(c.arg(3), count, Limits(c));
  if (removed > 0) {
    c.Notify(notify::kList, "lrem", c.arg(1));
    if ((*l)->Empty()) {
      c.db().Delete(c.arg(1));
      c.Notify(notify::kGeneric, "del", c.arg(1));
    }
    c.Touched(c.arg(1), removed);
  }
  c.w.Integer(static_cast<int64_t>(removed));
}

void LTrim(Call& c) {
  int64_t start = 0, end = 0;
  if (!GetLong(c, c.arg(2), &start) || !GetLong(c, c.arg(3), &end)) return;
  auto l = FindList(c, c.arg(1));
  if (!l) return;
  if (*l != nullptr) {
    size_t size = (*l)->Size();
    auto [first, count] = ClampRange(start, end, size);
    (*l)->Keep(first, count, Limits(c));
    c.Notify(notify::kList, "ltrim", c.arg(1));
    if ((*l)->Empty()) {
      c.db().Delete(c.arg(1));
      c.Notify(notify::kGeneric, "del", c.arg(1));
    }
    // Redis signals the key even when nothing was trimmed.
    c.Touched(c.arg(1), size - count);
  }
  c.Ok();
}

struct LPosOptions {
  int64_t rank = 1;
  int64_t count = -1;  // -1: no COUNT, reply a single index
  int64_t maxlen = 0;  // 0: no limit
};

bool ParseLPosOptions(Call& c, LPosOptions* o) {
  for (size_t j = 3; j < c.argc(); ++j) {
    bool more = j + 1 < c.argc();
    std::string_view opt = c.arg(j);
    if (EqualsIgnoreCase(opt, "rank") && more) {
      if (!GetLong(c, c.arg(++j), &o->rank)) return false;
      if (o->rank == 0) {
        c.Error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list");
        return false;
      }
    } else if (EqualsIgnoreCase(opt, "count") && more) {
      if (!GetPositiveLong(c, c.arg(++j), &o->count, "COUNT can't be negative")) return false;
    } else if (EqualsIgnoreCase(opt, "maxlen") && more) {
      if (!GetPositiveLong(c, c.arg(++j), &o->maxlen, "MAXLEN can't be negative")) return false;
    } else {
      c.SyntaxError();
      return false;
    }
  }
  return true;
}

void LPos(Call& c) {
  LPosOptions o;
  if (!ParseLPosOptions(c, &o)) return;
  auto l = FindList(c, c.arg(1));
  if (!l) return;
  if (*l == nullptr) {
    if (o.count != -1) {
      c.w.ArrayHeader(0);
    } else {
      c.w.Null();
    }
    return;
  }
  bool reverse = o.rank < 0;
  // Redis negates INT64_MIN into itself, and a negative rank is reached by the first match.
  int64_t rank = o.rank == INT64_MIN ? 1 : (reverse ? -o.rank : o.rank);
  std::vector<int64_t> found;
  int64_t matches = 0, scanned = 0;
  std::string_view element = c.arg(2);
  (*l)->Walk(reverse, [&](size_t index, std::string_view v) {
    if (o.maxlen != 0 && scanned++ >= o.maxlen) return false;
    if (v != element || ++matches < rank) return true;
    found.push_back(static_cast<int64_t>(index));
    // Without COUNT the first qualifying match is the answer; COUNT 0 means all of them.
    if (o.count == -1) return false;
    return o.count == 0 || static_cast<int64_t>(found.size()) < o.count;
  });
  if (o.count != -1) {
    c.w.ArrayHeader(static_cast<int64_t>(found.size()));
    for (int64_t i : found) c.w.Integer(i);
  } else if (!found.empty()) {
    c.w.Integer(found[0]);
  } else {
    c.w.Null();
  }
}

}  // namespace

void RegisterListAccessCommands(CommandTable& t) {
  t.Register("llen", LLen);
  t.Register("lrange", LRange);
  t.Register("lindex", LIndex);
  t.Register("lset", LSet);
  t.Register("linsert", LInsert);
  t.Register("lrem", LRem);
  t.Register("ltrim", LTrim);
  t.Register("lpos", LPos);
}

}  // namespace tessera::commands
