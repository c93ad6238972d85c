// Injected randomness (STYLE.md §6): tests seed it, the server seeds it from /dev/urandom.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace tessera::core {

class Rng {
 public:
  explicit Rng(uint64_t seed) : eng_(seed) {}
  // Seeded from the OS's entropy source.
  static uint64_t SeedFromOs();
  uint64_t Next() { return eng_(); }
  // Uniform in [0, n); n must be > 0.
  uint64_t Uniform(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(eng_); }
  double Unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(eng_); }
  // n lowercase hex characters (node ids are 40, replication ids too).
  std::string Hex(size_t n);

 private:
  std::mt19937_64 eng_;
};

}  // namespace tessera::core
