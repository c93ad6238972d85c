// IntSet: a sorted array of distinct int64 values stored with the narrowest width that fits them
// all (2, 4 or 8 bytes), like Redis's intset encoding of small integer sets.
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

  size_t size() const { return count_; }
  // Bytes per element: 2, 4 or 8.
  size_t width() const { return width_; }
  size_t bytes() const { return size_t{count_} * width_; }
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
  void Widen(uint8_t width);

  char* data_ = nullptr;
  uint32_t count_ = 0;
  uint8_t width_ = 2;
};

}  // namespace tessera::keyspace
