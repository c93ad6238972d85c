// maxmemory eviction: sample keys as the policy says and evict the best candidate until memory
// is under the limit (Redis's approximated LRU/LFU/TTL, without the cross-call pool).
#include <limits>

#include "commands/lfu.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/notify.h"

namespace tessera::commands {
namespace {

bool Volatile(MaxmemoryPolicy p) {
  return p == MaxmemoryPolicy::kVolatileLru || p == MaxmemoryPolicy::kVolatileLfu ||
         p == MaxmemoryPolicy::kVolatileRandom || p == MaxmemoryPolicy::kVolatileTtl;
}

// Lower is evicted first. `random` (uniform in [0, 1)) makes the random policies pick any
// sampled key, not always the first db's.
double Score(const EngineOptions& opts, const keyspace::Object& o, int64_t expire_ms,
             int64_t now_ms, double random) {
  switch (opts.maxmemory_policy) {
    case MaxmemoryPolicy::kAllKeysLru:
    case MaxmemoryPolicy::kVolatileLru: return o.lru;
    case MaxmemoryPolicy::kAllKeysLfu:
    case MaxmemoryPolicy::kVolatileLfu:
      // The counter as it has decayed by now: a key hot long ago is not kept forever.
      return LfuDecayed(o, now_ms, opts.lfu_decay_time) * 1e10 + o.lru;
    case MaxmemoryPolicy::kVolatileTtl: return static_cast<double>(expire_ms);
    default: return random;
  }
}

}  // namespace

bool Engine::FreeMemoryIfNeeded() {
  if (opts_.maxmemory == 0) return true;
  RefreshMemory();
  if (used_memory_ <= opts_.maxmemory) return true;
  if (opts_.maxmemory_policy == MaxmemoryPolicy::kNoEviction) return false;
  const MaxmemoryPolicy policy = opts_.maxmemory_policy;
  std::vector<std::string> keys;
  std::vector<std::pair<std::string, int64_t>> expiring;
  // Bounded: each round evicts one key or finds nothing to evict.
  for (int round = 0; round < 1000000 && used_memory_ > opts_.maxmemory; ++round) {
    int best_db = -1;
    std::string best_key;
    double best = std::numeric_limits<double>::max();
    for (int i = 0; i < db_count(); ++i) {
      keyspace::Db& d = dbs_[i];
      if (Volatile(policy)) {
        d.SampleExpiring(rng_.Next(), opts_.maxmemory_samples, &expiring);
        keys.clear();
        for (auto& [k, when] : expiring) keys.push_back(k);
      } else {
        d.SampleKeys(rng_.Next(), opts_.maxmemory_samples, &keys);
      }
      for (const auto& k : keys) {
        const keyspace::Object* o = d.Peek(k, std::numeric_limits<int64_t>::min());
        if (o == nullptr) continue;
        double s = Score(opts_, *o, d.GetExpire(k), now_ms(), rng_.Unit());
        if (best_db < 0 || s < best) {
          best = s;
          best_db = i;
          best_key = k;
        }
      }
    }
    if (best_db < 0) return false;
    dbs_[best_db].Delete(best_key);
    ++stats_.evicted_keys;
    NotifyKeyspaceEvent(notify::kEvicted, "evicted", best_key, best_db);
    TouchKey(best_db, best_key);
    RefreshMemory();
  }
  return used_memory_ <= opts_.maxmemory;
}

}  // namespace tessera::commands
