// Listpack reader and writer (shared/spec/replication-rdb.md §5.9).
#include "tessera/keyspace/listpack.h"

#include "rdb_util.h"

namespace tessera::keyspace {
namespace {

using rdb_internal::LoadLe;
using rdb_internal::SignExtend;
using rdb_internal::StoreLe;

constexpr size_t kHeaderSize = 6;
constexpr uint16_t kUnknownCount = 65535;

absl::Status Bad(size_t at, std::string_view what) {
  return absl::DataLossError(fmt::format("listpack: at {}: {}", at, what));
}

// Number of bytes the backlen of an entry of `size` bytes takes (the strict bounds are Redis's).
size_t BacklenBytes(size_t size) {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

// Reads the backlen that ends just before `end` (exclusive); returns 0 on a malformed one.
uint64_t ReadBacklen(std::string_view blob, size_t start, size_t end, size_t* used) {
  uint64_t v = 0;
  size_t shift = 0;
  for (size_t p = end; p > start && shift < 35;) {
    --p;
    auto b = static_cast<unsigned char>(blob[p]);
    v |= uint64_t{b & 127u} << shift;
    shift += 7;
    if (!(b & 128)) {
      *used = end - p;
      return v;
    }
  }
  return 0;
}

struct Entry {
  size_t size = 0;  // encoding + data
  std::string text;
};

absl::StatusOr<Entry> DecodeEntry(std::string_view blob, size_t pos, size_t end) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(blob[pos + i]); };
  auto need = [&](size_t n) { return n <= end - pos; };
  unsigned c = byte(0);
  Entry e;
  auto str = [&](size_t hdr, uint64_t len) -> absl::StatusOr<Entry> {
    if (len > end - pos || !need(hdr + len)) return Bad(pos, "string entry past end");
    e.size = hdr + len;
    e.text.assign(blob.substr(pos + hdr, len));
    return e;
  };
  auto num = [&](size_t n, int bits) -> absl::StatusOr<Entry> {
    if (!need(n + 1)) return Bad(pos, "integer entry past end");
    e.size = n + 1;
    e.text = std::to_string(SignExtend(LoadLe(blob.substr(pos + 1), n), bits));
    return e;
  };
  if (c < 0x80) {
    e.size = 1;
    e.text = std::to_string(c);
    return e;
  }
  if ((c & 0xC0) == 0x80) return str(1, c & 0x3F);
  if ((c & 0xE0) == 0xC0) {
    if (!need(2)) return Bad(pos, "integer entry past end");
    e.size = 2;
    e.text = std::to_string(SignExtend((uint64_t{c & 0x1Fu} << 8) | byte(1), 13));
    return e;
  }
  if ((c & 0xF0) == 0xE0) {
    if (!need(2)) return Bad(pos, "string entry past end");
    return str(2, (uint64_t{c & 0x0Fu} << 8) | byte(1));
  }
  switch (c) {
    case 0xF0:
      if (!need(5)) return Bad(pos, "string entry past end");
      return str(5, LoadLe(blob.substr(pos + 1), 4));
    case 0xF1:
      return num(2, 16);
    case 0xF2:
      return num(3, 24);
    case 0xF3:
      return num(4, 32);
    case 0xF4:
      return num(8, 64);
    default:
      return Bad(pos, fmt::format("invalid entry encoding 0x{:02X}", c));
  }
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ListpackDecode(std::string_view blob) {
  if (blob.size() < kHeaderSize + 1) return Bad(0, "shorter than 7 bytes");
  if (LoadLe(blob, 4) != blob.size()) {
    return Bad(0, fmt::format("header says {} bytes, blob has {}", LoadLe(blob, 4), blob.size()));
  }
  if (static_cast<unsigned char>(blob.back()) != 0xFF) return Bad(blob.size() - 1, "no terminator");
  const uint64_t declared = LoadLe(blob.substr(4), 2);
  const size_t end = blob.size() - 1;
  std::vector<std::string> out;
  size_t pos = kHeaderSize;
  while (pos < end) {
    auto e = DecodeEntry(blob, pos, end);
    if (!e.ok()) return e.status();
    size_t after = pos + e->size;
    size_t bl = BacklenBytes(e->size);
    if (bl > end - after) return Bad(pos, "backlen past end");
    size_t used = 0;
    if (ReadBacklen(blob, after, after + bl, &used) != e->size || used != bl) {
      return Bad(after, "backlen does not match entry size");
    }
    out.push_back(std::move(e->text));
    pos = after + bl;
  }
  if (declared != kUnknownCount && declared != out.size()) {
    return Bad(4, fmt::format("header count {} but {} entries", declared, out.size()));
  }
  return out;
}

ListpackBuilder::ListpackBuilder() : buf_(kHeaderSize, '\0') {}

void ListpackBuilder::AppendBacklen(size_t size) {
  size_t n = BacklenBytes(size);
  // Most significant 7-bit group first; every byte but the first has bit 7 set.
  for (size_t i = n; i-- > 0;) {
    unsigned char b = (size >> (7 * i)) & 127;
    if (i != n - 1) b |= 128;
    buf_.push_back(static_cast<char>(b));
  }
}

void ListpackBuilder::AppendInt(int64_t v) {
  size_t start = buf_.size();
  auto u = static_cast<uint64_t>(v);
  if (v >= 0 && v <= 127) {
    buf_.push_back(static_cast<char>(v));
  } else if (v >= -4096 && v <= 4095) {
    buf_.push_back(static_cast<char>(0xC0 | ((u >> 8) & 0x1F)));
    buf_.push_back(static_cast<char>(u & 0xFF));
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    buf_.push_back(static_cast<char>(0xF1));
    StoreLe(&buf_, u, 2);
  } else if (v >= -(1 << 23) && v < (1 << 23)) {
    buf_.push_back(static_cast<char>(0xF2));
    StoreLe(&buf_, u, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    buf_.push_back(static_cast<char>(0xF3));
    StoreLe(&buf_, u, 4);
  } else {
    buf_.push_back(static_cast<char>(0xF4));
    StoreLe(&buf_, u, 8);
  }
  AppendBacklen(buf_.size() - start);
  ++count_;
}

void ListpackBuilder::Append(std::string_view s) {
  int64_t v;
  if (rdb_internal::ParseCanonicalInt64(s, &v)) return AppendInt(v);
  size_t start = buf_.size();
  if (s.size() < 64) {
    buf_.push_back(static_cast<char>(0x80 | s.size()));
  } else if (s.size() < 4096) {
    buf_.push_back(static_cast<char>(0xE0 | (s.size() >> 8)));
    buf_.push_back(static_cast<char>(s.size() & 0xFF));
  } else {
    buf_.push_back(static_cast<char>(0xF0));
    StoreLe(&buf_, s.size(), 4);
  }
  buf_.append(s);
  AppendBacklen(buf_.size() - start);
  ++count_;
}

std::string ListpackBuilder::Finish() {
  std::string out = std::move(buf_);
  out.push_back(static_cast<char>(0xFF));
  for (size_t i = 0; i < 4; ++i) out[i] = static_cast<char>((out.size() >> (8 * i)) & 0xFF);
  size_t n = count_ < kUnknownCount ? count_ : kUnknownCount;
  out[4] = static_cast<char>(n & 0xFF);
  out[5] = static_cast<char>(n >> 8);
  buf_.assign(kHeaderSize, '\0');
  count_ = 0;
  return out;
}

std::string ListpackEncode(const std::vector<std::string>& elements) {
  ListpackBuilder b;
  for (const auto& e : elements) b.Append(e);
  return b.Finish();
}

}  // namespace tessera::keyspace
