// Big-endian field access at fixed offsets, shared by the decoder and encoder (cluster-bus.md §1).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tessera::bus::wire {

inline uint16_t Get16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }
inline uint32_t Get32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}
inline uint64_t Get64(const uint8_t* p) { return uint64_t(Get32(p)) << 32 | Get32(p + 4); }

inline void Put16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v >> 8);
  p[1] = uint8_t(v);
}
inline void Put32(uint8_t* p, uint32_t v) {
  for (int i = 3; i >= 0; --i, v >>= 8) p[i] = uint8_t(v);
}
inline void Put64(uint8_t* p, uint64_t v) {
  Put32(p, uint32_t(v >> 32));
  Put32(p + 4, uint32_t(v));
}

// A C string in a fixed field: the bytes up to the first NUL, or the whole field if none.
inline std::string GetCString(const uint8_t* p, size_t field_len) {
  size_t n = 0;
  while (n < field_len && p[n] != 0) ++n;
  return std::string(reinterpret_cast<const char*>(p), n);
}
// Writes s into a zeroed field, truncated so that a NUL always remains.
inline void PutCString(uint8_t* p, size_t field_len, std::string_view s) {
  size_t n = s.size() < field_len ? s.size() : field_len - 1;
  std::memcpy(p, s.data(), n);
}

// Header offsets (§1.2).
inline constexpr size_t kOffSig = 0, kOffTotlen = 4, kOffVer = 8, kOffPort = 10, kOffType = 12,
                        kOffCount = 14, kOffCurrentEpoch = 16, kOffConfigEpoch = 24,
                        kOffOffset = 32, kOffSender = 40, kOffMyslots = 80, kOffSlaveof = 2128,
                        kOffMyip = 2168, kOffExtensions = 2214, kOffPport = 2246, kOffCport = 2248,
                        kOffFlags = 2250, kOffState = 2252, kOffMflags = 2253;

// Gossip entry offsets (§1.5.1).
inline constexpr size_t kGOffName = 0, kGOffPingSent = 40, kGOffPongReceived = 44, kGOffIp = 48,
                        kGOffPort = 94, kGOffCport = 96, kGOffFlags = 98, kGOffPport = 100;

}  // namespace tessera::bus::wire
