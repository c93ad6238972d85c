// RESP2/RESP3 reply encoding, byte-compatible with Redis 7.0's addReply* family. Numbers go
// through std::to_chars into stack buffers: no iostreams, one append per piece.
#include "tessera/resp/writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace tessera::resp {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// Writes c, the decimal n and CRLF to buf (at least 24 bytes); returns the length.
size_t FormatHeader(char c, int64_t n, char* buf) {
  buf[0] = c;
  char* end = std::to_chars(buf + 1, buf + 22, n).ptr;
  end[0] = '\r';
  end[1] = '\n';
  return static_cast<size_t>(end + 2 - buf);
}

}  // namespace

void Writer::Header(char c, int64_t n) {
  char buf[24];
  out_->append(buf, FormatHeader(c, n, buf));
}

void Writer::Line(char c, std::string_view s) {
  const size_t start = out_->size();
  out_->reserve(start + s.size() + 3);
  out_->push_back(c);
  out_->append(s);
  // Redis rejects or rewrites CR/LF in status and error texts; a stray one would let a reply
  // (or a key echoed in an error) inject extra protocol.
  if (s.find_first_of(kCrlf) != std::string_view::npos) {
    char* p = out_->data() + start + 1;
    for (size_t i = 0; i < s.size(); ++i) {
      if (p[i] == '\r' || p[i] == '\n') p[i] = ' ';
    }
  }
  out_->append(kCrlf);
}

void Writer::Simple(std::string_view s) { Line('+', s); }

void Writer::Error(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  Line('-', s);
}

void Writer::Integer(int64_t v) { Header(':', v); }

void Writer::Bulk(std::string_view s) {
  char buf[24];
  const size_t n = FormatHeader('$', static_cast<int64_t>(s.size()), buf);
  out_->reserve(out_->size() + n + s.size() + 2);
  out_->append(buf, n);
  out_->append(s);
  out_->append(kCrlf);
}

void Writer::BulkInt(int64_t v) {
  char digits[24];
  const char* end = std::to_chars(digits, digits + sizeof(digits), v).ptr;
  Bulk(std::string_view(digits, static_cast<size_t>(end - digits)));
}

void Writer::Double(double v) {
  char buf[kMaxDoubleChars + 4];
  if (proto_ == 2) {
    Bulk(std::string_view(buf, FormatDoubleTo(v, buf)));
    return;
  }
  buf[0] = ',';
  const size_t n = FormatDoubleTo(v, buf + 1) + 1;
  buf[n] = '\r';
  buf[n + 1] = '\n';
  out_->append(buf, n + 2);
}

void Writer::Null() { out_->append(proto_ == 2 ? "$-1\r\n" : "_\r\n"); }

void Writer::NullArray() { out_->append(proto_ == 2 ? "*-1\r\n" : "_\r\n"); }

void Writer::Bool(bool b) {
  if (proto_ == 2) {
    out_->append(b ? ":1\r\n" : ":0\r\n");
  } else {
    out_->append(b ? "#t\r\n" : "#f\r\n");
  }
}

void Writer::ArrayHeader(int64_t n) { Header('*', n); }

void Writer::MapHeader(int64_t pairs) {
  if (proto_ == 2) {
    Header('*', pairs * 2);
  } else {
    Header('%', pairs);
  }
}

void Writer::SetHeader(int64_t n) { Header(proto_ == 2 ? '*' : '~', n); }

void Writer::PushHeader(int64_t n) { Header(proto_ == 2 ? '*' : '>', n); }

void Writer::Verbatim(std::string_view s, std::string_view fmt) {
  if (proto_ == 2) {
    Bulk(s);
    return;
  }
  Header('=', static_cast<int64_t>(fmt.size() + 1 + s.size()));
  out_->append(fmt);
  out_->push_back(':');
  out_->append(s);
  out_->append(kCrlf);
}

void Writer::BigNumber(std::string_view digits) {
  if (proto_ == 2) {
    Bulk(digits);
    return;
  }
  Line('(', digits);
}

size_t FormatDoubleTo(double v, char* buf) {
  // Redis spells infinities itself rather than trusting libc; to_chars agrees anyway.
  if (std::isinf(v)) {
    const std::string_view s = v > 0 ? "inf" : "-inf";
    std::memcpy(buf, s.data(), s.size());
    return s.size();
  }
  // to_chars with a precision is specified to print what printf("%.17g") prints.
  const auto r = std::to_chars(buf, buf + kMaxDoubleChars, v, std::chars_format::general, 17);
  return static_cast<size_t>(r.ptr - buf);
}

std::string FormatDouble(double v) {
  char buf[kMaxDoubleChars];
  return std::string(buf, FormatDoubleTo(v, buf));
}

std::string FormatHumanLongDouble(long double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  // "%.17Lf" of the largest x87 long double has 4933 integer digits; Redis's buffer is 5 KiB.
  char buf[5 * 1024 + 32];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed, 17);
  if (r.ec != std::errc()) return std::string();
  size_t len = static_cast<size_t>(r.ptr - buf);
  if (std::memchr(buf, '.', len) != nullptr) {
    while (buf[len - 1] == '0') --len;
    if (buf[len - 1] == '.') --len;
  }
  if (len == 2 && buf[0] == '-' && buf[1] == '0') return "0";
  return std::string(buf, len);
}

}  // namespace tessera::resp
