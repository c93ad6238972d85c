// LFU access counters as Redis 7.0 keeps them under an LFU maxmemory-policy: an 8-bit
// logarithmic counter that grows with probability 1/((counter-5)*lfu-log-factor+1) per access
// and loses one per lfu-decay-time minutes without access. Object::lru is the last access (s).
#pragma once

#include <cstdint>

#include "tessera/commands/engine.h"
#include "tessera/keyspace/object.h"

namespace tessera::commands {

// A new object's counter (Redis's LFU_INIT_VAL), so new keys are not evicted at once.
inline constexpr uint8_t kLfuInitVal = 5;

inline bool IsLfuPolicy(MaxmemoryPolicy p) {
  return p == MaxmemoryPolicy::kAllKeysLfu || p == MaxmemoryPolicy::kVolatileLfu;
}

// The counter after decay for the whole minutes elapsed between the last access and now.
inline uint8_t LfuDecayed(const keyspace::Object& o, int64_t now_ms, int decay_time_min) {
  // lru 0: never stamped since creation (Db::Set does not know the time), so nothing decayed.
  if (decay_time_min <= 0 || o.lru == 0) return o.lfu_counter;
  int64_t elapsed_min = now_ms / 60000 - static_cast<int64_t>(o.lru) / 60;
  if (elapsed_min <= 0) return o.lfu_counter;
  int64_t periods = elapsed_min / decay_time_min;
  return periods >= o.lfu_counter ? 0 : static_cast<uint8_t>(o.lfu_counter - periods);
}

// One access: `unit_random` is uniform in [0, 1).
inline uint8_t LfuIncremented(uint8_t counter, int log_factor, double unit_random) {
  if (counter == 255) return counter;
  double base = counter > kLfuInitVal ? counter - kLfuInitVal : 0;
  double p = 1.0 / (base * log_factor + 1);
  return unit_random < p ? counter + 1 : counter;
}

}  // namespace tessera::commands
