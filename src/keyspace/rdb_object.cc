// Object <-> RdbValue (shared/spec/replication-rdb.md §5.7-5.8): what each type looks like in
// an RDB, and the encoding Redis 7.0 gives a value it loads.
#include "tessera/keyspace/rdb_object.h"

#include <fmt/format.h>

#include <utility>

namespace tessera::keyspace {

RdbValue ToRdbValue(const Object& o) {
  switch (o.type()) {
    case ObjType::kString:
      return RdbValue::String(o.str());
    case ObjType::kList:
    case ObjType::kSet:
    case ObjType::kZSet:
    case ObjType::kHash:
      break;
  }
  return RdbValue{};
}

RdbSaveOptions SaveOptionsFor(const Object& o, const RdbSaveOptions& base) {
  (void)o;
  return base;
}

absl::StatusOr<Object> FromRdbValue(RdbValue v) {
  switch (v.kind) {
    case ObjKind::kString:
      // Loaded strings get Redis's tryObjectEncoding: int, embstr or raw by content.
      return Object(std::move(v.str));
    case ObjKind::kStream:
      return absl::DataLossError("stream values are not supported");
    default:
      break;
  }
  return absl::DataLossError(fmt::format("value type {} is not supported yet",
                                         static_cast<int>(v.kind)));
}

}  // namespace tessera::keyspace
