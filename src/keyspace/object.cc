// Object: type names, OBJECT ENCODING names and MEMORY USAGE sizes as redis-server 7.0.15 reports
// them. Collection types answer for themselves (list.h, set.h, zset.h, hash.h).
#include "tessera/keyspace/object.h"

#include <charconv>
#include <cstring>
#include <new>
#include <type_traits>

#include "tessera/core/status.h"
#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/set.h"
#include "tessera/keyspace/small_alloc.h"
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

StrEnc StringEncoding(std::string_view s, StringHint hint) {
  if (hint == StringHint::kRaw) return StrEnc::kRaw;
  if (hint == StringHint::kAuto && IsCanonicalInt64(s)) return StrEnc::kInt;
  return s.size() <= kEmbstrMax ? StrEnc::kEmbstr : StrEnc::kRaw;
}

template <class V>
constexpr bool kInPlace = sizeof(V) <= 16 && alignof(V) <= 8;

// Every collection is a small handle: kept in place, and moved (never copied) with its Object.
static_assert(kInPlace<ListValue> && std::is_nothrow_move_constructible_v<ListValue>);
static_assert(kInPlace<SetValue> && std::is_nothrow_move_constructible_v<SetValue>);
static_assert(kInPlace<ZSetValue> && std::is_nothrow_move_constructible_v<ZSetValue>);
static_assert(kInPlace<HashValue> && std::is_nothrow_move_constructible_v<HashValue>);

// Calls fn(V&) with the collection's class; precondition: not a string.
template <class F>
decltype(auto) VisitCollection(const Object& o, F&& fn) {
  switch (o.type()) {
    case ObjType::kList:
      return fn(o.list());
    case ObjType::kSet:
      return fn(o.set());
    case ObjType::kZSet:
      return fn(o.zset());
    case ObjType::kHash:
      break;
    case ObjType::kString:
      TS_CHECK(false);
  }
  return fn(o.hash());
}

template <class V>
constexpr ObjType TypeOf() {
  if constexpr (std::is_same_v<V, ListValue>) return ObjType::kList;
  if constexpr (std::is_same_v<V, SetValue>) return ObjType::kSet;
  if constexpr (std::is_same_v<V, ZSetValue>) return ObjType::kZSet;
  return ObjType::kHash;
}

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

Object::Object() = default;
Object::Object(std::string_view s, StringHint hint) : str_hint(hint) { InitString(s); }

Object::Object(std::string&& s, StringHint hint) : str_hint(hint) {
  if (s.size() <= kSmallAllocMax) {
    InitString(s);
    return;
  }
  tag_ = kStdString;
  set_ptr(new std::string(std::move(s)));
}

Object::Object(ObjType t) {
  switch (t) {
    case ObjType::kList:
      InitCollection(std::make_unique<ListValue>());
      return;
    case ObjType::kSet:
      InitCollection(std::make_unique<SetValue>());
      return;
    case ObjType::kZSet:
      InitCollection(std::make_unique<ZSetValue>());
      return;
    case ObjType::kHash:
      InitCollection(std::make_unique<HashValue>());
      return;
    case ObjType::kString:
      return;
  }
}

Object::Object(std::unique_ptr<ListValue> v) { InitCollection(std::move(v)); }
Object::Object(std::unique_ptr<SetValue> v) { InitCollection(std::move(v)); }
Object::Object(std::unique_ptr<ZSetValue> v) { InitCollection(std::move(v)); }
Object::Object(std::unique_ptr<HashValue> v) { InitCollection(std::move(v)); }

Object::Object(Object&& other) noexcept
    : lru(other.lru), lfu_counter(other.lfu_counter), str_hint(other.str_hint) {
  MoveFrom(other);
}

Object& Object::operator=(Object&& other) noexcept {
  if (this != &other) {
    Destroy();
    lru = other.lru;
    lfu_counter = other.lfu_counter;
    str_hint = other.str_hint;
    MoveFrom(other);
  }
  return *this;
}

Object::~Object() { Destroy(); }

void* Object::ptr() const {
  void* p;
  std::memcpy(&p, storage_, sizeof p);
  return p;
}

void Object::set_ptr(void* p) { std::memcpy(storage_, &p, sizeof p); }

void Object::InitString(std::string_view s) {
  if (s.size() <= kInlineMax) {
    tag_ = kInline;
    inline_len_ = static_cast<uint8_t>(s.size());
    if (!s.empty()) std::memcpy(storage_, s.data(), s.size());
    return;
  }
  TS_CHECK(s.size() <= UINT32_MAX);
  auto len = static_cast<uint32_t>(s.size());
  auto* block = static_cast<char*>(SmallAlloc(sizeof len + s.size()));
  std::memcpy(block, &len, sizeof len);
  std::memcpy(block + sizeof len, s.data(), s.size());
  tag_ = kBlock;
  set_ptr(block);
}

template <class V>
void Object::InitCollection(std::unique_ptr<V> v) {
  tag_ = static_cast<uint8_t>(TypeOf<V>());
  new (storage_) V(std::move(*v));
}

void Object::Destroy() {
  if (is_string()) {
    switch (tag_ & kFormMask) {
      case kBlock: {
        uint32_t len;
        std::memcpy(&len, ptr(), sizeof len);
        SmallFree(ptr(), sizeof len + len);
        break;
      }
      case kStdString:
        delete static_cast<std::string*>(ptr());
        break;
      default:
        break;
    }
  } else {
    VisitCollection(*this, [&](auto& v) {
      using V = std::decay_t<decltype(v)>;
      v.~V();
    });
  }
  tag_ = kInline;
  inline_len_ = 0;
}

void Object::MoveFrom(Object& other) {
  tag_ = other.tag_;
  inline_len_ = other.inline_len_;
  if (other.is_string()) {
    std::memcpy(storage_, other.storage_, sizeof storage_);
  } else {
    VisitCollection(other, [&](auto& v) {
      using V = std::decay_t<decltype(v)>;
      new (storage_) V(std::move(v));
      v.~V();
    });
  }
  other.tag_ = kInline;
  other.inline_len_ = 0;
}

std::string_view Object::str() const {
  TS_CHECK(is_string());
  switch (tag_ & kFormMask) {
    case kBlock: {
      const auto* block = static_cast<const char*>(ptr());
      uint32_t len;
      std::memcpy(&len, block, sizeof len);
      return {block + sizeof len, len};
    }
    case kStdString:
      return *static_cast<const std::string*>(ptr());
    default:
      return {reinterpret_cast<const char*>(storage_), inline_len_};
  }
}

void Object::SetStr(std::string_view s) {
  // s may point into this Object's own bytes: build the new form before freeing the old.
  Object fresh(s);
  Destroy();
  MoveFrom(fresh);
}

std::string& Object::mutable_str() {
  TS_CHECK(is_string());
  if ((tag_ & kFormMask) != kStdString) {
    auto* edited = new std::string(str());
    Destroy();
    tag_ = kStdString;
    set_ptr(edited);
  }
  return *static_cast<std::string*>(ptr());
}

template <class V>
V& Object::As() const {
  TS_CHECK(type() == TypeOf<V>());
  return *std::launder(reinterpret_cast<V*>(const_cast<unsigned char*>(storage_)));
}
template ListValue& Object::As<ListValue>() const;
template SetValue& Object::As<SetValue>() const;
template ZSetValue& Object::As<ZSetValue>() const;
template HashValue& Object::As<HashValue>() const;

ListValue& Object::list() const { return As<ListValue>(); }
SetValue& Object::set() const { return As<SetValue>(); }
ZSetValue& Object::zset() const { return As<ZSetValue>(); }
HashValue& Object::hash() const { return As<HashValue>(); }

std::string_view Object::EncodingName() const {
  if (!is_string()) return VisitCollection(*this, [](auto& v) { return v.EncodingName(); });
  switch (StringEncoding(str(), str_hint)) {
    case StrEnc::kInt:
      return "int";
    case StrEnc::kEmbstr:
      return "embstr";
    case StrEnc::kRaw:
      break;
  }
  return "raw";
}

size_t Object::MemoryUsage() const {
  if (!is_string()) {
    return VisitCollection(*this, [](auto& v) { return kRobjSize + v.MemoryUsage(); });
  }
  std::string_view s = str();
  switch (StringEncoding(s, str_hint)) {
    case StrEnc::kInt:
      return kRobjSize;
    case StrEnc::kEmbstr:
      return JemallocSize(kRobjSize + SdsHeader(s.size(), false) + s.size() + 1);
    case StrEnc::kRaw:
      break;
  }
  return kRobjSize + JemallocSize(SdsHeader(s.size(), false) + s.size() + 1);
}

Object Object::Clone() const {
  Object copy = is_string() ? Object(str(), str_hint)
                            : VisitCollection(*this, [](auto& v) {
                                using V = std::decay_t<decltype(v)>;
                                return Object(std::make_unique<V>(v));
                              });
  copy.lru = lru;
  copy.lfu_counter = lfu_counter;
  copy.str_hint = str_hint;
  return copy;
}

}  // namespace tessera::keyspace
