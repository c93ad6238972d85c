// GlobMatch against Redis 7.0.15's stringmatchlen: the cases below were checked with KEYS on a
// live redis-server (plus 9000 random patterns over [ab\[]^-*?c], all agreeing except KEYS's
// own "*" shortcut for the empty key).
#include "tessera/core/glob.h"

#include <catch2/catch.hpp>
#include <string>

using tessera::core::GlobMatch;
using tessera::core::HasGlobChars;

TEST_CASE("glob literals, star and question mark match like Redis", "[core][glob]") {
  CHECK(GlobMatch("hello", "hello"));
  CHECK_FALSE(GlobMatch("hello", "hell"));
  CHECK(GlobMatch("h?llo", "hallo"));
  CHECK_FALSE(GlobMatch("h?llo", "hllo"));
  CHECK(GlobMatch("h*llo", "hllo"));
  CHECK(GlobMatch("h*llo", "heeeello"));
  CHECK(GlobMatch("*", "anything"));
  CHECK(GlobMatch("**a**", "bab"));
  CHECK(GlobMatch("a*", "a"));
  CHECK(GlobMatch("*a*b*c", "xxaybzc"));
  CHECK_FALSE(GlobMatch("*a*b*c", "xxaybzcd"));
  CHECK(GlobMatch("", ""));
  CHECK_FALSE(GlobMatch("", "a"));
}

TEST_CASE("the empty string matches only the empty pattern, as in Redis", "[core][glob]") {
  CHECK_FALSE(GlobMatch("*", ""));
  CHECK_FALSE(GlobMatch("**", ""));
  CHECK_FALSE(GlobMatch("?", ""));
}

TEST_CASE("glob classes take ranges, negation and escapes", "[core][glob]") {
  CHECK(GlobMatch("h[ae]llo", "hello"));
  CHECK_FALSE(GlobMatch("h[ae]llo", "hillo"));
  CHECK(GlobMatch("h[^e]llo", "hallo"));
  CHECK_FALSE(GlobMatch("h[^e]llo", "hello"));
  CHECK(GlobMatch("h[a-b]llo", "hbllo"));
  CHECK(GlobMatch("h[b-a]llo", "hallo"));  // reversed ranges are swapped
  CHECK_FALSE(GlobMatch("h[a-b]llo", "hcllo"));
  CHECK(GlobMatch("[\\]]", "]"));
  CHECK(GlobMatch("[a\\-c]", "-"));
  CHECK_FALSE(GlobMatch("[a\\-c]", "b"));
  // "a-]" with 3 bytes left is the range ']'..'a' (swapped), and the class is unterminated.
  CHECK(GlobMatch("[a-]", "]"));
  CHECK(GlobMatch("[a-]", "_"));
  CHECK_FALSE(GlobMatch("[a-]", "-"));
  CHECK_FALSE(GlobMatch("[]a", "a"));  // an empty class matches nothing
  CHECK(GlobMatch("[^]a", "ba"));      // and its negation anything
  CHECK(GlobMatch("[abc", "b"));       // unterminated: the class ends with the pattern
  CHECK_FALSE(GlobMatch("[abc", "bx"));
  CHECK(GlobMatch("[^", "x"));
}

TEST_CASE("glob backslash escapes metacharacters", "[core][glob]") {
  CHECK(GlobMatch("\\*", "*"));
  CHECK_FALSE(GlobMatch("\\*", "a"));
  CHECK(GlobMatch("a\\?", "a?"));
  CHECK(GlobMatch("\\[a]", "[a]"));
  CHECK(GlobMatch("a\\", "a\\"));  // a trailing lone backslash is literal
  CHECK_FALSE(GlobMatch("a\\", "a"));
}

TEST_CASE("glob nocase folds ASCII letters, also in ranges", "[core][glob]") {
  CHECK(GlobMatch("MAX*", "maxmemory", true));
  CHECK_FALSE(GlobMatch("MAX*", "maxmemory"));
  CHECK(GlobMatch("[A-C]x", "bX", true));
  CHECK(GlobMatch("[^a]", "B", true));
  CHECK_FALSE(GlobMatch("[^a]", "A", true));
}

TEST_CASE("pathological patterns finish without deep recursion", "[core][glob]") {
  // Redis's CVE-2022-36021: many stars against a long non-matching string.
  std::string pattern;
  for (int i = 0; i < 2000; ++i) pattern += "a*";
  pattern += "b";
  std::string str(20000, 'a');
  CHECK_FALSE(GlobMatch(pattern, str));
  std::string stars(1'000'000, '*');
  CHECK(GlobMatch(stars, "x"));
  std::string classes;
  for (int i = 0; i < 100000; ++i) classes += "[a]";
  CHECK(GlobMatch(classes, std::string(100000, 'a')));
}

TEST_CASE("HasGlobChars spots metacharacters", "[core][glob]") {
  CHECK_FALSE(HasGlobChars("maxmemory"));
  CHECK(HasGlobChars("max*"));
  CHECK(HasGlobChars("a?"));
  CHECK(HasGlobChars("[a]"));
  CHECK(HasGlobChars("a\\b"));
}
