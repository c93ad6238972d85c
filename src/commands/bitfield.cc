// BITFIELD and BITFIELD_RO: signed and unsigned integers of 1..64 bits (u63 at most) at any bit
// offset of a string, with WRAP/SAT/FAIL overflow. Replies, quirks and errors as
// redis-server 7.0.15.
#include <cstdint>
#include <limits>
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

enum class Overflow : uint8_t { kWrap, kSat, kFail };
enum class FieldOp : uint8_t { kGet, kSet, kIncrBy };

struct FieldCommand {
  FieldOp op;
  Overflow overflow;
  bool is_signed;
  int bits;
  uint64_t offset;
  int64_t value;  // SET's value or INCRBY's increment
};

// Reads `bits` bits at `offset`, MSB first; bits past the end of s read as 0.
uint64_t GetBits(std::string_view s, uint64_t offset, int bits) {
  uint64_t v = 0;
  for (int i = 0; i < bits; ++i, ++offset) {
    const uint64_t byte = offset >> 3;
    uint64_t bit = 0;
    if (byte < s.size()) bit = (static_cast<uint8_t>(s[byte]) >> (7 - (offset & 7))) & 1;
    v = (v << 1) | bit;
  }
  return v;
}

// Precondition: s holds bit offset + bits - 1.
void SetBits(std::string& s, uint64_t offset, int bits, uint64_t v) {
  for (int i = bits - 1; i >= 0; --i, ++offset) {
    auto& byte = reinterpret_cast<uint8_t&>(s[offset >> 3]);
    const auto mask = static_cast<uint8_t>(0x80 >> (offset & 7));
    if ((v >> i) & 1) {
      byte |= mask;
    } else {
      byte &= static_cast<uint8_t>(~mask);
    }
  }
}

int64_t SignExtend(uint64_t v, int bits) {
  if (bits < 64 && ((v >> (bits - 1)) & 1)) v |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(v);
}

// The value to store for an op, or nullopt when it overflows under FAIL.
struct FieldResult {
  std::optional<int64_t> stored;
  int64_t reply;
};

FieldResult ApplyUnsigned(const FieldCommand& f, uint64_t old) {
  const uint64_t max = (uint64_t{1} << f.bits) - 1;  // bits <= 63
  uint64_t sum;
  bool over = false, under = false;
  if (f.op == FieldOp::kSet) {
    // A negative value is a huge unsigned one: it saturates to max (checked against 7.0.15).
    sum = static_cast<uint64_t>(f.value);
    over = sum > max;
  } else {
    sum = old + static_cast<uint64_t>(f.value);
    const __int128 exact = static_cast<__int128>(old) + f.value;
    over = exact > static_cast<__int128>(max);
    under = exact < 0;
  }
  uint64_t stored = sum & max;
  if (f.overflow == Overflow::kSat) stored = over ? max : under ? 0 : stored;
  FieldResult r;
  if (!((over || under) && f.overflow == Overflow::kFail)) r.stored = static_cast<int64_t>(stored);
  r.reply = f.op == FieldOp::kSet ? static_cast<int64_t>(old) : static_cast<int64_t>(stored);
  return r;
}

FieldResult ApplySigned(const FieldCommand& f, int64_t old) {
  const int64_t max =
      f.bits == 64 ? std::numeric_limits<int64_t>::max() : (int64_t{1} << (f.bits - 1)) - 1;
  const int64_t min = -max - 1;
  __int128 exact = f.op == FieldOp::kSet ? f.value : static_cast<__int128>(old) + f.value;
  bool over = exact > max, under = exact < min;
  // Redis quirk: SET of a value so far below min that max - value exceeds INT64_MAX is taken
  // as an overflow, so SAT stores max (7.0.15: "SET i8 0 -9223372036854775808" stores 127).
  if (under && f.op == FieldOp::kSet &&
      static_cast<__int128>(max) - exact > std::numeric_limits<int64_t>::max()) {
    over = true;
    under = false;
  }
  const uint64_t sum =
      static_cast<uint64_t>(f.op == FieldOp::kSet ? 0 : old) + static_cast<uint64_t>(f.value);
  int64_t stored = SignExtend(f.bits == 64 ? sum : sum & ((uint64_t{1} << f.bits) - 1), f.bits);
  if (f.overflow == Overflow::kSat) stored = over ? max : under ? min : stored;
  FieldResult r;
  if (!((over || under) && f.overflow == Overflow::kFail)) r.stored = stored;
  r.reply = f.op == FieldOp::kSet ? old : stored;
  return r;
}

constexpr std::string_view kBadType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";

// "i1".."i64" or "u1".."u63" into *f; false when invalid.
bool ParseFieldType(std::string_view t, FieldCommand* f) {
  if (t.empty()) return false;
  // Lowercase only: 7.0.15 rejects "I8" and "U8".
  if (t[0] == 'i') {
    f->is_signed = true;
  } else if (t[0] == 'u') {
    f->is_signed = false;
  } else {
    return false;
  }
  std::optional<int64_t> bits = ParseInt(t.substr(1));
  if (!bits || *bits < 1 || *bits > (f->is_signed ? 64 : 63)) return false;
  f->bits = static_cast<int>(*bits);
  return true;
}

// Parses every subcommand before touching the key, as Redis does. Replies the error and
// returns false on a bad one. *max_write_bit gets the last bit any SET/INCRBY writes.
bool ParseFieldCommands(Call& c, std::vector<FieldCommand>* out, bool* writes,
                        uint64_t* max_write_bit) {
  Overflow overflow = Overflow::kWrap;
  for (size_t j = 2; j < c.argc(); ++j) {
    const size_t rest = c.argc() - j - 1;
    std::string_view sub = c.arg(j);
    FieldCommand f{};
    if (EqualsIgnoreCase(sub, "get") && rest >= 2) {
      f.op = FieldOp::kGet;
    } else if (EqualsIgnoreCase(sub, "set") && rest >= 3) {
      f.op = FieldOp::kSet;
    } else if (EqualsIgnoreCase(sub, "incrby") && rest >= 3) {
      f.op = FieldOp::kIncrBy;
    } else if (EqualsIgnoreCase(sub, "overflow") && rest >= 1) {
      std::string_view kind = c.arg(++j);
      if (EqualsIgnoreCase(kind, "wrap")) {
        overflow = Overflow::kWrap;
      } else if (EqualsIgnoreCase(kind, "sat")) {
        overflow = Overflow::kSat;
      } else if (EqualsIgnoreCase(kind, "fail")) {
        overflow = Overflow::kFail;
      } else {
        c.Error("ERR Invalid OVERFLOW type specified");
        return false;
      }
      continue;
    } else {
      c.SyntaxError();
      return false;
    }
    f.overflow = overflow;
    if (!ParseFieldType(c.arg(j + 1), &f)) {
      c.Error(kBadType);
      return false;
    }
    std::optional<uint64_t> offset = ParseBitOffset(c, c.arg(j + 2), true, f.bits);
    if (!offset) return false;
    f.offset = *offset;
    if (f.op != FieldOp::kGet) {
      *writes = true;
      *max_write_bit = std::max(*max_write_bit, f.offset + f.bits - 1);
      std::optional<int64_t> v = ParseInt(c.arg(j + 3));
      if (!v) {
        c.Error(err::kNotInteger);
        return false;
      }
      f.value = *v;
    }
    out->push_back(f);
    j += f.op == FieldOp::kGet ? 2 : 3;
  }
  return true;
}

void BitFieldGeneric(Call& c, bool read_only) {
  std::vector<FieldCommand> ops;
  bool writes = false;
  uint64_t max_write_bit = 0;
  if (!ParseFieldCommands(c, &ops, &writes, &max_write_bit)) return;
  Object* o = nullptr;
  bool grown = false;
  if (!writes) {
    StringLookup s = FindString(c, c.arg(1));
    if (s.wrong_type) return;
    o = s.obj;
  } else if (read_only) {
    c.Error("ERR BITFIELD_RO only supports the GET subcommand");
    return;
  } else {
    o = StringForBitWrite(c, max_write_bit, &grown);
    if (o == nullptr) return;
  }
  std::string_view empty;
  uint64_t changes = 0;
  c.w.ArrayHeader(static_cast<int64_t>(ops.size()));
  for (const FieldCommand& f : ops) {
    const uint64_t raw =
        GetBits(o == nullptr ? empty : std::string_view(o->str()), f.offset, f.bits);
    if (f.op == FieldOp::kGet) {
      c.w.Integer(f.is_signed ? SignExtend(raw, f.bits) : static_cast<int64_t>(raw));
      continue;
    }
    FieldResult r = f.is_signed ? ApplySigned(f, SignExtend(raw, f.bits)) : ApplyUnsigned(f, raw);
    if (!r.stored) {
      c.w.Null();
      continue;
    }
    c.w.Integer(r.reply);
    const auto bits = static_cast<uint64_t>(*r.stored);
    SetBits(o->mutable_str(), f.offset, f.bits, bits);
    const uint64_t mask = f.bits == 64 ? ~uint64_t{0} : (uint64_t{1} << f.bits) - 1;
    if (grown || (bits & mask) != raw) ++changes;
  }
  if (changes > 0) {
    c.Touched(c.arg(1), changes);
    c.Notify(notify::kString, "setbit", c.arg(1));
  }
}

void BitField(Call& c) { BitFieldGeneric(c, /*read_only=*/false); }
void BitFieldRo(Call& c) { BitFieldGeneric(c, /*read_only=*/true); }

}  // namespace

void RegisterBitfieldCommands(CommandTable& t) {
  t.Register("bitfield", BitField);
  t.Register("bitfield_ro", BitFieldRo);
}

}  // namespace tessera::commands
