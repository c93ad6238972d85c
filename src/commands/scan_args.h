// Arguments shared by SCAN, HSCAN, SSCAN and ZSCAN: the cursor and MATCH / COUNT / TYPE, with
// Redis 7.0's acceptance rules and error texts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::commands {

class Call;

// Redis parses the cursor with strtoul: an optional sign (a negative value wraps), decimal
// digits, nothing else, no leading space, at most 2^64-1. "" is cursor 0. nullopt when invalid
// ("ERR invalid cursor").
std::optional<uint64_t> ParseScanCursor(std::string_view s);

struct ScanOptions {
  std::string_view pattern;  // empty: no MATCH, or MATCH "*" (which matches everything)
  bool use_pattern = false;
  size_t count = 10;
  std::optional<std::string_view> type;  // SCAN only
};

// Parses argv[first..] into *out. On a bad option replies the Redis error and returns false.
// `allow_type` is true for SCAN (the other SCANs treat TYPE as a syntax error).
bool ParseScanOptions(Call& c, size_t first, bool allow_type, ScanOptions* out);

}  // namespace tessera::commands
