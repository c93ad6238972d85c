// Node names (cluster-bus.md §10.1).
#include "tessera/bus/node_id.h"

#include <cstring>

#include <fmt/format.h>

namespace tessera::bus {

NodeId NodeId::FromRaw(const uint8_t* p) {
  NodeId id;
  std::memcpy(id.bytes_.data(), p, kNodeIdLen);
  return id;
}

bool IsValidNodeName(std::string_view s) {
  if (s.size() != kNodeIdLen) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

absl::StatusOr<NodeId> NodeId::Parse(std::string_view s) {
  if (!IsValidNodeName(s)) {
    return absl::InvalidArgumentError(fmt::format("invalid node id '{}'", s));
  }
  return FromRaw(reinterpret_cast<const uint8_t*>(s.data()));
}

NodeId NodeId::Random(core::Rng& rng) {
  std::string hex = rng.Hex(kNodeIdLen);
  return FromRaw(reinterpret_cast<const uint8_t*>(hex.data()));
}

NodeId NodeId::ForTest(uint64_t n) {
  std::string s = fmt::format("{:040x}", n);
  return FromRaw(reinterpret_cast<const uint8_t*>(s.data()));
}

bool NodeId::IsZero() const {
  for (char c : bytes_) {
    if (c != 0) return false;
  }
  return true;
}

bool NodeId::IsValid() const { return IsValidNodeName(View()); }

}  // namespace tessera::bus
