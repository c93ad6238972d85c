// A size-class allocator for the keyspace's many small blocks (entries, packed collections,
// short strings): no per-block header and 8-byte granularity, where glibc malloc adds 8 bytes and
// rounds to 16. This is most of Tessera's memory-per-key advantage (docs/benchmarks.md).
//
// It is process-wide like malloc, which it stands in for, and not thread-safe: only the data
// thread allocates keyspace memory (STYLE.md, "One data thread"). A forked BGSAVE child only reads.
#pragma once

#include <cstddef>

namespace tessera::keyspace {

// Blocks up to this size come from slabs; larger ones from malloc.
inline constexpr size_t kSmallAllocMax = 512;

// n > 0. Never returns nullptr (throws std::bad_alloc).
void* SmallAlloc(size_t n);
// p from SmallAlloc(n) (or SmallRealloc(..., n)); nullptr is ignored.
void SmallFree(void* p, size_t n);
// Like realloc: keeps min(old_n, new_n) bytes. p may be nullptr (old_n 0); new_n 0 frees.
void* SmallRealloc(void* p, size_t old_n, size_t new_n);
// The size class a request of n bytes really occupies (n rounded up to 8 while small).
size_t SmallAllocSize(size_t n);

struct SmallAllocStats {
  size_t in_use_bytes = 0;  // sum of SmallAllocSize over live small blocks
  size_t slab_bytes = 0;    // mapped slab memory (includes free slots)
};
// Slabs are mapped outside malloc, so INFO's used_memory adds in_use_bytes to malloc's figure.
SmallAllocStats GetSmallAllocStats();

}  // namespace tessera::keyspace
