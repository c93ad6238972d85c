// Keyspace notification classes (notify-keyspace-events letters), as bits of
// EngineOptions::notify_keyspace_events; the server's config parser uses the same values.
#pragma once

#include <cstdint>

namespace tessera::commands::notify {

inline constexpr uint32_t kKeyspace = 1 << 0;  // K: __keyspace@<db>__:<key> <event>
inline constexpr uint32_t kKeyevent = 1 << 1;  // E: __keyevent@<db>__:<event> <key>
inline constexpr uint32_t kGeneric = 1 << 2;   // g: del, expire, rename_from, ...
inline constexpr uint32_t kString = 1 << 3;    // $
inline constexpr uint32_t kList = 1 << 4;      // l
inline constexpr uint32_t kSet = 1 << 5;       // s
inline constexpr uint32_t kHash = 1 << 6;      // h
inline constexpr uint32_t kZset = 1 << 7;      // z
inline constexpr uint32_t kExpired = 1 << 8;   // x
inline constexpr uint32_t kEvicted = 1 << 9;   // e
inline constexpr uint32_t kStream = 1 << 10;   // t
inline constexpr uint32_t kKeyMiss = 1 << 11;  // m
inline constexpr uint32_t kModule = 1 << 12;   // d
inline constexpr uint32_t kNew = 1 << 13;      // n

}  // namespace tessera::commands::notify
