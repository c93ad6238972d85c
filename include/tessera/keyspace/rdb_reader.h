// Reads RDB files (versions 1-10, as redis-server 7.0.15 loads them) item by item
// (shared/spec/replication-rdb.md §5.1-5.16). Errors name the byte offset: "at offset N: ...".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "tessera/keyspace/rdb_value.h"

namespace tessera::keyspace {

struct RdbAux {
  std::string key;
  std::string value;
};
struct RdbSelectDb {
  uint64_t db = 0;
};
struct RdbResizeDb {  // a sizing hint only
  uint64_t keys = 0;
  uint64_t expires = 0;
};
struct RdbFunction {  // FUNCTION2: the library source, "#!<engine> name=<lib>..."
  std::string code;
};
// One key. The key-scoped opcodes that preceded it are folded in.
struct RdbEntry {
  uint64_t db = 0;  // from the last SELECTDB (0 if none)
  std::string key;
  RdbValue value;
  int64_t expire_ms = -1;   // absolute Unix ms from EXPIRETIME_MS or EXPIRETIME; -1 = none
  int64_t lru_idle_s = -1;  // IDLE; -1 = absent
  int lfu_freq = -1;        // FREQ 0..255; -1 = absent
};
struct RdbEof {
  uint64_t checksum = 0;  // as stored; 0 means "not computed"
  bool verified = false;  // true when a non-zero checksum was checked and matched
};
using RdbItem = std::variant<RdbAux, RdbSelectDb, RdbResizeDb, RdbFunction, RdbEntry, RdbEof>;

// A pull reader over a complete RDB held in memory. The caller owns the buffer and keeps it
// alive while reading. Keys whose collection is empty are skipped, as 7.0.15 does. Duplicate
// keys are not detected here (the keyspace must refuse them). Bytes after the checksum are
// left unread (see offset()).
class RdbReader {
 public:
  explicit RdbReader(std::string_view data) : data_(data) {}

  // The next item; the first call checks the magic and version. After RdbEof, or after an
  // error, further calls return FailedPreconditionError.
  absl::StatusOr<RdbItem> Next();

  int version() const { return version_; }
  size_t offset() const { return pos_; }
  bool done() const { return done_; }

 private:
  absl::Status ReadHeader();
  absl::StatusOr<RdbItem> ReadItem();
  absl::StatusOr<RdbEof> ReadEof();

  std::string_view data_;
  size_t pos_ = 0;
  int version_ = 0;
  uint64_t db_ = 0;
  bool done_ = false;
};

// Everything in an RDB file, for callers that want it all at once.
struct RdbContents {
  int version = 0;
  std::vector<RdbAux> aux;
  std::vector<RdbFunction> functions;
  std::vector<RdbEntry> entries;  // in file order
  RdbEof eof;
};
absl::StatusOr<RdbContents> ReadRdb(std::string_view data);

}  // namespace tessera::keyspace
