// PackedList: a sequence of byte strings in one exactly-sized allocation, walkable both ways (the
// role of Redis's listpack: small hashes, quicklist nodes). Each entry is a LEB128 length, the
// bytes, then the entry's size again written to be read backwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/functional/function_ref.h"

namespace tessera::keyspace {

class PackedList {
 public:
  PackedList() = default;
  PackedList(const PackedList& other);
  PackedList& operator=(const PackedList& other);
  PackedList(PackedList&& other) noexcept;
  PackedList& operator=(PackedList&& other) noexcept;
  ~PackedList();

  size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Encoded bytes (what the allocation holds).
  size_t bytes() const { return size_; }
  // Bytes one entry of `len` bytes takes once encoded.
  static size_t EncodedSize(size_t len);

  // Positions are byte offsets of entries: Begin() is the first, End() is one past the last.
  // A position stays valid until the next mutation before or at it.
  size_t Begin() const { return 0; }
  size_t End() const { return size_; }
  std::string_view At(size_t pos) const;
  size_t Next(size_t pos) const;
  // Precondition: pos > Begin().
  size_t Prev(size_t pos) const;

  // Inserts before the entry at pos (pos == End() appends).
  void Insert(size_t pos, std::string_view v);
  void PushBack(std::string_view v) { Insert(size_, v); }
  void PushFront(std::string_view v) { Insert(0, v); }
  // Removes n entries starting at pos; the entry that followed them is now at pos.
  void Erase(size_t pos, size_t n = 1);
  void Replace(size_t pos, std::string_view v);
  // Moves the entries from pos to the end into a new list (quicklist node split).
  PackedList SplitAt(size_t pos);
  // Appends all of other's entries.
  void Append(const PackedList& other);
  void Clear();

  void ForEach(absl::FunctionRef<void(std::string_view)> fn) const;

 private:
  void Resize(size_t n);

  char* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t count_ = 0;
};

}  // namespace tessera::keyspace
