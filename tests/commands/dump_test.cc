// DUMP and RESTORE (byte-exact payloads, options, Redis 7.0.15 error texts) and the MISCONF
// refusal of writes after a failed background save.
#include <catch2/catch.hpp>

#include "commands/fixture.h"
#include "fmt/format.h"
#include "tessera/commands/errors.h"
#include "tessera/keyspace/crc64.h"

namespace tessera::commands {
namespace {

using testing::EngineFixture;

std::string Bulk(std::string_view s) { return fmt::format("${}\r\n{}\r\n", s.size(), s); }

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// Appends version 10 and the CRC64, as DUMP does.
std::string WithFooter(std::string body) {
  body += Unhex("0a00");
  uint64_t crc = keyspace::Crc64(0, body);
  for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>((crc >> (8 * i)) & 0xFF));
  return body;
}

// Payloads from redis-server 7.0.15 (shared/spec/replication-rdb.md §6).
const std::string kHello = Unhex("000568656c6c6f0a006372df766534200a");

TEST_CASE("DUMP of strings is byte-identical to Redis 7.0.15", "[dump]") {
  EngineFixture f;
  f.Cmd("SET dk hello");
  CHECK(f.Cmd("DUMP dk") == Bulk(kHello));
  f.Cmd("SET dn 300");
  CHECK(f.Cmd("DUMP dn") == Bulk(Unhex("00c12c010a00954261f265825c10")));
  CHECK(f.Cmd("DUMP missing") == "$-1\r\n");
}

TEST_CASE("RESTORE creates the key with its TTL and refuses an existing one", "[dump]") {
  EngineFixture f;
  CHECK(f.Run({"RESTORE", "k", "0", kHello}) == "+OK\r\n");
  CHECK(f.Cmd("GET k") == Bulk("hello"));
  CHECK(f.Cmd("TTL k") == ":-1\r\n");
  CHECK(f.Run({"RESTORE", "k", "0", kHello}) == "-BUSYKEY Target key name already exists.\r\n");
  CHECK(f.Run({"RESTORE", "k", "5000", kHello, "REPLACE"}) == "+OK\r\n");
  CHECK(f.Cmd("PTTL k") == ":5000\r\n");
  const int64_t at = f.clock.UnixMs() + 9000;
  CHECK(f.Run({"RESTORE", "k2", std::to_string(at), kHello, "ABSTTL"}) == "+OK\r\n");
  CHECK(f.Cmd("PTTL k2") == ":9000\r\n");
  CHECK(f.Run({"RESTORE-ASKING", "k3", "0", kHello}) == "+OK\r\n");
}

TEST_CASE("RESTORE with a TTL already in the past creates nothing", "[dump]") {
  EngineFixture f;
  f.Cmd("SET k old");
  const int64_t past = f.clock.UnixMs() - 1;
  CHECK(f.Run({"RESTORE", "k", std::to_string(past), kHello, "ABSTTL", "REPLACE"}) == "+OK\r\n");
  CHECK(f.Cmd("EXISTS k") == ":0\r\n");
}

TEST_CASE("RESTORE reports Redis's errors in Redis's order", "[dump]") {
  EngineFixture f;
  CHECK(f.Run({"RESTORE", "k", "-1", kHello}) == "-ERR Invalid TTL value, must be >= 0\r\n");
  CHECK(f.Run({"RESTORE", "k", "x", kHello}) == "-ERR value is not an integer or out of range\r\n");
  std::string bad_crc = kHello;
  bad_crc.back() ^= 1;
  CHECK(f.Run({"RESTORE", "k", "0", bad_crc}) ==
        "-ERR DUMP payload version or checksum are wrong\r\n");
  std::string v11 = kHello;
  v11[v11.size() - 10] = 11;
  CHECK(f.Run({"RESTORE", "k", "0", v11}) == "-ERR DUMP payload version or checksum are wrong\r\n");
  CHECK(f.Run({"RESTORE", "k", "0", "short"}) ==
        "-ERR DUMP payload version or checksum are wrong\r\n");
  CHECK(f.Run({"RESTORE", "k", "0", kHello, "BOGUS"}) == "-ERR syntax error\r\n");
  CHECK(f.Run({"RESTORE", "k", "0", kHello, "IDLETIME", "-1"}) ==
        "-ERR Invalid IDLETIME value, must be >= 0\r\n");
  CHECK(f.Run({"RESTORE", "k", "0", kHello, "FREQ", "256"}) ==
        "-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n");
  CHECK(f.Run({"RESTORE", "k", "0", kHello, "FREQ", "1", "IDLETIME", "1"}) ==
        "-ERR syntax error\r\n");
  CHECK(f.Run({"RESTORE", "k", "0", kHello, "IDLETIME"}) == "-ERR syntax error\r\n");
  // A well-formed envelope around a value that does not parse: a 5-byte string with 3 bytes.
  CHECK(f.Run({"RESTORE", "k", "0", WithFooter(Unhex("0005686921"))}) ==
        "-ERR Bad data format\r\n");
  // An unknown type byte, and an empty set.
  CHECK(f.Run({"RESTORE", "k", "0", WithFooter(Unhex("0800"))}) == "-ERR Bad data format\r\n");
  CHECK(f.Run({"RESTORE", "k", "0", WithFooter(Unhex("0200"))}) == "-ERR Bad data format\r\n");
  CHECK(f.Cmd("EXISTS k") == ":0\r\n");
}

TEST_CASE("RESTORE IDLETIME sets the idle time under an LRU policy", "[dump]") {
  EngineFixture f;
  CHECK(f.Run({"RESTORE", "k", "0", kHello, "IDLETIME", "1000"}) == "+OK\r\n");
  CHECK(f.Cmd("OBJECT IDLETIME k") == ":1000\r\n");
}

TEST_CASE("RESTORE and DUMP round trip and count as a change", "[dump]") {
  EngineFixture f;
  f.Cmd("SET src " + std::string(100, 'z'));
  std::string dump = f.Cmd("DUMP src");
  std::string payload = dump.substr(dump.find("\r\n") + 2);
  payload.resize(payload.size() - 2);
  CHECK(static_cast<uint8_t>(payload[1]) == 0xC3);  // LZF, as Redis compresses it
  uint64_t dirty = f.engine.stats().dirty;
  CHECK(f.Run({"RESTORE", "dst", "0", payload}) == "+OK\r\n");
  CHECK(f.engine.stats().dirty == dirty + 1);
  CHECK(f.Cmd("GET dst") == Bulk(std::string(100, 'z')));
}

TEST_CASE("a failed background save refuses writes and PING with MISCONF", "[dump][misconf]") {
  EngineFixture f;
  f.hooks.deny_writes = true;
  const std::string misconf = std::string("-") + std::string(err::kMisconf) + "\r\n";
  CHECK(f.Cmd("SET k v") == misconf);
  CHECK(f.Cmd("PING") == misconf);
  CHECK(f.Cmd("GET k") == "$-1\r\n");
  f.Cmd("MULTI");
  CHECK(f.Cmd("SET k v") == misconf);
  CHECK(f.Cmd("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n");
  f.hooks.deny_writes = false;
  CHECK(f.Cmd("SET k v") == "+OK\r\n");
}

TEST_CASE("FLUSHALL tells the server, which saves when save points exist", "[dump]") {
  EngineFixture f;
  f.Cmd("FLUSHALL");
  CHECK(f.hooks.flushall_calls == 1);
}

TEST_CASE("SAVE and BGSAVE report the server's answer", "[dump]") {
  EngineFixture f;
  CHECK(f.Cmd("SAVE") == "-ERR\r\n");
  CHECK(f.Cmd("BGSAVE now") == "-ERR syntax error\r\n");
  CHECK(f.Cmd("BGSAVE schedule extra") == "-ERR syntax error\r\n");
}

}  // namespace
}  // namespace tessera::commands
