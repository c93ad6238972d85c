// Incremental RESP request parser (multibulk and inline), with Redis's limits and error texts.
// Bytes in, argv out; never reads past the bytes given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::resp {

struct ParserLimits {
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;  // proto-max-bulk-len
  int64_t max_multibulk = 1024LL * 1024 * 1024;       // Redis: "invalid multibulk length" above
  size_t max_inline = 64 * 1024;                      // PROTO_INLINE_MAX_SIZE
  // Hardening before AUTH (CVE-2021-32675 and friends): at most 10 elements, 16384-byte bulks.
  bool unauthenticated = false;
};

enum class ParseStatus {
  kNeedMore,  // nothing complete yet; call again with more bytes
  kCommand,   // *argv holds one command (may be empty for an empty inline line: skip it)
  kError,     // protocol error: reply "-ERR <error()>" then close the connection
};

class Parser {
 public:
  explicit Parser(ParserLimits limits = {}) : limits_(limits) {}
  void set_limits(const ParserLimits& l) { limits_ = l; }

  // Parses at most one command from the front of `buf`. On kCommand, *consumed is the number of
  // bytes the command took; on kNeedMore, the bytes parsed so far are retained in the parser's
  // state and *consumed says how many of `buf` may be dropped by the caller.
  // On kError, error() holds Redis's text without the "-ERR " prefix, e.g.
  // "Protocol error: invalid multibulk length".
  ParseStatus Parse(std::string_view buf, size_t* consumed, std::vector<std::string>* argv);

  const std::string& error() const { return error_; }
  // True while a multibulk request is partly received (for the query-buffer limit rules).
  bool InMiddleOfRequest() const { return multibulk_left_ > 0 || bulk_len_ >= 0; }

 private:
  ParserLimits limits_;
  std::string error_;
  std::vector<std::string> pending_;  // elements received so far of the current multibulk
  int64_t multibulk_left_ = 0;        // elements still to read; 0: not inside a multibulk
  int64_t bulk_len_ = -1;             // length of the bulk being read; -1: expecting "$"
};

}  // namespace tessera::resp
