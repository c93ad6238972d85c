// LZF compression in the liblzf stream format (no header), as used for RDB strings
// (shared/spec/replication-rdb.md §5.4). Written from the format description.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tessera::keyspace {

// Compresses `in`. Any output decodes back to `in`; it is not byte-identical to liblzf's.
// The result may be longer than the input (callers keep it only when it saves space).
std::string LzfCompress(std::string_view in);

// Decompresses `in`, which must produce exactly `ulen` bytes. Returns DataLossError (message
// names the offset inside `in`) on any malformed input; never reads or writes out of bounds.
absl::StatusOr<std::string> LzfDecompress(std::string_view in, size_t ulen);

}  // namespace tessera::keyspace
