// Private pieces of the config (config.h): the directive table, value parsers, and the
// redis.conf line splitter and quoter shared by loading and CONFIG REWRITE.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "server/config.h"

namespace tessera::server::config {

enum class Kind { kBool, kInt, kMemory, kEnum, kString, kOctal, kSpecial };

// Directive flags.
inline constexpr uint32_t kImmutable = 1 << 0;      // CONFIG SET refuses it
inline constexpr uint32_t kProtected = 1 << 1;      // CONFIG SET needs enable-protected-configs
inline constexpr uint32_t kMultiArg = 1 << 2;       // takes any number of arguments
inline constexpr uint32_t kAlwaysRewrite = 1 << 3;  // CONFIG REWRITE writes it even at default

// One CONFIG REWRITE line for a directive: its text and whether it must be written even
// where the file does not mention the directive (the value differs from the default).
struct RewriteLine {
  std::string text;
  bool force = false;
};

struct Directive;

// A directive with its own syntax (save, bind, client-output-buffer-limit, ...).
struct Special {
  // Returns the canonical value for `args`; `current` is the value now and `accumulate` is
  // true when the directive already appeared earlier in the same load (save adds points).
  absl::StatusOr<std::string> (*parse)(const Directive& d, const std::vector<std::string>& args,
                                       std::string_view current, bool accumulate);
  // CONFIG REWRITE lines; null means one line "name value" forced when not the default.
  std::vector<RewriteLine> (*rewrite)(const Directive& d, std::string_view value) = nullptr;
};

struct Directive {
  std::string_view name;
  std::string_view alias;  // older name Redis still accepts (slave-*, *-ziplist-*), or empty
  Kind kind;
  Support support;
  uint32_t flags;
  std::string_view default_value;  // canonical, as CONFIG GET prints it
  int64_t min = 0;                 // kInt, kMemory, kOctal bounds
  uint64_t max = 0;
  std::span<const std::string_view> choices = {};  // kEnum
  const Special* special = nullptr;                // kSpecial
};

std::span<const Directive> Table();
// Finds a directive by primary name or alias, case-insensitively; sets *index.
const Directive* Find(std::string_view name, size_t* index = nullptr);
// Directives Redis 7.0 still reads but ignores (list-max-ziplist-entries, ...).
bool IsDeprecated(std::string_view name);

// Parses `args` into the canonical value, or fails with Redis's reason text
// ("argument must be 'yes' or 'no'", ...). Arity is checked by the caller.
absl::StatusOr<std::string> ParseValue(const Directive& d, const std::vector<std::string>& args,
                                       std::string_view current, bool accumulate);
// "argument(s) must be one of the following: a, b, c" for an enum directive.
std::string EnumError(const Directive& d);
// CONFIG REWRITE lines for a directive holding `value`.
std::vector<RewriteLine> RewriteLines(const Directive& d, std::string_view value);

// Redis's number syntaxes: strict decimal (no '+', spaces or leading zeros), and memory
// values with b/k/kb/m/mb/g/gb suffixes (k = 1000, kb = 1024).
std::optional<int64_t> ParseStrictInt(std::string_view s);
std::optional<uint64_t> ParseMemory(std::string_view s);
// Bytes in the largest exact unit, as CONFIG REWRITE writes them: 1gb, 1536mb, 2kb, 100.
std::string HumanBytes(uint64_t bytes);
bool EqualsNoCase(std::string_view a, std::string_view b);
std::string Lower(std::string_view s);

// Splits a config line like sdssplitargs: spaces separate, "..." takes \n \r \t \b \a \\ \"
// and \xHH escapes, '...' takes \' only; a closing quote must be followed by a space or the
// end. nullopt on unbalanced quotes.
std::optional<std::vector<std::string>> SplitArgs(std::string_view line);
// Quotes like sdscatrepr: "..." with escapes for quotes, backslashes and non-printables.
std::string Quote(std::string_view s);

}  // namespace tessera::server::config
