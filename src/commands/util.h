// Small parsing helpers shared by command handlers (Redis's string2ll / strtod rules).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tessera::commands {

// Redis's string2ll: optional '-', digits, no leading zeros (except "0"), no spaces, no '+'.
std::optional<int64_t> ParseInt(std::string_view s);
// Redis's strtold-based float parsing for INCRBYFLOAT / scores: no spaces, no "nan".
std::optional<long double> ParseLongDouble(std::string_view s);
std::optional<double> ParseDouble(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace tessera::commands
