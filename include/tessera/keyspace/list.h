// ListValue, a Redis list: a quicklist-like sequence of PackedList nodes, each filled up to
// list-max-listpack-size. Redis 7.0 names every list's encoding "quicklist" (checked against
// redis-server 7.0.15: even a 1-element list), so there is no conversion to track.
// The handle is 16 bytes so that Object keeps it in place (docs/benchmarks.md, memory per key).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
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
  ListValue(const ListValue& other);
  // Leaves other empty (Object moves values it holds in place).
  ListValue(ListValue&& other) noexcept = default;
  ListValue& operator=(const ListValue&) = delete;

  size_t Size() const { return chain_ ? chain_->size : single_.count(); }
  bool Empty() const { return Size() == 0; }

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
  size_t NodeCount() const { return chain_ ? chain_->nodes.size() : (single_.empty() ? 0 : 1); }
  const PackedList& Node(size_t i) const { return chain_ ? chain_->nodes[i] : single_; }

  // Bytes owned by the value, without the 16-byte object header that Object::MemoryUsage adds.
  size_t MemoryUsage() const;
  // OBJECT ENCODING name of the current representation.
  std::string_view EncodingName() const { return "quicklist"; }

 private:
  struct Pos {
    size_t node;
    size_t off;
  };
  // A list of two or more nodes (between mutations). Most lists fit in one node, which lives in
  // single_ instead: this struct and its vector's buffer would cost about as much again as the
  // benchmark's whole 10-element node (80 bytes).
  struct Chain {
    NodeVector<PackedList> nodes;  // no node is empty between mutations
    size_t size = 0;               // elements over all nodes
  };

  // The nodes head to tail: chain_'s, or single_ alone (none when the list is empty).
  std::span<PackedList> Nodes();
  std::span<const PackedList> Nodes() const;
  // Moves single_ into a new chain of one node when there is no chain yet; for callers about to
  // add a node. Unchain undoes it once the chain is down to one node or none.
  Chain& Chained();
  void Unchain();

  Pos Locate(size_t i) const;
  // Splits node k in two when it no longer fits the fill limit (after an insert or a replace).
  void SplitIfNeeded(size_t k, const EncodingLimits& limits);
  // Drops empty nodes and merges neighbours that fit in one node together.
  void Compact(const EncodingLimits& limits);

  // Invariant: when chain_ is set, single_ is empty. A single node counts its own elements.
  PackedList single_;
  std::unique_ptr<Chain> chain_;
};

}  // namespace tessera::keyspace
