// Config values at run time: CONFIG GET / CONFIG SET semantics of Redis 7.0 and the typed
// ServerOptions snapshot (config.h).
#include "server/config.h"

#include <fmt/format.h>

#include <charconv>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_split.h"
#include "server/config_internal.h"
#include "server/config_special.h"
#include "tessera/core/glob.h"
#include "tessera/core/status.h"

namespace tessera::server {

using config::EqualsNoCase;
using config::Lower;

namespace {

absl::Status SetError(std::string_view name, std::string_view reason) {
  return absl::InvalidArgumentError(
      fmt::format("ERR CONFIG SET failed (possibly related to argument '{}') - {}", name, reason));
}

template <typename E>
E EnumIndex(std::string_view value, std::span<const std::string_view> choices) {
  for (size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] == value) return static_cast<E>(i);
  }
  return static_cast<E>(0);
}

}  // namespace

Config::Config() {
  for (const config::Directive& d : config::Table()) values_.emplace_back(d.default_value);
  RebuildOptions();
}

std::optional<std::string> Config::Get(std::string_view name) const {
  size_t i = 0;
  if (!config::Find(name, &i)) return std::nullopt;
  return values_[i];
}

absl::StatusOr<std::string> Config::Prepare(size_t index, std::vector<std::string> args,
                                            bool accumulate) const {
  const config::Directive& d = config::Table()[index];
  if (d.flags & config::kMultiArg) {
    // `--save "900 1 300 10"` and CONFIG SET pass one argument holding several.
    if (args.size() == 1 && !args[0].empty()) {
      std::optional<std::vector<std::string>> split = config::SplitArgs(args[0]);
      if (!split) return absl::InvalidArgumentError("wrong number of arguments");
      args = std::move(*split);
    }
  } else if (args.size() != 1) {
    return absl::InvalidArgumentError("wrong number of arguments");
  }
  return config::ParseValue(d, args, values_[index], accumulate);
}

absl::Status Config::Set(std::string_view name, std::string_view value) {
  return SetMany({{std::string(name), std::string(value)}});
}

absl::Status Config::SetMany(const std::vector<std::pair<std::string, std::string>>& pairs,
                             bool local_client) {
  return SetChecked(pairs, local_client, false);
}

absl::Status Config::ForceSet(std::string_view name, std::string_view value) {
  return SetChecked({{std::string(name), std::string(value)}}, true, true);
}

absl::Status Config::SetChecked(const std::vector<std::pair<std::string, std::string>>& pairs,
                                bool local_client, bool force) {
  // Redis checks every name before touching any value, so a bad pair changes nothing.
  std::vector<size_t> indexes;
  absl::flat_hash_set<std::string> seen;
  const bool protected_ok = options_.enable_protected_configs == Access::kYes ||
                            (options_.enable_protected_configs == Access::kLocal && local_client);
  for (const auto& [name, value] : pairs) {
    size_t i = 0;
    const config::Directive* d = config::Find(name, &i);
    if (!d) {
      return absl::InvalidArgumentError(
          fmt::format("ERR Unknown option or number of arguments for CONFIG SET - '{}'", name));
    }
    if (!force && (d->flags & config::kImmutable)) {
      return SetError(name, "can't set immutable config");
    }
    if (!force && (d->flags & config::kProtected) && !protected_ok) {
      return SetError(name, "can't set protected config");
    }
    if (!seen.insert(Lower(name)).second) return SetError(name, "duplicate parameter");
    indexes.push_back(i);
  }
  std::vector<std::string> canonical;
  for (size_t k = 0; k < pairs.size(); ++k) {
    const config::Directive& d = config::Table()[indexes[k]];
    absl::StatusOr<std::string> v = Prepare(indexes[k], {pairs[k].second}, false);
    if (!v.ok()) return SetError(Lower(pairs[k].first), core::Msg(v.status()));
    if (!force && d.support == Support::kDefaultOnly && *v != d.default_value) {
      return SetError(Lower(pairs[k].first),
                      fmt::format("Tessera does not support '{} {}' yet (only the default is "
                                  "accepted)",
                                  Lower(pairs[k].first), pairs[k].second));
    }
    canonical.push_back(std::move(*v));
  }
  for (size_t k = 0; k < pairs.size(); ++k) values_[indexes[k]] = std::move(canonical[k]);
  RebuildOptions();
  for (size_t i : indexes) Notify(config::Table()[i].name);
  return absl::OkStatus();
}

std::vector<std::pair<std::string, std::string>> Config::Matching(
    const std::vector<std::string>& patterns) const {
  std::vector<std::pair<std::string, std::string>> out;
  absl::flat_hash_set<std::string> seen;
  auto add = [&](std::string_view name, size_t i) {
    if (seen.insert(Lower(name)).second) out.emplace_back(std::string(name), values_[i]);
  };
  const std::span<const config::Directive> table = config::Table();
  for (const std::string& pattern : patterns) {
    if (!core::HasGlobChars(pattern)) {
      // A plain name is echoed as the client spelled it, like Redis 7.0.
      size_t i = 0;
      if (config::Find(pattern, &i)) add(pattern, i);
      continue;
    }
    for (size_t i = 0; i < table.size(); ++i) {
      if (core::GlobMatch(pattern, table[i].name, true)) add(table[i].name, i);
      if (!table[i].alias.empty() && core::GlobMatch(pattern, table[i].alias, true)) {
        add(table[i].alias, i);
      }
    }
  }
  return out;
}

std::optional<Support> Config::SupportOf(std::string_view name) {
  const config::Directive* d = config::Find(name);
  if (!d) return std::nullopt;
  return d->support;
}

std::vector<std::string> Config::AllNames() {
  std::vector<std::string> names;
  for (const config::Directive& d : config::Table()) names.emplace_back(d.name);
  return names;
}

void Config::Notify(std::string_view name) const {
  for (const Observer& o : observers_) o(name);
}

}  // namespace tessera::server
