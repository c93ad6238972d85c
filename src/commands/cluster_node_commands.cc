// CLUSTER commands about nodes and epochs: MEET, FORGET, REPLICATE, RESET, SAVECONFIG,
// SET-CONFIG-EPOCH, COUNT-FAILURE-REPORTS, MYID (cluster-commands.md §1.2).
#include <arpa/inet.h>
#include <fmt/format.h>

#include "absl/strings/ascii.h"
#include "commands/cluster_family.h"
#include "commands/util.h"
#include "tessera/commands/errors.h"
#include "tessera/core/log.h"
#include "tessera/core/status.h"

namespace tessera::commands::cluster {
namespace {

// A literal IPv4/IPv6 address in its normal text form; nullopt for anything else (hostnames
// are refused, as in Redis).
std::optional<std::string> NormalizeIp(const std::string& ip) {
  char buf[INET6_ADDRSTRLEN];
  unsigned char addr[sizeof(struct in6_addr)];
  if (inet_pton(AF_INET, ip.c_str(), addr) == 1) {
    if (inet_ntop(AF_INET, addr, buf, sizeof(buf)) == nullptr) return std::nullopt;
    return std::string(buf);
  }
  if (inet_pton(AF_INET6, ip.c_str(), addr) == 1) {
    if (inet_ntop(AF_INET6, addr, buf, sizeof(buf)) == nullptr) return std::nullopt;
    return std::string(buf);
  }
  return std::nullopt;
}

void Meet(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  if (c.argc() > 5) return SubcommandSyntaxError(c);
  auto port = ParseInt(c.arg(3));
  if (!port) return c.Error(fmt::format("ERR Invalid TCP base port specified: {}", c.arg(3)));
  int64_t cport = *port + 10000;
  if (c.argc() == 5) {
    auto p = ParseInt(c.arg(4));
    if (!p) return c.Error(fmt::format("ERR Invalid TCP bus port specified: {}", c.arg(4)));
    cport = *p;
  }
  auto ip = NormalizeIp(c.arg(2));
  if (!ip || *port <= 0 || *port > 65535 || cport <= 0 || cport > 65535) {
    return c.Error(fmt::format("ERR Invalid node address specified: {}:{}", c.arg(2), c.arg(3)));
  }
  cl->hooks->RunClusterEffects(cl->bus->Meet(*ip, static_cast<uint16_t>(*port),
                                             static_cast<uint16_t>(cport), c.engine.mono_now()));
  c.Ok();
}

void Forget(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  bus::ClusterNode* n = NodeArg(c, c.arg(2));
  bus::ClusterNode& me = cl->bus->state().myself();
  if (n == nullptr) return c.Error(fmt::format("ERR Unknown node {}", c.arg(2)));
  if (n == &me) return c.Error("ERR I tried hard but I can't forget myself...");
  if (me.IsReplica() && me.master == n) return c.Error("ERR Can't forget my master!");
  cl->bus->Forget(n->id, c.engine.mono_now());
  Commit(c);
  c.Ok();
}

void Replicate(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  bus::ClusterNode* n = NodeArg(c, c.arg(2));
  bus::ClusterNode& me = cl->bus->state().myself();
  if (n == nullptr) return c.Error(fmt::format("ERR Unknown node {}", c.arg(2)));
  if (n == &me) return c.Error("ERR Can't replicate myself");
  if (n->IsReplica()) return c.Error("ERR I can only replicate a master, not a replica.");
  if (me.IsMaster() && (me.num_slots != 0 || c.engine.db(0).Size() != 0)) {
    return c.Error("ERR To set a master the node must be empty and without assigned slots.");
  }
  cl->bus->ReplicateTo(*n);
  Commit(c);
  c.Ok();
}

void Reset(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  if (c.argc() > 3) return SubcommandSyntaxError(c);
  bool hard = false;
  if (c.argc() == 3) {
    const std::string mode = absl::AsciiStrToLower(c.arg(2));
    if (mode == "hard") {
      hard = true;
    } else if (mode != "soft") {
      return c.SyntaxError();
    }
  }
  bus::ClusterNode& me = cl->bus->state().myself();
  if (me.IsMaster() && c.db().Size() != 0) {
    return c.Error("ERR CLUSTER RESET can't be called with master nodes containing keys");
  }
  if (me.IsReplica()) {
    // A replica turning master drops the data it had from its old master.
    for (int i = 0; i < c.engine.db_count(); ++i) c.engine.db(i).Clear();
    c.engine.TouchAllKeys(-1);
  }
  bus::NodeId new_id = bus::NodeId::Random(c.engine.rng());
  cl->bus->Reset(hard, new_id);
  Commit(c);
  c.Ok();
}

void SaveConfig(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  absl::Status st = cl->hooks->SaveClusterConfigNow();
  if (!st.ok()) {
    return c.Error("ERR error saving the cluster node config: " + core::Msg(st));
  }
  c.Ok();
}

void SetConfigEpoch(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  auto epoch = ParseInt(c.arg(2));
  if (!epoch) return c.Error(err::kNotInteger);
  bus::ClusterState& st = cl->bus->state();
  if (*epoch < 0) return c.Error(fmt::format("ERR Invalid config epoch specified: {}", *epoch));
  if (st.NodeCount() > 1) {
    return c.Error(
        "ERR The user can assign a config epoch only when the node does not know any other "
        "node.");
  }
  if (st.myself().config_epoch != 0) return c.Error("ERR Node config epoch is already non-zero");
  st.myself().config_epoch = static_cast<uint64_t>(*epoch);
  core::Log(core::Module::kBus).info("configEpoch set to {} via CLUSTER SET-CONFIG-EPOCH", *epoch);
  if (st.current_epoch() < static_cast<uint64_t>(*epoch)) {
    st.set_current_epoch(static_cast<uint64_t>(*epoch));
  }
  cl->bus->RequestSave(true);
  cl->bus->RequestStateUpdate();
  Commit(c);
  c.Ok();
}

void CountFailureReports(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  bus::ClusterNode* n = NodeArg(c, c.arg(2));
  if (n == nullptr) return c.Error(fmt::format("ERR Unknown node {}", c.arg(2)));
  size_t count = cl->bus->state().CountFailureReports(*n, c.engine.mono_now(),
                                                      cl->bus->options().node_timeout);
  c.w.Integer(static_cast<int64_t>(count));
}

void MyId(Call& c) {
  ClusterContext* cl = Need(c);
  if (cl == nullptr) return;
  c.w.Bulk(cl->bus->state().myself().id.View());
}

}  // namespace

void RegisterNodeCommands(CommandTable& t) {
  t.Register("cluster|meet", Meet);
  t.Register("cluster|forget", Forget);
  t.Register("cluster|replicate", Replicate);
  t.Register("cluster|reset", Reset);
  t.Register("cluster|saveconfig", SaveConfig);
  t.Register("cluster|set-config-epoch", SetConfigEpoch);
  t.Register("cluster|count-failure-reports", CountFailureReports);
  t.Register("cluster|myid", MyId);
}

}  // namespace tessera::commands::cluster
