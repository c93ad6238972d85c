// Decoded cluster bus messages of Redis 7.0 (cluster-bus.md §1). Plain data: the codec fills
// them, ClusterBus reads them, and Encode() turns them back into bytes.
#pragma once

#include <array>
#include <optional>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "tessera/bus/node_id.h"
#include "tessera/bus/slot_bitmap.h"

namespace tessera::bus {

inline constexpr size_t kHeaderSize = 2256;
inline constexpr size_t kGossipEntrySize = 104;
inline constexpr size_t kUpdateBodySize = 2096;
inline constexpr size_t kIpLen = 46;  // NET_IP_STR_LEN, including the NUL
inline constexpr uint16_t kProtocolVersion = 1;

// Message type codes (§1.3). Codes >= kTypeCount are accepted and carried as unknown.
enum class MsgType : uint16_t {
  kPing = 0,
  kPong = 1,
  kMeet = 2,
  kFail = 3,
  kPublish = 4,
  kAuthRequest = 5,
  kAuthAck = 6,
  kUpdate = 7,
  kMfStart = 8,
  kModule = 9,
  kPublishShard = 10,
};
inline constexpr uint16_t kTypeCount = 11;

// The CLUSTER INFO stats name of a known type ("ping", "auth-req", ...), "" if unknown.
const char* MsgTypeStatsName(uint16_t type);

// Node flag bits, as sent in header and gossip `flags` (§1.8).
namespace node_flags {
inline constexpr uint16_t kMaster = 1;
inline constexpr uint16_t kSlave = 2;
inline constexpr uint16_t kPfail = 4;
inline constexpr uint16_t kFail = 8;
inline constexpr uint16_t kMyself = 16;
inline constexpr uint16_t kHandshake = 32;
inline constexpr uint16_t kNoAddr = 64;
inline constexpr uint16_t kMeet = 128;
inline constexpr uint16_t kMigrateTo = 256;
inline constexpr uint16_t kNoFailover = 512;
}  // namespace node_flags

// mflags[0] bits (§1.9).
namespace msg_flags {
inline constexpr uint8_t kPaused = 0x01;
inline constexpr uint8_t kForceAck = 0x02;
inline constexpr uint8_t kExtData = 0x04;
}  // namespace msg_flags

inline constexpr uint16_t kExtHostname = 0;

struct Header {
  uint16_t type = 0;  // raw code; compare with MsgType via Is()
  uint16_t port = 0;
  uint64_t current_epoch = 0;
  uint64_t config_epoch = 0;
  uint64_t offset = 0;
  NodeId sender;
  SlotBitmap myslots;
  NodeId slaveof;     // all zero: the sender is a master
  std::string myip;   // up to the first NUL; empty means "use the socket address"
  uint16_t pport = 0;
  uint16_t cport = 0;
  uint16_t flags = 0;
  uint8_t state = 0;  // 0 ok, 1 fail; receivers ignore it
  uint8_t mflags = 0; // EXT_DATA is managed by Encode (set iff there are extensions)

  bool Is(MsgType t) const { return type == static_cast<uint16_t>(t); }
};

struct GossipEntry {
  NodeId name;
  uint32_t ping_sent_s = 0;      // seconds; receivers ignore it
  uint32_t pong_received_s = 0;  // unix seconds
  std::string ip;                // up to the first NUL
  uint16_t port = 0;
  uint16_t cport = 0;
  uint16_t flags = 0;
  uint16_t pport = 0;
};

// A ping extension that is not HOSTNAME, kept so that it can be skipped and re-encoded.
struct RawExtension {
  uint16_t type = 0;
  std::string payload;  // length - 8 bytes, padding included
};

// PING, PONG and MEET (§1.5).
struct PingBody {
  std::vector<GossipEntry> gossip;
  // Set iff the message carried a HOSTNAME extension. Its absence means "clear the hostname".
  std::optional<std::string> hostname;
  std::vector<RawExtension> other_extensions;
};

struct FailBody {
  NodeId node;
};

// PUBLISH and PUBLISHSHARD (§1.6.2).
struct PublishBody {
  std::string channel;
  std::string message;
};

struct UpdateBody {
  uint64_t config_epoch = 0;
  NodeId node;
  SlotBitmap slots;
};

struct ModuleBody {
  std::array<uint8_t, 8> module_id{};  // sender's native byte order: opaque
  uint8_t module_type = 0;
  std::string payload;
};

// FAILOVER_AUTH_REQUEST/ACK, MFSTART and unknown types carry no body (std::monostate).
using Body = std::variant<std::monostate, PingBody, FailBody, PublishBody, UpdateBody, ModuleBody>;

struct Message {
  Header header;
  Body body;

  MsgType type() const { return static_cast<MsgType>(header.type); }
  bool IsPingLike() const {
    return header.Is(MsgType::kPing) || header.Is(MsgType::kPong) || header.Is(MsgType::kMeet);
  }
  // Accessors for the body; precondition: the body has that alternative.
  const PingBody& ping() const { return std::get<PingBody>(body); }
  PingBody& ping() { return std::get<PingBody>(body); }
};

}  // namespace tessera::bus
