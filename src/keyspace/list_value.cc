// ListValue: quicklist node filling, splitting and merging (see list.h).
#include <algorithm>
#include <array>

#include "tessera/keyspace/list.h"

namespace tessera::keyspace {
namespace {

// Redis's byte caps for fills -1..-5, and for a positive fill the safety cap on a node's bytes.
constexpr std::array<size_t, 5> kFillBytes = {4096, 8192, 16384, 32768, 65536};
constexpr size_t kSafetyBytes = 8192;
// A listpack's header and terminator, so that nodes hold about as many entries as Redis's.
constexpr size_t kListpackOverhead = 7;

bool Fits(size_t count, size_t bytes, const EncodingLimits& limits) {
  // A node always takes one element, however large (Redis would make it a plain node).
  if (count <= 1) return true;
  bytes += kListpackOverhead;
  int fill = limits.list_max_listpack_size;
  if (fill >= 0) return count <= static_cast<size_t>(std::max(fill, 1)) && bytes <= kSafetyBytes;
  size_t i = static_cast<size_t>(std::min(-fill, 5)) - 1;
  return bytes <= kFillBytes[i];
}

bool FitsOneMore(const PackedList& node, size_t len, const EncodingLimits& limits) {
  return Fits(node.count() + 1, node.bytes() + PackedList::EncodedSize(len), limits);
}

}  // namespace

// Object keeps a value of at most 16 bytes inside itself; a bigger ListValue would cost every
// list a heap block on top of its nodes (48 bytes of malloc for a 40-byte handle).
static_assert(sizeof(ListValue) <= 16, "ListValue must fit Object's in-place storage");

ListValue::ListValue(const ListValue& other)
    : single_(other.single_),
      chain_(other.chain_ ? std::make_unique<Chain>(*other.chain_) : nullptr) {}

std::span<PackedList> ListValue::Nodes() {
  if (chain_) return {chain_->nodes.begin(), chain_->nodes.size()};
  if (single_.empty()) return {};
  return {&single_, 1};
}

std::span<const PackedList> ListValue::Nodes() const {
  if (chain_) return {chain_->nodes.begin(), chain_->nodes.size()};
  if (single_.empty()) return {};
  return {&single_, 1};
}

ListValue::Chain& ListValue::Chained() {
  if (!chain_) {
    chain_ = std::make_unique<Chain>();
    chain_->size = single_.count();
    if (!single_.empty()) chain_->nodes.emplace_back(std::move(single_));
  }
  return *chain_;
}

void ListValue::Unchain() {
  if (!chain_ || chain_->nodes.size() > 1) return;
  if (!chain_->nodes.empty()) single_ = std::move(chain_->nodes.front());
  chain_.reset();
}

void ListValue::PushFront(std::string_view v, const EncodingLimits& limits) {
  if (!chain_) {
    if (single_.empty() || FitsOneMore(single_, v.size(), limits)) {
      single_.PushFront(v);
      return;
    }
    Chained();
  }
  NodeVector<PackedList>& nodes = chain_->nodes;
  if (!FitsOneMore(nodes.front(), v.size(), limits)) nodes.PushFront(PackedList());
  nodes.front().PushFront(v);
  ++chain_->size;
}

void ListValue::PushBack(std::string_view v, const EncodingLimits& limits) {
  if (!chain_) {
    if (single_.empty() || FitsOneMore(single_, v.size(), limits)) {
      single_.PushBack(v);
      return;
    }
    Chained();
  }
  NodeVector<PackedList>& nodes = chain_->nodes;
  if (!FitsOneMore(nodes.back(), v.size(), limits)) nodes.emplace_back();
  nodes.back().PushBack(v);
  ++chain_->size;
}

std::string ListValue::PopFront() {
  PackedList& n = chain_ ? chain_->nodes.front() : single_;
  std::string v(n.At(n.Begin()));
  n.Erase(n.Begin());
  if (chain_) {
    --chain_->size;
    if (n.empty()) {
      chain_->nodes.PopFront();
      Unchain();
    }
  }
  return v;
}

std::string ListValue::PopBack() {
  PackedList& n = chain_ ? chain_->nodes.back() : single_;
  size_t last = n.Prev(n.End());
  std::string v(n.At(last));
  n.Erase(last);
  if (chain_) {
    --chain_->size;
    if (n.empty()) {
      chain_->nodes.pop_back();
      Unchain();
    }
  }
  return v;
}

ListValue::Pos ListValue::Locate(size_t i) const {
  std::span<const PackedList> nodes = Nodes();
  size_t size = Size();
  size_t k = 0;
  if (i < size / 2) {
    while (i >= nodes[k].count()) i -= nodes[k++].count();
  } else {
    size_t from_end = size - i;  // >= 1
    k = nodes.size() - 1;
    while (from_end > nodes[k].count()) from_end -= nodes[k--].count();
    i = nodes[k].count() - from_end;
  }
  const PackedList& n = nodes[k];
  size_t p;
  if (i < n.count() / 2) {
    p = n.Begin();
    for (size_t j = 0; j < i; ++j) p = n.Next(p);
  } else {
    p = n.End();
    for (size_t j = n.count(); j > i; --j) p = n.Prev(p);
  }
  return {k, p};
}

std::string_view ListValue::At(size_t i) const {
  Pos pos = Locate(i);
  return Nodes()[pos.node].At(pos.off);
}

void ListValue::Set(size_t i, std::string_view v, const EncodingLimits& limits) {
  Pos pos = Locate(i);
  Nodes()[pos.node].Replace(pos.off, v);
  SplitIfNeeded(pos.node, limits);
}

bool ListValue::InsertAtPivot(std::string_view pivot, bool after, std::string_view v,
                              const EncodingLimits& limits) {
  std::span<PackedList> nodes = Nodes();
  for (size_t k = 0; k < nodes.size(); ++k) {
    PackedList& n = nodes[k];
    for (size_t p = n.Begin(); p < n.End(); p = n.Next(p)) {
      if (n.At(p) != pivot) continue;
      n.Insert(after ? n.Next(p) : p, v);
      if (chain_) ++chain_->size;
      SplitIfNeeded(k, limits);
      return true;
    }
  }
  return false;
}

void ListValue::SplitIfNeeded(size_t k, const EncodingLimits& limits) {
  const PackedList& node = Nodes()[k];
  if (Fits(node.count(), node.bytes(), limits)) return;
  // Chained() moves a single node, so it is looked up again after.
  NodeVector<PackedList>& nodes = Chained().nodes;
  PackedList& n = nodes[k];
  size_t p = n.Begin();
  for (size_t j = 0; j < n.count() / 2; ++j) p = n.Next(p);
  PackedList tail = n.SplitAt(p);
  nodes.InsertAt(k + 1, std::move(tail));
  // Halves of an over-full node can still be over-full when one element is huge.
  SplitIfNeeded(k + 1, limits);
  SplitIfNeeded(k, limits);
}

size_t ListValue::Remove(std::string_view v, int64_t count, const EncodingLimits& limits) {
  size_t limit = SIZE_MAX;
  if (count > 0) limit = static_cast<size_t>(count);
  if (count < 0) limit = static_cast<size_t>(-(count + 1)) + 1;  // no overflow at INT64_MIN
  size_t removed = 0;
  std::span<PackedList> nodes = Nodes();
  if (count >= 0) {
    for (size_t k = 0; k < nodes.size() && removed < limit; ++k) {
      PackedList& n = nodes[k];
      for (size_t p = n.Begin(); p < n.End() && removed < limit;) {
        if (n.At(p) == v) {
          n.Erase(p);
          ++removed;
        } else {
          p = n.Next(p);
        }
      }
    }
  } else {
    for (size_t k = nodes.size(); k-- > 0 && removed < limit;) {
      PackedList& n = nodes[k];
      for (size_t p = n.End(); p > n.Begin() && removed < limit;) {
        p = n.Prev(p);
        if (n.At(p) == v) {
          n.Erase(p);
          ++removed;
        }
      }
    }
  }
  if (chain_) chain_->size -= removed;
  if (removed > 0) Compact(limits);
  return removed;
}

void ListValue::Keep(size_t start, size_t n, const EncodingLimits& limits) {
  size_t end = start + n;
  size_t first = 0;  // index of the node's first element
  for (PackedList& node : Nodes()) {
    size_t c = node.count();
    // The node's slice [first, first + c) minus the kept range [start, end).
    size_t keep_from = std::clamp(start, first, first + c) - first;
    size_t keep_to = std::clamp(end, first, first + c) - first;
    if (keep_to < c) {
      size_t p = node.Begin();
      for (size_t j = 0; j < keep_to; ++j) p = node.Next(p);
      node.Erase(p, c - keep_to);
    }
    if (keep_from > 0) node.Erase(node.Begin(), keep_from);
    first += c;
  }
  if (chain_) chain_->size = n;
  Compact(limits);
}

void ListValue::Compact(const EncodingLimits& limits) {
  // A single node has no neighbour to merge with, and an emptied one has already freed its block.
  if (!chain_) return;
  std::vector<PackedList> out;
  out.reserve(chain_->nodes.size());
  for (PackedList& n : chain_->nodes) {
    if (n.empty()) continue;
    if (!out.empty() &&
        Fits(out.back().count() + n.count(), out.back().bytes() + n.bytes(), limits)) {
      out.back().Append(n);
    } else {
      out.push_back(std::move(n));
    }
  }
  out.shrink_to_fit();
  chain_->nodes.Assign(std::move(out));
  Unchain();
}

void ListValue::Range(size_t start, size_t n, absl::FunctionRef<void(std::string_view)> fn) const {
  if (n == 0) return;
  Pos pos = Locate(start);
  std::span<const PackedList> nodes = Nodes();
  for (size_t k = pos.node, p = pos.off; n > 0; ++k, p = 0) {
    const PackedList& node = nodes[k];
    for (; p < node.End() && n > 0; p = node.Next(p), --n) fn(node.At(p));
  }
}

void ListValue::Walk(bool reverse,
                     absl::FunctionRef<bool(size_t index, std::string_view v)> fn) const {
  std::span<const PackedList> nodes = Nodes();
  if (!reverse) {
    size_t i = 0;
    for (const PackedList& n : nodes) {
      for (size_t p = n.Begin(); p < n.End(); p = n.Next(p)) {
        if (!fn(i++, n.At(p))) return;
      }
    }
    return;
  }
  size_t i = Size();
  for (size_t k = nodes.size(); k-- > 0;) {
    const PackedList& n = nodes[k];
    for (size_t p = n.End(); p > n.Begin();) {
      p = n.Prev(p);
      if (!fn(--i, n.At(p))) return;
    }
  }
}

size_t ListValue::MemoryUsage() const {
  size_t total = sizeof(ListValue);
  if (chain_) total += sizeof(Chain) + chain_->nodes.capacity() * sizeof(PackedList);
  for (const PackedList& n : Nodes()) total += n.AllocatedBytes();
  return total;
}

}  // namespace tessera::keyspace
