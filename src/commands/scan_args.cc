// SCAN-family argument parsing (see scan_args.h).
#include "commands/scan_args.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "commands/util.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {

std::optional<uint64_t> ParseScanCursor(std::string_view s) {
  if (!s.empty() && std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  // strtoull itself, on a NUL-terminated copy, so every corner (signs, wrap-around, ERANGE,
  // stopping at an embedded NUL) is the one Redis inherits from libc.
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(buf.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return std::nullopt;
  return static_cast<uint64_t>(v);
}

bool ParseScanOptions(Call& c, size_t first, bool allow_type, ScanOptions* out) {
  for (size_t i = first; i < c.argc(); i += 2) {
    const std::string& opt = c.arg(i);
    bool has_value = i + 1 < c.argc();
    if (has_value && EqualsIgnoreCase(opt, "count")) {
      std::optional<int64_t> n = ParseInt(c.arg(i + 1));
      if (!n) {
        c.Error(err::kNotInteger);
        return false;
      }
      if (*n < 1) {
        c.SyntaxError();
        return false;
      }
      out->count = static_cast<size_t>(*n);
    } else if (has_value && EqualsIgnoreCase(opt, "match")) {
      out->pattern = c.arg(i + 1);
      out->use_pattern = out->pattern != "*";
    } else if (has_value && allow_type && EqualsIgnoreCase(opt, "type")) {
      out->type = c.arg(i + 1);
    } else {
      c.SyntaxError();
      return false;
    }
  }
  return true;
}

}  // namespace tessera::commands
