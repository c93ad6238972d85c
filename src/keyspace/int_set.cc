// IntSet: sorted narrow-width integer arrays (see int_set.h).
#include "tessera/keyspace/int_set.h"

#include <cstring>
#include <utility>

#include "tessera/core/status.h"
#include "tessera/keyspace/small_alloc.h"

namespace tessera::keyspace {
namespace {

uint8_t WidthFor(int64_t v) {
  if (v >= INT16_MIN && v <= INT16_MAX) return 2;
  if (v >= INT32_MIN && v <= INT32_MAX) return 4;
  return 8;
}

int64_t Load(const char* p, size_t width) {
  switch (width) {
    case 2: {
      int16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    case 4: {
      int32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    default: {
      int64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
  }
}

void Store(char* p, size_t width, int64_t v) {
  if (width == 2) {
    auto x = static_cast<int16_t>(v);
    std::memcpy(p, &x, 2);
  } else if (width == 4) {
    auto x = static_cast<int32_t>(v);
    std::memcpy(p, &x, 4);
  } else {
    std::memcpy(p, &v, 8);
  }
}

// Block header: the count (uint32) then the width (one byte); the values follow unaligned (they
// are read with memcpy), so a set of a few 16-bit values fits an 8- or 16-byte slot.
constexpr size_t kCountOffset = 0;
constexpr size_t kWidthOffset = 4;
constexpr size_t kHeader = 5;

size_t BlockSize(size_t count, size_t width) { return kHeader + count * width; }

}  // namespace

std::optional<int64_t> ParseCanonicalInt(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  size_t i = 0;
  bool neg = s[0] == '-';
  if (neg) i = 1;
  if (i == s.size()) return std::nullopt;
  // "0" alone is fine; any other number starts with 1-9 (so "-0" and "007" are strings).
  if (s[i] == '0') {
    if (s.size() == 1) return 0;
    return std::nullopt;
  }
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return std::nullopt;
    auto d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0 - v);
  }
  if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(v);
}

IntSet::IntSet(const IntSet& other) {
  if (other.block_ != nullptr) {
    size_t n = other.AllocatedSize();
    block_ = static_cast<char*>(SmallAlloc(n));
    std::memcpy(block_, other.block_, n);
  }
}

IntSet& IntSet::operator=(const IntSet& other) {
  if (this != &other) *this = IntSet(other);
  return *this;
}

IntSet::IntSet(IntSet&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }

IntSet& IntSet::operator=(IntSet&& other) noexcept {
  if (this != &other) {
    SmallFree(block_, AllocatedSize());
    block_ = other.block_;
    other.block_ = nullptr;
  }
  return *this;
}

IntSet::~IntSet() { SmallFree(block_, AllocatedSize()); }

size_t IntSet::size() const {
  if (block_ == nullptr) return 0;
  uint32_t n;
  std::memcpy(&n, block_ + kCountOffset, sizeof(n));
  return n;
}

size_t IntSet::width() const {
  return block_ == nullptr ? 2 : static_cast<unsigned char>(block_[kWidthOffset]);
}

size_t IntSet::AllocatedSize() const { return block_ == nullptr ? 0 : BlockSize(size(), width()); }

size_t IntSet::AllocatedBytes() const { return SmallAllocSize(AllocatedSize()); }

char* IntSet::values() const { return block_ + kHeader; }

int64_t IntSet::At(size_t i) const { return Load(values() + i * width(), width()); }

size_t IntSet::LowerBound(int64_t v) const {
  size_t lo = 0, hi = size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (At(mid) < v) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

bool IntSet::Contains(int64_t v) const {
  if (WidthFor(v) > width()) return false;
  size_t i = LowerBound(v);
  return i < size() && At(i) == v;
}

void IntSet::Resize(size_t count, size_t width) {
  size_t new_size = count == 0 ? 0 : BlockSize(count, width);
  block_ = static_cast<char*>(SmallRealloc(block_, AllocatedSize(), new_size));
  if (block_ == nullptr) return;
  auto n = static_cast<uint32_t>(count);
  std::memcpy(block_ + kCountOffset, &n, sizeof(n));
  block_[kWidthOffset] = static_cast<char>(width);
}

void IntSet::Widen(size_t width) {
  size_t n = size();
  IntSet wide;
  wide.Resize(n, width);
  for (size_t i = 0; i < n; ++i) Store(wide.values() + i * width, width, At(i));
  *this = std::move(wide);
}

bool IntSet::Insert(int64_t v) {
  if (block_ == nullptr) {
    Resize(1, WidthFor(v));
    Store(values(), width(), v);
    return true;
  }
  if (WidthFor(v) > width()) Widen(WidthFor(v));
  size_t i = LowerBound(v), n = size(), w = width();
  if (i < n && At(i) == v) return false;
  TS_CHECK(n < UINT32_MAX);
  Resize(n + 1, w);
  std::memmove(values() + (i + 1) * w, values() + i * w, (n - i) * w);
  Store(values() + i * w, w, v);
  return true;
}

bool IntSet::Erase(int64_t v) {
  if (WidthFor(v) > width()) return false;
  size_t i = LowerBound(v);
  if (i >= size() || At(i) != v) return false;
  EraseAt(i);
  return true;
}

void IntSet::EraseAt(size_t i) {
  size_t n = size(), w = width();
  std::memmove(values() + i * w, values() + (i + 1) * w, (n - i - 1) * w);
  // Like Redis, the width never narrows (until the set is empty and its block freed).
  Resize(n - 1, w);
}

}  // namespace tessera::keyspace
