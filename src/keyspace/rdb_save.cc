// Writing RDB lengths, strings and values with 7.0.15's encoding choices
// (shared/spec/replication-rdb.md §5.2-5.3, §5.8, §5.17).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "rdb_codec.h"
#include "tessera/keyspace/intset.h"
#include "tessera/keyspace/listpack.h"
#include "tessera/keyspace/lzf.h"

namespace tessera::keyspace::rdb_internal {

void AppendLen(std::string* out, uint64_t len) {
  if (len < 64) {
    out->push_back(static_cast<char>(len));
  } else if (len < 16384) {
    out->push_back(static_cast<char>(0x40 | (len >> 8)));
    out->push_back(static_cast<char>(len & 0xFF));
  } else {
    const size_t n = len <= 0xFFFFFFFFULL ? 4 : 8;
    out->push_back(static_cast<char>(n == 4 ? 0x80 : 0x81));
    for (size_t i = n; i-- > 0;) out->push_back(static_cast<char>((len >> (8 * i)) & 0xFF));
  }
}

void AppendString(std::string* out, std::string_view s, bool compress) {
  int64_t v;
  // Redis tries the integer form only for strings of at most 11 characters that fit in int32.
  if (s.size() <= 11 && ParseCanonicalInt64(s, &v) && v >= INT32_MIN && v <= INT32_MAX) {
    const int code = (v >= INT8_MIN && v <= INT8_MAX)     ? 0
                     : (v >= INT16_MIN && v <= INT16_MAX) ? 1
                                                          : 2;
    out->push_back(static_cast<char>(0xC0 | code));
    StoreLe(out, static_cast<uint64_t>(v), size_t{1} << code);
    return;
  }
  if (compress && s.size() > 20) {
    // Kept only when it fits in size - 4 bytes, as Redis does.
    std::string z = LzfCompress(s, s.size() - 4);
    if (!z.empty()) {
      out->push_back(static_cast<char>(0xC3));
      AppendLen(out, z.size());
      AppendLen(out, s.size());
      out->append(z);
      return;
    }
  }
  AppendLen(out, s.size());
  out->append(s);
}

namespace {

bool AllIntegers(const std::vector<std::string>& members, std::vector<int64_t>* ints) {
  ints->reserve(members.size());
  for (const auto& m : members) {
    int64_t v;
    if (!ParseCanonicalInt64(m, &v)) return false;
    ints->push_back(v);
  }
  return true;
}

// Redis's d2string for zset scores in a listpack: integral values within 2^52 as integers,
// everything else with 17 significant digits.
std::string ScoreText(double d) {
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  if (d > -4503599627370495.0 && d < 4503599627370496.0 && d == std::trunc(d)) {
    return std::to_string(static_cast<int64_t>(d));
  }
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%.17g", d);
  return std::string(buf, static_cast<size_t>(n));
}

std::vector<std::pair<std::string, double>> SortedZSet(const RdbValue& v) {
  auto z = v.zset;
  std::sort(z.begin(), z.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second < b.second : a.first < b.first;
  });
  return z;
}

void AppendQuicklist(std::string* out, const std::vector<std::string>& list,
                     const RdbSaveOptions& opts) {
  std::string body;
  size_t count = 0;
  ListpackBuilder lp;
  auto flush = [&] {
    if (lp.count() == 0) return;
    AppendLen(&body, 2);  // PACKED
    AppendString(&body, lp.Finish(), opts.compression);
    ++count;
  };
  for (const auto& e : list) {
    if (e.size() >= opts.list_packed_threshold) {
      flush();
      AppendLen(&body, 1);  // PLAIN
      AppendString(&body, e, opts.compression);
      ++count;
      continue;
    }
    // 7.0.15's quicklist estimates an insert as node bytes + raw element size + 8 and starts a
    // new node when that exceeds the limit (measured against real node splits: list_big fixture).
    if (lp.count() > 0 && lp.bytes() + e.size() + 8 > opts.list_max_listpack_bytes) flush();
    lp.Append(e);
  }
  flush();
  AppendLen(out, count);
  out->append(body);
}

bool FitsListpack(size_t n, size_t max_entries, size_t max_value,
                  const std::vector<std::pair<std::string, std::string>>& hash) {
  if (n > max_entries) return false;
  return std::all_of(hash.begin(), hash.end(), [&](const auto& p) {
    return p.first.size() <= max_value && p.second.size() <= max_value;
  });
}

}  // namespace

uint8_t ChooseType(const RdbValue& v, const RdbSaveOptions& opts) {
  switch (v.kind) {
    case ObjKind::kString:
      return kRdbString;
    case ObjKind::kList:
      return kRdbListQuicklist2;
    case ObjKind::kSet: {
      std::vector<int64_t> ints;
      if (v.set.size() <= opts.set_max_intset_entries && AllIntegers(v.set, &ints))
        return kRdbSetIntset;
      return kRdbSet;
    }
    case ObjKind::kZSet: {
      bool small = v.zset.size() <= opts.zset_max_listpack_entries &&
                   std::all_of(v.zset.begin(), v.zset.end(), [&](const auto& p) {
                     return p.first.size() <= opts.zset_max_listpack_value;
                   });
      return small ? kRdbZSetListpack : kRdbZSet2;
    }
    case ObjKind::kHash:
      return FitsListpack(v.hash.size(), opts.hash_max_listpack_entries,
                          opts.hash_max_listpack_value, v.hash)
                 ? kRdbHashListpack
                 : kRdbHash;
    case ObjKind::kStream:
      return v.stream_type;
  }
  return kRdbString;
}

void AppendValue(std::string* out, const RdbValue& v, uint8_t type, const RdbSaveOptions& opts) {
  const bool z = opts.compression;
  switch (type) {
    case kRdbString:
      AppendString(out, v.str, z);
      return;
    case kRdbListQuicklist2:
      AppendQuicklist(out, v.list, opts);
      return;
    case kRdbSetIntset: {
      std::vector<int64_t> ints;
      AllIntegers(v.set, &ints);
      AppendString(out, IntsetEncode(std::move(ints)), z);
      return;
    }
    case kRdbSet:
      AppendLen(out, v.set.size());
      for (const auto& m : v.set) AppendString(out, m, z);
      return;
    case kRdbZSetListpack: {
      ListpackBuilder lp;
      for (const auto& [m, s] : SortedZSet(v)) {
        lp.Append(m);
        lp.Append(ScoreText(s));
      }
      AppendString(out, lp.Finish(), z);
      return;
    }
    case kRdbZSet2: {
      // Highest score first, as 7.0 walks its skiplist from the tail.
      auto sorted = SortedZSet(v);
      AppendLen(out, sorted.size());
      for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
        AppendString(out, it->first, z);
        uint64_t bits;
        std::memcpy(&bits, &it->second, sizeof bits);
        StoreLe(out, bits, 8);
      }
      return;
    }
    case kRdbHashListpack: {
      ListpackBuilder lp;
      for (const auto& [f, val] : v.hash) {
        lp.Append(f);
        lp.Append(val);
      }
      AppendString(out, lp.Finish(), z);
      return;
    }
    case kRdbHash:
      AppendLen(out, v.hash.size());
      for (const auto& [f, val] : v.hash) {
        AppendString(out, f, z);
        AppendString(out, val, z);
      }
      return;
    default:  // streams: the bytes as they were read
      out->append(v.stream_raw);
      return;
  }
}

}  // namespace tessera::keyspace::rdb_internal
