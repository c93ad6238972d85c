// SetValue, a Redis set. Encodings as Redis 7.0 names them: "intset" (sorted integers) while
// every member is a canonical int64 and there are at most set-max-intset-entries of them, else
// "hashtable"; never back (as in Redis).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "tessera/keyspace/encoding_limits.h"
#include "tessera/keyspace/int_set.h"

namespace tessera::keyspace {

class SetValue {
 public:
  using MemberFn = absl::FunctionRef<void(std::string_view member)>;

  SetValue();
  SetValue(const SetValue& other);
  SetValue& operator=(const SetValue&) = delete;
  ~SetValue();

  size_t Size() const;
  bool IsIntset() const { return table_ == nullptr; }
  // The integers while IsIntset(), ascending (RDB writing).
  const IntSet& intset() const { return ints_; }

  // False when already a member. Converts to "hashtable" when `member` is not an integer, or
  // after the insert when the intset grew past the limit.
  bool Add(std::string_view member, const EncodingLimits& limits);
  bool Remove(std::string_view member);
  bool Contains(std::string_view member) const;
  void ConvertToHashtable();
  // Pre-sizes the table for n members when that many will be added to a "hashtable" set.
  void Reserve(size_t n);

  // The i-th member, i < Size(), in O(1) (intset: the i-th smallest).
  std::string At(size_t i) const;
  // Removes and returns the i-th member.
  std::string TakeAt(size_t i);
  // Visits every member: ascending for an intset, the table's arbitrary order otherwise.
  void ForEach(MemberFn fn) const;
  // SSCAN: as HashValue::Scan (an intset is visited whole in one call).
  uint64_t Scan(uint64_t cursor, size_t count, MemberFn fn) const;

  // Bytes owned by the value, without the 16-byte object header that Object::MemoryUsage adds.
  size_t MemoryUsage() const;
  // OBJECT ENCODING name of the current representation.
  std::string_view EncodingName() const { return IsIntset() ? "intset" : "hashtable"; }

 private:
  struct Table;  // set_value.cc

  IntSet ints_;
  std::unique_ptr<Table> table_;
};

}  // namespace tessera::keyspace
