// ListValue: quicklist behaviour (node fill, split, merge) against a std::deque model.
#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>
#include <string>

#include "tessera/core/rng.h"
#include "tessera/keyspace/list.h"

namespace tessera::keyspace {
namespace {

std::deque<std::string> Contents(const ListValue& l) {
  std::deque<std::string> d;
  l.Range(0, l.Size(), [&](std::string_view v) { d.emplace_back(v); });
  return d;
}

TEST_CASE("every list is a quicklist, as redis 7.0 reports it", "[keyspace][list]") {
  EncodingLimits limits;
  ListValue l;
  CHECK(l.EncodingName() == "quicklist");
  l.PushBack("a", limits);
  CHECK(l.EncodingName() == "quicklist");
}

TEST_CASE("nodes fill up to the byte cap of list-max-listpack-size -2", "[keyspace][list]") {
  EncodingLimits limits;
  ListValue l;
  // 100-byte elements take 102 bytes each: 8 KiB holds 80 of them.
  for (int i = 0; i < 800; ++i) l.PushBack(std::string(100, 'x'), limits);
  CHECK(l.NodeCount() == 10);
  for (size_t i = 0; i < l.NodeCount(); ++i) CHECK(l.Node(i).count() == 80);
}

TEST_CASE("a positive fill caps the entries per node", "[keyspace][list]") {
  EncodingLimits limits;
  limits.list_max_listpack_size = 3;
  ListValue l;
  for (int i = 0; i < 10; ++i) l.PushFront(std::to_string(i), limits);
  CHECK(l.NodeCount() == 4);
  CHECK(l.At(0) == "9");
  CHECK(l.At(9) == "0");
  // A node that outgrows its fill through an insert splits.
  CHECK(l.InsertAtPivot("5", true, "new", limits));
  for (size_t i = 0; i < l.NodeCount(); ++i) CHECK(l.Node(i).count() <= 3);
  CHECK(l.At(5) == "new");
}

TEST_CASE("a huge element gets a node of its own", "[keyspace][list]") {
  EncodingLimits limits;
  ListValue l;
  l.PushBack("a", limits);
  l.PushBack(std::string(100000, 'z'), limits);
  l.PushBack("b", limits);
  CHECK(l.NodeCount() == 3);
  l.Set(0, std::string(50000, 'y'), limits);
  CHECK(l.At(0).size() == 50000);
  CHECK(l.Size() == 3);
}

TEST_CASE("list operations agree with a std::deque model", "[keyspace][list]") {
  core::Rng rng(3);
  EncodingLimits limits;
  for (int fill : {-1, 2, 5}) {
    limits.list_max_listpack_size = fill;
    ListValue l;
    std::deque<std::string> model;
    for (int step = 0; step < 4000; ++step) {
      std::string v = std::to_string(rng.Uniform(20));
      if (rng.Uniform(50) == 0) v = std::string(rng.Uniform(3000), 'q');
      size_t op = rng.Uniform(9);
      if (model.empty() && op >= 2) op = rng.Uniform(2);
      switch (op) {
        case 0:
          l.PushFront(v, limits);
          model.push_front(v);
          break;
        case 1:
          l.PushBack(v, limits);
          model.push_back(v);
          break;
        case 2:
          CHECK(l.PopFront() == model.front());
          model.pop_front();
          break;
        case 3:
          CHECK(l.PopBack() == model.back());
          model.pop_back();
          break;
        case 4: {
          size_t i = rng.Uniform(model.size());
          l.Set(i, v, limits);
          model[i] = v;
          break;
        }
        case 5: {
          std::string pivot = model[rng.Uniform(model.size())];
          bool after = rng.Uniform(2) == 0;
          CHECK(l.InsertAtPivot(pivot, after, v, limits));
          auto it = std::find(model.begin(), model.end(), pivot);
          model.insert(after ? it + 1 : it, v);
          break;
        }
        case 6: {
          auto count = static_cast<int64_t>(rng.Uniform(5)) - 2;
          size_t removed = l.Remove(v, count, limits);
          size_t want = 0;
          if (count >= 0) {
            for (auto it = model.begin(); it != model.end();) {
              if (*it == v && (count == 0 || want < static_cast<size_t>(count))) {
                it = model.erase(it);
                ++want;
              } else {
                ++it;
              }
            }
          } else {
            for (size_t i = model.size(); i-- > 0;) {
              if (model[i] == v && want < static_cast<size_t>(-count)) {
                model.erase(model.begin() + static_cast<ptrdiff_t>(i));
                ++want;
              }
            }
          }
          CHECK(removed == want);
          break;
        }
        case 7: {
          if (rng.Uniform(10) != 0) break;
          size_t start = rng.Uniform(model.size());
          size_t n = rng.Uniform(model.size() - start + 1);
          l.Keep(start, n, limits);
          model = std::deque<std::string>(model.begin() + static_cast<ptrdiff_t>(start),
                                          model.begin() + static_cast<ptrdiff_t>(start + n));
          break;
        }
        default: {
          size_t i = rng.Uniform(model.size());
          CHECK(l.At(i) == model[i]);
        }
      }
      REQUIRE(l.Size() == model.size());
    }
    CHECK(Contents(l) == model);
    ListValue copy(l);
    CHECK(Contents(copy) == model);
    size_t total = 0;
    for (size_t i = 0; i < l.NodeCount(); ++i) {
      CHECK_FALSE(l.Node(i).empty());
      total += l.Node(i).count();
    }
    CHECK(total == model.size());
    std::vector<std::string> backwards;
    l.Walk(true, [&](size_t index, std::string_view v) {
      CHECK(model[index] == v);
      backwards.emplace_back(v);
      return true;
    });
    CHECK(backwards.size() == model.size());
  }
}

}  // namespace
}  // namespace tessera::keyspace
