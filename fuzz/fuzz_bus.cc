// libFuzzer target for the cluster bus codec: frames, decodes, and checks that an accepted
// message re-encodes to bytes that decode to the same encoding (cluster-bus.md §1.4).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "tessera/bus/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tessera::bus;
  std::span<const uint8_t> buf(data, size);
  FrameCheck fc = CheckFrame(buf);
  if (fc.status == FrameStatus::kComplete) buf = buf.first(fc.length);
  auto msg = Decode(buf);
  if (!msg.ok()) return 0;
  std::string wire = Encode(*msg);
  auto again = Decode(std::span(reinterpret_cast<const uint8_t*>(wire.data()), wire.size()));
  if (!again.ok() || Encode(*again) != wire) std::abort();
  return 0;
}
