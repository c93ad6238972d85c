// XXH3 with a process-wide seed. The seed is written once at startup, before any table exists.
#include "tessera/core/hash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace tessera::core {
namespace {
uint64_t g_seed = 0x9e3779b97f4a7c15ULL;  // replaced at startup by SetHashSeed
}

void SetHashSeed(uint64_t seed) { g_seed = seed; }
uint64_t HashSeed() { return g_seed; }
uint64_t HashBytes(std::string_view s) { return XXH3_64bits_withSeed(s.data(), s.size(), g_seed); }

}  // namespace tessera::core
