// CRC-64/REDIS check values (shared/spec/replication-rdb.md §5.15, §7).
#include "tessera/keyspace/crc64.h"

#include <catch2/catch.hpp>

using tessera::keyspace::Crc64;

TEST_CASE("crc64 matches the catalogued check value and is incremental", "[rdb]") {
  CHECK(Crc64(0, "123456789") == 0xE9C6D914C4B8D9CAULL);
  CHECK(Crc64(0, "") == 0);
  CHECK(Crc64(Crc64(0, "1234"), "56789") == 0xE9C6D914C4B8D9CAULL);
}
