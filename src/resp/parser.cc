// RESP request parser: Redis 7.0's processInlineBuffer/processMultibulkBuffer behaviour, made
// incremental. Every quirk kept here was checked against redis-server 7.0.15.
#include "tessera/resp/parser.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "resp/split_args.h"

namespace tessera::resp {
namespace {

constexpr size_t kNpos = std::string_view::npos;
// Bulks above this are reserved for in steps, so that a header alone can't make us allocate
// proto-max-bulk-len bytes; appends then grow geometrically (no quadratic copying).
constexpr int64_t kMaxUpfrontReserve = 1 << 20;

// Redis's string2ll: optional '-', no '+', no leading zeros ("0" alone is fine, "-0" is not),
// no spaces, and no overflow.
bool ParseRedisInt(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) ++i;
  if (i == s.size() || s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;  // |INT64_MIN|
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (kMaxMagnitude - d) / 10) return false;
    v = v * 10 + d;
  }
  if (negative) {
    *out = v == kMaxMagnitude ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(v);
    return true;
  }
  if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
  *out = static_cast<int64_t>(v);
  return true;
}

}  // namespace

void Parser::Reset() {
  state_ = State::kIdle;
  error_.clear();
  argc_ = 0;
  pending_bytes_ = 0;
  multibulk_left_ = 0;
  bulk_len_ = -1;
  bulk_done_ = 0;
  scanned_ = 0;
  nul_blocked_ = false;
}

ParseStatus Parser::Fail(std::string_view msg) {
  error_.assign(msg);
  state_ = State::kError;
  return ParseStatus::kError;
}

std::string& Parser::NextArg() {
  if (argc_ == pending_.size()) pending_.emplace_back();
  std::string& s = pending_[argc_++];
  s.clear();
  return s;
}

ParseStatus Parser::Finish(std::vector<std::string>* argv) {
  pending_.resize(argc_);
  argv->swap(pending_);
  argc_ = 0;
  pending_bytes_ = 0;
  state_ = State::kIdle;
  return ParseStatus::kCommand;
}

size_t Parser::FindTerminator(std::string_view line, char term) {
  if (nul_blocked_) return kNpos;
  const char* base = line.data();
  const size_t from = std::min(scanned_, line.size());
  const size_t len = line.size() - from;
  const void* hit = std::memchr(base + from, term, len);
  const size_t end = hit ? static_cast<const char*>(hit) - base : line.size();
  // Redis uses strchr on its NUL-terminated buffer: a NUL before the terminator hides it for
  // good, and the line can then only end in a "too big" error.
  if (std::memchr(base + from, '\0', end - from) != nullptr) {
    nul_blocked_ = true;
    return kNpos;
  }
  scanned_ = end;
  return hit ? end : kNpos;
}

ParseStatus Parser::Parse(std::string_view buf, size_t* consumed, std::vector<std::string>* argv) {
  *consumed = 0;
  if (state_ == State::kError) return ParseStatus::kError;
  if (state_ == State::kIdle) {
    if (buf.empty()) return ParseStatus::kNeedMore;
    // Redis picks the request type from the first byte alone.
    state_ = buf[0] == '*' ? State::kCount : State::kInline;
    scanned_ = 0;
    nul_blocked_ = false;
  }
  if (state_ == State::kInline) return ParseInline(buf, consumed, argv);

  size_t pos = 0;
  ParseStatus st = ParseStatus::kNeedMore;
  if (state_ == State::kCount) {
    st = ParseCount(buf, &pos, argv);
    if (st != ParseStatus::kNeedMore || state_ == State::kCount) {
      *consumed = pos;
      return st;
    }
  }
  while (multibulk_left_ > 0) {
    st = state_ == State::kBulkHeader ? ParseBulkHeader(buf, &pos) : ParseBulkBody(buf, &pos);
    if (st != ParseStatus::kCommand) break;
  }
  *consumed = pos;
  if (st == ParseStatus::kError) return st;
  if (multibulk_left_ == 0) return Finish(argv);
  return ParseStatus::kNeedMore;
}

ParseStatus Parser::ParseInline(std::string_view buf, size_t* consumed,
                                std::vector<std::string>* argv) {
  const size_t nl = FindTerminator(buf, '\n');
  if (nl == kNpos) {
    if (buf.size() > limits_.max_inline) return Fail(kErrTooBigInline);
    return ParseStatus::kNeedMore;
  }
  size_t len = nl;
  if (len > 0 && buf[len - 1] == '\r') --len;  // one CR before the LF belongs to the terminator
  if (!SplitInlineArgs(buf.substr(0, len), &pending_, &argc_)) return Fail(kErrUnbalancedQuotes);
  *consumed = nl + 1;
  return Finish(argv);
}

// The "*N" line. Returns kNeedMore with state_ advanced when more elements follow, kCommand
// (empty argv) for N <= 0, or kNeedMore with state_ unchanged when the line is incomplete.
ParseStatus Parser::ParseCount(std::string_view buf, size_t* pos, std::vector<std::string>* argv) {
  const size_t cr = FindTerminator(buf, '\r');
  if (cr == kNpos) {
    if (buf.size() > limits_.max_inline) return Fail(kErrTooBigMbulk);
    return ParseStatus::kNeedMore;
  }
  // Redis wants one more byte after the CR but never looks at it: "*1\rX" is a valid header.
  if (cr + 1 >= buf.size()) return ParseStatus::kNeedMore;
  int64_t n = 0;
  if (!ParseRedisInt(buf.substr(1, cr - 1), &n) || n > limits_.max_multibulk) {
    return Fail(kErrInvalidMultibulk);
  }
  if (n > 10 && limits_.unauthenticated) return Fail(kErrUnauthMultibulk);
  *pos = cr + 2;
  scanned_ = 0;
  argc_ = 0;
  if (n <= 0) return Finish(argv);  // "*0", "*-1" and any negative count: nothing to run
  multibulk_left_ = n;
  state_ = State::kBulkHeader;
  return ParseStatus::kNeedMore;
}

// The "$N" line of the next element. Returns kCommand when the header was taken (the element,
// not the request, is what is complete), kNeedMore or kError otherwise.
ParseStatus Parser::ParseBulkHeader(std::string_view buf, size_t* pos) {
  const std::string_view line = buf.substr(*pos);
  const size_t cr = FindTerminator(line, '\r');
  if (cr == kNpos) {
    if (line.size() > limits_.max_inline) return Fail(kErrTooBigBulk);
    return ParseStatus::kNeedMore;
  }
  if (cr + 1 >= line.size()) return ParseStatus::kNeedMore;
  if (line[0] != '$') {
    // Redis formats the byte with %c and then turns CR and LF in error texts into spaces.
    const char got = line[0] == '\r' || line[0] == '\n' ? ' ' : line[0];
    return Fail(std::string("Protocol error: expected '$', got '") + got + "'");
  }
  int64_t n = 0;
  if (!ParseRedisInt(line.substr(1, cr - 1), &n) || n < 0 || n > limits_.proto_max_bulk_len) {
    return Fail(kErrInvalidBulk);
  }
  if (n > 16384 && limits_.unauthenticated) return Fail(kErrUnauthBulk);
  *pos += cr + 2;
  scanned_ = 0;
  bulk_len_ = n;
  bulk_done_ = 0;
  state_ = State::kBulkBody;
  std::string& arg = NextArg();
  if (n > static_cast<int64_t>(arg.capacity())) arg.reserve(std::min(n, kMaxUpfrontReserve));
  return ParseStatus::kCommand;
}

// Bulk bytes and the two bytes after them; partial bulks are taken as they come so that a large
// value is copied once and never rescanned. Returns kCommand when the element is complete.
ParseStatus Parser::ParseBulkBody(std::string_view buf, size_t* pos) {
  std::string& arg = pending_[argc_ - 1];
  const uint64_t len = static_cast<uint64_t>(bulk_len_);
  size_t avail = buf.size() - *pos;
  if (bulk_done_ < len) {
    const size_t take = static_cast<size_t>(std::min<uint64_t>(len - bulk_done_, avail));
    arg.append(buf.data() + *pos, take);
    *pos += take;
    bulk_done_ += take;
    pending_bytes_ += take;
    avail -= take;
  }
  while (bulk_done_ < len + 2 && avail > 0) {
    const char want = bulk_done_ == len ? '\r' : '\n';
    if (limits_.strict_crlf && buf[*pos] != want) return Fail(kErrBadBulkTerminator);
    ++*pos;
    ++bulk_done_;
    --avail;
  }
  if (bulk_done_ < len + 2) return ParseStatus::kNeedMore;
  bulk_len_ = -1;
  bulk_done_ = 0;
  --multibulk_left_;
  state_ = State::kBulkHeader;
  return ParseStatus::kCommand;
}

}  // namespace tessera::resp
