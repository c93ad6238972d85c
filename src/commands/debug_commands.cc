// DEBUG (behind enable-debug-command) and MEMORY: the subcommands tests and tools rely on, with
// Redis 7.0.15's reply shapes and error texts.
#include <malloc.h>

#include <chrono>
#include <cstdlib>
#include <limits>

#include "commands/server_family.h"
#include "commands/util.h"
#include "fmt/format.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

bool DebugAllowed(const Call& c) {
  switch (c.engine.options().enable_debug_command) {
    case DebugCommand::kYes:
      return true;
    case DebugCommand::kLocal:
      return IsLocalAddr(c.client.addr);
    case DebugCommand::kNo:
      return false;
  }
  return false;
}

// The RDB length of a string value (DEBUG OBJECT serializedlength): integers that fit 32 bits
// are stored as 1, 2 or 4 bytes after a type byte; other strings as a length then the bytes.
// LZF compression of long strings is not modelled.
size_t SerializedStringLength(std::string_view s) {
  if (s.size() <= 11 && keyspace::IsCanonicalInt64(s)) {
    int64_t v = std::strtoll(std::string(s).c_str(), nullptr, 10);
    if (v >= -(1 << 7) && v < (1 << 7)) return 2;
    if (v >= -(1 << 15) && v < (1 << 15)) return 3;
    if (v >= INT32_MIN && v <= INT32_MAX) return 5;
  }
  size_t n = s.size();
  size_t len_bytes = n < (1u << 6) ? 1 : n < (1u << 14) ? 2 : n <= UINT32_MAX ? 5 : 9;
  return len_bytes + n;
}

void DebugObject(Call& c) {
  const keyspace::Object* o = c.db().Find(c.arg(2), c.now_ms());
  if (o == nullptr) {
    c.Error(err::kNoSuchKey);
    return;
  }
  size_t serialized = o->is_string() ? SerializedStringLength(o->str()) : o->MemoryUsage();
  int64_t now_s = c.now_ms() / 1000;
  // Redis's LRU clock is 24 bits of unix seconds.
  uint32_t lru = o->lru & ((1u << 24) - 1);
  int64_t idle = std::max<int64_t>(0, (now_s & ((1 << 24) - 1)) - lru);
  // Small integers are Redis's shared objects, whose refcount is "infinite".
  bool shared =
      o->is_string() && o->EncodingName() == "int" && o->str().size() <= 4 && o->str()[0] != '-';
  c.w.Simple(fmt::format(
      "Value at:{} refcount:{} encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
      static_cast<const void*>(o), shared ? 2147483647 : 1, o->EncodingName(), serialized, lru,
      idle));
}

void DebugProtocol(Call& c) {
  const std::string& t = c.arg(2);
  auto is = [&](std::string_view name) { return EqualsIgnoreCase(t, name); };
  if (is("string")) {
    c.w.Bulk("Hello World");
  } else if (is("integer")) {
    c.w.Integer(12345);
  } else if (is("double")) {
    c.w.Double(3.141);
  } else if (is("bignum")) {
    c.w.BigNumber("1234567999999999999999999999999999999");
  } else if (is("null")) {
    c.w.Null();
  } else if (is("array") || is("set")) {
    if (is("array"))
      c.w.ArrayHeader(3);
    else
      c.w.SetHeader(3);
    for (int i = 0; i < 3; ++i) c.w.Integer(i);
  } else if (is("map")) {
    c.w.MapHeader(3);
    for (int i = 0; i < 3; ++i) {
      c.w.Integer(i);
      c.w.Bool(i == 1);
    }
  } else if (is("attrib")) {
    if (c.client.proto >= 3) {
      c.w.Raw("|1\r\n");
      c.w.Bulk("key-popularity");
      c.w.ArrayHeader(2);
      c.w.Bulk("key:123");
      c.w.Integer(90);
    }
    c.w.Bulk("Some real reply following the attribute");
  } else if (is("push")) {
    if (c.client.proto < 3) {
      c.Error("ERR RESP2 is not supported by this command");
      return;
    }
    c.w.PushHeader(2);
    c.w.Bulk("server-cpu-usage");
    c.w.Integer(42);
    c.w.Bulk("Some real reply following the push reply");
  } else if (is("true") || is("false")) {
    c.w.Bool(is("true"));
  } else if (is("verbatim")) {
    c.w.Verbatim("This is a verbatim\nstring");
  } else {
    c.Error(
        "ERR Wrong protocol type name. Please use one of the following: "
        "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
  }
}

void DebugHelp(Call& c) {
  ReplyHelp(c, {"OBJECT <key>", "    Show low level info about `key` and associated value.",
                "PROTOCOL <type>",
                "    Reply with a test value of the specified type. <type> can be: string,",
                "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
                "    true, false.", "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.", "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed."});
}

void Debug(Call& c) {
  if (!DebugAllowed(c)) {
    c.Error(
        "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
        "you can run it from a local connection, otherwise you need to set this option in the "
        "configuration file, and then restart the server.");
    return;
  }
  const std::string& sub = c.arg(1);
  if (c.argc() == 2 && EqualsIgnoreCase(sub, "help")) {
    DebugHelp(c);
  } else if (c.argc() == 3 && EqualsIgnoreCase(sub, "sleep")) {
    c.engine.hooks().Stall(std::strtod(c.arg(2).c_str(), nullptr));
    c.Ok();
  } else if (c.argc() == 3 && EqualsIgnoreCase(sub, "set-active-expire")) {
    c.engine.options().active_expire_enabled = std::atoi(c.arg(2).c_str()) != 0;
    c.Ok();
  } else if (c.argc() == 3 && EqualsIgnoreCase(sub, "object")) {
    DebugObject(c);
  } else if (c.argc() == 3 && EqualsIgnoreCase(sub, "protocol")) {
    DebugProtocol(c);
  } else if (EqualsIgnoreCase(sub, "reload")) {
    DebugReload(c);
  } else {
    SubcommandSyntaxError(c);
  }
}

void MemoryUsage(Call& c) {
  for (size_t j = 3; j < c.argc(); ++j) {
    if (EqualsIgnoreCase(c.arg(j), "samples") && j + 1 < c.argc()) {
      auto n = ParseInt(c.arg(j + 1));
      if (!n) {
        c.Error(err::kNotInteger);
        return;
      }
      if (*n < 0) {
        c.SyntaxError();
        return;
      }
      ++j;  // Object::MemoryUsage measures whole values, so the sample count is not used.
    } else {
      c.SyntaxError();
      return;
    }
  }
  const keyspace::Object* o = c.db().Find(c.arg(2), c.now_ms());
  if (o == nullptr) {
    c.w.Null();
    return;
  }
  c.w.Integer(static_cast<int64_t>(
      o->MemoryUsage() + keyspace::KeyMemoryUsage(c.arg(2), c.engine.options().cluster_enabled)));
}

// MEMORY STATS: Redis's field set; what Tessera does not track (startup size, allocator
// internals, Lua) is reported from the one number it has, glibc's heap use.
void MemoryStats(Call& c) {
  Engine& e = c.engine;
  e.RefreshMemory();
  auto used = static_cast<int64_t>(e.used_memory());
  int64_t keys = 0;
  int dbs_with_keys = 0;
  for (int i = 0; i < e.db_count(); ++i) {
    keys += static_cast<int64_t>(e.db(i).Size());
    if (e.db(i).Size() > 0) ++dbs_with_keys;
  }
  auto rss = static_cast<int64_t>(e.hooks().ReadProcessMemory().rss_bytes);
  double frag = used > 0 ? static_cast<double>(rss) / static_cast<double>(used) : 0;
  c.w.MapHeader(27 + dbs_with_keys);
  auto num = [&](std::string_view k, int64_t v) {
    c.w.Bulk(k);
    c.w.Integer(v);
  };
  auto dbl = [&](std::string_view k, double v) {
    c.w.Bulk(k);
    c.w.Double(v);
  };
  num("peak.allocated", used);
  num("total.allocated", used);
  num("startup.allocated", 0);
  num("replication.backlog", 0);
  num("clients.slaves", 0);
  num("clients.normal", 0);
  num("cluster.links", 0);
  num("aof.buffer", 0);
  num("lua.caches", 0);
  num("functions.caches", 0);
  for (int i = 0; i < e.db_count(); ++i) {
    if (e.db(i).Size() == 0) continue;
    c.w.Bulk(fmt::format("db.{}", i));
    c.w.MapHeader(3);
    num("overhead.hashtable.main", static_cast<int64_t>(e.db(i).Size()) * 24);
    num("overhead.hashtable.expires", static_cast<int64_t>(e.db(i).ExpiresCount()) * 24);
    num("overhead.hashtable.slot-to-keys", 0);
  }
  num("overhead.total", 0);
  num("keys.count", keys);
  num("keys.bytes-per-key", keys > 0 ? used / keys : 0);
  num("dataset.bytes", used);
  dbl("dataset.percentage", 100.0);
  dbl("peak.percentage", 100.0);
  num("allocator.allocated", used);
  num("allocator.active", used);
  num("allocator.resident", rss);
  dbl("allocator-fragmentation.ratio", 1.0);
  num("allocator-fragmentation.bytes", 0);
  dbl("allocator-rss.ratio", frag);
  num("allocator-rss.bytes", rss - used);
  dbl("rss-overhead.ratio", 1.0);
  num("rss-overhead.bytes", 0);
  dbl("fragmentation", frag);
  num("fragmentation.bytes", rss - used);
}

void MemoryDoctor(Call& c) {
  // Redis declines to diagnose an instance using under 5 MB.
  if (c.engine.used_memory() < 5 * 1024 * 1024) {
    c.w.Verbatim(
        "Hi Sam, this instance is empty or is using very little memory, my issues detector can't "
        "be used in these conditions. Please, leave for your mission on Earth and fill it with "
        "some data. The new Sam and I will be back to our programming as soon as I finished "
        "rebooting.\n");
  } else {
    c.w.Verbatim(
        "Hi Sam, I can't find any memory issue in your instance. I can only account for what "
        "occurs on this base.\n");
  }
}

void MemoryMallocStats(Call& c) { c.w.Bulk("Stats not supported for the current allocator"); }

void MemoryPurge(Call& c) {
  malloc_trim(0);
  c.Ok();
}

void MemoryHelp(Call& c) {
  ReplyHelp(c, {"DOCTOR", "    Return memory problems reports.", "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.", "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.", "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all)."});
}

}  // namespace

void RegisterDebugCommands(CommandTable& t) {
  t.Register("debug", Debug);
  t.Register("memory|usage", MemoryUsage);
  t.Register("memory|stats", MemoryStats);
  t.Register("memory|doctor", MemoryDoctor);
  t.Register("memory|malloc-stats", MemoryMallocStats);
  t.Register("memory|purge", MemoryPurge);
  t.Register("memory|help", MemoryHelp);
}

}  // namespace tessera::commands
