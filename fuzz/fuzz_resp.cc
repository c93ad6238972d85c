// libFuzzer target for the RESP request parser: no crash, no read past the buffer, consumed never
// beyond the input, and the same commands whether the input comes whole or cut in pieces.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/resp/parser.h"
#include "tessera/resp/writer.h"

namespace {

using tessera::resp::Parser;
using tessera::resp::ParserLimits;
using tessera::resp::ParseStatus;

struct Outcome {
  std::vector<std::vector<std::string>> commands;
  std::string error;
};

// Feeds `data` in pieces of `step` bytes (all at once for 0), parsing each buffered prefix
// from an exact-size heap copy so that ASan flags any over-read.
Outcome Run(std::string_view data, size_t step, const ParserLimits& limits) {
  Parser parser(limits);
  Outcome out;
  std::string buffered;
  std::vector<std::string> argv;
  size_t at = 0;
  while (at < data.size()) {
    const size_t n = step == 0 ? data.size() - at : std::min(step, data.size() - at);
    buffered.append(data.substr(at, n));
    at += n;
    while (true) {
      std::unique_ptr<char[]> exact(new char[buffered.empty() ? 1 : buffered.size()]);
      std::memcpy(exact.get(), buffered.data(), buffered.size());
      size_t consumed = 0;
      const ParseStatus st =
          parser.Parse(std::string_view(exact.get(), buffered.size()), &consumed, &argv);
      if (consumed > buffered.size()) std::abort();
      buffered.erase(0, consumed);
      if (st == ParseStatus::kError) {
        out.error = parser.error();
        return out;
      }
      if (st == ParseStatus::kNeedMore) break;
      out.commands.push_back(argv);
    }
  }
  return out;
}

bool SizeDependent(const std::string& error) {
  return error == tessera::resp::kErrTooBigInline || error == tessera::resp::kErrTooBigBulk ||
         error == tessera::resp::kErrTooBigMbulk;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the limits and the piece size; the rest is the stream.
  const uint8_t knobs = data[0];
  ParserLimits limits;
  limits.unauthenticated = knobs & 1;
  limits.strict_crlf = knobs & 2;
  limits.max_inline = (knobs & 4) ? 64 : 64 * 1024;
  const size_t step = 1 + (knobs >> 3);
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);

  const Outcome whole = Run(stream, 0, limits);
  const Outcome cut = Run(stream, step, limits);
  if (!SizeDependent(whole.error) && !SizeDependent(cut.error)) {
    if (whole.commands != cut.commands || whole.error != cut.error) std::abort();
  }

  // The writer must encode whatever the parser produced.
  std::string reply;
  tessera::resp::Writer writer(&reply, (knobs & 8) ? 3 : 2);
  for (const auto& argv : whole.commands) {
    writer.ArrayHeader(static_cast<int64_t>(argv.size()));
    for (const auto& a : argv) writer.Bulk(a);
    if (!argv.empty()) writer.Simple(argv[0]);
  }
  return 0;
}
