// ListValue: quicklist behaviour (node fill, split, merge) against a std::deque model, and the
// memory of the one-node form (the memory benchmark's shape, docs/benchmarks.md).
#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>
#include <string>
#include <utility>

#include "tessera/core/rng.h"
#include "tessera/keyspace/list.h"
#include "tessera/keyspace/small_alloc.h"

namespace tessera::keyspace {
namespace {

std::deque<std::string> Contents(const ListValue& l) {
  std::deque<std::string> d;
  l.Range(0, l.Size(), [&](std::string_view v) { d.emplace_back(v); });
  return d;
}

// What a list without a heap chain owns: the handle and its one node's block.
size_t OneNodeBytes(const ListValue& l) {
  return sizeof(ListValue) + (l.NodeCount() == 0 ? 0 : l.Node(0).AllocatedBytes());
}

ListValue Numbers(int n, const EncodingLimits& limits) {
  ListValue l;
  for (int i = 0; i < n; ++i) l.PushBack(std::to_string(i), limits);
  return l;
}

TEST_CASE("the benchmark's 10-element list is one 80-byte block and a 16-byte handle",
          "[keyspace][list]") {
  static_assert(sizeof(ListValue) <= 16);
  EncodingLimits limits;
  const size_t in_use = GetSmallAllocStats().in_use_bytes;
  {
    ListValue l;
    // RPUSH l:<i> item0 ... item9: 8 bytes of header, then 7 bytes per 5-byte entry.
    for (int i = 0; i < 10; ++i) l.PushBack("item" + std::to_string(i), limits);
    CHECK(l.NodeCount() == 1);
    CHECK(l.Size() == 10);
    CHECK(l.Node(0).AllocatedBytes() == 80);
    CHECK(l.MemoryUsage() == 16 + 80);
    CHECK(GetSmallAllocStats().in_use_bytes - in_use == 80);
    CHECK(l.At(0) == "item0");
    CHECK(l.At(9) == "item9");
    CHECK(l.EncodingName() == "quicklist");
  }
  CHECK(GetSmallAllocStats().in_use_bytes == in_use);
}

TEST_CASE("an empty list owns no block", "[keyspace][list]") {
  EncodingLimits limits;
  ListValue l;
  CHECK(l.Empty());
  CHECK(l.NodeCount() == 0);
  CHECK(l.MemoryUsage() == sizeof(ListValue));
  l.PushFront("a", limits);
  CHECK(l.PopBack() == "a");
  CHECK(l.Empty());
  CHECK(l.NodeCount() == 0);
  CHECK(l.MemoryUsage() == sizeof(ListValue));
}

TEST_CASE("a list chains its nodes past one node and drops the chain at one again",
          "[keyspace][list]") {
  EncodingLimits limits;
  limits.list_max_listpack_size = 3;

  SECTION("tail pushes and pops") {
    ListValue l = Numbers(3, limits);
    CHECK(l.NodeCount() == 1);
    CHECK(l.MemoryUsage() == OneNodeBytes(l));
    l.PushBack("3", limits);
    CHECK(l.NodeCount() == 2);
    CHECK(l.MemoryUsage() > OneNodeBytes(l) + l.Node(1).AllocatedBytes());
    CHECK(l.PopBack() == "3");
    CHECK(l.NodeCount() == 1);
    CHECK(l.Size() == 3);
    CHECK(l.MemoryUsage() == OneNodeBytes(l));
  }
  SECTION("head pushes and pops") {
    ListValue l = Numbers(3, limits);
    l.PushFront("x", limits);
    CHECK(l.NodeCount() == 2);
    CHECK(l.Size() == 4);
    CHECK(l.At(0) == "x");
    CHECK(l.PopFront() == "x");
    CHECK(l.NodeCount() == 1);
    CHECK(l.MemoryUsage() == OneNodeBytes(l));
    CHECK(l.At(0) == "0");
  }
  SECTION("an insert splits the single node, LREM merges it back") {
    ListValue l = Numbers(3, limits);
    CHECK(l.InsertAtPivot("1", false, "x", limits));
    CHECK(l.NodeCount() == 2);
    CHECK(l.Size() == 4);
    CHECK(l.At(1) == "x");
    CHECK(l.Remove("x", 0, limits) == 1);
    CHECK(l.NodeCount() == 1);
    CHECK(l.Size() == 3);
    CHECK(l.MemoryUsage() == OneNodeBytes(l));
  }
  SECTION("LTRIM down to one node, then to nothing") {
    ListValue l = Numbers(10, limits);
    CHECK(l.NodeCount() == 4);
    l.Keep(4, 3, limits);
    CHECK(l.NodeCount() == 1);
    CHECK(l.Size() == 3);
    CHECK(l.At(0) == "4");
    CHECK(l.MemoryUsage() == OneNodeBytes(l));
    l.Keep(0, 0, limits);
    CHECK(l.Empty());
    CHECK(l.MemoryUsage() == sizeof(ListValue));
  }
  SECTION("LREM empties a chained list") {
    ListValue l;
    for (int i = 0; i < 7; ++i) l.PushBack("same", limits);
    CHECK(l.NodeCount() == 3);
    CHECK(l.Remove("same", -100, limits) == 7);
    CHECK(l.Empty());
    CHECK(l.NodeCount() == 0);
    CHECK(l.MemoryUsage() == sizeof(ListValue));
  }
}

TEST_CASE("LSET of a huge element splits a one-node list", "[keyspace][list]") {
  EncodingLimits limits;
  ListValue l = Numbers(3, limits);
  l.Set(1, std::string(10000, 'h'), limits);
  CHECK(l.NodeCount() == 3);
  CHECK(l.Size() == 3);
  CHECK(l.At(0) == "0");
  CHECK(l.At(1).size() == 10000);
  CHECK(l.At(2) == "2");
  l.Keep(0, 1, limits);
  CHECK(l.NodeCount() == 1);
  CHECK(l.MemoryUsage() == OneNodeBytes(l));
}

TEST_CASE("a copied list is independent of the original, one node or many", "[keyspace][list]") {
  EncodingLimits limits;
  limits.list_max_listpack_size = 4;
  for (int n : {0, 3, 13}) {
    ListValue l = Numbers(n, limits);
    ListValue copy(l);
    CHECK(copy.Size() == l.Size());
    CHECK(copy.NodeCount() == l.NodeCount());
    CHECK(Contents(copy) == Contents(l));
    // A chain's vector capacity may differ in the copy; a single node's block may not.
    if (l.NodeCount() <= 1) CHECK(copy.MemoryUsage() == l.MemoryUsage());
    copy.PushBack("extra", limits);
    copy.PushFront("first", limits);
    CHECK(l.Size() == static_cast<size_t>(n));
    CHECK(copy.Size() == static_cast<size_t>(n) + 2);
    if (n > 0) CHECK(l.At(0) == "0");
  }
}

TEST_CASE("a moved list leaves an empty one behind", "[keyspace][list]") {
  EncodingLimits limits;
  limits.list_max_listpack_size = 4;
  for (int n : {3, 13}) {
    ListValue l = Numbers(n, limits);
    auto want = Contents(l);
    ListValue moved(std::move(l));
    CHECK(Contents(moved) == want);
    CHECK(l.Empty());  // NOLINT(bugprone-use-after-move): the moved-from state is the contract
    CHECK(l.NodeCount() == 0);
    l.PushBack("again", limits);
    CHECK(l.Size() == 1);
  }
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
  for (int fill : {-1, 2, 5, 20}) {
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
      // A list of one node (or none) never keeps a heap chain.
      if (l.NodeCount() <= 1) REQUIRE(l.MemoryUsage() == OneNodeBytes(l));
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
