// Seeded random-bytes and mutation tests: Decode must never crash, and whatever it accepts must
// survive Encode -> Decode unchanged (STYLE.md §7, cluster-bus.md §1.4).
#include <catch2/catch.hpp>

#include "bus/fixtures.h"
#include "tessera/bus/codec.h"
#include "tessera/core/rng.h"

namespace tessera::bus {
namespace {

void CheckStable(const std::vector<uint8_t>& b) {
  auto m = Decode(b);
  if (!m.ok()) return;
  std::string again = Encode(*m);
  auto m2 = Decode(std::span(reinterpret_cast<const uint8_t*>(again.data()), again.size()));
  REQUIRE(m2.ok());
  REQUIRE(Encode(*m2) == again);
}

TEST_CASE("mutated real frames never crash the decoder", "[bus][codec][random]") {
  const uint64_t seed = GENERATE(1, 2, 3);
  core::Rng rng(seed);
  INFO("seed " << seed);
  std::vector<std::vector<uint8_t>> seeds;
  for (const char* f : {"ping_real.bin", "pong_real_hostname.bin", "update_real.bin",
                        "publish_real.bin"}) {
    seeds.push_back(testing::Bytes(testing::ReadFixture(f)));
  }
  // Offsets that steer the decoder: totlen, ver, type, count, extensions, mflags, ext header.
  const size_t hot[] = {4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 2214, 2215, 2253, 2568, 2569, 2570,
                        2571, 2572, 2573, 2256, 2257, 2258, 2259, 2260, 2261, 2262, 2263};
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> b = seeds[rng.Uniform(seeds.size())];
    const int edits = 1 + int(rng.Uniform(4));
    for (int e = 0; e < edits; ++e) {
      size_t off = rng.Uniform(3) == 0 ? hot[rng.Uniform(std::size(hot))] : rng.Uniform(b.size());
      if (off < b.size()) b[off] = uint8_t(rng.Next());
    }
    if (rng.Uniform(4) == 0) b.resize(rng.Uniform(b.size() + 64));
    CheckStable(b);
    accepted += Decode(b).ok();
  }
  CHECK(accepted > 0);  // the mutations must also exercise the success path
}

TEST_CASE("random byte buffers never crash the decoder", "[bus][codec][random]") {
  core::Rng rng(42);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> b(rng.Uniform(2600));
    for (auto& c : b) c = uint8_t(rng.Next());
    if (b.size() >= 8 && rng.Uniform(2)) {
      b[0] = 'R', b[1] = 'C', b[2] = 'm', b[3] = 'b';
      b[4] = 0, b[5] = 0, b[6] = uint8_t(b.size() >> 8), b[7] = uint8_t(b.size());
      if (b.size() > 9) b[8] = 0, b[9] = 1;
    }
    CheckStable(b);
    (void)CheckFrame(b);
  }
}

}  // namespace
}  // namespace tessera::bus
