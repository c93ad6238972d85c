// Private to keyspace: one small block per key (Object + key bytes, from SmallAlloc) and the small
// open-addressing table of one hash slot that points to them. Db (db.cc) owns 16384 of these.
#pragma once

#include <cstdint>
#include <string_view>

#include "tessera/keyspace/object.h"

namespace tessera::keyspace {

// A key and its value in one allocation: [Object][LEB128 of key size * 2 + has_ttl][key bytes].
// The TTL itself lives in Db's list of keys with a TTL; the bit here spares keys without one a
// lookup there, and costs no byte (a key under 64 bytes has a one-byte length).
struct Entry {
  Object value;

  std::string_view key() const;
  bool has_ttl() const { return (*Header() & 1) != 0; }
  // Flips the bit in place: the length's size does not change.
  void set_has_ttl(bool on) { *Header() = static_cast<unsigned char>((*Header() & ~1u) | (on ? 1u : 0u)); }

  static Entry* Create(std::string_view key, Object value);
  static void Destroy(Entry* e);

 private:
  unsigned char* Header() const {
    return reinterpret_cast<unsigned char*>(const_cast<Entry*>(this) + 1);
  }
};

// Linear probing over tagged pointers: the low 48 bits are the Entry*, the high 16 bits are the
// low 16 bits of the key's hash, so probes rarely touch a key that does not match and a bucket's
// home can be found without rehashing while the table has at most 2^16 buckets. The home bucket
// is a multiply-shift of the hash, so the capacity need not be a power of two and can grow by a
// quarter at a time: buckets cost about 11 bytes per key instead of 14-17 (docs/benchmarks.md).
// Deletion shifts later entries back (no tombstones). A table without keys owns no memory.
class SlotTable {
 public:
  SlotTable() = default;
  ~SlotTable() { Clear(); }
  SlotTable(const SlotTable&) = delete;
  SlotTable& operator=(const SlotTable&) = delete;

  uint32_t size() const { return size_; }
  Entry* Find(std::string_view key, uint64_t hash) const;
  // Precondition: no entry with this key. Takes ownership.
  void Insert(Entry* e, uint64_t hash);
  // Removes e (which must be present) without destroying it; the caller owns it again.
  void Remove(const Entry* e, uint64_t hash);
  // A uniformly random entry; precondition: size() > 0. `random` seeds a private sequence.
  Entry* Random(uint64_t random) const;
  // Destroys every entry and frees the buckets.
  void Clear();

  // fn(Entry*) for each entry; fn must not change this table.
  template <class F>
  void ForEach(F&& fn) const {
    for (size_t i = 0; i < cap_; ++i) {
      if (buckets_[i] != 0) fn(EntryOf(buckets_[i]));
    }
  }

 private:
  static constexpr int kTagShift = 48;
  static constexpr uintptr_t kPtrMask = (uintptr_t{1} << kTagShift) - 1;
  static constexpr uint32_t kMinCap = 4;
  static constexpr uint32_t kTagOnlyMaxCap = 1u << 16;

  static Entry* EntryOf(uintptr_t b) { return reinterpret_cast<Entry*>(b & kPtrMask); }
  static uintptr_t Tag(uint64_t hash) { return (hash & 0xffff) << kTagShift; }
  size_t HomeOfHash(uint64_t hash) const;
  size_t HomeOfBucket(uintptr_t b) const;
  size_t NextIndex(size_t i) const { return i + 1 == cap_ ? 0 : i + 1; }
  // Steps from a to b going forward around the table.
  size_t Distance(size_t a, size_t b) const { return b >= a ? b - a : b + cap_ - a; }
  void Resize(uint32_t cap);
  void Place(uintptr_t b, size_t home);

  uintptr_t* buckets_ = nullptr;
  uint32_t size_ = 0;
  uint32_t cap_ = 0;
};

}  // namespace tessera::keyspace
