// CLUSTER slot commands: ADDSLOTS(RANGE), DELSLOTS(RANGE), FLUSHSLOTS, SETSLOT, KEYSLOT,
// COUNTKEYSINSLOT, GETKEYSINSLOT (cluster-commands.md §1.2), and the family's shared helpers.
#include <fmt/format.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "commands/cluster_family.h"
#include "commands/util.h"
#include "tessera/commands/errors.h"
#include "tessera/core/log.h"
#include "tessera/core/slot.h"

namespace tessera::commands {
namespace cluster {

ClusterContext* Need(Call& c) {
  ClusterContext* cl = c.engine.cluster();
  if (cl == nullptr) c.Error(kDisabled);
  return cl;
}

std::optional<int> SlotArg(Call& c, const std::string& arg) {
  auto v = ParseInt(arg);
  if (!v || *v < 0 || *v >= core::kSlots) {
    c.Error("ERR Invalid or out of range slot");
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

bus::ClusterNode* NodeArg(Call& c, const std::string& arg) {
  auto id = bus::NodeId::Parse(arg);
  if (!id.ok()) return nullptr;
  return c.engine.cluster()->bus->state().Find(*id);
}

void SubcommandSyntaxError(Call& c) {
  c.Error(
      fmt::format("ERR unknown subcommand or wrong number of arguments for '{}'. Try CLUSTER HELP.",
                  std::string_view(c.arg(1)).substr(0, 128)));
}

void Commit(Call& c) { c.engine.cluster()->Commit(c.engine.mono_now()); }

namespace {

// Checks one slot for ADD/DEL in argument order; `seen` catches repeats (all-or-nothing).
bool CheckSlot(Call& c, const bus::ClusterState& st, bool del, int slot, std::vector<bool>& seen) {
  if (del && st.SlotOwner(slot) == nullptr) {
    c.Error(fmt::format("ERR Slot {} is already unassigned", slot));
    return false;
  }
  if (!del && st.SlotOwner(slot) != nullptr) {
    c.Error(fmt::format("ERR Slot {} is already busy", slot));
    return false;
  }
  if (seen[static_cast<size_t>(slot)]) {
    c.Error(fmt::format("ERR Slot {} specified multiple times", slot));
    return false;
  }
  seen[static_cast<size_t>(slot)] = true;
  return true;
}

void ApplySlots(Call& c, bool del, const std::vector<bus::SlotRange>& ranges) {
  ClusterContext& cl = *c.engine.cluster();
  bus::ClusterState& st = cl.bus->state();
  std::vector<bool> seen(core::kSlots, false);
  for (const auto& r : ranges) {
    for (int s = r.first; s <= r.last; ++s) {
      if (!CheckSlot(c, st, del, s, seen)) return;
    }
  }
  for (const auto& r : ranges) {
    for (int s = r.first; s <= r.last; ++s) {
      // A slot assigned by hand is no longer being imported.
      st.SetImporting(s, nullptr);
      if (del) {
        st.DelSlot(s);
      } else {
        st.AddSlot(st.myself(), s);
      }
    }
  }
  cl.bus->RequestSave(false);
  cl.bus->RequestStateUpdate();
  Commit(c);
  c.Ok();
}

void AddOrDelSlots(Call& c, bool del) {
  if (Need(c) == nullptr) return;
  std::vector<bus::SlotRange> ranges;
  for (size_t i = 2; i < c.argc(); ++i) {
    auto s = SlotArg(c, c.arg(i));
    if (!s) return;
    ranges.push_back({*s, *s});
  }
  ApplySlots(c, del, ranges);
}

void AddOrDelSlotsRange(Call& c, bool del) {
  if (Need(c) == nullptr) return;
  if (c.argc() % 2 == 1) {
    c.Error(fmt::format("ERR wrong number of arguments for '{}' command", c.cmd->name));
    return;
  }
  std::vector<bus::SlotRange> ranges;
  for (size_t i = 2; i + 1 < c.argc(); i += 2) {
    auto first = SlotArg(c, c.arg(i));
    if (!first) return;
    auto last = SlotArg(c, c.arg(i + 1));
    if (!last) return;
    if (*first > *last) {
      c.Error(fmt::format("ERR start slot number {} is greater than end slot number {}", *first,
                          *last));
      return;
    }
    ranges.push_back({*first, *last});
  }
  ApplySlots(c, del, ranges);
}

void AddSlots(Call& c) { AddOrDelSlots(c, false); }
void DelSlots(Call& c) { AddOrDelSlots(c, true); }
void AddSlotsRange(Call& c) { AddOrDelSlotsRange(c, false); }
void DelSlotsRange(Call& c) { AddOrDelSlotsRange(c, true); }

void FlushSlots(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  if (c.engine.db(0).Size() != 0) {
    c.Error("ERR DB must be empty to perform CLUSTER FLUSHSLOTS.");
    return;
  }
  bus::ClusterState& st = cl->bus->state();
  st.DelNodeSlots(st.myself());
  cl->bus->RequestSave(false);
  cl->bus->RequestStateUpdate();
  Commit(c);
  c.Ok();
}

// Raises my config epoch to a fresh one unless it is already the unique highest
// (clusterBumpConfigEpochWithoutConsensus). Returns true if it moved.
bool BumpEpochWithoutConsensus(bus::ClusterBus& bus) {
  bus::ClusterState& st = bus.state();
  bus::ClusterNode& me = st.myself();
  const uint64_t max = std::max(st.MaxConfigEpoch(), st.current_epoch());
  if (me.config_epoch != 0 && me.config_epoch == max) return false;
  st.set_current_epoch(st.current_epoch() + 1);
  me.config_epoch = st.current_epoch();
  bus.RequestSave(true);
  core::Log(core::Module::kBus).info("New configEpoch set to {}", me.config_epoch);
  return true;
}

// SETSLOT <slot> NODE <id>: see cluster-commands.md §1.2 for the order of the steps.
void SetSlotNode(Call& c, ClusterContext& cl, int slot, bus::ClusterNode& n) {
  bus::ClusterBus& bus = *cl.bus;
  bus::ClusterState& st = bus.state();
  bus::ClusterNode& me = st.myself();
  const size_t keys = c.engine.db(0).CountKeysInSlot(slot);
  if (st.SlotOwner(slot) == &me && &n != &me && keys != 0) {
    c.Error(fmt::format(
        "ERR Can't assign hashslot {} to a different node while I still hold keys for this hash "
        "slot.",
        slot));
    return;
  }
  if (keys == 0 && st.MigratingTo(slot) != nullptr) st.SetMigrating(slot, nullptr);
  const bool was_mine = st.SlotOwner(slot) == &me;
  st.DelSlot(slot);
  st.AddSlot(n, slot);
  if (was_mine && &n != &me && me.num_slots == 0 && bus.options().allow_replica_migration) {
    core::Log(core::Module::kBus)
        .info("Configuration change detected. Reconfiguring myself as a replica of {}",
              n.id.View());
    bus.ReplicateTo(n);
  }
  if (&n == &me && st.ImportingFrom(slot) != nullptr) {
    // The importing node closes the migration with a fresh epoch and tells everyone at once.
    BumpEpochWithoutConsensus(bus);
    st.SetImporting(slot, nullptr);
    bus.BroadcastPong(c.engine.mono_now());
  }
  bus.RequestSave(false);
  bus.RequestStateUpdate();
  Commit(c);
  c.Ok();
}

void SetSlot(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  bus::ClusterState& st = cl->bus->state();
  bus::ClusterNode& me = st.myself();
  if (me.IsReplica()) {
    c.Error("ERR Please use SETSLOT only with masters.");
    return;
  }
  auto slot = SlotArg(c, c.arg(2));
  if (!slot) return;
  const std::string action = absl::AsciiStrToLower(c.arg(3));
  bus::ClusterNode* n = c.argc() == 5 ? NodeArg(c, c.arg(4)) : nullptr;
  if (action == "migrating" && c.argc() == 5) {
    if (st.SlotOwner(*slot) != &me) {
      return c.Error(fmt::format("ERR I'm not the owner of hash slot {}", *slot));
    }
    if (n == nullptr) return c.Error(fmt::format("ERR I don't know about node {}", c.arg(4)));
    if (n->IsReplica()) return c.Error("ERR Target node is not a master");
    st.SetMigrating(*slot, n);
  } else if (action == "importing" && c.argc() == 5) {
    if (st.SlotOwner(*slot) == &me) {
      return c.Error(fmt::format("ERR I'm already the owner of hash slot {}", *slot));
    }
    if (n == nullptr) return c.Error(fmt::format("ERR I don't know about node {}", c.arg(4)));
    if (n->IsReplica()) return c.Error("ERR Target node is not a master");
    st.SetImporting(*slot, n);
  } else if (action == "stable" && c.argc() == 4) {
    st.SetMigrating(*slot, nullptr);
    st.SetImporting(*slot, nullptr);
  } else if (action == "node" && c.argc() == 5) {
    if (n == nullptr) return c.Error(fmt::format("ERR Unknown node {}", c.arg(4)));
    if (n->IsReplica()) return c.Error("ERR Target node is not a master");
    return SetSlotNode(c, *cl, *slot, *n);
  } else {
    return c.Error("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
  }
  cl->bus->RequestSave(false);
  cl->bus->RequestStateUpdate();
  Commit(c);
  c.Ok();
}

void BumpEpoch(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  const bool bumped = BumpEpochWithoutConsensus(*cl->bus);
  Commit(c);
  c.w.Simple(
      fmt::format("{} {}", bumped ? "BUMPED" : "STILL", cl->bus->state().myself().config_epoch));
}

void KeySlot(Call& c) {
  if (Need(c) == nullptr) return;
  c.w.Integer(core::KeySlot(c.arg(2)));
}

void CountKeysInSlot(Call& c) {
  if (Need(c) == nullptr) return;
  auto slot = ParseInt(c.arg(2));
  if (!slot) return c.Error(err::kNotInteger);
  if (*slot < 0 || *slot >= core::kSlots) return c.Error("ERR Invalid slot");
  c.w.Integer(static_cast<int64_t>(c.engine.db(0).CountKeysInSlot(static_cast<int>(*slot))));
}

void GetKeysInSlot(Call& c) {
  if (Need(c) == nullptr) return;
  auto slot = ParseInt(c.arg(2));
  if (!slot) return c.Error(err::kNotInteger);
  auto count = ParseInt(c.arg(3));
  if (!count) return c.Error(err::kNotInteger);
  if (*slot < 0 || *slot >= core::kSlots || *count < 0) {
    return c.Error("ERR Invalid slot or number of keys");
  }
  auto keys = c.engine.db(0).KeysInSlot(static_cast<int>(*slot), static_cast<size_t>(*count));
  c.w.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (const auto& k : keys) c.w.Bulk(k);
}

}  // namespace

void RegisterSlotCommands(CommandTable& t) {
  t.Register("cluster|addslots", AddSlots);
  t.Register("cluster|delslots", DelSlots);
  t.Register("cluster|addslotsrange", AddSlotsRange);
  t.Register("cluster|delslotsrange", DelSlotsRange);
  t.Register("cluster|flushslots", FlushSlots);
  t.Register("cluster|setslot", SetSlot);
  t.Register("cluster|bumpepoch", BumpEpoch);
  t.Register("cluster|keyslot", KeySlot);
  t.Register("cluster|countkeysinslot", CountKeysInSlot);
  t.Register("cluster|getkeysinslot", GetKeysInSlot);
}

}  // namespace cluster

void RegisterClusterCommands(CommandTable& t) {
  cluster::RegisterSlotCommands(t);
  cluster::RegisterNodeCommands(t);
  cluster::RegisterReplyCommands(t);
  RegisterRoutingCommands(t);
}

}  // namespace tessera::commands
