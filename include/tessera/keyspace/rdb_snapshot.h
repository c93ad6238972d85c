// Whole-keyspace RDB snapshots: writing every Db as one RDB v10 file and loading one back
// (shared/spec/replication-rdb.md §5.1, §5.5). No file I/O here: bytes go to a sink, and come in
// as a buffer; times are passed in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "tessera/keyspace/db.h"
#include "tessera/keyspace/encoding_limits.h"
#include "tessera/keyspace/rdb_reader.h"
#include "tessera/keyspace/rdb_writer.h"

namespace tessera::keyspace {

struct SnapshotSaveOptions {
  RdbSaveOptions rdb;    // rdbcompression and the encoding thresholds
  RdbAuxInfo aux;        // ctime, used-mem, replication fields
  bool checksum = true;  // rdbchecksum
  // 7.0 writes IDLE under an LRU maxmemory-policy and FREQ under an LFU one (§5.5).
  bool save_lru = false;
  bool save_lfu = false;
  int64_t now_ms = 0;              // for IDLE
  size_t chunk_bytes = 64 * 1024;  // sink call size (the last call may be shorter)
};

// Writes dbs[i] as DB i (empty ones are omitted, as Redis does), calling `sink` with the bytes
// in order; stops at the first sink error and returns it. Keys are written with their TTL even
// when already expired (the loader decides).
absl::Status WriteSnapshot(const std::vector<const Db*>& dbs, const SnapshotSaveOptions& opts,
                           absl::FunctionRef<absl::Status(std::string_view)> sink);

struct SnapshotLoadOptions {
  int64_t now_ms = 0;
  // A master drops keys whose TTL already passed; a replica keeps them (§5.5).
  bool drop_expired = true;
  // DEBUG RELOAD MERGE: a key already present is replaced instead of being an error.
  bool replace_existing = false;
  EncodingLimits limits;  // encodings of the loaded values
};

struct SnapshotLoadStats {
  int version = 0;
  std::vector<RdbAux> aux;
  uint64_t keys_loaded = 0;
  uint64_t keys_expired = 0;
  uint64_t functions_skipped = 0;
};

// Loads an RDB into *dbs (whose size is the number of databases). Errors name the byte offset
// ("at offset N: ..."): corruption, a DB index out of range, a key present twice, a value
// Tessera cannot hold. On error *dbs holds part of the data: callers that must not half-load
// load into fresh Dbs and swap them in on success.
absl::StatusOr<SnapshotLoadStats> LoadSnapshot(std::string_view data,
                                               const SnapshotLoadOptions& opts,
                                               std::vector<Db>* dbs);

}  // namespace tessera::keyspace
