// DenseTable: the large ("hashtable") form of sets and hashes. Entries live in one dense vector
// and a hash index of positions finds them by key, so a uniformly random entry (SPOP,
// SRANDMEMBER, HRANDFIELD) is O(1) and a scan by position is simple. Erasing moves the last
// entry into the hole.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "tessera/core/hash.h"
#include "tessera/core/status.h"

namespace tessera::keyspace {

// KeyOf::Get(const Entry&) returns the entry's key as a std::string_view.
template <class Entry, class KeyOf>
class DenseTable {
 public:
  DenseTable() : index_(0, Hasher{this}, Equal{this}) {}
  // The index's functors point at their table, so a copy rebuilds its own index.
  DenseTable(const DenseTable& other)
      : entries_(other.entries_), index_(0, Hasher{this}, Equal{this}) {
    index_.reserve(entries_.size());
    for (size_t i = 0; i < entries_.size(); ++i) index_.insert(static_cast<uint32_t>(i));
  }
  DenseTable& operator=(const DenseTable&) = delete;

  size_t size() const { return entries_.size(); }
  void reserve(size_t n) {
    entries_.reserve(n);
    index_.reserve(n);
  }
  Entry& at(size_t i) { return entries_[i]; }
  const Entry& at(size_t i) const { return entries_[i]; }

  Entry* Find(std::string_view key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &entries_[*it];
  }
  const Entry* Find(std::string_view key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &entries_[*it];
  }
  // Precondition: no entry has e's key.
  Entry& Add(Entry e) {
    TS_CHECK(entries_.size() < UINT32_MAX);
    entries_.push_back(std::move(e));
    index_.insert(static_cast<uint32_t>(entries_.size() - 1));
    return entries_.back();
  }
  bool Erase(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    uint32_t i = *it;
    index_.erase(it);
    FillHole(i);
    return true;
  }
  void EraseAt(size_t i) { TakeAt(i); }
  // Removes the i-th entry and hands it over.
  Entry TakeAt(size_t i) {
    // Unindexed while its key is intact: the index hashes entries through their keys.
    index_.erase(index_.find(KeyOf::Get(entries_[i])));
    Entry e = std::move(entries_[i]);
    FillHole(static_cast<uint32_t>(i));
    return e;
  }
  // Heap bytes of the vector and the index (not what entries point to).
  size_t OverheadBytes() const {
    return entries_.capacity() * sizeof(Entry) + index_.capacity() * (sizeof(uint32_t) + 1);
  }

 private:
  void FillHole(uint32_t i) {
    auto last = static_cast<uint32_t>(entries_.size() - 1);
    if (i != last) {
      index_.erase(index_.find(last));
      entries_[i] = std::move(entries_[last]);
      entries_.pop_back();
      index_.insert(i);
    } else {
      entries_.pop_back();
    }
  }

  struct Hasher {
    using is_transparent = void;
    const DenseTable* t;
    size_t operator()(uint32_t i) const { return core::HashBytes(KeyOf::Get(t->entries_[i])); }
    size_t operator()(std::string_view s) const { return core::HashBytes(s); }
  };
  struct Equal {
    using is_transparent = void;
    const DenseTable* t;
    std::string_view K(uint32_t i) const { return KeyOf::Get(t->entries_[i]); }
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t a, std::string_view b) const { return K(a) == b; }
    bool operator()(std::string_view a, uint32_t b) const { return a == K(b); }
  };

  std::vector<Entry> entries_;
  absl::flat_hash_set<uint32_t, Hasher, Equal> index_;
};

}  // namespace tessera::keyspace
