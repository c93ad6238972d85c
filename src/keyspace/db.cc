// Db: 16384 slot tables, a Fenwick tree of slot sizes (uniform RandomKey in O(log slots)), a
// bitmap of non-empty slots (fast SCAN), and a dense list of keys with a TTL (uniform sampling for
// active expire and volatile eviction, like Redis's separate expires dict).
#include "tessera/keyspace/db.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "slot_table.h"
#include "tessera/core/hash.h"
#include "tessera/core/slot.h"
#include "tessera/core/status.h"

namespace tessera::keyspace {
namespace {

constexpr size_t kSlotWords = core::kSlots / 64;
// Redis samples 20 keys with a TTL per active-expire round (ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP).
constexpr size_t kExpireSample = 20;

uint64_t NextRandom(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// n distinct indices in [0, m), uniformly; n <= m.
std::vector<size_t> DistinctIndices(uint64_t* state, size_t n, size_t m) {
  std::vector<size_t> out;
  out.reserve(n);
  if (n * 2 >= m) {
    // Dense: partial Fisher-Yates over all indices.
    std::vector<size_t> all(m);
    for (size_t i = 0; i < m; ++i) all[i] = i;
    for (size_t i = 0; i < n; ++i) {
      std::swap(all[i], all[i + NextRandom(state) % (m - i)]);
      out.push_back(all[i]);
    }
    return out;
  }
  absl::flat_hash_set<size_t> seen;
  while (out.size() < n) {
    size_t i = NextRandom(state) % m;
    if (seen.insert(i).second) out.push_back(i);
  }
  return out;
}

}  // namespace

struct Db::Tables {
  struct Expiring {
    Entry* entry;
    int64_t when_ms;
  };

  SlotTable slots[core::kSlots];
  // 1-based Fenwick tree over slot sizes: prefix sums find the slot holding the k-th key.
  uint32_t fenwick[core::kSlots + 1] = {};
  uint64_t nonempty[kSlotWords] = {};
  // Every key with a TTL, once, and each one's position in that list. A dense list keeps
  // sampling uniform and O(1); the position map keeps removal O(1).
  std::vector<Expiring> expiring;
  absl::flat_hash_map<const Entry*, uint32_t> expire_pos;

  // Precondition: e->has_ttl().
  Expiring& ExpiryOf(const Entry* e) { return expiring[expire_pos.at(e)]; }

  void AddCount(int slot, int32_t delta) {
    for (int i = slot + 1; i <= core::kSlots; i += i & -i) fenwick[i] += delta;
  }
  // The slot holding the k-th key (0-based) in slot order; k < total keys.
  int KthSlot(uint64_t k) const {
    int pos = 0;
    for (int step = core::kSlots; step > 0; step >>= 1) {
      if (pos + step <= core::kSlots && fenwick[pos + step] <= k) {
        pos += step;
        k -= fenwick[pos];
      }
    }
    return pos;
  }
  // First non-empty slot >= from, or kSlots.
  int NextNonEmpty(int from) const {
    if (from >= core::kSlots) return core::kSlots;
    size_t w = static_cast<size_t>(from) / 64;
    uint64_t bits = nonempty[w] & (~uint64_t{0} << (from % 64));
    while (bits == 0) {
      if (++w == kSlotWords) return core::kSlots;
      bits = nonempty[w];
    }
    return static_cast<int>(w * 64 + __builtin_ctzll(bits));
  }
  void MarkSlot(int slot, bool non_empty) {
    uint64_t bit = uint64_t{1} << (slot % 64);
    if (non_empty) {
      nonempty[slot / 64] |= bit;
    } else {
      nonempty[slot / 64] &= ~bit;
    }
  }
};

Db::Db() = default;
Db::~Db() = default;

Db::Db(Db&& other) noexcept { Swap(other); }

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    Clear();
    Swap(other);
  }
  return *this;
}

Db::Tables& Db::EnsureTables() {
  if (!t_) t_ = std::make_unique<Tables>();
  return *t_;
}

Entry* Db::Locate(std::string_view key) const {
  if (size_ == 0) return nullptr;
  return t_->slots[core::KeySlot(key)].Find(key, core::HashBytes(key));
}

bool Db::IsExpired(const Entry* e, int64_t now_ms) const {
  return e->has_ttl() && now_ms > t_->ExpiryOf(e).when_ms;
}

Entry* Db::Insert(std::string_view key, Object value) {
  Tables& t = EnsureTables();
  int slot = core::KeySlot(key);
  Entry* e = Entry::Create(key, std::move(value));
  t.slots[slot].Insert(e, core::HashBytes(key));
  t.AddCount(slot, 1);
  if (t.slots[slot].size() == 1) t.MarkSlot(slot, true);
  ++size_;
  return e;
}

Entry* Db::Unlink(Entry* e) {
  DropExpire(e);
  std::string_view key = e->key();
  int slot = core::KeySlot(key);
  t_->slots[slot].Remove(e, core::HashBytes(key));
  t_->AddCount(slot, -1);
  if (t_->slots[slot].size() == 0) t_->MarkSlot(slot, false);
  --size_;
  return e;
}

void Db::AddExpire(Entry* e, int64_t when_ms) {
  if (e->has_ttl()) {
    t_->ExpiryOf(e).when_ms = when_ms;
    return;
  }
  auto& list = t_->expiring;
  TS_CHECK(list.size() < UINT32_MAX);
  t_->expire_pos.emplace(e, static_cast<uint32_t>(list.size()));
  list.push_back({e, when_ms});
  e->set_has_ttl(true);
  expires_ = list.size();
}

void Db::DropExpire(Entry* e) {
  if (!e->has_ttl()) return;
  auto& list = t_->expiring;
  auto it = t_->expire_pos.find(e);
  uint32_t i = it->second;
  t_->expire_pos.erase(it);
  // Swap-remove keeps the list dense.
  if (i + 1 != list.size()) {
    list[i] = list.back();
    t_->expire_pos[list[i].entry] = i;
  }
  list.pop_back();
  e->set_has_ttl(false);
  expires_ = list.size();
}

Object* Db::Find(std::string_view key, int64_t now_ms) {
  Entry* e = Locate(key);
  if (e == nullptr) return nullptr;
  if (IsExpired(e, now_ms)) {
    Entry::Destroy(Unlink(e));
    return nullptr;
  }
  // The access time, in seconds like Redis's LRU clock, for eviction and OBJECT IDLETIME.
  e->value.lru = static_cast<uint32_t>(now_ms / 1000);
  return &e->value;
}

const Object* Db::Peek(std::string_view key, int64_t now_ms) const {
  const Entry* e = Locate(key);
  if (e == nullptr || IsExpired(e, now_ms)) return nullptr;
  return &e->value;
}

Object& Db::Set(std::string_view key, Object value, bool keep_ttl) {
  Entry* e = Locate(key);
  if (e == nullptr) return Insert(key, std::move(value))->value;
  e->value = std::move(value);
  if (!keep_ttl) DropExpire(e);
  return e->value;
}

Object& Db::FindOrInsert(std::string_view key, int64_t now_ms, bool* inserted) {
  Object* found = Find(key, now_ms);
  *inserted = found == nullptr;
  return found ? *found : Insert(key, Object())->value;
}

bool Db::Delete(std::string_view key) {
  Entry* e = Locate(key);
  if (e == nullptr) return false;
  Entry::Destroy(Unlink(e));
  return true;
}

std::optional<Object> Db::Take(std::string_view key, int64_t* expire_ms) {
  Entry* e = Locate(key);
  if (expire_ms != nullptr) {
    *expire_ms = e != nullptr && e->has_ttl() ? t_->ExpiryOf(e).when_ms : -1;
  }
  if (e == nullptr) return std::nullopt;
  Unlink(e);
  std::optional<Object> value(std::move(e->value));
  Entry::Destroy(e);
  return value;
}

int64_t Db::GetExpire(std::string_view key) const {
  const Entry* e = Locate(key);
  if (e == nullptr || !e->has_ttl()) return -1;
  return t_->ExpiryOf(e).when_ms;
}

void Db::SetExpire(std::string_view key, int64_t when_ms) {
  Entry* e = Locate(key);
  TS_CHECK(e != nullptr);
  AddExpire(e, when_ms);
}

bool Db::Persist(std::string_view key) {
  Entry* e = Locate(key);
  if (e == nullptr || !e->has_ttl()) return false;
  DropExpire(e);
  return true;
}

void Db::Clear() {
  t_.reset();
  size_ = 0;
  expires_ = 0;
}

void Db::Swap(Db& other) noexcept {
  std::swap(t_, other.t_);
  std::swap(size_, other.size_);
  std::swap(expires_, other.expires_);
}

size_t Db::CountKeysInSlot(int slot) const {
  if (!t_ || slot < 0 || slot >= core::kSlots) return 0;
  return t_->slots[slot].size();
}

std::vector<std::string> Db::KeysInSlot(int slot, size_t max) const {
  std::vector<std::string> keys;
  if (!t_ || slot < 0 || slot >= core::kSlots) return keys;
  keys.reserve(std::min<size_t>(max, t_->slots[slot].size()));
  t_->slots[slot].ForEach([&](const Entry* e) {
    if (keys.size() < max) keys.emplace_back(e->key());
  });
  return keys;
}

size_t Db::DeleteSlot(int slot) {
  if (!t_ || slot < 0 || slot >= core::kSlots) return 0;
  SlotTable& table = t_->slots[slot];
  size_t n = table.size();
  if (n == 0) return 0;
  table.ForEach([&](Entry* e) { DropExpire(e); });
  table.Clear();
  t_->AddCount(slot, -static_cast<int32_t>(n));
  t_->MarkSlot(slot, false);
  size_ -= n;
  return n;
}

uint64_t Db::Scan(uint64_t cursor, size_t count,
                  const std::function<void(const std::string&, const Object&)>& fn) const {
  if (!t_ || cursor >= static_cast<uint64_t>(core::kSlots)) return 0;
  count = std::max<size_t>(count, 1);
  std::string key;  // one buffer for every callback
  size_t visited = 0;
  int slot = t_->NextNonEmpty(static_cast<int>(cursor));
  while (slot < core::kSlots && visited < count) {
    t_->slots[slot].ForEach([&](const Entry* e) {
      key.assign(e->key());
      fn(key, e->value);
    });
    visited += t_->slots[slot].size();
    slot = t_->NextNonEmpty(slot + 1);
  }
  return slot < core::kSlots ? static_cast<uint64_t>(slot) : 0;
}

void Db::ForEach(const std::function<void(const std::string&, const Object&, int64_t)>& fn) const {
  if (!t_) return;
  std::string key;
  for (int slot = t_->NextNonEmpty(0); slot < core::kSlots; slot = t_->NextNonEmpty(slot + 1)) {
    t_->slots[slot].ForEach([&](const Entry* e) {
      key.assign(e->key());
      int64_t when = e->has_ttl() ? t_->ExpiryOf(e).when_ms : -1;
      fn(key, e->value, when);
    });
  }
}

const Entry* Db::RandomEntry(uint64_t random) const {
  uint64_t state = random;
  // Pick the k-th key overall, then a uniform key of its slot: each key has chance 1/size.
  int slot = t_->KthSlot(NextRandom(&state) % size_);
  return t_->slots[slot].Random(NextRandom(&state));
}

std::optional<std::string> Db::RandomKey(uint64_t random) const {
  if (size_ == 0) return std::nullopt;
  return std::string(RandomEntry(random)->key());
}

void Db::SampleExpiring(uint64_t random, size_t n,
                        std::vector<std::pair<std::string, int64_t>>* out) const {
  out->clear();
  if (expires_ == 0) return;
  uint64_t state = random;
  for (size_t i : DistinctIndices(&state, std::min(n, expires_), expires_)) {
    const auto& x = t_->expiring[i];
    out->emplace_back(std::string(x.entry->key()), x.when_ms);
  }
}

void Db::SampleKeys(uint64_t random, size_t n, std::vector<std::string>* out) const {
  out->clear();
  if (size_ == 0 || n == 0) return;
  if (n >= size_) {
    ForEach([&](const std::string& key, const Object&, int64_t) { out->push_back(key); });
    return;
  }
  uint64_t state = random;
  absl::flat_hash_set<const Entry*> seen;
  // Bounded tries: when n is close to Size() collisions are common and fewer keys are fine.
  for (size_t tries = 0; out->size() < n && tries < 4 * n + 16; ++tries) {
    const Entry* e = RandomEntry(NextRandom(&state));
    if (seen.insert(e).second) out->emplace_back(e->key());
  }
}

ActiveExpireStats Db::ActiveExpire(int64_t now_ms, uint64_t random, size_t max_checks,
                                   const std::function<void(const std::string&)>& on_expired) {
  ActiveExpireStats stats;
  uint64_t state = random;
  std::vector<std::string> expired;
  while (expires_ > 0 && stats.sampled < max_checks) {
    size_t n = std::min({kExpireSample, expires_, max_checks - stats.sampled});
    expired.clear();
    for (size_t i : DistinctIndices(&state, n, expires_)) {
      const auto& x = t_->expiring[i];
      if (now_ms > x.when_ms) expired.emplace_back(x.entry->key());
    }
    stats.sampled += n;
    // Delete by name: on_expired may change the Db, so no Entry* is held across it.
    for (const std::string& key : expired) {
      Entry* e = Locate(key);
      if (e == nullptr || !IsExpired(e, now_ms)) continue;
      Entry::Destroy(Unlink(e));
      ++stats.expired;
      on_expired(key);
    }
    // Redis keeps going only while the sample was mostly stale.
    if (expired.size() * 4 <= n) break;
  }
  return stats;
}

}  // namespace tessera::keyspace
