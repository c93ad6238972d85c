// Private RDB value codec shared by the file reader/writer and DUMP/RESTORE
// (shared/spec/replication-rdb.md §5.2-5.3, §5.7-5.13).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "rdb_util.h"
#include "tessera/keyspace/rdb_value.h"
#include "tessera/keyspace/rdb_writer.h"

namespace tessera::keyspace::rdb_internal {

// A bounds-checked read position in a byte buffer. Every error names the absolute offset
// ("at offset N: ...") where the bad or missing data starts.
class Cursor {
 public:
  explicit Cursor(std::string_view data, size_t pos = 0) : data_(data), pos_(pos) {}

  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  std::string_view data() const { return data_; }
  absl::Status ErrorAt(size_t at, std::string_view what) const { return CorruptAt(at, what); }

  absl::StatusOr<uint8_t> Byte();
  absl::StatusOr<std::string_view> Bytes(size_t n);
  // A "len" (§5.2); the special string encodings are an error here.
  absl::StatusOr<uint64_t> Len();
  // A "string" (§5.3) in any encoding: raw, int8/16/32 or LZF.
  absl::StatusOr<std::string> String();
  absl::StatusOr<double> BinaryDouble();
  // The type-3 text score: length byte, 253 NaN, 254 +inf, 255 -inf.
  absl::StatusOr<double> TextDouble();

 private:
  std::string_view data_;
  size_t pos_;
};

// True for the type codes an RDB may hold (0-7, 9-19).
bool IsValueType(uint8_t type);

// Reads the value that follows a key of the given type. Streams are checked structurally and
// kept raw. Module types are refused. An empty collection yields an empty value (callers decide).
absl::StatusOr<RdbValue> ReadValue(Cursor& c, uint8_t type);

// Walks a stream value (type 15 or 19) up to its end, checking its structure (§5.13).
absl::Status SkipStream(Cursor& c, uint8_t type);

// True when the value is a collection without elements (Redis skips such keys on load).
bool IsEmptyCollection(const RdbValue& v);

// Parses a score as Redis's loaders do (strtod rules, "inf"/"-inf"); NaN and junk are refused.
bool ParseScore(std::string_view s, double* out);

void AppendLen(std::string* out, uint64_t len);
// Writes a string choosing int / LZF / raw the way rdbSaveRawString does.
void AppendString(std::string* out, std::string_view s, bool compress);
// The type code the writer uses for `v` under `opts` (§5.17 profile, 7.0.15 thresholds).
uint8_t ChooseType(const RdbValue& v, const RdbSaveOptions& opts);
// Writes the value body for type `type` (which must come from ChooseType).
void AppendValue(std::string* out, const RdbValue& v, uint8_t type, const RdbSaveOptions& opts);

}  // namespace tessera::keyspace::rdb_internal
