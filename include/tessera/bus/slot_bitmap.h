// The 16384-bit slot bitmap of the bus header and UPDATE body: slot s is bit (s % 8), LSB first,
// of byte s / 8 (cluster-bus.md §1.10).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

#include "tessera/core/slot.h"

namespace tessera::bus {

inline constexpr size_t kSlotBitmapBytes = core::kSlots / 8;

class SlotBitmap {
 public:
  SlotBitmap() { bytes_.fill(0); }
  bool Test(int slot) const { return (bytes_[slot >> 3] >> (slot & 7)) & 1; }
  void Set(int slot) { bytes_[slot >> 3] |= uint8_t(1u << (slot & 7)); }
  void Clear(int slot) { bytes_[slot >> 3] &= uint8_t(~(1u << (slot & 7))); }
  void SetRange(int first, int last) {
    for (int s = first; s <= last; ++s) Set(s);
  }
  int Count() const {
    int n = 0;
    for (uint8_t b : bytes_) n += __builtin_popcount(b);
    return n;
  }
  bool Empty() const {
    for (uint8_t b : bytes_) {
      if (b) return false;
    }
    return true;
  }
  const uint8_t* data() const { return bytes_.data(); }
  uint8_t* data() { return bytes_.data(); }
  bool operator==(const SlotBitmap& o) const { return bytes_ == o.bytes_; }

 private:
  std::array<uint8_t, kSlotBitmapBytes> bytes_;
};

}  // namespace tessera::bus
