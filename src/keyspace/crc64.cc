// CRC-64/REDIS, table driven (shared/spec/replication-rdb.md §5.15).
#include "tessera/keyspace/crc64.h"

#include <array>

namespace tessera::keyspace {
namespace {

// The Jones polynomial 0xAD93D23594C935A9, bit-reversed because input and output are reflected.
constexpr uint64_t kReversedPoly = 0x95AC9329AC4BC9B5ULL;

constexpr std::array<uint64_t, 256> MakeTable() {
  std::array<uint64_t, 256> t{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t v = i;
    for (int bit = 0; bit < 8; ++bit) v = (v & 1) ? (v >> 1) ^ kReversedPoly : v >> 1;
    t[i] = v;
  }
  return t;
}

constexpr std::array<uint64_t, 256> kTable = MakeTable();

}  // namespace

uint64_t Crc64(uint64_t crc, std::string_view data) {
  for (unsigned char b : data) crc = kTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
  return crc;
}

}  // namespace tessera::keyspace
