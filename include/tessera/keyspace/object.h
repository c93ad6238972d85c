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

class Object {
 public:
  using Rep = std::variant<std::string, std::unique_ptr<ListValue>, std::unique_ptr<SetValue>,
                           std::unique_ptr<ZSetValue>, std::unique_ptr<HashValue>>;

  Object() : rep_(std::string()) {}
  explicit Object(std::string s) : rep_(std::move(s)) {}
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
  // Approximate bytes used, for MEMORY USAGE and maxmemory accounting.
  size_t MemoryUsage() const;
  Object Clone() const;  // deep copy (COPY)

  // Eviction metadata: last access (LRU clock, seconds resolution) and LFU counter/decay time.
  uint32_t lru = 0;
  uint8_t lfu_counter = 5;  // LFU_INIT_VAL

 private:
  Rep rep_;
};

}  // namespace tessera::keyspace
