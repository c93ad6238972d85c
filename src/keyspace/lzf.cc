// LZF compressor and decompressor (shared/spec/replication-rdb.md §5.4).
#include "tessera/keyspace/lzf.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace tessera::keyspace {
namespace {

constexpr size_t kMaxLiteral = 32;
constexpr size_t kMaxDistance = 8192;  // d = i - p - 1 must fit in 13 bits
constexpr size_t kMaxMatch = 264;      // L = m - 2 is at most 7 + 255
constexpr int kHashBits = 16;          // Redis builds liblzf with HLOG 16
constexpr uint32_t kNone = UINT32_MAX;

// liblzf's "very fast" slot of the 3 bytes at a position; the same slots make the same matches.
uint32_t Slot(const unsigned char* p) {
  uint32_t v = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
  return ((v >> (24 - kHashBits)) - v * 5) & ((uint32_t{1} << kHashBits) - 1);
}

// Last position seen per slot. Small inputs touch few slots: a map avoids clearing 256 KiB
// for every short string.
class SmallTable {
 public:
  explicit SmallTable(size_t n) { m_.reserve(n); }
  uint32_t Exchange(uint32_t slot, uint32_t pos) {
    auto [it, inserted] = m_.try_emplace(slot, pos);
    if (inserted) return kNone;
    return std::exchange(it->second, pos);
  }
  void Set(uint32_t slot, uint32_t pos) { m_[slot] = pos; }

 private:
  absl::flat_hash_map<uint32_t, uint32_t> m_;
};

class FullTable {
 public:
  FullTable() : v_(size_t{1} << kHashBits, kNone) {}
  uint32_t Exchange(uint32_t slot, uint32_t pos) { return std::exchange(v_[slot], pos); }
  void Set(uint32_t slot, uint32_t pos) { v_[slot] = pos; }

 private:
  std::vector<uint32_t> v_;
};

// Length of the match of data[ref..] against data[ip..], the first 3 bytes known equal. liblzf
// checks 16 more bytes unconditionally when at least 17 may match, then goes on to `limit`, so a
// match near the end can be up to 2 bytes longer than `limit`.
size_t MatchLength(const unsigned char* data, size_t ref, size_t ip, size_t limit) {
  size_t len = 2;
  if (limit > 16) {
    for (int k = 0; k < 16; ++k) {
      ++len;
      if (data[ref + len] != data[ip + len]) return len;
    }
  }
  do {
    ++len;
  } while (len < limit && data[ref + len] == data[ip + len]);
  return len;
}

// The output is built like liblzf's: `op` runs ahead by one byte reserved for the control byte
// of the literal run in progress, and the same conservative room checks decide when the result
// does not fit in `max_out` (Redis then stores the string uncompressed).
template <typename Table>
std::string Compress(const unsigned char* in, size_t n, size_t max_out, Table& table) {
  std::string out(max_out + 8, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  size_t op = 1, lit = 0, ip = 0;
  auto end_run = [&] {
    o[op - lit - 1] = static_cast<unsigned char>(lit - 1);
    if (lit == 0) --op;  // no literals: the reserved byte is taken back
  };
  auto literal = [&](size_t at) {
    ++lit;
    o[op++] = in[at];
    if (lit == kMaxLiteral) {
      o[op - lit - 1] = static_cast<unsigned char>(lit - 1);
      lit = 0;
      ++op;
    }
  };
  while (ip + 2 < n) {
    const uint32_t ref = table.Exchange(Slot(in + ip), static_cast<uint32_t>(ip));
    // liblzf never refers back to position 0.
    if (ref != kNone && ref > 0 && ip - ref - 1 < kMaxDistance && in[ref] == in[ip] &&
        in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
      const size_t len = MatchLength(in, ref, ip, std::min(n - ip - 2, kMaxMatch));
      if (op + 4 >= max_out && op - (lit == 0 ? 1 : 0) + 4 >= max_out) return {};
      end_run();
      const size_t l = len - 2, off = ip - ref - 1;
      if (l < 7) {
        o[op++] = static_cast<unsigned char>((off >> 8) + (l << 5));
      } else {
        o[op++] = static_cast<unsigned char>((off >> 8) + (7 << 5));
        o[op++] = static_cast<unsigned char>(l - 7);
      }
      o[op++] = static_cast<unsigned char>(off & 0xFF);
      lit = 0;
      ++op;
      ip += len;
      if (ip + 2 >= n) break;
      // The last two positions of the match enter the table (liblzf's VERY_FAST mode).
      table.Set(Slot(in + ip - 2), static_cast<uint32_t>(ip - 2));
      table.Set(Slot(in + ip - 1), static_cast<uint32_t>(ip - 1));
    } else {
      if (op >= max_out) return {};
      literal(ip++);
    }
  }
  if (op + 3 > max_out) return {};
  while (ip < n) literal(ip++);
  end_run();
  out.resize(op);
  return out;
}

}  // namespace

std::string LzfCompress(std::string_view in, size_t max_out) {
  const auto* data = reinterpret_cast<const unsigned char*>(in.data());
  if (in.empty() || max_out == 0) return {};
  if (in.size() < 8192) {
    SmallTable t(in.size());
    return Compress(data, in.size(), max_out, t);
  }
  FullTable t;
  return Compress(data, in.size(), max_out, t);
}

std::string LzfCompress(std::string_view in) {
  // Room for the worst case: one control byte per 32 literals.
  return LzfCompress(in, in.size() + in.size() / kMaxLiteral + 8);
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
