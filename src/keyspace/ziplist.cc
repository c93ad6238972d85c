// Ziplist and zipmap readers (shared/spec/replication-rdb.md §5.11, §5.12).
#include "tessera/keyspace/ziplist.h"

#include "rdb_util.h"

namespace tessera::keyspace {
namespace {

using rdb_internal::LoadBe;
using rdb_internal::LoadLe;
using rdb_internal::SignExtend;

constexpr size_t kZlHeader = 10;

absl::Status Bad(std::string_view kind, size_t at, std::string_view what) {
  return absl::DataLossError(fmt::format("{}: at {}: {}", kind, at, what));
}

// Decodes the encoding+data part of one ziplist entry at `pos`; sets *size to its byte length.
absl::StatusOr<std::string> ZiplistValue(std::string_view b, size_t pos, size_t end, size_t* size) {
  auto c = static_cast<unsigned char>(b[pos]);
  size_t avail = end - pos;
  auto str = [&](size_t hdr, uint64_t len) -> absl::StatusOr<std::string> {
    if (hdr > avail || len > avail - hdr) return Bad("ziplist", pos, "string entry past end");
    *size = hdr + len;
    return std::string(b.substr(pos + hdr, len));
  };
  auto num = [&](size_t n) -> absl::StatusOr<std::string> {
    if (n + 1 > avail) return Bad("ziplist", pos, "integer entry past end");
    *size = n + 1;
    return std::to_string(SignExtend(LoadLe(b.substr(pos + 1), n), static_cast<int>(n * 8)));
  };
  switch (c >> 6) {
    case 0:
      return str(1, c & 0x3F);
    case 1:
      if (avail < 2) return Bad("ziplist", pos, "string entry past end");
      return str(2, LoadBe(b.substr(pos), 2) & 0x3FFF);
    case 2:
      if (avail < 5) return Bad("ziplist", pos, "string entry past end");
      return str(5, LoadBe(b.substr(pos + 1), 4));
    default:
      break;
  }
  switch (c) {
    case 0xC0:
      return num(2);
    case 0xD0:
      return num(4);
    case 0xE0:
      return num(8);
    case 0xF0:
      return num(3);
    case 0xFE:
      return num(1);
    default:
      break;
  }
  if (c >= 0xF1 && c <= 0xFD) {
    *size = 1;
    return std::to_string(c - 0xF1);
  }
  return Bad("ziplist", pos, fmt::format("invalid entry encoding 0x{:02X}", c));
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ZiplistDecode(std::string_view b) {
  if (b.size() < kZlHeader + 1) return Bad("ziplist", 0, "shorter than 11 bytes");
  if (LoadLe(b, 4) != b.size()) return Bad("ziplist", 0, "zlbytes does not match blob size");
  if (static_cast<unsigned char>(b.back()) != 0xFF)
    return Bad("ziplist", b.size() - 1, "no terminator");
  const uint64_t tail = LoadLe(b.substr(4), 4);
  const uint64_t declared = LoadLe(b.substr(8), 2);
  const size_t end = b.size() - 1;
  std::vector<std::string> out;
  size_t pos = kZlHeader, prev_size = 0, last = kZlHeader;
  while (pos < end) {
    const size_t start = pos;
    uint64_t prevlen = static_cast<unsigned char>(b[pos]);
    if (prevlen == 0xFE) {
      if (end - pos < 5) return Bad("ziplist", pos, "prevlen past end");
      prevlen = LoadLe(b.substr(pos + 1), 4);
      pos += 5;
    } else {
      pos += 1;
    }
    if (prevlen != prev_size) return Bad("ziplist", start, "prevlen does not match previous entry");
    if (pos >= end) return Bad("ziplist", pos, "entry past end");
    size_t size = 0;
    auto v = ZiplistValue(b, pos, end, &size);
    if (!v.ok()) return v.status();
    out.push_back(std::move(*v));
    pos += size;
    prev_size = pos - start;
    last = start;
  }
  if (tail != last) return Bad("ziplist", 4, "zltail does not point at the last entry");
  if (declared != 65535 && declared != out.size()) {
    return Bad("ziplist", 8, fmt::format("header count {} but {} entries", declared, out.size()));
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ZipmapDecode(std::string_view b) {
  std::vector<std::pair<std::string, std::string>> out;
  if (b.empty()) return Bad("zipmap", 0, "empty blob");
  size_t pos = 1;  // the count byte is only a hint
  auto len = [&](uint64_t* v) -> absl::Status {
    if (pos >= b.size()) return Bad("zipmap", pos, "length past end");
    auto c = static_cast<unsigned char>(b[pos]);
    if (c < 254) {
      *v = c;
      pos += 1;
      return absl::OkStatus();
    }
    if (c == 255 || b.size() - pos < 5) return Bad("zipmap", pos, "bad length");
    *v = LoadLe(b.substr(pos + 1), 4);  // host order in Redis; every writer was little endian
    pos += 5;
    return absl::OkStatus();
  };
  while (true) {
    if (pos >= b.size()) return Bad("zipmap", pos, "no terminator");
    if (static_cast<unsigned char>(b[pos]) == 0xFF) break;
    uint64_t klen = 0, vlen = 0;
    if (auto st = len(&klen); !st.ok()) return st;
    if (klen > b.size() - pos) return Bad("zipmap", pos, "field past end");
    std::string field(b.substr(pos, klen));
    pos += klen;
    if (auto st = len(&vlen); !st.ok()) return st;
    if (pos >= b.size()) return Bad("zipmap", pos, "free byte past end");
    uint64_t free = static_cast<unsigned char>(b[pos++]);
    if (vlen > b.size() - pos || free > b.size() - pos - vlen)
      return Bad("zipmap", pos, "value past end");
    out.emplace_back(std::move(field), std::string(b.substr(pos, vlen)));
    pos += vlen + free;
  }
  if (pos + 1 != b.size()) return Bad("zipmap", pos, "bytes after terminator");
  return out;
}

}  // namespace tessera::keyspace
