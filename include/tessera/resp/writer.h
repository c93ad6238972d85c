// Reply writer: appends RESP2 or RESP3 to a byte buffer. In RESP2 the RESP3-only types degrade
// as Redis does (map -> flat array, set -> array, double -> bulk string, null -> $-1 or *-1,
// boolean -> integer, push -> array, verbatim and big number -> bulk string).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tessera::resp {

class Writer {
 public:
  // `out` is borrowed and must outlive the writer; replies are appended to it.
  explicit Writer(std::string* out, int proto = 2) : out_(out), proto_(proto) {}
  int proto() const { return proto_; }
  void set_proto(int p) { proto_ = p; }
  std::string* buffer() { return out_; }

  // "+s\r\n"; CR and LF inside s are replaced by spaces (no reply injection).
  void Simple(std::string_view s);
  // "-s\r\n"; s must include the code ("ERR ...", "WRONGTYPE ..."); CR/LF replaced by spaces.
  // A leading '-' in s is not doubled.
  void Error(std::string_view s);
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  void BulkInt(int64_t v);  // an integer as a bulk string
  void Double(double v);    // ",v" in RESP3; bulk string in RESP2; text of FormatDouble
  void Null();              // "_" in RESP3; "$-1" in RESP2
  void NullArray();         // "_" in RESP3; "*-1" in RESP2
  void Bool(bool b);        // "#t"/"#f" in RESP3; ":1"/":0" in RESP2
  void ArrayHeader(int64_t n);
  void MapHeader(int64_t pairs);  // "%n" in RESP3; "*2n" in RESP2
  void SetHeader(int64_t n);      // "~n" in RESP3; "*n" in RESP2
  void PushHeader(int64_t n);     // ">n" in RESP3; "*n" in RESP2
  // "=len\r\nfmt:s\r\n" in RESP3 (fmt is three letters, "txt" or "mkd"); plain bulk s in RESP2.
  void Verbatim(std::string_view s, std::string_view fmt = "txt");
  // "(digits\r\n" in RESP3; bulk string in RESP2. `digits` is the decimal text, e.g. "-123".
  void BigNumber(std::string_view digits);
  void Raw(std::string_view bytes) { out_->append(bytes); }

 private:
  void Header(char c, int64_t n);
  void Line(char c, std::string_view s);
  std::string* out_;
  int proto_;
};

// Longest FormatDouble text ("-2.2250738585072014e-308" is 24) plus room to spare.
inline constexpr size_t kMaxDoubleChars = 32;

// Redis 7.0's addReplyDouble text (ZSCORE, ZINCRBY, GEODIST...): "inf", "-inf", otherwise
// printf's "%.17g" (so 3.0 is "3", 0.1 is "0.10000000000000001", 1e20 is "1e+20", -0.0 is "-0",
// NaN is "nan" or "-nan").
std::string FormatDouble(double v);
// The same text written to `buf` (at least kMaxDoubleChars bytes); returns its length.
size_t FormatDoubleTo(double v, char* buf);

// Redis 7.0's "human" long double text (ld2string LD_STR_HUMAN), the value INCRBYFLOAT and
// HINCRBYFLOAT store and reply: "%.17Lf" with trailing zeros and a trailing '.' removed, "-0"
// written "0", "inf"/"-inf" for infinities (so 0.1+0.2 is "0.3", 1e20 is "100000000000000000000").
std::string FormatHumanLongDouble(long double v);

}  // namespace tessera::resp
