// IntSet: a sorted array of distinct int64 values stored with the narrowest width that fits them
// all (2, 4 or 8 bytes), like Redis's intset encoding of small integer sets. The handle is one
// pointer to an exactly-sized SmallAlloc block: [uint32 count][uint8 width][values].
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tessera::keyspace {

// Redis's string2ll: the int64 that `s` spells exactly as Redis prints it (no '+', no leading
// zeros, no "-0", no spaces), or nullopt. Only such members go into an intset.
std::optional<int64_t> ParseCanonicalInt(std::string_view s);

class IntSet {
 public:
  IntSet() = default;
  IntSet(const IntSet& other);
  IntSet& operator=(const IntSet& other);
  IntSet(IntSet&& other) noexcept;
  IntSet& operator=(IntSet&& other) noexcept;
  ~IntSet();

  size_t size() const;
  // Bytes per element: 2, 4 or 8. Never narrows while the set has members, as in Redis; an
  // emptied set frees its block and starts again at 2.
  size_t width() const;
  // Bytes of the values.
  size_t bytes() const { return size() * width(); }
  // Bytes the block takes, header included (MEMORY USAGE).
  size_t AllocatedBytes() const;
  // The i-th smallest value; i < size().
  int64_t At(size_t i) const;
  bool Contains(int64_t v) const;
  // False when already present.
  bool Insert(int64_t v);
  // False when absent.
  bool Erase(int64_t v);
  void EraseAt(size_t i);

 private:
  // Index of the first element >= v.
  size_t LowerBound(int64_t v) const;
  void Widen(size_t width);
  // Reallocates the block for `count` values of `width` bytes (header written, values kept up
  // to the smaller size); count 0 frees it.
  void Resize(size_t count, size_t width);
  char* values() const;
  // Bytes requested for the block (0 without one): what SmallFree needs back.
  size_t AllocatedSize() const;

  char* block_ = nullptr;
};

}  // namespace tessera::keyspace
