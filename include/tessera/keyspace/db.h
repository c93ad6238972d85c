// One logical database: keys in 16384 per-slot tables (so a slot counts and lists its keys
// cheaply and no table is large enough to pause on growth), with expiry.
// Time is passed in (unix ms); nothing here reads a clock.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/keyspace/object.h"

namespace tessera::keyspace {

class SlotTable;  // private to db.cc

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

  // Looks a key up; an expired key is deleted first (lazy expiry) and nullptr returned.
  // The pointer is valid until the next mutation of this Db.
  Object* Find(std::string_view key, int64_t now_ms);
  // Same, without deleting expired keys (a replica must not expire keys itself) and without
  // returning them either.
  const Object* Peek(std::string_view key, int64_t now_ms) const;
  bool Exists(std::string_view key, int64_t now_ms) { return Find(key, now_ms) != nullptr; }

  // Inserts or overwrites. Overwriting drops the old TTL unless keep_ttl.
  Object& Set(std::string_view key, Object value, bool keep_ttl = false);
  // Inserts only if absent (after lazy expiry); returns the object at key either way, and
  // *inserted says whether it was new.
  Object& FindOrInsert(std::string_view key, int64_t now_ms, bool* inserted);
  bool Delete(std::string_view key);
  // Removes the entry and hands its value to the caller (RENAME, MOVE, async free).
  std::optional<Object> Take(std::string_view key, int64_t* expire_ms = nullptr);

  // Absolute expiry in unix ms; -1 when none.
  int64_t GetExpire(std::string_view key) const;
  // Precondition: key exists.
  void SetExpire(std::string_view key, int64_t when_ms);
  bool Persist(std::string_view key);

  size_t Size() const { return size_; }
  size_t ExpiresCount() const { return expires_; }
  void Clear();
  void Swap(Db& other) noexcept;

  // Cluster slot views.
  size_t CountKeysInSlot(int slot) const;
  std::vector<std::string> KeysInSlot(int slot, size_t max) const;
  // Deletes every key of the slot; returns how many.
  size_t DeleteSlot(int slot);

  // SCAN: visits whole slots starting at `cursor` until at least `count` keys were visited or the
  // keyspace ends; returns the next cursor (0 when done). Every key present for the whole scan is
  // visited at least once. The callback must not mutate the Db.
  uint64_t Scan(uint64_t cursor, size_t count,
                const std::function<void(const std::string& key, const Object& value)>& fn) const;
  // Visits every key; the callback must not mutate the Db.
  void ForEach(const std::function<void(const std::string& key, const Object& value,
                                        int64_t expire_ms)>& fn) const;
  // A random key (expired keys may be returned; the caller checks). nullopt when empty.
  std::optional<std::string> RandomKey(uint64_t random) const;
  // Up to n random keys that have a TTL, with their expiry (eviction by TTL, active expire).
  void SampleExpiring(uint64_t random, size_t n,
                      std::vector<std::pair<std::string, int64_t>>* out) const;
  // Up to n random keys (eviction sampling).
  void SampleKeys(uint64_t random, size_t n, std::vector<std::string>* out) const;

  // One step of Redis's active expire cycle: samples keys with a TTL and deletes the expired
  // ones, stopping when fewer than a quarter of a sample were expired or after `max_checks`.
  // `on_expired` is called for each deleted key (notifications, replication DELs).
  ActiveExpireStats ActiveExpire(int64_t now_ms, uint64_t random, size_t max_checks,
                                 const std::function<void(const std::string&)>& on_expired);

 private:
  std::unique_ptr<SlotTable[]> slots_;
  size_t size_ = 0;
  size_t expires_ = 0;
};

}  // namespace tessera::keyspace
