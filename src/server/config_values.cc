// Scalar config values (yes/no, integers, memory sizes, enums, strings, octal) with Redis 7.0's
// error texts, and the generic CONFIG REWRITE line (config_internal.h).
#include <fmt/format.h>

#include "server/config_internal.h"

namespace tessera::server::config {
namespace {

absl::Status Reason(std::string_view text) { return absl::InvalidArgumentError(std::string(text)); }

absl::Status RangeError(const Directive& d) {
  return Reason(fmt::format("argument must be between {} and {} inclusive", d.min, d.max));
}

bool InRange(const Directive& d, int64_t v) {
  return v >= d.min && (v < 0 || static_cast<uint64_t>(v) <= d.max);
}

absl::StatusOr<std::string> ParseBool(std::string_view s) {
  if (EqualsNoCase(s, "yes")) return std::string("yes");
  if (EqualsNoCase(s, "no")) return std::string("no");
  return Reason("argument must be 'yes' or 'no'");
}

absl::StatusOr<std::string> ParseInt(const Directive& d, std::string_view s) {
  std::optional<int64_t> v = ParseStrictInt(s);
  if (!v) return Reason("argument couldn't be parsed into an integer");
  if (!InRange(d, *v)) return RangeError(d);
  return std::to_string(*v);
}

absl::StatusOr<std::string> ParseMemoryValue(const Directive& d, std::string_view s) {
  std::optional<uint64_t> v = ParseMemory(s);
  if (!v) return Reason("argument must be a memory value");
  if (*v < static_cast<uint64_t>(d.min) || *v > d.max) return RangeError(d);
  return std::to_string(*v);
}

absl::StatusOr<std::string> ParseOctal(const Directive& d, std::string_view s) {
  uint64_t v = 0;
  if (s.empty() || s.size() > 11) return Reason("argument couldn't be parsed as an octal number");
  for (char c : s) {
    if (c < '0' || c > '7') return Reason("argument couldn't be parsed as an octal number");
    v = v * 8 + static_cast<uint64_t>(c - '0');
  }
  if (v > d.max) {
    return Reason(fmt::format("argument must be between {:o} and {:o} inclusive", d.min, d.max));
  }
  return fmt::format("{:o}", v);
}

}  // namespace

std::string EnumError(const Directive& d) {
  std::string list;
  for (std::string_view c : d.choices) {
    if (!list.empty()) list += ", ";
    list += c;
  }
  return "argument(s) must be one of the following: " + list;
}

absl::StatusOr<std::string> ParseValue(const Directive& d, const std::vector<std::string>& args,
                                       std::string_view current, bool accumulate) {
  if (d.kind == Kind::kSpecial) return d.special->parse(d, args, current, accumulate);
  const std::string& s = args.at(0);
  switch (d.kind) {
    case Kind::kBool:
      return ParseBool(s);
    case Kind::kInt:
      return ParseInt(d, s);
    case Kind::kMemory:
      return ParseMemoryValue(d, s);
    case Kind::kOctal:
      return ParseOctal(d, s);
    case Kind::kEnum:
      for (std::string_view c : d.choices) {
        if (EqualsNoCase(c, s)) return std::string(c);
      }
      return Reason(EnumError(d));
    case Kind::kString:
    case Kind::kSpecial:
      break;
  }
  return s;
}

std::vector<RewriteLine> RewriteLines(const Directive& d, std::string_view value) {
  const bool force = value != d.default_value || (d.flags & kAlwaysRewrite);
  if (d.kind == Kind::kSpecial && d.special->rewrite) return d.special->rewrite(d, value);
  std::string text(d.name);
  text += ' ';
  switch (d.kind) {
    case Kind::kString:
      text += Quote(value);
      break;
    case Kind::kMemory:
      text += HumanBytes(ParseMemory(value).value_or(0));
      break;
    default:
      text += value;
  }
  return {RewriteLine{text, force}};
}

}  // namespace tessera::server::config
