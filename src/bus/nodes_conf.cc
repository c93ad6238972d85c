// nodes.conf / CLUSTER NODES lines (cluster-bus.md §8.1-§8.2, §9; cluster-commands.md §1.3).
#include "tessera/bus/nodes_conf.h"

#include <charconv>

#include <fmt/format.h>

#include "absl/strings/ascii.h"
#include "tessera/bus/message.h"
#include "tessera/core/slot.h"
#include "tessera/core/status.h"

namespace tessera::bus {
namespace {

struct FlagWord {
  uint16_t bit;
  std::string_view word;
};
// Redis's print order (§9 field 3). MEET and MIGRATE_TO are never printed.
constexpr FlagWord kFlagWords[] = {
    {node_flags::kMyself, "myself"},       {node_flags::kMaster, "master"},
    {node_flags::kSlave, "slave"},         {node_flags::kPfail, "fail?"},
    {node_flags::kFail, "fail"},           {node_flags::kHandshake, "handshake"},
    {node_flags::kNoAddr, "noaddr"},       {node_flags::kNoFailover, "nofailover"},
};

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

std::vector<std::string_view> SplitSpaces(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && absl::ascii_isspace(uint8_t(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !absl::ascii_isspace(uint8_t(s[j]))) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

template <typename T>
absl::StatusOr<T> ParseNumber(std::string_view s, std::string_view what) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
    return absl::InvalidArgumentError(fmt::format("invalid {} '{}'", what, s));
  }
  return v;
}

absl::StatusOr<int> ParseSlot(std::string_view s) {
  TS_ASSIGN_OR_RETURN(int slot, ParseNumber<int>(s, "slot"));
  if (slot < 0 || slot >= core::kSlots) {
    return absl::InvalidArgumentError(fmt::format("slot {} out of range", s));
  }
  return slot;
}

// `ip:port[@cport][,hostname]`: hostname after the first comma, port after the last colon.
absl::Status ParseAddress(std::string_view addr, NodeLine* line) {
  size_t comma = addr.find(',');
  if (comma != std::string_view::npos) {
    line->hostname = std::string(addr.substr(comma + 1));
    addr = addr.substr(0, comma);
  }
  size_t colon = addr.rfind(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(fmt::format("address '{}' has no port", addr));
  }
  line->ip = std::string(addr.substr(0, colon));
  std::string_view ports = addr.substr(colon + 1);
  size_t at = ports.find('@');
  TS_ASSIGN_OR_RETURN(line->port, ParseNumber<uint16_t>(ports.substr(0, at), "port"));
  if (at == std::string_view::npos) {
    line->cport = uint16_t(line->port + 10000);  // an old file without @cport
  } else {
    TS_ASSIGN_OR_RETURN(line->cport, ParseNumber<uint16_t>(ports.substr(at + 1), "bus port"));
  }
  return absl::OkStatus();
}

// `[N->-id]`, `[N-<-id]`, `N` or `A-B`.
absl::Status ParseSlotToken(std::string_view tok, NodeLine* line) {
  if (tok.front() == '[') {
    size_t arrow = tok.find("->-");
    bool migrating = arrow != std::string_view::npos;
    if (!migrating) arrow = tok.find("-<-");
    if (arrow == std::string_view::npos || tok.back() != ']') {
      return absl::InvalidArgumentError(fmt::format("bad open slot '{}'", tok));
    }
    TS_ASSIGN_OR_RETURN(int slot, ParseSlot(tok.substr(1, arrow - 1)));
    TS_ASSIGN_OR_RETURN(NodeId node, NodeId::Parse(tok.substr(arrow + 3, tok.size() - arrow - 4)));
    line->open_slots.push_back({slot, migrating, node});
    return absl::OkStatus();
  }
  size_t dash = tok.find('-');
  TS_ASSIGN_OR_RETURN(int first, ParseSlot(tok.substr(0, dash)));
  int last = first;
  if (dash != std::string_view::npos) {
    TS_ASSIGN_OR_RETURN(last, ParseSlot(tok.substr(dash + 1)));
  }
  if (last < first) return absl::InvalidArgumentError(fmt::format("bad slot range '{}'", tok));
  line->slots.push_back({first, last});
  return absl::OkStatus();
}

absl::Status ParseVars(const std::vector<std::string_view>& f, NodesConf* conf) {
  if ((f.size() - 1) % 2 != 0) return absl::InvalidArgumentError("odd number of vars tokens");
  for (size_t i = 1; i < f.size(); i += 2) {
    std::string key = absl::AsciiStrToLower(std::string(f[i]));
    if (key == "currentepoch") {
      TS_ASSIGN_OR_RETURN(conf->current_epoch, ParseNumber<uint64_t>(f[i + 1], "currentEpoch"));
    } else if (key == "lastvoteepoch") {
      TS_ASSIGN_OR_RETURN(conf->last_vote_epoch, ParseNumber<uint64_t>(f[i + 1], "lastVoteEpoch"));
    }  // unknown keys are skipped, as Redis does (it only logs them)
  }
  return absl::OkStatus();
}

}  // namespace

std::string FormatFlags(uint16_t flags) {
  std::string out;
  for (const FlagWord& w : kFlagWords) {
    if (!(flags & w.bit)) continue;
    if (!out.empty()) out += ',';
    out += w.word;
  }
  return out.empty() ? "noflags" : out;
}

absl::StatusOr<uint16_t> ParseFlags(std::string_view text) {
  uint16_t flags = 0;
  for (std::string_view word : Split(text, ',')) {
    if (word == "noflags") continue;
    bool known = false;
    for (const FlagWord& w : kFlagWords) {
      if (w.word == word) flags |= w.bit, known = true;
    }
    if (!known) return absl::InvalidArgumentError(fmt::format("unknown flag '{}'", word));
  }
  return flags;
}

std::string FormatNodeLine(const NodeLine& n) {
  std::string out = fmt::format("{} {}:{}@{}", n.id.View(), n.ip, n.port, n.cport);
  if (!n.hostname.empty()) out += fmt::format(",{}", n.hostname);
  out += fmt::format(" {} {} {} {} {} {}", FormatFlags(n.flags),
                     n.master.IsZero() ? std::string("-") : n.master.Str(), n.ping_sent_ms,
                     n.pong_received_ms, n.config_epoch, n.connected ? "connected" : "disconnected");
  for (const SlotRange& r : n.slots) {
    out += r.first == r.last ? fmt::format(" {}", r.first) : fmt::format(" {}-{}", r.first, r.last);
  }
  for (const OpenSlot& o : n.open_slots) {
    out += fmt::format(" [{}{}{}]", o.slot, o.migrating ? "->-" : "-<-", o.node.View());
  }
  return out;
}

absl::StatusOr<NodeLine> ParseNodeLine(std::string_view text) {
  std::vector<std::string_view> f = SplitSpaces(text);
  if (f.size() < 8) {
    return absl::InvalidArgumentError(fmt::format("expected 8+ fields, got {}", f.size()));
  }
  NodeLine line;
  TS_ASSIGN_OR_RETURN(line.id, NodeId::Parse(f[0]));
  TS_RETURN_IF_ERROR(ParseAddress(f[1], &line));
  TS_ASSIGN_OR_RETURN(line.flags, ParseFlags(f[2]));
  if (f[3] != "-") {
    TS_ASSIGN_OR_RETURN(line.master, NodeId::Parse(f[3]));
  }
  TS_ASSIGN_OR_RETURN(line.ping_sent_ms, ParseNumber<int64_t>(f[4], "ping_sent"));
  TS_ASSIGN_OR_RETURN(line.pong_received_ms, ParseNumber<int64_t>(f[5], "pong_received"));
  TS_ASSIGN_OR_RETURN(line.config_epoch, ParseNumber<uint64_t>(f[6], "config epoch"));
  line.connected = f[7] == "connected";
  for (size_t i = 8; i < f.size(); ++i) TS_RETURN_IF_ERROR(ParseSlotToken(f[i], &line));
  return line;
}

std::string FormatNodesConf(const NodesConf& conf) {
  std::string out;
  for (const NodeLine& n : conf.nodes) {
    out += FormatNodeLine(n);
    out += '\n';
  }
  out += fmt::format("vars currentEpoch {} lastVoteEpoch {}\n", conf.current_epoch,
                     conf.last_vote_epoch);
  return out;
}

absl::StatusOr<NodesConf> ParseNodesConf(std::string_view text) {
  NodesConf conf;
  int myself_count = 0;
  size_t line_no = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++line_no;
    std::vector<std::string_view> f = SplitSpaces(raw);
    if (f.empty()) continue;
    absl::Status st;
    if (f[0] == "vars") {
      st = ParseVars(f, &conf);
    } else {
      absl::StatusOr<NodeLine> line = ParseNodeLine(raw);
      if (line.ok()) {
        myself_count += (line->flags & node_flags::kMyself) != 0;
        if (myself_count > 1) st = absl::InvalidArgumentError("a second myself line");
        conf.nodes.push_back(*std::move(line));
      } else {
        st = line.status();
      }
    }
    if (!st.ok()) {
      return absl::InvalidArgumentError(fmt::format("line {}: {}", line_no, core::Msg(st)));
    }
  }
  if (myself_count == 0) {
    return absl::InvalidArgumentError(fmt::format("line {}: no myself line", line_no));
  }
  return conf;
}

std::vector<SlotRange> SlotsToRanges(const std::vector<int>& slots) {
  std::vector<SlotRange> out;
  for (int s : slots) {
    if (!out.empty() && out.back().last + 1 == s) {
      out.back().last = s;
    } else {
      out.push_back({s, s});
    }
  }
  return out;
}

}  // namespace tessera::bus
