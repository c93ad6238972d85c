// String commands on parts of a value: APPEND, STRLEN, GETRANGE (SUBSTR), SETRANGE, and LCS.
// Index rules, limits and error texts as redis-server 7.0.15.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "commands/string_util.h"
#include "commands/util.h"
#include "tessera/commands/notify.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

using keyspace::Object;
using keyspace::StringHint;

void Append(Call& c) {
  const std::string& key = c.arg(1);
  StringLookup s = FindString(c, key);
  if (s.wrong_type) return;
  size_t len = c.arg(2).size();
  if (s.obj == nullptr) {
    c.db().Set(key, NewString(c, std::move(c.argv[2])));
  } else {
    std::string& str = s.obj->mutable_str();
    if (!CheckStringLength(c, str.size(), len)) return;
    str.append(c.arg(2));
    // Redis appends to a private sds copy, so the value is "raw" from now on.
    s.obj->str_hint = StringHint::kRaw;
    len = str.size();
  }
  c.Touched(key);
  c.Notify(notify::kString, "append", key);
  c.w.Integer(static_cast<int64_t>(len));
}

void StrLen(Call& c) {
  StringLookup s = FindString(c, c.arg(1));
  if (s.wrong_type) return;
  c.w.Integer(s.obj == nullptr ? 0 : static_cast<int64_t>(s.obj->str().size()));
}

void GetRange(Call& c) {
  std::optional<int64_t> start = ParseInt(c.arg(2));
  std::optional<int64_t> end = start ? ParseInt(c.arg(3)) : std::nullopt;
  if (!start || !end) {
    c.Error(err::kNotInteger);
    return;
  }
  StringLookup s = FindString(c, c.arg(1));
  if (s.wrong_type) return;
  if (s.obj == nullptr) {
    c.w.Bulk("");
    return;
  }
  std::string_view str = s.obj->str();
  const auto len = static_cast<int64_t>(str.size());
  int64_t from = *start, to = *end;
  // Both negative and reversed is empty; without this check both would clamp to 0 and reply
  // the first byte.
  if (from < 0 && to < 0 && from > to) {
    c.w.Bulk("");
    return;
  }
  if (from < 0) from = std::max<int64_t>(len + from, 0);
  if (to < 0) to = std::max<int64_t>(len + to, 0);
  if (to >= len) to = len - 1;
  if (from > to || len == 0) {
    c.w.Bulk("");
    return;
  }
  c.w.Bulk(std::string_view(str).substr(from, to - from + 1));
}

void SetRange(Call& c) {
  std::optional<int64_t> offset = ParseInt(c.arg(2));
  if (!offset) {
    c.Error(err::kNotInteger);
    return;
  }
  if (*offset < 0) {
    c.Error("ERR offset is out of range");
    return;
  }
  const std::string& key = c.arg(1);
  const std::string& value = c.arg(3);
  StringLookup s = FindString(c, key);
  if (s.wrong_type) return;
  const auto off = static_cast<uint64_t>(*offset);
  if (s.obj == nullptr) {
    // Setting nothing on a missing key creates nothing (and skips the length check).
    if (value.empty()) {
      c.w.Integer(0);
      return;
    }
    if (!CheckStringLength(c, off, value.size())) return;
    std::string str(off + value.size(), '\0');
    std::memcpy(str.data() + off, value.data(), value.size());
    s.obj = &c.db().Set(key, NewString(c, std::move(str), StringHint::kRaw));
  } else {
    std::string& str = s.obj->mutable_str();
    if (value.empty()) {
      c.w.Integer(static_cast<int64_t>(str.size()));
      return;
    }
    if (!CheckStringLength(c, off, value.size())) return;
    if (str.size() < off + value.size()) str.resize(off + value.size(), '\0');
    std::memcpy(str.data() + off, value.data(), value.size());
    s.obj->str_hint = StringHint::kRaw;
  }
  c.Touched(key);
  c.Notify(notify::kString, "setrange", key);
  c.w.Integer(static_cast<int64_t>(s.obj->str().size()));
}

struct LcsMatch {
  uint32_t a_start, a_end, b_start, b_end;
};

struct LcsOptions {
  bool idx = false, len = false, with_match_len = false;
  int64_t min_match_len = 0;
};

// Parses LCS's options from argv[3..]; replies the error and returns false on a bad one.
bool ParseLcsOptions(Call& c, LcsOptions* o) {
  for (size_t j = 3; j < c.argc(); ++j) {
    std::string_view opt = c.arg(j);
    if (EqualsIgnoreCase(opt, "idx")) {
      o->idx = true;
    } else if (EqualsIgnoreCase(opt, "len")) {
      o->len = true;
    } else if (EqualsIgnoreCase(opt, "withmatchlen")) {
      o->with_match_len = true;
    } else if (EqualsIgnoreCase(opt, "minmatchlen") && j + 1 < c.argc()) {
      std::optional<int64_t> v = ParseInt(c.arg(++j));
      if (!v) {
        c.Error(err::kNotInteger);
        return false;
      }
      o->min_match_len = std::max<int64_t>(*v, 0);
    } else {
      c.SyntaxError();
      return false;
    }
  }
  if (o->idx && o->len) {
    c.Error("ERR If you want both the length and indexes, please just use IDX.");
    return false;
  }
  return true;
}

// Walks the LCS table back from its end, building the common string and (with `matches`) the
// matching ranges, last match first, as Redis reports them.
std::string LcsTraceback(std::string_view a, std::string_view b, const uint32_t* table,
                         const LcsOptions& o, std::vector<LcsMatch>* matches) {
  const size_t width = b.size() + 1;
  auto at = [&](size_t i, size_t j) { return table[i * width + j]; };
  std::string result(at(a.size(), b.size()), '\0');
  size_t idx = result.size();
  size_t i = a.size(), j = b.size();
  bool open = false;
  LcsMatch m{};
  while (i > 0 && j > 0) {
    bool close = false;
    if (a[i - 1] == b[j - 1]) {
      result[--idx] = a[i - 1];
      // Matches found walking back are contiguous until the walk leaves the diagonal.
      if (!open) m.a_end = static_cast<uint32_t>(i - 1), m.b_end = static_cast<uint32_t>(j - 1);
      m.a_start = static_cast<uint32_t>(i - 1);
      m.b_start = static_cast<uint32_t>(j - 1);
      open = true;
      close = i == 1 || j == 1;
      --i;
      --j;
    } else {
      if (at(i - 1, j) > at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      close = open;
    }
    if (close) {
      int64_t len = m.a_end - m.a_start + 1;
      if (matches != nullptr && (o.min_match_len == 0 || len >= o.min_match_len)) {
        matches->push_back(m);
      }
      open = false;
    }
  }
  return result;
}

void ReplyLcsMatches(Call& c, const std::vector<LcsMatch>& matches, bool with_len, uint32_t total) {
  c.w.MapHeader(2);
  c.w.Bulk("matches");
  c.w.ArrayHeader(static_cast<int64_t>(matches.size()));
  for (const LcsMatch& m : matches) {
    c.w.ArrayHeader(with_len ? 3 : 2);
    c.w.ArrayHeader(2);
    c.w.Integer(m.a_start);
    c.w.Integer(m.a_end);
    c.w.ArrayHeader(2);
    c.w.Integer(m.b_start);
    c.w.Integer(m.b_end);
    if (with_len) c.w.Integer(static_cast<int64_t>(m.a_end) - m.a_start + 1);
  }
  c.w.Bulk("len");
  c.w.Integer(total);
}

void Lcs(Call& c) {
  keyspace::Db& db = c.db();
  // Find first for lazy expiry; then Peek, which cannot invalidate the other pointer.
  db.Find(c.arg(1), c.now_ms());
  db.Find(c.arg(2), c.now_ms());
  const Object* oa = db.Peek(c.arg(1), c.now_ms());
  const Object* ob = db.Peek(c.arg(2), c.now_ms());
  if ((oa != nullptr && !oa->is_string()) || (ob != nullptr && !ob->is_string())) {
    c.Error("ERR The specified keys must contain string values");
    return;
  }
  LcsOptions o;
  if (!ParseLcsOptions(c, &o)) return;
  std::string_view a = oa == nullptr ? std::string_view() : std::string_view(oa->str());
  std::string_view b = ob == nullptr ? std::string_view() : std::string_view(ob->str());
  if (a.size() >= UINT32_MAX - 1 || b.size() >= UINT32_MAX - 1) {
    c.Error("ERR String too long for LCS");
    return;
  }
  const uint64_t cells = (uint64_t{a.size()} + 1) * (b.size() + 1);
  if (cells * sizeof(uint32_t) > static_cast<uint64_t>(c.engine.options().proto_max_bulk_len)) {
    c.Error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    return;
  }
  std::unique_ptr<uint32_t[]> table(new (std::nothrow) uint32_t[cells]);
  if (table == nullptr) {
    c.Error("ERR Insufficient memory, failed allocating transient memory for LCS");
    return;
  }
  // table[i][j] is the LCS length of a[0..i) and b[0..j).
  const size_t width = b.size() + 1;
  for (size_t j = 0; j < width; ++j) table[j] = 0;
  for (size_t i = 1; i <= a.size(); ++i) {
    uint32_t* row = &table[i * width];
    const uint32_t* up = row - width;
    row[0] = 0;
    for (size_t j = 1; j < width; ++j) {
      row[j] = a[i - 1] == b[j - 1] ? up[j - 1] + 1 : std::max(up[j], row[j - 1]);
    }
  }
  const uint32_t total = table[a.size() * width + b.size()];
  if (o.len && !o.idx) {
    c.w.Integer(total);
    return;
  }
  std::vector<LcsMatch> matches;
  std::string common = LcsTraceback(a, b, table.get(), o, o.idx ? &matches : nullptr);
  if (o.idx) {
    ReplyLcsMatches(c, matches, o.with_match_len, total);
  } else {
    c.w.Bulk(common);
  }
}

}  // namespace

void RegisterStringRangeCommands(CommandTable& t) {
  t.Register("append", Append);
  t.Register("strlen", StrLen);
  t.Register("getrange", GetRange);
  t.Register("substr", GetRange);
  t.Register("setrange", SetRange);
  t.Register("lcs", Lcs);
}

}  // namespace tessera::commands
