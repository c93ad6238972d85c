// IntSet: sorted narrow-width integer arrays (see int_set.h).
#include "tessera/keyspace/int_set.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "tessera/core/status.h"

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

char* Realloc(char* p, size_t n) {
  if (n == 0) {
    std::free(p);
    return nullptr;
  }
  char* q = static_cast<char*>(std::realloc(p, n));
  if (q == nullptr) throw std::bad_alloc();
  return q;
}

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

IntSet::IntSet(const IntSet& other) : count_(other.count_), width_(other.width_) {
  data_ = Realloc(nullptr, other.bytes());
  if (data_ != nullptr) std::memcpy(data_, other.data_, other.bytes());
}

IntSet& IntSet::operator=(const IntSet& other) {
  if (this != &other) *this = IntSet(other);
  return *this;
}

IntSet::IntSet(IntSet&& other) noexcept
    : data_(other.data_), count_(other.count_), width_(other.width_) {
  other.data_ = nullptr;
  other.count_ = 0;
  other.width_ = 2;
}

IntSet& IntSet::operator=(IntSet&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = other.data_;
    count_ = other.count_;
    width_ = other.width_;
    other.data_ = nullptr;
    other.count_ = 0;
    other.width_ = 2;
  }
  return *this;
}

IntSet::~IntSet() { std::free(data_); }

int64_t IntSet::At(size_t i) const { return Load(data_ + i * width_, width_); }

size_t IntSet::LowerBound(int64_t v) const {
  size_t lo = 0, hi = count_;
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
  if (WidthFor(v) > width_) return false;
  size_t i = LowerBound(v);
  return i < count_ && At(i) == v;
}

void IntSet::Widen(uint8_t width) {
  char* p = Realloc(nullptr, size_t{count_} * width);
  for (size_t i = 0; i < count_; ++i) Store(p + i * width, width, At(i));
  std::free(data_);
  data_ = p;
  width_ = width;
}

bool IntSet::Insert(int64_t v) {
  if (WidthFor(v) > width_) Widen(WidthFor(v));
  size_t i = LowerBound(v);
  if (i < count_ && At(i) == v) return false;
  TS_CHECK(count_ < UINT32_MAX);
  data_ = Realloc(data_, (size_t{count_} + 1) * width_);
  std::memmove(data_ + (i + 1) * width_, data_ + i * width_, (count_ - i) * width_);
  Store(data_ + i * width_, width_, v);
  ++count_;
  return true;
}

bool IntSet::Erase(int64_t v) {
  if (WidthFor(v) > width_) return false;
  size_t i = LowerBound(v);
  if (i >= count_ || At(i) != v) return false;
  EraseAt(i);
  return true;
}

void IntSet::EraseAt(size_t i) {
  std::memmove(data_ + i * width_, data_ + (i + 1) * width_, (count_ - i - 1) * width_);
  --count_;
  // Like Redis, the width never shrinks back.
  data_ = Realloc(data_, size_t{count_} * width_);
}

}  // namespace tessera::keyspace
