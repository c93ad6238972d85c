// Golden, round-trip and negative tests of the bus codec (cluster-bus.md §1).
#include <cstring>

#include <catch2/catch.hpp>

#include "bus/fixtures.h"
#include "tessera/bus/codec.h"

namespace tessera::bus {
namespace {

using testing::Bytes;
using testing::ReadFixture;

void Put16(std::vector<uint8_t>& b, size_t off, uint16_t v) {
  b[off] = uint8_t(v >> 8);
  b[off + 1] = uint8_t(v);
}
void Put32(std::vector<uint8_t>& b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = uint8_t(v >> (24 - 8 * i));
}
void Put64(std::vector<uint8_t>& b, size_t off, uint64_t v) {
  Put32(b, off, uint32_t(v >> 32));
  Put32(b, off + 4, uint32_t(v));
}
void PutStr(std::vector<uint8_t>& b, size_t off, std::string_view s) {
  std::memcpy(b.data() + off, s.data(), s.size());
}

constexpr std::string_view kSender = "21abd6180465ff927e63be420f1099cff5307ebf";
constexpr std::string_view kMaster = "01ce6d234d94db2e6c713ee5f96888eb48eab75c";
constexpr std::string_view kGossip = "03ee6c94a792e7fb72189f301e8273571926d3be";

// The PING of cluster-bus.md §1.2, built byte by byte from the offsets table.
std::vector<uint8_t> HandBuiltPing() {
  std::vector<uint8_t> b(2568, 0);
  PutStr(b, 0, "RCmb");
  Put32(b, 4, 2568);
  Put16(b, 8, 1);
  Put16(b, 10, 52005);
  Put16(b, 12, 0);
  Put16(b, 14, 3);
  Put64(b, 16, 6);
  Put64(b, 24, 2);
  PutStr(b, 40, kSender);
  b[80] = 0x01;            // slot 0
  b[80 + 2047] = 0x80;     // slot 16383
  PutStr(b, 2128, kMaster);
  Put16(b, 2248, 62005);
  Put16(b, 2250, 0x12);
  for (int i = 0; i < 3; ++i) {
    size_t g = 2256 + 104 * i;
    PutStr(b, g, kGossip);
    b[g + 39] = char('0' + i);
    Put32(b, g + 44, 0x6b04a286);
    PutStr(b, g + 48, "127.0.0.1");
    Put16(b, g + 94, 52002);
    Put16(b, g + 96, 62002);
    Put16(b, g + 98, 1);
  }
  return b;
}

TEST_CASE("a hand-built PING decodes field by field", "[bus][codec]") {
  std::vector<uint8_t> b = HandBuiltPing();
  auto m = Decode(b);
  REQUIRE(m.ok());
  const Header& h = m->header;
  CHECK(h.Is(MsgType::kPing));
  CHECK(h.port == 52005);
  CHECK(h.current_epoch == 6);
  CHECK(h.config_epoch == 2);
  CHECK(h.offset == 0);
  CHECK(h.sender.View() == kSender);
  CHECK(h.slaveof.View() == kMaster);
  CHECK(h.myslots.Test(0));
  CHECK_FALSE(h.myslots.Test(1));
  CHECK(h.myslots.Test(16383));
  CHECK(h.myslots.Count() == 2);
  CHECK(h.myip.empty());
  CHECK(h.cport == 62005);
  CHECK(h.flags == (node_flags::kSlave | node_flags::kMyself));
  REQUIRE(m->ping().gossip.size() == 3);
  const GossipEntry& g = m->ping().gossip[2];
  CHECK(g.name.View().substr(0, 39) == kGossip.substr(0, 39));
  CHECK(g.name.View()[39] == '2');
  CHECK(g.pong_received_s == 0x6b04a286u);
  CHECK(g.ip == "127.0.0.1");
  CHECK(g.port == 52002);
  CHECK(g.cport == 62002);
  CHECK(g.flags == node_flags::kMaster);
  CHECK_FALSE(m->ping().hostname.has_value());
  CHECK(Bytes(Encode(*m)) == b);
}

TEST_CASE("real 7.0.15 frames decode and re-encode byte for byte", "[bus][codec][golden]") {
  for (const char* name : {"ping_real.bin", "pong_real_hostname.bin", "update_real.bin",
                           "publish_real.bin"}) {
    INFO(name);
    std::string raw = ReadFixture(name);
    REQUIRE(raw.size() >= kHeaderSize);
    auto m = Decode(Bytes(raw));
    REQUIRE(m.ok());
    CHECK(m->header.sender.IsValid());
    CHECK(Encode(*m) == raw);
  }
}

TEST_CASE("the real PONG carries a hostname extension of 24 bytes", "[bus][codec][golden]") {
  auto m = Decode(Bytes(ReadFixture("pong_real_hostname.bin")));
  REQUIRE(m.ok());
  CHECK(m->header.Is(MsgType::kPong));
  CHECK(m->header.mflags & msg_flags::kExtData);
  REQUIRE(m->ping().hostname.has_value());
  CHECK(*m->ping().hostname == "host-a.example");
  CHECK(HostnameExtensionSize(14) == 24);
  CHECK(kHeaderSize + 104 * m->ping().gossip.size() + 24 == 2592);
  // The real node 0 owns 0-5460.
  CHECK(m->header.myslots.Count() == 5461);
  CHECK(m->header.myslots.Test(5460));
  CHECK_FALSE(m->header.myslots.Test(5461));
  CHECK(m->header.flags & node_flags::kMyself);
}

TEST_CASE("the real UPDATE and PUBLISH bodies decode", "[bus][codec][golden]") {
  auto u = Decode(Bytes(ReadFixture("update_real.bin")));
  REQUIRE(u.ok());
  REQUIRE(u->header.Is(MsgType::kUpdate));
  const auto& body = std::get<UpdateBody>(u->body);
  CHECK(body.config_epoch == 1);
  CHECK(body.node.IsValid());
  CHECK(body.slots.Test(0));
  auto p = Decode(Bytes(ReadFixture("publish_real.bin")));
  REQUIRE(p.ok());
  const auto& pb = std::get<PublishBody>(p->body);
  CHECK(pb.channel == "mychan");
  CHECK(pb.message == "hello-world");
}

Message MakeHeaderOnly(MsgType t) {
  Message m;
  m.header.type = static_cast<uint16_t>(t);
  m.header.sender = NodeId::ForTest(7);
  m.header.current_epoch = 9;
  return m;
}

TEST_CASE("every message type round-trips with its exact length", "[bus][codec]") {
  Message fail = MakeHeaderOnly(MsgType::kFail);
  fail.body = FailBody{NodeId::ForTest(3)};
  Message pub = MakeHeaderOnly(MsgType::kPublish);
  pub.body = PublishBody{"mychan", "hello-world"};
  Message spub = MakeHeaderOnly(MsgType::kPublishShard);
  spub.body = PublishBody{"", std::string(70000, 'x')};
  Message upd = MakeHeaderOnly(MsgType::kUpdate);
  UpdateBody ub{8, NodeId::ForTest(4), {}};
  ub.slots.SetRange(100, 200);
  upd.body = ub;
  Message mod = MakeHeaderOnly(MsgType::kModule);
  mod.body = ModuleBody{{1, 2, 3, 4, 5, 6, 7, 8}, 3, "payload"};
  Message meet = MakeHeaderOnly(MsgType::kMeet);
  PingBody pb;
  pb.gossip.push_back({NodeId::ForTest(5), 1, 2, "10.0.0.1", 7000, 17000, 1, 0});
  pb.hostname = "host-b.example";
  pb.other_extensions.push_back({9, std::string(16, 'z')});
  meet.body = pb;
  Message unknown = MakeHeaderOnly(MsgType::kPing);
  unknown.header.type = 42;

  struct Case {
    Message m;
    size_t len;
  };
  std::vector<Case> cases = {
      {fail, 2296},
      {pub, 2281},
      {spub, 2256 + 8 + 70000},
      {upd, 4352},
      {mod, 2256 + 13 + 7},
      {MakeHeaderOnly(MsgType::kAuthRequest), 2256},
      {MakeHeaderOnly(MsgType::kAuthAck), 2256},
      {MakeHeaderOnly(MsgType::kMfStart), 2256},
      {meet, 2256 + 104 + 24 + 24},
      {unknown, 2256},
  };
  for (const Case& c : cases) {
    INFO("type " << c.m.header.type);
    std::string wire = Encode(c.m);
    CHECK(wire.size() == c.len);
    auto back = Decode(Bytes(wire));
    REQUIRE(back.ok());
    CHECK(Encode(*back) == wire);
  }
  auto back = Decode(Bytes(Encode(meet)));
  REQUIRE(back.ok());
  CHECK(*back->ping().hostname == "host-b.example");
  REQUIRE(back->ping().other_extensions.size() == 1);
  CHECK(back->ping().other_extensions[0].type == 9);
  CHECK(back->header.mflags == msg_flags::kExtData);
}

TEST_CASE("framing asks for more bytes, accepts whole frames and flags garbage", "[bus][codec]") {
  std::vector<uint8_t> b = HandBuiltPing();
  CHECK(CheckFrame(std::span(b.data(), 7)).status == FrameStatus::kNeedMore);
  auto partial = CheckFrame(std::span(b.data(), 100));
  CHECK(partial.status == FrameStatus::kNeedMore);
  CHECK(partial.length == 2568);
  b.push_back(0x52);  // the start of a next frame
  auto whole = CheckFrame(b);
  CHECK(whole.status == FrameStatus::kComplete);
  CHECK(whole.length == 2568);
  std::vector<uint8_t> bad = b;
  bad[0] = 'X';
  CHECK(CheckFrame(bad).status == FrameStatus::kBad);
  std::vector<uint8_t> short_len = HandBuiltPing();
  Put32(short_len, 4, 2255);
  CHECK(CheckFrame(short_len).status == FrameStatus::kBad);
  CHECK(PeekType(short_len) == 0);
}

TEST_CASE("decode rejects what 7.0.15 rejects", "[bus][codec]") {
  SECTION("wrong version is ignored silently") {
    auto b = HandBuiltPing();
    Put16(b, 8, 2);
    CHECK(absl::IsFailedPrecondition(Decode(b).status()));
  }
  SECTION("trailing junk") {
    auto b = HandBuiltPing();
    b.resize(2570);
    Put32(b, 4, 2570);
    CHECK(absl::IsInvalidArgument(Decode(b).status()));
  }
  SECTION("PING with count=1 but no entry") {
    std::vector<uint8_t> b(2256);
    auto ok = Bytes(Encode(MakeHeaderOnly(MsgType::kAuthAck)));
    b = ok;
    Put16(b, 12, 0);
    Put16(b, 14, 1);
    CHECK(Decode(b).status().message().find("expected length 2360") != std::string::npos);
  }
  SECTION("FAIL of 2256 bytes") {
    auto b = Bytes(Encode(MakeHeaderOnly(MsgType::kAuthAck)));
    Put16(b, 12, 3);
    CHECK(absl::IsInvalidArgument(Decode(b).status()));
  }
  SECTION("extension length not a multiple of 8") {
    auto b = Bytes(ReadFixture("pong_real_hostname.bin"));
    Put32(b, 2256 + 104 * 3, 20);
    CHECK(Decode(b).status().message().find("padding") != std::string::npos);
  }
  SECTION("extension longer than the message") {
    auto b = Bytes(ReadFixture("pong_real_hostname.bin"));
    Put32(b, 2256 + 104 * 3, 32);
    CHECK(absl::IsInvalidArgument(Decode(b).status()));
  }
  SECTION("extension count beyond the data") {
    auto b = Bytes(ReadFixture("pong_real_hostname.bin"));
    Put16(b, 2214, 2);
    CHECK(absl::IsInvalidArgument(Decode(b).status()));
  }
  SECTION("PUBLISH lengths that overflow") {
    auto b = Bytes(Encode(MakeHeaderOnly(MsgType::kAuthAck)));
    b.resize(2264);
    Put32(b, 4, 2264);
    Put16(b, 12, 4);
    Put32(b, 2256, 0xffffffff);
    Put32(b, 2260, 0xffffffff);
    CHECK(absl::IsInvalidArgument(Decode(b).status()));
  }
  SECTION("bad signature") {
    auto b = HandBuiltPing();
    b[3] = 'x';
    CHECK(Decode(b).status().message() == "Bad message length or signature");
  }
}

}  // namespace
}  // namespace tessera::bus
