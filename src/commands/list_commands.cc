// List commands that add and remove at the ends (LPUSH, LPOP, LMOVE, LMPOP and family), with
// Redis 7.0.15's replies and error texts. Index-based commands are in list_access_commands.cc.
#include <algorithm>
#include <string>

#include "commands/collection_util.h"
#include "commands/list_util.h"
#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

using keyspace::ListValue;

void Push(Call& c, ListValue& l, End end, std::string_view v) {
  if (end == End::kHead) {
    l.PushFront(v, Limits(c));
  } else {
    l.PushBack(v, Limits(c));
  }
}

std::string Pop(ListValue& l, End end) { return end == End::kHead ? l.PopFront() : l.PopBack(); }

std::string_view PushEvent(End end) { return end == End::kHead ? "lpush" : "rpush"; }

// After a pop from key: the pop event, then "del" when the list emptied and was deleted.
void DeleteIfEmptyAfterPop(Call& c, std::string_view key, const ListValue& l, End end) {
  c.Notify(notify::kList, end == End::kHead ? "lpop" : "rpop", key);
  if (!l.Empty()) return;
  c.db().Delete(key);
  c.Notify(notify::kGeneric, "del", key);
}

void PushGeneric(Call& c, End end, bool only_existing) {
  auto l = FindList(c, c.arg(1));
  if (!l) return;
  if (*l == nullptr) {
    if (only_existing) {
      c.w.Integer(0);
      return;
    }
    l = &CreateValue<ListValue>(c, c.arg(1));
  }
  for (size_t i = 2; i < c.argc(); ++i) Push(c, **l, end, c.arg(i));
  c.Touched(c.arg(1), c.argc() - 2);
  c.Notify(notify::kList, PushEvent(end), c.arg(1));
  c.w.Integer(static_cast<int64_t>((*l)->Size()));
}

void LPush(Call& c) { PushGeneric(c, End::kHead, false); }
void RPush(Call& c) { PushGeneric(c, End::kTail, false); }
void LPushX(Call& c) { PushGeneric(c, End::kHead, true); }
void RPushX(Call& c) { PushGeneric(c, End::kTail, true); }

void PopGeneric(Call& c, End end) {
  if (c.argc() > 3) {
    c.Error(fmt::format("ERR wrong number of arguments for '{}' command", c.cmd->name));
    return;
  }
  int64_t count = 0;
  bool has_count = c.argc() == 3;
  if (has_count && !GetPositiveLong(c, c.arg(2), &count)) return;
  auto l = FindList(c, c.arg(1));
  if (!l) return;
  if (*l == nullptr) {
    if (has_count) {
      c.w.NullArray();
    } else {
      c.w.Null();
    }
    return;
  }
  if (has_count) {
    if (count == 0) {
      c.w.ArrayHeader(0);
    } else {
      PopRange(c, c.arg(1), **l, end, static_cast<size_t>(count));
    }
    return;
  }
  c.w.Bulk(Pop(**l, end));
  DeleteIfEmptyAfterPop(c, c.arg(1), **l, end);
  c.Touched(c.arg(1));
}

void LPop(Call& c) { PopGeneric(c, End::kHead); }
void RPop(Call& c) { PopGeneric(c, End::kTail); }

}  // namespace

void MoveGeneric(Call& c, End from, End to) {
  auto src = FindList(c, c.arg(1));
  if (!src) return;
  if (*src == nullptr) {
    c.w.Null();
    return;
  }
  auto dst = FindList(c, c.arg(2));
  if (!dst) return;
  std::string v = Pop(**src, from);
  if (*src == *dst) {
    // Rotation: the element goes back into the same list, which therefore never empties.
    Push(c, **src, to, v);
    c.Touched(c.arg(1));
    // Redis reports the push before the pop, as for two keys.
    c.Notify(notify::kList, PushEvent(to), c.arg(2));
    c.Notify(notify::kList, from == End::kHead ? "lpop" : "rpop", c.arg(1));
  } else {
    ListValue* d = *dst != nullptr ? *dst : &CreateValue<ListValue>(c, c.arg(2));
    Push(c, *d, to, v);
    c.Touched(c.arg(2));
    c.Notify(notify::kList, PushEvent(to), c.arg(2));
    DeleteIfEmptyAfterPop(c, c.arg(1), **src, from);
    c.Touched(c.arg(1));
  }
  c.w.Bulk(v);
}

namespace {

void LMove(Call& c) {
  auto from = ParseEnd(c, c.arg(3));
  if (!from) return;
  auto to = ParseEnd(c, c.arg(4));
  if (!to) return;
  MoveGeneric(c, *from, *to);
}

void RPopLPush(Call& c) { MoveGeneric(c, End::kTail, End::kHead); }

void LMPop(Call& c) {
  MPopArgs a;
  if (!ParseMPopArgs(c, 1, &a)) return;
  for (size_t i = a.first_key; i < a.first_key + a.numkeys; ++i) {
    auto l = FindList(c, c.arg(i));
    if (!l) return;
    if (*l == nullptr) continue;
    c.w.ArrayHeader(2);
    c.w.Bulk(c.arg(i));
    PopRange(c, c.arg(i), **l, a.end, a.count);
    return;
  }
  c.w.NullArray();
}

}  // namespace

std::optional<End> ParseEnd(Call& c, std::string_view s) {
  if (EqualsIgnoreCase(s, "left")) return End::kHead;
  if (EqualsIgnoreCase(s, "right")) return End::kTail;
  c.SyntaxError();
  return std::nullopt;
}

void PopRange(Call& c, std::string_view key, ListValue& l, End end, size_t count) {
  count = std::min(count, l.Size());
  c.w.ArrayHeader(static_cast<int64_t>(count));
  for (size_t i = 0; i < count; ++i) c.w.Bulk(Pop(l, end));
  DeleteIfEmptyAfterPop(c, key, l, end);
  c.Touched(key, count);
}

void PopWithKey(Call& c, std::string_view key, ListValue& l, End end) {
  c.w.ArrayHeader(2);
  c.w.Bulk(key);
  c.w.Bulk(Pop(l, end));
  DeleteIfEmptyAfterPop(c, key, l, end);
  c.Touched(key);
}

bool ParseMPopArgs(Call& c, size_t numkeys_at, MPopArgs* out) {
  int64_t numkeys = 0;
  if (!GetRangeLong(c, c.arg(numkeys_at), 1, INT64_MAX, &numkeys,
                    "numkeys should be greater than 0")) {
    return false;
  }
  // Compared before adding, so a huge numkeys cannot overflow the index.
  if (static_cast<uint64_t>(numkeys) >= c.argc() - numkeys_at - 1) {
    c.SyntaxError();
    return false;
  }
  size_t where_idx = numkeys_at + 1 + static_cast<size_t>(numkeys);
  auto end = ParseEnd(c, c.arg(where_idx));
  if (!end) return false;
  int64_t count = -1;
  for (size_t j = where_idx + 1; j < c.argc(); ++j) {
    if (count == -1 && EqualsIgnoreCase(c.arg(j), "count") && j + 1 < c.argc()) {
      if (!GetRangeLong(c, c.arg(++j), 1, INT64_MAX, &count, "count should be greater than 0")) {
        return false;
      }
    } else {
      c.SyntaxError();
      return false;
    }
  }
  out->first_key = numkeys_at + 1;
  out->numkeys = static_cast<size_t>(numkeys);
  out->end = *end;
  out->count = count == -1 ? 1 : static_cast<size_t>(count);
  return true;
}

std::optional<ListValue*> FindList(Call& c, std::string_view key) {
  auto o = FindTyped(c, key, keyspace::ObjType::kList);
  if (!o) return std::nullopt;
  return *o == nullptr ? nullptr : &(*o)->list();
}

void RegisterListCommands(CommandTable& t) {
  t.Register("lpush", LPush);
  t.Register("rpush", RPush);
  t.Register("lpushx", LPushX);
  t.Register("rpushx", RPushX);
  t.Register("lpop", LPop);
  t.Register("rpop", RPop);
  t.Register("lmove", LMove);
  t.Register("rpoplpush", RPopLPush);
  t.Register("lmpop", LMPop);
  RegisterListAccessCommands(t);
  RegisterListBlockingCommands(t);
}

}  // namespace tessera::commands
