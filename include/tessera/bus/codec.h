// Redis 7.0 cluster bus wire codec: framing, Decode and Encode (cluster-bus.md §1).
// The network layer only moves bytes: it asks CheckFrame() whether a whole message is buffered,
// hands that frame to Decode() (or to ClusterBus::OnFrame), and writes what Encode() returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "tessera/bus/message.h"

namespace tessera::bus {

enum class FrameStatus {
  kNeedMore,  // keep reading; fewer than 8 bytes, or fewer than totlen
  kComplete,  // the first `length` bytes are one message
  kBad,       // bad signature or totlen < 2256: Redis closes the connection (§1.4 step 1)
};

struct FrameCheck {
  FrameStatus status = FrameStatus::kNeedMore;
  size_t length = 0;  // totlen, once 8 bytes are buffered and the prefix is good
};

// Looks at the start of a receive buffer. There is no upper limit on totlen: large PUBLISH
// messages are legal, so the caller bounds its own memory if it wants to.
FrameCheck CheckFrame(std::span<const uint8_t> buf);

// The type code of a complete frame (offset 12). Redis counts received messages per type
// (types < 11) before validation, so the caller can count with this even if Decode fails.
// Precondition: frame.size() >= kHeaderSize.
uint16_t PeekType(std::span<const uint8_t> frame);

// Decodes exactly one message; `frame` must be the whole message (frame.size() == totlen).
// Checks every length before reading, in the order of §1.4:
//   signature / totlen / size          -> InvalidArgumentError (framing; Redis closes the link)
//   ver != 1                           -> FailedPreconditionError (ignore silently)
//   exact length per type, extension padding and bounds -> InvalidArgumentError (log, ignore)
// Unknown types (>= 11) decode with an empty body. A malformed input never crashes.
absl::StatusOr<Message> Decode(std::span<const uint8_t> frame);

// Encodes a message: totlen, ver, count, extensions and the EXT_DATA bit are derived from the
// body; every reserved byte is zero. Strings longer than their field are truncated so that
// the NUL terminator always fits (ip 45 chars). The body alternative must match header.type
// (PingBody for PING/PONG/MEET, ...); a mismatch is a bug (TS_CHECK).
std::string Encode(const Message& msg);

// Size of a HOSTNAME extension for a hostname: 8 + round_up_8(len + 1).
size_t HostnameExtensionSize(size_t hostname_len);

}  // namespace tessera::bus
