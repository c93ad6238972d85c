// One logical database: keys in 16384 per-slot tables (so a slot counts and lists its keys
// cheaply and no table is large enough to pause on growth), with expiry.
// Time is passed in (unix ms); nothing here reads a clock.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/keyspace/object.h"

namespace tessera::keyspace {

struct Entry;  // private to src/keyspace (slot_table.h)

struct ActiveExpireStats {
  size_t sampled = 0;
  size_t expired = 0;
};

class Db {
 public:
  Db();
  ~Db();
  Db(Db&&) noexcept;
  Db& operator=(Db&&) noexcept;

  // Looks a key up; an expired key is deleted first (lazy expiry) and nullptr returned. A key is
  // expired when now_ms > its expiry (Redis's keyIsExpired).
  // The pointer is valid until the next mutation of this Db.
  Object* Find(std::string_view key, int64_t now_ms);
  // Same, without deleting expired keys (a replica must not expire keys itself) and without
  // returning them either.
  const Object* Peek(std::string_view key, int64_t now_ms) const;
  bool Exists(std::string_view key, int64_t now_ms) { return Find(key, now_ms) != nullptr; }

  // Inserts or overwrites. Overwriting drops the old TTL unless keep_ttl. No lazy expiry here:
  // callers that honour KEEPTTL look the key up with Find first.
  Object& Set(std::string_view key, Object value, bool keep_ttl = false);
  // Inserts only if absent (after lazy expiry); returns the object at key either way, and
  // *inserted says whether it was new.
  Object& FindOrInsert(std::string_view key, int64_t now_ms, bool* inserted);
  // Deletes the key whether or not it is logically expired; true if it was there.
  bool Delete(std::string_view key);
  // Removes the entry and hands its value to the caller (RENAME, MOVE, async free). *expire_ms
  // gets its expiry (-1 when none). Like Delete, no expiry check.
  std::optional<Object> Take(std::string_view key, int64_t* expire_ms = nullptr);

  // Absolute expiry in unix ms; -1 when none or when the key is missing.
  int64_t GetExpire(std::string_view key) const;
  // Precondition: key exists.
  void SetExpire(std::string_view key, int64_t when_ms);
  bool Persist(std::string_view key);

  size_t Size() const { return size_; }
  size_t ExpiresCount() const { return expires_; }
  // Drops every key and frees all memory, including the slot index (an empty Db owns nothing).
  // For an asynchronous FLUSHALL, Swap with an empty Db and destroy the old one elsewhere.
  void Clear();
  void Swap(Db& other) noexcept;

  // Cluster slot views. Counts include keys that are expired but not yet deleted (as in Redis).
  // Out-of-range slots have no keys.
  size_t CountKeysInSlot(int slot) const;
  std::vector<std::string> KeysInSlot(int slot, size_t max) const;
  // Deletes every key of the slot; returns how many.
  size_t DeleteSlot(int slot);

  // SCAN: visits whole slots starting at `cursor` until at least `count` keys were visited or the
  // keyspace ends; returns the next cursor (0 when done). Every key present for the whole scan is
  // visited at least once; as whole slots are visited, exactly once unless re-added. Expired
  // keys are visited too (the caller filters). count 0 counts as 1; a cursor >= 16384 ends the
  // scan (returns 0, visits nothing). The callback must not mutate the Db.
  uint64_t Scan(uint64_t cursor, size_t count,
                const std::function<void(const std::string& key, const Object& value)>& fn) const;
  // Visits every key; the callback must not mutate the Db.
  void ForEach(const std::function<void(const std::string& key, const Object& value,
                                        int64_t expire_ms)>& fn) const;
  // A uniformly random key (expired keys may be returned; the caller checks). nullopt when
  // empty. `random` (from the caller's core::Rng) fully determines the choice; O(log slots).
  std::optional<std::string> RandomKey(uint64_t random) const;
  // Replaces *out with min(n, ExpiresCount()) distinct uniformly random keys that have a TTL,
  // with their expiry (eviction by TTL, active expire).
  void SampleExpiring(uint64_t random, size_t n,
                      std::vector<std::pair<std::string, int64_t>>* out) const;
  // Replaces *out with up to n distinct random keys (eviction sampling); min(n, Size()) unless
  // unlucky draws collide (n close to Size()).
  void SampleKeys(uint64_t random, size_t n, std::vector<std::string>* out) const;

  // One step of Redis's active expire cycle: samples 20 keys with a TTL and deletes the expired
  // ones, repeating while more than a quarter of a sample were expired and fewer than
  // `max_checks` keys were sampled. `on_expired` is called after each key is deleted
  // (notifications, replication DELs); it may mutate the Db.
  ActiveExpireStats ActiveExpire(int64_t now_ms, uint64_t random, size_t max_checks,
                                 const std::function<void(const std::string&)>& on_expired);

 private:
  struct Tables;  // db.cc: the 16384 slot tables, slot counts and the list of keys with a TTL

  Tables& EnsureTables();
  Entry* Locate(std::string_view key) const;
  bool IsExpired(const Entry* e, int64_t now_ms) const;
  Entry* Insert(std::string_view key, Object value);
  // Unlinks e from every index and returns it; the caller destroys it.
  Entry* Unlink(Entry* e);
  void AddExpire(Entry* e, int64_t when_ms);
  void DropExpire(Entry* e);
  const Entry* RandomEntry(uint64_t random) const;

  // Null until the first insert after construction or Clear, so empty Dbs cost nothing.
  std::unique_ptr<Tables> t_;
  size_t size_ = 0;
  size_t expires_ = 0;
};

}  // namespace tessera::keyspace
