// Shared pieces of the sorted set commands (zset_*.cc): lookups, range parsing as Redis 7.0's
// zslParseRange / zslParseLexRange, reply shapes, and storing a computed result.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tessera/commands/engine.h"
#include "tessera/keyspace/zset.h"

namespace tessera::commands::zset {

inline constexpr std::string_view kErrMinMaxFloat = "ERR min or max is not a float";
inline constexpr std::string_view kErrMinMaxLex = "ERR min or max not valid string range item";

const keyspace::ZSetLimits& Limits(Call& c);

// The sorted set at `key`, or nullptr when the key is missing or holds another type; in the
// latter case WRONGTYPE was replied and *wrongtype is set. ReadZSet counts keyspace hits and
// misses (lookupKeyRead); WriteZSet does not (lookupKeyWrite).
keyspace::ZSetValue* ReadZSet(Call& c, std::string_view key, bool* wrongtype);
keyspace::ZSetValue* WriteZSet(Call& c, std::string_view key, bool* wrongtype);
// Deletes `key` when its sorted set became empty (Redis never keeps empty collections).
void DeleteIfEmpty(Call& c, std::string_view key, const keyspace::ZSetValue& z);

struct ScoreRange {
  double min = 0, max = 0;
  bool minex = false, maxex = false;
};
// "(1" is exclusive; anything strtod takes up to the end of the string, except NaN. (Redis
// does not reject leading spaces or an empty bound here: "" is 0.)
std::optional<ScoreRange> ParseScoreRange(std::string_view min, std::string_view max);

struct LexBound {
  enum Kind { kMinusInf, kPlusInf, kValue } kind = kMinusInf;
  std::string value;
  bool exclusive = false;
};
struct LexRange {
  LexBound min, max;
};
// "-", "+", "[value" or "(value".
std::optional<LexRange> ParseLexRange(std::string_view min, std::string_view max);

// Positions [first, second) of the elements inside the range (empty when none).
std::pair<size_t, size_t> ScoreRanks(const keyspace::ZSetValue& z, const ScoreRange& r);
std::pair<size_t, size_t> LexRanks(const keyspace::ZSetValue& z, const LexRange& r);

// Redis's rank sanitising (ZRANGE, ZREMRANGEBYRANK): negative indexes count from the end;
// returns [first, second) or nullopt when empty.
std::optional<std::pair<size_t, size_t>> RankRange(int64_t start, int64_t end, size_t size);

// An array of `n` elements, flat (member, score, ...) in RESP2 and [member, score] pairs in
// RESP3 when `withscores`.
void ReplyElementsHeader(Call& c, size_t n, bool withscores);
void ReplyElement(Call& c, std::string_view member, double score, bool withscores);

using Entries = std::vector<std::pair<std::string, double>>;
// Replaces `dst` with a sorted set of `entries` (unique members), or deletes it when there are
// none, and replies with the new size. The encoding follows the limits for the final size, as
// Redis's zsetConvertToListpackIfNeeded does.
void StoreEntries(Call& c, std::string_view dst, const Entries& entries);

enum class PopShape {
  kFlat,       // ZPOPMIN/ZPOPMAX in RESP2, or without COUNT: member, score, ...
  kNested,     // ZPOPMIN/ZPOPMAX with COUNT in RESP3: [member, score], ...
  kKeyFlat,    // BZPOPMIN/BZPOPMAX: key, member, score
  kKeyNested,  // ZMPOP/BZMPOP: [key, [[member, score], ...]]
};
// Pops up to `count` elements from the first existing key of `keys` (checked in order; a key of
// another type fails the command with WRONGTYPE). With no key, replies an empty array (kFlat,
// kNested) or a null array.
void PopGeneric(Call& c, const std::vector<std::string>& keys, bool max, int64_t count,
                PopShape shape);

// ZMPOP/BZMPOP arguments from numkeys at argv[numkeys_at]; replies the error and returns false
// when invalid.
struct ZMPopArgs {
  std::vector<std::string> keys;
  bool max = false;
  int64_t count = 1;
};
bool ParseZMPopArgs(Call& c, size_t numkeys_at, ZMPopArgs* out);

// Registration of the other zset_*.cc files (RegisterZSetCommands calls them).
void RegisterRangeCommands(CommandTable& t);
void RegisterPopCommands(CommandTable& t);
void RegisterSetOpCommands(CommandTable& t);
void RegisterBlockingCommands(CommandTable& t);

}  // namespace tessera::commands::zset
