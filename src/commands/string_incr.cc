// Counters on string values: INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT. Overflow rules, error
// texts and INCRBYFLOAT's long double text as redis-server 7.0.15. The value keeps its TTL.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "commands/string_util.h"
#include "commands/util.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"
#include "tessera/resp/writer.h"

namespace tessera::commands {
namespace {

using keyspace::Object;
using keyspace::StringHint;

void IncrBy(Call& c, int64_t incr) {
  // One hash lookup, inserting when missing: a missing key counts as 0, and 0 plus any int64
  // neither fails to parse nor overflows, so a failed INCR never leaves an empty key behind.
  bool inserted = false;
  Object& o = c.db().FindOrInsert(c.arg(1), c.now_ms(), &inserted);
  int64_t value = 0;
  if (inserted) {
    o.lru = static_cast<uint32_t>(c.now_ms() / 1000);
  } else {
    if (!o.is_string()) {
      c.WrongType();
      return;
    }
    std::optional<int64_t> v = ParseInt(o.str());
    if (!v) {
      c.Error(err::kNotInteger);
      return;
    }
    value = *v;
  }
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if ((incr < 0 && value < 0 && incr < kMin - value) ||
      (incr > 0 && value > 0 && incr > kMax - value)) {
    c.Error(err::kOverflow);
    return;
  }
  value += incr;
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  (void)ec;
  // In place: keeps the TTL (and the counter stays in the Object's inline bytes).
  o.SetStr(std::string_view(buf, static_cast<size_t>(end - buf)));
  o.str_hint = StringHint::kAuto;
  c.Touched(c.arg(1));
  c.Notify(notify::kString, "incrby", c.arg(1));
  c.w.Integer(value);
}

void Incr(Call& c) { IncrBy(c, 1); }
void Decr(Call& c) { IncrBy(c, -1); }

void IncrByCmd(Call& c) {
  std::optional<int64_t> incr = ParseInt(c.arg(2));
  if (!incr) {
    c.Error(err::kNotInteger);
    return;
  }
  IncrBy(c, *incr);
}

void DecrBy(Call& c) {
  std::optional<int64_t> decr = ParseInt(c.arg(2));
  if (!decr) {
    c.Error(err::kNotInteger);
    return;
  }
  if (*decr == std::numeric_limits<int64_t>::min()) {
    c.Error("ERR decrement would overflow");
    return;
  }
  IncrBy(c, -*decr);
}

void IncrByFloat(Call& c) {
  // Redis checks the stored value before the increment (both give the same error).
  keyspace::Db& db = c.db();
  Object* o = db.Find(c.arg(1), c.now_ms());
  long double value = 0;
  if (o != nullptr) {
    if (!o->is_string()) {
      c.WrongType();
      return;
    }
    std::optional<long double> v = ParseLongDouble(o->str());
    if (!v) {
      c.Error(err::kNotFloat);
      return;
    }
    value = *v;
  }
  std::optional<long double> incr = ParseLongDouble(c.arg(2));
  if (!incr) {
    c.Error(err::kNotFloat);
    return;
  }
  value += *incr;
  if (std::isnan(value) || std::isinf(value)) {
    c.Error("ERR increment would produce NaN or Infinity");
    return;
  }
  std::string text = resp::FormatHumanLongDouble(value);
  c.w.Bulk(text);
  // Redis stores the text as a plain string object: "3" is embstr, never int.
  if (o == nullptr) {
    db.Set(c.arg(1), NewString(c, std::move(text), StringHint::kNoInt));
  } else {
    o->SetStr(text);
    o->str_hint = StringHint::kNoInt;
  }
  c.Touched(c.arg(1));
  c.Notify(notify::kString, "incrbyfloat", c.arg(1));
}

}  // namespace

void RegisterStringIncrCommands(CommandTable& t) {
  t.Register("incr", Incr);
  t.Register("decr", Decr);
  t.Register("incrby", IncrByCmd);
  t.Register("decrby", DecrBy);
  t.Register("incrbyfloat", IncrByFloat);
}

}  // namespace tessera::commands
