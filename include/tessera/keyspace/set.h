// SetValue, a Redis set. Encodings as Redis 7.0 names them: "intset" (sorted integers) while
// every member is a canonical int64 and there are at most set-max-intset-entries of them, else
// "hashtable"; never back (as in Redis). A "hashtable" set is kept packed (members in one
// PackedFields block) while small, then in a DenseTable; only memory tells the two apart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "absl/functional/function_ref.h"
#include "tessera/keyspace/encoding_limits.h"
#include "tessera/keyspace/int_set.h"
#include "tessera/keyspace/packed_list.h"

namespace tessera::keyspace {

class SetValue {
 public:
  using MemberFn = absl::FunctionRef<void(std::string_view member)>;

  SetValue();
  SetValue(const SetValue& other);
  SetValue& operator=(const SetValue&) = delete;
  // Object moves values it keeps in place; other is left an empty intset.
  SetValue(SetValue&& other) noexcept;
  ~SetValue();

  size_t Size() const;
  bool IsIntset() const { return rep_.index() == kIntsetForm; }
  // The integers; precondition: IsIntset(). Ascending.
  const IntSet& intset() const { return *std::get_if<IntSet>(&rep_); }

  // False when already a member. Converts to "hashtable" when `member` is not an integer, or
  // after the insert when the intset grew past the limit.
  bool Add(std::string_view member, const EncodingLimits& limits);
  bool Remove(std::string_view member);
  bool Contains(std::string_view member) const;
  // To "hashtable" (the packed form when the members fit it); no-op when already one.
  void ConvertToHashtable();
  // Prepares a "hashtable" set to hold n members: when that is more than the packed form holds
  // (128), goes to the table form now, pre-sized. No-op for an intset.
  void Reserve(size_t n);

  // The i-th member, i < Size(): O(1) for an intset (the i-th smallest) and the table, O(i)
  // over at most 128 members for the packed form.
  std::string At(size_t i) const;
  // Removes and returns the i-th member.
  std::string TakeAt(size_t i);
  // Visits every member: ascending for an intset, an arbitrary order otherwise (the order of At).
  void ForEach(MemberFn fn) const;
  // SSCAN: as HashValue::Scan for a "hashtable" set, packed or not (the cursor counts positions
  // left to visit, walking down from the end; 0 when done); an intset is visited whole in one
  // call.
  uint64_t Scan(uint64_t cursor, size_t count, MemberFn fn) const;

  // Bytes owned by the value, without the 16-byte object header that Object::MemoryUsage adds.
  size_t MemoryUsage() const;
  // OBJECT ENCODING name of the current representation.
  std::string_view EncodingName() const { return IsIntset() ? "intset" : "hashtable"; }

 private:
  struct Table;  // set_value.cc
  // The forms, in the order of rep_'s alternatives.
  static constexpr size_t kIntsetForm = 0;
  static constexpr size_t kPackedForm = 1;
  static constexpr size_t kTableForm = 2;

  // Moves the members into a DenseTable sized for `reserve` members.
  void ConvertToTable(size_t reserve);

  // IntSet and PackedFields are one pointer each, so the whole handle is 16 bytes and Object
  // keeps it in place.
  std::variant<IntSet, PackedFields, std::unique_ptr<Table>> rep_;
};

}  // namespace tessera::keyspace
