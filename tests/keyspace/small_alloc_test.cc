// SmallAlloc: size classes, reuse, slabs given back, and the in-use figure INFO reports.
#include "tessera/keyspace/small_alloc.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

namespace tessera::keyspace {
namespace {

TEST_CASE("small blocks round up to 8 bytes and large ones keep their size", "[keyspace]") {
  CHECK(SmallAllocSize(1) == 8);
  CHECK(SmallAllocSize(8) == 8);
  CHECK(SmallAllocSize(9) == 16);
  CHECK(SmallAllocSize(kSmallAllocMax) == kSmallAllocMax);
  CHECK(SmallAllocSize(kSmallAllocMax + 1) == kSmallAllocMax + 1);
}

TEST_CASE("blocks are distinct, writable, and counted while in use", "[keyspace]") {
  const SmallAllocStats before = GetSmallAllocStats();
  std::vector<char*> blocks;
  // Enough 40-byte blocks to fill several 64 KB slabs.
  for (int i = 0; i < 5000; ++i) {
    auto* p = static_cast<char*>(SmallAlloc(37));
    std::memset(p, i & 0xff, 37);
    blocks.push_back(p);
  }
  CHECK(GetSmallAllocStats().in_use_bytes - before.in_use_bytes == 5000 * 40);
  CHECK(GetSmallAllocStats().slab_bytes > before.slab_bytes);
  for (int i = 0; i < 5000; ++i) {
    CHECK(static_cast<unsigned char>(blocks[i][36]) == (i & 0xff));
  }
  for (char* p : blocks) SmallFree(p, 37);
  CHECK(GetSmallAllocStats().in_use_bytes == before.in_use_bytes);
  // Emptied slabs go back to the kernel, but for one spare per size class.
  CHECK(GetSmallAllocStats().slab_bytes <= before.slab_bytes + 64 * 1024);
}

TEST_CASE("a freed block is handed out again", "[keyspace]") {
  void* a = SmallAlloc(24);
  SmallFree(a, 24);
  void* b = SmallAlloc(24);
  CHECK(a == b);
  SmallFree(b, 24);
}

TEST_CASE("SmallRealloc keeps the bytes across size classes and into malloc", "[keyspace]") {
  auto* p = static_cast<char*>(SmallRealloc(nullptr, 0, 5));
  std::memcpy(p, "hello", 5);
  p = static_cast<char*>(SmallRealloc(p, 5, 300));
  CHECK(std::memcmp(p, "hello", 5) == 0);
  p = static_cast<char*>(SmallRealloc(p, 300, 5000));
  CHECK(std::memcmp(p, "hello", 5) == 0);
  p = static_cast<char*>(SmallRealloc(p, 5000, 3));
  CHECK(std::memcmp(p, "hel", 3) == 0);
  CHECK(SmallRealloc(p, 3, 0) == nullptr);
}

}  // namespace
}  // namespace tessera::keyspace
