// A value in the keyspace: its type, its representation, and access metadata for eviction.
// Collection types live in their own headers (hash.h, list.h, set.h, zset.h); an Object owns one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

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

class Object {
 public:
  using Rep = std::variant<std::string, std::unique_ptr<ListValue>, std::unique_ptr<SetValue>,
                           std::unique_ptr<ZSetValue>, std::unique_ptr<HashValue>>;

  // Constructors are out of line: an inline one would need the collection types complete.
  Object();
  explicit Object(std::string s);
  Object(std::string s, StringHint hint);
  explicit Object(Rep rep);
  Object(Object&&) noexcept;
  Object& operator=(Object&&) noexcept;
  ~Object();

  ObjType type() const { return static_cast<ObjType>(rep_.index()); }
  bool is_string() const { return rep_.index() == 0; }

  const std::string& str() const { return std::get<std::string>(rep_); }
  std::string& mutable_str() { return std::get<std::string>(rep_); }
  ListValue& list() const { return *std::get<std::unique_ptr<ListValue>>(rep_); }
  SetValue& set() const { return *std::get<std::unique_ptr<SetValue>>(rep_); }
  ZSetValue& zset() const { return *std::get<std::unique_ptr<ZSetValue>>(rep_); }
  HashValue& hash() const { return *std::get<std::unique_ptr<HashValue>>(rep_); }
  const Rep& rep() const { return rep_; }
  Rep& mutable_rep() { return rep_; }

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
  // Only meaningful for strings; see StringHint. Fits in the padding after lfu_counter.
  StringHint str_hint = StringHint::kAuto;

 private:
  Rep rep_;
};

}  // namespace tessera::keyspace
