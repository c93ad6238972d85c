// Key -> hash slot: CRC16 (XMODEM) of the key or its hash tag, mod 16384
// (cluster-commands.md §2).
#pragma once

#include <cstdint>
#include <string_view>

namespace tessera::core {

inline constexpr int kSlots = 16384;

uint16_t Crc16(std::string_view data);
// The part of the key that is hashed: the first {...} with a non-empty body, else the whole key.
std::string_view HashTag(std::string_view key);
uint16_t KeySlot(std::string_view key);

}  // namespace tessera::core
