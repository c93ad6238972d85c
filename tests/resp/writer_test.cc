// Writer output for every reply type in RESP2 and RESP3; expected bytes captured from
// redis-server 7.0.15 (ZSCORE/GEODIST for doubles, INCRBYFLOAT for the human long double text).
#include "tessera/resp/writer.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using tessera::resp::FormatDouble;
using tessera::resp::FormatHumanLongDouble;
using tessera::resp::Writer;

namespace {

template <typename F>
std::string Out(int proto, F&& f) {
  std::string out;
  Writer w(&out, proto);
  f(w);
  return out;
}

}  // namespace

TEST_CASE("simple strings and errors are written with CR and LF turned into spaces", "[resp]") {
  for (int proto : {2, 3}) {
    CHECK(Out(proto, [](Writer& w) { w.Simple("OK"); }) == "+OK\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Simple("a\r\nb\nc"); }) == "+a  b c\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Simple(""); }) == "+\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Error("ERR bad\r\nthing"); }) == "-ERR bad  thing\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Error("-WRONGTYPE x"); }) == "-WRONGTYPE x\r\n");
  }
}

TEST_CASE("integers, bulks and bulk integers are the same in RESP2 and RESP3", "[resp]") {
  for (int proto : {2, 3}) {
    CHECK(Out(proto, [](Writer& w) { w.Integer(0); }) == ":0\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Integer(-42); }) == ":-42\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Integer(std::numeric_limits<int64_t>::min()); }) ==
          ":-9223372036854775808\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Integer(std::numeric_limits<int64_t>::max()); }) ==
          ":9223372036854775807\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Bulk("foo"); }) == "$3\r\nfoo\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Bulk(""); }) == "$0\r\n\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Bulk(std::string("a\0\r\nb", 5)); }) ==
          std::string("$5\r\na\0\r\nb\r\n", 11));
    CHECK(Out(proto, [](Writer& w) { w.BulkInt(-17); }) == "$3\r\n-17\r\n");
    CHECK(Out(proto, [](Writer& w) { w.ArrayHeader(3); }) == "*3\r\n");
    CHECK(Out(proto, [](Writer& w) { w.ArrayHeader(0); }) == "*0\r\n");
    CHECK(Out(proto, [](Writer& w) { w.Raw("+x\r\n"); }) == "+x\r\n");
  }
}

TEST_CASE("RESP3-only types degrade in RESP2 as Redis does", "[resp]") {
  CHECK(Out(2, [](Writer& w) { w.Null(); }) == "$-1\r\n");
  CHECK(Out(3, [](Writer& w) { w.Null(); }) == "_\r\n");
  CHECK(Out(2, [](Writer& w) { w.NullArray(); }) == "*-1\r\n");
  CHECK(Out(3, [](Writer& w) { w.NullArray(); }) == "_\r\n");
  CHECK(Out(2, [](Writer& w) {
          w.Bool(true);
          w.Bool(false);
        }) == ":1\r\n:0\r\n");
  CHECK(Out(3, [](Writer& w) {
          w.Bool(true);
          w.Bool(false);
        }) == "#t\r\n#f\r\n");
  CHECK(Out(2, [](Writer& w) { w.MapHeader(2); }) == "*4\r\n");
  CHECK(Out(3, [](Writer& w) { w.MapHeader(2); }) == "%2\r\n");
  CHECK(Out(2, [](Writer& w) { w.SetHeader(5); }) == "*5\r\n");
  CHECK(Out(3, [](Writer& w) { w.SetHeader(5); }) == "~5\r\n");
  CHECK(Out(2, [](Writer& w) { w.PushHeader(3); }) == "*3\r\n");
  CHECK(Out(3, [](Writer& w) { w.PushHeader(3); }) == ">3\r\n");
  CHECK(Out(2, [](Writer& w) { w.Verbatim("hello"); }) == "$5\r\nhello\r\n");
  CHECK(Out(3, [](Writer& w) { w.Verbatim("hello"); }) == "=9\r\ntxt:hello\r\n");
  CHECK(Out(3, [](Writer& w) { w.Verbatim("# x", "mkd"); }) == "=7\r\nmkd:# x\r\n");
  CHECK(Out(2, [](Writer& w) { w.BigNumber("-12345678901234567890"); }) ==
        "$21\r\n-12345678901234567890\r\n");
  CHECK(Out(3, [](Writer& w) { w.BigNumber("12345678901234567890"); }) ==
        "(12345678901234567890\r\n");
}

TEST_CASE("doubles are written like ZSCORE replies of redis 7.0", "[resp]") {
  // {value, text}: captured with ZADD + ZSCORE (RESP2 bulk and RESP3 ",") from redis-server.
  const std::vector<std::pair<double, std::string>> cases = {
      {1.5, "1.5"},
      {3.0, "3"},
      {1e20, "1e+20"},
      {0.1, "0.10000000000000001"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {-0.0, "-0"},
      {0.0, "0"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {1e-300, "1e-300"},
      {5e-324, "4.9406564584124654e-324"},
      {-2.5e-7, "-2.4999999999999999e-07"},
      {12345678901234567.0, "12345678901234568"},
      {1e16, "10000000000000000"},
      {1e17, "1e+17"},
      {100, "100"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
  };
  for (const auto& [v, text] : cases) {
    INFO("value " << text);
    CHECK(FormatDouble(v) == text);
    CHECK(Out(2, [&](Writer& w) { w.Double(v); }) == std::string("$")
                                                         .append(std::to_string(text.size()))
                                                         .append("\r\n")
                                                         .append(text)
                                                         .append("\r\n"));
    CHECK(Out(3, [&](Writer& w) { w.Double(v); }) == std::string(",").append(text).append("\r\n"));
  }
  CHECK(FormatDouble(std::nan("")) == "nan");
  CHECK(FormatDouble(-std::nan("")) == "-nan");
}

TEST_CASE("long doubles are written like INCRBYFLOAT results of redis 7.0", "[resp]") {
  // Captured with DEL + INCRBYFLOAT from redis-server 7.0.15.
  CHECK(FormatHumanLongDouble(1.5L) == "1.5");
  CHECK(FormatHumanLongDouble(3.0L) == "3");
  CHECK(FormatHumanLongDouble(1e20L) == "100000000000000000000");
  CHECK(FormatHumanLongDouble(0.1L) == "0.1");
  CHECK(FormatHumanLongDouble(0.1L + 0.2L) == "0.3");
  CHECK(FormatHumanLongDouble(-0.0L) == "0");
  CHECK(FormatHumanLongDouble(5e-324L) == "0");
  CHECK(FormatHumanLongDouble(-2.5e-7L) == "-0.00000025");
  CHECK(FormatHumanLongDouble(12345678901234567.0L) == "12345678901234567");
  CHECK(FormatHumanLongDouble(1.7976931348623157e308L) ==
        "1797693134862315699959210467741044340483864469443291784853144207651766285231243963547018"
        "6860838708556442879341942552068930870836345113605535789727802647761707349897768628839483"
        "5618163294045594434929537447290627480669417384648879122776218333598953852832103282504751"
        "611691208117720159985926376802466863339536384");
  CHECK(FormatHumanLongDouble(std::numeric_limits<long double>::infinity()) == "inf");
  CHECK(FormatHumanLongDouble(-std::numeric_limits<long double>::infinity()) == "-inf");
}

TEST_CASE("a writer appends to its buffer and can switch protocol", "[resp]") {
  std::string out = "x";
  Writer w(&out);
  CHECK(w.proto() == 2);
  w.Null();
  w.set_proto(3);
  w.Null();
  CHECK(out == "x$-1\r\n_\r\n");
  CHECK(w.buffer() == &out);
}
