// Rng helpers.
#include "tessera/core/rng.h"

namespace tessera::core {

uint64_t Rng::SeedFromOs() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

std::string Rng::Hex(size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(n, '0');
  for (auto& c : s) c = kDigits[Uniform(16)];
  return s;
}

}  // namespace tessera::core
