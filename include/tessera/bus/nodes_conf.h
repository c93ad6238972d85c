// nodes.conf and CLUSTER NODES line format of Redis 7.0 (cluster-bus.md §8-§9,
// cluster-commands.md §1.3): parse and format, byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tessera/bus/node_id.h"

namespace tessera::bus {

struct SlotRange {
  int first = 0;
  int last = 0;  // inclusive
  bool operator==(const SlotRange&) const = default;
};

// `[slot->-node]` (migrating to node) or `[slot-<-node]` (importing from node).
struct OpenSlot {
  int slot = 0;
  bool migrating = false;
  NodeId node;
  bool operator==(const OpenSlot&) const = default;
};

struct NodeLine {
  NodeId id;
  std::string ip;  // empty for a node that does not know its own address yet
  uint16_t port = 0;
  uint16_t cport = 0;
  std::string hostname;  // empty: none
  uint16_t flags = 0;    // node_flags bits (only the printable ones survive a round trip)
  NodeId master;         // all zero: "-"
  int64_t ping_sent_ms = 0;      // unix ms, 0 if none
  int64_t pong_received_ms = 0;  // unix ms
  uint64_t config_epoch = 0;
  bool connected = false;
  std::vector<SlotRange> slots;       // ascending
  std::vector<OpenSlot> open_slots;   // ascending by slot; printed on the myself line only

  bool operator==(const NodeLine&) const = default;
};

struct NodesConf {
  std::vector<NodeLine> nodes;
  uint64_t current_epoch = 0;
  uint64_t last_vote_epoch = 0;
};

// "myself,master", "slave,fail?", ... in Redis's fixed order; "noflags" when none is printable.
std::string FormatFlags(uint16_t flags);
// The inverse; an unknown word is an error (Redis aborts on it).
absl::StatusOr<uint16_t> ParseFlags(std::string_view text);

// One line without the trailing '\n'.
std::string FormatNodeLine(const NodeLine& line);
absl::StatusOr<NodeLine> ParseNodeLine(std::string_view line);

// Node lines then "vars currentEpoch N lastVoteEpoch M", every line ending in '\n'.
std::string FormatNodesConf(const NodesConf& conf);

// Parses a whole file. Blank lines are skipped and `vars` may appear anywhere. Errors read
// "line N: ..." (1-based); the caller prefixes the path. Exactly one `myself` line is required.
absl::StatusOr<NodesConf> ParseNodesConf(std::string_view text);

// Ascending slot numbers -> maximal runs.
std::vector<SlotRange> SlotsToRanges(const std::vector<int>& sorted_slots);

}  // namespace tessera::bus
