// DUMP / RESTORE payload codec (shared/spec/replication-rdb.md §6).
#include "tessera/keyspace/dump.h"

#include "rdb_codec.h"
#include "tessera/core/status.h"
#include "tessera/keyspace/crc64.h"

namespace tessera::keyspace {
namespace {
constexpr uint16_t kDumpVersion = 10;
constexpr size_t kFooterSize = 10;  // 2 version bytes + 8 CRC bytes
}  // namespace

std::string CreateDumpPayload(const RdbValue& value, const RdbSaveOptions& opts) {
  std::string out;
  const uint8_t type = rdb_internal::ChooseType(value, opts);
  out.push_back(static_cast<char>(type));
  rdb_internal::AppendValue(&out, value, type, opts);
  rdb_internal::StoreLe(&out, kDumpVersion, 2);
  rdb_internal::StoreLe(&out, Crc64(0, out), 8);
  return out;
}

absl::Status VerifyDumpPayload(std::string_view p) {
  const absl::Status wrong = absl::InvalidArgumentError(std::string(kDumpPayloadError));
  if (p.size() < kFooterSize) return wrong;
  const size_t footer = p.size() - kFooterSize;
  if (rdb_internal::LoadLe(p.substr(footer), 2) > kDumpVersion) return wrong;
  if (rdb_internal::LoadLe(p.substr(footer + 2), 8) != Crc64(0, p.substr(0, footer + 2)))
    return wrong;
  return absl::OkStatus();
}

absl::StatusOr<RdbValue> DecodeDumpPayload(std::string_view p) {
  TS_RETURN_IF_ERROR(VerifyDumpPayload(p));
  auto bad = [](const absl::Status& st) {
    return absl::DataLossError(fmt::format("{}: {}", kBadDataFormat, core::Msg(st)));
  };
  rdb_internal::Cursor c(p.substr(0, p.size() - kFooterSize));
  auto type = c.Byte();
  if (!type.ok()) return bad(type.status());
  auto v = rdb_internal::ReadValue(c, *type);
  if (!v.ok()) return bad(v.status());
  if (rdb_internal::IsEmptyCollection(*v)) return bad(c.ErrorAt(1, "empty collection"));
  return v;
}

}  // namespace tessera::keyspace
