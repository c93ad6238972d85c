// LZF compressor and decompressor (shared/spec/replication-rdb.md §5.4).
#include "tessera/keyspace/lzf.h"

#include <fmt/format.h>

#include <cstdint>
#include <vector>

namespace tessera::keyspace {
namespace {

constexpr size_t kMaxLiteral = 32;
constexpr size_t kMaxDistance = 8192;  // d = i - p - 1 must fit in 13 bits
constexpr size_t kMaxMatch = 264;      // L = m - 2 is at most 7 + 255
constexpr int kHashBits = 14;

uint32_t Hash3(const unsigned char* p) {
  uint32_t v = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
  return (v * 2654435761u) >> (32 - kHashBits);
}

void FlushLiterals(std::string_view in, size_t start, size_t end, std::string* out) {
  while (start < end) {
    size_t n = std::min(kMaxLiteral, end - start);
    out->push_back(static_cast<char>(n - 1));
    out->append(in.substr(start, n));
    start += n;
  }
}

}  // namespace

std::string LzfCompress(std::string_view in) {
  const auto* data = reinterpret_cast<const unsigned char*>(in.data());
  std::string out;
  out.reserve(in.size() + in.size() / 32 + 1);
  // Positions are stored +1 so that 0 means "no previous occurrence".
  std::vector<uint32_t> last(size_t{1} << kHashBits, 0);
  size_t lit_start = 0;
  size_t i = 0;
  while (i + 3 <= in.size()) {
    uint32_t h = Hash3(data + i);
    size_t prev = last[h];
    last[h] = static_cast<uint32_t>(i + 1);
    size_t m = 0;
    if (prev != 0 && i - prev < kMaxDistance) {  // prev - 1 is the position; d = i - prev
      size_t p = prev - 1;
      size_t limit = std::min(kMaxMatch, in.size() - i);
      while (m < limit && data[p + m] == data[i + m]) ++m;
    }
    if (m < 3) {
      ++i;
      continue;
    }
    FlushLiterals(in, lit_start, i, &out);
    size_t d = i - (prev - 1) - 1;
    size_t len = m - 2;
    if (len < 7) {
      out.push_back(static_cast<char>((len << 5) | (d >> 8)));
    } else {
      out.push_back(static_cast<char>((7 << 5) | (d >> 8)));
      out.push_back(static_cast<char>(len - 7));
    }
    out.push_back(static_cast<char>(d & 0xFF));
    i += m;
    lit_start = i;
  }
  FlushLiterals(in, lit_start, in.size(), &out);
  return out;
}

absl::StatusOr<std::string> LzfDecompress(std::string_view in, size_t ulen) {
  const auto* data = reinterpret_cast<const unsigned char*>(in.data());
  // Every 2 input bytes yield at most 264 output bytes, so a larger ulen cannot be honest; this
  // bounds the allocation on corrupt input.
  if (ulen > in.size() * kMaxMatch) {
    return absl::DataLossError(
        fmt::format("lzf: {} bytes cannot expand to {} bytes", in.size(), ulen));
  }
  std::string out;
  out.resize(ulen);
  size_t ip = 0, op = 0;
  while (ip < in.size()) {
    size_t at = ip;
    unsigned c = data[ip++];
    if (c < 32) {
      size_t n = c + 1;
      if (ip + n > in.size())
        return absl::DataLossError(fmt::format("lzf: at {}: literal run past input end", at));
      if (op + n > ulen)
        return absl::DataLossError(fmt::format("lzf: at {}: literal run past output size", at));
      out.replace(op, n, in.substr(ip, n));
      ip += n;
      op += n;
      continue;
    }
    size_t len = c >> 5;
    if (len == 7) {
      if (ip >= in.size())
        return absl::DataLossError(fmt::format("lzf: at {}: truncated reference", at));
      len += data[ip++];
    }
    if (ip >= in.size())
      return absl::DataLossError(fmt::format("lzf: at {}: truncated reference", at));
    size_t dist = ((c & 0x1F) << 8) + data[ip++] + 1;
    len += 2;
    if (dist > op)
      return absl::DataLossError(fmt::format("lzf: at {}: reference before output start", at));
    if (op + len > ulen)
      return absl::DataLossError(fmt::format("lzf: at {}: reference past output size", at));
    // Byte by byte: with a short distance the source overlaps what is being written.
    for (size_t k = 0; k < len; ++k, ++op) out[op] = out[op - dist];
  }
  if (op != ulen) {
    return absl::DataLossError(fmt::format("lzf: decompressed {} bytes, expected {}", op, ulen));
  }
  return out;
}

}  // namespace tessera::keyspace
