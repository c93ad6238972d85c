// Bus message decoding with every length checked before it is read, in the order of
// cluster-bus.md §1.4 (framing, version, exact length per type, extension walk).
#include <cstring>

#include <fmt/format.h>

#include "bus/wire_io.h"
#include "tessera/bus/codec.h"
#include "tessera/core/status.h"

namespace tessera::bus {
namespace {

using namespace wire;

absl::Status LengthError(uint16_t type, size_t totlen, size_t expected) {
  const char* name = MsgTypeStatsName(type);
  return absl::InvalidArgumentError(
      fmt::format("Received invalid {} packet of length {} but expected length {}",
                  *name ? name : "unknown", totlen, expected));
}

void DecodeHeader(const uint8_t* p, Header* h) {
  h->port = Get16(p + kOffPort);
  h->type = Get16(p + kOffType);
  h->current_epoch = Get64(p + kOffCurrentEpoch);
  h->config_epoch = Get64(p + kOffConfigEpoch);
  h->offset = Get64(p + kOffOffset);
  h->sender = NodeId::FromRaw(p + kOffSender);
  std::memcpy(h->myslots.data(), p + kOffMyslots, kSlotBitmapBytes);
  h->slaveof = NodeId::FromRaw(p + kOffSlaveof);
  // Redis force-terminates myip (§10.3), so at most 45 chars are meaningful.
  h->myip = GetCString(p + kOffMyip, kIpLen - 1);
  h->pport = Get16(p + kOffPport);
  h->cport = Get16(p + kOffCport);
  h->flags = Get16(p + kOffFlags);
  h->state = p[kOffState];
  h->mflags = p[kOffMflags];
}

GossipEntry DecodeGossip(const uint8_t* g) {
  GossipEntry e;
  e.name = NodeId::FromRaw(g + kGOffName);
  e.ping_sent_s = Get32(g + kGOffPingSent);
  e.pong_received_s = Get32(g + kGOffPongReceived);
  e.ip = GetCString(g + kGOffIp, kIpLen);
  e.port = Get16(g + kGOffPort);
  e.cport = Get16(g + kGOffCport);
  e.flags = Get16(g + kGOffFlags);
  e.pport = Get16(g + kGOffPport);
  return e;
}

// PING/PONG/MEET: count gossip entries, then (only with EXT_DATA) `extensions` extensions whose
// lengths are multiples of 8 and fit in what remains (§1.4 step 3, §1.5.2).
absl::StatusOr<PingBody> DecodePing(const uint8_t* p, size_t totlen, uint16_t type) {
  const size_t count = Get16(p + kOffCount);
  const size_t gossip_end = kHeaderSize + kGossipEntrySize * count;
  if (gossip_end > totlen) return LengthError(type, totlen, gossip_end);
  size_t expected = gossip_end;
  const bool has_ext = p[kOffMflags] & msg_flags::kExtData;
  // Without EXT_DATA, Redis does not validate `extensions`; walking them would read past the
  // message (§1.5.2 hazards), so we treat the count as zero instead.
  const size_t ext_count = has_ext ? Get16(p + kOffExtensions) : 0;
  for (size_t i = 0; i < ext_count; ++i) {
    if (totlen - expected < 8) return LengthError(type, totlen, expected + 8);
    const size_t extlen = Get32(p + expected);
    if (extlen % 8 != 0) {
      return absl::InvalidArgumentError(
          fmt::format("Received a {} packet with an extension of length {} without proper padding",
                      MsgTypeStatsName(type), extlen));
    }
    // A zero-length extension would not advance the walk; Redis would re-read the same bytes.
    if (extlen < 8 || extlen > totlen - expected) return LengthError(type, totlen, expected + extlen);
    expected += extlen;
  }
  if (expected != totlen) return LengthError(type, totlen, expected);

  PingBody body;
  body.gossip.reserve(count);
  for (size_t i = 0; i < count; ++i) body.gossip.push_back(DecodeGossip(p + kHeaderSize + kGossipEntrySize * i));
  for (size_t i = 0, pos = gossip_end; i < ext_count; ++i) {
    const size_t extlen = Get32(p + pos);
    const uint16_t ext_type = Get16(p + pos + 4);
    if (ext_type == kExtHostname) {
      body.hostname = GetCString(p + pos + 8, extlen - 8);
    } else {
      body.other_extensions.push_back(
          {ext_type, std::string(reinterpret_cast<const char*>(p + pos + 8), extlen - 8)});
    }
    pos += extlen;
  }
  return body;
}

absl::StatusOr<PublishBody> DecodePublish(const uint8_t* p, size_t totlen, uint16_t type) {
  if (totlen < kHeaderSize + 8) return LengthError(type, totlen, kHeaderSize + 8);
  const uint64_t channel_len = Get32(p + kHeaderSize);
  const uint64_t message_len = Get32(p + kHeaderSize + 4);
  const uint64_t expected = kHeaderSize + 8 + channel_len + message_len;
  if (expected != totlen) return LengthError(type, totlen, expected);
  const char* data = reinterpret_cast<const char*>(p + kHeaderSize + 8);
  return PublishBody{std::string(data, channel_len), std::string(data + channel_len, message_len)};
}

absl::StatusOr<ModuleBody> DecodeModule(const uint8_t* p, size_t totlen, uint16_t type) {
  if (totlen < kHeaderSize + 13) return LengthError(type, totlen, kHeaderSize + 13);
  const uint64_t len = Get32(p + kHeaderSize + 8);
  const uint64_t expected = kHeaderSize + 13 + len;
  if (expected != totlen) return LengthError(type, totlen, expected);
  ModuleBody body;
  std::memcpy(body.module_id.data(), p + kHeaderSize, 8);
  body.module_type = p[kHeaderSize + 12];
  body.payload.assign(reinterpret_cast<const char*>(p + kHeaderSize + 13), len);
  return body;
}

absl::Status ExpectLength(uint16_t type, size_t totlen, size_t expected) {
  return totlen == expected ? absl::OkStatus() : LengthError(type, totlen, expected);
}

absl::StatusOr<Body> DecodeBody(const uint8_t* p, size_t totlen, uint16_t type) {
  switch (static_cast<MsgType>(type)) {
    case MsgType::kPing:
    case MsgType::kPong:
    case MsgType::kMeet:
      return DecodePing(p, totlen, type);
    case MsgType::kFail:
      TS_RETURN_IF_ERROR(ExpectLength(type, totlen, kHeaderSize + kNodeIdLen));
      return FailBody{NodeId::FromRaw(p + kHeaderSize)};
    case MsgType::kPublish:
    case MsgType::kPublishShard:
      return DecodePublish(p, totlen, type);
    case MsgType::kAuthRequest:
    case MsgType::kAuthAck:
    case MsgType::kMfStart:
      TS_RETURN_IF_ERROR(ExpectLength(type, totlen, kHeaderSize));
      return Body{};
    case MsgType::kUpdate: {
      TS_RETURN_IF_ERROR(ExpectLength(type, totlen, kHeaderSize + kUpdateBodySize));
      UpdateBody u;
      u.config_epoch = Get64(p + kHeaderSize);
      u.node = NodeId::FromRaw(p + kHeaderSize + 8);
      std::memcpy(u.slots.data(), p + kHeaderSize + 48, kSlotBitmapBytes);
      return u;
    }
    case MsgType::kModule:
      return DecodeModule(p, totlen, type);
  }
  return Body{};  // unknown type: accepted with any length >= header (§1.3)
}

}  // namespace

const char* MsgTypeStatsName(uint16_t type) {
  static constexpr const char* kNames[kTypeCount] = {
      "ping",     "pong",     "meet",   "fail",    "publish",     "auth-req",
      "auth-ack", "update",   "mfstart", "module", "publishshard"};
  return type < kTypeCount ? kNames[type] : "";
}

FrameCheck CheckFrame(std::span<const uint8_t> buf) {
  if (buf.size() < 8) return {FrameStatus::kNeedMore, 0};
  if (std::memcmp(buf.data(), "RCmb", 4) != 0) return {FrameStatus::kBad, 0};
  const size_t totlen = Get32(buf.data() + kOffTotlen);
  if (totlen < kHeaderSize) return {FrameStatus::kBad, totlen};
  return {buf.size() >= totlen ? FrameStatus::kComplete : FrameStatus::kNeedMore, totlen};
}

uint16_t PeekType(std::span<const uint8_t> frame) { return Get16(frame.data() + kOffType); }

absl::StatusOr<Message> Decode(std::span<const uint8_t> frame) {
  FrameCheck fc = CheckFrame(frame);
  if (fc.status == FrameStatus::kBad || frame.size() < 8) {
    return absl::InvalidArgumentError("Bad message length or signature");
  }
  if (fc.length != frame.size()) {
    return absl::InvalidArgumentError(
        fmt::format("frame of {} bytes does not match totlen {}", frame.size(), fc.length));
  }
  const uint8_t* p = frame.data();
  if (Get16(p + kOffVer) != kProtocolVersion) {
    return absl::FailedPreconditionError(
        fmt::format("unsupported bus protocol version {}", Get16(p + kOffVer)));
  }
  Message msg;
  DecodeHeader(p, &msg.header);
  TS_ASSIGN_OR_RETURN(msg.body, DecodeBody(p, frame.size(), msg.header.type));
  return msg;
}

}  // namespace tessera::bus
