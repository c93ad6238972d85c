// A value in the keyspace: its type, its representation, and access metadata for eviction.
// Collection types live in their own headers (hash.h, list.h, set.h, zset.h); an Object owns one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace tessera::keyspace {

// Redis's OBJ_* numbering (TYPE names: string, list, set, zset, hash).
enum class ObjType : uint8_t { kString = 0, kList = 1, kSet = 2, kZSet = 3, kHash = 4 };

class ListValue;
class SetValue;
class ZSetValue;
class HashValue;

std::string_view TypeName(ObjType t);

// How OBJECT ENCODING names a string, beyond what its bytes say. Redis picks int/embstr/raw when a
// value is stored, and some commands skip the int step or always leave a raw string (checked
// against redis-server 7.0.15):
//   kAuto:  SET, GETSET, MSET, APPEND/INCR on a missing key, ... -> "int" for a canonical int64,
//           else "embstr" up to 44 bytes, else "raw".
//   kNoInt: INCRBYFLOAT stores "3" as embstr -> "embstr" up to 44 bytes, else "raw".
//   kRaw:   APPEND to an existing key, SETRANGE (even on a missing key) -> always "raw".
// INCR/DECR results are "int" again: build a fresh Object or reset the hint to kAuto.
enum class StringHint : uint8_t { kAuto, kNoInt, kRaw };

// True if `s` is exactly how Redis prints some int64: no '+', no leading zeros, no "-0", no
// spaces, at most 20 bytes. Such strings are int-encoded by Redis.
bool IsCanonicalInt64(std::string_view s);

// What Redis 7.0's MEMORY USAGE adds for the key itself: its sds allocation and a dictEntry
// (plus 16 bytes of slot-list links in cluster mode). MEMORY USAGE = this + Object::MemoryUsage.
size_t KeyMemoryUsage(std::string_view key, bool cluster_enabled);

// 24 bytes. Strings up to 16 bytes live inside the Object; longer ones in one SmallAlloc block
// (length + bytes), or in a std::string once a command edits them in place (mutable_str), much
// as Redis turns an embstr into a raw string. Each collection class is a handle of at most 16
// bytes and lives inside the Object. The representation never shows: OBJECT ENCODING
// and MEMORY USAGE follow Redis's rules whatever the form.
class Object {
 public:
  // An empty string.
  Object();
  explicit Object(std::string_view s, StringHint hint = StringHint::kAuto);
  // Takes a large string over without copying it.
  explicit Object(std::string&& s, StringHint hint = StringHint::kAuto);
  explicit Object(const char* s) : Object(std::string_view(s)) {}
  // An empty collection of type t (not kString).
  explicit Object(ObjType t);
  explicit Object(std::unique_ptr<ListValue> v);
  explicit Object(std::unique_ptr<SetValue> v);
  explicit Object(std::unique_ptr<ZSetValue> v);
  explicit Object(std::unique_ptr<HashValue> v);
  Object(Object&& other) noexcept;
  Object& operator=(Object&& other) noexcept;
  ~Object();

  ObjType type() const { return static_cast<ObjType>(tag_ & kTypeMask); }
  bool is_string() const { return type() == ObjType::kString; }

  // The string's bytes; valid until this Object changes. Precondition: is_string().
  std::string_view str() const;
  // Replaces the string (keeping the compact forms); the hint is left as it is.
  void SetStr(std::string_view s);
  // The string as a std::string to edit in place (APPEND, SETRANGE, SETBIT, PFADD). Converts to
  // the edited form once; later calls are cheap.
  std::string& mutable_str();

  ListValue& list() const;
  SetValue& set() const;
  ZSetValue& zset() const;
  HashValue& hash() const;
  // The collection as its class: As<HashValue>() is hash().
  template <class V>
  V& As() const;

  // Redis's OBJECT ENCODING name for the current representation (int, embstr, raw, listpack, ...).
  std::string_view EncodingName() const;
  // Approximate bytes used, for MEMORY USAGE and maxmemory accounting. Strings follow Redis 7.0's
  // objectComputeSize with jemalloc size classes (SET k 123 -> 16, SET k 0123 -> 32).
  size_t MemoryUsage() const;
  // Deep copy (COPY). The string hint and the eviction metadata are copied too; the caller
  // refreshes lru/lfu_counter if it wants a "new" object.
  Object Clone() const;

  // Eviction metadata: last access (LRU clock, seconds resolution) and LFU counter/decay time.
  uint32_t lru = 0;
  uint8_t lfu_counter = 5;  // LFU_INIT_VAL
  // Only meaningful for strings; see StringHint.
  StringHint str_hint = StringHint::kAuto;

 private:
  static constexpr size_t kInlineMax = 16;
  static constexpr uint8_t kTypeMask = 0x07;
  // How a string is held (tag_ bits above the type).
  static constexpr uint8_t kInline = 0x00;
  static constexpr uint8_t kBlock = 0x08;     // storage_ holds a SmallAlloc'd [uint32 len][bytes]
  static constexpr uint8_t kStdString = 0x10; // storage_ holds a std::string*
  static constexpr uint8_t kFormMask = 0x18;

  void* ptr() const;
  void set_ptr(void* p);
  void InitString(std::string_view s);
  void Destroy();
  void MoveFrom(Object& other);
  template <class V>
  void InitCollection(std::unique_ptr<V> v);

  // Declared after the public metadata so the three share the first 8 bytes.
  uint8_t tag_ = 0;         // ObjType in the low bits, the string form above
  uint8_t inline_len_ = 0;  // kInline strings only
  alignas(8) unsigned char storage_[kInlineMax];
};

static_assert(sizeof(Object) == 24);

}  // namespace tessera::keyspace
