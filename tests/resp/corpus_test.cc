// Golden fixtures from tests/data/resp (see its README for where each came from).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "resp/feed.h"

using namespace tessera::resp;
using namespace tessera::resp::testing;

namespace {

std::filesystem::path DataDir() {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "data" / "resp";
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("the fixture requests parse as redis-server 7.0.15 parsed them", "[resp]") {
  // The replies redis-server gave (README) say which commands ran.
  const std::map<std::string, std::vector<Argv>> ok = {
      {"ok_redis_cli_set.bin", {{"SET", "foo", "bar"}}},
      {"ok_redis_cli_mset_binary.bin", {{"MSET", "a key", "multi\nline", "k2", "bin\x01\x02"}}},
      {"ok_redis_cli_hset.bin", {{"HSET", "h", "f1", "v1", "f2", "v2"}}},
      {"ok_redis_benchmark_config.bin",
       {{"CONFIG", "GET", "save"}, {"CONFIG", "GET", "appendonly"}}},
      {"ok_redis_benchmark_pipeline.bin",
       std::vector<Argv>(3, Argv{"SET", "key:__rand_int__", "VXK"})},
      {"ok_inline_quoted.bin", {{"SET", "aA b\n", "it's"}}},
      {"ok_empty_requests.bin", {{}, {}, {}, {}, {"PING"}}},
      {"ok_lax_terminators.bin", {{"PING"}, {"PING"}}},
  };
  const std::map<std::string, std::string> err = {
      {"err_invalid_multibulk.bin", std::string(kErrInvalidMultibulk)},
      {"err_invalid_bulk.bin", std::string(kErrInvalidBulk)},
      {"err_bulk_overflow.bin", std::string(kErrInvalidBulk)},
      {"err_expected_dollar.bin", "Protocol error: expected '$', got ':'"},
      {"err_unbalanced_quotes.bin", std::string(kErrUnbalancedQuotes)},
      {"err_too_big_inline.bin", std::string(kErrTooBigInline)},
  };
  size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DataDir())) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".bin") continue;
    INFO("fixture " << name);
    ++seen;
    const std::string bytes = ReadFile(entry.path());
    const FeedResult r = FeedAll(bytes);
    if (auto it = ok.find(name); it != ok.end()) {
      CHECK_FALSE(r.errored);
      CHECK(r.commands == it->second);
      CHECK(r.leftover == 0);
      CHECK(FeedBytewise(bytes) == r);
    } else if (auto e = err.find(name); e != err.end()) {
      CHECK(r.error == e->second);
    } else {
      FAIL("fixture without an expectation");
    }
  }
  CHECK(seen == ok.size() + err.size());
}
