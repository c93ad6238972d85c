// CRC-64/REDIS (Jones polynomial, reflected, init 0, no final xor): the RDB and DUMP trailer
// checksum (shared/spec/replication-rdb.md §5.15).
#pragma once

#include <cstdint>
#include <string_view>

namespace tessera::keyspace {

// Continues a CRC over `data`. Start with crc = 0; Crc64(Crc64(0, a), b) == Crc64(0, a + b).
uint64_t Crc64(uint64_t crc, std::string_view data);

}  // namespace tessera::keyspace
