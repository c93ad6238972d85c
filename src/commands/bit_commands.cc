// Bit commands on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP (BITFIELD is in
// bitfield.cc). Bit 0 is the most significant bit of byte 0. Ranges, limits and error texts
// as redis-server 7.0.15.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/string_util.h"
#include "commands/util.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

using keyspace::Object;

// The bits of byte `byte` (MSB first) that lie in [first_bit, last_bit].
uint8_t RangeMask(uint64_t byte, uint64_t first_bit, uint64_t last_bit) {
  uint8_t mask = 0xFF;
  if (byte == first_bit >> 3) mask &= static_cast<uint8_t>(0xFF >> (first_bit & 7));
  if (byte == last_bit >> 3) mask &= static_cast<uint8_t>(0xFF << (7 - (last_bit & 7)));
  return mask;
}

// Set bits of s in the bit range [first_bit, last_bit] (inside the string).
int64_t CountBits(std::string_view s, uint64_t first_bit, uint64_t last_bit) {
  const uint64_t first = first_bit >> 3, last = last_bit >> 3;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int64_t n = 0;
  uint64_t i = first;
  for (; i + 8 <= last + 1; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    n += __builtin_popcountll(word);
  }
  for (; i <= last; ++i) n += __builtin_popcount(p[i]);
  // Take back the bits of the edge bytes that lie outside the range.
  n -= __builtin_popcount(p[first] & static_cast<uint8_t>(~RangeMask(first, first_bit, last_bit)));
  if (last != first) {
    n -= __builtin_popcount(p[last] & static_cast<uint8_t>(~RangeMask(last, first_bit, last_bit)));
  }
  return n;
}

// The first bit equal to `bit` in [first_bit, last_bit] (inside the string), or -1.
int64_t FindBit(std::string_view s, uint64_t first_bit, uint64_t last_bit, bool bit) {
  const uint64_t first = first_bit >> 3, last = last_bit >> 3;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const uint64_t skip_word = bit ? 0 : ~uint64_t{0};
  for (uint64_t i = first; i <= last; ++i) {
    // Whole words holding no candidate are skipped eight bytes at a time.
    if (i != first) {
      while (i + 8 <= last) {
        uint64_t word;
        std::memcpy(&word, p + i, 8);
        if (word != skip_word) break;
        i += 8;
      }
    }
    uint8_t b = bit ? p[i] : static_cast<uint8_t>(~p[i]);
    b &= RangeMask(i, first_bit, last_bit);
    if (b != 0) return static_cast<int64_t>(i * 8) + __builtin_clz(b) - 24;
  }
  return -1;
}

void SetBit(Call& c) {
  std::optional<uint64_t> offset = ParseBitOffset(c, c.arg(2), false, 0);
  if (!offset) return;
  std::optional<int64_t> on = ParseInt(c.arg(3));
  if (!on || (*on & ~int64_t{1}) != 0) {
    c.Error(err::kBitValue);
    return;
  }
  bool grown = false;
  Object* o = StringForBitWrite(c, *offset, &grown);
  if (o == nullptr) return;
  auto& byte = reinterpret_cast<uint8_t&>(o->mutable_str()[*offset >> 3]);
  const uint8_t mask = static_cast<uint8_t>(0x80 >> (*offset & 7));
  const bool old = (byte & mask) != 0;
  if (grown || old != (*on == 1)) {
    byte = *on ? (byte | mask) : (byte & static_cast<uint8_t>(~mask));
    c.Touched(c.arg(1));
    c.Notify(notify::kString, "setbit", c.arg(1));
  }
  c.w.Integer(old ? 1 : 0);
}

void GetBit(Call& c) {
  std::optional<uint64_t> offset = ParseBitOffset(c, c.arg(2), false, 0);
  if (!offset) return;
  StringLookup s = FindString(c, c.arg(1));
  if (s.wrong_type) return;
  int bit = 0;
  if (s.obj != nullptr && (*offset >> 3) < s.obj->str().size()) {
    auto byte = static_cast<uint8_t>(s.obj->str()[*offset >> 3]);
    bit = (byte >> (7 - (*offset & 7))) & 1;
  }
  c.w.Integer(bit);
}

// Parses the BYTE|BIT unit argument; replies a syntax error and returns nullopt otherwise.
std::optional<bool> ParseIsBit(Call& c, std::string_view arg) {
  if (EqualsIgnoreCase(arg, "bit")) return true;
  if (EqualsIgnoreCase(arg, "byte")) return false;
  c.SyntaxError();
  return std::nullopt;
}

// Negative indexes count from the end; both are then clamped into [0, total - 1] (end may
// become -1 when total is 0).
void NormalizeRange(int64_t total, int64_t* start, int64_t* end) {
  if (*start < 0) *start = std::max<int64_t>(total + *start, 0);
  if (*end < 0) *end = std::max<int64_t>(total + *end, 0);
  if (*end >= total) *end = total - 1;
}

void BitCount(Call& c) {
  // A missing key is 0 whatever the other arguments (Redis looks it up first).
  StringLookup s = FindString(c, c.arg(1));
  if (s.wrong_type) return;
  if (s.obj == nullptr) {
    c.w.Integer(0);
    return;
  }
  std::string_view str = s.obj->str();
  const auto len = static_cast<int64_t>(str.size());
  int64_t start = 0, end = len - 1;
  bool is_bit = false;
  if (c.argc() == 4 || c.argc() == 5) {
    std::optional<int64_t> a = ParseInt(c.arg(2));
    std::optional<int64_t> b = a ? ParseInt(c.arg(3)) : std::nullopt;
    if (!a || !b) {
      c.Error(err::kNotInteger);
      return;
    }
    if (c.argc() == 5) {
      std::optional<bool> unit = ParseIsBit(c, c.arg(4));
      if (!unit) return;
      is_bit = *unit;
    }
    start = *a;
    end = *b;
    // Both negative and reversed is empty; clamping would otherwise make it [0, 0].
    if (start < 0 && end < 0 && start > end) {
      c.w.Integer(0);
      return;
    }
    NormalizeRange(is_bit ? len * 8 : len, &start, &end);
  } else if (c.argc() != 2) {
    c.SyntaxError();
    return;
  }
  if (start > end) {
    c.w.Integer(0);
    return;
  }
  uint64_t first_bit = is_bit ? start : start * 8;
  uint64_t last_bit = is_bit ? end : end * 8 + 7;
  c.w.Integer(CountBits(str, first_bit, last_bit));
}

void BitPos(Call& c) {
  std::optional<int64_t> bit = ParseInt(c.arg(2));
  if (!bit) {
    c.Error(err::kNotInteger);
    return;
  }
  if (*bit != 0 && *bit != 1) {
    c.Error("ERR The bit argument must be 1 or 0.");
    return;
  }
  // A missing key is an endless run of zeros, whatever the range arguments.
  StringLookup s = FindString(c, c.arg(1));
  if (s.wrong_type) return;
  if (s.obj == nullptr) {
    c.w.Integer(*bit ? -1 : 0);
    return;
  }
  std::string_view str = s.obj->str();
  const auto len = static_cast<int64_t>(str.size());
  int64_t start = 0, end = len - 1;
  bool is_bit = false, end_given = false;
  if (c.argc() >= 4 && c.argc() <= 6) {
    std::optional<int64_t> a = ParseInt(c.arg(3));
    if (!a) {
      c.Error(err::kNotInteger);
      return;
    }
    start = *a;
    // Redis reads the unit before the end argument.
    if (c.argc() == 6) {
      std::optional<bool> unit = ParseIsBit(c, c.arg(5));
      if (!unit) return;
      is_bit = *unit;
    }
    if (c.argc() >= 5) {
      std::optional<int64_t> b = ParseInt(c.arg(4));
      if (!b) {
        c.Error(err::kNotInteger);
        return;
      }
      end = *b;
      end_given = true;
    }
    NormalizeRange(is_bit ? len * 8 : len, &start, &end);
  } else if (c.argc() != 3) {
    c.SyntaxError();
    return;
  }
  if (start > end) {
    c.w.Integer(-1);
    return;
  }
  uint64_t first_bit = is_bit ? start : start * 8;
  uint64_t last_bit = is_bit ? end : end * 8 + 7;
  int64_t pos = FindBit(str, first_bit, last_bit, *bit == 1);
  // Looking for a clear bit without an explicit end: the string continues with zeros, so the
  // answer is the first bit after it.
  if (pos < 0 && *bit == 0 && !end_given) pos = len * 8;
  c.w.Integer(pos);
}

enum class BitOp { kAnd, kOr, kXor, kNot };

std::string ComputeBitOp(BitOp op, const std::vector<std::string_view>& src, size_t max_len) {
  std::string res(max_len, '\0');
  auto* r = reinterpret_cast<uint8_t*>(res.data());
  std::memcpy(r, src[0].data(), src[0].size());
  if (op == BitOp::kNot) {
    for (size_t i = 0; i < max_len; ++i) r[i] = static_cast<uint8_t>(~r[i]);
    return res;
  }
  // Shorter strings are zero-padded: AND clears past their end, OR and XOR leave it.
  for (size_t k = 1; k < src.size(); ++k) {
    const auto* p = reinterpret_cast<const uint8_t*>(src[k].data());
    const size_t n = src[k].size();
    switch (op) {
      case BitOp::kAnd:
        for (size_t i = 0; i < n; ++i) r[i] &= p[i];
        std::memset(r + n, 0, max_len - n);
        break;
      case BitOp::kOr:
        for (size_t i = 0; i < n; ++i) r[i] |= p[i];
        break;
      case BitOp::kXor:
        for (size_t i = 0; i < n; ++i) r[i] ^= p[i];
        break;
      case BitOp::kNot:
        break;
    }
  }
  return res;
}

void BitOpCmd(Call& c) {
  std::string_view name = c.arg(1);
  BitOp op;
  if (EqualsIgnoreCase(name, "and")) {
    op = BitOp::kAnd;
  } else if (EqualsIgnoreCase(name, "or")) {
    op = BitOp::kOr;
  } else if (EqualsIgnoreCase(name, "xor")) {
    op = BitOp::kXor;
  } else if (EqualsIgnoreCase(name, "not")) {
    op = BitOp::kNot;
  } else {
    c.SyntaxError();
    return;
  }
  if (op == BitOp::kNot && c.argc() != 4) {
    c.Error("ERR BITOP NOT must be called with a single source key.");
    return;
  }
  keyspace::Db& db = c.db();
  // First pass: lazy expiry and type checks. Second pass: Peek, which does not mutate the Db,
  // so the views stay valid together.
  for (size_t i = 3; i < c.argc(); ++i) {
    const Object* o = db.Find(c.arg(i), c.now_ms());
    if (o != nullptr && !o->is_string()) {
      c.WrongType();
      return;
    }
  }
  std::vector<std::string_view> src;
  src.reserve(c.argc() - 3);
  size_t max_len = 0;
  for (size_t i = 3; i < c.argc(); ++i) {
    const Object* o = db.Peek(c.arg(i), c.now_ms());
    src.push_back(o == nullptr ? std::string_view() : std::string_view(o->str()));
    max_len = std::max(max_len, src.back().size());
  }
  const std::string& dest = c.arg(2);
  if (max_len > 0) {
    // Redis builds the result as a raw string object, whatever its length.
    db.Set(dest, NewString(c, ComputeBitOp(op, src, max_len), keyspace::StringHint::kRaw));
    c.Touched(dest);
    c.Notify(notify::kString, "set", dest);
  } else if (db.Delete(dest)) {
    c.Touched(dest);
    c.Notify(notify::kGeneric, "del", dest);
  }
  c.w.Integer(static_cast<int64_t>(max_len));
}

}  // namespace

void RegisterBitCommands(CommandTable& t) {
  t.Register("setbit", SetBit);
  t.Register("getbit", GetBit);
  t.Register("bitcount", BitCount);
  t.Register("bitpos", BitPos);
  t.Register("bitop", BitOpCmd);
  RegisterBitfieldCommands(t);
}

}  // namespace tessera::commands
