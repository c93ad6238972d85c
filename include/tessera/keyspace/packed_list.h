// PackedList: a sequence of byte strings in one exactly-sized SmallAlloc block (the role of Redis's
// listpack: small hashes, quicklist nodes). The handle is one pointer; the block holds the byte
// size and the count, then the entries. Each entry is a LEB128 length and the bytes, then (when
// kBackLinks) the entry's size again written to be read backwards, so the list can be walked
// from its end. Small hashes never walk backwards and save that byte (docs/benchmarks.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/functional/function_ref.h"

namespace tessera::keyspace {

template <bool kBackLinks>
class BasicPackedList {
 public:
  BasicPackedList() = default;
  BasicPackedList(const BasicPackedList& other);
  BasicPackedList& operator=(const BasicPackedList& other);
  BasicPackedList(BasicPackedList&& other) noexcept : block_(other.block_) {
    other.block_ = nullptr;
  }
  BasicPackedList& operator=(BasicPackedList&& other) noexcept;
  ~BasicPackedList();

  size_t count() const { return block_ == nullptr ? 0 : header().count; }
  bool empty() const { return block_ == nullptr; }
  // Encoded bytes of the entries.
  size_t bytes() const { return block_ == nullptr ? 0 : header().size; }
  // Bytes the block takes, header included (MEMORY USAGE).
  size_t AllocatedBytes() const;
  // Bytes one entry of `len` bytes takes once encoded.
  static size_t EncodedSize(size_t len);

  // Positions are byte offsets of entries: Begin() is the first, End() is one past the last.
  // A position stays valid until the next mutation before or at it.
  size_t Begin() const { return 0; }
  size_t End() const { return bytes(); }
  std::string_view At(size_t pos) const;
  size_t Next(size_t pos) const;
  // Precondition: pos > Begin(). Only with kBackLinks.
  size_t Prev(size_t pos) const
    requires kBackLinks;

  // Inserts before the entry at pos (pos == End() appends).
  void Insert(size_t pos, std::string_view v);
  void PushBack(std::string_view v) { Insert(End(), v); }
  void PushFront(std::string_view v) { Insert(0, v); }
  // Removes n entries starting at pos; the entry that followed them is now at pos.
  void Erase(size_t pos, size_t n = 1);
  void Replace(size_t pos, std::string_view v);
  // Moves the entries from pos to the end into a new list (quicklist node split).
  BasicPackedList SplitAt(size_t pos);
  // Appends all of other's entries.
  void Append(const BasicPackedList& other);
  void Clear();

  void ForEach(absl::FunctionRef<void(std::string_view)> fn) const;

 private:
  struct Header {
    uint32_t size;
    uint32_t count;
  };
  Header& header() const { return *reinterpret_cast<Header*>(block_); }
  char* data() const { return block_ + sizeof(Header); }
  // Resizes the entry bytes to n, keeping the count; n == 0 frees the block.
  void Resize(size_t n);

  char* block_ = nullptr;
};

using PackedList = BasicPackedList<true>;
// Forward-only: small hashes.
using PackedFields = BasicPackedList<false>;

}  // namespace tessera::keyspace
