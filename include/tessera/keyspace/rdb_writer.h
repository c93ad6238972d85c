// Writes RDB version 10 files as redis-server 7.0.15 does (shared/spec/replication-rdb.md §5,
// writer profile §5.17): header, AUX fields, functions, per-DB blocks, EOF and CRC64.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tessera/keyspace/rdb_value.h"

namespace tessera::keyspace {

// Encoding choices; the defaults are redis.conf 7.0.15's. With these, a value's serialized form
// is what Redis writes for the same value after loading it fresh (a Redis value that grew past
// a threshold and shrank back keeps its big encoding; we cannot know that).
struct RdbSaveOptions {
  bool compression = true;  // rdbcompression: LZF for strings > 20 bytes when it saves >= 4 bytes
  size_t hash_max_listpack_entries = 512;
  size_t hash_max_listpack_value = 64;
  size_t zset_max_listpack_entries = 128;
  size_t zset_max_listpack_value = 64;
  size_t set_max_intset_entries = 512;
  // Quicklist node size limit in bytes (list-max-listpack-size -2 = 8 KiB).
  size_t list_max_listpack_bytes = 8192;
  // Elements at least this large get a PLAIN quicklist node (Redis's packed_threshold, 1 GiB).
  size_t list_packed_threshold = size_t{1} << 30;
};

// The AUX block 7.0.15 writes (§5.6). The caller supplies times and sizes: nothing here reads a
// clock. The repl fields are written only when repl_id is set (RDBs for replicas, or a master
// with a backlog).
struct RdbAuxInfo {
  std::string redis_ver = "7.0.15";
  int redis_bits = 64;
  int64_t ctime_s = 0;
  uint64_t used_mem = 0;
  std::optional<std::string> repl_id;
  int repl_stream_db = 0;
  int64_t repl_offset = 0;
  bool aof_base = false;
};

// Key-scoped metadata written before a key (§5.5): 7.0 writes EXPIRETIME_MS, then IDLE or FREQ.
struct RdbEntryMeta {
  int64_t expire_ms = -1;   // absolute Unix ms; -1 = none
  int64_t lru_idle_s = -1;  // IDLE seconds; -1 = not written
  int lfu_freq = -1;        // FREQ 0..255; -1 = not written
};

// Builds an RDB in memory. Call order: Begin, Aux/StandardAux, Function, then per DB: SelectDb,
// ResizeDb, Entry..., and finally Finish. Drain() may be called at any point to take the bytes
// produced so far (for streaming to a file or socket); the CRC still covers them.
class RdbWriter {
 public:
  explicit RdbWriter(RdbSaveOptions opts = {}) : opts_(opts) {}

  void Begin();  // "REDIS0010"
  void Aux(std::string_view key, std::string_view value);
  void StandardAux(const RdbAuxInfo& info);
  void Function(std::string_view library_code);  // FUNCTION2
  void SelectDb(uint64_t db);
  void ResizeDb(uint64_t keys, uint64_t expires);
  // expire_ms: absolute Unix ms, or -1 for none. Never write the same key twice in one DB.
  void Entry(std::string_view key, const RdbValue& value, int64_t expire_ms = -1);
  // Same with IDLE/FREQ, and with `value_opts` choosing the value's encoding (the writer's own
  // options still decide how the key is written).
  void Entry(std::string_view key, const RdbValue& value, const RdbEntryMeta& meta,
             const RdbSaveOptions& value_opts);
  // EOF opcode and the CRC64 of everything written (or 0 when checksums are off).
  void Finish(bool checksum = true);

  std::string Drain();
  const std::string& buffer() const { return out_; }

 private:
  RdbSaveOptions opts_;
  std::string out_;
  uint64_t crc_ = 0;  // over drained bytes and the first crc_done_ bytes of out_
  size_t crc_done_ = 0;
};

}  // namespace tessera::keyspace
