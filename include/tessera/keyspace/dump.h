// DUMP / RESTORE payloads (shared/spec/replication-rdb.md §6): type byte, value in RDB encoding,
// RDB version (2 bytes LE) and CRC64 (8 bytes LE) over everything before it.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tessera/keyspace/rdb_value.h"
#include "tessera/keyspace/rdb_writer.h"

namespace tessera::keyspace {

// Redis 7.0's error texts (after "-ERR "), for the commands module to reply with.
inline constexpr std::string_view kDumpPayloadError = "DUMP payload version or checksum are wrong";
inline constexpr std::string_view kBadDataFormat = "Bad data format";

// The payload DUMP returns for `value`, with version 10.
std::string CreateDumpPayload(const RdbValue& value, const RdbSaveOptions& opts = {});

// RESTORE's envelope check: at least 10 bytes, version <= 10, CRC matching (even when zero).
// Fails with InvalidArgumentError(kDumpPayloadError).
absl::Status VerifyDumpPayload(std::string_view payload);

// Verifies, then decodes the value. A payload that passes the check but does not parse fails
// with DataLossError whose message starts with kBadDataFormat and names the offset. Bytes
// between the value and the footer are ignored, as 7.0.15 does. Empty collections are refused.
absl::StatusOr<RdbValue> DecodeDumpPayload(std::string_view payload);

}  // namespace tessera::keyspace
