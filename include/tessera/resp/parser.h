// Incremental RESP request parser (multibulk and inline), with Redis 7.0's limits, quirks and
// error texts (checked byte for byte against redis-server 7.0.15). Bytes in, argv out; never
// reads past the bytes given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::resp {

struct ParserLimits {
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;  // proto-max-bulk-len
  // Redis 7.0 answers "invalid multibulk length" for counts above INT_MAX (checked live).
  int64_t max_multibulk = 2147483647;
  // PROTO_INLINE_MAX_SIZE: an inline request, or a "*N"/"$N" line, whose terminator has not
  // arrived while more than this many bytes are buffered is an error.
  size_t max_inline = 64 * 1024;
  // Hardening before AUTH (CVE-2021-32675 and friends): at most 10 elements, 16384-byte bulks.
  bool unauthenticated = false;
  // Redis skips the two bytes after a bulk without looking at them ("$3\r\nfooXY" is "foo").
  // When set, anything but "\r\n" there is a protocol error (kBadBulkTerminator). Not Redis.
  bool strict_crlf = false;
};

enum class ParseStatus {
  kNeedMore,  // nothing complete yet; call again with more bytes
  kCommand,   // *argv holds one command (may be empty: "*0", "*-1", a blank inline line; skip it)
  kError,     // protocol error: reply "-ERR <error()>" then close the connection
};

// The error texts, as Redis 7.0 sends them after "-ERR ".
inline constexpr std::string_view kErrInvalidMultibulk = "Protocol error: invalid multibulk length";
inline constexpr std::string_view kErrInvalidBulk = "Protocol error: invalid bulk length";
inline constexpr std::string_view kErrTooBigInline = "Protocol error: too big inline request";
inline constexpr std::string_view kErrTooBigMbulk = "Protocol error: too big mbulk count string";
inline constexpr std::string_view kErrTooBigBulk = "Protocol error: too big bulk count string";
inline constexpr std::string_view kErrUnauthMultibulk =
    "Protocol error: unauthenticated multibulk length";
inline constexpr std::string_view kErrUnauthBulk = "Protocol error: unauthenticated bulk length";
inline constexpr std::string_view kErrUnbalancedQuotes =
    "Protocol error: unbalanced quotes in request";
// Only with ParserLimits::strict_crlf; Redis has no such check.
inline constexpr std::string_view kErrBadBulkTerminator =
    "Protocol error: expected CRLF after bulk";
// "Protocol error: expected '$', got 'X'" is built with the offending byte (CR/LF shown as ' ').

class Parser {
 public:
  explicit Parser(ParserLimits limits = {}) : limits_(limits) {}
  // Takes effect from the next element parsed (e.g. after AUTH, for the rest of a pipeline).
  void set_limits(const ParserLimits& l) { limits_ = l; }
  const ParserLimits& limits() const { return limits_; }

  // Parses at most one command from the front of `buf`. On kCommand, *consumed is the number of
  // bytes the command took; on kNeedMore, the bytes parsed so far are retained in the parser's
  // state and *consumed says how many of `buf` may be dropped by the caller.
  // Contract: the next call must pass the bytes of `buf` after *consumed again, at its front,
  // followed by any new bytes (the parser remembers how far it already searched them).
  // *argv is overwritten on kCommand; its previous strings are kept as storage for later
  // commands (so a caller that reuses one vector avoids allocations).
  // On kError, error() holds Redis's text without the "-ERR " prefix, e.g.
  // "Protocol error: invalid multibulk length"; the parser stays in error until Reset().
  ParseStatus Parse(std::string_view buf, size_t* consumed, std::vector<std::string>* argv);

  // Forgets any partial request and a past error.
  void Reset();

  const std::string& error() const { return error_; }
  // True while a multibulk request is partly received (for the query-buffer limit rules).
  bool InMiddleOfRequest() const { return multibulk_left_ > 0 || bulk_len_ >= 0; }
  // Bytes of the current request already taken from the caller's buffers (complete elements and
  // the partial bulk): add them to the caller's buffered bytes for query-buffer limits and qbuf.
  size_t PendingBytes() const { return pending_bytes_; }

 private:
  enum class State : uint8_t { kIdle, kInline, kCount, kBulkHeader, kBulkBody, kError };

  ParseStatus ParseInline(std::string_view buf, size_t* consumed, std::vector<std::string>* argv);
  ParseStatus ParseCount(std::string_view buf, size_t* pos, std::vector<std::string>* argv);
  ParseStatus ParseBulkHeader(std::string_view buf, size_t* pos);
  ParseStatus ParseBulkBody(std::string_view buf, size_t* pos);
  // Looks for `term` in line[scanned_..]; Redis searches with strchr, so a NUL byte first means
  // the line never ends. Returns its offset in `line`, or npos (remembering the search).
  size_t FindTerminator(std::string_view line, char term);
  ParseStatus Fail(std::string_view msg);
  ParseStatus Finish(std::vector<std::string>* argv);
  std::string& NextArg();

  ParserLimits limits_;
  State state_ = State::kIdle;
  std::string error_;
  std::vector<std::string> pending_;  // elements of the current command: [0, argc_) are live
  size_t argc_ = 0;
  int64_t multibulk_left_ = 0;  // elements still to read; 0: not inside a multibulk
  int64_t bulk_len_ = -1;       // length of the bulk being read; -1: expecting "$"
  uint64_t bulk_done_ = 0;      // bytes of the current bulk and its CRLF already taken
  size_t pending_bytes_ = 0;    // see PendingBytes()
  size_t scanned_ = 0;          // bytes of the current line already searched for a terminator
  bool nul_blocked_ = false;    // a NUL was found first: this line can only grow
};

}  // namespace tessera::resp
