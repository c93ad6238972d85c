// redis.conf lexical rules: line splitting and quoting as Redis does them, and the number
// syntaxes of its config values (config_internal.h).
#include <cctype>
#include <charconv>
#include <cstdio>

#include "server/config_internal.h"

namespace tessera::server::config {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool EndsToken(std::string_view s, size_t i) {
  return i >= s.size() || std::isspace(static_cast<unsigned char>(s[i]));
}

// Reads a "..." body starting after the opening quote; returns the index after the closing
// quote, or npos when the quote is unbalanced or not followed by a space.
size_t ReadDoubleQuoted(std::string_view s, size_t i, std::string* out) {
  while (i < s.size()) {
    char c = s[i];
    if (c == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && HexValue(s[i + 2]) >= 0 &&
        HexValue(s[i + 3]) >= 0) {
      out->push_back(static_cast<char>(HexValue(s[i + 2]) * 16 + HexValue(s[i + 3])));
      i += 4;
    } else if (c == '\\' && i + 1 < s.size()) {
      switch (s[i + 1]) {
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'a':
          out->push_back('\a');
          break;
        default:
          out->push_back(s[i + 1]);
          break;
      }
      i += 2;
    } else if (c == '"') {
      return EndsToken(s, i + 1) ? i + 1 : std::string_view::npos;
    } else {
      out->push_back(c);
      ++i;
    }
  }
  return std::string_view::npos;
}

size_t ReadSingleQuoted(std::string_view s, size_t i, std::string* out) {
  while (i < s.size()) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\'') {
      out->push_back('\'');
      i += 2;
    } else if (s[i] == '\'') {
      return EndsToken(s, i + 1) ? i + 1 : std::string_view::npos;
    } else {
      out->push_back(s[i++]);
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::vector<std::string>> SplitArgs(std::string_view line) {
  std::vector<std::string> args;
  size_t i = 0;
  while (true) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i >= line.size()) return args;
    std::string arg;
    // A token ends at a space; a quote anywhere in it opens a quoted part, which (as in
    // Redis) must then end the token: `6379"x"` is unbalanced, not `6379x`.
    while (i < line.size()) {
      char c = line[i];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0') break;
      if (c == '"' || c == '\'') {
        i = c == '"' ? ReadDoubleQuoted(line, i + 1, &arg) : ReadSingleQuoted(line, i + 1, &arg);
        if (i == std::string_view::npos) return std::nullopt;
        break;
      }
      arg.push_back(c);
      ++i;
    }
    args.push_back(std::move(arg));
  }
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (std::isprint(static_cast<unsigned char>(c))) {
          out.push_back(c);
        } else {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        }
    }
  }
  out.push_back('"');
  return out;
}

std::optional<int64_t> ParseStrictInt(std::string_view s) {
  // Redis's string2ll: the canonical decimal form only, so "+5", "05", " 5" and "-0" fail.
  if (s.empty() || s.size() > 20) return std::nullopt;
  size_t digits = s[0] == '-' ? 1 : 0;
  if (digits == s.size()) return std::nullopt;
  if (s[digits] == '0' && s.size() != 1) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<uint64_t> ParseMemory(std::string_view s) {
  struct Unit {
    std::string_view suffix;
    uint64_t mul;
  };
  // Longest suffixes first so "kb" is not read as "b".
  static constexpr Unit kUnits[] = {{"kb", 1024}, {"mb", 1024 * 1024}, {"gb", 1ull << 30},
                                    {"k", 1000},  {"m", 1000 * 1000},  {"g", 1000 * 1000 * 1000},
                                    {"b", 1}};
  uint64_t mul = 1;
  for (const Unit& u : kUnits) {
    if (s.size() >= u.suffix.size() &&
        EqualsNoCase(s.substr(s.size() - u.suffix.size()), u.suffix)) {
      mul = u.mul;
      s.remove_suffix(u.suffix.size());
      break;
    }
  }
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  if (v != 0 && mul > UINT64_MAX / v) return std::nullopt;
  return v * mul;
}

std::string HumanBytes(uint64_t bytes) {
  if (bytes == 0) return "0";
  if (bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "gb";
  if (bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "mb";
  if (bytes % 1024 == 0) return std::to_string(bytes >> 10) + "kb";
  return std::to_string(bytes);
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace tessera::server::config
