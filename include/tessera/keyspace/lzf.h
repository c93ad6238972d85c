// LZF compression in the liblzf stream format (no header), as used for RDB strings
// (shared/spec/replication-rdb.md §5.4). Written from the format description and liblzf's
// observable output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tessera::keyspace {

// Compresses `in` choosing the same matches as liblzf as Redis builds it (HLOG 16, VERY_FAST),
// so RDB strings and DUMP payloads are byte-identical to Redis's. Returns an empty string when
// the result would not fit in `max_out` bytes by liblzf's (conservative) checks: Redis passes
// max_out = size - 4 and stores the string raw when that fails. Empty input gives empty output.
std::string LzfCompress(std::string_view in, size_t max_out);
// Same without a size limit (the output may be longer than the input).
std::string LzfCompress(std::string_view in);

// Decompresses `in`, which must produce exactly `ulen` bytes. Returns DataLossError (message
// names the offset inside `in`) on any malformed input; never reads or writes out of bounds.
absl::StatusOr<std::string> LzfDecompress(std::string_view in, size_t ulen);

}  // namespace tessera::keyspace
