// Object <-> RdbValue (shared/spec/replication-rdb.md §5.7-5.8): what each type looks like in
// an RDB, and the encoding Redis 7.0 gives a value it loads.
#include "tessera/keyspace/rdb_object.h"

#include <fmt/format.h>

#include <limits>
#include <memory>
#include <utility>

#include "tessera/keyspace/hash.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/set.h"
#include "tessera/keyspace/zset.h"

namespace tessera::keyspace {
namespace {

constexpr size_t kAlways = std::numeric_limits<size_t>::max();

absl::Status Duplicate(std::string_view what) {
  return absl::DataLossError(fmt::format("duplicate {}", what));
}

absl::StatusOr<Object> MakeList(std::vector<std::string>& elems, const EncodingLimits& limits) {
  auto l = std::make_unique<ListValue>();
  for (const std::string& e : elems) l->PushBack(e, limits);
  return Object(std::move(l));
}

// Redis builds an intset while the members are integers and few enough, a table otherwise.
absl::StatusOr<Object> MakeSet(std::vector<std::string>& members, const EncodingLimits& limits) {
  auto s = std::make_unique<SetValue>();
  if (members.size() > limits.set_max_intset_entries) {
    s->ConvertToHashtable();
    s->Reserve(members.size());
  }
  for (const std::string& m : members) {
    if (!s->Add(m, limits)) return Duplicate("set member");
  }
  return Object(std::move(s));
}

// Redis loads a sorted set as a skiplist and converts it to a listpack when it is within both
// limits; building with the limits gives the same result.
absl::StatusOr<Object> MakeZSet(std::vector<std::pair<std::string, double>>& elems,
                                const EncodingLimits& limits) {
  ZSetLimits zl;
  zl.max_listpack_entries = limits.zset_max_listpack_entries;
  zl.max_listpack_value = limits.zset_max_listpack_value;
  auto z = std::make_unique<ZSetValue>();
  if (elems.size() > zl.max_listpack_entries) z->ConvertToSkiplist();
  for (const auto& [member, score] : elems) {
    if (!z->Set(member, score, zl)) return Duplicate("sorted set member");
  }
  return Object(std::move(z));
}

absl::StatusOr<Object> MakeHash(std::vector<std::pair<std::string, std::string>>& fields,
                                const EncodingLimits& limits) {
  auto h = std::make_unique<HashValue>();
  if (fields.size() > limits.hash_max_listpack_entries) h->ConvertToHashtable();
  for (const auto& [f, v] : fields) {
    if (!h->Set(f, v, limits)) return Duplicate("hash field");
  }
  return Object(std::move(h));
}

}  // namespace

RdbValue ToRdbValue(const Object& o) {
  RdbValue v;
  switch (o.type()) {
    case ObjType::kString:
      return RdbValue::String(std::string(o.str()));
    case ObjType::kList: {
      v.kind = ObjKind::kList;
      const ListValue& l = o.list();
      v.list.reserve(l.Size());
      l.Range(0, l.Size(), [&](std::string_view e) { v.list.emplace_back(e); });
      break;
    }
    case ObjType::kSet: {
      v.kind = ObjKind::kSet;
      v.set.reserve(o.set().Size());
      o.set().ForEach([&](std::string_view m) { v.set.emplace_back(m); });
      break;
    }
    case ObjType::kZSet: {
      v.kind = ObjKind::kZSet;
      v.zset.reserve(o.zset().Size());
      o.zset().ForEach([&](std::string_view m, double s) { v.zset.emplace_back(m, s); });
      break;
    }
    case ObjType::kHash: {
      v.kind = ObjKind::kHash;
      v.hash.reserve(o.hash().Size());
      o.hash().ForEach(
          [&](std::string_view f, std::string_view val) { v.hash.emplace_back(f, val); });
      break;
    }
  }
  return v;
}

RdbSaveOptions SaveOptionsFor(const Object& o, const RdbSaveOptions& base) {
  RdbSaveOptions opts = base;
  // Each limit is pinned so that the writer's size test gives the in-memory encoding's type.
  switch (o.type()) {
    case ObjType::kSet:
      opts.set_max_intset_entries = o.set().IsIntset() ? kAlways : 0;
      break;
    case ObjType::kZSet:
      opts.zset_max_listpack_entries = o.zset().IsListpack() ? kAlways : 0;
      opts.zset_max_listpack_value = kAlways;
      break;
    case ObjType::kHash:
      opts.hash_max_listpack_entries = o.hash().IsListpack() ? kAlways : 0;
      opts.hash_max_listpack_value = kAlways;
      break;
    case ObjType::kString:
    case ObjType::kList:
      break;
  }
  return opts;
}

absl::StatusOr<Object> FromRdbValue(RdbValue v, const EncodingLimits& limits) {
  switch (v.kind) {
    case ObjKind::kString:
      // Loaded strings get Redis's tryObjectEncoding: int, embstr or raw by content.
      return Object(std::move(v.str));
    case ObjKind::kList:
      if (v.list.empty()) break;
      return MakeList(v.list, limits);
    case ObjKind::kSet:
      if (v.set.empty()) break;
      return MakeSet(v.set, limits);
    case ObjKind::kZSet:
      if (v.zset.empty()) break;
      return MakeZSet(v.zset, limits);
    case ObjKind::kHash:
      if (v.hash.empty()) break;
      return MakeHash(v.hash, limits);
    case ObjKind::kStream:
      return absl::DataLossError("stream values are not supported");
  }
  return absl::DataLossError("empty collection");
}

}  // namespace tessera::keyspace
