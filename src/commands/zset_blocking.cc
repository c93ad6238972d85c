// Blocking sorted set pops: BZPOPMIN, BZPOPMAX ([key, member, score]) and BZMPOP (ZMPOP's reply),
// as Redis 7.0.15 answers them. Waiting goes through Engine::Block (blocking.cc).
#include "commands/blocking.h"
#include "commands/util.h"
#include "commands/zset_common.h"

namespace tessera::commands::zset {
namespace {

// Whether a blocked client can be served from key: it holds a sorted set now.
bool HoldsZSet(Call& c, std::string_view key) {
  keyspace::Object* o = c.Lookup(key);
  return o != nullptr && o->type() == keyspace::ObjType::kZSet;
}

bool PopsMax(const Call& c) { return EqualsIgnoreCase(c.arg(0), "bzpopmax"); }

bool ServeBZPop(Call& c, std::string_view key) {
  if (!HoldsZSet(c, key)) return false;
  PopGeneric(c, {std::string(key)}, PopsMax(c), 1, PopShape::kKeyFlat);
  return true;
}

// The first of `keys` holding a sorted set, or nullptr; nullopt after a WRONGTYPE reply.
std::optional<const std::string*> FirstNonEmpty(Call& c, const std::vector<std::string>& keys) {
  for (const std::string& k : keys) {
    bool wrongtype = false;
    keyspace::ZSetValue* z = WriteZSet(c, k, &wrongtype);
    if (wrongtype) return std::nullopt;
    if (z != nullptr) return &k;
  }
  return nullptr;
}

// BZPOPMIN key [key ...] timeout, BZPOPMAX likewise.
void BZPop(Call& c) {
  auto timeout = ParseBlockTimeout(c, c.argv.back());
  if (!timeout) return;
  std::vector<std::string> keys(c.argv.begin() + 1, c.argv.end() - 1);
  auto found = FirstNonEmpty(c, keys);
  if (!found) return;
  if (*found != nullptr) return PopGeneric(c, {**found}, PopsMax(c), 1, PopShape::kKeyFlat);
  BlockOrReplyNull(c, std::move(keys), *timeout, ServeBZPop);
}

bool ServeBZMPop(Call& c, std::string_view key) {
  if (!HoldsZSet(c, key)) return false;
  ZMPopArgs a;
  ParseZMPopArgs(c, 2, &a);  // it passed when the client blocked
  PopGeneric(c, {std::string(key)}, a.max, a.count, PopShape::kKeyNested);
  return true;
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
void BZMPop(Call& c) {
  auto timeout = ParseBlockTimeout(c, c.arg(1));
  if (!timeout) return;
  ZMPopArgs a;
  if (!ParseZMPopArgs(c, 2, &a)) return;
  auto found = FirstNonEmpty(c, a.keys);
  if (!found) return;
  if (*found != nullptr) return PopGeneric(c, {**found}, a.max, a.count, PopShape::kKeyNested);
  BlockOrReplyNull(c, std::move(a.keys), *timeout, ServeBZMPop);
}

}  // namespace

void RegisterBlockingCommands(CommandTable& t) {
  t.Register("bzpopmin", BZPop);
  t.Register("bzpopmax", BZPop);
  t.Register("bzmpop", BZMPop);
}

}  // namespace tessera::commands::zset
