// SmallAlloc (small_alloc.h): 64 KB slabs mapped straight from the kernel, each holding slots of
// one size class, with a free list per slab so an emptied slab can be given back.
#include "tessera/keyspace/small_alloc.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include "tessera/core/status.h"

namespace tessera::keyspace {
namespace {

#if defined(__SANITIZE_ADDRESS__)
#define TS_SMALL_ALLOC_USES_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define TS_SMALL_ALLOC_USES_MALLOC 1
#endif
#endif
#ifndef TS_SMALL_ALLOC_USES_MALLOC
#define TS_SMALL_ALLOC_USES_MALLOC 0
#endif
// Under a sanitizer every block is its own malloc, so use-after-free and overflows inside the
// keyspace are caught (slab memory would hide them from ASan) (`make fuzz`).
constexpr bool kUseMalloc = TS_SMALL_ALLOC_USES_MALLOC;

constexpr size_t kSlabSize = 64 * 1024;
constexpr size_t kGranule = 8;
constexpr size_t kClasses = kSmallAllocMax / kGranule;

struct FreeSlot {
  FreeSlot* next;
};

// Lives at the start of its slab; slots follow it.
struct Slab {
  Slab* prev;  // in its class's list of slabs with free slots
  Slab* next;
  FreeSlot* free;
  char* bump;  // slots past this were never handed out
  uint32_t used;
  uint32_t slot_size;
};
constexpr size_t kHeader = (sizeof(Slab) + 15) & ~size_t{15};

struct SizeClass {
  Slab* partial = nullptr;  // slabs with at least one free slot
  Slab* spare = nullptr;    // one empty slab kept back so alloc/free at a boundary is cheap
};

struct State {
  SizeClass classes[kClasses];
  SmallAllocStats stats;
};

// The allocator's bookkeeping is process-wide like malloc's (see the header).
State& Global() {
  static State state;
  return state;
}

void* CheckedMalloc(void* p) {
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

size_t ClassOf(size_t n) { return (n + kGranule - 1) / kGranule - 1; }

Slab* MapSlab(size_t slot_size) {
  // Map twice the size and trim, so the slab is aligned and SlabOf is a mask.
  void* raw = mmap(nullptr, 2 * kSlabSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + kSlabSize - 1) & ~(kSlabSize - 1);
  if (aligned > start) munmap(raw, aligned - start);
  uintptr_t tail = aligned + kSlabSize;
  if (tail < start + 2 * kSlabSize) munmap(reinterpret_cast<void*>(tail), start + 2 * kSlabSize - tail);
  auto* s = reinterpret_cast<Slab*>(aligned);
  *s = Slab{nullptr, nullptr, nullptr, reinterpret_cast<char*>(aligned) + kHeader, 0,
            static_cast<uint32_t>(slot_size)};
  Global().stats.slab_bytes += kSlabSize;
  return s;
}

void UnmapSlab(Slab* s) {
  munmap(s, kSlabSize);
  Global().stats.slab_bytes -= kSlabSize;
}

Slab* SlabOf(void* p) {
  return reinterpret_cast<Slab*>(reinterpret_cast<uintptr_t>(p) & ~(kSlabSize - 1));
}

void Unlink(SizeClass& c, Slab* s) {
  if (s->prev != nullptr) s->prev->next = s->next;
  else c.partial = s->next;
  if (s->next != nullptr) s->next->prev = s->prev;
  s->prev = s->next = nullptr;
}

void PushFront(SizeClass& c, Slab* s) {
  s->prev = nullptr;
  s->next = c.partial;
  if (c.partial != nullptr) c.partial->prev = s;
  c.partial = s;
}

bool Full(const Slab* s) {
  return s->free == nullptr &&
         s->bump + s->slot_size > reinterpret_cast<const char*>(s) + kSlabSize;
}

}  // namespace

size_t SmallAllocSize(size_t n) {
  return n <= kSmallAllocMax ? (n + kGranule - 1) & ~(kGranule - 1) : n;
}

void* SmallAlloc(size_t n) {
  TS_CHECK(n > 0);
  if (kUseMalloc || n > kSmallAllocMax) {
    if (kUseMalloc && n <= kSmallAllocMax) Global().stats.in_use_bytes += SmallAllocSize(n);
    return CheckedMalloc(std::malloc(n));
  }
  State& st = Global();
  SizeClass& c = st.classes[ClassOf(n)];
  Slab* s = c.partial;
  if (s == nullptr) {
    if (c.spare != nullptr) {
      s = c.spare;
      c.spare = nullptr;
    } else {
      s = MapSlab(SmallAllocSize(n));
    }
    PushFront(c, s);
  }
  void* p;
  if (s->free != nullptr) {
    p = s->free;
    s->free = s->free->next;
  } else {
    p = s->bump;
    s->bump += s->slot_size;
  }
  ++s->used;
  st.stats.in_use_bytes += s->slot_size;
  if (Full(s)) Unlink(c, s);
  return p;
}

void SmallFree(void* p, size_t n) {
  if (p == nullptr) return;
  if (kUseMalloc || n > kSmallAllocMax) {
    if (kUseMalloc && n <= kSmallAllocMax) Global().stats.in_use_bytes -= SmallAllocSize(n);
    std::free(p);
    return;
  }
  State& st = Global();
  SizeClass& c = st.classes[ClassOf(n)];
  Slab* s = SlabOf(p);
  TS_CHECK(s->slot_size == SmallAllocSize(n));
  bool was_full = Full(s);
  auto* f = static_cast<FreeSlot*>(p);
  f->next = s->free;
  s->free = f;
  --s->used;
  st.stats.in_use_bytes -= s->slot_size;
  if (was_full) PushFront(c, s);
  if (s->used == 0) {
    Unlink(c, s);
    // Reset so the spare hands out slots in address order again.
    s->free = nullptr;
    s->bump = reinterpret_cast<char*>(s) + kHeader;
    if (c.spare == nullptr) {
      c.spare = s;
    } else {
      UnmapSlab(s);
    }
  }
}

void* SmallRealloc(void* p, size_t old_n, size_t new_n) {
  if (new_n == 0) {
    SmallFree(p, old_n);
    return nullptr;
  }
  if (!kUseMalloc && p != nullptr && old_n > kSmallAllocMax && new_n > kSmallAllocMax) {
    return CheckedMalloc(std::realloc(p, new_n));
  }
  if (!kUseMalloc && p != nullptr && old_n <= kSmallAllocMax && new_n <= kSmallAllocMax &&
      SmallAllocSize(old_n) == SmallAllocSize(new_n)) {
    return p;
  }
  void* q = SmallAlloc(new_n);
  if (p != nullptr) {
    std::memcpy(q, p, old_n < new_n ? old_n : new_n);
    SmallFree(p, old_n);
  }
  return q;
}

SmallAllocStats GetSmallAllocStats() { return Global().stats; }

}  // namespace tessera::keyspace
