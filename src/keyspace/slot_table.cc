// SlotTable and Entry (slot_table.h): the per-slot hash table under Db.
#include "slot_table.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "keyspace/varint.h"
#include "tessera/core/hash.h"
#include "tessera/core/status.h"
#include "tessera/keyspace/small_alloc.h"

namespace tessera::keyspace {
namespace {

// splitmix64: a cheap, well-mixed sequence from one caller-supplied random word.
uint64_t NextRandom(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::string_view Entry::key() const {
  const auto* p = reinterpret_cast<const char*>(Header());
  size_t n = 0;
  uint64_t header = GetVarint(p, &n);
  return {p + n, static_cast<size_t>(header >> 1)};
}

Entry* Entry::Create(std::string_view key, Object value) {
  uint64_t header = static_cast<uint64_t>(key.size()) << 1;
  void* mem = SmallAlloc(sizeof(Entry) + VarintSize(header) + key.size());
  auto* e = new (mem) Entry{std::move(value)};
  auto* p = reinterpret_cast<char*>(e->Header());
  p += PutVarint(p, header);
  if (!key.empty()) std::memcpy(p, key.data(), key.size());
  return e;
}

void Entry::Destroy(Entry* e) {
  size_t k = e->key().size();
  size_t n = sizeof(Entry) + VarintSize(uint64_t{k} << 1) + k;
  e->~Entry();
  SmallFree(e, n);
}

size_t SlotTable::HomeOfHash(uint64_t hash) const {
  // Small tables place by the 16 tag bits alone, so HomeOfBucket needs no rehash.
  if (cap_ <= kTagOnlyMaxCap) return static_cast<size_t>(((hash & 0xffff) * cap_) >> 16);
  return static_cast<size_t>((((hash >> 16) & 0xffffffff) * cap_) >> 32);
}

size_t SlotTable::HomeOfBucket(uintptr_t b) const {
  if (cap_ <= kTagOnlyMaxCap) return static_cast<size_t>((((b >> kTagShift) & 0xffff) * cap_) >> 16);
  // Only a slot with tens of thousands of keys (one hash tag) gets here.
  return HomeOfHash(core::HashBytes(EntryOf(b)->key()));
}

Entry* SlotTable::Find(std::string_view key, uint64_t hash) const {
  if (size_ == 0) return nullptr;
  const uintptr_t tag = Tag(hash);
  for (size_t i = HomeOfHash(hash);; i = NextIndex(i)) {
    uintptr_t b = buckets_[i];
    if (b == 0) return nullptr;
    if ((b & ~kPtrMask) == tag && EntryOf(b)->key() == key) return EntryOf(b);
  }
}

void SlotTable::Place(uintptr_t b, size_t home) {
  size_t i = home;
  while (buckets_[i] != 0) i = NextIndex(i);
  buckets_[i] = b;
}

void SlotTable::Insert(Entry* e, uint64_t hash) {
  const auto ptr = reinterpret_cast<uintptr_t>(e);
  // The tag lives in the top 16 bits, which user-space pointers leave zero on x86-64 and arm64.
  TS_CHECK((ptr & ~kPtrMask) == 0);
  // Grow by a quarter at 4/5 load: linear probing with tags stays short there, and small steps
  // keep the average load near 0.7.
  if (buckets_ == nullptr) {
    Resize(kMinCap);
  } else if ((size_t{size_} + 1) * 5 > size_t{cap_} * 4) {
    TS_CHECK(cap_ < UINT32_MAX / 2);
    Resize(cap_ + cap_ / 4 + 1);
  }
  Place(ptr | Tag(hash), HomeOfHash(hash));
  ++size_;
}

void SlotTable::Remove(const Entry* e, uint64_t hash) {
  size_t i = HomeOfHash(hash);
  while (EntryOf(buckets_[i]) != e) {
    TS_CHECK(buckets_[i] != 0);
    i = NextIndex(i);
  }
  --size_;
  if (size_ == 0) {
    SmallFree(buckets_, size_t{cap_} * sizeof(uintptr_t));
    buckets_ = nullptr;
    cap_ = 0;
    return;
  }
  // Backward-shift deletion: move a later entry into the hole when the hole lies on its probe
  // path (between its home and its position, cyclically), so lookups never stop early.
  size_t hole = i;
  for (size_t j = NextIndex(i); buckets_[j] != 0; j = NextIndex(j)) {
    if (Distance(HomeOfBucket(buckets_[j]), j) >= Distance(hole, j)) {
      buckets_[hole] = buckets_[j];
      hole = j;
    }
  }
  buckets_[hole] = 0;
  // Shrink below 1/4 load so Random's rejection sampling stays cheap and idle slots give memory
  // back; the new load is 1/2.
  if (cap_ > kMinCap && size_t{size_} * 4 < cap_) Resize(std::max(kMinCap, size_ * 2));
}

void SlotTable::Resize(uint32_t cap) {
  uintptr_t* old = buckets_;
  size_t old_cap = cap_;
  buckets_ = static_cast<uintptr_t*>(SmallAlloc(size_t{cap} * sizeof(uintptr_t)));
  std::memset(buckets_, 0, size_t{cap} * sizeof(uintptr_t));
  cap_ = cap;
  for (size_t i = 0; i < old_cap; ++i) {
    if (old[i] != 0) Place(old[i], HomeOfBucket(old[i]));
  }
  SmallFree(old, old_cap * sizeof(uintptr_t));
}

Entry* SlotTable::Random(uint64_t random) const {
  TS_CHECK(size_ > 0);
  // Rejection sampling over buckets is exactly uniform; load >= 1/4 bounds the expected tries.
  uint64_t state = random;
  for (;;) {
    uintptr_t b = buckets_[NextRandom(&state) % cap_];
    if (b != 0) return EntryOf(b);
  }
}

void SlotTable::Clear() {
  ForEach([](Entry* e) { Entry::Destroy(e); });
  SmallFree(buckets_, size_t{cap_} * sizeof(uintptr_t));
  buckets_ = nullptr;
  size_ = 0;
  cap_ = 0;
}

}  // namespace tessera::keyspace
