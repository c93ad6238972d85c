// When a collection leaves its compact encoding: Redis 7.0's config names and defaults
// (hash-max-listpack-*, set-max-intset-entries, zset-max-listpack-*, list-max-listpack-size).
// The server keeps them in sync with the config; the command layer passes them to the values.
#pragma once

#include <cstddef>

namespace tessera::keyspace {

struct EncodingLimits {
  size_t hash_max_listpack_entries = 128;
  size_t hash_max_listpack_value = 64;
  size_t set_max_intset_entries = 512;
  size_t zset_max_listpack_entries = 128;
  size_t zset_max_listpack_value = 64;
  // A quicklist node's fill: > 0 caps the entries per node, -1..-5 caps its bytes at 4, 8, 16, 32
  // or 64 KiB.
  int list_max_listpack_size = -2;
};

}  // namespace tessera::keyspace
