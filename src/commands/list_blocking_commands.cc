// Blocking list commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP (Redis 7.0.15 replies). With
// data they answer at once; otherwise they block through Engine::Block and a serve function
// answers later from the key that became ready.
#include <string>
#include <vector>

#include "commands/blocking.h"
#include "commands/list_util.h"
#include "commands/util.h"

namespace tessera::commands {
namespace {

using keyspace::ListValue;

// The list at key for a blocked client being served; nullptr (stay blocked) unless a list.
ListValue* ReadyList(Call& c, std::string_view key) {
  keyspace::Object* o = c.Lookup(key);
  return o != nullptr && o->type() == keyspace::ObjType::kList ? &o->list() : nullptr;
}

End PopEnd(const Call& c) { return EqualsIgnoreCase(c.arg(0), "blpop") ? End::kHead : End::kTail; }

bool ServeBPop(Call& c, std::string_view key) {
  ListValue* l = ReadyList(c, key);
  if (l == nullptr) return false;
  PopWithKey(c, key, *l, PopEnd(c));
  return true;
}

// BLPOP key [key ...] timeout, BRPOP likewise: [key, element] from the first non-empty key.
void BPop(Call& c) {
  auto timeout = ParseBlockTimeout(c, c.argv.back());
  if (!timeout) return;
  size_t last = c.argc() - 1;
  for (size_t i = 1; i < last; ++i) {
    auto l = FindList(c, c.arg(i));
    if (!l) return;
    if (*l != nullptr) return PopWithKey(c, c.arg(i), **l, PopEnd(c));
  }
  BlockOrReplyNull(c, {c.argv.begin() + 1, c.argv.begin() + static_cast<long>(last)}, *timeout,
                   ServeBPop);
}

// The ends of BLMOVE's argv, or BRPOPLPUSH's fixed RIGHT -> LEFT.
bool MoveEnds(Call& c, End* from, End* to) {
  if (c.argc() == 4) {  // BRPOPLPUSH source destination timeout
    *from = End::kTail;
    *to = End::kHead;
    return true;
  }
  auto f = ParseEnd(c, c.arg(3));
  if (!f) return false;
  auto t = ParseEnd(c, c.arg(4));
  if (!t) return false;
  *from = *f;
  *to = *t;
  return true;
}

bool ServeBMove(Call& c, std::string_view key) {
  if (ReadyList(c, key) == nullptr) return false;
  End from = End::kHead, to = End::kHead;
  MoveEnds(c, &from, &to);
  // A destination of another type answers WRONGTYPE and frees the client, the source untouched
  // (Redis 7.0 pushes the element back).
  MoveGeneric(c, from, to);
  return true;
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout; BRPOPLPUSH source destination timeout.
void BMove(Call& c) {
  End from = End::kHead, to = End::kHead;
  if (!MoveEnds(c, &from, &to)) return;
  auto timeout = ParseBlockTimeout(c, c.argv.back());
  if (!timeout) return;
  auto src = FindList(c, c.arg(1));
  if (!src) return;
  if (*src != nullptr) return MoveGeneric(c, from, to);
  BlockOrReplyNull(c, {c.arg(1)}, *timeout, ServeBMove, /*null_bulk=*/true);
}

bool ServeBMPop(Call& c, std::string_view key) {
  ListValue* l = ReadyList(c, key);
  if (l == nullptr) return false;
  MPopArgs a;
  ParseMPopArgs(c, 2, &a);  // it passed when the client blocked
  c.w.ArrayHeader(2);
  c.w.Bulk(key);
  PopRange(c, key, *l, a.end, a.count);
  return true;
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: LMPOP's reply.
void BLMPop(Call& c) {
  auto timeout = ParseBlockTimeout(c, c.arg(1));
  if (!timeout) return;
  MPopArgs a;
  if (!ParseMPopArgs(c, 2, &a)) return;
  for (size_t i = a.first_key; i < a.first_key + a.numkeys; ++i) {
    auto l = FindList(c, c.arg(i));
    if (!l) return;
    if (*l == nullptr) continue;
    c.w.ArrayHeader(2);
    c.w.Bulk(c.arg(i));
    return PopRange(c, c.arg(i), **l, a.end, a.count);
  }
  auto first = c.argv.begin() + static_cast<long>(a.first_key);
  BlockOrReplyNull(c, {first, first + static_cast<long>(a.numkeys)}, *timeout, ServeBMPop);
}

}  // namespace

void RegisterListBlockingCommands(CommandTable& t) {
  t.Register("blpop", BPop);
  t.Register("brpop", BPop);
  t.Register("blmove", BMove);
  t.Register("brpoplpush", BMove);
  t.Register("blmpop", BLMPop);
}

}  // namespace tessera::commands
