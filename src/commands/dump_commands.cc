// DUMP, RESTORE, RESTORE-ASKING (shared/spec/replication-rdb.md §6) and the persistence commands
// SAVE, BGSAVE and DEBUG RELOAD, whose file work the server does through ServerHooks.
#include <algorithm>

#include "commands/lfu.h"
#include "commands/server_family.h"
#include "commands/util.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"
#include "tessera/keyspace/dump.h"
#include "tessera/keyspace/rdb_object.h"

namespace tessera::commands {
namespace {

keyspace::RdbSaveOptions DumpOptions(Engine& e) {
  keyspace::RdbSaveOptions o;
  o.compression = e.options().rdb_compression;
  return o;
}

void Dump(Call& c) {
  const keyspace::Object* o = c.LookupRead(c.arg(1));
  if (o == nullptr) {
    c.w.Null();
    return;
  }
  c.w.Bulk(keyspace::CreateDumpPayload(keyspace::ToRdbValue(*o),
                                       keyspace::SaveOptionsFor(*o, DumpOptions(c.engine))));
}

struct RestoreArgs {
  bool replace = false;
  bool absttl = false;
  int64_t idle_s = -1;
  int64_t freq = -1;
};

// RESTORE's options after the payload, in Redis's order of checks: IDLETIME and FREQ exclude
// each other (the second one is a syntax error).
bool ParseRestoreArgs(Call& c, RestoreArgs* a) {
  for (size_t j = 4; j < c.argc(); ++j) {
    const std::string& opt = c.arg(j);
    const bool more = j + 1 < c.argc();
    if (EqualsIgnoreCase(opt, "replace")) {
      a->replace = true;
    } else if (EqualsIgnoreCase(opt, "absttl")) {
      a->absttl = true;
    } else if (EqualsIgnoreCase(opt, "idletime") && more && a->freq == -1) {
      auto v = ParseInt(c.arg(++j));
      if (!v) {
        c.Error(err::kNotInteger);
        return false;
      }
      if (*v < 0) {
        c.Error("ERR Invalid IDLETIME value, must be >= 0");
        return false;
      }
      a->idle_s = *v;
    } else if (EqualsIgnoreCase(opt, "freq") && more && a->idle_s == -1) {
      auto v = ParseInt(c.arg(++j));
      if (!v) {
        c.Error(err::kNotInteger);
        return false;
      }
      if (*v < 0 || *v > 255) {
        c.Error("ERR Invalid FREQ value, must be >= 0 and <= 255");
        return false;
      }
      a->freq = *v;
    } else {
      c.SyntaxError();
      return false;
    }
  }
  return true;
}

void Restore(Call& c) {
  RestoreArgs a;
  if (!ParseRestoreArgs(c, &a)) return;
  const std::string& key = c.arg(1);
  if (!a.replace && c.Lookup(key) != nullptr) {
    c.Error(err::kBusyKey);
    return;
  }
  auto ttl = ParseInt(c.arg(2));
  if (!ttl) {
    c.Error(err::kNotInteger);
    return;
  }
  if (*ttl < 0) {
    c.Error("ERR Invalid TTL value, must be >= 0");
    return;
  }
  absl::StatusOr<keyspace::RdbValue> v = keyspace::DecodeDumpPayload(c.arg(3));
  if (!v.ok()) {
    c.Error(absl::IsInvalidArgument(v.status()) ? "ERR DUMP payload version or checksum are wrong"
                                                : "ERR Bad data format");
    return;
  }
  absl::StatusOr<keyspace::Object> o =
      keyspace::FromRdbValue(std::move(*v), c.engine.options().encoding_limits);
  if (!o.ok()) {
    c.Error("ERR Bad data format");
    return;
  }
  const bool deleted = a.replace && c.db().Delete(key);
  int64_t when = *ttl;
  if (when != 0 && !a.absttl) when += c.now_ms();
  // A key that would expire at once is not created (the old one is still gone with REPLACE),
  // except on a connection from our master, whose own expiry decides.
  if (when != 0 && when <= c.now_ms() && !c.client.is_master_link) {
    if (deleted) c.Touched(key);
    c.Ok();
    return;
  }
  const int64_t now_s = c.now_ms() / 1000;
  o->lru = static_cast<uint32_t>(now_s);
  if (IsLfuPolicy(c.engine.options().maxmemory_policy)) {
    if (a.freq >= 0) o->lfu_counter = static_cast<uint8_t>(a.freq);
  } else if (a.idle_s >= 0) {
    o->lru = static_cast<uint32_t>(std::max<int64_t>(0, now_s - a.idle_s));
  }
  c.db().Set(key, std::move(*o));
  if (when != 0) c.db().SetExpire(key, when);
  c.Touched(key);
  c.Ok();
}

void Save(Call& c) {
  absl::Status st = c.engine.hooks().Save();
  if (!st.ok()) {
    c.Error(std::string(st.message()));
    return;
  }
  c.Ok();
}

void BgSave(Call& c) {
  bool schedule = false;
  if (c.argc() > 1) {
    if (c.argc() == 2 && EqualsIgnoreCase(c.arg(1), "schedule")) {
      schedule = true;
    } else {
      c.SyntaxError();
      return;
    }
  }
  absl::StatusOr<std::string> r = c.engine.hooks().BgSave(schedule, c.engine.in_exec);
  if (!r.ok()) {
    c.Error(std::string(r.status().message()));
    return;
  }
  c.w.Simple(*r);
}

}  // namespace

void DebugReload(Call& c) {
  ReloadOptions opts;
  for (size_t j = 2; j < c.argc(); ++j) {
    const std::string& opt = c.arg(j);
    if (EqualsIgnoreCase(opt, "merge")) {
      opts.merge = true;
    } else if (EqualsIgnoreCase(opt, "noflush")) {
      opts.flush = false;
    } else if (EqualsIgnoreCase(opt, "nosave")) {
      opts.save = false;
    } else {
      c.Error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
      return;
    }
  }
  absl::Status st = c.engine.hooks().DebugReload(opts);
  if (!st.ok()) {
    c.Error(std::string(st.message()));
    return;
  }
  c.Ok();
}

void RegisterDumpCommands(CommandTable& t) {
  t.Register("dump", Dump);
  t.Register("restore", Restore);
  t.Register("restore-asking", Restore);
  t.Register("save", Save);
  t.Register("bgsave", BgSave);
}

}  // namespace tessera::commands
