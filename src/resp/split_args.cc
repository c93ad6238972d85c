// Inline request splitting, matching Redis 7.0's sdssplitargs byte for byte: "..." with \xHH,
// \n \r \t \b \a escapes, '...' with only \' as an escape.
#include "resp/split_args.h"

namespace tessera::resp {
namespace {

// C-locale isspace: what Redis skips between arguments and accepts after a closing quote.
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// An unquoted argument ends only at these (so "\v" and "\f" inside one are kept, as in Redis).
bool EndsBare(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char Unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

// Reads a "..." argument whose opening quote is at line[*i]; on success *i is past the quote.
bool ReadDoubleQuoted(std::string_view line, size_t* i, std::string* out) {
  const size_t n = line.size();
  size_t p = *i + 1;
  while (p < n) {
    const char c = line[p];
    if (c == '\\' && p + 3 < n && line[p + 1] == 'x' && HexValue(line[p + 2]) >= 0 &&
        HexValue(line[p + 3]) >= 0) {
      out->push_back(static_cast<char>(HexValue(line[p + 2]) * 16 + HexValue(line[p + 3])));
      p += 4;
    } else if (c == '\\' && p + 1 < n) {
      out->push_back(Unescape(line[p + 1]));
      p += 2;
    } else if (c == '"') {
      // Redis: the closing quote must be followed by a space or by the end of the line.
      if (p + 1 < n && !IsSpace(line[p + 1])) return false;
      *i = p + 1;
      return true;
    } else {
      out->push_back(c);
      ++p;
    }
  }
  return false;
}

bool ReadSingleQuoted(std::string_view line, size_t* i, std::string* out) {
  const size_t n = line.size();
  size_t p = *i + 1;
  while (p < n) {
    const char c = line[p];
    if (c == '\\' && p + 1 < n && line[p + 1] == '\'') {
      out->push_back('\'');
      p += 2;
    } else if (c == '\'') {
      if (p + 1 < n && !IsSpace(line[p + 1])) return false;
      *i = p + 1;
      return true;
    } else {
      out->push_back(c);
      ++p;
    }
  }
  return false;
}

}  // namespace

bool SplitInlineArgs(std::string_view line, std::vector<std::string>* args, size_t* argc) {
  const size_t n = line.size();
  size_t i = 0;
  *argc = 0;
  while (true) {
    while (i < n && IsSpace(line[i])) ++i;
    if (i == n) return true;
    if (*argc == args->size()) args->emplace_back();
    std::string& cur = (*args)[(*argc)++];
    cur.clear();
    // A bare run, then optionally one quoted part ('a"b c"' is "ab c"). The quoted part must be
    // followed by a space or the end, so either way the argument is over.
    const size_t start = i;
    while (i < n && !EndsBare(line[i]) && line[i] != '"' && line[i] != '\'') ++i;
    cur.append(line.data() + start, i - start);
    if (i < n && (line[i] == '"' || line[i] == '\'')) {
      const bool ok =
          line[i] == '"' ? ReadDoubleQuoted(line, &i, &cur) : ReadSingleQuoted(line, &i, &cur);
      if (!ok) return false;
    }
  }
}

}  // namespace tessera::resp
