// Structural walk over a serialized stream value (shared/spec/replication-rdb.md §5.13). The
// reader keeps streams as raw bytes; this only finds where the value ends and checks that every
// count, ID and listpack in it is well formed, so bad bytes are refused before anyone uses them.
#include "rdb_codec.h"
#include "tessera/core/status.h"
#include "tessera/keyspace/listpack.h"

namespace tessera::keyspace::rdb_internal {
namespace {

absl::Status SkipNodes(Cursor& c) {
  TS_ASSIGN_OR_RETURN(uint64_t nodes, c.Len());
  std::string prev_key;
  for (uint64_t i = 0; i < nodes; ++i) {
    const size_t key_at = c.pos();
    TS_ASSIGN_OR_RETURN(std::string key, c.String());
    if (key.size() != 16) return c.ErrorAt(key_at, "stream node key is not a 16-byte ID");
    // Big-endian IDs compare like the bytes.
    if (i > 0 && key <= prev_key) return c.ErrorAt(key_at, "stream node keys out of order");
    prev_key = std::move(key);
    const size_t lp_at = c.pos();
    TS_ASSIGN_OR_RETURN(std::string lp, c.String());
    auto items = ListpackDecode(lp);
    if (!items.ok()) return c.ErrorAt(lp_at, core::Msg(items.status()));
    if (items->empty()) return c.ErrorAt(lp_at, "empty listpack in stream");
  }
  return absl::OkStatus();
}

absl::Status SkipLens(Cursor& c, int n) {
  for (int i = 0; i < n; ++i) TS_RETURN_IF_ERROR(c.Len().status());
  return absl::OkStatus();
}

absl::Status SkipGroup(Cursor& c, bool v2) {
  TS_RETURN_IF_ERROR(c.String().status());      // group name
  TS_RETURN_IF_ERROR(SkipLens(c, v2 ? 3 : 2));  // last_id ms, seq [, entries_read]
  TS_ASSIGN_OR_RETURN(uint64_t pel, c.Len());
  for (uint64_t i = 0; i < pel; ++i) {
    TS_RETURN_IF_ERROR(c.Bytes(16 + 8).status());  // ID, delivery time
    TS_RETURN_IF_ERROR(c.Len().status());          // delivery count
  }
  TS_ASSIGN_OR_RETURN(uint64_t consumers, c.Len());
  for (uint64_t i = 0; i < consumers; ++i) {
    TS_RETURN_IF_ERROR(c.String().status());  // name
    TS_RETURN_IF_ERROR(c.Bytes(8).status());  // seen time
    TS_ASSIGN_OR_RETURN(uint64_t owned, c.Len());
    for (uint64_t k = 0; k < owned; ++k) TS_RETURN_IF_ERROR(c.Bytes(16).status());
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SkipStream(Cursor& c, uint8_t type) {
  const bool v2 = type == kRdbStreamListpacks2;
  TS_RETURN_IF_ERROR(SkipNodes(c));
  // length, last_id; v2 adds first_id, max_deleted_entry_id and entries_added.
  TS_RETURN_IF_ERROR(SkipLens(c, v2 ? 8 : 3));
  TS_ASSIGN_OR_RETURN(uint64_t groups, c.Len());
  for (uint64_t i = 0; i < groups; ++i) TS_RETURN_IF_ERROR(SkipGroup(c, v2));
  return absl::OkStatus();
}

}  // namespace tessera::keyspace::rdb_internal
