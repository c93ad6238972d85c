// Cluster routing before dispatch (cluster-commands.md §3.3-§3.7): which node serves a command's
// keys, and the exact MOVED / ASK / CROSSSLOT / TRYAGAIN / CLUSTERDOWN replies; READONLY,
// READWRITE and ASKING; PUBLISH/SPUBLISH propagation over the bus.
#include <fmt/format.h>

#include "absl/strings/ascii.h"
#include "commands/key_specs.h"
#include "tessera/commands/cluster.h"
#include "tessera/commands/engine.h"
#include "tessera/core/slot.h"

namespace tessera::commands {
namespace {

constexpr std::string_view kCrossSlot = "CROSSSLOT Keys in request don't hash to the same slot";
constexpr std::string_view kTryAgain = "TRYAGAIN Multiple keys request during rehashing of slot";
constexpr std::string_view kDownState = "CLUSTERDOWN The cluster is down";
constexpr std::string_view kDownReadOnly =
    "CLUSTERDOWN The cluster is down and only accepts read commands";
constexpr std::string_view kDownUnbound = "CLUSTERDOWN Hash slot not served";
constexpr std::string_view kDisabled = "ERR This instance has cluster support disabled";

const Command* Resolve(Engine& e, const std::vector<std::string>& argv) {
  Command* c = e.table().Find(argv[0]);
  if (c == nullptr || c->subcommands.empty() || argv.size() < 2) return c;
  auto it = c->subcommands.find(absl::AsciiStrToLower(argv[1]));
  return it == c->subcommands.end() ? nullptr : it->second;
}

bool HasKeys(const Command& c) {
  return c.first_key > 0 || c.Has(kMovableKeys) || c.key_finder != nullptr;
}

// Calls f(position) for each key Redis routes on: fixed positions (no allocation: this runs for
// every command), or for movable-key commands the key finder or the key specs (numkeys, STORE
// targets...).
template <typename F>
void ForEachKey(const Command& c, const std::vector<std::string>& argv, F&& f) {
  if (c.key_finder == nullptr && !c.Has(kMovableKeys)) {
    if (c.first_key <= 0) return;
    const int argc = static_cast<int>(argv.size());
    const int last = c.last_key < 0 ? argc + c.last_key : c.last_key;
    const int step = c.key_step > 0 ? c.key_step : 1;
    for (int i = c.first_key; i <= last && i < argc; i += step) f(i);
    return;
  }
  std::vector<int> idx;
  if (c.key_finder != nullptr) {
    c.KeyIndexes(argv, &idx);
  } else {
    auto extra = ParseCommandInfo(c.info2);
    std::vector<KeyRef> refs;
    if (extra && KeysFromSpecs(extra->key_specs, argv, &refs)) {
      for (const KeyRef& r : refs) idx.push_back(r.pos);
    }
  }
  for (int i : idx) f(i);
}

bool IsShardPubSub(const Command& c) {
  return c.name == "spublish" || c.name == "ssubscribe" || c.name == "sunsubscribe";
}

// What the walk over a request's keys found (getNodeByQuery's first pass).
struct KeyWalk {
  int slot = -1;
  std::string_view first_key;
  const bus::ClusterNode* owner = nullptr;
  bool migrating = false, importing = false, multiple_keys = false;
  int existing = 0, missing = 0;
  bool write = false, shard_pubsub = false, migrate = false;
};

}  // namespace

std::string PreferredEndpoint(const ClusterContext& cluster, const bus::ClusterNode& node) {
  switch (cluster.preferred_endpoint) {
    case EndpointType::kIp:
      return node.ip;
    case EndpointType::kHostname:
      return node.hostname.empty() ? "?" : node.hostname;
    case EndpointType::kUnknownEndpoint:
      return "";
  }
  return node.ip;
}

std::string NodeEndpoint(const ClusterContext& cluster, const bus::ClusterNode& node) {
  return fmt::format("{}:{}", PreferredEndpoint(cluster, node), node.port);
}

std::string ClusterRoute(Engine& engine, ClusterContext& cluster, const ClientState& client,
                         const Command& cmd, const std::vector<std::string>& argv) {
  const bool is_exec = cmd.name == "exec";
  if (!is_exec && !HasKeys(cmd)) return "";
  // EXEC is routed on the keys of every queued command together; outside MULTI it only errs.
  std::vector<std::pair<const Command*, const std::vector<std::string>*>> calls;
  if (is_exec) {
    if (!client.in_multi) return "";
    for (const auto& q : client.queued) {
      if (const Command* c = Resolve(engine, q)) calls.emplace_back(c, &q);
    }
  } else {
    calls.emplace_back(&cmd, &argv);
  }
  const bus::ClusterState& st = cluster.bus->state();
  const bus::ClusterNode& me = st.myself();
  keyspace::Db& db = engine.db(0);
  KeyWalk w;
  std::string_view error;
  for (const auto& [c, a] : calls) {
    w.write |= c->Has(kWrite);
    w.migrate |= c->name == "migrate";
    const bool shard = IsShardPubSub(*c);
    w.shard_pubsub |= shard;
    ForEachKey(*c, *a, [&](int i) {
      if (!error.empty()) return;
      std::string_view key = (*a)[static_cast<size_t>(i)];
      if (w.slot < 0) {
        w.first_key = key;
        w.slot = core::KeySlot(key);
        w.owner = st.SlotOwner(w.slot);
        // An unassigned slot is reported before any state check.
        if (w.owner == nullptr) {
          error = kDownUnbound;
          return;
        }
        if (w.owner == &me && st.MigratingTo(w.slot) != nullptr) {
          w.migrating = true;
        } else if (st.ImportingFrom(w.slot) != nullptr) {
          w.importing = true;
        }
      } else if (key != w.first_key) {
        if (core::KeySlot(key) != w.slot) {
          error = kCrossSlot;
          return;
        }
        w.multiple_keys = true;
      }
      if ((w.migrating || w.importing) && !shard) {
        ++(db.Peek(key, engine.now_ms()) != nullptr ? w.existing : w.missing);
      }
    });
    if (!error.empty()) return std::string(error);
  }
  if (w.slot < 0) return "";
  if (!st.ok()) {
    if (w.shard_pubsub) {
      if (!cluster.allow_pubsubshard_when_down) return std::string(kDownState);
    } else if (!cluster.allow_reads_when_down) {
      return std::string(kDownState);
    } else if (w.write) {
      return std::string(kDownReadOnly);
    }
  }
  // MIGRATE moves the keys itself, wherever they are.
  if (w.migrate && (w.migrating || w.importing)) return "";
  if (w.migrating && w.missing > 0) {
    if (w.existing > 0) return std::string(kTryAgain);
    return fmt::format("ASK {} {}", w.slot, NodeEndpoint(cluster, *st.MigratingTo(w.slot)));
  }
  if (w.importing && (client.asking || cmd.Has(kAsking))) {
    if (w.multiple_keys && w.missing > 0) return std::string(kTryAgain);
    return "";
  }
  if ((client.readonly || w.shard_pubsub) && !w.write && me.IsReplica() && me.master == w.owner) {
    return "";
  }
  if (w.owner == &me) return "";
  return fmt::format("MOVED {} {}", w.slot, NodeEndpoint(cluster, *w.owner));
}

void ClusterPropagatePublish(Engine& engine, std::string_view channel, std::string_view message,
                             bool shard) {
  ClusterContext* cl = engine.cluster();
  if (cl == nullptr) return;
  bus::ClusterBus& bus = *cl->bus;
  bus::Message m = bus.BuildHeader(shard ? bus::MsgType::kPublishShard : bus::MsgType::kPublish);
  auto& body = std::get<bus::PublishBody>(m.body);
  body.channel = std::string(channel);
  body.message = std::string(message);
  if (!shard) {
    bus.Broadcast(m);
  } else {
    // Only the members of our own shard: our master (or us) and its replicas.
    bus::ClusterNode& me = bus.state().myself();
    bus::ClusterNode* master = me.IsReplica() ? me.master : &me;
    if (master != nullptr) {
      if (master != &me) bus.SendTo(*master, m);
      for (bus::ClusterNode* r : master->replicas) {
        if (r != &me) bus.SendTo(*r, m);
      }
    }
  }
  cl->hooks->RunClusterEffects(bus.TakeEffects());
}

namespace {

void ReadOnly(Call& c) {
  if (c.engine.cluster() == nullptr) return c.Error(kDisabled);
  c.client.readonly = true;
  c.Ok();
}

void ReadWrite(Call& c) {
  if (c.engine.cluster() == nullptr) return c.Error(kDisabled);
  c.client.readonly = false;
  c.Ok();
}

void Asking(Call& c) {
  if (c.engine.cluster() == nullptr) return c.Error(kDisabled);
  c.client.asking = true;
  c.Ok();
}

}  // namespace

void RegisterRoutingCommands(CommandTable& t) {
  t.Register("readonly", ReadOnly);
  t.Register("readwrite", ReadWrite);
  t.Register("asking", Asking);
}

}  // namespace tessera::commands
