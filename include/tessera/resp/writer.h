// Reply writer: appends RESP2 or RESP3 to a byte buffer. In RESP2 the RESP3-only types degrade
// as Redis does (map -> flat array, set -> array, double -> bulk string, null -> $-1 or *-1,
// boolean -> integer, push -> array).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tessera::resp {

class Writer {
 public:
  explicit Writer(std::string* out, int proto = 2) : out_(out), proto_(proto) {}
  int proto() const { return proto_; }
  void set_proto(int p) { proto_ = p; }
  std::string* buffer() { return out_; }

  // "+s\r\n"; CR and LF inside s are replaced by spaces (no reply injection).
  void Simple(std::string_view s);
  // "-s\r\n"; s must include the code ("ERR ...", "WRONGTYPE ..."); CR/LF replaced by spaces.
  void Error(std::string_view s);
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  void BulkInt(int64_t v);            // an integer as a bulk string
  void Double(double v);              // ",v" in RESP3; bulk string in RESP2, Redis's %.17g rules
  void Null();                        // "_" in RESP3; "$-1" in RESP2
  void NullArray();                   // "_" in RESP3; "*-1" in RESP2
  void Bool(bool b);                  // "#t"/"#f" in RESP3; ":1"/":0" in RESP2
  void ArrayHeader(int64_t n);
  void MapHeader(int64_t pairs);      // "%n" in RESP3; "*2n" in RESP2
  void SetHeader(int64_t n);          // "~n" in RESP3; "*n" in RESP2
  void PushHeader(int64_t n);         // ">n" in RESP3; "*n" in RESP2
  void Verbatim(std::string_view s, std::string_view fmt = "txt");  // "=" in RESP3; bulk in RESP2
  void Raw(std::string_view bytes) { out_->append(bytes); }

 private:
  void Header(char c, int64_t n);
  std::string* out_;
  int proto_;
};

// Redis's formatting of a double as a reply ("inf", "-inf", "nan" and %.17g, with an exact
// integer representation when the value is integral and small enough).
std::string FormatDouble(double v);

}  // namespace tessera::resp
