// ListValue, a Redis list: a quicklist-like vector of PackedList nodes, each filled up to
// list-max-listpack-size. Redis 7.0 names every list's encoding "quicklist" (checked against
// redis-server 7.0.15: even a 1-element list), so there is no conversion to track.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "tessera/keyspace/encoding_limits.h"
#include "tessera/keyspace/node_vector.h"
#include "tessera/keyspace/packed_list.h"

namespace tessera::keyspace {

class ListValue {
 public:
  ListValue() = default;
  ListValue(const ListValue& other) = default;
  ListValue& operator=(const ListValue&) = delete;

  size_t Size() const { return size_; }
  bool Empty() const { return size_ == 0; }

  void PushFront(std::string_view v, const EncodingLimits& limits);
  void PushBack(std::string_view v, const EncodingLimits& limits);
  // Precondition: !Empty().
  std::string PopFront();
  std::string PopBack();

  // Indexes are 0-based from the head; i < Size(). The view is valid until the next mutation.
  std::string_view At(size_t i) const;
  void Set(size_t i, std::string_view v, const EncodingLimits& limits);
  // LINSERT: inserts v before (or after) the first element equal to pivot; false when there is
  // no such element.
  bool InsertAtPivot(std::string_view pivot, bool after, std::string_view v,
                     const EncodingLimits& limits);
  // LREM: removes elements equal to v, at most |count| of them (all when count is 0), from the
  // head when count >= 0, from the tail when count < 0. Returns how many were removed.
  size_t Remove(std::string_view v, int64_t count, const EncodingLimits& limits);
  // LTRIM: keeps the n elements starting at `start` (start + n <= Size()).
  void Keep(size_t start, size_t n, const EncodingLimits& limits);

  // Visits n elements from index start (start + n <= Size()), head to tail.
  void Range(size_t start, size_t n, absl::FunctionRef<void(std::string_view)> fn) const;
  // Visits elements head to tail (or tail to head) with their index while fn returns true.
  void Walk(bool reverse, absl::FunctionRef<bool(size_t index, std::string_view v)> fn) const;

  // Nodes, head to tail (RDB writes one listpack per node); none is empty.
  size_t NodeCount() const { return nodes_.size(); }
  const PackedList& Node(size_t i) const { return nodes_[i]; }

  // Bytes owned by the value, without the 16-byte object header that Object::MemoryUsage adds.
  size_t MemoryUsage() const;
  // OBJECT ENCODING name of the current representation.
  std::string_view EncodingName() const { return "quicklist"; }

 private:
  struct Pos {
    size_t node;
    size_t off;
  };
  Pos Locate(size_t i) const;
  // Splits node k in two when it no longer fits the fill limit (after an insert or a replace).
  void SplitIfNeeded(size_t k, const EncodingLimits& limits);
  // Drops empty nodes and merges neighbours that fit in one node together.
  void Compact(const EncodingLimits& limits);

  NodeVector<PackedList> nodes_;
  size_t size_ = 0;
};

}  // namespace tessera::keyspace
