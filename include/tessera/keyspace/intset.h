// Intset blobs (shared/spec/replication-rdb.md §5.10): the RDB form of small all-integer sets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tessera::keyspace {

// Decodes an intset; checks width (2, 4 or 8), size, length > 0 and strictly ascending order.
absl::StatusOr<std::vector<int64_t>> IntsetDecode(std::string_view blob);

// Encodes a set of integers with the smallest width that fits them all. The values are sorted
// and deduplicated here; Redis requires both in the blob.
std::string IntsetEncode(std::vector<int64_t> values);

}  // namespace tessera::keyspace
