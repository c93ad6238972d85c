// RDB file reader: magic, opcodes, keys and the CRC64 trailer (shared/spec/replication-rdb.md
// §5.1, §5.5, §5.15).
#include "tessera/keyspace/rdb_reader.h"

#include "rdb_codec.h"
#include "tessera/core/status.h"
#include "tessera/keyspace/crc64.h"

namespace tessera::keyspace {

using rdb_internal::CorruptAt;
using rdb_internal::Cursor;

namespace {
enum Opcode : uint8_t {
  kOpFunction2 = 0xF5,
  kOpFunctionPreGa = 0xF6,
  kOpModuleAux = 0xF7,
  kOpIdle = 0xF8,
  kOpFreq = 0xF9,
  kOpAux = 0xFA,
  kOpResizeDb = 0xFB,
  kOpExpireTimeMs = 0xFC,
  kOpExpireTime = 0xFD,
  kOpSelectDb = 0xFE,
  kOpEof = 0xFF,
};
constexpr int kMaxVersion = 10;
}  // namespace

absl::Status RdbReader::ReadHeader() {
  if (data_.size() < 9) return CorruptAt(data_.size(), "file shorter than the 9-byte header");
  if (data_.substr(0, 5) != "REDIS") return CorruptAt(0, "wrong signature (not \"REDIS\")");
  int v = 0;
  for (char ch : data_.substr(5, 4)) {
    if (ch < '0' || ch > '9') return CorruptAt(5, "version is not 4 decimal digits");
    v = v * 10 + (ch - '0');
  }
  if (v < 1 || v > kMaxVersion)
    return CorruptAt(5, fmt::format("can't handle RDB format version {}", v));
  version_ = v;
  pos_ = 9;
  return absl::OkStatus();
}

absl::StatusOr<RdbItem> RdbReader::Next() {
  if (done_) return absl::FailedPreconditionError("RDB reader is past the end or failed");
  if (version_ == 0) {
    if (auto st = ReadHeader(); !st.ok()) {
      done_ = true;
      return st;
    }
  }
  auto item = ReadItem();
  if (!item.ok() || std::holds_alternative<RdbEof>(*item)) done_ = true;
  return item;
}

absl::StatusOr<RdbEof> RdbReader::ReadEof() {
  RdbEof eof;
  if (version_ < 5) return eof;  // no checksum trailer before version 5
  const size_t at = pos_;
  if (data_.size() - pos_ < 8) return CorruptAt(pos_, "truncated checksum");
  eof.checksum = rdb_internal::LoadLe(data_.substr(pos_), 8);
  pos_ += 8;
  if (eof.checksum == 0) return eof;  // saved with rdbchecksum no
  const uint64_t crc = Crc64(0, data_.substr(0, at));
  if (crc != eof.checksum) {
    return CorruptAt(
        at, fmt::format("wrong RDB checksum: stored {:016x}, computed {:016x}", eof.checksum, crc));
  }
  eof.verified = true;
  return eof;
}

absl::StatusOr<RdbItem> RdbReader::ReadItem() {
  Cursor c(data_, pos_);
  RdbEntry entry;
  // Every return goes through here so that pos_ follows the cursor.
  auto sync = [&] { pos_ = c.pos(); };
  while (true) {
    const size_t at = c.pos();
    auto type_or = c.Byte();
    if (!type_or.ok()) return type_or.status();
    const uint8_t type = *type_or;
    switch (type) {
      case kOpEof:
        sync();
        return ReadEof();
      case kOpSelectDb: {
        TS_ASSIGN_OR_RETURN(uint64_t db, c.Len());
        db_ = db;
        sync();
        return RdbSelectDb{db};
      }
      case kOpResizeDb: {
        RdbResizeDb r;
        TS_ASSIGN_OR_RETURN(r.keys, c.Len());
        TS_ASSIGN_OR_RETURN(r.expires, c.Len());
        sync();
        return r;
      }
      case kOpAux: {
        RdbAux a;
        TS_ASSIGN_OR_RETURN(a.key, c.String());
        TS_ASSIGN_OR_RETURN(a.value, c.String());
        sync();
        return a;
      }
      case kOpFunction2: {
        RdbFunction f;
        TS_ASSIGN_OR_RETURN(f.code, c.String());
        sync();
        return f;
      }
      case kOpExpireTime: {
        TS_ASSIGN_OR_RETURN(std::string_view b, c.Bytes(4));
        entry.expire_ms = rdb_internal::SignExtend(rdb_internal::LoadLe(b, 4), 32) * 1000;
        continue;
      }
      case kOpExpireTimeMs: {
        TS_ASSIGN_OR_RETURN(std::string_view b, c.Bytes(8));
        entry.expire_ms = static_cast<int64_t>(rdb_internal::LoadLe(b, 8));
        continue;
      }
      case kOpIdle: {
        TS_ASSIGN_OR_RETURN(uint64_t idle, c.Len());
        entry.lru_idle_s = static_cast<int64_t>(idle & INT64_MAX);
        continue;
      }
      case kOpFreq: {
        TS_ASSIGN_OR_RETURN(uint8_t f, c.Byte());
        entry.lfu_freq = f;
        continue;
      }
      case kOpModuleAux:
        return c.ErrorAt(at, "module aux data is not supported");
      case kOpFunctionPreGa:
        return c.ErrorAt(at, "pre-release FUNCTION opcode is not supported");
      default:
        break;
    }
    if (!rdb_internal::IsValueType(type) || type == kRdbModule || type == kRdbModule2) {
      if (rdb_internal::IsValueType(type)) {
        return c.ErrorAt(at, fmt::format("module value (type {}) is not supported", type));
      }
      return c.ErrorAt(at, fmt::format("unknown value type or opcode {}", type));
    }
    TS_ASSIGN_OR_RETURN(entry.key, c.String());
    TS_ASSIGN_OR_RETURN(entry.value, rdb_internal::ReadValue(c, type));
    if (rdb_internal::IsEmptyCollection(entry.value)) {
      entry = RdbEntry();  // 7.0.15 skips empty collections (and their expiry) with a warning
      continue;
    }
    entry.db = db_;
    sync();
    return entry;
  }
}

absl::StatusOr<RdbContents> ReadRdb(std::string_view data) {
  RdbReader r(data);
  RdbContents out;
  while (true) {
    TS_ASSIGN_OR_RETURN(RdbItem item, r.Next());
    if (auto* a = std::get_if<RdbAux>(&item)) {
      out.aux.push_back(std::move(*a));
    } else if (auto* f = std::get_if<RdbFunction>(&item)) {
      out.functions.push_back(std::move(*f));
    } else if (auto* e = std::get_if<RdbEntry>(&item)) {
      out.entries.push_back(std::move(*e));
    } else if (auto* eof = std::get_if<RdbEof>(&item)) {
      out.eof = *eof;
      out.version = r.version();
      return out;
    }
  }
}

}  // namespace tessera::keyspace
