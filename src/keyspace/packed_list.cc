// PackedList: the entry layout and exact-size reallocation (see packed_list.h).
#include "tessera/keyspace/packed_list.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "tessera/core/status.h"
#include "keyspace/varint.h"
#include "tessera/keyspace/small_alloc.h"

namespace tessera::keyspace {
namespace {

// Read from its last byte backwards: the last byte holds the low group, and a byte has 0x80 set
// when another byte precedes it.
void PutBackward(char* p, size_t v) {
  size_t n = VarintSize(v);
  for (size_t i = 0; i < n; ++i) {
    auto group = static_cast<unsigned char>(v & 0x7f);
    v >>= 7;
    if (i + 1 < n) group |= 0x80;
    p[n - 1 - i] = static_cast<char>(group);
  }
}

// `end` points one past the last byte of the backward length.
size_t GetBackward(const char* end) {
  size_t v = 0, shift = 0;
  for (const char* p = end - 1;; --p) {
    auto b = static_cast<unsigned char>(*p);
    v |= static_cast<size_t>(b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) == 0) break;
  }
  return v;
}

// Size of an entry without its trailing backward length.
size_t HeadSize(size_t len) { return VarintSize(len) + len; }

}  // namespace

template <bool B>
BasicPackedList<B>::BasicPackedList(const BasicPackedList& other) {
  if (other.block_ != nullptr) {
    size_t n = sizeof(Header) + other.bytes();
    block_ = static_cast<char*>(SmallAlloc(n));
    std::memcpy(block_, other.block_, n);
  }
}

template <bool B>
BasicPackedList<B>& BasicPackedList<B>::operator=(const BasicPackedList& other) {
  if (this != &other) *this = BasicPackedList(other);
  return *this;
}

template <bool B>
BasicPackedList<B>& BasicPackedList<B>::operator=(BasicPackedList&& other) noexcept {
  if (this != &other) {
    Clear();
    block_ = other.block_;
    other.block_ = nullptr;
  }
  return *this;
}

template <bool B>
BasicPackedList<B>::~BasicPackedList() {
  Clear();
}

template <bool B>
size_t BasicPackedList<B>::AllocatedBytes() const {
  return block_ == nullptr ? 0 : SmallAllocSize(sizeof(Header) + bytes());
}

template <bool B>
size_t BasicPackedList<B>::EncodedSize(size_t len) {
  size_t head = HeadSize(len);
  return B ? head + VarintSize(head) : head;
}

template <bool B>
void BasicPackedList<B>::Resize(size_t n) {
  TS_CHECK(n <= UINT32_MAX - sizeof(Header));
  size_t old = block_ == nullptr ? 0 : sizeof(Header) + bytes();
  if (n == 0) {
    SmallFree(block_, old);
    block_ = nullptr;
    return;
  }
  // Exact sizes, like a listpack: small collections are the common case and spare capacity
  // would cost more memory than the reallocations cost time.
  bool fresh = block_ == nullptr;
  block_ = static_cast<char*>(SmallRealloc(block_, old, sizeof(Header) + n));
  if (fresh) header().count = 0;
  header().size = static_cast<uint32_t>(n);
}

template <bool B>
std::string_view BasicPackedList<B>::At(size_t pos) const {
  size_t hdr = 0;
  size_t len = GetVarint(data() + pos, &hdr);
  return std::string_view(data() + pos + hdr, len);
}

template <bool B>
size_t BasicPackedList<B>::Next(size_t pos) const {
  size_t hdr = 0;
  size_t len = GetVarint(data() + pos, &hdr);
  size_t head = hdr + len;
  return B ? pos + head + VarintSize(head) : pos + head;
}

template <bool B>
size_t BasicPackedList<B>::Prev(size_t pos) const
  requires B
{
  size_t head = GetBackward(data() + pos);
  return pos - VarintSize(head) - head;
}

template <bool B>
void BasicPackedList<B>::Insert(size_t pos, std::string_view v) {
  size_t n = EncodedSize(v.size());
  size_t old = bytes();
  Resize(old + n);
  std::memmove(data() + pos + n, data() + pos, old - pos);
  char* p = data() + pos;
  PutVarint(p, v.size());
  size_t hdr = VarintSize(v.size());
  if (!v.empty()) std::memcpy(p + hdr, v.data(), v.size());
  if constexpr (B) PutBackward(p + hdr + v.size(), hdr + v.size());
  ++header().count;
}

template <bool B>
void BasicPackedList<B>::Erase(size_t pos, size_t n) {
  size_t end = pos;
  for (size_t i = 0; i < n; ++i) end = Next(end);
  std::memmove(data() + pos, data() + end, bytes() - end);
  header().count -= static_cast<uint32_t>(n);
  Resize(bytes() - (end - pos));
}

template <bool B>
void BasicPackedList<B>::Replace(size_t pos, std::string_view v) {
  size_t old_n = Next(pos) - pos;
  size_t new_n = EncodedSize(v.size());
  if (new_n != old_n) {
    Erase(pos);
    Insert(pos, v);
    return;
  }
  size_t hdr = VarintSize(v.size());
  if (!v.empty()) std::memcpy(data() + pos + hdr, v.data(), v.size());
}

template <bool B>
BasicPackedList<B> BasicPackedList<B>::SplitAt(size_t pos) {
  BasicPackedList tail;
  size_t moved = 0;
  for (size_t p = pos; p < bytes(); p = Next(p)) ++moved;
  if (moved == 0) return tail;
  tail.Resize(bytes() - pos);
  std::memcpy(tail.data(), data() + pos, bytes() - pos);
  tail.header().count = static_cast<uint32_t>(moved);
  header().count -= static_cast<uint32_t>(moved);
  Resize(pos);
  return tail;
}

template <bool B>
void BasicPackedList<B>::Append(const BasicPackedList& other) {
  if (other.empty()) return;
  size_t old = bytes();
  Resize(old + other.bytes());
  std::memcpy(data() + old, other.data(), other.bytes());
  header().count += other.header().count;
}

template <bool B>
void BasicPackedList<B>::Clear() {
  Resize(0);
}

template <bool B>
void BasicPackedList<B>::ForEach(absl::FunctionRef<void(std::string_view)> fn) const {
  for (size_t p = 0, end = bytes(); p < end; p = Next(p)) fn(At(p));
}

template class BasicPackedList<true>;
template class BasicPackedList<false>;

}  // namespace tessera::keyspace
