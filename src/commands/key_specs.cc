// Reading key specs back from the generated COMMAND INFO replies, and Redis 7.0's key-spec search
// (what COMMAND GETKEYS reports for commands whose specs are complete).
#include "commands/key_specs.h"

#include <charconv>

#include "commands/util.h"

namespace tessera::commands {
namespace {

// A RESP2 reply value: enough of the grammar for the generated COMMAND INFO bytes.
struct Value {
  char type = 0;  // '*', '$', '+', ':'
  std::string str;
  int64_t num = 0;
  std::vector<Value> elems;

  // For a flat "name, value, name, value" array (a RESP2 map): the value after `name`.
  const Value* Field(std::string_view name) const {
    for (size_t i = 0; i + 1 < elems.size(); i += 2) {
      if (elems[i].str == name) return &elems[i + 1];
    }
    return nullptr;
  }
  int Int(std::string_view name) const {
    const Value* v = Field(name);
    return v != nullptr ? static_cast<int>(v->num) : 0;
  }
};

bool ParseValue(std::string_view in, size_t* pos, Value* out, int depth) {
  if (depth > 16 || *pos >= in.size()) return false;
  size_t eol = in.find("\r\n", *pos);
  if (eol == std::string_view::npos) return false;
  out->type = in[*pos];
  std::string_view head = in.substr(*pos + 1, eol - *pos - 1);
  *pos = eol + 2;
  switch (out->type) {
    case '+':
    case '-':
      out->str = std::string(head);
      return true;
    case ':': {
      auto v = ParseInt(head);
      if (!v) return false;
      out->num = *v;
      return true;
    }
    case '$': {
      auto n = ParseInt(head);
      if (!n || *n < 0 || *pos + static_cast<size_t>(*n) + 2 > in.size()) return false;
      out->str = std::string(in.substr(*pos, static_cast<size_t>(*n)));
      *pos += static_cast<size_t>(*n) + 2;
      return true;
    }
    case '*': {
      auto n = ParseInt(head);
      if (!n || *n < 0) return false;
      out->elems.resize(static_cast<size_t>(*n));
      for (auto& e : out->elems) {
        if (!ParseValue(in, pos, &e, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

KeySpec ParseKeySpec(const Value& v) {
  KeySpec s;
  if (const Value* f = v.Field("flags")) {
    for (const auto& e : f->elems) s.flags.push_back(e.str);
  }
  if (const Value* bs = v.Field("begin_search")) {
    const Value* type = bs->Field("type");
    const Value* spec = bs->Field("spec");
    if (type != nullptr && spec != nullptr && type->str == "index") {
      s.begin = KeySpec::Begin::kIndex;
      s.index = spec->Int("index");
    } else if (type != nullptr && spec != nullptr && type->str == "keyword") {
      s.begin = KeySpec::Begin::kKeyword;
      const Value* kw = spec->Field("keyword");
      s.keyword = kw != nullptr ? kw->str : "";
      s.startfrom = spec->Int("startfrom");
    }
  }
  if (const Value* fk = v.Field("find_keys")) {
    const Value* type = fk->Field("type");
    const Value* spec = fk->Field("spec");
    if (type != nullptr && spec != nullptr && type->str == "range") {
      s.find = KeySpec::Find::kRange;
      s.lastkey = spec->Int("lastkey");
      s.keystep = spec->Int("keystep");
      s.limit = spec->Int("limit");
    } else if (type != nullptr && spec != nullptr && type->str == "keynum") {
      s.find = KeySpec::Find::kKeynum;
      s.keynumidx = spec->Int("keynumidx");
      s.firstkey = spec->Int("firstkey");
      s.keystep = spec->Int("keystep");
    }
  }
  return s;
}

// Where the keys of one spec start (0: the keyword is absent, the spec gives no keys).
int FirstKey(const KeySpec& s, const std::vector<std::string>& argv) {
  int argc = static_cast<int>(argv.size());
  if (s.begin == KeySpec::Begin::kIndex) return s.index;
  // A keyword search runs forwards from a positive start and backwards from a negative one.
  int start = s.startfrom > 0 ? s.startfrom : argc + s.startfrom;
  int step = s.startfrom > 0 ? 1 : -1;
  for (int i = start; i >= 1 && i < argc; i += step) {
    if (EqualsIgnoreCase(argv[i], s.keyword)) return i + 1;
  }
  return 0;
}

}  // namespace

bool KeySpec::Has(std::string_view flag) const {
  for (const auto& f : flags) {
    if (f == flag) return true;
  }
  return false;
}

std::optional<CommandInfoExtra> ParseCommandInfo(std::string_view info2) {
  Value v;
  size_t pos = 0;
  if (!ParseValue(info2, &pos, &v, 0) || v.type != '*' || v.elems.size() < 9) return std::nullopt;
  CommandInfoExtra out;
  for (const auto& c : v.elems[6].elems) {
    out.acl_categories.push_back(c.str.size() > 1 && c.str[0] == '@' ? c.str.substr(1) : c.str);
  }
  for (const auto& s : v.elems[8].elems) out.key_specs.push_back(ParseKeySpec(s));
  return out;
}

bool KeysFromSpecs(const std::vector<KeySpec>& specs, const std::vector<std::string>& argv,
                   std::vector<KeyRef>* out) {
  out->clear();
  int argc = static_cast<int>(argv.size());
  for (const KeySpec& s : specs) {
    if (s.Has("not_key")) continue;
    if (s.begin == KeySpec::Begin::kUnknown || s.find == KeySpec::Find::kUnknown) {
      out->clear();
      return false;
    }
    int first = FirstKey(s, argv);
    if (first == 0) continue;
    int last = 0;
    int step = s.keystep > 0 ? s.keystep : 1;
    if (s.find == KeySpec::Find::kRange) {
      if (s.lastkey >= 0) {
        last = first + s.lastkey;
      } else if (s.limit == 0) {
        last = argc + s.lastkey;
      } else {
        // "limit" keeps 1/limit of the remaining arguments as keys (XREAD's STREAMS a b 0 0).
        last = first + ((argc - first) / s.limit + s.lastkey);
      }
    } else {
      if (first + s.keynumidx >= argc) {
        out->clear();
        return false;
      }
      auto numkeys = ParseInt(argv[first + s.keynumidx]);
      if (!numkeys || *numkeys < 0 || *numkeys > argc) {
        out->clear();
        return false;
      }
      first += s.firstkey;
      last = first + static_cast<int>(*numkeys) - 1;
    }
    if (last >= argc || last < first || first >= argc) {
      out->clear();
      return false;
    }
    for (int i = first; i <= last; i += step) out->push_back(KeyRef{i, &s});
    if (s.Has("incomplete")) {
      out->clear();
      return false;
    }
  }
  return true;
}

}  // namespace tessera::commands
