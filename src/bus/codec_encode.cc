// Bus message encoding (cluster-bus.md §1.2-§1.6, §10.2-§10.4): the whole buffer starts zeroed,
// so every reserved byte (notused1, gossip notused1, extension unused, mflags[1..2]) is zero.
#include <cstring>

#include "bus/wire_io.h"
#include "tessera/bus/codec.h"
#include "tessera/core/status.h"

namespace tessera::bus {
namespace {

using namespace wire;

size_t ExtensionsSize(const PingBody& b) {
  size_t n = b.hostname ? HostnameExtensionSize(b.hostname->size()) : 0;
  for (const RawExtension& e : b.other_extensions) n += 8 + e.payload.size();
  return n;
}

size_t BodySize(const Message& m) {
  switch (m.type()) {
    case MsgType::kPing:
    case MsgType::kPong:
    case MsgType::kMeet:
      return kGossipEntrySize * m.ping().gossip.size() + ExtensionsSize(m.ping());
    case MsgType::kFail:
      return kNodeIdLen;
    case MsgType::kPublish:
    case MsgType::kPublishShard: {
      const auto& b = std::get<PublishBody>(m.body);
      return 8 + b.channel.size() + b.message.size();
    }
    case MsgType::kUpdate:
      return kUpdateBodySize;
    case MsgType::kModule:
      return 13 + std::get<ModuleBody>(m.body).payload.size();
    default:
      return 0;
  }
}

void EncodeHeader(const Header& h, size_t totlen, uint8_t* p) {
  std::memcpy(p + kOffSig, "RCmb", 4);
  Put32(p + kOffTotlen, uint32_t(totlen));
  Put16(p + kOffVer, kProtocolVersion);
  Put16(p + kOffPort, h.port);
  Put16(p + kOffType, h.type);
  Put64(p + kOffCurrentEpoch, h.current_epoch);
  Put64(p + kOffConfigEpoch, h.config_epoch);
  Put64(p + kOffOffset, h.offset);
  std::memcpy(p + kOffSender, h.sender.data(), kNodeIdLen);
  std::memcpy(p + kOffMyslots, h.myslots.data(), kSlotBitmapBytes);
  std::memcpy(p + kOffSlaveof, h.slaveof.data(), kNodeIdLen);
  PutCString(p + kOffMyip, kIpLen, h.myip);
  Put16(p + kOffPport, h.pport);
  Put16(p + kOffCport, h.cport);
  Put16(p + kOffFlags, h.flags);
  p[kOffState] = h.state;
  p[kOffMflags] = h.mflags & uint8_t(~msg_flags::kExtData);
}

void EncodeGossip(const GossipEntry& e, uint8_t* g) {
  std::memcpy(g + kGOffName, e.name.data(), kNodeIdLen);
  Put32(g + kGOffPingSent, e.ping_sent_s);
  Put32(g + kGOffPongReceived, e.pong_received_s);
  PutCString(g + kGOffIp, kIpLen, e.ip);
  Put16(g + kGOffPort, e.port);
  Put16(g + kGOffCport, e.cport);
  Put16(g + kGOffFlags, e.flags);
  Put16(g + kGOffPport, e.pport);
}

void EncodePing(const PingBody& b, uint8_t* p) {
  Put16(p + kOffCount, uint16_t(b.gossip.size()));
  uint8_t* q = p + kHeaderSize;
  for (const GossipEntry& e : b.gossip) {
    EncodeGossip(e, q);
    q += kGossipEntrySize;
  }
  uint16_t n_ext = 0;
  if (b.hostname) {
    const size_t len = HostnameExtensionSize(b.hostname->size());
    Put32(q, uint32_t(len));
    Put16(q + 4, kExtHostname);
    std::memcpy(q + 8, b.hostname->data(), b.hostname->size());
    q += len;
    ++n_ext;
  }
  for (const RawExtension& e : b.other_extensions) {
    Put32(q, uint32_t(8 + e.payload.size()));
    Put16(q + 4, e.type);
    std::memcpy(q + 8, e.payload.data(), e.payload.size());
    q += 8 + e.payload.size();
    ++n_ext;
  }
  // EXT_DATA iff extensions > 0 (§10.2): a mismatch makes 7.0.15 read past the message.
  Put16(p + kOffExtensions, n_ext);
  if (n_ext > 0) p[kOffMflags] |= msg_flags::kExtData;
}

bool BodyMatchesType(const Message& m) {
  switch (m.type()) {
    case MsgType::kPing:
    case MsgType::kPong:
    case MsgType::kMeet:
      return std::holds_alternative<PingBody>(m.body);
    case MsgType::kFail:
      return std::holds_alternative<FailBody>(m.body);
    case MsgType::kPublish:
    case MsgType::kPublishShard:
      return std::holds_alternative<PublishBody>(m.body);
    case MsgType::kUpdate:
      return std::holds_alternative<UpdateBody>(m.body);
    case MsgType::kModule:
      return std::holds_alternative<ModuleBody>(m.body);
    default:
      return std::holds_alternative<std::monostate>(m.body);
  }
}

}  // namespace

size_t HostnameExtensionSize(size_t hostname_len) { return 8 + ((hostname_len + 1 + 7) & ~size_t{7}); }

std::string Encode(const Message& m) {
  TS_CHECK(BodyMatchesType(m));
  const size_t totlen = kHeaderSize + BodySize(m);
  std::string out(totlen, '\0');
  uint8_t* p = reinterpret_cast<uint8_t*>(out.data());
  EncodeHeader(m.header, totlen, p);
  uint8_t* body = p + kHeaderSize;
  switch (m.type()) {
    case MsgType::kPing:
    case MsgType::kPong:
    case MsgType::kMeet:
      EncodePing(m.ping(), p);
      break;
    case MsgType::kFail:
      std::memcpy(body, std::get<FailBody>(m.body).node.data(), kNodeIdLen);
      break;
    case MsgType::kPublish:
    case MsgType::kPublishShard: {
      const auto& b = std::get<PublishBody>(m.body);
      Put32(body, uint32_t(b.channel.size()));
      Put32(body + 4, uint32_t(b.message.size()));
      std::memcpy(body + 8, b.channel.data(), b.channel.size());
      std::memcpy(body + 8 + b.channel.size(), b.message.data(), b.message.size());
      break;
    }
    case MsgType::kUpdate: {
      const auto& u = std::get<UpdateBody>(m.body);
      Put64(body, u.config_epoch);
      std::memcpy(body + 8, u.node.data(), kNodeIdLen);
      std::memcpy(body + 48, u.slots.data(), kSlotBitmapBytes);
      break;
    }
    case MsgType::kModule: {
      const auto& b = std::get<ModuleBody>(m.body);
      std::memcpy(body, b.module_id.data(), 8);
      Put32(body + 8, uint32_t(b.payload.size()));
      body[12] = b.module_type;
      std::memcpy(body + 13, b.payload.data(), b.payload.size());
      break;
    }
    default:
      break;
  }
  return out;
}

}  // namespace tessera::bus
