// ZSetValue: the listpack form (a packed byte string, linear scans over at most
// zset-max-listpack-entries elements) and the dispatch to the skiplist form (zset_value_tree.cc).
#include <cmath>
#include <cstring>
#include <vector>

#include "keyspace/zset_value_tree.h"
#include "tessera/core/status.h"
#include "tessera/keyspace/zset.h"

namespace tessera::keyspace {
namespace {

// Packed entry: LEB128 member length, member bytes, then a score tag: kTagInt is followed by a
// zigzag LEB128 integer (integral scores below 2^53, the common case, take 1-3 bytes), kTagDouble
// by the 8 bytes of the double.
constexpr uint8_t kTagInt = 0;
constexpr uint8_t kTagDouble = 1;
constexpr double kMaxExactInt = 9007199254740992.0;  // 2^53

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

uint64_t GetVarint(std::string_view buf, size_t* off) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    auto b = static_cast<uint8_t>(buf[(*off)++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
}

void EncodeEntry(std::string_view member, double score, std::string* out) {
  PutVarint(member.size(), out);
  out->append(member);
  // -0 becomes 0 here, as in Redis's listpack (which stores it as the integer 0); the
  // skiplist form keeps -0.
  bool integral = std::fabs(score) < kMaxExactInt && score == std::trunc(score);
  if (integral) {
    out->push_back(static_cast<char>(kTagInt));
    auto i = static_cast<int64_t>(score);
    PutVarint((static_cast<uint64_t>(i) << 1) ^ static_cast<uint64_t>(i >> 63), out);
  } else {
    out->push_back(static_cast<char>(kTagDouble));
    char bytes[sizeof(double)];
    std::memcpy(bytes, &score, sizeof bytes);
    out->append(bytes, sizeof bytes);
  }
}

struct Packed {
  std::string_view member;
  double score;
  size_t next;  // offset of the following entry
};

Packed DecodeAt(std::string_view buf, size_t off) {
  Packed p;
  size_t len = GetVarint(buf, &off);
  p.member = buf.substr(off, len);
  off += len;
  auto tag = static_cast<uint8_t>(buf[off++]);
  if (tag == kTagInt) {
    uint64_t z = GetVarint(buf, &off);
    auto i = static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
    p.score = static_cast<double>(i);
  } else {
    std::memcpy(&p.score, buf.data() + off, sizeof(double));
    off += sizeof(double);
  }
  p.next = off;
  return p;
}

// Offset of the entry holding `member`, or npos.
size_t FindPacked(std::string_view buf, std::string_view member) {
  for (size_t off = 0; off < buf.size();) {
    Packed p = DecodeAt(buf, off);
    if (p.member == member) return off;
    off = p.next;
  }
  return std::string_view::npos;
}

// Offset of the entry at position `rank` (buf.size() when rank == count).
size_t OffsetOfRank(std::string_view buf, size_t rank) {
  size_t off = 0;
  for (size_t i = 0; i < rank; ++i) off = DecodeAt(buf, off).next;
  return off;
}

}  // namespace

ZSetValue::ZSetValue() = default;
ZSetValue::ZSetValue(const ZSetValue& other)
    : packed_(other.packed_),
      packed_count_(other.packed_count_),
      tree_(other.tree_ ? std::make_unique<Tree>(*other.tree_) : nullptr) {}
ZSetValue::~ZSetValue() = default;

size_t ZSetValue::Size() const { return tree_ ? tree_->Size() : packed_count_; }

std::optional<double> ZSetValue::Score(std::string_view member) const {
  if (tree_) return tree_->Score(member);
  size_t off = FindPacked(packed_, member);
  if (off == std::string_view::npos) return std::nullopt;
  return DecodeAt(packed_, off).score;
}

bool ZSetValue::Set(std::string_view member, double score, const ZSetLimits& limits) {
  if (tree_) return tree_->Set(member, score);
  bool added = true;
  size_t old = FindPacked(packed_, member);
  if (old != std::string_view::npos) {
    Packed p = DecodeAt(packed_, old);
    if (p.score == score) return false;
    packed_.erase(old, p.next - old);
    --packed_count_;
    added = false;
  } else if (packed_count_ + 1 > limits.max_listpack_entries ||
             member.size() > limits.max_listpack_value) {
    ConvertToSkiplist();
    return tree_->Set(member, score);
  }
  size_t off = 0;
  while (off < packed_.size()) {
    Packed p = DecodeAt(packed_, off);
    if (ZLess(score, member, p.score, p.member)) break;
    off = p.next;
  }
  std::string entry;
  EncodeEntry(member, score, &entry);
  packed_.insert(off, entry);
  ++packed_count_;
  return added;
}

bool ZSetValue::Remove(std::string_view member) {
  if (tree_) return tree_->Remove(member);
  size_t off = FindPacked(packed_, member);
  if (off == std::string_view::npos) return false;
  packed_.erase(off, DecodeAt(packed_, off).next - off);
  --packed_count_;
  return true;
}

std::optional<size_t> ZSetValue::Rank(std::string_view member) const {
  if (tree_) return tree_->Rank(member);
  size_t rank = 0;
  for (size_t off = 0; off < packed_.size(); ++rank) {
    Packed p = DecodeAt(packed_, off);
    if (p.member == member) return rank;
    off = p.next;
  }
  return std::nullopt;
}

ZEntry ZSetValue::At(size_t rank) const {
  TS_CHECK(rank < Size());
  if (tree_) return tree_->At(rank);
  Packed p = DecodeAt(packed_, OffsetOfRank(packed_, rank));
  return ZEntry{p.member, p.score};
}

size_t ZSetValue::CountPrefix(PrefixPred pred) const {
  if (tree_) return tree_->CountPrefix(pred);
  size_t count = 0;
  for (size_t off = 0; off < packed_.size(); ++count) {
    Packed p = DecodeAt(packed_, off);
    if (!pred(p.member, p.score)) break;
    off = p.next;
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
  size_t off = OffsetOfRank(packed_, start);
  if (!reverse) {
    for (size_t i = start; i < end; ++i) {
      Packed p = DecodeAt(packed_, off);
      fn(p.member, p.score);
      off = p.next;
    }
    return;
  }
  // Entries are only decodable forwards: remember the offsets, then walk them back.
  std::vector<size_t> offsets;
  offsets.reserve(end - start);
  for (size_t i = start; i < end; ++i) {
    offsets.push_back(off);
    off = DecodeAt(packed_, off).next;
  }
  for (auto it = offsets.rbegin(); it != offsets.rend(); ++it) {
    Packed p = DecodeAt(packed_, *it);
    fn(p.member, p.score);
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
  size_t from = OffsetOfRank(packed_, start);
  size_t to = from;
  for (size_t i = start; i < end; ++i) to = DecodeAt(packed_, to).next;
  packed_.erase(from, to - from);
  packed_count_ -= static_cast<uint32_t>(end - start);
}

void ZSetValue::ConvertToSkiplist() {
  if (tree_) return;
  auto tree = std::make_unique<Tree>();
  for (size_t off = 0; off < packed_.size();) {
    Packed p = DecodeAt(packed_, off);
    tree->Set(p.member, p.score);
    off = p.next;
  }
  tree_ = std::move(tree);
  std::string().swap(packed_);
  packed_count_ = 0;
}

size_t ZSetValue::MemoryUsage() const {
  size_t bytes = sizeof(ZSetValue);
  if (packed_.capacity() > 15) bytes += packed_.capacity() + 1;
  if (tree_) bytes += tree_->MemoryUsage();
  return bytes;
}

}  // namespace tessera::keyspace
