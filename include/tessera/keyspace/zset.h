// ZSetValue, a Redis sorted set with Redis 7.0's two representations: a compact sorted
// "listpack" while small, a "skiplist" (member map + order-statistic tree) once a limit is crossed.
// Ordering is by (score, member bytes), as in Redis (replication-rdb.md, type 17).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"

namespace tessera::keyspace {

// zset-max-listpack-entries / zset-max-listpack-value. A set stays in the compact form while it
// has at most max_listpack_entries members and no member is longer than max_listpack_value.
struct ZSetLimits {
  size_t max_listpack_entries = 128;
  size_t max_listpack_value = 64;
};

// One element as seen through the value; `member` points into the value and is valid until the
// next mutation.
struct ZEntry {
  std::string_view member;
  double score = 0;
};

// Strict weak order of Redis's sorted sets: score first, then member bytes (memcmp, shorter
// first on a common prefix). Scores are never NaN.
inline bool ZLess(double a_score, std::string_view a_member, double b_score,
                  std::string_view b_member) {
  if (a_score != b_score) return a_score < b_score;
  return a_member < b_member;
}

class ZSetValue {
 public:
  using EntryFn = absl::FunctionRef<void(std::string_view member, double score)>;
  // A predicate over elements that holds for a prefix of the order (and for no element after
  // the first one where it fails), e.g. "score < min".
  using PrefixPred = absl::FunctionRef<bool(std::string_view member, double score)>;

  ZSetValue();
  ZSetValue(const ZSetValue& other);
  // Leaves `other` empty in listpack form. Object keeps the handle in place and moves it.
  ZSetValue(ZSetValue&& other) noexcept;
  ZSetValue& operator=(const ZSetValue&) = delete;
  ~ZSetValue();

  size_t Size() const;
  bool IsListpack() const { return tree_ == nullptr; }

  std::optional<double> Score(std::string_view member) const;
  // Adds `member` or moves it to `score` (never NaN); true if it was new. Converts to the
  // skiplist form first when the new size or the member's length would exceed `limits`.
  bool Set(std::string_view member, double score, const ZSetLimits& limits);
  // True if the member was there.
  bool Remove(std::string_view member);

  // 0-based position in ascending order, nullopt when absent. O(log n) in skiplist form.
  std::optional<size_t> Rank(std::string_view member) const;
  // The element at ascending position `rank` (< Size()).
  ZEntry At(size_t rank) const;
  // Number of leading elements (in ascending order) for which `pred` holds. O(log n) in
  // skiplist form; `pred` must hold for a prefix only.
  size_t CountPrefix(PrefixPred pred) const;
  // Visits positions [start, end) (end <= Size()) ascending, or from end-1 down to start when
  // `reverse`. The callback must not mutate the value.
  void Visit(size_t start, size_t end, bool reverse, EntryFn fn) const;
  // Every element in ascending order (ZSCAN, set operations, the RDB writer; RDB's ZSET_2 lists
  // elements from the highest score: use Visit(0, Size(), true, fn)).
  void ForEach(EntryFn fn) const { Visit(0, Size(), false, fn); }
  // Removes positions [start, end).
  void RemoveRange(size_t start, size_t end);

  // Listpack -> skiplist (Redis never converts back, except when building a fresh value).
  void ConvertToSkiplist();

  // Bytes owned by the value (the handle and its blocks), without the 16-byte object header that
  // Object::MemoryUsage adds.
  size_t MemoryUsage() const;
  // OBJECT ENCODING name of the current representation.
  std::string_view EncodingName() const { return IsListpack() ? "listpack" : "skiplist"; }

 private:
  class Tree;  // zset_value_tree.cc: member map + treap with subtree sizes

  // Encoded bytes of the listpack entries (empty in skiplist form).
  std::string_view Packed() const;
  // Replaces `erase_n` bytes at `off` with `insert` and adds `count_delta` to the entry count,
  // reallocating the block to its exact new size (freeing it when it becomes empty).
  // `insert` must not point into the block.
  void Splice(size_t off, size_t erase_n, std::string_view insert, int64_t count_delta);
  void FreeBlock();

  // Listpack form: one exactly-sized SmallAlloc block, [uint32 bytes][uint32 count] then the
  // entries sorted by (score, member), each a varint member length, the member bytes and a score
  // tag (see zset_value.cc); nullptr while empty or in skiplist form. Keeping the handle to two
  // pointers lets Object hold it in place (object.h).
  char* block_ = nullptr;
  std::unique_ptr<Tree> tree_;
};

}  // namespace tessera::keyspace
