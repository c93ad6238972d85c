// RDB v10 file writer (shared/spec/replication-rdb.md §5.1, §5.5-5.6, §5.17).
#include "tessera/keyspace/rdb_writer.h"

#include <utility>

#include "rdb_codec.h"
#include "tessera/keyspace/crc64.h"

namespace tessera::keyspace {

using rdb_internal::AppendLen;
using rdb_internal::AppendString;

namespace {
enum Opcode : uint8_t {
  kOpFunction2 = 0xF5,
  kOpIdle = 0xF8,
  kOpFreq = 0xF9,
  kOpAux = 0xFA,
  kOpResizeDb = 0xFB,
  kOpExpireTimeMs = 0xFC,
  kOpSelectDb = 0xFE,
  kOpEof = 0xFF,
};
}  // namespace

void RdbWriter::Begin() { out_.append("REDIS0010"); }

void RdbWriter::Aux(std::string_view key, std::string_view value) {
  out_.push_back(static_cast<char>(kOpAux));
  AppendString(&out_, key, opts_.compression);
  AppendString(&out_, value, opts_.compression);
}

void RdbWriter::StandardAux(const RdbAuxInfo& info) {
  // 7.0.15's order: version, bits, ctime, used-mem, replication fields, aof-base.
  Aux("redis-ver", info.redis_ver);
  Aux("redis-bits", std::to_string(info.redis_bits));
  Aux("ctime", std::to_string(info.ctime_s));
  Aux("used-mem", std::to_string(info.used_mem));
  if (info.repl_id) {
    Aux("repl-stream-db", std::to_string(info.repl_stream_db));
    Aux("repl-id", *info.repl_id);
    Aux("repl-offset", std::to_string(info.repl_offset));
  }
  Aux("aof-base", info.aof_base ? "1" : "0");
}

void RdbWriter::Function(std::string_view library_code) {
  out_.push_back(static_cast<char>(kOpFunction2));
  AppendString(&out_, library_code, opts_.compression);
}

void RdbWriter::SelectDb(uint64_t db) {
  out_.push_back(static_cast<char>(kOpSelectDb));
  AppendLen(&out_, db);
}

void RdbWriter::ResizeDb(uint64_t keys, uint64_t expires) {
  out_.push_back(static_cast<char>(kOpResizeDb));
  AppendLen(&out_, keys);
  AppendLen(&out_, expires);
}

void RdbWriter::Entry(std::string_view key, const RdbValue& value, int64_t expire_ms) {
  RdbEntryMeta meta;
  meta.expire_ms = expire_ms;
  Entry(key, value, meta, opts_);
}

void RdbWriter::Entry(std::string_view key, const RdbValue& value, const RdbEntryMeta& meta,
                      const RdbSaveOptions& value_opts) {
  if (meta.expire_ms != -1) {
    out_.push_back(static_cast<char>(kOpExpireTimeMs));
    rdb_internal::StoreLe(&out_, static_cast<uint64_t>(meta.expire_ms), 8);
  }
  if (meta.lru_idle_s >= 0) {
    out_.push_back(static_cast<char>(kOpIdle));
    AppendLen(&out_, static_cast<uint64_t>(meta.lru_idle_s));
  }
  if (meta.lfu_freq >= 0) {
    out_.push_back(static_cast<char>(kOpFreq));
    out_.push_back(static_cast<char>(meta.lfu_freq & 0xFF));
  }
  const uint8_t type = rdb_internal::ChooseType(value, value_opts);
  out_.push_back(static_cast<char>(type));
  AppendString(&out_, key, opts_.compression);
  rdb_internal::AppendValue(&out_, value, type, value_opts);
}

void RdbWriter::Finish(bool checksum) {
  out_.push_back(static_cast<char>(kOpEof));
  crc_ = Crc64(crc_, std::string_view(out_).substr(crc_done_));
  rdb_internal::StoreLe(&out_, checksum ? crc_ : 0, 8);
  crc_done_ = out_.size();  // the trailer is not part of the checksummed data
}

std::string RdbWriter::Drain() {
  crc_ = Crc64(crc_, std::string_view(out_).substr(crc_done_));
  crc_done_ = 0;
  return std::exchange(out_, std::string());
}

}  // namespace tessera::keyspace
