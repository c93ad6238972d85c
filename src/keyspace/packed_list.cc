// PackedList: the entry layout and exact-size reallocation (see packed_list.h).
#include "tessera/keyspace/packed_list.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "tessera/core/status.h"

namespace tessera::keyspace {
namespace {

size_t VarintSize(size_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// LEB128: low groups first, 0x80 on every byte but the last.
void PutForward(char* p, size_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *p = static_cast<char>(v);
}

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

size_t GetForward(const char* p, size_t* len) {
  size_t v = 0, shift = 0, i = 0;
  for (;; ++i) {
    auto b = static_cast<unsigned char>(p[i]);
    v |= static_cast<size_t>(b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) == 0) break;
  }
  *len = i + 1;
  return v;
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

PackedList::PackedList(const PackedList& other) : size_(other.size_), count_(other.count_) {
  if (size_ > 0) {
    data_ = static_cast<char*>(std::malloc(size_));
    if (data_ == nullptr) throw std::bad_alloc();
    std::memcpy(data_, other.data_, size_);
  }
}

PackedList& PackedList::operator=(const PackedList& other) {
  if (this != &other) *this = PackedList(other);
  return *this;
}

PackedList::PackedList(PackedList&& other) noexcept
    : data_(other.data_), size_(other.size_), count_(other.count_) {
  other.data_ = nullptr;
  other.size_ = other.count_ = 0;
}

PackedList& PackedList::operator=(PackedList&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = other.data_;
    size_ = other.size_;
    count_ = other.count_;
    other.data_ = nullptr;
    other.size_ = other.count_ = 0;
  }
  return *this;
}

PackedList::~PackedList() { std::free(data_); }

size_t PackedList::EncodedSize(size_t len) {
  size_t head = HeadSize(len);
  return head + VarintSize(head);
}

void PackedList::Resize(size_t n) {
  TS_CHECK(n <= UINT32_MAX);
  if (n == 0) {
    std::free(data_);
    data_ = nullptr;
  } else {
    // Exact sizes, like a listpack: small collections are the common case and spare capacity
    // would cost more memory than the reallocations cost time.
    char* p = static_cast<char*>(std::realloc(data_, n));
    if (p == nullptr) throw std::bad_alloc();
    data_ = p;
  }
  size_ = static_cast<uint32_t>(n);
}

std::string_view PackedList::At(size_t pos) const {
  size_t hdr = 0;
  size_t len = GetForward(data_ + pos, &hdr);
  return std::string_view(data_ + pos + hdr, len);
}

size_t PackedList::Next(size_t pos) const {
  size_t hdr = 0;
  size_t len = GetForward(data_ + pos, &hdr);
  size_t head = hdr + len;
  return pos + head + VarintSize(head);
}

size_t PackedList::Prev(size_t pos) const {
  size_t head = GetBackward(data_ + pos);
  return pos - VarintSize(head) - head;
}

void PackedList::Insert(size_t pos, std::string_view v) {
  size_t n = EncodedSize(v.size());
  size_t old = size_;
  Resize(old + n);
  std::memmove(data_ + pos + n, data_ + pos, old - pos);
  char* p = data_ + pos;
  PutForward(p, v.size());
  size_t hdr = VarintSize(v.size());
  if (!v.empty()) std::memcpy(p + hdr, v.data(), v.size());
  PutBackward(p + hdr + v.size(), hdr + v.size());
  ++count_;
}

void PackedList::Erase(size_t pos, size_t n) {
  size_t end = pos;
  for (size_t i = 0; i < n; ++i) end = Next(end);
  std::memmove(data_ + pos, data_ + end, size_ - end);
  Resize(size_ - (end - pos));
  count_ -= static_cast<uint32_t>(n);
}

void PackedList::Replace(size_t pos, std::string_view v) {
  size_t old_n = Next(pos) - pos;
  size_t new_n = EncodedSize(v.size());
  if (new_n != old_n) {
    Erase(pos);
    Insert(pos, v);
    return;
  }
  size_t hdr = VarintSize(v.size());
  if (!v.empty()) std::memcpy(data_ + pos + hdr, v.data(), v.size());
}

PackedList PackedList::SplitAt(size_t pos) {
  PackedList tail;
  size_t moved = 0;
  for (size_t p = pos; p < size_; p = Next(p)) ++moved;
  if (moved == 0) return tail;
  tail.Resize(size_ - pos);
  std::memcpy(tail.data_, data_ + pos, size_ - pos);
  tail.count_ = static_cast<uint32_t>(moved);
  Resize(pos);
  count_ -= static_cast<uint32_t>(moved);
  return tail;
}

void PackedList::Append(const PackedList& other) {
  if (other.size_ == 0) return;
  size_t old = size_;
  Resize(old + other.size_);
  std::memcpy(data_ + old, other.data_, other.size_);
  count_ += other.count_;
}

void PackedList::Clear() {
  Resize(0);
  count_ = 0;
}

void PackedList::ForEach(absl::FunctionRef<void(std::string_view)> fn) const {
  for (size_t p = 0; p < size_; p = Next(p)) fn(At(p));
}

}  // namespace tessera::keyspace
