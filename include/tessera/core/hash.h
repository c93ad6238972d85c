// Seeded XXH3 for hash tables. The seed is random per process (set once at startup), so clients
// cannot choose keys that collide (STYLE.md: the key hash is seeded randomly at startup).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tessera::core {

void SetHashSeed(uint64_t seed);
uint64_t HashSeed();
uint64_t HashBytes(std::string_view s);

// Transparent hash for absl/std containers keyed by std::string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return HashBytes(s); }
  size_t operator()(const std::string& s) const { return HashBytes(s); }
  size_t operator()(const char* s) const { return HashBytes(s); }
};
struct StringEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

}  // namespace tessera::core
