// Corrupt RDB and DUMP input: every failure is an error naming the offset, never a crash
// (STYLE.md §7: parsers get a seeded random-bytes test).
#include <catch2/catch.hpp>
#include "keyspace/rdb_fixture_data.h"
#include "tessera/core/rng.h"
#include "tessera/core/status.h"
#include "tessera/keyspace/crc64.h"
#include "tessera/keyspace/dump.h"
#include "tessera/keyspace/rdb_reader.h"

namespace tessera::keyspace {
namespace {

using testing::RdbDataDir;
using testing::ReadFile;
using testing::Unhex;

const std::string kExample1 = Unhex(
    "524544495330303130fa0972656469732d76657206372e302e3135fa0a72656469732d62697473c040fa056374"
    "696d65c28ea2046bfa08757365642d6d656dc2509b1000fa08616f662d62617365c000fe00fb060111047a7365"
    "7414140000000400816102010181620283322e3504ff12046c697374010210100000000300816102816202816302"
    "ff1004686173681717000000040082663103827631038266320382763203ff020373657402017801790003737472"
    "0568656c6c6ffc00d8c32cbb030000000374746c0176ff1d07fa0a709dde58");

// The "N" of "at offset N:", or -1 when the message has none.
long long ErrorOffset(const absl::Status& st) {
  const std::string msg = core::Msg(st);
  const std::string marker = "at offset ";
  const size_t at = msg.find(marker);
  if (at == std::string::npos) return -1;
  size_t end = at + marker.size();
  long long n = 0;
  bool digits = false;
  for (; end < msg.size() && msg[end] >= '0' && msg[end] <= '9'; ++end, digits = true) {
    n = n * 10 + (msg[end] - '0');
  }
  return digits && end < msg.size() && msg[end] == ':' ? n : -1;
}

// Replaces the 8-byte trailer so that the reader checks (or skips) the CRC as wanted.
std::string WithCrc(std::string rdb, bool zero) {
  const uint64_t crc = zero ? 0 : Crc64(0, std::string_view(rdb).substr(0, rdb.size() - 8));
  for (int i = 0; i < 8; ++i) rdb[rdb.size() - 8 + i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  return rdb;
}

void CheckEveryTruncationFails(const std::string& rdb, size_t stride) {
  for (size_t n = 0; n < rdb.size(); n += (n < 64 ? 1 : stride)) {
    auto r = ReadRdb(std::string_view(rdb).substr(0, n));
    INFO("truncated to " << n << " bytes");
    REQUIRE(!r.ok());
    const long long at = ErrorOffset(r.status());
    CHECK(at >= 0);
    CHECK(at <= static_cast<long long>(n));
  }
}

TEST_CASE("an RDB truncated at any byte is an error naming an offset", "[rdb][corrupt]") {
  CheckEveryTruncationFails(kExample1, 1);
  CheckEveryTruncationFails(ReadFile(RdbDataDir() / "all_types.rdb"), 17);
  CheckEveryTruncationFails(ReadFile(RdbDataDir() / "all_types_nocomp.rdb"), 127);
}

TEST_CASE("a wrong checksum is refused and a zero one is skipped", "[rdb][corrupt]") {
  for (size_t i = kExample1.size() - 8; i < kExample1.size(); ++i) {
    std::string bad = kExample1;
    bad[i] ^= 0x01;
    auto r = ReadRdb(bad);
    REQUIRE(!r.ok());
    CHECK(ErrorOffset(r.status()) == static_cast<long long>(kExample1.size() - 8));
    CHECK_THAT(core::Msg(r.status()), Catch::Contains("checksum"));
  }
  std::string flipped = kExample1;
  flipped[0xB7] ^= 0x20;  // "hello" -> "hEllo": the value parses, only the CRC tells
  CHECK(!ReadRdb(flipped).ok());
  auto zero = ReadRdb(WithCrc(flipped, true));
  REQUIRE(zero.ok());
  CHECK(!zero->eof.verified);
}

TEST_CASE("bad magic, version, lengths and type codes name their offset", "[rdb][corrupt]") {
  auto offset_of = [](std::string rdb) {
    return ErrorOffset(ReadRdb(WithCrc(std::move(rdb), true)).status());
  };
  std::string s = kExample1;
  s[0] = 'X';
  CHECK(offset_of(s) == 0);
  s = kExample1;
  s.replace(5, 4, "0011");
  CHECK(offset_of(s) == 5);
  s = kExample1;
  s[0x55] = 8;  // the zset's type byte: 8 is not a type
  CHECK(offset_of(s) == 0x55);
  s[0x55] = 20;
  CHECK(offset_of(s) == 0x55);
  s[0x55] = 7;  // module value
  CHECK(offset_of(s) == 0x55);
  s = kExample1;
  s[0x56] = static_cast<char>(0x82);  // invalid length form for the key "zset"
  CHECK(offset_of(s) == 0x56);
  s = kExample1;
  s[0xB6] = static_cast<char>(0x80);  // "hello" gets a 32-bit length 0x68656c6c
  CHECK(offset_of(s) == 0xBB);
  s = kExample1;
  s[0x5B] = 0x15;  // listpack string one byte longer than its header says
  CHECK(offset_of(s) >= 0x5B);
  s = kExample1;
  s[0xAC] = 1;  // set declares 1 member, then "y" is read as a type byte 0x01 ...
  CHECK(offset_of(s) > 0);
  s = kExample1;
  s[0xAE] = 'y';  // set {"y", "y"}: duplicate member
  CHECK(offset_of(s) == 0xAC);
}

// Mutates 1-8 random bytes; the CRC is zeroed so the reader gets past the trailer check.
std::string Mutate(std::string in, core::Rng& rng) {
  const int n = 1 + static_cast<int>(rng.Uniform(8));
  for (int i = 0; i < n && !in.empty(); ++i) {
    const size_t at = rng.Uniform(in.size());
    switch (rng.Uniform(3)) {
      case 0:
        in[at] = static_cast<char>(rng.Uniform(256));
        break;
      case 1:
        in[at] ^= static_cast<char>(1u << rng.Uniform(8));
        break;
      default:
        in.erase(at, 1 + rng.Uniform(4));
        break;
    }
  }
  return in;
}

TEST_CASE("seeded random mutations of RDBs never crash the reader", "[rdb][corrupt]") {
  core::Rng rng(20240601);
  const std::vector<std::string> seeds = {kExample1, ReadFile(RdbDataDir() / "all_types.rdb")};
  size_t failed = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string& base = seeds[i % seeds.size()];
    std::string m = Mutate(base, rng);
    if (m.size() >= 8) m = WithCrc(std::move(m), rng.Uniform(2) == 0);
    auto r = ReadRdb(m);
    if (!r.ok()) {
      ++failed;
      CHECK(ErrorOffset(r.status()) >= 0);
    }
  }
  CHECK(failed > 0);
  for (int i = 0; i < 4000; ++i) {  // random bytes after a valid header
    std::string junk = "REDIS0010";
    for (size_t k = rng.Uniform(64); k > 0; --k)
      junk.push_back(static_cast<char>(rng.Uniform(256)));
    auto r = ReadRdb(junk);
    if (!r.ok()) CHECK(ErrorOffset(r.status()) >= 0);
  }
}

TEST_CASE("RESTORE's envelope check uses redis's error text", "[dump][corrupt]") {
  const std::string good = Unhex("000568656c6c6f0a006372df766534200a");
  REQUIRE(DecodeDumpPayload(good).ok());
  std::string v11 = good;
  v11[v11.size() - 10] = 11;
  std::string zero_crc = good;
  for (size_t i = good.size() - 8; i < good.size(); ++i) zero_crc[i] = 0;
  // (Dropping a leading 0x00 byte would not do: with init 0, CRC(00 || x) == CRC(x).)
  for (const std::string& bad : {v11, zero_crc, good.substr(0, 9), good.substr(2)}) {
    auto st = DecodeDumpPayload(bad).status();
    CHECK(st.code() == absl::StatusCode::kInvalidArgument);
    CHECK(core::Msg(st) == kDumpPayloadError);
  }
  std::string v9 = Unhex("000568656c6c6f0900");  // older versions are accepted
  v9 += std::string(8, '\0');
  const uint64_t crc = Crc64(0, std::string_view(v9).substr(0, v9.size() - 8));
  for (int i = 0; i < 8; ++i) v9[v9.size() - 8 + i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  CHECK(DecodeDumpPayload(v9).ok());
}

TEST_CASE("seeded random mutations of DUMP payloads never crash the decoder", "[dump][corrupt]") {
  core::Rng rng(77);
  std::vector<std::string> seeds;
  for (const auto& f : std::filesystem::directory_iterator(RdbDataDir() / "dump"))
    seeds.push_back(ReadFile(f.path()));
  REQUIRE(!seeds.empty());
  for (int i = 0; i < 10000; ++i) {
    std::string m = Mutate(seeds[i % seeds.size()], rng);
    if (m.size() < 10) continue;
    const uint64_t crc = Crc64(0, std::string_view(m).substr(0, m.size() - 8));
    for (int k = 0; k < 8; ++k) m[m.size() - 8 + k] = static_cast<char>((crc >> (8 * k)) & 0xFF);
    auto r = DecodeDumpPayload(m);
    if (r.ok()) continue;
    if (r.status().code() == absl::StatusCode::kInvalidArgument) {  // the version bytes were hit
      CHECK(core::Msg(r.status()) == kDumpPayloadError);
    } else {
      CHECK(r.status().code() == absl::StatusCode::kDataLoss);
      CHECK_THAT(core::Msg(r.status()), Catch::StartsWith("Bad data format: at offset "));
    }
  }
}

}  // namespace
}  // namespace tessera::keyspace
