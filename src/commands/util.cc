// Number parsing with Redis's exact acceptance rules.
#include "commands/util.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "tessera/keyspace/int_set.h"

namespace tessera::commands {

// Redis's string2ll and the intset's "is this member an integer" are the same rule.
std::optional<int64_t> ParseInt(std::string_view s) { return keyspace::ParseCanonicalInt(s); }

std::optional<long double> ParseLongDouble(std::string_view s) {
  if (s.empty() || s.size() > 5000) return std::nullopt;
  if (std::isspace(static_cast<unsigned char>(s.front())) ||
      std::isspace(static_cast<unsigned char>(s.back())))
    return std::nullopt;
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  long double v = std::strtold(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || std::isnan(v)) return std::nullopt;
  if (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || v == 0)) return std::nullopt;
  return v;
}

std::optional<double> ParseDouble(std::string_view s) {
  if (s.empty() || s.size() > 5000) return std::nullopt;
  if (std::isspace(static_cast<unsigned char>(s.front()))) return std::nullopt;
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || std::isnan(v)) return std::nullopt;
  if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0)) return std::nullopt;
  return v;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(a[i]) != absl::ascii_tolower(b[i])) return false;
  }
  return true;
}

}  // namespace tessera::commands
