// HyperLogLog commands: PFADD, PFCOUNT (one key, with the cached cardinality; or a merge of
// several), PFMERGE. HLLs are plain strings in Redis's encoding (keyspace/hll.h).
#include <vector>

#include "tessera/commands/notify.h"
#include "tessera/commands/engine.h"
#include "tessera/keyspace/hll.h"

namespace tessera::commands {
namespace {

namespace hll = keyspace::hll;

constexpr std::string_view kErrNotHll = "WRONGTYPE Key is not a valid HyperLogLog string value.";
constexpr std::string_view kErrCorrupt = "INVALIDOBJ Corrupted HLL object detected";

// Redis's isHLLObjectOrReply: false (after replying) unless `o` holds a valid-looking HLL.
bool CheckHll(Call& c, const keyspace::Object& o) {
  if (!o.is_string()) {
    c.WrongType();
    return false;
  }
  if (!hll::LooksValid(o.str())) {
    c.Error(kErrNotHll);
    return false;
  }
  return true;
}

// TODO(#3): hll-sparse-max-bytes is fixed at its default until EngineOptions carries it.
size_t SparseMaxBytes(Call&) { return hll::kDefaultSparseMaxBytes; }

void PfAdd(Call& c) {
  const std::string& key = c.arg(1);
  keyspace::Object* o = c.db().Find(key, c.now_ms());
  uint64_t updated = 0;
  if (o == nullptr) {
    o = &c.db().Set(key, keyspace::Object(hll::CreateEmpty(), keyspace::StringHint::kRaw));
    ++updated;
  } else if (!CheckHll(c, *o)) {
    return;
  }
  // Redis modifies an unshared raw copy of the string.
  o->str_hint = keyspace::StringHint::kRaw;
  std::string& s = o->mutable_str();
  for (size_t i = 2; i < c.argc(); ++i) {
    switch (hll::Add(&s, c.arg(i), SparseMaxBytes(c))) {
      case hll::Update::kChanged:
        ++updated;
        break;
      case hll::Update::kUnchanged:
        break;
      case hll::Update::kCorrupt:
        return c.Error(kErrCorrupt);
    }
  }
  if (updated > 0) {
    hll::InvalidateCache(&s);
    c.Touched(key, updated);
    c.Notify(notify::kString, "pfadd", key);
  }
  c.w.Integer(updated > 0 ? 1 : 0);
}

void PfCount(Call& c) {
  if (c.argc() > 2) {
    std::vector<uint8_t> max(hll::kRegisters, 0);
    for (size_t i = 1; i < c.argc(); ++i) {
      keyspace::Object* o = c.LookupRead(c.arg(i));
      if (o == nullptr) continue;
      if (!CheckHll(c, *o)) return;
      if (!hll::MergeInto(o->str(), max.data())) return c.Error(kErrCorrupt);
    }
    return c.w.Integer(static_cast<int64_t>(hll::CountRegisters(max.data())));
  }
  const std::string& key = c.arg(1);
  keyspace::Object* o = c.db().Find(key, c.now_ms());
  if (o == nullptr) return c.w.Integer(0);
  if (!CheckHll(c, *o)) return;
  o->str_hint = keyspace::StringHint::kRaw;
  std::string& s = o->mutable_str();
  if (hll::CacheValid(s)) return c.w.Integer(static_cast<int64_t>(hll::CachedCount(s)));
  std::optional<uint64_t> card = hll::Count(s);
  if (!card) return c.Error(kErrCorrupt);
  // Refreshing the cache changes the string: Redis propagates it as a write.
  hll::SetCache(&s, *card);
  c.Touched(key);
  c.w.Integer(static_cast<int64_t>(*card));
}

void PfMerge(Call& c) {
  std::vector<uint8_t> max(hll::kRegisters, 0);
  bool use_dense = false;
  // The target is argv[1] and is merged in like the sources.
  for (size_t i = 1; i < c.argc(); ++i) {
    keyspace::Object* o = c.LookupRead(c.arg(i));
    if (o == nullptr) continue;
    if (!CheckHll(c, *o)) return;
    if (hll::IsDense(o->str())) use_dense = true;
    if (!hll::MergeInto(o->str(), max.data())) return c.Error(kErrCorrupt);
  }
  const std::string& key = c.arg(1);
  keyspace::Object* o = c.db().Find(key, c.now_ms());
  if (o == nullptr) {
    o = &c.db().Set(key, keyspace::Object(hll::CreateEmpty(), keyspace::StringHint::kRaw));
  }
  o->str_hint = keyspace::StringHint::kRaw;
  std::string& s = o->mutable_str();
  if (use_dense && !hll::ToDense(&s)) return c.Error(kErrCorrupt);
  for (size_t i = 0; i < hll::kRegisters; ++i) {
    if (max[i] != 0) hll::SetRegister(&s, i, max[i], SparseMaxBytes(c));
  }
  hll::InvalidateCache(&s);
  c.Touched(key);
  c.Notify(notify::kString, "pfadd", key);
  c.Ok();
}

}  // namespace

void RegisterHllCommands(CommandTable& t) {
  t.Register("pfadd", PfAdd);
  t.Register("pfcount", PfCount);
  t.Register("pfmerge", PfMerge);
}

}  // namespace tessera::commands
