// Who is subscribed to what: channel -> clients, pattern -> clients, shard channel -> clients.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "tessera/commands/engine.h"

namespace tessera::commands {

struct Engine::PubSub {
  using Subscribers = std::vector<ClientState*>;
  absl::flat_hash_map<std::string, Subscribers, core::StringHash, core::StringEq> channels;
  absl::flat_hash_map<std::string, Subscribers, core::StringHash, core::StringEq> patterns;
  absl::flat_hash_map<std::string, Subscribers, core::StringHash, core::StringEq> shard_channels;

  static void Add(absl::flat_hash_map<std::string, Subscribers, core::StringHash, core::StringEq>& m,
                  std::string_view name, ClientState* c) {
    m[name].push_back(c);
  }
  static void Remove(
      absl::flat_hash_map<std::string, Subscribers, core::StringHash, core::StringEq>& m,
      std::string_view name, ClientState* c) {
    auto it = m.find(name);
    if (it == m.end()) return;
    auto& v = it->second;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == c) {
        v.erase(v.begin() + static_cast<long>(i));
        break;
      }
    }
    if (v.empty()) m.erase(it);
  }
  void RemoveClient(ClientState* c) {
    for (const auto& ch : c->channels) Remove(channels, ch, c);
    for (const auto& p : c->patterns) Remove(patterns, p, c);
    for (const auto& s : c->shard_channels) Remove(shard_channels, s, c);
    c->channels.clear();
    c->patterns.clear();
    c->shard_channels.clear();
  }
};

}  // namespace tessera::commands
