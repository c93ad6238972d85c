// Incremental parsing: a request cut anywhere parses as it does in one piece, and large bulks
// are taken as they arrive instead of being buffered and rescanned.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "resp/feed.h"

using namespace tessera::resp;
using namespace tessera::resp::testing;
using namespace std::string_literals;

namespace {

const std::vector<std::string>& Requests() {
  static const std::vector<std::string> kRequests = {
      "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n",
      "*2\r\n$4\r\nECHO\r\n$6\r\na\r\n\0bc\r\n"s,
      "SET k \"a\\x41 b\" 'c\\'d'\r\nPING\n\r\n",
      "*1\r\n$4\r\nPING\r\n*0\r\n*-1\r\nGET x\r\n*2\r\n$3\r\nGET\r\n$0\r\n\r\n",
      "*1\r\n$3\r\nfoo\r\n*1\r\n$x\r\n",
      "*2\r\n$3\r\nGET\r\n:5\r\n",
      "GET \"unbalanced\r\n",
      "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n",
  };
  return kRequests;
}

}  // namespace

TEST_CASE("a request cut at any byte parses as it does whole", "[resp]") {
  for (const std::string& in : Requests()) {
    INFO("input " << in);
    const FeedResult whole = FeedAll(in);
    CHECK(FeedBytewise(in) == whole);
    for (size_t cut = 1; cut < in.size(); ++cut) {
      Parser p;
      INFO("cut at " << cut);
      CHECK(FeedCuts(p, in, {cut}) == whole);
    }
    for (size_t a = 1; a < in.size(); ++a) {
      for (size_t b = a + 1; b < in.size(); ++b) {
        Parser p;
        const FeedResult r = FeedCuts(p, in, {a, b});
        if (!(r == whole)) FAIL("cuts " << a << "," << b);
      }
    }
  }
}

TEST_CASE("the split results are what the request says", "[resp]") {
  CHECK(FeedBytewise(Requests()[0]).commands == std::vector<Argv>{{"SET", "key", "value"}});
  CHECK(FeedBytewise(Requests()[2]).commands ==
        std::vector<Argv>{{"SET", "k", "aA b", "c'd"}, {"PING"}, {}});
  const FeedResult r = FeedBytewise(Requests()[4]);
  CHECK(r.commands == std::vector<Argv>{{"foo"}});
  CHECK(r.error == kErrInvalidBulk);
}

TEST_CASE("a large bulk arriving in pieces is taken as it comes", "[resp]") {
  const size_t kLen = 1 << 20;
  std::string value(kLen, 'v');
  for (size_t i = 0; i < kLen; i += 4099) value[i] = static_cast<char>(i);
  const std::string head = "*2\r\n$3\r\nSET\r\n$" + std::to_string(kLen) + "\r\n";
  Parser p;
  std::vector<std::string> argv;
  size_t consumed = 0;
  REQUIRE(p.Parse(head, &consumed, &argv) == ParseStatus::kNeedMore);
  CHECK(consumed == head.size());
  CHECK(p.InMiddleOfRequest());
  // Every piece is consumed whole: the caller never buffers the value, so nothing is rescanned.
  const size_t kPiece = 1000;
  for (size_t at = 0; at < kLen; at += kPiece) {
    const std::string_view piece = std::string_view(value).substr(at, kPiece);
    REQUIRE(p.Parse(piece, &consumed, &argv) == ParseStatus::kNeedMore);
    REQUIRE(consumed == piece.size());
    REQUIRE(p.PendingBytes() == 3 + at + piece.size());
  }
  CHECK(p.Parse("\r", &consumed, &argv) == ParseStatus::kNeedMore);
  CHECK(consumed == 1);
  CHECK(p.Parse("\n", &consumed, &argv) == ParseStatus::kCommand);
  CHECK(consumed == 1);
  REQUIRE(argv.size() == 2);
  CHECK(argv[1] == value);
  CHECK_FALSE(p.InMiddleOfRequest());
  CHECK(p.PendingBytes() == 0);
}

TEST_CASE("a line arriving byte by byte waits unconsumed, then parses whole", "[resp]") {
  // 60000 one-byte feeds of an unterminated inline line. The parser remembers how far it has
  // searched, so this stays linear (rescanning would make it slow, though not fail).
  Parser p;
  std::vector<std::string> argv;
  std::string line(60000, 'a');
  size_t consumed = 0;
  for (size_t n = 1; n <= line.size(); ++n) {
    REQUIRE(p.Parse(std::string_view(line).substr(0, n), &consumed, &argv) ==
            ParseStatus::kNeedMore);
    REQUIRE(consumed == 0);
  }
  line += "\r\n";
  CHECK(p.Parse(line, &consumed, &argv) == ParseStatus::kCommand);
  CHECK(consumed == line.size());
  CHECK(argv == Argv{std::string(60000, 'a')});
}
