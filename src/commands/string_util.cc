// Helpers shared by the string and bit commands (see string_util.h).
#include "commands/string_util.h"

#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {

StringLookup FindString(Call& c, std::string_view key) {
  StringLookup r;
  r.obj = c.db().Find(key, c.now_ms());
  if (r.obj != nullptr && !r.obj->is_string()) {
    r.obj = nullptr;
    r.wrong_type = true;
    c.WrongType();
  }
  return r;
}

keyspace::Object NewString(const Call& c, std::string s, keyspace::StringHint hint) {
  keyspace::Object o(std::move(s), hint);
  o.lru = static_cast<uint32_t>(c.now_ms() / 1000);
  return o;
}

bool CheckStringLength(Call& c, uint64_t offset, uint64_t len) {
  if (c.client.is_master_link) return true;
  const auto max = static_cast<uint64_t>(c.engine.options().proto_max_bulk_len);
  // offset + len may wrap around (SETRANGE k 9223372036854775807 x): that is too long as well.
  if (offset > max || len > max - offset) {
    c.Error(err::kStringTooLong);
    return false;
  }
  return true;
}

std::optional<uint64_t> ParseBitOffset(Call& c, std::string_view arg, bool hash, int bits) {
  bool use_hash = hash && arg.size() > 1 && arg[0] == '#';
  std::optional<int64_t> v = ParseInt(use_hash ? arg.substr(1) : arg);
  if (!v) {
    c.Error(err::kBitOffset);
    return std::nullopt;
  }
  // Redis multiplies in a signed 64-bit integer; it wraps on overflow (checked against 7.0.15:
  // "GET i64 #1152921504606846976" reads offset 0), so multiply modulo 2^64 too.
  int64_t offset =
      use_hash ? static_cast<int64_t>(static_cast<uint64_t>(*v) * static_cast<uint64_t>(bits)) : *v;
  bool limited = !c.client.is_master_link;
  if (offset < 0 || (limited && (offset >> 3) >= c.engine.options().proto_max_bulk_len)) {
    c.Error(err::kBitOffset);
    return std::nullopt;
  }
  return static_cast<uint64_t>(offset);
}

keyspace::Object* StringForBitWrite(Call& c, uint64_t max_bit, bool* grown) {
  const size_t bytes = static_cast<size_t>(max_bit >> 3) + 1;
  StringLookup s = FindString(c, c.arg(1));
  if (s.wrong_type) return nullptr;
  *grown = true;
  if (s.obj == nullptr) {
    return &c.db().Set(c.arg(1),
                       NewString(c, std::string(bytes, '\0'), keyspace::StringHint::kRaw));
  }
  std::string& str = s.obj->mutable_str();
  if (str.size() < bytes) {
    str.resize(bytes, '\0');
  } else {
    *grown = false;
  }
  s.obj->str_hint = keyspace::StringHint::kRaw;
  return s.obj;
}

void InvalidExpireError(Call& c) {
  c.Error(fmt::format(fmt::runtime(err::kInvalidExpire), c.cmd->FullName()));
}

}  // namespace tessera::commands
