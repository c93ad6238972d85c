// ClusterBus message handling, one rule per test: feed frames and time, check state and
// effects (cluster-bus.md §2.4-§5.4, §11).
#include "tessera/bus/cluster_bus.h"

#include <catch2/catch.hpp>

#include "tessera/bus/codec.h"
#include "tessera/core/log.h"

namespace tessera::bus {
namespace {

using namespace std::chrono_literals;

struct Harness {
  core::ManualClock clock;
  core::Rng rng{1};
  ClusterBus bus;

  explicit Harness(uint64_t my_id = 0x10, milliseconds nt = 1000ms)
      : bus(Opts(nt),
            std::make_unique<ClusterState>(NodeId::ForTest(my_id),
                                           TimeBase{clock.Now(), clock.UnixMs()}, clock.Now()),
            rng) {
    core::SetLogLevel(spdlog::level::warn);
  }
  static BusOptions Opts(milliseconds nt) {
    BusOptions o;
    o.node_timeout = nt;
    o.port = 7000;
    o.cport = 17000;
    return o;
  }
  ClusterState& st() { return bus.state(); }
  ClusterNode& AddPeer(uint64_t n, uint16_t flags = node_flags::kMaster) {
    ClusterNode& p = st().Add(NodeId::ForTest(n), flags, clock.Now());
    p.ip = "10.0.0." + std::to_string(n);
    p.port = 7000;
    p.cport = 17000;
    return p;
  }
  // Runs the cron so it connects to `peer`, and reports the connect as successful.
  LinkId Connect(ClusterNode& peer) {
    if (peer.link != kNoLink) {  // an earlier Tick already started this connect
      bus.OnConnected(peer.link, clock.Now());
      return peer.link;
    }
    for (Effect& e : bus.Tick(clock.Now())) {
      if (auto* c = std::get_if<ConnectEffect>(&e); c && c->node == peer.id) {
        bus.OnConnected(c->link, clock.Now());
        return c->link;
      }
    }
    FAIL("no connect to the peer");
    return kNoLink;
  }
  // A message as `peer` would build it.
  Message From(const ClusterNode& peer, MsgType t) {
    Message m;
    m.header.type = static_cast<uint16_t>(t);
    m.header.sender = peer.id;
    m.header.port = peer.port;
    m.header.cport = peer.cport;
    m.header.flags = peer.flags | node_flags::kMyself;
    m.header.config_epoch = peer.config_epoch;
    m.header.myslots = peer.slots;
    if (peer.master) m.header.slaveof = peer.master->id;
    if (t == MsgType::kPing || t == MsgType::kPong || t == MsgType::kMeet) m.body = PingBody{};
    if (t == MsgType::kFail) m.body = FailBody{};
    if (t == MsgType::kUpdate) m.body = UpdateBody{};
    return m;
  }
  Effects Deliver(LinkId link, const Message& m) {
    std::string wire = Encode(m);
    return bus.OnFrame(link, std::span(reinterpret_cast<const uint8_t*>(wire.data()), wire.size()),
                       clock.Now());
  }
};

std::vector<Message> SentMessages(const Effects& effects, MsgType t) {
  std::vector<Message> out;
  for (const Effect& e : effects) {
    if (auto* s = std::get_if<SendEffect>(&e)) {
      auto m =
          Decode(std::span(reinterpret_cast<const uint8_t*>(s->bytes.data()), s->bytes.size()));
      REQUIRE(m.ok());
      if (m->header.Is(t)) out.push_back(*m);
    }
  }
  return out;
}

template <typename T>
const T* Find(const Effects& effects) {
  for (const Effect& e : effects) {
    if (auto* x = std::get_if<T>(&e)) return x;
  }
  return nullptr;
}

TEST_CASE("a PING from an unknown sender gets a PONG and nothing else", "[bus][core]") {
  Harness h;
  LinkId in = h.bus.OnAccepted("10.0.0.9", "10.0.0.1", h.clock.Now());
  ClusterNode stranger;
  stranger.id = NodeId::ForTest(9);
  stranger.flags = node_flags::kMaster;
  Effects fx = h.Deliver(in, h.From(stranger, MsgType::kPing));
  auto pongs = SentMessages(fx, MsgType::kPong);
  REQUIRE(pongs.size() == 1);
  CHECK(pongs[0].header.sender == h.st().myself().id);
  CHECK(h.st().NodeCount() == 1);
  CHECK(h.st().myself().ip == "10.0.0.1");  // learned while our own ip was empty
  CHECK(h.bus.stats().received[0] == 1);
  CHECK(h.bus.stats().sent[1] == 1);
}

TEST_CASE("a MEET from an unknown sender adds a handshake node at the socket address",
          "[bus][core]") {
  Harness h;
  LinkId in = h.bus.OnAccepted("10.0.0.9", "10.0.0.1", h.clock.Now());
  ClusterNode stranger;
  stranger.id = NodeId::ForTest(9);
  stranger.port = 7009;
  stranger.cport = 17009;
  Effects fx = h.Deliver(in, h.From(stranger, MsgType::kMeet));
  CHECK(SentMessages(fx, MsgType::kPong).size() == 1);
  REQUIRE(h.st().NodeCount() == 2);
  CHECK(h.st().Find(stranger.id) == nullptr);  // a random name until the handshake completes
  CHECK(h.st().ClusterNodesText().find(" 10.0.0.9:7009@17009 handshake - 0 0 0 disconnected\n") !=
        std::string::npos);
}

TEST_CASE("CLUSTER MEET sends MEET, and the PONG renames the placeholder", "[bus][core]") {
  Harness h;
  h.bus.Meet("10.0.0.2", 7000, 17000, h.clock.Now());
  h.bus.Meet("10.0.0.2", 7000, 17000, h.clock.Now());  // same address: no second placeholder
  REQUIRE(h.st().NodeCount() == 2);
  Effects fx = h.bus.Tick(h.clock.Now());
  const ConnectEffect* c = Find<ConnectEffect>(fx);
  REQUIRE(c != nullptr);
  CHECK(c->ip == "10.0.0.2");
  Effects on_connect = h.bus.OnConnected(c->link, h.clock.Now());
  REQUIRE(SentMessages(on_connect, MsgType::kMeet).size() == 1);
  ClusterNode real;
  real.id = NodeId::ForTest(2);
  real.flags = node_flags::kMaster;
  real.port = 7000;
  real.cport = 17000;
  Effects fx2 = h.Deliver(c->link, h.From(real, MsgType::kPong));
  ClusterNode* n = h.st().Find(real.id);
  REQUIRE(n != nullptr);
  CHECK(n->flags == node_flags::kMaster);
  CHECK(n->pong_received == h.clock.Now());
  CHECK(n->link == c->link);
  CHECK(Find<SaveConfigEffect>(fx2) != nullptr);
}

TEST_CASE("a handshake placeholder expires after max(node_timeout, 1s)", "[bus][core]") {
  Harness h(0x10, 500ms);
  h.bus.Meet("10.0.0.2", 7000, 17000, h.clock.Now());
  h.clock.Advance(1000ms);
  h.bus.Tick(h.clock.Now());
  CHECK(h.st().NodeCount() == 2);
  h.clock.Advance(1ms);
  Effects fx = h.bus.Tick(h.clock.Now());
  CHECK(h.st().NodeCount() == 1);
  CHECK(Find<CloseEffect>(fx) != nullptr);
}

TEST_CASE("a peer gets PFAIL only after node_timeout without a PONG", "[bus][core]") {
  Harness h;
  ClusterNode& p = h.AddPeer(2);
  LinkId link = h.Connect(p);
  CHECK(p.ping_sent == h.clock.Now());
  h.clock.Advance(1000ms);
  h.bus.Tick(h.clock.Now());
  CHECK_FALSE(p.TimedOut());
  h.clock.Advance(1ms);
  h.bus.Tick(h.clock.Now());
  CHECK(p.TimedOut());
  CHECK(h.st().ClusterNodesText().find("master,fail?") != std::string::npos);
  // The watchdog dropped the silent link (older than node_timeout, ping pending > NT/2).
  CHECK(p.link == kNoLink);
  h.Deliver(link, h.From(p, MsgType::kPong));  // a late PONG on the dead link is ignored
  CHECK(p.TimedOut());
  // Only a PONG on our outbound link clears it; the reconnect keeps the old ping_sent.
  const MonoTime first_ping = p.ping_sent;
  LinkId again = h.Connect(p);
  CHECK(p.ping_sent == first_ping);
  h.Deliver(h.bus.OnAccepted(p.ip, "x", h.clock.Now()), h.From(p, MsgType::kPong));
  CHECK(p.TimedOut());  // not on the inbound link
  h.Deliver(again, h.From(p, MsgType::kPong));
  CHECK_FALSE(p.TimedOut());
  CHECK(p.ping_sent == kNever);
}

TEST_CASE("a majority of master reports turns PFAIL into FAIL and broadcasts it", "[bus][core]") {
  Harness h;
  h.st().UpdateState(h.clock.Now(), {});
  h.clock.Advance(2001ms);  // past the startup delay, so cluster_size gets computed
  ClusterNode& b = h.AddPeer(2);
  ClusterNode& c = h.AddPeer(3);
  ClusterNode& victim = h.AddPeer(4);
  h.bus.AddSlotRange(0, 99, h.clock.Now());
  for (auto [node, first] : {std::pair{&b, 100}, {&c, 200}, {&victim, 300}}) {
    for (int s = first; s < first + 100; ++s) h.st().AddSlot(*node, s);
  }
  LinkId lb = h.Connect(b);
  h.Connect(c);
  h.Connect(victim);
  victim.flags |= node_flags::kPfail;
  h.bus.RequestStateUpdate();
  h.bus.Tick(h.clock.Now());
  REQUIRE(h.st().size() == 4);  // needed = 3: myself + 2 reports
  Message ping = h.From(b, MsgType::kPing);
  GossipEntry e;
  e.name = victim.id;
  e.flags = node_flags::kMaster | node_flags::kPfail;
  ping.ping().gossip.push_back(e);
  h.Deliver(lb, ping);
  CHECK_FALSE(victim.Failed());
  CHECK(victim.fail_reports.size() == 1);
  // A replica's report does not count; c is a master but we need its report to arrive.
  LinkId in_c = h.bus.OnAccepted(c.ip, "10.0.0.1", h.clock.Now());
  Message from_c = h.From(c, MsgType::kPing);
  from_c.ping().gossip.push_back(e);
  Effects fx = h.Deliver(in_c, from_c);
  CHECK(victim.Failed());
  CHECK_FALSE(victim.TimedOut());
  auto fails = SentMessages(fx, MsgType::kFail);
  CHECK(fails.size() == 3);  // to b, c and the victim itself: every outbound link
  CHECK(std::get<FailBody>(fails[0].body).node == victim.id);
}

TEST_CASE("FAIL messages count only from known senders", "[bus][core]") {
  Harness h;
  ClusterNode& b = h.AddPeer(2);
  ClusterNode& v = h.AddPeer(3);
  LinkId in = h.bus.OnAccepted("10.0.0.99", "10.0.0.1", h.clock.Now());
  ClusterNode stranger;
  stranger.id = NodeId::ForTest(99);
  Message fail = h.From(stranger, MsgType::kFail);
  std::get<FailBody>(fail.body).node = v.id;
  h.Deliver(in, fail);
  CHECK_FALSE(v.Failed());
  LinkId in_b = h.bus.OnAccepted(b.ip, "10.0.0.1", h.clock.Now());
  Message fail_b = h.From(b, MsgType::kFail);
  std::get<FailBody>(fail_b.body).node = v.id;
  Effects fx = h.Deliver(in_b, fail_b);
  CHECK(v.Failed());
  CHECK(SentMessages(fx, MsgType::kFail).empty());  // never re-broadcast
  CHECK(b.inbound_link == in_b);
}

TEST_CASE("a configEpoch collision moves the node with the smaller name", "[bus][core]") {
  Harness h(0x10);
  ClusterNode& bigger = h.AddPeer(0x20);
  ClusterNode& smaller = h.AddPeer(0x05);
  LinkId in = h.bus.OnAccepted(bigger.ip, "10.0.0.1", h.clock.Now());
  h.Deliver(in, h.From(smaller, MsgType::kPing));
  CHECK(h.st().myself().config_epoch == 0);  // the sender is smaller: it moves, not us
  Effects fx =
      h.Deliver(h.bus.OnAccepted(bigger.ip, "x", h.clock.Now()), h.From(bigger, MsgType::kPing));
  CHECK(h.st().myself().config_epoch == 1);
  CHECK(h.st().current_epoch() == 1);
  const SaveConfigEffect* save = Find<SaveConfigEffect>(fx);
  REQUIRE(save != nullptr);
  CHECK((save->fsync && save->now));
}

TEST_CASE("a higher-epoch claim takes our slots and makes us its replica", "[bus][core]") {
  Harness h;
  h.bus.AddSlotRange(0, 99, h.clock.Now());
  h.st().myself().config_epoch = 1;
  ClusterNode& winner = h.AddPeer(2);
  winner.config_epoch = 5;
  for (int s = 0; s < 100; ++s) winner.slots.Set(s);
  Message ping = h.From(winner, MsgType::kPing);
  winner.slots = SlotBitmap();
  Effects fx = h.Deliver(h.bus.OnAccepted(winner.ip, "x", h.clock.Now()), ping);
  CHECK(h.st().SlotOwner(0) == &winner);
  CHECK(h.st().myself().IsReplica());
  CHECK(h.st().myself().master == &winner);
  const ReplicateEffect* r = Find<ReplicateEffect>(fx);
  REQUIRE(r != nullptr);
  CHECK(r->master == winner.id);
  CHECK(h.st().ClusterNodesText().find("myself,slave " + winner.id.Str() + " 0 0 5 connected\n") !=
        std::string::npos);
}

TEST_CASE("a stale slot claim is answered with an UPDATE about the newer owner", "[bus][core]") {
  Harness h;
  ClusterNode& owner = h.AddPeer(2);
  owner.config_epoch = 8;
  for (int s = 0; s < 50; ++s) h.st().AddSlot(owner, s);
  ClusterNode& stale = h.AddPeer(3);
  stale.config_epoch = 2;
  h.Connect(stale);
  Message ping = h.From(stale, MsgType::kPing);
  ping.header.myslots.SetRange(0, 9);
  Effects fx = h.Deliver(h.bus.OnAccepted(stale.ip, "x", h.clock.Now()), ping);
  CHECK(h.st().SlotOwner(0) == &owner);  // lower epoch never wins
  auto updates = SentMessages(fx, MsgType::kUpdate);
  REQUIRE(updates.size() == 1);
  const auto& u = std::get<UpdateBody>(updates[0].body);
  CHECK(u.node == owner.id);
  CHECK(u.config_epoch == 8);
  CHECK(u.slots.Count() == 50);

  // Receiving that UPDATE on the stale side would rebind; here: an UPDATE about a replica.
  ClusterNode& r = h.AddPeer(4, node_flags::kSlave);
  Message upd = h.From(owner, MsgType::kUpdate);
  UpdateBody body{9, r.id, {}};
  body.slots.SetRange(0, 49);
  upd.body = body;
  h.Deliver(h.bus.OnAccepted(owner.ip, "x", h.clock.Now()), upd);
  CHECK(r.IsMaster());
  CHECK(r.config_epoch == 9);
  CHECK(h.st().SlotOwner(49) == &r);
}

TEST_CASE("gossip introduces new nodes only from known senders", "[bus][core]") {
  Harness h;
  ClusterNode& b = h.AddPeer(2);
  GossipEntry e;
  e.name = NodeId::ForTest(7);
  e.ip = "10.0.0.7";
  e.port = 7000;
  e.cport = 17000;
  e.flags = node_flags::kMaster;
  ClusterNode stranger;
  stranger.id = NodeId::ForTest(99);
  Message from_stranger = h.From(stranger, MsgType::kPing);
  from_stranger.ping().gossip.push_back(e);
  h.Deliver(h.bus.OnAccepted("1.1.1.1", "x", h.clock.Now()), from_stranger);
  CHECK(h.st().Find(e.name) == nullptr);
  Message from_b = h.From(b, MsgType::kPing);
  from_b.ping().gossip.push_back(e);
  GossipEntry noaddr = e;
  noaddr.name = NodeId::ForTest(8);
  noaddr.flags |= node_flags::kNoAddr;
  from_b.ping().gossip.push_back(noaddr);
  from_b.ping().hostname = "b.example";
  h.Deliver(h.bus.OnAccepted(b.ip, "x", h.clock.Now()), from_b);
  ClusterNode* learned = h.st().Find(e.name);
  REQUIRE(learned != nullptr);
  CHECK(learned->ip == "10.0.0.7");
  CHECK_FALSE(learned->InHandshake());
  CHECK(h.st().Find(noaddr.name) == nullptr);
  CHECK(b.hostname == "b.example");
}

TEST_CASE("malformed frames are dropped without closing anything", "[bus][core]") {
  Harness h;
  LinkId in = h.bus.OnAccepted("10.0.0.9", "10.0.0.1", h.clock.Now());
  std::vector<uint8_t> junk(2256, 0);
  junk[0] = 'R', junk[1] = 'C', junk[2] = 'm', junk[3] = 'b';
  junk[6] = 0x08, junk[7] = 0xd0;  // totlen 2256
  junk[9] = 1;
  junk[13] = 3;  // FAIL with no body
  Effects fx = h.bus.OnFrame(in, junk, h.clock.Now());
  CHECK(fx.empty());
  CHECK(h.bus.stats().received[3] == 1);  // counted before validation, as Redis does
}

TEST_CASE("a FORGOTTEN node is not re-added from gossip until the 60 s ban ends", "[bus][core]") {
  Harness h;
  ClusterNode& peer = h.AddPeer(2);
  ClusterNode& gone = h.AddPeer(3);
  const NodeId gone_id = gone.id;
  LinkId link = h.Connect(peer);
  h.bus.Forget(gone_id, h.clock.Now());
  CHECK(h.st().Find(gone_id) == nullptr);
  Message ping = h.From(peer, MsgType::kPing);
  GossipEntry e;
  e.name = gone_id;
  e.ip = "10.0.0.3";
  e.port = 7000;
  e.cport = 17000;
  e.flags = node_flags::kMaster;
  ping.ping().gossip.push_back(e);
  h.Deliver(link, ping);
  CHECK(h.st().Find(gone_id) == nullptr);
  h.clock.Advance(kForgetBan + 1ms);
  h.bus.Tick(h.clock.Now());
  // Our outbound link went stale meanwhile: the peer's gossip now arrives on its own link.
  h.Deliver(h.bus.OnAccepted("10.0.0.2", "10.0.0.1", h.clock.Now()), ping);
  CHECK(h.st().Find(gone_id) != nullptr);
}

TEST_CASE("RESET forgets every node and slot; HARD renames myself and zeroes epochs",
          "[bus][core]") {
  Harness h;
  ClusterNode& peer = h.AddPeer(2);
  LinkId link = h.Connect(peer);
  h.st().AddSlot(h.st().myself(), 5);
  h.st().myself().config_epoch = 4;
  h.st().set_current_epoch(6);
  h.bus.Reset(false, NodeId::ForTest(99));
  Effects fx = h.bus.Commit(h.clock.Now());
  CHECK(h.st().NodeCount() == 1);
  CHECK(h.st().SlotOwner(5) == nullptr);
  CHECK(h.st().myself().config_epoch == 4);
  const CloseEffect* close = Find<CloseEffect>(fx);
  REQUIRE(close != nullptr);
  CHECK(close->link == link);
  CHECK(Find<SaveConfigEffect>(fx) != nullptr);
  h.bus.Reset(true, NodeId::ForTest(99));
  CHECK(h.st().myself().id == NodeId::ForTest(99));
  CHECK(h.st().current_epoch() == 0);
  CHECK(h.st().myself().config_epoch == 0);
}

TEST_CASE("CLUSTER LINKS lists a node's outbound link, then its inbound one", "[bus][core]") {
  Harness h;
  ClusterNode& peer = h.AddPeer(2);
  LinkId out = h.Connect(peer);
  LinkId in = h.bus.OnAccepted("10.0.0.2", "10.0.0.1", h.clock.Now());
  h.Deliver(in, h.From(peer, MsgType::kPing));
  auto links = h.bus.Links();
  REQUIRE(links.size() == 2);
  CHECK(links[0].id == out);
  CHECK(links[0].outbound);
  CHECK(links[1].id == in);
  CHECK(!links[1].outbound);
  CHECK(links[1].node == peer.id);
}

TEST_CASE("a PING from a peer postpones our own PING to it, not its PFAIL", "[bus][core]") {
  Harness h;  // node_timeout 1000 ms: we PING a peer unheard of for 500 ms
  ClusterNode& p = h.AddPeer(2);
  LinkId out = h.Connect(p);
  h.Deliver(out, h.From(p, MsgType::kPong));
  REQUIRE(p.ping_sent == kNever);
  h.clock.Advance(400ms);
  LinkId in = h.bus.OnAccepted(p.ip, "x", h.clock.Now());
  CHECK(SentMessages(h.Deliver(in, h.From(p, MsgType::kPing)), MsgType::kPong).size() == 1);
  CHECK(p.pong_received == h.clock.Now());
  // 600 ms after its PONG but 200 ms after its PING: nothing to ask.
  h.clock.Advance(200ms);
  CHECK(SentMessages(h.bus.Tick(h.clock.Now()), MsgType::kPing).empty());
  // Then it falls silent: our PING goes out node_timeout / 2 after its last word...
  h.clock.Advance(301ms);
  CHECK(SentMessages(h.bus.Tick(h.clock.Now()), MsgType::kPing).size() == 1);
  CHECK(p.ping_sent == h.clock.Now());
  // ...and PFAIL follows node_timeout later, as without the PING.
  h.clock.Advance(1000ms);
  h.bus.Tick(h.clock.Now());
  CHECK_FALSE(p.TimedOut());
  h.clock.Advance(1ms);
  h.bus.Tick(h.clock.Now());
  CHECK(p.TimedOut());
}

TEST_CASE("a PING does not stand in for the PONG of a PING in flight", "[bus][core]") {
  Harness h;
  ClusterNode& p = h.AddPeer(2);
  h.Connect(p);
  const MonoTime asked = p.ping_sent;
  h.clock.Advance(100ms);
  h.Deliver(h.bus.OnAccepted(p.ip, "x", h.clock.Now()), h.From(p, MsgType::kPing));
  CHECK(p.ping_sent == asked);
  CHECK(p.pong_received == kNever);
}

TEST_CASE("a node learned lately leads our gossip sections for node_timeout / 2", "[bus][core]") {
  Harness h;
  for (uint64_t n = 2; n < 14; ++n) h.st().AddSlot(h.AddPeer(n), int(n));  // gossip candidates
  ClusterNode& b = *h.st().Find(NodeId::ForTest(2));
  GossipEntry e;
  e.name = NodeId::ForTest(50);
  e.ip = "10.0.0.50";
  e.port = 7000;
  e.cport = 17000;
  e.flags = node_flags::kMaster;
  LinkId in = h.bus.OnAccepted(b.ip, "x", h.clock.Now());
  Message intro = h.From(b, MsgType::kPing);
  intro.ping().gossip.push_back(e);
  h.Deliver(in, intro);
  h.st().AddSlot(*h.st().Find(e.name), 50);
  // 14 nodes: max(3, 14 / 10) = 3 entries per section, the new node always among them.
  int with_new = 0;
  for (int i = 0; i < 20; ++i) {
    h.clock.Advance(10ms);
    auto pongs = SentMessages(h.Deliver(in, h.From(b, MsgType::kPing)), MsgType::kPong);
    REQUIRE(pongs.size() == 1);
    CHECK(pongs[0].ping().gossip.size() == 3);
    for (const GossipEntry& g : pongs[0].ping().gossip) with_new += g.name == e.name;
  }
  CHECK(with_new == 20);
  // After node_timeout / 2 it is one candidate among the others.
  h.clock.Advance(500ms);
  with_new = 0;
  for (int i = 0; i < 20; ++i) {
    h.clock.Advance(10ms);
    auto pongs = SentMessages(h.Deliver(in, h.From(b, MsgType::kPing)), MsgType::kPong);
    REQUIRE(pongs.size() == 1);
    CHECK(pongs[0].ping().gossip.size() == 3);
    for (const GossipEntry& g : pongs[0].ping().gossip) with_new += g.name == e.name;
  }
  CHECK(with_new < 20);
}

}  // namespace
}  // namespace tessera::bus
