// Helpers shared by the collection command families (see collection_util.h).
#include "commands/collection_util.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/errors.h"
#include "tessera/core/glob.h"
#include "tessera/keyspace/int_set.h"

namespace tessera::commands {

std::optional<keyspace::Object*> FindTyped(Call& c, std::string_view key, keyspace::ObjType t) {
  keyspace::Object* o = c.db().Find(key, c.now_ms());
  if (o != nullptr && o->type() != t) {
    c.WrongType();
    return std::nullopt;
  }
  return o;
}

bool GetLong(Call& c, std::string_view s, int64_t* out, std::string_view msg) {
  auto v = keyspace::ParseCanonicalInt(s);
  if (!v) {
    c.Error(msg.empty() ? err::kNotInteger : fmt::format("ERR {}", msg));
    return false;
  }
  *out = *v;
  return true;
}

bool GetRangeLong(Call& c, std::string_view s, int64_t min, int64_t max, int64_t* out,
                  std::string_view msg) {
  if (!GetLong(c, s, out, msg)) return false;
  if (*out < min || *out > max) {
    if (msg.empty()) {
      c.Error(fmt::format("ERR value is out of range, value must between {} and {}", min, max));
    } else {
      c.Error(fmt::format("ERR {}", msg));
    }
    return false;
  }
  return true;
}

bool GetPositiveLong(Call& c, std::string_view s, int64_t* out, std::string_view msg) {
  return GetRangeLong(c, s, 0, INT64_MAX, out,
                      msg.empty() ? "value is out of range, must be positive" : msg);
}

bool ParseScanCursor(Call& c, std::string_view s, uint64_t* cursor) {
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(buf.c_str(), &end, 10);
  if (buf.empty() || std::isspace(static_cast<unsigned char>(buf[0])) || *end != '\0' ||
      errno == ERANGE) {
    c.Error("ERR invalid cursor");
    return false;
  }
  *cursor = v;
  return true;
}

bool ParseScanOptions(Call& c, size_t first, ScanOptions* out) {
  for (size_t i = first; i < c.argc(); i += 2) {
    if (i + 1 >= c.argc()) {
      c.SyntaxError();
      return false;
    }
    if (EqualsIgnoreCase(c.arg(i), "count")) {
      int64_t n = 0;
      if (!GetLong(c, c.arg(i + 1), &n)) return false;
      if (n < 1) {
        c.SyntaxError();
        return false;
      }
      out->count = static_cast<size_t>(n);
    } else if (EqualsIgnoreCase(c.arg(i), "match")) {
      out->pattern = c.arg(i + 1);
      // "*" matches everything: Redis skips the matching then.
      out->use_pattern = out->pattern != "*";
    } else {
      c.SyntaxError();
      return false;
    }
  }
  return true;
}

bool ScanMatches(const ScanOptions& opts, std::string_view s) {
  return !opts.use_pattern || core::GlobMatch(opts.pattern, s);
}

void ReplyScan(Call& c, uint64_t cursor, const std::vector<std::string_view>& items) {
  c.w.ArrayHeader(2);
  c.w.Bulk(std::to_string(cursor));
  c.w.ArrayHeader(static_cast<int64_t>(items.size()));
  for (std::string_view s : items) c.w.Bulk(s);
}

std::vector<size_t> SampleDistinct(core::Rng& rng, size_t n, size_t k) {
  std::vector<size_t> out;
  out.reserve(k);
  absl::flat_hash_set<size_t> chosen;
  chosen.reserve(k);
  for (size_t j = n - k; j < n; ++j) {
    size_t t = rng.Uniform(j + 1);
    size_t pick = chosen.insert(t).second ? t : j;
    if (pick == j) chosen.insert(j);
    out.push_back(pick);
  }
  // Floyd's method draws a uniform set but not a uniform order.
  for (size_t i = out.size(); i > 1; --i) std::swap(out[i - 1], out[rng.Uniform(i)]);
  return out;
}

}  // namespace tessera::commands
