// HashValue, a Redis hash. Encodings as Redis 7.0 names them: "listpack" (field/value pairs in
// one PackedList, insertion order) while small, "hashtable" once hash-max-listpack-entries or
// hash-max-listpack-value is exceeded; never back (as in Redis).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/functional/function_ref.h"
#include "tessera/keyspace/encoding_limits.h"
#include "tessera/keyspace/packed_list.h"

namespace tessera::keyspace {

class HashValue {
 public:
  using FieldFn = absl::FunctionRef<void(std::string_view field, std::string_view value)>;

  HashValue();
  HashValue(const HashValue& other);
  // Object keeps a hash in place and moves it with the Object: this must not copy.
  HashValue(HashValue&& other) noexcept;
  HashValue& operator=(const HashValue&) = delete;
  ~HashValue();

  size_t Size() const;
  bool IsListpack() const { return table_ == nullptr; }

  // Views returned here and by At/ForEach/Scan stay valid until the next mutation.
  std::optional<std::string_view> Get(std::string_view field) const;
  bool Contains(std::string_view field) const { return Get(field).has_value(); }
  // Inserts or overwrites; true when the field is new. Converts to "hashtable" first when field
  // or value is longer than the value limit, after inserting when there are more entries than
  // the entry limit.
  bool Set(std::string_view field, std::string_view value, const EncodingLimits& limits);
  bool Delete(std::string_view field);
  // Redis checks every argument of HSET/HSETNX/HMSET against hash-max-listpack-value before it
  // writes anything (and converts even if nothing is then written): commands call this for each.
  void CheckLength(size_t len, const EncodingLimits& limits);
  void ConvertToHashtable();

  // The i-th entry, i < Size(): O(1) in "hashtable", O(i) in "listpack". The order is listpack
  // order (insertion, with deletions closed up) or the table's, which is arbitrary.
  std::pair<std::string_view, std::string_view> At(size_t i) const;
  // Visits every entry (RDB writing, HGETALL): the order of At.
  void ForEach(FieldFn fn) const;
  // HSCAN: visits about `count` entries from `cursor` (0 starts) and returns the next cursor
  // (0 when done). A listpack is visited whole in one call, as Redis does. Entries present for
  // the whole scan are visited at least once.
  uint64_t Scan(uint64_t cursor, size_t count, FieldFn fn) const;

  // Bytes owned by the value, without the 16-byte object header that Object::MemoryUsage adds.
  size_t MemoryUsage() const;
  // OBJECT ENCODING name of the current representation.
  std::string_view EncodingName() const { return IsListpack() ? "listpack" : "hashtable"; }

 private:
  struct Table;  // hash_value.cc
  // Offset of the field's entry in lp_, or lp_.End().
  size_t FindPacked(std::string_view field) const;

  PackedFields lp_;  // field, value, field, value... while a listpack
  std::unique_ptr<Table> table_;
};

}  // namespace tessera::keyspace
