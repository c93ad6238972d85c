// Listpack blobs (shared/spec/replication-rdb.md §5.9): the serialized form of small hashes,
// sorted sets, quicklist nodes and stream nodes in RDB version 10.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tessera::keyspace {

// Decodes every element; integer entries come back as their decimal text. Checks the whole
// structure (header size, every entry, backlen, count, terminator). Errors are DataLossError
// naming the offset inside `blob`.
absl::StatusOr<std::vector<std::string>> ListpackDecode(std::string_view blob);

// Builds a listpack choosing encodings as Redis 7.0 does: canonical decimal int64 strings become
// the smallest integer encoding, everything else the smallest string encoding.
class ListpackBuilder {
 public:
  ListpackBuilder();
  void Append(std::string_view element);
  void AppendInt(int64_t v);
  size_t count() const { return count_; }
  // Bytes of the finished listpack (header and terminator included).
  size_t bytes() const { return buf_.size() + 1; }
  // Writes the header and terminator and returns the blob; the builder is then empty again.
  std::string Finish();

 private:
  void AppendBacklen(size_t entry_size);
  std::string buf_;  // header placeholder + entries, no terminator
  size_t count_ = 0;
};

std::string ListpackEncode(const std::vector<std::string>& elements);

}  // namespace tessera::keyspace
