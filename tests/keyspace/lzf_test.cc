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

TEST_CASE("lzf compresses byte-identically to redis-server 7.0.15", "[rdb][lzf]") {
  // Payload bodies of DUMP replies from a real 7.0.15 (clen/ulen header removed).
  CHECK(LzfCompress(std::string(92, 'a'), 88) == testing::Unhex("016161e04f00016161"));
  CHECK(LzfCompress(std::string(300, 'x'), 296) == testing::Unhex("017878e0ff00e01700017878"));
  std::string ab;
  for (int i = 0; i < 500; ++i) ab += "ab";
  CHECK(LzfCompress(ab, 996) == testing::Unhex("02616261e0ff01e0ff01e0ff01e0c201016162"));
  // Does not fit: Redis then stores the string raw.
  CHECK(LzfCompress("0123456789abcdefghijklmnopqrstuvwxyz", 32).empty());
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
