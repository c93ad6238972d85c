// Cluster node names: 40 bytes, valid when every byte is [a-z0-9] (cluster-bus.md §10.1).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tessera/core/rng.h"

namespace tessera::bus {

inline constexpr size_t kNodeIdLen = 40;

// Holds any 40 bytes, because the wire may carry invalid names; IsValid() tells whether a
// real node would look the name up. A default-constructed id is all zero bytes, which the wire
// uses for "no master".
class NodeId {
 public:
  NodeId() { bytes_.fill(0); }
  // Exactly 40 bytes copied verbatim (no validation).
  static NodeId FromRaw(const uint8_t* p);
  // Parses a textual id; fails unless it is 40 chars of [a-z0-9].
  static absl::StatusOr<NodeId> Parse(std::string_view s);
  // 40 lowercase hex chars from the injected Rng.
  static NodeId Random(core::Rng& rng);
  // A valid, stable id for tests: n rendered as 40 hex digits.
  static NodeId ForTest(uint64_t n);

  bool IsZero() const;
  bool IsValid() const;
  std::string_view View() const { return std::string_view(bytes_.data(), kNodeIdLen); }
  std::string Str() const { return std::string(View()); }
  const char* data() const { return bytes_.data(); }

  // Bytewise order, which is the order Redis compares names in (collisions, §5.2).
  auto operator<=>(const NodeId& o) const = default;
  bool operator==(const NodeId& o) const = default;

 private:
  std::array<char, kNodeIdLen> bytes_;
};

bool IsValidNodeName(std::string_view s);

}  // namespace tessera::bus
