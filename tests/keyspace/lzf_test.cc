// LZF codec (shared/spec/replication-rdb.md §5.4, §7).
#include "tessera/keyspace/lzf.h"

#include <catch2/catch.hpp>

#include "keyspace/rdb_fixture_data.h"
#include "tessera/core/rng.h"

namespace tessera::keyspace {
namespace {

TEST_CASE("lzf decompresses the spec's 92 x 'a' example", "[rdb][lzf]") {
  auto out = LzfDecompress(testing::Unhex("016161e04f00016161"), 92);
  REQUIRE(out.ok());
  CHECK(*out == std::string(92, 'a'));
}

TEST_CASE("lzf round-trips random and repetitive inputs", "[rdb][lzf]") {
  core::Rng rng(42);
  for (int round = 0; round < 300; ++round) {
    const size_t n = rng.Uniform(20000);
    const uint64_t alphabet = 1 + rng.Uniform(round % 3 == 0 ? 256 : 4);
    std::string in(n, '\0');
    for (auto& c : in) c = static_cast<char>(rng.Uniform(alphabet));
    const std::string z = LzfCompress(in);
    auto back = LzfDecompress(z, in.size());
    REQUIRE(back.ok());
    CHECK(*back == in);
  }
  const std::string rep(100000, 'z');
  CHECK(LzfCompress(rep).size() < 1200);  // 3 bytes per 264-byte reference
}

TEST_CASE("lzf refuses malformed input without reading out of bounds", "[rdb][lzf]") {
  CHECK(!LzfDecompress(testing::Unhex("05616161"), 6).ok());    // literal past input end
  CHECK(!LzfDecompress(testing::Unhex("0161612000"), 3).ok());  // reference past output size
  CHECK(!LzfDecompress(testing::Unhex("20050161"), 3).ok());    // reference before output start
  CHECK(!LzfDecompress(testing::Unhex("016161"), 3).ok());      // decompresses short
  CHECK(!LzfDecompress(testing::Unhex("e0"), 10).ok());         // truncated reference
  CHECK(!LzfDecompress(testing::Unhex("0161"), size_t{1} << 40).ok());  // absurd size
  core::Rng rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string junk(rng.Uniform(40), '\0');
    for (auto& c : junk) c = static_cast<char>(rng.Uniform(256));
    auto r = LzfDecompress(junk, rng.Uniform(200));
    if (!r.ok()) CHECK(r.status().code() == absl::StatusCode::kDataLoss);
  }
}

}  // namespace
}  // namespace tessera::keyspace
