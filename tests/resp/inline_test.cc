// Inline requests: Redis's quoting rules. The table was produced by sending
// `EVAL "return ARGV" 0 <line>` to redis-server 7.0.15 and recording the reply.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "resp/feed.h"

using namespace tessera::resp;
using namespace tessera::resp::testing;

namespace {

std::string S(const char* p, size_t n) { return std::string(p, n); }

struct InlineCase {
  std::string line;
  Argv args;
  bool unbalanced;
};

}  // namespace

TEST_CASE("inline lines split like redis-server 7.0.15 splits them", "[resp]") {
  const std::vector<InlineCase> cases = {
      {"a b  c", {S("a", 1), S("b", 1), S("c", 1)}, false},
      {"\"a b\" c", {S("a b", 3), S("c", 1)}, false},
      {"'a b' c", {S("a b", 3), S("c", 1)}, false},
      {"\"a\\x41b\"", {S("aAb", 3)}, false},
      {"\"\\x4\"", {S("x4", 2)}, false},
      {"\"\\x4g\"", {S("x4g", 3)}, false},
      {"\"\\xzz\"", {S("xzz", 3)}, false},
      {"\"\\n\\r\\t\\b\\a\\z\\\\\\\"\"",
       {S("\x0a"
          "\x0d"
          "\x09"
          "\x08"
          "\x07"
          "z\\\"",
          8)},
       false},
      {"'it\\'s'", {S("it's", 4)}, false},
      {"'a\\nb'", {S("a\\nb", 4)}, false},
      {"'\\\\'", {}, true},
      {"a\"b c\"", {S("ab c", 4)}, false},
      {"a'b c'", {S("ab c", 4)}, false},
      {"\"a\"b", {}, true},
      {"'a'b", {}, true},
      {"\"a\" b", {S("a", 1), S("b", 1)}, false},
      {"\"a\"\x09"
       "b",
       {S("a", 1), S("b", 1)},
       false},
      {"\"a\"\x0b"
       "b",
       {S("a", 1), S("b", 1)},
       false},
      {"\"unterminated", {}, true},
      {"'unterminated", {}, true},
      {"\"\"", {S("", 0)}, false},
      {"''", {S("", 0)}, false},
      {"\"\" \"\"", {S("", 0), S("", 0)}, false},
      {"a\x0b"
       "b",
       {S("a\x0b"
          "b",
          3)},
       false},
      {"\x0b"
       "\x0c"
       "a",
       {S("a", 1)},
       false},
      {"a\x0c"
       "",
       {S("a\x0c"
          "",
          2)},
       false},
      {"\"a\\\"", {}, true},
      {"\"\\\"", {}, true},
      {"\"a\\", {}, true},
      {"\xff"
       "\xfe"
       " \"\xc3"
       "\xa9"
       "\"",
       {S("\xff"
          "\xfe"
          "",
          2),
        S("\xc3"
          "\xa9"
          "",
          2)},
       false},
      {"\"\\x41\\x42\"x", {}, true},
      {"a\"", {}, true},
      {"a'", {}, true},
      {"x\"y\"z", {}, true},
      {"\"abc\"  ", {S("abc", 3)}, false},
      {"\"\\X41\"", {S("X41", 3)}, false},
      {"\"\\x61\"", {S("a", 1)}, false},
      {"\"\\xFF\"",
       {S("\xff"
          "",
          1)},
       false},
      {"a\x0d"
       "b",
       {S("a", 1), S("b", 1)},
       false},
      {"\"a\x0d"
       "b\"",
       {S("a\x0d"
          "b",
          3)},
       false},
      {"'a\x0d"
       "b'",
       {S("a\x0d"
          "b",
          3)},
       false},
  };
  for (const InlineCase& c : cases) {
    INFO("line [" << c.line << "]");
    for (const char* end : {"\r\n", "\n"}) {
      FeedResult r = FeedAll(c.line + end);
      if (c.unbalanced) {
        CHECK(r.errored);
        CHECK(r.error == kErrUnbalancedQuotes);
      } else {
        REQUIRE(r.commands.size() == 1);
        CHECK(r.commands[0] == c.args);
      }
    }
  }
}

TEST_CASE("an inline request waits for its LF", "[resp]") {
  Parser p;
  std::vector<std::string> argv;
  size_t consumed = 0;
  CHECK(p.Parse("GET \"a b\"", &consumed, &argv) == ParseStatus::kNeedMore);
  CHECK(consumed == 0);
  CHECK_FALSE(p.InMiddleOfRequest());
  CHECK(p.Parse("GET \"a b\"\r", &consumed, &argv) == ParseStatus::kNeedMore);
  CHECK(p.Parse("GET \"a b\"\r\nX", &consumed, &argv) == ParseStatus::kCommand);
  CHECK(consumed == 11);
  CHECK(argv == Argv{"GET", "a b"});
}
