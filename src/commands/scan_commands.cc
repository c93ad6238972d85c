// KEYS and SCAN over the current db. Tessera's SCAN cursor is the next hash slot to visit
// (0..16383), so cursors differ from Redis's, but a full iteration gives the same guarantees.
#include <algorithm>
#include <string>
#include <vector>

#include "commands/key_families.h"
#include "commands/scan_args.h"
#include "commands/util.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"
#include "tessera/core/glob.h"

namespace tessera::commands {
namespace {

void Keys(Call& c) {
  const std::string& pattern = c.arg(1);
  const bool all = pattern == "*";
  const int64_t now = c.now_ms();
  std::vector<std::string> keys;
  // Expired keys are skipped but, as in Redis, not deleted here.
  c.db().ForEach([&](const std::string& key, const keyspace::Object&, int64_t expire_ms) {
    if (expire_ms >= 0 && now > expire_ms) return;
    if (all || core::GlobMatch(pattern, key)) keys.push_back(key);
  });
  c.w.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (const auto& k : keys) c.w.Bulk(k);
}

// Whether a key SCAN collected is left out of the reply; deletes it if it has expired.
bool Filtered(Call& c, const std::string& key, const ScanOptions& opts) {
  if (opts.type) {
    const keyspace::Object* o = c.engine.PeekKey(c.client.db, key, /*read=*/true);
    std::string_view name = o == nullptr ? std::string_view("none") : TypeName(o->type());
    // Redis compares case-insensitively; an unknown type name just matches nothing.
    if (!EqualsIgnoreCase(*opts.type, name)) return true;
    if (o != nullptr) return false;
  }
  return c.engine.ExpireIfNeeded(c.client.db, key);
}

void Scan(Call& c) {
  std::optional<uint64_t> cursor = ParseScanCursor(c.arg(1));
  if (!cursor) {
    c.Error(err::kInvalidCursor);
    return;
  }
  ScanOptions opts;
  if (!ParseScanOptions(c, 2, /*allow_type=*/true, &opts)) return;
  std::vector<std::string> keys;
  // The scan callback must not change the db, so expired keys are dropped afterwards.
  uint64_t next =
      c.db().Scan(*cursor, opts.count, [&](const std::string& key, const keyspace::Object&) {
        if (!opts.use_pattern || core::GlobMatch(opts.pattern, key)) keys.push_back(key);
      });
  keys.erase(std::remove_if(keys.begin(), keys.end(),
                            [&](const std::string& k) { return Filtered(c, k, opts); }),
             keys.end());
  c.w.ArrayHeader(2);
  c.w.Bulk(std::to_string(next));
  c.w.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (const auto& k : keys) c.w.Bulk(k);
}

}  // namespace

void RegisterScanCommands(CommandTable& t) {
  t.Register("keys", Keys);
  t.Register("scan", Scan);
}

}  // namespace tessera::commands
