// Pub/sub: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH, PUBSUB introspection; and
// Engine::Publish, which delivers to local subscribers (the cluster bus forwards the rest).
#include <algorithm>

#include "commands/pubsub_registry.h"
#include "tessera/commands/cluster.h"
#include "tessera/commands/engine.h"
#include "tessera/core/glob.h"
#include "tessera/core/slot.h"

namespace tessera::commands {
namespace {

using Registry = absl::flat_hash_map<std::string, Engine::PubSub::Subscribers, core::StringHash,
                                     core::StringEq>;
using NameSet = absl::flat_hash_set<std::string, core::StringHash, core::StringEq>;

// One subscribe-style confirmation: [kind, name, count] (a push in RESP3), to any client.
// `mine` is the set the confirmation is about: Redis 7.0 counts shard channels apart from
// channels and patterns (SUBSCRIBE a; SSUBSCRIBE b answers 1, not 2).
void WriteConfirm(resp::Writer& w, const ClientState& c, const NameSet& mine,
                  std::string_view kind, const std::string* name) {
  w.PushHeader(3);
  w.Bulk(kind);
  if (name != nullptr) w.Bulk(*name);
  else w.Null();
  size_t count = &mine == &c.shard_channels ? mine.size() : c.channels.size() + c.patterns.size();
  w.Integer(static_cast<int64_t>(count));
}

void Confirm(Call& c, const NameSet& mine, std::string_view kind, const std::string* name) {
  WriteConfirm(c.w, c.client, mine, kind, name);
}

void SubscribeTo(Call& c, Registry& reg, NameSet& mine, std::string_view kind) {
  for (size_t i = 1; i < c.argc(); ++i) {
    if (mine.insert(c.arg(i)).second) Engine::PubSub::Add(reg, c.arg(i), &c.client);
    Confirm(c, mine, kind, &c.arg(i));
  }
}

void UnsubscribeFrom(Call& c, Registry& reg, NameSet& mine, std::string_view kind) {
  std::vector<std::string> names;
  if (c.argc() > 1) {
    names.assign(c.argv.begin() + 1, c.argv.end());
  } else {
    names.assign(mine.begin(), mine.end());
    if (names.empty()) {
      Confirm(c, mine, kind, nullptr);
      return;
    }
  }
  for (const auto& n : names) {
    if (mine.erase(n) > 0) Engine::PubSub::Remove(reg, n, &c.client);
    Confirm(c, mine, kind, &n);
  }
}

void Subscribe(Call& c) {
  SubscribeTo(c, c.engine.pubsub().channels, c.client.channels, "subscribe");
}
void Unsubscribe(Call& c) {
  UnsubscribeFrom(c, c.engine.pubsub().channels, c.client.channels, "unsubscribe");
}
void PSubscribe(Call& c) {
  SubscribeTo(c, c.engine.pubsub().patterns, c.client.patterns, "psubscribe");
}
void PUnsubscribe(Call& c) {
  UnsubscribeFrom(c, c.engine.pubsub().patterns, c.client.patterns, "punsubscribe");
}
void SSubscribe(Call& c) {
  SubscribeTo(c, c.engine.pubsub().shard_channels, c.client.shard_channels, "ssubscribe");
}
void SUnsubscribe(Call& c) {
  UnsubscribeFrom(c, c.engine.pubsub().shard_channels, c.client.shard_channels, "sunsubscribe");
}

void Publish(Call& c) {
  c.w.Integer(static_cast<int64_t>(c.engine.Publish(c.arg(1), c.arg(2))));
  ClusterPropagatePublish(c.engine, c.arg(1), c.arg(2), /*shard=*/false);
}
void SPublish(Call& c) {
  c.w.Integer(static_cast<int64_t>(c.engine.Publish(c.arg(1), c.arg(2), /*shard=*/true)));
  ClusterPropagatePublish(c.engine, c.arg(1), c.arg(2), /*shard=*/true);
}

void ListChannels(Call& c, const Registry& reg) {
  std::vector<const std::string*> out;
  for (const auto& [name, subs] : reg) {
    if (c.argc() < 3 || core::GlobMatch(c.arg(2), name)) out.push_back(&name);
  }
  c.w.ArrayHeader(static_cast<int64_t>(out.size()));
  for (const auto* n : out) c.w.Bulk(*n);
}

void NumSub(Call& c, const Registry& reg) {
  c.w.MapHeader(static_cast<int64_t>(c.argc() - 2));
  for (size_t i = 2; i < c.argc(); ++i) {
    auto it = reg.find(c.arg(i));
    c.w.Bulk(c.arg(i));
    c.w.Integer(it == reg.end() ? 0 : static_cast<int64_t>(it->second.size()));
  }
}

void PubsubChannels(Call& c) { ListChannels(c, c.engine.pubsub().channels); }
void PubsubShardChannels(Call& c) { ListChannels(c, c.engine.pubsub().shard_channels); }
void PubsubNumSub(Call& c) { NumSub(c, c.engine.pubsub().channels); }
void PubsubShardNumSub(Call& c) { NumSub(c, c.engine.pubsub().shard_channels); }
void PubsubNumPat(Call& c) {
  c.w.Integer(static_cast<int64_t>(c.engine.pubsub().patterns.size()));
}

void Deliver(Engine& e, ClientState* to, std::string_view kind, const std::string* pattern,
             std::string_view channel, std::string_view message) {
  resp::Writer w(&to->out, to->proto);
  w.PushHeader(pattern != nullptr ? 4 : 3);
  w.Bulk(kind);
  if (pattern != nullptr) w.Bulk(*pattern);
  w.Bulk(channel);
  w.Bulk(message);
  e.MarkPending(to);
}

}  // namespace

size_t Engine::Publish(std::string_view channel, std::string_view message, bool shard) {
  size_t receivers = 0;
  auto& reg = shard ? pubsub_->shard_channels : pubsub_->channels;
  if (auto it = reg.find(channel); it != reg.end()) {
    for (ClientState* c : it->second) {
      Deliver(*this, c, shard ? "smessage" : "message", nullptr, channel, message);
      ++receivers;
    }
  }
  if (!shard) {
    for (const auto& [pattern, subs] : pubsub_->patterns) {
      if (!core::GlobMatch(pattern, channel)) continue;
      for (ClientState* c : subs) {
        Deliver(*this, c, "pmessage", &pattern, channel, message);
        ++receivers;
      }
    }
  }
  ++stats_.pubsub_messages;
  return receivers;
}

void Engine::UnsubscribeShardSlots(const std::vector<int>& slots) {
  auto& reg = pubsub_->shard_channels;
  if (reg.empty() || slots.empty()) return;
  std::vector<bool> lost(core::kSlots);
  for (int s : slots) lost[static_cast<size_t>(s)] = true;
  std::vector<std::string> gone;
  for (const auto& [channel, subs] : reg) {
    if (lost[static_cast<size_t>(core::KeySlot(channel))]) gone.push_back(channel);
  }
  for (const std::string& channel : gone) {
    auto it = reg.find(channel);
    // Each subscriber hears "sunsubscribe", as if it had asked (Redis's removeChannelsInSlot).
    for (ClientState* c : it->second) {
      c->shard_channels.erase(channel);
      resp::Writer w(&c->out, c->proto);
      WriteConfirm(w, *c, c->shard_channels, "sunsubscribe", &channel);
      MarkPending(c);
    }
    reg.erase(it);
  }
}

void RegisterPubSubCommands(CommandTable& t) {
  t.Register("subscribe", Subscribe);
  t.Register("unsubscribe", Unsubscribe);
  t.Register("psubscribe", PSubscribe);
  t.Register("punsubscribe", PUnsubscribe);
  t.Register("ssubscribe", SSubscribe);
  t.Register("sunsubscribe", SUnsubscribe);
  t.Register("publish", Publish);
  t.Register("spublish", SPublish);
  t.Register("pubsub|channels", PubsubChannels);
  t.Register("pubsub|shardchannels", PubsubShardChannels);
  t.Register("pubsub|numsub", PubsubNumSub);
  t.Register("pubsub|shardnumsub", PubsubShardNumSub);
  t.Register("pubsub|numpat", PubsubNumPat);
}

}  // namespace tessera::commands
