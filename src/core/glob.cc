// Redis-style glob matching without recursion (include/tessera/core/glob.h).
#include "tessera/core/glob.h"

#include <cctype>
#include <cstddef>
#include <utility>

namespace tessera::core {
namespace {

unsigned char Fold(unsigned char c, bool nocase) {
  return nocase ? static_cast<unsigned char>(std::tolower(c)) : c;
}

// Matches one byte against the single-byte token at pattern[p] (a literal, ?, \x or a [class]).
// Sets `next` to the index just past the token.
bool MatchToken(std::string_view pattern, size_t p, unsigned char c, bool nocase, size_t* next) {
  const size_t n = pattern.size();
  const unsigned char ch = Fold(c, nocase);
  if (pattern[p] == '?') {
    *next = p + 1;
    return true;
  }
  if (pattern[p] == '\\') {
    // A trailing lone backslash is a literal backslash, as in Redis.
    if (p + 1 < n) ++p;
    *next = p + 1;
    return Fold(static_cast<unsigned char>(pattern[p]), nocase) == ch;
  }
  if (pattern[p] != '[') {
    *next = p + 1;
    return Fold(static_cast<unsigned char>(pattern[p]), nocase) == ch;
  }
  ++p;
  const bool negate = p < n && pattern[p] == '^';
  if (negate) ++p;
  bool hit = false;
  // Redis ends an unterminated class at the end of the pattern rather than failing.
  while (p < n && pattern[p] != ']') {
    if (pattern[p] == '\\' && p + 1 < n) {
      ++p;
      if (Fold(static_cast<unsigned char>(pattern[p]), nocase) == ch) hit = true;
      ++p;
    } else if (p + 2 < n && pattern[p + 1] == '-') {
      unsigned char lo = Fold(static_cast<unsigned char>(pattern[p]), nocase);
      unsigned char hi = Fold(static_cast<unsigned char>(pattern[p + 2]), nocase);
      if (lo > hi) std::swap(lo, hi);
      if (ch >= lo && ch <= hi) hit = true;
      p += 3;
    } else {
      if (Fold(static_cast<unsigned char>(pattern[p]), nocase) == ch) hit = true;
      ++p;
    }
  }
  *next = p < n ? p + 1 : p;
  return negate ? !hit : hit;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view str, bool nocase) {
  // Redis's matcher never enters its loop for an empty string, so "" matches only "".
  if (str.empty()) return pattern.empty();
  size_t p = 0;
  size_t s = 0;
  // Where to resume after the most recent '*': every token but '*' consumes exactly one byte,
  // so retrying only from the latest star is enough (earlier stars can absorb nothing more
  // useful), which keeps the match iterative and bounded.
  size_t star_p = std::string_view::npos;
  size_t star_s = 0;
  while (s < str.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      if (p == pattern.size()) return true;
      star_p = p;
      star_s = s;
      continue;
    }
    size_t next = 0;
    if (p < pattern.size() &&
        MatchToken(pattern, p, static_cast<unsigned char>(str[s]), nocase, &next)) {
      p = next;
      ++s;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    s = ++star_s;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool HasGlobChars(std::string_view pattern) {
  return pattern.find_first_of("*?[\\") != std::string_view::npos;
}

}  // namespace tessera::core
