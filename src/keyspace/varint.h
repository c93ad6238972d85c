// Private to keyspace: LEB128 lengths (low 7-bit group first, 0x80 on every byte but the last),
// shared by the packed collections and the key length in each keyspace entry.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::keyspace {

inline size_t VarintSize(uint64_t v) {
  size_t n = 1;
  for (; v >= 0x80; v >>= 7) ++n;
  return n;
}

// Writes v at p; returns the bytes written (VarintSize(v)).
inline size_t PutVarint(char* p, uint64_t v) {
  size_t n = 0;
  for (; v >= 0x80; v >>= 7) p[n++] = static_cast<char>((v & 0x7f) | 0x80);
  p[n++] = static_cast<char>(v);
  return n;
}

// Reads a value at p; *len gets its size in bytes.
inline uint64_t GetVarint(const char* p, size_t* len) {
  uint64_t v = 0;
  size_t i = 0;
  for (int shift = 0;; shift += 7) {
    auto b = static_cast<unsigned char>(p[i++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
  }
  *len = i;
  return v;
}

}  // namespace tessera::keyspace
