// maxmemory eviction: sample keys as the policy says and evict the best candidate until memory
// is under the limit (Redis's approximated LRU/LFU/TTL, without the cross-call pool).
#include <limits>

#include "tessera/commands/engine.h"
#include "tessera/core/log.h"

namespace tessera::commands {
namespace {

bool Volatile(MaxmemoryPolicy p) {
  return p == MaxmemoryPolicy::kVolatileLru || p == MaxmemoryPolicy::kVolatileLfu ||
         p == MaxmemoryPolicy::kVolatileRandom || p == MaxmemoryPolicy::kVolatileTtl;
}

// Lower is evicted first.
double Score(MaxmemoryPolicy p, const keyspace::Object& o, int64_t expire_ms) {
  switch (p) {
    case MaxmemoryPolicy::kAllKeysLru:
    case MaxmemoryPolicy::kVolatileLru: return o.lru;
    case MaxmemoryPolicy::kAllKeysLfu:
    case MaxmemoryPolicy::kVolatileLfu: return o.lfu_counter * 1e10 + o.lru;
    case MaxmemoryPolicy::kVolatileTtl: return static_cast<double>(expire_ms);
    default: return 0;
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
        double s = Score(policy, *o, d.GetExpire(k));
        if (best_db < 0 || s < best) {
          best = s;
          best_db = i;
          best_key = k;
        }
      }
    }
    if (best_db < 0) return false;
    dbs_[best_db].Delete(best_key);
    TouchKey(best_db, best_key);
    ++stats_.evicted_keys;
    RefreshMemory();
  }
  return used_memory_ <= opts_.maxmemory;
}

}  // namespace tessera::commands
