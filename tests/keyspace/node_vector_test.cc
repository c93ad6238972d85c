// NodeVector: head pushes and pops stay cheap and the spare room never grows without bound.
#include <catch2/catch.hpp>

#include <deque>

#include "tessera/keyspace/node_vector.h"

using tessera::keyspace::NodeVector;

TEST_CASE("a node vector behaves like a deque under pushes and pops at both ends", "[keyspace]") {
  NodeVector<int> v;
  std::deque<int> model;
  for (int i = 0; i < 10000; ++i) {
    switch (i % 7) {
      case 0: case 1: case 2: v.PushFront(i); model.push_front(i); break;
      case 3: case 4: v.emplace_back(i); model.push_back(i); break;
      case 5: if (!model.empty()) { v.PopFront(); model.pop_front(); } break;
      default: if (!model.empty()) { v.pop_back(); model.pop_back(); } break;
    }
    REQUIRE(v.size() == model.size());
  }
  for (size_t i = 0; i < model.size(); ++i) REQUIRE(v[i] == model[i]);
  v.InsertAt(1, -1);
  model.insert(model.begin() + 1, -1);
  CHECK(v[1] == -1);
  CHECK(v.size() == model.size());
}

TEST_CASE("a queue through a node vector keeps its storage bounded", "[keyspace]") {
  NodeVector<int> v;
  for (int i = 0; i < 100; ++i) v.emplace_back(i);
  for (int i = 0; i < 100000; ++i) {
    v.emplace_back(i);
    v.PopFront();
  }
  CHECK(v.size() == 100);
  CHECK(v.capacity() < 1000);
}
