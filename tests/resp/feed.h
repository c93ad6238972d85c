// Test helper: feeds bytes to a resp::Parser the way a connection does (buffer, parse until
// kNeedMore, drop what was consumed) and records what came out.
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/resp/parser.h"

namespace tessera::resp::testing {

struct FeedResult {
  std::vector<std::vector<std::string>> commands;  // empty ones ("*0", blank lines) included
  bool errored = false;
  std::string error;
  size_t leftover = 0;  // bytes still buffered by the caller at the end
  bool in_middle = false;
  size_t max_buffered = 0;  // largest buffer ever handed to Parse

  bool operator==(const FeedResult& o) const {
    // After an error the caller stops reading, so how much was buffered depends on the cuts.
    return commands == o.commands && errored == o.errored && error == o.error &&
           (errored || (leftover == o.leftover && in_middle == o.in_middle));
  }
};

// Runs Parse over `buffered` until it needs more bytes or fails. Each call sees an exact-size
// heap copy, so that AddressSanitizer reports any read past the end.
inline bool Drain(Parser& parser, std::string& buffered, FeedResult* r,
                  std::vector<std::string>* argv) {
  while (true) {
    const size_t n = buffered.size();
    std::unique_ptr<char[]> exact(new char[n == 0 ? 1 : n]);
    if (n > 0) std::memcpy(exact.get(), buffered.data(), n);
    r->max_buffered = std::max(r->max_buffered, n);
    size_t consumed = 0;
    const ParseStatus st = parser.Parse(std::string_view(exact.get(), n), &consumed, argv);
    if (consumed > n) {
      r->errored = true;
      r->error = "consumed past the end";
      return false;
    }
    buffered.erase(0, consumed);
    if (st == ParseStatus::kError) {
      r->errored = true;
      r->error = parser.error();
      return false;
    }
    if (st == ParseStatus::kNeedMore) return true;
    r->commands.push_back(*argv);
  }
}

// Feeds `input` cut at the given increasing offsets (and its end).
inline FeedResult FeedCuts(Parser& parser, std::string_view input, std::vector<size_t> cuts) {
  FeedResult r;
  std::string buffered;
  std::vector<std::string> argv;
  cuts.push_back(input.size());
  size_t at = 0;
  for (size_t cut : cuts) {
    cut = std::min(cut, input.size());
    if (cut < at) continue;
    buffered.append(input.substr(at, cut - at));
    at = cut;
    if (!Drain(parser, buffered, &r, &argv)) break;
  }
  r.leftover = buffered.size();
  r.in_middle = parser.InMiddleOfRequest();
  return r;
}

inline FeedResult FeedAll(std::string_view input, ParserLimits limits = {}) {
  Parser parser(limits);
  return FeedCuts(parser, input, {});
}

inline FeedResult FeedBytewise(std::string_view input, ParserLimits limits = {}) {
  Parser parser(limits);
  std::vector<size_t> cuts;
  for (size_t i = 1; i < input.size(); ++i) cuts.push_back(i);
  return FeedCuts(parser, input, cuts);
}

using Argv = std::vector<std::string>;

}  // namespace tessera::resp::testing
