// Object: type names, OBJECT ENCODING names and MEMORY USAGE sizes as redis-server 7.0.15 reports
// them. Collection types answer for themselves (list.h, set.h, zset.h, hash.h).
#include "tessera/keyspace/object.h"

#include <charconv>

#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/set.h"
#include "tessera/keyspace/zset.h"

namespace tessera::keyspace {
namespace {

// Redis's robj header; MEMORY USAGE counts it for every value.
constexpr size_t kRobjSize = 16;
// Longest string Redis stores as embstr (robj and sds in one 64-byte jemalloc block).
constexpr size_t kEmbstrMax = 44;
// sizeof(dictEntry) and, in cluster mode, the slot-list links Redis 7.0 keeps in each entry.
constexpr size_t kDictEntrySize = 24;
constexpr size_t kClusterEntryMeta = 16;

// jemalloc's size class for an allocation of n bytes: 8, 16, then multiples of 16 up to 128, then
// four classes per doubling (160, 192, 224, 256, 320, ...). MEMORY USAGE reports these.
size_t JemallocSize(size_t n) {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) & ~size_t{15};
  int lg = 63 - __builtin_clzll(n - 1);  // 2^lg < n <= 2^(lg+1)
  size_t step = size_t{1} << (lg - 2);
  return (n + step - 1) & ~(step - 1);
}

// sds header bytes for a string of len bytes; type 5 (1 byte) is only used for short keys.
size_t SdsHeader(size_t len, bool allow_type5) {
  if (allow_type5 && len < 32) return 1;
  if (len < (size_t{1} << 8)) return 3;
  if (len < (size_t{1} << 16)) return 5;
  if (len < (size_t{1} << 32)) return 9;
  return 17;
}

enum class StrEnc { kInt, kEmbstr, kRaw };

StrEnc StringEncoding(const std::string& s, StringHint hint) {
  if (hint == StringHint::kRaw) return StrEnc::kRaw;
  if (hint == StringHint::kAuto && IsCanonicalInt64(s)) return StrEnc::kInt;
  return s.size() <= kEmbstrMax ? StrEnc::kEmbstr : StrEnc::kRaw;
}

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace

std::string_view TypeName(ObjType t) {
  switch (t) {
    case ObjType::kString:
      return "string";
    case ObjType::kList:
      return "list";
    case ObjType::kSet:
      return "set";
    case ObjType::kZSet:
      return "zset";
    case ObjType::kHash:
      return "hash";
  }
  return "none";
}

bool IsCanonicalInt64(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  // from_chars accepts leading zeros and "-0", which Redis's string2ll rejects.
  if (s[0] == '0' && s.size() > 1) return false;
  if (s[0] == '-' && (s.size() == 1 || s[1] == '0')) return false;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size();
}

size_t KeyMemoryUsage(std::string_view key, bool cluster_enabled) {
  size_t n = JemallocSize(SdsHeader(key.size(), true) + key.size() + 1) + kDictEntrySize;
  return cluster_enabled ? n + kClusterEntryMeta : n;
}

Object::Object() : rep_(std::string()) {}
Object::Object(std::string s) : rep_(std::move(s)) {}
Object::Object(std::string s, StringHint hint) : str_hint(hint), rep_(std::move(s)) {}
Object::Object(Rep rep) : rep_(std::move(rep)) {}
Object::Object(Object&&) noexcept = default;
Object& Object::operator=(Object&&) noexcept = default;
Object::~Object() = default;

std::string_view Object::EncodingName() const {
  return std::visit(Overloaded{[&](const std::string& s) -> std::string_view {
                                 switch (StringEncoding(s, str_hint)) {
                                   case StrEnc::kInt:
                                     return "int";
                                   case StrEnc::kEmbstr:
                                     return "embstr";
                                   case StrEnc::kRaw:
                                     break;
                                 }
                                 return "raw";
                               },
                               [](const auto& value) { return value->EncodingName(); }},
                    rep_);
}

size_t Object::MemoryUsage() const {
  return std::visit(
      Overloaded{[&](const std::string& s) -> size_t {
                   switch (StringEncoding(s, str_hint)) {
                     case StrEnc::kInt:
                       return kRobjSize;
                     case StrEnc::kEmbstr:
                       return JemallocSize(kRobjSize + SdsHeader(s.size(), false) + s.size() + 1);
                     case StrEnc::kRaw:
                       break;
                   }
                   return kRobjSize + JemallocSize(SdsHeader(s.size(), false) + s.size() + 1);
                 },
                 [](const auto& value) { return kRobjSize + value->MemoryUsage(); }},
      rep_);
}

Object Object::Clone() const {
  Object copy(std::visit(Overloaded{[](const std::string& s) { return Rep(s); },
                                    [](const auto& value) {
                                      using T =
                                          typename std::decay_t<decltype(value)>::element_type;
                                      return Rep(std::make_unique<T>(*value));
                                    }},
                         rep_));
  copy.lru = lru;
  copy.lfu_counter = lfu_counter;
  copy.str_hint = str_hint;
  return copy;
}

}  // namespace tessera::keyspace
