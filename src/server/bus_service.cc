// BusService: nodes.conf at startup, the bus listener, links, the cluster cron and the effect
// executor (docs/cluster.md, "The network layer's contract"; cluster-bus.md §2, §8).
#include "server/bus_service.h"

#include <cstdlib>

#include "fmt/format.h"
#include "server/listeners.h"
#include "server/node_options.h"
#include "tessera/core/log.h"
#include "tessera/core/status.h"

namespace tessera::server {
namespace {

auto& Log() { return core::Log(core::Module::kBus); }

int BusPort(const ServerOptions& o) {
  return o.cluster_port != 0 ? o.cluster_port : o.port + 10000;
}

bus::BusOptions BusOptionsFrom(const ServerOptions& o) {
  bus::BusOptions b;
  b.node_timeout = std::chrono::milliseconds(o.cluster_node_timeout_ms);
  b.require_full_coverage = o.cluster_require_full_coverage;
  b.allow_replica_migration = o.cluster_allow_replica_migration;
  b.announce_ip = o.cluster_announce_ip;
  b.hostname = o.cluster_announce_hostname;
  // What goes into our headers and our own node entry (cluster-bus.md §2.9, no TLS).
  b.port = static_cast<uint16_t>(o.cluster_announce_port != 0 ? o.cluster_announce_port : o.port);
  b.pport = 0;
  b.cport = static_cast<uint16_t>(o.cluster_announce_bus_port != 0 ? o.cluster_announce_bus_port
                                                                   : BusPort(o));
  return b;
}

commands::EndpointType Endpoint(EndpointType t) {
  switch (t) {
    case EndpointType::kIp:
      return commands::EndpointType::kIp;
    case EndpointType::kHostname:
      return commands::EndpointType::kHostname;
    case EndpointType::kUnknownEndpoint:
      return commands::EndpointType::kUnknownEndpoint;
  }
  return commands::EndpointType::kIp;
}

std::string AddressString(asio::ip::address a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  }
  return a.to_string();
}

}  // namespace

BusService::BusService(asio::io_context& io, const core::Clock& clock, commands::Engine& engine,
                       std::function<void()> flush_clients)
    : io_(io),
      clock_(clock),
      engine_(engine),
      flush_clients_(std::move(flush_clients)),
      rng_(core::Rng::SeedFromOs()) {}

BusService::~BusService() = default;

// Only the bus needs the time of a bus event; the engine's clock is set where an effect reaches
// the keyspace or clients (Deliver, DeleteSlotKeys), which saves two clock reads per message.
core::MonoTime BusService::Now() { return clock_.Now(); }

void BusService::SyncEngineTime() { engine_.SetTime(clock_.Now(), clock_.UnixUs()); }

absl::Status BusService::Init(const ServerOptions& o) {
  if (BusPort(o) > 65535) {
    return absl::InvalidArgumentError(
        "Redis port number too high. Cluster communication port is 10,000 port numbers higher "
        "than your Redis port. Your Redis port number must be 55535 or less.");
  }
  conf_file_ = std::make_unique<NodesConfFile>(o.cluster_config_file);
  TS_RETURN_IF_ERROR(conf_file_->Lock());
  TS_ASSIGN_OR_RETURN(std::optional<bus::NodesConf> conf, conf_file_->Load());
  const core::MonoTime now = Now();
  const bus::TimeBase tb{now, clock_.UnixMs()};
  std::unique_ptr<bus::ClusterState> state;
  if (conf) {
    auto loaded = bus::ClusterState::FromNodesConf(*conf, tb, now);
    if (!loaded.ok()) {
      return absl::DataLossError(
          fmt::format("Unrecoverable error: corrupted cluster config file \"{}\": {}",
                      conf_file_->path(), core::Msg(loaded.status())));
    }
    state = std::move(*loaded);
    Log().warn("Node configuration loaded, I'm.. {}", state->myself().id.View());
  } else {
    state = std::make_unique<bus::ClusterState>(bus::NodeId::Random(rng_), tb, now);
    Log().warn("No cluster configuration found, I'm {}", state->myself().id.View());
  }
  bus_ = std::make_unique<bus::ClusterBus>(BusOptionsFrom(o), std::move(state), rng_);
  context_.bus = bus_.get();
  context_.hooks = this;
  ApplyOptions(o);
  // A new node, or one whose announced ports changed, persists at once.
  SaveOrDie(true);
  return absl::OkStatus();
}

void BusService::ApplyOptions(const ServerOptions& o) {
  bus::BusOptions& b = bus_->mutable_options();
  b = BusOptionsFrom(o);
  bus::ClusterNode& me = bus_->state().myself();
  me.port = b.port;
  me.pport = b.pport;
  me.cport = b.cport;
  me.hostname = b.hostname;
  if (!b.announce_ip.empty()) me.ip = b.announce_ip;
  if (o.cluster_replica_no_failover) {
    me.flags |= bus::node_flags::kNoFailover;
  } else {
    me.flags &= ~bus::node_flags::kNoFailover;
  }
  context_.allow_reads_when_down = o.cluster_allow_reads_when_down;
  context_.allow_pubsubshard_when_down = o.cluster_allow_pubsubshard_when_down;
  context_.preferred_endpoint = Endpoint(o.cluster_preferred_endpoint_type);
  link_sendbuf_limit_ = o.cluster_link_sendbuf_limit_bytes;
  bus_->RequestStateUpdate();
  Run(bus_->Commit(Now()));
}

absl::Status BusService::Listen(const ServerOptions& o) {
  const int port = BusPort(o);
  TS_RETURN_IF_ERROR(OpenListeners(io_, ToServerSettings(o).bind, port, &acceptors_));
  if (acceptors_.empty()) {
    return absl::UnavailableError("Failed listening on the cluster bus port, aborting.");
  }
  for (auto& a : acceptors_) Accept(*a);
  listening_ = true;
  return absl::OkStatus();
}

void BusService::Accept(tcp::acceptor& acc) {
  acc.async_accept([this, &acc](const error_code& ec, tcp::socket sock) {
    if (stopped_) return;
    if (!ec) {
      error_code e1, e2;
      auto remote = sock.remote_endpoint(e1);
      auto local = sock.local_endpoint(e2);
      if (!e1 && !e2) {
        // Keepalive as Redis sets it on bus sockets: (node_timeout / 1000) * 2 seconds.
        sock.set_option(asio::socket_base::keep_alive(true), e1);
        bus::LinkId id = bus_->OnAccepted(AddressString(remote.address()),
                                          AddressString(local.address()), Now());
        auto link = std::make_shared<BusLink>(id, std::move(sock), events());
        links_[id] = link;
        link->StartReading();
      }
    }
    Accept(acc);
  });
}

void BusService::Cron() {
  if (!listening_ || stopped_) return;
  const core::MonoTime now = Now();
  // Like Redis's run_with_period(100) in serverCron: at hz 10 every server tick is a bus tick;
  // a faster hz skips ticks, a slower one ticks each time. The slack covers timer jitter and
  // the server cron running up to kCronPiggyback early (node.cc); nothing in Tick counts ticks.
  if (last_tick_ != core::MonoTime{} && now - last_tick_ < bus::kCronPeriod * 4 / 10) return;
  last_tick_ = now;
  Run(bus_->Tick(now));
  AfterEvent();
}

void BusService::Stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& a : acceptors_) {
    error_code ec;
    a->close(ec);
  }
  for (auto& [id, link] : links_) link->Close();
  links_.clear();
}

void BusService::OnLinkConnected(bus::LinkId id) {
  Run(bus_->OnConnected(id, Now()));
  AfterEvent();
}

void BusService::OnLinkFrame(bus::LinkId id, std::span<const uint8_t> frame) {
  Run(bus_->OnFrame(id, frame, Now()));
  AfterEvent();
  if (on_woken && !woken_posted_) {
    // Posted, not called: the cron may close links, and this one is still in its read handler.
    // A posted handler runs before the loop sleeps again, so it costs no wakeup.
    woken_posted_ = true;
    asio::post(io_, [this] {
      woken_posted_ = false;
      if (!stopped_) on_woken();
    });
  }
}

void BusService::OnLinkError(bus::LinkId id) {
  links_.erase(id);
  if (stopped_) return;
  Run(bus_->OnLinkClosed(id, Now()));
  AfterEvent();
}

void BusService::AfterEvent() {
  if (!delivered_) return;
  delivered_ = false;
  flush_clients_();
}

void BusService::Run(bus::Effects effects) {
  for (bus::Effect& e : effects) Execute(e);
}

void BusService::Execute(bus::Effect& effect) {
  if (auto* c = std::get_if<bus::ConnectEffect>(&effect)) {
    auto link = std::make_shared<BusLink>(c->link, io_, events());
    links_[c->link] = link;
    link->Connect(c->ip, c->cport);
  } else if (auto* s = std::get_if<bus::SendEffect>(&effect)) {
    auto it = links_.find(s->link);
    if (it == links_.end()) return;
    BusLink& link = *it->second;
    link.Send(std::move(s->bytes));
    if (link_sendbuf_limit_ > 0 && link.queued_bytes() > link_sendbuf_limit_) {
      Log().warn("Freeing cluster link to {}: send buffer over cluster-link-sendbuf-limit",
                 link.peer());
      link.Close();
      links_.erase(it);
      bus_->CountLinkBufferLimitExceeded();
      // Reported as a later event: effects never re-enter the bus.
      bus::LinkId id = s->link;
      asio::post(io_, [this, id] {
        if (stopped_) return;
        Run(bus_->OnLinkClosed(id, Now()));
        AfterEvent();
      });
    }
  } else if (auto* cl = std::get_if<bus::CloseEffect>(&effect)) {
    auto it = links_.find(cl->link);
    if (it == links_.end()) return;
    it->second->Close();
    links_.erase(it);
  } else if (auto* sc = std::get_if<bus::SaveConfigEffect>(&effect)) {
    SaveConfig(sc->fsync, sc->now);
  } else if (auto* sch = std::get_if<bus::StateChangedEffect>(&effect)) {
    core::Log(core::Module::kServer).warn("Cluster state changed: {}", sch->ok ? "ok" : "fail");
  } else if (auto* d = std::get_if<bus::DeliverEffect>(&effect)) {
    Deliver(*d);
  } else if (auto* r = std::get_if<bus::ReplicateEffect>(&effect)) {
    // TODO(#5): start the replication link; until then only the role and bus flags change.
    Log().info("This node is now a replica of {} ({}:{})", r->master.View(), r->ip, r->port);
  } else if (auto* lost = std::get_if<bus::ShardSlotsLostEffect>(&effect)) {
    engine_.UnsubscribeShardSlots(lost->slots);
  } else if (auto* del = std::get_if<bus::DeleteSlotKeysEffect>(&effect)) {
    SyncEngineTime();
    size_t n = 0;
    for (int slot : del->slots) n += engine_.db(0).DeleteSlot(slot);
    if (n > 0) engine_.TouchAllKeys(0);
    Log().warn("Deleted {} keys from {} slots this node no longer owns", n, del->slots.size());
  }
}

void BusService::Deliver(const bus::DeliverEffect& d) {
  const bus::Message& m = d.msg;
  if (m.header.Is(bus::MsgType::kPublish) || m.header.Is(bus::MsgType::kPublishShard)) {
    const auto& body = std::get<bus::PublishBody>(m.body);
    SyncEngineTime();
    engine_.Publish(body.channel, body.message, m.header.Is(bus::MsgType::kPublishShard));
    delivered_ = true;
    return;
  }
  // TODO(#6): elections (AUTH_REQUEST/ACK, MFSTART) belong to the failover module.
  Log().debug("Ignoring cluster bus message type {} from {}", m.header.type, d.sender.View());
}

void BusService::SaveConfig(bool fsync, bool now) {
  if (now) {
    SaveOrDie(fsync);
    return;
  }
  // Several changes in one event-loop turn make one write, like Redis's before-sleep save.
  save_fsync_ |= fsync;
  if (save_posted_) return;
  save_posted_ = true;
  asio::post(io_, [this] {
    save_posted_ = false;
    const bool f = std::exchange(save_fsync_, false);
    SaveOrDie(f);
  });
}

void BusService::SaveOrDie(bool fsync) {
  absl::Status st = conf_file_->Save(bus_->state().ToNodesConf(), fsync);
  if (st.ok()) return;
  Log().warn("Fatal: can't update cluster config file: {}", core::Msg(st));
  std::exit(1);
}

absl::Status BusService::SaveClusterConfigNow() {
  return conf_file_->Save(bus_->state().ToNodesConf(), true);
}

size_t BusService::LinkSendBufferBytes(bus::LinkId link) {
  auto it = links_.find(link);
  return it == links_.end() ? 0 : it->second->queued_bytes();
}

}  // namespace tessera::server
