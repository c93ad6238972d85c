// Reading RDB strings, lengths and values (shared/spec/replication-rdb.md §5.2-5.3, §5.7-5.13).
#include <charconv>
#include <cmath>
#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "rdb_codec.h"
#include "tessera/core/status.h"
#include "tessera/keyspace/intset.h"
#include "tessera/keyspace/listpack.h"
#include "tessera/keyspace/lzf.h"
#include "tessera/keyspace/ziplist.h"

namespace tessera::keyspace::rdb_internal {

absl::StatusOr<uint8_t> Cursor::Byte() {
  if (pos_ >= data_.size()) return CorruptAt(pos_, "unexpected end of data");
  return static_cast<uint8_t>(data_[pos_++]);
}

absl::StatusOr<std::string_view> Cursor::Bytes(size_t n) {
  if (n > remaining()) {
    return CorruptAt(pos_, fmt::format("need {} bytes, only {} left", n, remaining()));
  }
  std::string_view v = data_.substr(pos_, n);
  pos_ += n;
  return v;
}

absl::StatusOr<uint64_t> Cursor::Len() {
  const size_t at = pos_;
  TS_ASSIGN_OR_RETURN(uint8_t b, Byte());
  switch (b >> 6) {
    case 0:
      return b & 0x3F;
    case 1: {
      TS_ASSIGN_OR_RETURN(uint8_t lo, Byte());
      return (uint64_t{b & 0x3Fu} << 8) | lo;
    }
    case 2:
      if (b == 0x80 || b == 0x81) {
        TS_ASSIGN_OR_RETURN(std::string_view v, Bytes(b == 0x80 ? 4 : 8));
        return LoadBe(v, v.size());
      }
      return CorruptAt(at, fmt::format("invalid length byte 0x{:02X}", b));
    default:
      return CorruptAt(at, fmt::format("string encoding 0x{:02X} where a length is expected", b));
  }
}

absl::StatusOr<std::string> Cursor::String() {
  const size_t at = pos_;
  if (pos_ < data_.size() && (static_cast<uint8_t>(data_[pos_]) >> 6) == 3) {
    const uint8_t enc = static_cast<uint8_t>(data_[pos_++]) & 0x3F;
    if (enc <= 2) {
      const size_t n = size_t{1} << enc;
      TS_ASSIGN_OR_RETURN(std::string_view v, Bytes(n));
      return std::to_string(SignExtend(LoadLe(v, n), static_cast<int>(n * 8)));
    }
    if (enc != 3) return CorruptAt(at, fmt::format("invalid string encoding {}", enc));
    TS_ASSIGN_OR_RETURN(uint64_t clen, Len());
    TS_ASSIGN_OR_RETURN(uint64_t ulen, Len());
    const size_t data_at = pos_;
    TS_ASSIGN_OR_RETURN(std::string_view comp, Bytes(clen));
    auto out = LzfDecompress(comp, ulen);
    if (!out.ok()) return CorruptAt(data_at, core::Msg(out.status()));
    return std::move(*out);
  }
  TS_ASSIGN_OR_RETURN(uint64_t len, Len());
  TS_ASSIGN_OR_RETURN(std::string_view v, Bytes(len));
  return std::string(v);
}

absl::StatusOr<double> Cursor::BinaryDouble() {
  TS_ASSIGN_OR_RETURN(std::string_view v, Bytes(8));
  uint64_t bits = LoadLe(v, 8);
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

absl::StatusOr<double> Cursor::TextDouble() {
  const size_t at = pos_;
  TS_ASSIGN_OR_RETURN(uint8_t n, Byte());
  if (n == 253) return std::nan("");
  if (n == 254) return HUGE_VAL;
  if (n == 255) return -HUGE_VAL;
  TS_ASSIGN_OR_RETURN(std::string_view v, Bytes(n));
  double d;
  if (!ParseScore(v, &d)) return CorruptAt(at, "invalid double text");
  return d;
}

bool ParseScore(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && !std::isnan(*out);
}

bool IsValueType(uint8_t t) { return t <= 7 || (t >= 9 && t <= 19); }

namespace {

// Duplicates are corruption for sets, hash fields and zset members (§5.8).
template <typename Range, typename Key>
absl::Status CheckUnique(const Cursor& c, size_t at, const Range& items, Key key) {
  absl::flat_hash_set<std::string_view> seen;
  seen.reserve(items.size());
  for (const auto& it : items) {
    if (!seen.insert(key(it)).second) return c.ErrorAt(at, "duplicate member");
  }
  return absl::OkStatus();
}

// A blob (listpack, ziplist, intset, ...) stored as an RDB string; decoder errors are prefixed
// with the offset of the blob's string header.
template <typename T>
absl::StatusOr<T> Blob(Cursor& c, absl::StatusOr<T> (*decode)(std::string_view)) {
  const size_t at = c.pos();
  TS_ASSIGN_OR_RETURN(std::string blob, c.String());
  auto v = decode(blob);
  if (!v.ok()) return c.ErrorAt(at, core::Msg(v.status()));
  return v;
}

absl::StatusOr<std::vector<std::pair<std::string, double>>> ScoredPairs(
    const Cursor& c, size_t at, std::vector<std::string>& flat) {
  if (flat.size() % 2 != 0) return c.ErrorAt(at, "odd number of zset elements");
  std::vector<std::pair<std::string, double>> out;
  out.reserve(flat.size() / 2);
  for (size_t i = 0; i < flat.size(); i += 2) {
    double d;
    if (!ParseScore(flat[i + 1], &d)) return c.ErrorAt(at, "invalid zset score");
    out.emplace_back(std::move(flat[i]), d);
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Pairs(
    const Cursor& c, size_t at, std::vector<std::string>& flat) {
  if (flat.size() % 2 != 0) return c.ErrorAt(at, "odd number of hash elements");
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(flat.size() / 2);
  for (size_t i = 0; i < flat.size(); i += 2)
    out.emplace_back(std::move(flat[i]), std::move(flat[i + 1]));
  return out;
}

// Counts read from the file never size an allocation directly: a corrupt count must fail on the
// missing bytes, not in the allocator.
size_t SafeReserve(const Cursor& c, uint64_t n) { return std::min<uint64_t>(n, c.remaining()); }

absl::StatusOr<std::vector<std::string>> Strings(Cursor& c, uint64_t n) {
  std::vector<std::string> out;
  out.reserve(SafeReserve(c, n));
  for (uint64_t i = 0; i < n; ++i) {
    TS_ASSIGN_OR_RETURN(std::string s, c.String());
    out.push_back(std::move(s));
  }
  return out;
}

absl::Status ReadQuicklist(Cursor& c, uint8_t type, std::vector<std::string>* list) {
  TS_ASSIGN_OR_RETURN(uint64_t nodes, c.Len());
  for (uint64_t i = 0; i < nodes; ++i) {
    const size_t at = c.pos();
    uint64_t container = 2;
    if (type == kRdbListQuicklist2) {
      TS_ASSIGN_OR_RETURN(container, c.Len());
      if (container != 1 && container != 2) return c.ErrorAt(at, "invalid quicklist container");
    }
    if (container == 1) {  // PLAIN: one element as is
      TS_ASSIGN_OR_RETURN(std::string s, c.String());
      list->push_back(std::move(s));
      continue;
    }
    auto decode = type == kRdbListQuicklist2 ? &ListpackDecode : &ZiplistDecode;
    TS_ASSIGN_OR_RETURN(std::vector<std::string> items, Blob(c, decode));
    for (auto& s : items) list->push_back(std::move(s));
  }
  return absl::OkStatus();
}

absl::StatusOr<RdbValue> ReadCollection(Cursor& c, uint8_t type);

}  // namespace

absl::StatusOr<RdbValue> ReadValue(Cursor& c, uint8_t type) {
  const size_t at = c.pos();
  if (type == kRdbString) {
    TS_ASSIGN_OR_RETURN(std::string s, c.String());
    return RdbValue::String(std::move(s));
  }
  if (type == kRdbStreamListpacks || type == kRdbStreamListpacks2) {
    TS_RETURN_IF_ERROR(SkipStream(c, type));
    RdbValue v;
    v.kind = ObjKind::kStream;
    v.stream_type = type;
    v.stream_raw.assign(c.data().substr(at, c.pos() - at));
    return v;
  }
  if (type == kRdbModule || type == kRdbModule2) {
    return c.ErrorAt(at, fmt::format("module value (type {}) is not supported", type));
  }
  if (!IsValueType(type)) return c.ErrorAt(at, fmt::format("unknown value type {}", type));
  return ReadCollection(c, type);
}

namespace {

absl::StatusOr<RdbValue> ReadCollection(Cursor& c, uint8_t type) {
  const size_t at = c.pos();
  RdbValue v;
  auto first = [](const auto& p) { return std::string_view(p.first); };
  auto self = [](const std::string& s) { return std::string_view(s); };
  switch (type) {
    case kRdbList: {
      v.kind = ObjKind::kList;
      TS_ASSIGN_OR_RETURN(uint64_t n, c.Len());
      TS_ASSIGN_OR_RETURN(v.list, Strings(c, n));
      return v;
    }
    case kRdbListZiplist: {
      v.kind = ObjKind::kList;
      TS_ASSIGN_OR_RETURN(v.list, Blob(c, &ZiplistDecode));
      return v;
    }
    case kRdbListQuicklist:
    case kRdbListQuicklist2:
      v.kind = ObjKind::kList;
      TS_RETURN_IF_ERROR(ReadQuicklist(c, type, &v.list));
      return v;
    case kRdbSet: {
      v.kind = ObjKind::kSet;
      TS_ASSIGN_OR_RETURN(uint64_t n, c.Len());
      TS_ASSIGN_OR_RETURN(v.set, Strings(c, n));
      TS_RETURN_IF_ERROR(CheckUnique(c, at, v.set, self));
      return v;
    }
    case kRdbSetIntset: {
      v.kind = ObjKind::kSet;
      TS_ASSIGN_OR_RETURN(std::vector<int64_t> ints, Blob(c, &IntsetDecode));
      for (int64_t i : ints) v.set.push_back(std::to_string(i));
      return v;
    }
    case kRdbZSet:
    case kRdbZSet2: {
      v.kind = ObjKind::kZSet;
      TS_ASSIGN_OR_RETURN(uint64_t n, c.Len());
      v.zset.reserve(SafeReserve(c, n));
      for (uint64_t i = 0; i < n; ++i) {
        TS_ASSIGN_OR_RETURN(std::string m, c.String());
        const size_t score_at = c.pos();
        TS_ASSIGN_OR_RETURN(double d, type == kRdbZSet2 ? c.BinaryDouble() : c.TextDouble());
        if (std::isnan(d)) return c.ErrorAt(score_at, "zset score is NaN");
        v.zset.emplace_back(std::move(m), d);
      }
      TS_RETURN_IF_ERROR(CheckUnique(c, at, v.zset, first));
      return v;
    }
    case kRdbZSetZiplist:
    case kRdbZSetListpack: {
      v.kind = ObjKind::kZSet;
      TS_ASSIGN_OR_RETURN(std::vector<std::string> flat,
                          Blob(c, type == kRdbZSetListpack ? &ListpackDecode : &ZiplistDecode));
      TS_ASSIGN_OR_RETURN(v.zset, ScoredPairs(c, at, flat));
      TS_RETURN_IF_ERROR(CheckUnique(c, at, v.zset, first));
      return v;
    }
    case kRdbHash: {
      v.kind = ObjKind::kHash;
      TS_ASSIGN_OR_RETURN(uint64_t n, c.Len());
      v.hash.reserve(SafeReserve(c, n));
      for (uint64_t i = 0; i < n; ++i) {
        TS_ASSIGN_OR_RETURN(std::string f, c.String());
        TS_ASSIGN_OR_RETURN(std::string val, c.String());
        v.hash.emplace_back(std::move(f), std::move(val));
      }
      TS_RETURN_IF_ERROR(CheckUnique(c, at, v.hash, first));
      return v;
    }
    case kRdbHashZipmap: {
      v.kind = ObjKind::kHash;
      TS_ASSIGN_OR_RETURN(v.hash, Blob(c, &ZipmapDecode));
      TS_RETURN_IF_ERROR(CheckUnique(c, at, v.hash, first));
      return v;
    }
    case kRdbHashZiplist:
    case kRdbHashListpack: {
      v.kind = ObjKind::kHash;
      TS_ASSIGN_OR_RETURN(std::vector<std::string> flat,
                          Blob(c, type == kRdbHashListpack ? &ListpackDecode : &ZiplistDecode));
      TS_ASSIGN_OR_RETURN(v.hash, Pairs(c, at, flat));
      TS_RETURN_IF_ERROR(CheckUnique(c, at, v.hash, first));
      return v;
    }
    default:
      return c.ErrorAt(at, fmt::format("unknown value type {}", type));
  }
}

}  // namespace

bool IsEmptyCollection(const RdbValue& v) {
  switch (v.kind) {
    case ObjKind::kList:
      return v.list.empty();
    case ObjKind::kSet:
      return v.set.empty();
    case ObjKind::kZSet:
      return v.zset.empty();
    case ObjKind::kHash:
      return v.hash.empty();
    default:
      return false;
  }
}

}  // namespace tessera::keyspace::rdb_internal
