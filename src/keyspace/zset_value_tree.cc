// The skiplist form of ZSetValue (see zset_value_tree.h). The treap's expected depth is
// O(log n), so the recursive helpers stay shallow.
#include "keyspace/zset_value_tree.h"

#include <vector>

#include "tessera/core/status.h"

namespace tessera::keyspace {

ZSetValue::Tree::Tree(const Tree& other) {
  root_ = CopyTree(other.root_);
  map_.reserve(other.map_.size());
  IndexTree(root_);
}

ZSetValue::Tree::~Tree() { Free(root_); }

ZSetValue::Tree::Node* ZSetValue::Tree::CopyTree(const Node* n) {
  if (n == nullptr) return nullptr;
  Node* c = new Node{n->member, n->score, n->priority, n->size, nullptr, nullptr};
  c->left = CopyTree(n->left);
  c->right = CopyTree(n->right);
  return c;
}

void ZSetValue::Tree::IndexTree(Node* n) {
  if (n == nullptr) return;
  map_.emplace(std::string_view(n->member), n);
  member_heap_bytes_ += HeapBytes(n->member);
  IndexTree(n->left);
  IndexTree(n->right);
}

void ZSetValue::Tree::Free(Node* n) {
  // Iterative, so freeing never depends on the tree's shape.
  std::vector<Node*> stack;
  if (n != nullptr) stack.push_back(n);
  while (!stack.empty()) {
    Node* x = stack.back();
    stack.pop_back();
    if (x->left != nullptr) stack.push_back(x->left);
    if (x->right != nullptr) stack.push_back(x->right);
    delete x;
  }
}

ZSetValue::Tree::Node* ZSetValue::Tree::Merge(Node* a, Node* b) {
  if (a == nullptr) return b;
  if (b == nullptr) return a;
  if (a->priority >= b->priority) {
    a->right = Merge(a->right, b);
    Update(a);
    return a;
  }
  b->left = Merge(a, b->left);
  Update(b);
  return b;
}

ZSetValue::Tree::Node* ZSetValue::Tree::Insert(Node* root, Node* n) {
  if (root == nullptr) {
    n->left = n->right = nullptr;
    n->size = 1;
    return n;
  }
  if (n->priority > root->priority) {
    // n becomes the root of this subtree: split root's elements around n.
    Node* lo = nullptr;
    Node* hi = nullptr;
    Node** lo_tail = &lo;
    Node** hi_tail = &hi;
    std::vector<Node*> path;
    for (Node* t = root; t != nullptr;) {
      path.push_back(t);
      if (Before(t, n)) {
        *lo_tail = t;
        lo_tail = &t->right;
        t = t->right;
      } else {
        *hi_tail = t;
        hi_tail = &t->left;
        t = t->left;
      }
    }
    *lo_tail = nullptr;
    *hi_tail = nullptr;
    for (auto it = path.rbegin(); it != path.rend(); ++it) Update(*it);
    n->left = lo;
    n->right = hi;
    Update(n);
    return n;
  }
  if (Before(n, root)) {
    root->left = Insert(root->left, n);
  } else {
    root->right = Insert(root->right, n);
  }
  Update(root);
  return root;
}

ZSetValue::Tree::Node* ZSetValue::Tree::Unlink(Node* root, const Node* n) {
  TS_CHECK(root != nullptr);
  if (root == n) return Merge(root->left, root->right);
  if (Before(n, root)) {
    root->left = Unlink(root->left, n);
  } else {
    root->right = Unlink(root->right, n);
  }
  Update(root);
  return root;
}

std::optional<double> ZSetValue::Tree::Score(std::string_view member) const {
  auto it = map_.find(member);
  if (it == map_.end()) return std::nullopt;
  return it->second->score;
}

bool ZSetValue::Tree::Set(std::string_view member, double score) {
  auto it = map_.find(member);
  if (it != map_.end()) {
    Node* n = it->second;
    if (n->score == score) return false;
    root_ = Unlink(root_, n);
    n->score = score;
    root_ = Insert(root_, n);
    return false;
  }
  auto* n = new Node{std::string(member),
                     score,
                     static_cast<uint32_t>(core::HashBytes(member) >> 32),
                     1,
                     nullptr,
                     nullptr};
  map_.emplace(std::string_view(n->member), n);
  member_heap_bytes_ += HeapBytes(n->member);
  root_ = Insert(root_, n);
  return true;
}

bool ZSetValue::Tree::Remove(std::string_view member) {
  auto it = map_.find(member);
  if (it == map_.end()) return false;
  Node* n = it->second;
  map_.erase(it);
  member_heap_bytes_ -= HeapBytes(n->member);
  root_ = Unlink(root_, n);
  delete n;
  return true;
}

std::optional<size_t> ZSetValue::Tree::Rank(std::string_view member) const {
  auto it = map_.find(member);
  if (it == map_.end()) return std::nullopt;
  const Node* n = it->second;
  size_t rank = 0;
  for (const Node* t = root_; t != nullptr;) {
    if (t == n) return rank + SizeOf(t->left);
    if (Before(n, t)) {
      t = t->left;
    } else {
      rank += SizeOf(t->left) + 1;
      t = t->right;
    }
  }
  TS_CHECK(false);
  return std::nullopt;
}

ZEntry ZSetValue::Tree::At(size_t rank) const {
  TS_CHECK(rank < Size());
  const Node* t = root_;
  while (true) {
    size_t left = SizeOf(t->left);
    if (rank < left) {
      t = t->left;
    } else if (rank == left) {
      return ZEntry{t->member, t->score};
    } else {
      rank -= left + 1;
      t = t->right;
    }
  }
}

size_t ZSetValue::Tree::CountPrefix(PrefixPred pred) const {
  size_t count = 0;
  for (const Node* t = root_; t != nullptr;) {
    if (pred(t->member, t->score)) {
      count += SizeOf(t->left) + 1;
      t = t->right;
    } else {
      t = t->left;
    }
  }
  return count;
}

void ZSetValue::Tree::VisitForward(const Node* n, size_t base, size_t lo, size_t hi, EntryFn fn) {
  if (n == nullptr || base >= hi || base + n->size <= lo) return;
  size_t r = base + SizeOf(n->left);
  VisitForward(n->left, base, lo, hi, fn);
  if (r >= lo && r < hi) fn(n->member, n->score);
  VisitForward(n->right, r + 1, lo, hi, fn);
}

void ZSetValue::Tree::VisitBackward(const Node* n, size_t base, size_t lo, size_t hi, EntryFn fn) {
  if (n == nullptr || base >= hi || base + n->size <= lo) return;
  size_t r = base + SizeOf(n->left);
  VisitBackward(n->right, r + 1, lo, hi, fn);
  if (r >= lo && r < hi) fn(n->member, n->score);
  VisitBackward(n->left, base, lo, hi, fn);
}

void ZSetValue::Tree::Visit(size_t start, size_t end, bool reverse, EntryFn fn) const {
  if (reverse) {
    VisitBackward(root_, 0, start, end, fn);
  } else {
    VisitForward(root_, 0, start, end, fn);
  }
}

size_t ZSetValue::Tree::MemoryUsage() const {
  // Nodes and long members, plus the map's slots (key view, node pointer, control byte).
  return sizeof(Tree) + map_.size() * sizeof(Node) + member_heap_bytes_ +
         map_.capacity() * (sizeof(std::string_view) + sizeof(Node*) + 1);
}

}  // namespace tessera::keyspace
