// The neutral form of one keyspace value as RDB and DUMP carry it (shared/spec/replication-rdb.md
// §5.7-5.8, §6): plain vectors, independent of how the keyspace stores values in memory.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tessera::keyspace {

// Redis's OBJ_* numbering (5 would be module values, which we do not support).
enum class ObjKind : uint8_t {
  kString = 0,
  kList = 1,
  kSet = 2,
  kZSet = 3,
  kHash = 4,
  kStream = 6
};

// RDB value type codes (§5.7).
enum RdbType : uint8_t {
  kRdbString = 0,
  kRdbList = 1,
  kRdbSet = 2,
  kRdbZSet = 3,
  kRdbHash = 4,
  kRdbZSet2 = 5,
  kRdbModule = 6,
  kRdbModule2 = 7,
  kRdbHashZipmap = 9,
  kRdbListZiplist = 10,
  kRdbSetIntset = 11,
  kRdbZSetZiplist = 12,
  kRdbHashZiplist = 13,
  kRdbListQuicklist = 14,
  kRdbStreamListpacks = 15,
  kRdbHashListpack = 16,
  kRdbZSetListpack = 17,
  kRdbListQuicklist2 = 18,
  kRdbStreamListpacks2 = 19,
};

// Exactly one of the members is meaningful, chosen by `kind`. Order is kept as read: lists head
// to tail, hashes and sets in stored order, sorted sets as stored (the reader does not sort).
struct RdbValue {
  ObjKind kind = ObjKind::kString;
  std::string str;
  std::vector<std::string> list;
  std::vector<std::string> set;
  std::vector<std::pair<std::string, double>> zset;
  std::vector<std::pair<std::string, std::string>> hash;
  // Streams are kept as their serialized value (everything after the key) so that they can be
  // written back verbatim; stream_type says which layout (15 or 19) the bytes follow.
  std::string stream_raw;
  uint8_t stream_type = kRdbStreamListpacks2;

  static RdbValue String(std::string s) {
    RdbValue v;
    v.str = std::move(s);
    return v;
  }
  bool operator==(const RdbValue&) const = default;
};

}  // namespace tessera::keyspace
