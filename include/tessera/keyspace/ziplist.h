// Legacy containers that RDB files from older Redis versions hold and 7.0 still loads: ziplists
// (§5.11, list/zset/hash types 10, 12, 13, 14) and zipmaps (§5.12, hash type 9). Read only.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace tessera::keyspace {

// Decodes every entry of a ziplist (integers as decimal text). Checks zlbytes, zltail, every
// prevlen, the count (unless 65535) and the terminator.
absl::StatusOr<std::vector<std::string>> ZiplistDecode(std::string_view blob);

// Decodes a zipmap into (field, value) pairs in stored order.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ZipmapDecode(
    std::string_view blob);

}  // namespace tessera::keyspace
