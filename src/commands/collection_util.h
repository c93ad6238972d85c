// Helpers shared by the hash, set and list command families: typed lookups, Redis's numeric
// argument checks with their exact error texts, SCAN-family options and random sampling.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "tessera/commands/engine.h"
#include "tessera/core/rng.h"
#include "tessera/keyspace/encoding_limits.h"
#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/object.h"
#include "tessera/keyspace/set.h"
#include "tessera/keyspace/zset.h"

namespace tessera::commands {

// The live value at key if it has type t, nullptr when the key is missing, nullopt when it has
// another type (WRONGTYPE was replied).
std::optional<keyspace::Object*> FindTyped(Call& c, std::string_view key, keyspace::ObjType t);

// Stores a new empty collection at key (which must be missing) and returns it.
template <class V>
V& CreateValue(Call& c, std::string_view key) {
  keyspace::Object& o = c.db().Set(key, keyspace::Object(std::make_unique<V>()));
  return o.As<V>();
}

inline const keyspace::EncodingLimits& Limits(Call& c) {
  return c.engine.options().encoding_limits;
}

// Redis's getLongFromObjectOrReply: string2ll rules; replies `msg` (or the generic "not an
// integer" text) and returns false on failure.
bool GetLong(Call& c, std::string_view s, int64_t* out, std::string_view msg = {});
// getRangeLongFromObjectOrReply: also requires min <= v <= max; out of range replies `msg`, or
// "value is out of range, value must between <min> and <max>" when msg is empty.
bool GetRangeLong(Call& c, std::string_view s, int64_t min, int64_t max, int64_t* out,
                  std::string_view msg = {});
// getPositiveLongFromObjectOrReply: 0 <= v, with "value is out of range, must be positive" (or
// `msg`) for both a non-integer and a negative value.
bool GetPositiveLong(Call& c, std::string_view s, int64_t* out, std::string_view msg = {});

// [MATCH pattern] [COUNT count] of HSCAN/SSCAN.
struct ScanOptions {
  std::string_view pattern;
  bool use_pattern = false;
  size_t count = 10;
};
// Redis's parseScanCursorOrReply: strtoul rules (so "-1" is accepted), "ERR invalid cursor".
bool ParseScanCursor(Call& c, std::string_view s, uint64_t* cursor);
bool ParseScanOptions(Call& c, size_t first, ScanOptions* out);
bool ScanMatches(const ScanOptions& opts, std::string_view s);
// The SCAN reply: [cursor, [items...]].
void ReplyScan(Call& c, uint64_t cursor, const std::vector<std::string_view>& items);

// k distinct indexes in [0, n) drawn uniformly (Floyd's method), k <= n; in random order.
std::vector<size_t> SampleDistinct(core::Rng& rng, size_t n, size_t k);

}  // namespace tessera::commands
