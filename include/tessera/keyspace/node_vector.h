// The node sequence of a list: a vector with spare room at the front, so that pushing or popping
// a node at the head is O(1) amortised. (A std::vector insert at begin() moves every node, which
// made LPUSH of large values quadratic; a std::deque costs about 600 bytes even when empty.)
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace tessera::keyspace {

template <typename T>
class NodeVector {
 public:
  size_t size() const { return v_.size() - front_; }
  bool empty() const { return size() == 0; }
  size_t capacity() const { return v_.capacity(); }
  T& operator[](size_t i) { return v_[front_ + i]; }
  const T& operator[](size_t i) const { return v_[front_ + i]; }
  T& front() { return v_[front_]; }
  const T& front() const { return v_[front_]; }
  T& back() { return v_.back(); }
  const T& back() const { return v_.back(); }
  auto begin() { return v_.begin() + static_cast<ptrdiff_t>(front_); }
  auto end() { return v_.end(); }
  auto begin() const { return v_.begin() + static_cast<ptrdiff_t>(front_); }
  auto end() const { return v_.end(); }

  template <typename... Args>
  T& emplace_back(Args&&... args) {
    return v_.emplace_back(std::forward<Args>(args)...);
  }
  void pop_back() {
    v_.pop_back();
    if (empty()) Reset();
  }
  void PushFront(T x) {
    if (front_ == 0) {
      // Room for as many nodes as there are, so repeated head pushes move each node once.
      size_t gap = std::max<size_t>(4, size());
      v_.insert(v_.begin(), gap, T());
      front_ = gap;
    }
    v_[--front_] = std::move(x);
  }
  void PopFront() {
    v_[front_++] = T();
    // A queue (push at the tail, pop at the head) would otherwise grow the gap forever.
    if (empty()) {
      Reset();
    } else if (front_ > 32 && front_ > size()) {
      v_.erase(v_.begin(), v_.begin() + static_cast<ptrdiff_t>(front_));
      front_ = 0;
    }
  }
  void InsertAt(size_t i, T x) { v_.insert(v_.begin() + static_cast<ptrdiff_t>(front_ + i), std::move(x)); }
  void Assign(std::vector<T>&& v) {
    v_ = std::move(v);
    front_ = 0;
  }

 private:
  void Reset() {
    v_.clear();
    front_ = 0;
  }
  std::vector<T> v_;
  size_t front_ = 0;  // v_[0, front_) are spare, default-constructed slots
};

}  // namespace tessera::keyspace
