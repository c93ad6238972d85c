// Adapters between keyspace Objects and the neutral RDB form (rdb_value.h) used by RDB files and
// DUMP/RESTORE (shared/spec/replication-rdb.md §5.7-5.8, §6).
#pragma once

#include "absl/status/statusor.h"
#include "tessera/keyspace/encoding_limits.h"
#include "tessera/keyspace/object.h"
#include "tessera/keyspace/rdb_value.h"
#include "tessera/keyspace/rdb_writer.h"

namespace tessera::keyspace {

// The value as RDB carries it: lists head to tail, hashes and sets in the value's own order
// (listpack order, intset ascending, table order), sorted sets ascending.
RdbValue ToRdbValue(const Object& o);

// `base` adjusted so that the RDB type written for `o` follows its in-memory encoding, as Redis
// writes a value by its encoding: a hash that went "hashtable" and shrank again is still written
// as type 4, a set that went "hashtable" as type 2, a zset that went "skiplist" as type 5.
RdbSaveOptions SaveOptionsFor(const Object& o, const RdbSaveOptions& base);

// Builds the in-memory value from its RDB form, choosing the encoding Redis 7.0 picks on load
// (strings: int/embstr/raw; collections: compact while within `limits`, whatever RDB type they
// came in). Fails with DataLossError for values Tessera cannot hold (streams), empty
// collections, and duplicate members.
absl::StatusOr<Object> FromRdbValue(RdbValue v, const EncodingLimits& limits);

}  // namespace tessera::keyspace
