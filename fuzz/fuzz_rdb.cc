// libFuzzer target for the RDB reader and the DUMP/RESTORE decoder (shared/spec/replication-rdb.md
// §5, §6). Inputs are tried as an RDB file, as the same file with its CRC trailer zeroed (so the
// checksum does not stop the fuzzer at the end), and as a DUMP payload with a correct footer.
// Anything that reads back is re-encoded and must read back to the same value.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tessera/keyspace/crc64.h"
#include "tessera/keyspace/dump.h"
#include "tessera/keyspace/rdb_reader.h"

namespace {

using namespace tessera::keyspace;

void Check(bool cond) {
  if (!cond) std::abort();
}

void TryRdb(std::string_view data) {
  auto rdb = ReadRdb(data);
  if (!rdb.ok()) return;
  for (auto& e : rdb->entries) {
    auto back = DecodeDumpPayload(CreateDumpPayload(e.value));
    Check(back.ok());
    // The writer sorts sorted sets; everything else keeps its order.
    std::sort(back->zset.begin(), back->zset.end());
    std::sort(e.value.zset.begin(), e.value.zset.end());
    Check(*back == e.value);
  }
}

void TryDump(std::string payload) {
  payload.append("\x0a\x00", 2);
  const uint64_t crc = Crc64(0, payload);
  for (int i = 0; i < 8; ++i) payload.push_back(static_cast<char>((crc >> (8 * i)) & 0xFF));
  auto v = DecodeDumpPayload(payload);
  if (!v.ok()) return;
  Check(DecodeDumpPayload(CreateDumpPayload(*v)).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  TryRdb(in);
  if (size >= 9) {
    std::string zeroed(in);
    for (size_t i = size - 8; i < size; ++i) zeroed[i] = 0;
    TryRdb(zeroed);
    // Also as a file: "REDIS0010" + input + EOF + zero checksum.
    TryRdb(std::string("REDIS0010").append(in).append(1, '\xff').append(8, '\0'));
  }
  TryDump(std::string(in));
  return 0;
}
