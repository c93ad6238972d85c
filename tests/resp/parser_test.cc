// Parser behaviour on valid and malformed requests. Every expectation on malformed input was
// observed on redis-server 7.0.15 by sending the same bytes over a socket.
#include "tessera/resp/parser.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "resp/feed.h"

using namespace tessera::resp;
using namespace tessera::resp::testing;
using namespace std::string_literals;

namespace {

// The error a request gets, or "" when it gets none.
std::string ErrorOf(std::string_view input, ParserLimits limits = {}) {
  FeedResult r = FeedAll(input, limits);
  return r.errored ? r.error : "";
}

ParserLimits Unauth() {
  ParserLimits l;
  l.unauthenticated = true;
  return l;
}

}  // namespace

TEST_CASE("a multibulk request yields its arguments and the bytes it took", "[resp]") {
  Parser p;
  std::vector<std::string> argv;
  size_t consumed = 0;
  const std::string req = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n";
  REQUIRE(p.Parse(req + "*1", &consumed, &argv) == ParseStatus::kCommand);
  CHECK(consumed == req.size());
  CHECK(argv == Argv{"SET", "k", "value"});
  CHECK_FALSE(p.InMiddleOfRequest());
}

TEST_CASE("bulks are binary safe", "[resp]") {
  const std::string req = "*2\r\n$4\r\na\0\r\n\r\n$0\r\n\r\n"s;
  FeedResult r = FeedAll(req);
  REQUIRE(r.commands.size() == 1);
  CHECK(r.commands[0] == Argv{"a\0\r\n"s, ""});
  CHECK(r.leftover == 0);
}

TEST_CASE("pipelined requests in one buffer come out one by one", "[resp]") {
  const std::string in =
      "*1\r\n$4\r\nPING\r\nECHO "
      "hi\r\n\r\n*0\r\n*-1\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nQUIT\n*1\r\n$3\r\nfo";
  FeedResult r = FeedAll(in);
  CHECK_FALSE(r.errored);
  CHECK(r.commands ==
        std::vector<Argv>{{"PING"}, {"ECHO", "hi"}, {}, {}, {}, {"GET", "k"}, {"QUIT"}});
  CHECK(r.in_middle);
  CHECK(r.leftover == 0);  // the partial "fo" was taken into the parser
}

TEST_CASE("empty requests yield an empty argv", "[resp]") {
  for (std::string in : {"*0\r\n", "*-1\r\n", "*-5\r\n", "*-9223372036854775808\r\n", "\r\n", "\n",
                         "   \t \r\n", "\x0b\x0c\r\n"}) {
    INFO(in);
    FeedResult r = FeedAll(in);
    CHECK_FALSE(r.errored);
    CHECK(r.commands == std::vector<Argv>{{}});
    CHECK(r.leftover == 0);
  }
}

TEST_CASE("every protocol error has Redis's text", "[resp]") {
  CHECK(ErrorOf("*x\r\n") == kErrInvalidMultibulk);
  CHECK(ErrorOf("*1\r\n$x\r\n") == kErrInvalidBulk);
  CHECK(ErrorOf("*1\r\nX\r\n") == "Protocol error: expected '$', got 'X'");
  CHECK(ErrorOf(std::string(65537, 'A')) == kErrTooBigInline);
  CHECK(ErrorOf("*" + std::string(65536, '1')) == kErrTooBigMbulk);
  CHECK(ErrorOf("*1\r\n" + std::string(65537, '$')) == kErrTooBigBulk);
  CHECK(ErrorOf("*11\r\n", Unauth()) == kErrUnauthMultibulk);
  CHECK(ErrorOf("*1\r\n$16385\r\n", Unauth()) == kErrUnauthBulk);
  CHECK(ErrorOf("ECHO \"a\r\n") == kErrUnbalancedQuotes);
  CHECK(kErrInvalidMultibulk == "Protocol error: invalid multibulk length");
  CHECK(kErrInvalidBulk == "Protocol error: invalid bulk length");
  CHECK(kErrTooBigInline == "Protocol error: too big inline request");
  CHECK(kErrTooBigMbulk == "Protocol error: too big mbulk count string");
  CHECK(kErrTooBigBulk == "Protocol error: too big bulk count string");
  CHECK(kErrUnauthMultibulk == "Protocol error: unauthenticated multibulk length");
  CHECK(kErrUnauthBulk == "Protocol error: unauthenticated bulk length");
  CHECK(kErrUnbalancedQuotes == "Protocol error: unbalanced quotes in request");
}

TEST_CASE("the expected-dollar error shows the byte, with CR and LF as spaces", "[resp]") {
  CHECK(ErrorOf("*1\r\n\r\n") == "Protocol error: expected '$', got ' '");
  CHECK(ErrorOf("*1\r\n\n\r\n") == "Protocol error: expected '$', got ' '");
  CHECK(ErrorOf("*1\r\n\xff\r\n") == "Protocol error: expected '$', got '\xff'");
  CHECK(ErrorOf("*2\r\n$1\r\na\r\n:1\r\n") == "Protocol error: expected '$', got ':'");
  // The check waits for the line's CR and one more byte, like Redis.
  CHECK(ErrorOf("*1\r\nX") == "");
  CHECK(ErrorOf("*1\r\nX\r") == "");
}

TEST_CASE("counts and lengths follow string2ll and never overflow", "[resp]") {
  for (std::string bad : {"*", "*00", "*-0", "*+1", "* 1", "*1 ", "*01", "*-", "*1a", "*2147483648",
                          "*99999999999999999999", "*9223372036854775808", "*-9223372036854775809",
                          "*18446744073709551616"}) {
    INFO(bad);
    CHECK(ErrorOf(bad + "\r\n") == kErrInvalidMultibulk);
  }
  CHECK(ErrorOf("*2147483647\r\n") == "");  // INT_MAX is still accepted by 7.0
  for (std::string bad :
       {"$", "$-1", "$-0", "$00", "$+1", "$ 1", "$1 ", "$536870913", "$9223372036854775807",
        "$9223372036854775808", "$-9223372036854775808", "$99999999999999999999999"}) {
    INFO(bad);
    CHECK(ErrorOf("*1\r\n" + bad + "\r\n") == kErrInvalidBulk);
  }
  CHECK(ErrorOf("*1\r\n$536870912\r\n") == "");  // proto-max-bulk-len itself is fine
}

TEST_CASE("limits are checked in Redis's order", "[resp]") {
  CHECK(ErrorOf("*10\r\n", Unauth()) == "");
  CHECK(ErrorOf("*-1\r\n*11\r\n", Unauth()) == kErrUnauthMultibulk);
  CHECK(ErrorOf("*99999999999\r\n", Unauth()) == kErrInvalidMultibulk);
  CHECK(ErrorOf("*1\r\n$16384\r\n", Unauth()) == "");
  CHECK(ErrorOf("*1\r\n$-1\r\n", Unauth()) == kErrInvalidBulk);
  CHECK(ErrorOf("*1\r\n$536870913\r\n", Unauth()) == kErrInvalidBulk);
  CHECK(ErrorOf("*1\r\nX\r\n", Unauth()) == "Protocol error: expected '$', got 'X'");
  // Inline requests have no unauthenticated limit.
  CHECK(FeedAll("PING a a a a a a a a a a a a a a a a a a a a\r\n", Unauth()).commands[0].size() ==
        21);
  ParserLimits small;
  small.proto_max_bulk_len = 5;
  small.max_multibulk = 3;
  CHECK(ErrorOf("*1\r\n$5\r\n", small) == "");
  CHECK(ErrorOf("*1\r\n$6\r\n", small) == kErrInvalidBulk);
  CHECK(ErrorOf("*3\r\n", small) == "");
  CHECK(ErrorOf("*4\r\n", small) == kErrInvalidMultibulk);
}

TEST_CASE("new limits apply to the rest of a pipeline", "[resp]") {
  Parser p(Unauth());
  std::vector<std::string> argv;
  size_t consumed = 0;
  const std::string auth = "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n";
  const std::string big = "*12\r\n";
  REQUIRE(p.Parse(auth + big, &consumed, &argv) == ParseStatus::kCommand);
  p.set_limits(ParserLimits{});
  CHECK(p.Parse(big, &consumed, &argv) == ParseStatus::kNeedMore);
  CHECK(consumed == big.size());
  CHECK(p.limits().unauthenticated == false);
}

TEST_CASE("lines without terminator are errors only past 64KB", "[resp]") {
  CHECK(ErrorOf(std::string(65536, 'A')) == "");
  CHECK(ErrorOf(std::string(65537, 'A')) == kErrTooBigInline);
  CHECK(ErrorOf("*" + std::string(65535, '1')) == "");
  CHECK(ErrorOf("*" + std::string(65536, '1')) == kErrTooBigMbulk);
  CHECK(ErrorOf("*1\r\n" + std::string(65536, '$')) == "");
  CHECK(ErrorOf("*1\r\n" + std::string(65537, 'X')) == kErrTooBigBulk);
  // A terminator that is there, however far, ends the line: the content decides.
  CHECK(ErrorOf("*" + std::string(70000, '1') + "\r\n") == kErrInvalidMultibulk);
  FeedResult r = FeedAll(std::string(70000, 'A') + "\n");
  REQUIRE(r.commands.size() == 1);
  CHECK(r.commands[0][0].size() == 70000);
  // A CR as the last byte waits for one more byte, whatever the size.
  CHECK(ErrorOf("*" + std::string(70000, '1') + "\r") == "");
}

TEST_CASE("a NUL byte hides the terminator of a line, as with Redis's strchr", "[resp]") {
  FeedResult r = FeedAll("PING a\0b\r\nPING\r\n"s);
  CHECK(r.commands.empty());
  CHECK_FALSE(r.errored);
  FeedResult m = FeedAll("*1\0\r\n$4\r\nPING\r\n"s);
  CHECK(m.commands.empty());
  CHECK_FALSE(m.errored);
  CHECK(FeedAll("*1\r\n$4\0\r\nPING\r\n"s).commands.empty());
  // ... so the line can only end in the size limit.
  CHECK(ErrorOf("A\0"s + std::string(65535, 'B')) == kErrTooBigInline);
  CHECK(ErrorOf("A\0"s + std::string(65534, 'B')) == "");
  CHECK(ErrorOf("*1\0"s + std::string(65535, '\n')) == kErrTooBigMbulk);
  CHECK(ErrorOf("*1\r\n$1\0"s + std::string(65535, '\r')) == kErrTooBigBulk);
  // Inside a bulk a NUL is data.
  CHECK(FeedAll("*1\r\n$1\r\n\0\r\n"s).commands == std::vector<Argv>{{"\0"s}});
}

TEST_CASE("the two bytes after a CR or a bulk are skipped unchecked, as Redis does", "[resp]") {
  CHECK(FeedAll("*1\rX$4\r\nPING\r\n").commands == std::vector<Argv>{{"PING"}});
  CHECK(FeedAll("*1\r\n$4\rXPING\r\n").commands == std::vector<Argv>{{"PING"}});
  CHECK(FeedAll("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n").commands ==
        std::vector<Argv>{{"PING"}, {"PING"}});
  // Inline: one CR before the LF is dropped; other CRs split arguments.
  CHECK(FeedAll("PING\n\r\n\r\nPING\r\r\n").commands ==
        std::vector<Argv>{{"PING"}, {}, {}, {"PING"}});
  CHECK(FeedAll("PING\rX\n").commands == std::vector<Argv>{{"PING", "X"}});
}

TEST_CASE("strict_crlf rejects a bulk not followed by CRLF", "[resp]") {
  ParserLimits strict;
  strict.strict_crlf = true;
  CHECK(ErrorOf("*1\r\n$4\r\nPINGxx", strict) == kErrBadBulkTerminator);
  CHECK(ErrorOf("*1\r\n$4\r\nPING\rx", strict) == kErrBadBulkTerminator);
  CHECK(FeedBytewise("*1\r\n$4\r\nPING\r\n", strict).commands == std::vector<Argv>{{"PING"}});
  CHECK(FeedBytewise("*1\r\n$4\r\nPING\n", strict).error == kErrBadBulkTerminator);
}

TEST_CASE("a parser stays in error until Reset", "[resp]") {
  Parser p;
  std::vector<std::string> argv;
  size_t consumed = 7;
  CHECK(p.Parse("*x\r\n", &consumed, &argv) == ParseStatus::kError);
  CHECK(p.Parse("PING\r\n", &consumed, &argv) == ParseStatus::kError);
  CHECK(consumed == 0);
  CHECK(p.error() == kErrInvalidMultibulk);
  p.Reset();
  CHECK(p.error().empty());
  CHECK(p.Parse("PING\r\n", &consumed, &argv) == ParseStatus::kCommand);
  CHECK(argv == Argv{"PING"});
}

TEST_CASE("the argv passed in is overwritten, whatever it held", "[resp]") {
  Parser p;
  std::vector<std::string> argv = {"old", "stuff", "here", "and", "more"};
  size_t consumed = 0;
  CHECK(p.Parse("*2\r\n$1\r\na\r\n$1\r\nb\r\n", &consumed, &argv) == ParseStatus::kCommand);
  CHECK(argv == Argv{"a", "b"});
  CHECK(p.Parse("*3\r\n$1\r\nx\r\n$0\r\n\r\n$2\r\nzz\r\n", &consumed, &argv) ==
        ParseStatus::kCommand);
  CHECK(argv == Argv{"x", "", "zz"});
  CHECK(p.Parse("ONE\r\n", &consumed, &argv) == ParseStatus::kCommand);
  CHECK(argv == Argv{"ONE"});
  CHECK(p.Parse("*0\r\n", &consumed, &argv) == ParseStatus::kCommand);
  CHECK(argv.empty());
}

TEST_CASE("an empty buffer needs more", "[resp]") {
  Parser p;
  std::vector<std::string> argv;
  size_t consumed = 3;
  CHECK(p.Parse("", &consumed, &argv) == ParseStatus::kNeedMore);
  CHECK(consumed == 0);
  CHECK_FALSE(p.InMiddleOfRequest());
}
