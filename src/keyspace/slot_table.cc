// SlotTable and Entry (slot_table.h): the per-slot hash table under Db.
#include "slot_table.h"

#include <cstring>
#include <new>

#include "tessera/core/hash.h"
#include "tessera/core/status.h"

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

Entry* Entry::Create(std::string_view key, Object value) {
  TS_CHECK(key.size() < kNoExpire);
  void* mem = ::operator new(sizeof(Entry) + key.size());
  auto* e = new (mem) Entry{std::move(value), kNoExpire, static_cast<uint32_t>(key.size())};
  if (!key.empty()) std::memcpy(reinterpret_cast<char*>(e + 1), key.data(), key.size());
  return e;
}

void Entry::Destroy(Entry* e) {
  e->~Entry();
  ::operator delete(static_cast<void*>(e));
}

size_t SlotTable::Home(uintptr_t b) const {
  if (log2_cap_ <= 16) return (b >> kTagShift) & mask();
  // Only a slot with tens of thousands of keys (one hash tag) gets here.
  return core::HashBytes(EntryOf(b)->key()) & mask();
}

Entry* SlotTable::Find(std::string_view key, uint64_t hash) const {
  if (size_ == 0) return nullptr;
  const uintptr_t tag = Tag(hash);
  for (size_t i = hash & mask();; i = (i + 1) & mask()) {
    uintptr_t b = buckets_[i];
    if (b == 0) return nullptr;
    if ((b & ~kPtrMask) == tag && EntryOf(b)->key() == key) return EntryOf(b);
  }
}

void SlotTable::Place(uintptr_t b, size_t home) {
  size_t i = home;
  while (buckets_[i] != 0) i = (i + 1) & mask();
  buckets_[i] = b;
}

void SlotTable::Insert(Entry* e, uint64_t hash) {
  const auto ptr = reinterpret_cast<uintptr_t>(e);
  // The tag lives in the top 16 bits, which user-space pointers leave zero on x86-64 and arm64.
  TS_CHECK((ptr & ~kPtrMask) == 0);
  // Grow at 3/4 load: linear probing degrades quickly beyond that.
  if (buckets_ == nullptr) {
    Resize(kMinLog2);
  } else if ((size_t{size_} + 1) * 4 > capacity() * 3) {
    Resize(log2_cap_ + 1);
  }
  Place(ptr | Tag(hash), hash & mask());
  ++size_;
}

void SlotTable::Remove(const Entry* e, uint64_t hash) {
  size_t i = hash & mask();
  while (EntryOf(buckets_[i]) != e) {
    TS_CHECK(buckets_[i] != 0);
    i = (i + 1) & mask();
  }
  --size_;
  if (size_ == 0) {
    delete[] buckets_;
    buckets_ = nullptr;
    log2_cap_ = 0;
    return;
  }
  // Backward-shift deletion: move a later entry into the hole when the hole lies on its probe
  // path (between its home and its position, cyclically), so lookups never stop early.
  size_t hole = i;
  for (size_t j = (i + 1) & mask(); buckets_[j] != 0; j = (j + 1) & mask()) {
    size_t home = Home(buckets_[j]);
    bool hole_on_path = ((j - home) & mask()) >= ((j - hole) & mask());
    if (hole_on_path) {
      buckets_[hole] = buckets_[j];
      hole = j;
    }
  }
  buckets_[hole] = 0;
  // Shrink at 1/8 load so Random's rejection sampling stays cheap and idle slots give memory back.
  if (log2_cap_ > kMinLog2 && size_t{size_} * 8 < capacity()) Resize(log2_cap_ - 1);
}

void SlotTable::Resize(uint8_t log2_cap) {
  uintptr_t* old = buckets_;
  size_t old_cap = capacity();
  buckets_ = new uintptr_t[size_t{1} << log2_cap]();
  log2_cap_ = log2_cap;
  for (size_t i = 0; i < old_cap; ++i) {
    if (old[i] != 0) Place(old[i], Home(old[i]));
  }
  delete[] old;
}

Entry* SlotTable::Random(uint64_t random) const {
  TS_CHECK(size_ > 0);
  // Rejection sampling over buckets is exactly uniform; load >= 1/8 bounds the expected tries.
  uint64_t state = random;
  for (;;) {
    uintptr_t b = buckets_[NextRandom(&state) & mask()];
    if (b != 0) return EntryOf(b);
  }
}

void SlotTable::Clear() {
  ForEach([](Entry* e) { Entry::Destroy(e); });
  delete[] buckets_;
  buckets_ = nullptr;
  size_ = 0;
  log2_cap_ = 0;
}

}  // namespace tessera::keyspace
