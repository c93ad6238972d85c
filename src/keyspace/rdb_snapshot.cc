// Whole-keyspace RDB save and load (shared/spec/replication-rdb.md §5.1, §5.5).
#include "tessera/keyspace/rdb_snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "tessera/core/status.h"
#include "tessera/keyspace/rdb_object.h"

namespace tessera::keyspace {

absl::Status WriteSnapshot(const std::vector<const Db*>& dbs, const SnapshotSaveOptions& opts,
                           absl::FunctionRef<absl::Status(std::string_view)> sink) {
  RdbWriter w(opts.rdb);
  absl::Status st;
  auto flush = [&](bool all) {
    if (st.ok() && (all || w.buffer().size() >= opts.chunk_bytes)) st = sink(w.Drain());
  };
  w.Begin();
  w.StandardAux(opts.aux);
  const int64_t now_s = opts.now_ms / 1000;
  for (size_t i = 0; i < dbs.size() && st.ok(); ++i) {
    const Db& db = *dbs[i];
    if (db.Size() == 0) continue;
    w.SelectDb(i);
    w.ResizeDb(db.Size(), db.ExpiresCount());
    db.ForEach([&](const std::string& key, const Object& o, int64_t expire_ms) {
      if (!st.ok()) return;  // ForEach cannot stop early; skip the rest after a failed write
      RdbEntryMeta meta;
      meta.expire_ms = expire_ms;
      if (opts.save_lru) meta.lru_idle_s = std::max<int64_t>(0, now_s - o.lru);
      if (opts.save_lfu) meta.lfu_freq = o.lfu_counter;
      w.Entry(key, ToRdbValue(o), meta, SaveOptionsFor(o, opts.rdb));
      flush(false);
    });
  }
  if (!st.ok()) return st;
  w.Finish(opts.checksum);
  flush(true);
  return st;
}

namespace {

absl::Status AddEntry(RdbEntry& e, size_t at, const SnapshotLoadOptions& opts, std::vector<Db>* dbs,
                      SnapshotLoadStats* stats) {
  if (e.db >= dbs->size()) {
    return absl::DataLossError(fmt::format(
        "at offset {}: DB index {} is out of range (databases {})", at, e.db, dbs->size()));
  }
  if (opts.drop_expired && e.expire_ms != -1 && e.expire_ms < opts.now_ms) {
    ++stats->keys_expired;
    return absl::OkStatus();
  }
  absl::StatusOr<Object> o = FromRdbValue(std::move(e.value), opts.limits);
  if (!o.ok()) {
    return absl::DataLossError(
        fmt::format("at offset {}: key '{}': {}", at, e.key, core::Msg(o.status())));
  }
  const int64_t now_s = opts.now_ms / 1000;
  o->lru =
      static_cast<uint32_t>(e.lru_idle_s >= 0 ? std::max<int64_t>(0, now_s - e.lru_idle_s) : now_s);
  if (e.lfu_freq >= 0) o->lfu_counter = static_cast<uint8_t>(e.lfu_freq);
  Db& db = (*dbs)[e.db];
  // Peek with the earliest time sees a key whatever its TTL.
  if (db.Peek(e.key, std::numeric_limits<int64_t>::min()) != nullptr) {
    // Redis aborts on a duplicate key; refusing the file is the safe equivalent.
    if (!opts.replace_existing) {
      return absl::DataLossError(
          fmt::format("at offset {}: duplicate key '{}' in DB {}", at, e.key, e.db));
    }
    db.Delete(e.key);
  }
  db.Set(e.key, std::move(*o));
  if (e.expire_ms != -1) db.SetExpire(e.key, e.expire_ms);
  ++stats->keys_loaded;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SnapshotLoadStats> LoadSnapshot(std::string_view data,
                                               const SnapshotLoadOptions& opts,
                                               std::vector<Db>* dbs) {
  SnapshotLoadStats stats;
  RdbReader r(data);
  for (;;) {
    const size_t at = r.offset();
    TS_ASSIGN_OR_RETURN(RdbItem item, r.Next());
    if (auto* e = std::get_if<RdbEntry>(&item)) {
      TS_RETURN_IF_ERROR(AddEntry(*e, at, opts, dbs, &stats));
    } else if (auto* sel = std::get_if<RdbSelectDb>(&item)) {
      if (sel->db >= dbs->size()) {
        return absl::DataLossError(fmt::format(
            "at offset {}: DB index {} is out of range (databases {})", at, sel->db, dbs->size()));
      }
    } else if (auto* aux = std::get_if<RdbAux>(&item)) {
      stats.aux.push_back(std::move(*aux));
    } else if (std::holds_alternative<RdbFunction>(item)) {
      ++stats.functions_skipped;  // Tessera has no Redis Functions
    } else if (std::holds_alternative<RdbEof>(item)) {
      stats.version = r.version();
      return stats;
    }
  }
}

}  // namespace tessera::keyspace
