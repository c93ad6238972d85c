// Intset reader and writer (shared/spec/replication-rdb.md §5.10).
#include "tessera/keyspace/intset.h"

#include <algorithm>

#include "rdb_util.h"

namespace tessera::keyspace {

using rdb_internal::LoadLe;
using rdb_internal::SignExtend;
using rdb_internal::StoreLe;

absl::StatusOr<std::vector<int64_t>> IntsetDecode(std::string_view blob) {
  auto bad = [](std::string_view what) {
    return absl::DataLossError(fmt::format("intset: {}", what));
  };
  if (blob.size() < 8) return bad("shorter than its 8-byte header");
  uint64_t width = LoadLe(blob, 4);
  uint64_t len = LoadLe(blob.substr(4), 4);
  if (width != 2 && width != 4 && width != 8) return bad(fmt::format("invalid width {}", width));
  if (len == 0) return bad("empty");
  if (len * width != blob.size() - 8) {
    return bad(
        fmt::format("{} elements of {} bytes do not fill {} bytes", len, width, blob.size()));
  }
  std::vector<int64_t> out;
  out.reserve(len);
  for (uint64_t i = 0; i < len; ++i) {
    int64_t v = SignExtend(LoadLe(blob.substr(8 + i * width), width), static_cast<int>(width * 8));
    if (!out.empty() && v <= out.back()) return bad(fmt::format("element {} is out of order", i));
    out.push_back(v);
  }
  return out;
}

std::string IntsetEncode(std::vector<int64_t> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  size_t width = 2;
  for (int64_t v : values) {
    if (v < INT32_MIN || v > INT32_MAX) {
      width = 8;
      break;
    }
    if (v < INT16_MIN || v > INT16_MAX) width = 4;
  }
  std::string out;
  out.reserve(8 + values.size() * width);
  StoreLe(&out, width, 4);
  StoreLe(&out, values.size(), 4);
  for (int64_t v : values) StoreLe(&out, static_cast<uint64_t>(v), width);
  return out;
}

}  // namespace tessera::keyspace
