// ZSetValue: the listpack form (one packed SmallAlloc block, linear scans over at most
// zset-max-listpack-entries elements) and the dispatch to the skiplist form (zset_value_tree.cc).
#include <cmath>
#include <cstring>
#include <vector>

#include "keyspace/varint.h"
#include "keyspace/zset_value_tree.h"
#include "tessera/core/status.h"
#include "tessera/keyspace/small_alloc.h"
#include "tessera/keyspace/zset.h"

namespace tessera::keyspace {

// Two pointers, so that Object keeps a sorted set in place instead of allocating the handle
// (kInPlace in object.cc): that allocation was most of a small sorted set's overhead.
static_assert(sizeof(ZSetValue) <= 16);

namespace {

// Packed entry: LEB128 member length, member bytes, then a score tag byte. Integral scores below
// 2^53 (the common case: ranks, counters, timestamps) are zigzag-encoded; a zigzag value below
// kTagVarint is the tag itself, so small scores take no byte beyond the tag. A larger one follows
// kTagVarint as the LEB128 of (zigzag - kTagVarint). Any other score follows kTagDouble as the 8
// bytes of the double.
constexpr uint8_t kTagVarint = 240;
constexpr uint8_t kTagDouble = 241;
constexpr double kMaxExactInt = 9007199254740992.0;  // 2^53
// The block's header: encoded bytes, then the entry count.
constexpr size_t kHeaderBytes = 2 * sizeof(uint32_t);
// Member length (10 bytes at most), tag, 8 score bytes.
constexpr size_t kMaxEntryOverhead = 10 + 1 + 8;

void AppendVarint(uint64_t v, std::string* out) {
  char bytes[10];
  out->append(bytes, PutVarint(bytes, v));
}

uint64_t ReadVarint(std::string_view buf, size_t* off) {
  size_t n = 0;
  uint64_t v = GetVarint(buf.data() + *off, &n);
  *off += n;
  return v;
}

void EncodeEntry(std::string_view member, double score, std::string* out) {
  out->reserve(member.size() + kMaxEntryOverhead);
  AppendVarint(member.size(), out);
  out->append(member);
  // -0 becomes 0 here, as in Redis's listpack (which stores it as the integer 0); the
  // skiplist form keeps -0.
  bool integral = std::fabs(score) < kMaxExactInt && score == std::trunc(score);
  if (!integral) {
    out->push_back(static_cast<char>(kTagDouble));
    char bytes[sizeof(double)];
    std::memcpy(bytes, &score, sizeof bytes);
    out->append(bytes, sizeof bytes);
    return;
  }
  auto i = static_cast<int64_t>(score);
  uint64_t zigzag = (static_cast<uint64_t>(i) << 1) ^ static_cast<uint64_t>(i >> 63);
  if (zigzag < kTagVarint) {
    out->push_back(static_cast<char>(zigzag));
    return;
  }
  out->push_back(static_cast<char>(kTagVarint));
  AppendVarint(zigzag - kTagVarint, out);
}

struct Entry {
  std::string_view member;
  double score;
  size_t next;  // offset of the following entry
};

Entry DecodeAt(std::string_view buf, size_t off) {
  Entry e;
  size_t len = ReadVarint(buf, &off);
  e.member = buf.substr(off, len);
  off += len;
  auto tag = static_cast<uint8_t>(buf[off++]);
  if (tag == kTagDouble) {
    std::memcpy(&e.score, buf.data() + off, sizeof(double));
    off += sizeof(double);
  } else {
    uint64_t z = tag < kTagVarint ? tag : ReadVarint(buf, &off) + kTagVarint;
    auto i = static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
    e.score = static_cast<double>(i);
  }
  e.next = off;
  return e;
}

// Offset of the entry at position `rank` (buf.size() when rank == count).
size_t OffsetOfRank(std::string_view buf, size_t rank) {
  size_t off = 0;
  for (size_t i = 0; i < rank; ++i) off = DecodeAt(buf, off).next;
  return off;
}

uint32_t LoadU32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void StoreU32(char* p, uint32_t v) { std::memcpy(p, &v, sizeof v); }

}  // namespace

ZSetValue::ZSetValue() = default;

ZSetValue::ZSetValue(const ZSetValue& other)
    : tree_(other.tree_ ? std::make_unique<Tree>(*other.tree_) : nullptr) {
  if (other.block_ != nullptr) {
    size_t n = kHeaderBytes + other.Packed().size();
    block_ = static_cast<char*>(SmallAlloc(n));
    std::memcpy(block_, other.block_, n);
  }
}

ZSetValue::ZSetValue(ZSetValue&& other) noexcept
    : block_(other.block_), tree_(std::move(other.tree_)) {
  other.block_ = nullptr;
}

ZSetValue::~ZSetValue() { FreeBlock(); }

std::string_view ZSetValue::Packed() const {
  if (block_ == nullptr) return {};
  return {block_ + kHeaderBytes, LoadU32(block_)};
}

void ZSetValue::FreeBlock() {
  if (block_ == nullptr) return;
  SmallFree(block_, kHeaderBytes + LoadU32(block_));
  block_ = nullptr;
}

void ZSetValue::Splice(size_t off, size_t erase_n, std::string_view insert, int64_t count_delta) {
  size_t old_bytes = Packed().size();
  size_t tail = old_bytes - off - erase_n;
  size_t new_bytes = old_bytes - erase_n + insert.size();
  TS_CHECK(new_bytes <= UINT32_MAX - kHeaderBytes);
  uint32_t count = block_ == nullptr ? 0 : LoadU32(block_ + sizeof(uint32_t));
  count = static_cast<uint32_t>(count + count_delta);
  if (new_bytes == 0) {
    TS_CHECK(count == 0);
    FreeBlock();
    return;
  }
  // Exact sizes, as in a listpack: small sets are the common case, and spare capacity would
  // cost more memory than the reallocations cost time. Shrink after moving the tail down,
  // grow before moving it up.
  if (new_bytes < old_bytes) {
    char* data = block_ + kHeaderBytes;
    std::memmove(data + off + insert.size(), data + off + erase_n, tail);
    block_ = static_cast<char*>(
        SmallRealloc(block_, kHeaderBytes + old_bytes, kHeaderBytes + new_bytes));
  } else {
    size_t old_n = block_ == nullptr ? 0 : kHeaderBytes + old_bytes;
    block_ = static_cast<char*>(SmallRealloc(block_, old_n, kHeaderBytes + new_bytes));
    char* data = block_ + kHeaderBytes;
    std::memmove(data + off + insert.size(), data + off + erase_n, tail);
  }
  if (!insert.empty()) std::memcpy(block_ + kHeaderBytes + off, insert.data(), insert.size());
  StoreU32(block_, static_cast<uint32_t>(new_bytes));
  StoreU32(block_ + sizeof(uint32_t), count);
}

size_t ZSetValue::Size() const {
  if (tree_) return tree_->Size();
  return block_ == nullptr ? 0 : LoadU32(block_ + sizeof(uint32_t));
}

std::optional<double> ZSetValue::Score(std::string_view member) const {
  if (tree_) return tree_->Score(member);
  std::string_view buf = Packed();
  for (size_t off = 0; off < buf.size();) {
    Entry e = DecodeAt(buf, off);
    if (e.member == member) return e.score;
    off = e.next;
  }
  return std::nullopt;
}

bool ZSetValue::Set(std::string_view member, double score, const ZSetLimits& limits) {
  if (tree_) return tree_->Set(member, score);
  // One pass finds both the member's old entry and where the new one goes among the others.
  std::string_view buf = Packed();
  size_t old = std::string_view::npos, old_end = 0, ins = std::string_view::npos;
  for (size_t off = 0; off < buf.size();) {
    Entry e = DecodeAt(buf, off);
    if (e.member == member) {
      if (e.score == score) return false;
      old = off;
      old_end = e.next;
      if (ins != std::string_view::npos) break;
    } else if (ins == std::string_view::npos && ZLess(score, member, e.score, e.member)) {
      ins = off;
      if (old != std::string_view::npos) break;
    }
    off = e.next;
  }
  if (ins == std::string_view::npos) ins = buf.size();
  bool added = old == std::string_view::npos;
  if (added &&
      (Size() + 1 > limits.max_listpack_entries || member.size() > limits.max_listpack_value)) {
    std::string kept(member);  // `member` may view the block that the conversion frees
    ConvertToSkiplist();
    return tree_->Set(kept, score);
  }
  // Encoded before the block changes: `member` may point into it.
  std::string entry;
  EncodeEntry(member, score, &entry);
  if (!added) {
    size_t old_n = old_end - old;
    if (ins == old_end) {
      Splice(old, old_n, entry, 0);  // the entry keeps its place
      return false;
    }
    Splice(old, old_n, {}, -1);
    if (ins > old) ins -= old_n;
  }
  Splice(ins, 0, entry, 1);
  return added;
}

bool ZSetValue::Remove(std::string_view member) {
  if (tree_) return tree_->Remove(member);
  std::string_view buf = Packed();
  for (size_t off = 0; off < buf.size();) {
    Entry e = DecodeAt(buf, off);
    if (e.member == member) {
      Splice(off, e.next - off, {}, -1);
      return true;
    }
    off = e.next;
  }
  return false;
}

std::optional<size_t> ZSetValue::Rank(std::string_view member) const {
  if (tree_) return tree_->Rank(member);
  std::string_view buf = Packed();
  size_t rank = 0;
  for (size_t off = 0; off < buf.size(); ++rank) {
    Entry e = DecodeAt(buf, off);
    if (e.member == member) return rank;
    off = e.next;
  }
  return std::nullopt;
}

ZEntry ZSetValue::At(size_t rank) const {
  TS_CHECK(rank < Size());
  if (tree_) return tree_->At(rank);
  std::string_view buf = Packed();
  Entry e = DecodeAt(buf, OffsetOfRank(buf, rank));
  return ZEntry{e.member, e.score};
}

size_t ZSetValue::CountPrefix(PrefixPred pred) const {
  if (tree_) return tree_->CountPrefix(pred);
  std::string_view buf = Packed();
  size_t count = 0;
  for (size_t off = 0; off < buf.size(); ++count) {
    Entry e = DecodeAt(buf, off);
    if (!pred(e.member, e.score)) break;
    off = e.next;
  }
  return count;
}

void ZSetValue::Visit(size_t start, size_t end, bool reverse, EntryFn fn) const {
  TS_CHECK(end <= Size());
  if (start >= end) return;
  if (tree_) {
    tree_->Visit(start, end, reverse, fn);
    return;
  }
  std::string_view buf = Packed();
  size_t off = OffsetOfRank(buf, start);
  if (!reverse) {
    for (size_t i = start; i < end; ++i) {
      Entry e = DecodeAt(buf, off);
      fn(e.member, e.score);
      off = e.next;
    }
    return;
  }
  // Entries are only decodable forwards: remember the offsets, then walk them back.
  std::vector<size_t> offsets;
  offsets.reserve(end - start);
  for (size_t i = start; i < end; ++i) {
    offsets.push_back(off);
    off = DecodeAt(buf, off).next;
  }
  for (auto it = offsets.rbegin(); it != offsets.rend(); ++it) {
    Entry e = DecodeAt(buf, *it);
    fn(e.member, e.score);
  }
}

void ZSetValue::RemoveRange(size_t start, size_t end) {
  TS_CHECK(end <= Size());
  if (start >= end) return;
  if (tree_) {
    std::vector<std::string> doomed;
    doomed.reserve(end - start);
    tree_->Visit(start, end, false,
                 [&](std::string_view member, double) { doomed.emplace_back(member); });
    for (const std::string& m : doomed) tree_->Remove(m);
    return;
  }
  std::string_view buf = Packed();
  size_t from = OffsetOfRank(buf, start);
  size_t to = from;
  for (size_t i = start; i < end; ++i) to = DecodeAt(buf, to).next;
  Splice(from, to - from, {}, -static_cast<int64_t>(end - start));
}

void ZSetValue::ConvertToSkiplist() {
  if (tree_) return;
  auto tree = std::make_unique<Tree>();
  std::string_view buf = Packed();
  for (size_t off = 0; off < buf.size();) {
    Entry e = DecodeAt(buf, off);
    tree->Set(e.member, e.score);
    off = e.next;
  }
  tree_ = std::move(tree);
  FreeBlock();
}

size_t ZSetValue::MemoryUsage() const {
  size_t bytes = sizeof(ZSetValue);
  if (block_ != nullptr) bytes += SmallAllocSize(kHeaderBytes + Packed().size());
  if (tree_) bytes += tree_->MemoryUsage();
  return bytes;
}

}  // namespace tessera::keyspace
