// HyperLogLog in Redis 7.0's string format, byte for byte, so HLL values move between Tessera
// and Redis (DUMP/RESTORE, RDB, replication). Layout (16-byte header, then registers):
//   "HYLL", encoding (0 dense, 1 sparse), 3 zero bytes, cached cardinality (8 bytes little
//   endian; the top bit of the last byte set means "stale").
//   Dense: 16384 registers of 6 bits, register i at bit i*6, least significant bits first.
//   Sparse: run-length opcodes ZERO 00xxxxxx (1-64 zero registers), XZERO 01xxxxxx yyyyyyyy
//   (1-16384 zero registers), VAL 1vvvvvxx (1-4 registers of value 1-32).
// Elements hash with MurmurHash64A (seed 0xadc83b19): the low 14 bits pick the register, the
// run of zero bits above them (plus one) is the register's candidate value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::keyspace::hll {

inline constexpr size_t kRegisters = 16384;
inline constexpr size_t kHeaderSize = 16;
inline constexpr size_t kDenseSize = kHeaderSize + kRegisters * 6 / 8;
// hll-sparse-max-bytes default: a sparse HLL that would grow past it becomes dense.
inline constexpr size_t kDefaultSparseMaxBytes = 3000;

// Result of changing registers: kCorrupt when the sparse opcodes do not cover exactly
// kRegisters registers.
enum class Update { kUnchanged, kChanged, kCorrupt };

uint64_t MurmurHash64A(std::string_view key, uint64_t seed);

// An empty sparse HLL with a valid cached cardinality of 0 (Redis's createHLLObject).
std::string CreateEmpty();
// Redis's isHLLObjectOrReply: long enough, "HYLL" magic, known encoding, exact dense size.
bool LooksValid(std::string_view hll);
bool IsDense(std::string_view hll);

// PFADD of one element. `hll` must pass LooksValid.
Update Add(std::string* hll, std::string_view element, size_t sparse_max_bytes);
// Raises register `index` to `value` if lower (sparse values above 32, or growth past
// sparse_max_bytes, convert to dense first).
Update SetRegister(std::string* hll, size_t index, uint8_t value, size_t sparse_max_bytes);
// Sparse -> dense in place (a dense HLL is left alone); false when corrupt.
bool ToDense(std::string* hll);
// max[i] = max(max[i], register i) for all registers; false when corrupt.
bool MergeInto(std::string_view hll, uint8_t* max);

// Cardinality estimate from the registers (Ertl's improved estimator, as Redis 7.0), ignoring
// the cache; nullopt when a sparse HLL is corrupt.
std::optional<uint64_t> Count(std::string_view hll);
// The same for raw registers (one byte each, kRegisters of them): PFCOUNT of several keys.
uint64_t CountRegisters(const uint8_t* registers);

bool CacheValid(std::string_view hll);
uint64_t CachedCount(std::string_view hll);
void SetCache(std::string* hll, uint64_t count);
void InvalidateCache(std::string* hll);

}  // namespace tessera::keyspace::hll
