// HyperLogLog registers in Redis 7.0's dense and sparse string encodings (see hll.h). The sparse
// update below must reproduce Redis's byte layout exactly (how runs split and when neighbouring
// VAL opcodes merge), because HLL strings are compared and exchanged as raw bytes.
#include "tessera/keyspace/hll.h"

#include <cmath>
#include <cstring>

namespace tessera::keyspace::hll {
namespace {

constexpr uint64_t kSeed = 0xadc83b19ULL;
constexpr int kIndexBits = 14;       // HLL_P
constexpr int kQ = 64 - kIndexBits;  // bits left for the zero run
constexpr uint8_t kRegisterMax = 63;
constexpr int kSparseValMax = 32;  // largest value a VAL opcode holds
constexpr int kSparseValMaxLen = 4;
constexpr int kSparseZeroMaxLen = 64;
constexpr size_t kEncodingByte = 4;
constexpr uint8_t kDense = 0;
constexpr uint8_t kSparse = 1;
constexpr size_t kCardByte = 8;

bool IsZero(uint8_t op) { return (op & 0xc0) == 0; }
bool IsXZero(uint8_t op) { return (op & 0xc0) == 0x40; }
bool IsVal(uint8_t op) { return (op & 0x80) != 0; }
int ZeroLen(uint8_t op) { return (op & 0x3f) + 1; }
int ValValue(uint8_t op) { return ((op >> 2) & 0x1f) + 1; }
int ValLen(uint8_t op) { return (op & 0x3) + 1; }
uint8_t ValOp(int value, int len) {
  return static_cast<uint8_t>(0x80 | ((value - 1) << 2) | (len - 1));
}

uint8_t Byte(std::string_view s, size_t i) {
  // Redis reads the sds terminator past the end of a truncated XZERO.
  return i < s.size() ? static_cast<uint8_t>(s[i]) : 0;
}

// XZERO's 14-bit length; `i` is the opcode's first byte.
int XZeroLen(std::string_view s, size_t i) {
  return (((Byte(s, i) & 0x3f) << 8) | Byte(s, i + 1)) + 1;
}

void AppendZeroRun(std::string* seq, int len) {
  if (len > kSparseZeroMaxLen) {
    seq->push_back(static_cast<char>(0x40 | ((len - 1) >> 8)));
    seq->push_back(static_cast<char>((len - 1) & 0xff));
  } else {
    seq->push_back(static_cast<char>(len - 1));
  }
}

uint8_t DenseGet(std::string_view regs, size_t i) {
  size_t byte = i * 6 / 8;
  unsigned fb = i * 6 & 7;
  unsigned b0 = static_cast<uint8_t>(regs[byte]);
  unsigned b1 = byte + 1 < regs.size() ? static_cast<uint8_t>(regs[byte + 1]) : 0;
  return static_cast<uint8_t>(((b0 >> fb) | (b1 << (8 - fb))) & kRegisterMax);
}

void DenseSetRaw(char* regs, size_t regs_len, size_t i, uint8_t v) {
  size_t byte = i * 6 / 8;
  unsigned fb = i * 6 & 7;
  auto* p = reinterpret_cast<uint8_t*>(regs);
  p[byte] = static_cast<uint8_t>((p[byte] & ~(kRegisterMax << fb)) | (v << fb));
  if (byte + 1 < regs_len) {
    unsigned fb8 = 8 - fb;
    p[byte + 1] = static_cast<uint8_t>((p[byte + 1] & ~(kRegisterMax >> fb8)) | (v >> fb8));
  }
}

Update DenseSet(std::string* hll, size_t index, uint8_t value) {
  std::string_view regs = std::string_view(*hll).substr(kHeaderSize);
  if (value <= DenseGet(regs, index)) return Update::kUnchanged;
  DenseSetRaw(hll->data() + kHeaderSize, hll->size() - kHeaderSize, index, value);
  return Update::kChanged;
}

// Register index and candidate value of an element (Redis's hllPatLen).
std::pair<size_t, uint8_t> PatLen(std::string_view element) {
  uint64_t hash = MurmurHash64A(element, kSeed);
  size_t index = hash & (kRegisters - 1);
  hash >>= kIndexBits;
  hash |= uint64_t{1} << kQ;  // the run ends by bit Q at the latest
  uint8_t count = 1;
  for (uint64_t bit = 1; (hash & bit) == 0; bit <<= 1) ++count;
  return {index, count};
}

// Merges equal adjacent VAL opcodes (up to 4 registers per opcode), looking at most at 5
// opcodes from `from`, as Redis does after each sparse update.
void MergeAdjacentVals(std::string* s, size_t from) {
  size_t p = from;
  int scanlen = 5;
  while (p < s->size() && scanlen-- > 0) {
    auto op = static_cast<uint8_t>((*s)[p]);
    if (IsXZero(op)) {
      p += 2;
      continue;
    }
    if (IsZero(op)) {
      p += 1;
      continue;
    }
    if (p + 1 < s->size() && IsVal(static_cast<uint8_t>((*s)[p + 1]))) {
      auto next = static_cast<uint8_t>((*s)[p + 1]);
      int len = ValLen(op) + ValLen(next);
      if (ValValue(op) == ValValue(next) && len <= kSparseValMaxLen) {
        (*s)[p + 1] = static_cast<char>(ValOp(ValValue(op), len));
        s->erase(p, 1);
        continue;  // try to merge the grown opcode with its right neighbour too
      }
    }
    ++p;
  }
}

Update Promote(std::string* hll, size_t index, uint8_t value) {
  if (!ToDense(hll)) return Update::kCorrupt;
  return DenseSet(hll, index, value);
}

Update SparseSet(std::string* hll, size_t index, uint8_t value, size_t sparse_max_bytes) {
  if (value > kSparseValMax) return Promote(hll, index, value);
  // Find the opcode covering `index`, and the one before it (where merging starts).
  std::string_view s(*hll);
  size_t p = kHeaderSize, prev = std::string::npos, first = 0;
  int span = 0;
  size_t oplen = 1;
  while (p < s.size()) {
    auto op = static_cast<uint8_t>(s[p]);
    oplen = IsXZero(op) ? 2 : 1;
    span = IsZero(op) ? ZeroLen(op) : IsXZero(op) ? XZeroLen(s, p) : ValLen(op);
    if (index <= first + static_cast<size_t>(span) - 1) break;
    prev = p;
    p += oplen;
    first += static_cast<size_t>(span);
  }
  if (p >= s.size()) return Update::kCorrupt;
  auto op = static_cast<uint8_t>(s[p]);

  if (IsVal(op)) {
    if (ValValue(op) >= value) return Update::kUnchanged;
  }
  if (span == 1 && !IsXZero(op)) {
    // A single register (ZERO or VAL of length 1) is rewritten in place.
    (*hll)[p] = static_cast<char>(ValOp(value, 1));
  } else {
    // Split the run into: the registers before `index`, the new VAL, the registers after.
    std::string seq;
    size_t last = first + static_cast<size_t>(span) - 1;
    auto before = static_cast<int>(index - first);
    auto after = static_cast<int>(last - index);
    if (IsVal(op)) {
      if (before > 0) seq.push_back(static_cast<char>(ValOp(ValValue(op), before)));
      seq.push_back(static_cast<char>(ValOp(value, 1)));
      if (after > 0) seq.push_back(static_cast<char>(ValOp(ValValue(op), after)));
    } else {
      if (before > 0) AppendZeroRun(&seq, before);
      seq.push_back(static_cast<char>(ValOp(value, 1)));
      if (after > 0) AppendZeroRun(&seq, after);
    }
    if (seq.size() > oplen && hll->size() + (seq.size() - oplen) > sparse_max_bytes) {
      return Promote(hll, index, value);
    }
    hll->replace(p, oplen, seq);
  }
  MergeAdjacentVals(hll, prev != std::string::npos ? prev : kHeaderSize);
  InvalidateCache(hll);
  return Update::kChanged;
}

// Register histogram, indexed by value (0..63).
struct Histogram {
  int count[64] = {};
};

uint64_t Estimate(const Histogram& h) {
  // Ertl, "New cardinality estimation algorithms for HyperLogLog sketches" (arXiv:1702.01284),
  // with the operation order of Redis 7.0 so that results agree to the unit.
  auto tau = [](double x) {
    if (x == 0. || x == 1.) return 0.;
    double y = 1.0, z = 1 - x, z_prev;
    do {
      x = std::sqrt(x);
      z_prev = z;
      y *= 0.5;
      z -= std::pow(1 - x, 2) * y;
    } while (z_prev != z);
    return z / 3;
  };
  auto sigma = [](double x) {
    if (x == 1.) return static_cast<double>(INFINITY);
    double y = 1, z = x, z_prev;
    do {
      x *= x;
      z_prev = z;
      z += x * y;
      y += y;
    } while (z_prev != z);
    return z;
  };
  double m = kRegisters;
  double z = m * tau((m - h.count[kQ + 1]) / m);
  for (int j = kQ; j >= 1; --j) {
    z += h.count[j];
    z *= 0.5;
  }
  z += m * sigma(h.count[0] / m);
  constexpr double kAlphaInf = 0.721347520444481703680;  // 1 / (2 ln 2)
  auto e = static_cast<double>(std::llroundl(kAlphaInf * m * m / z));
  return static_cast<uint64_t>(e);
}

}  // namespace

uint64_t MurmurHash64A(std::string_view key, uint64_t seed) {
  // Austin Appleby's MurmurHash2, 64-bit version; blocks are read little endian.
  constexpr uint64_t m = 0xc6a4a7935bd1e995ULL;
  constexpr int r = 47;
  const auto* data = reinterpret_cast<const uint8_t*>(key.data());
  size_t len = key.size();
  uint64_t h = seed ^ (len * m);
  size_t blocks = len / 8;
  for (size_t i = 0; i < blocks; ++i) {
    uint64_t k = 0;
    for (int b = 7; b >= 0; --b) k = (k << 8) | data[i * 8 + static_cast<size_t>(b)];
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  const uint8_t* tail = data + blocks * 8;
  size_t rest = len & 7;
  if (rest > 0) {
    for (size_t i = rest; i-- > 0;) h ^= static_cast<uint64_t>(tail[i]) << (8 * i);
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

std::string CreateEmpty() {
  std::string s(kHeaderSize, '\0');
  std::memcpy(s.data(), "HYLL", 4);
  s[kEncodingByte] = static_cast<char>(kSparse);
  AppendZeroRun(&s, static_cast<int>(kRegisters));
  return s;
}

bool LooksValid(std::string_view hll) {
  if (hll.size() < kHeaderSize || hll.substr(0, 4) != "HYLL") return false;
  auto enc = static_cast<uint8_t>(hll[kEncodingByte]);
  if (enc > kSparse) return false;
  return enc != kDense || hll.size() == kDenseSize;
}

bool IsDense(std::string_view hll) { return static_cast<uint8_t>(hll[kEncodingByte]) == kDense; }

Update Add(std::string* hll, std::string_view element, size_t sparse_max_bytes) {
  auto [index, value] = PatLen(element);
  return SetRegister(hll, index, value, sparse_max_bytes);
}

Update SetRegister(std::string* hll, size_t index, uint8_t value, size_t sparse_max_bytes) {
  if (IsDense(*hll)) return DenseSet(hll, index, value);
  return SparseSet(hll, index, value, sparse_max_bytes);
}

bool ToDense(std::string* hll) {
  if (IsDense(*hll)) return true;
  std::string dense(kDenseSize, '\0');
  std::memcpy(dense.data(), hll->data(), kHeaderSize);  // magic and cached cardinality
  dense[kEncodingByte] = static_cast<char>(kDense);
  std::string_view s(*hll);
  size_t idx = 0;
  for (size_t p = kHeaderSize; p < s.size();) {
    auto op = static_cast<uint8_t>(s[p]);
    if (IsZero(op)) {
      idx += static_cast<size_t>(ZeroLen(op));
      p += 1;
    } else if (IsXZero(op)) {
      idx += static_cast<size_t>(XZeroLen(s, p));
      p += 2;
    } else {
      auto len = static_cast<size_t>(ValLen(op));
      if (idx + len > kRegisters) break;
      for (size_t i = 0; i < len; ++i) {
        DenseSetRaw(dense.data() + kHeaderSize, kDenseSize - kHeaderSize, idx++,
                    static_cast<uint8_t>(ValValue(op)));
      }
      p += 1;
    }
  }
  if (idx != kRegisters) return false;
  *hll = std::move(dense);
  return true;
}

bool MergeInto(std::string_view hll, uint8_t* max) {
  if (IsDense(hll)) {
    std::string_view regs = hll.substr(kHeaderSize);
    for (size_t i = 0; i < kRegisters; ++i) {
      uint8_t v = DenseGet(regs, i);
      if (v > max[i]) max[i] = v;
    }
    return true;
  }
  size_t idx = 0;
  for (size_t p = kHeaderSize; p < hll.size();) {
    auto op = static_cast<uint8_t>(hll[p]);
    if (IsZero(op)) {
      idx += static_cast<size_t>(ZeroLen(op));
      p += 1;
    } else if (IsXZero(op)) {
      idx += static_cast<size_t>(XZeroLen(hll, p));
      p += 2;
    } else {
      auto len = static_cast<size_t>(ValLen(op));
      if (idx + len > kRegisters) break;
      auto v = static_cast<uint8_t>(ValValue(op));
      for (size_t i = 0; i < len; ++i, ++idx) {
        if (v > max[idx]) max[idx] = v;
      }
      p += 1;
    }
  }
  return idx == kRegisters;
}

std::optional<uint64_t> Count(std::string_view hll) {
  Histogram h;
  if (IsDense(hll)) {
    std::string_view regs = hll.substr(kHeaderSize);
    for (size_t i = 0; i < kRegisters; ++i) ++h.count[DenseGet(regs, i)];
    return Estimate(h);
  }
  size_t idx = 0;
  for (size_t p = kHeaderSize; p < hll.size();) {
    auto op = static_cast<uint8_t>(hll[p]);
    int len;
    if (IsZero(op)) {
      len = ZeroLen(op);
      h.count[0] += len;
      p += 1;
    } else if (IsXZero(op)) {
      len = XZeroLen(hll, p);
      h.count[0] += len;
      p += 2;
    } else {
      len = ValLen(op);
      h.count[ValValue(op)] += len;
      p += 1;
    }
    idx += static_cast<size_t>(len);
  }
  if (idx != kRegisters) return std::nullopt;
  return Estimate(h);
}

uint64_t CountRegisters(const uint8_t* registers) {
  Histogram h;
  for (size_t i = 0; i < kRegisters; ++i) ++h.count[registers[i] & kRegisterMax];
  return Estimate(h);
}

bool CacheValid(std::string_view hll) {
  return (static_cast<uint8_t>(hll[kCardByte + 7]) & 0x80) == 0;
}

uint64_t CachedCount(std::string_view hll) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | static_cast<uint8_t>(hll[kCardByte + static_cast<size_t>(i)]);
  return v;
}

void SetCache(std::string* hll, uint64_t count) {
  for (size_t i = 0; i < 8; ++i)
    (*hll)[kCardByte + i] = static_cast<char>((count >> (8 * i)) & 0xff);
}

void InvalidateCache(std::string* hll) {
  (*hll)[kCardByte + 7] = static_cast<char>(static_cast<uint8_t>((*hll)[kCardByte + 7]) | 0x80);
}

}  // namespace tessera::keyspace::hll
