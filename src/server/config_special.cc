// Directives with their own syntax: save, client-output-buffer-limit, notify-keyspace-events,
// bind, replicaof, oom-score-adj-values, shutdown-on-sig*, and the checked strings. Error texts
// are Redis 7.0.15's, taken from a running redis-server.
#include "server/config_special.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/config_internal.h"

namespace tessera::server::config {
namespace {

absl::Status Reason(std::string_view text) { return absl::InvalidArgumentError(std::string(text)); }

std::vector<std::string> Words(std::string_view s) {
  return absl::StrSplit(absl::string_view(s.data(), s.size()), ' ', absl::SkipEmpty());
}

std::string Join(const std::vector<std::string>& v) { return absl::StrJoin(v, " "); }

bool SingleEmpty(const std::vector<std::string>& args) {
  return args.size() == 1 && args[0].empty();
}

std::vector<RewriteLine> OneLine(const Directive& d, std::string text_args, bool force) {
  return {RewriteLine{std::string(d.name) + " " + text_args, force}};
}

// --- save ---------------------------------------------------------------------------------

absl::StatusOr<std::string> ParseSave(const Directive&, const std::vector<std::string>& args,
                                      std::string_view current, bool accumulate) {
  if (SingleEmpty(args)) return std::string();
  if (args.empty() || args.size() % 2 != 0) return Reason("Invalid save parameters");
  for (size_t i = 0; i < args.size(); i += 2) {
    std::optional<int64_t> seconds = ParseStrictInt(args[i]);
    std::optional<int64_t> changes = ParseStrictInt(args[i + 1]);
    if (!seconds || !changes || *seconds < 1 || *changes < 0) {
      return Reason("Invalid save parameters");
    }
  }
  // In a config file the first `save` replaces the defaults and later ones add points.
  std::string points = Join(args);
  if (accumulate && !current.empty()) return std::string(current) + " " + points;
  return points;
}

std::vector<RewriteLine> RewriteSave(const Directive& d, std::string_view value) {
  // Redis always writes save lines, so a rewritten file never falls back to the defaults.
  std::vector<std::string> w = Words(value);
  if (w.empty()) return OneLine(d, "\"\"", true);
  std::vector<RewriteLine> lines;
  for (size_t i = 0; i + 1 < w.size(); i += 2) {
    lines.push_back({fmt::format("save {} {}", w[i], w[i + 1]), true});
  }
  return lines;
}

// --- client-output-buffer-limit -------------------------------------------------------------

constexpr std::array<std::string_view, 3> kClasses = {"normal", "slave", "pubsub"};

int ClassIndex(std::string_view name) {
  if (EqualsNoCase(name, "replica")) return 1;
  for (size_t i = 0; i < kClasses.size(); ++i) {
    if (EqualsNoCase(name, kClasses[i])) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<std::string> ParseOutputLimit(const Directive& d,
                                             const std::vector<std::string>& args,
                                             std::string_view current, bool) {
  if (args.empty() || args.size() % 4 != 0) {
    return Reason("Wrong number of arguments in buffer limit configuration.");
  }
  std::vector<std::string> now = Words(current);
  if (now.size() != 12) now = Words(d.default_value);
  // Check every class first: a bad later class must leave the earlier ones unchanged.
  for (size_t i = 0; i < args.size(); i += 4) {
    int cls = ClassIndex(args[i]);
    if (cls < 0) return Reason("Invalid client class specified in buffer limit configuration.");
    std::optional<uint64_t> hard = ParseMemory(args[i + 1]);
    std::optional<uint64_t> soft = ParseMemory(args[i + 2]);
    std::optional<int64_t> secs = ParseStrictInt(args[i + 3]);
    if (!hard || !soft || !secs || *secs < 0) {
      return Reason("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    }
    now[cls * 4 + 1] = std::to_string(*hard);
    now[cls * 4 + 2] = std::to_string(*soft);
    now[cls * 4 + 3] = std::to_string(*secs);
  }
  return Join(now);
}

std::vector<RewriteLine> RewriteOutputLimit(const Directive& d, std::string_view value) {
  std::vector<std::string> now = Words(value);
  std::vector<std::string> def = Words(d.default_value);
  std::vector<RewriteLine> lines;
  static constexpr std::array<std::string_view, 3> kRewriteNames = {"normal", "replica", "pubsub"};
  for (size_t c = 0; c < 3 && now.size() == 12; ++c) {
    uint64_t hard = std::stoull(now[c * 4 + 1]);
    uint64_t soft = std::stoull(now[c * 4 + 2]);
    bool force = !std::equal(now.begin() + c * 4, now.begin() + c * 4 + 4, def.begin() + c * 4);
    lines.push_back({fmt::format("client-output-buffer-limit {} {} {} {}", kRewriteNames[c],
                                 HumanBytes(hard), HumanBytes(soft), now[c * 4 + 3]),
                     force});
  }
  return lines;
}

// --- notify-keyspace-events -----------------------------------------------------------------

struct EventClass {
  char letter;
  uint32_t bits;
};
// The order Redis prints the classes in; 'n' is only printed when not covered by 'A'.
constexpr EventClass kTypeClasses[] = {
    {'g', notify::kGeneric}, {'$', notify::kString},  {'l', notify::kList},
    {'s', notify::kSet},     {'h', notify::kHash},    {'z', notify::kZset},
    {'x', notify::kExpired}, {'e', notify::kEvicted}, {'t', notify::kStream},
    {'d', notify::kModule},  {'n', notify::kNew}};

absl::StatusOr<std::string> ParseNotify(const Directive&, const std::vector<std::string>& args,
                                        std::string_view, bool) {
  std::optional<uint32_t> flags = NotifyFlags(args.at(0));
  if (!flags) return Reason("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  return NotifyString(*flags);
}

std::vector<RewriteLine> RewriteQuoted(const Directive& d, std::string_view value) {
  return OneLine(d, Quote(value), value != d.default_value || (d.flags & kAlwaysRewrite) != 0);
}

std::vector<RewriteLine> RewritePlain(const Directive& d, std::string_view value) {
  return OneLine(d, std::string(value), value != d.default_value);
}

// --- oom-score-adj-values, latency-tracking-info-percentiles ---------------------------------

absl::StatusOr<std::string> ParseOomValues(const Directive&, const std::vector<std::string>& args,
                                           std::string_view, bool) {
  if (args.size() != 3) return Reason("wrong number of arguments");
  for (const std::string& a : args) {
    std::optional<int64_t> v = ParseStrictInt(a);
    if (!v || *v < -2000 || *v > 2000) {
      return Reason("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
    }
  }
  return Join(args);
}

absl::StatusOr<std::string> ParsePercentiles(const Directive&, const std::vector<std::string>& args,
                                             std::string_view, bool) {
  if (SingleEmpty(args)) return std::string();
  std::vector<std::string> out;
  for (const std::string& a : args) {
    double v = 0;
    auto [ptr, ec] = std::from_chars(a.data(), a.data() + a.size(), v);
    if (a.empty() || ec != std::errc() || ptr != a.data() + a.size()) {
      return Reason("Invalid latency-tracking-info-percentiles parameters");
    }
    if (v < 0.0 || v > 100.0) {
      return Reason("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
    }
    out.push_back(fmt::format("{}", v));
  }
  return Join(out);
}

std::vector<RewriteLine> RewriteMaybeEmpty(const Directive& d, std::string_view value) {
  return OneLine(d, value.empty() ? "\"\"" : std::string(value), value != d.default_value);
}

// --- bind, replicaof --------------------------------------------------------------------------

absl::StatusOr<std::string> ParseBind(const Directive&, const std::vector<std::string>& args,
                                      std::string_view, bool) {
  // Redis 7.0 accepts at most 16 addresses (CONFIG_BINDADDR_MAX).
  if (args.size() > 16) return Reason("Too many bind addresses specified.");
  if (SingleEmpty(args)) return std::string();
  return Join(args);
}

absl::StatusOr<std::string> ParseReplicaOf(const Directive&, const std::vector<std::string>& args,
                                           std::string_view, bool) {
  if (args.size() != 2) return Reason("wrong number of arguments");
  if (EqualsNoCase(args[0], "no") && EqualsNoCase(args[1], "one")) return std::string();
  std::optional<int64_t> port = ParseStrictInt(args[1]);
  if (!port || *port < 0 || *port > 65535) return Reason("Invalid master port");
  return args[0] + " " + std::to_string(*port);
}

std::vector<RewriteLine> RewriteReplicaOf(const Directive& d, std::string_view value) {
  // No master: the directive's old lines are dropped, as Redis does.
  if (value.empty()) return {};
  return OneLine(d, std::string(value), true);
}

// --- shutdown-on-sigint / shutdown-on-sigterm ------------------------------------------------

absl::StatusOr<std::string> ParseShutdown(const Directive& d, const std::vector<std::string>& args,
                                          std::string_view, bool) {
  bool save = false, nosave = false, now = false, force = false;
  if (args.empty()) return Reason(EnumError(d));
  for (const std::string& a : args) {
    if (EqualsNoCase(a, "save"))
      save = true;
    else if (EqualsNoCase(a, "nosave"))
      nosave = true;
    else if (EqualsNoCase(a, "now"))
      now = true;
    else if (EqualsNoCase(a, "force"))
      force = true;
    else if (!EqualsNoCase(a, "default"))
      return Reason(EnumError(d));
  }
  if (save && nosave) {
    return Reason("shutdown options SAVE and NOSAVE can't be used simultaneously");
  }
  std::vector<std::string> out;
  if (save) out.push_back("save");
  if (nosave) out.push_back("nosave");
  if (now) out.push_back("now");
  if (force) out.push_back("force");
  return out.empty() ? std::string("default") : Join(out);
}

// --- maxmemory-clients, hz, dir, dbfilename, cluster-announce-hostname ----------------------

absl::StatusOr<std::string> ParseMaxmemoryClients(const Directive&,
                                                  const std::vector<std::string>& args,
                                                  std::string_view, bool) {
  std::string_view s = args.at(0);
  if (!s.empty() && s.back() == '%') {
    std::optional<int64_t> pct = ParseStrictInt(s.substr(0, s.size() - 1));
    if (!pct || *pct < 0) return Reason("argument must be a memory or percent value");
    if (*pct > 100) return Reason("percentage argument must be less or equal to 100");
    return *pct == 0 ? std::string("0") : std::to_string(*pct) + "%";
  }
  std::optional<uint64_t> bytes = ParseMemory(s);
  if (!bytes || *bytes > static_cast<uint64_t>(INT64_MAX)) {
    return Reason("argument must be a memory or percent value");
  }
  return std::to_string(*bytes);
}

std::vector<RewriteLine> RewriteMaxmemoryClients(const Directive& d, std::string_view value) {
  std::string text(value);
  if (!value.empty() && value.back() != '%') text = HumanBytes(ParseMemory(value).value_or(0));
  return OneLine(d, text, value != d.default_value);
}

absl::StatusOr<std::string> ParseHz(const Directive& d, const std::vector<std::string>& args,
                                    std::string_view, bool) {
  std::optional<int64_t> v = ParseStrictInt(args.at(0));
  if (!v) return Reason("argument couldn't be parsed into an integer");
  if (*v < d.min || static_cast<uint64_t>(*v) > d.max) {
    return Reason(fmt::format("argument must be between {} and {} inclusive", d.min, d.max));
  }
  // Redis stores hz clamped to [1, 500] (CONFIG_MIN_HZ, CONFIG_MAX_HZ) and shows the result.
  return std::to_string(std::clamp<int64_t>(*v, 1, 500));
}

absl::StatusOr<std::string> ParseDir(const Directive&, const std::vector<std::string>& args,
                                     std::string_view, bool) {
  // Redis chdir()s here and reports strerror; the server does the chdir, we only check.
  struct stat st;
  if (::stat(args.at(0).c_str(), &st) != 0) return Reason(std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) return Reason(std::strerror(ENOTDIR));
  return args[0];
}

absl::StatusOr<std::string> ParseDbfilename(const Directive&, const std::vector<std::string>& args,
                                            std::string_view, bool) {
  if (args.at(0).find('/') != std::string::npos) {
    return Reason("dbfilename can't be a path, just a filename");
  }
  return args[0];
}

absl::StatusOr<std::string> ParseHostname(const Directive&, const std::vector<std::string>& args,
                                          std::string_view, bool) {
  const std::string& h = args.at(0);
  if (h.size() >= 256) return Reason("Hostnames must be less than 256 characters");
  for (char c : h) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') {
      return Reason("Hostnames may only contain alphanumeric characters, hyphens or dots");
    }
  }
  return h;
}

}  // namespace

std::optional<uint32_t> NotifyFlags(std::string_view classes) {
  uint32_t flags = 0;
  for (char c : classes) {
    if (c == 'A')
      flags |= notify::kAll;
    else if (c == 'K')
      flags |= notify::kKeyspace;
    else if (c == 'E')
      flags |= notify::kKeyevent;
    else if (c == 'm')
      flags |= notify::kKeyMiss;
    else {
      bool found = false;
      for (const EventClass& e : kTypeClasses) {
        if (e.letter == c) {
          flags |= e.bits;
          found = true;
        }
      }
      if (!found) return std::nullopt;
    }
  }
  return flags;
}

std::string NotifyString(uint32_t flags) {
  std::string out;
  if ((flags & notify::kAll) == notify::kAll) {
    out.push_back('A');
  } else {
    for (const EventClass& e : kTypeClasses) {
      if (flags & e.bits) out.push_back(e.letter);
    }
  }
  if (flags & notify::kKeyspace) out.push_back('K');
  if (flags & notify::kKeyevent) out.push_back('E');
  if (flags & notify::kKeyMiss) out.push_back('m');
  return out;
}

const Special kSave = {ParseSave, RewriteSave};
const Special kOutputLimit = {ParseOutputLimit, RewriteOutputLimit};
const Special kNotify = {ParseNotify, RewriteQuoted};
const Special kOomValues = {ParseOomValues, RewritePlain};
const Special kPercentiles = {ParsePercentiles, RewriteMaybeEmpty};
const Special kBind = {ParseBind, RewritePlain};
const Special kReplicaOf = {ParseReplicaOf, RewriteReplicaOf};
const Special kShutdown = {ParseShutdown, RewritePlain};
const Special kMaxmemoryClients = {ParseMaxmemoryClients, RewriteMaxmemoryClients};
const Special kHz = {ParseHz, RewritePlain};
const Special kDir = {ParseDir, RewriteQuoted};
const Special kDbfilename = {ParseDbfilename, RewriteQuoted};
const Special kHostname = {ParseHostname, RewriteQuoted};

}  // namespace tessera::server::config
