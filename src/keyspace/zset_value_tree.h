// The skiplist form of ZSetValue: a member -> node map for O(1) score lookups, and a treap
// ordered by (score, member) whose nodes count their subtree, for O(log n) rank queries.
// Private to src/keyspace (zset_value.cc, zset_value_tree.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "tessera/core/hash.h"
#include "tessera/keyspace/zset.h"

namespace tessera::keyspace {

class ZSetValue::Tree {
 public:
  Tree() = default;
  Tree(const Tree& other);
  Tree& operator=(const Tree&) = delete;
  ~Tree();

  size_t Size() const { return map_.size(); }
  std::optional<double> Score(std::string_view member) const;
  bool Set(std::string_view member, double score);
  bool Remove(std::string_view member);
  std::optional<size_t> Rank(std::string_view member) const;
  ZEntry At(size_t rank) const;
  size_t CountPrefix(PrefixPred pred) const;
  void Visit(size_t start, size_t end, bool reverse, EntryFn fn) const;
  size_t MemoryUsage() const;

 private:
  struct Node {
    std::string member;
    double score;
    // Heap order of the treap. Taken from the member's seeded hash, so clients cannot choose
    // members that unbalance the tree, and no Rng is needed.
    uint32_t priority;
    uint32_t size = 1;  // nodes in this subtree
    Node* left = nullptr;
    Node* right = nullptr;
  };

  static uint32_t SizeOf(const Node* n) { return n == nullptr ? 0 : n->size; }
  static void Update(Node* n) { n->size = 1 + SizeOf(n->left) + SizeOf(n->right); }
  static bool Before(const Node* a, const Node* b) {
    return ZLess(a->score, a->member, b->score, b->member);
  }
  static Node* Insert(Node* root, Node* n);
  // Unlinks `n` (present in the tree under `root`); returns the new root.
  static Node* Unlink(Node* root, const Node* n);
  static Node* Merge(Node* a, Node* b);
  static Node* CopyTree(const Node* n);
  static void Free(Node* n);
  static void VisitForward(const Node* n, size_t base, size_t lo, size_t hi, EntryFn fn);
  static void VisitBackward(const Node* n, size_t base, size_t lo, size_t hi, EntryFn fn);
  void IndexTree(Node* n);

  static size_t HeapBytes(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }

  Node* root_ = nullptr;
  size_t member_heap_bytes_ = 0;  // long members' own allocations, for MemoryUsage
  // Keys point into the nodes' member strings; nodes never move while in the map.
  absl::flat_hash_map<std::string_view, Node*, core::StringHash, core::StringEq> map_;
};

}  // namespace tessera::keyspace
