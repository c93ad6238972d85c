// Sorted set algebra: ZUNION, ZINTER, ZDIFF, their STORE forms, and ZINTERCARD (Redis 7.0
// zunionInterDiffGenericCommand: WEIGHTS, AGGREGATE SUM|MIN|MAX, WITHSCORES, LIMIT).
#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "commands/util.h"
#include "commands/zset_common.h"
#include "fmt/format.h"
#include "tessera/commands/errors.h"
#include "tessera/keyspace/set.h"

namespace tessera::commands::zset {
namespace {

using keyspace::ZSetValue;

enum class SetOp { kUnion, kInter, kDiff };
enum class Aggregate { kSum, kMin, kMax };

// One input. Plain sets are inputs too, every member scoring 1 (Redis's zuiInitIterator).
struct Source {
  const ZSetValue* zset = nullptr;        // at most one of zset and set is set;
  const keyspace::SetValue* set = nullptr;  // neither: the key is missing (an empty input)
  double weight = 1;

  size_t Size() const {
    if (zset != nullptr) return zset->Size();
    return set == nullptr ? 0 : set->Size();
  }
  std::optional<double> Find(std::string_view member) const {
    if (zset != nullptr) return zset->Score(member);
    if (set != nullptr && set->Contains(member)) return 1.0;
    return std::nullopt;
  }
  void ForEach(ZSetValue::EntryFn fn) const {
    if (zset != nullptr) return zset->ForEach(fn);
    if (set != nullptr) set->ForEach([&](std::string_view m) { fn(m, 1.0); });
  }
};

void AggregateInto(double* target, double value, Aggregate agg) {
  switch (agg) {
    case Aggregate::kSum:
      *target += value;
      // inf + -inf: Redis keeps 0 rather than NaN.
      if (std::isnan(*target)) *target = 0;
      break;
    case Aggregate::kMin:
      *target = value < *target ? value : *target;
      break;
    case Aggregate::kMax:
      *target = value > *target ? value : *target;
      break;
  }
}

double Weighted(double score, double weight) {
  double v = score * weight;
  return std::isnan(v) ? 0 : v;  // 0 * inf
}

struct Request {
  SetOp op;
  bool cardinality_only = false;
  const std::string* dst = nullptr;
  Aggregate agg = Aggregate::kSum;
  bool withscores = false;
  int64_t limit = 0;  // ZINTERCARD; 0 is no limit
  std::vector<Source> sources;
};

// Parses numkeys, looks the keys up (type errors come before option errors, as in Redis) and
// parses the options. Replies and returns false on error.
bool ParseRequest(Call& c, size_t numkeys_at, Request* r) {
  auto setnum = ParseInt(c.arg(numkeys_at));
  if (!setnum) {
    c.Error(err::kNotInteger);
    return false;
  }
  if (*setnum < 1) {
    c.Error(fmt::format("ERR at least 1 input key is needed for '{}' command", c.cmd->name));
    return false;
  }
  if (static_cast<uint64_t>(*setnum) > c.argc() - (numkeys_at + 1)) {
    c.SyntaxError();
    return false;
  }
  size_t j = numkeys_at + 1;
  for (int64_t i = 0; i < *setnum; ++i, ++j) {
    keyspace::Object* o = c.LookupRead(c.arg(j));
    Source s;
    if (o != nullptr) {
      if (o->type() == keyspace::ObjType::kZSet) {
        s.zset = &o->zset();
      } else if (o->type() == keyspace::ObjType::kSet) {
        s.set = &o->set();
      } else {
        c.WrongType();
        return false;
      }
    }
    r->sources.push_back(s);
  }
  bool weights_ok = r->op != SetOp::kDiff && !r->cardinality_only;
  while (j < c.argc()) {
    size_t remaining = c.argc() - j;
    std::string_view a = c.arg(j);
    if (weights_ok && remaining >= r->sources.size() + 1 && EqualsIgnoreCase(a, "weights")) {
      ++j;
      for (Source& s : r->sources) {
        auto w = ParseDouble(c.arg(j++));
        if (!w) {
          c.Error("ERR weight value is not a float");
          return false;
        }
        s.weight = *w;
      }
    } else if (weights_ok && remaining >= 2 && EqualsIgnoreCase(a, "aggregate")) {
      std::string_view v = c.arg(j + 1);
      if (EqualsIgnoreCase(v, "sum")) {
        r->agg = Aggregate::kSum;
      } else if (EqualsIgnoreCase(v, "min")) {
        r->agg = Aggregate::kMin;
      } else if (EqualsIgnoreCase(v, "max")) {
        r->agg = Aggregate::kMax;
      } else {
        c.SyntaxError();
        return false;
      }
      j += 2;
    } else if (r->dst == nullptr && !r->cardinality_only && EqualsIgnoreCase(a, "withscores")) {
      r->withscores = true;
      ++j;
    } else if (r->cardinality_only && remaining >= 2 && EqualsIgnoreCase(a, "limit")) {
      auto l = ParseInt(c.arg(j + 1));
      if (!l || *l < 0) {
        c.Error("ERR LIMIT can't be negative");
        return false;
      }
      r->limit = *l;
      j += 2;
    } else {
      c.SyntaxError();
      return false;
    }
  }
  return true;
}

// Members and their aggregated scores, unordered. Returns the count only when counting.
size_t Compute(Request& r, Entries* out) {
  std::vector<Source>& src = r.sources;
  if (r.op != SetOp::kDiff) {
    // Smallest first, like Redis's sort by cardinality: it fixes the order in which SUM adds.
    std::stable_sort(src.begin(), src.end(),
                     [](const Source& a, const Source& b) { return a.Size() < b.Size(); });
  }
  size_t count = 0;
  if (r.op == SetOp::kInter) {
    if (src[0].Size() == 0) return 0;
    bool stop = false;
    src[0].ForEach([&](std::string_view m, double s) {
      if (stop) return;
      double score = Weighted(s, src[0].weight);
      for (size_t j = 1; j < src.size(); ++j) {
        auto v = src[j].Find(m);
        if (!v) return;
        AggregateInto(&score, *v * src[j].weight, r.agg);
      }
      ++count;
      if (r.cardinality_only) {
        stop = r.limit > 0 && count >= static_cast<uint64_t>(r.limit);
      } else {
        out->emplace_back(m, score);
      }
    });
  } else if (r.op == SetOp::kUnion) {
    absl::flat_hash_map<std::string, size_t, core::StringHash, core::StringEq> index;
    for (const Source& s : src) {
      s.ForEach([&](std::string_view m, double score) {
        double v = Weighted(score, s.weight);
        auto [it, inserted] = index.try_emplace(m, out->size());
        if (inserted) {
          out->emplace_back(m, v);
        } else {
          AggregateInto(&(*out)[it->second].second, v, r.agg);
        }
      });
    }
  } else {
    src[0].ForEach([&](std::string_view m, double score) {
      for (size_t j = 1; j < src.size(); ++j) {
        if (src[j].Find(m)) return;
      }
      out->emplace_back(m, score);
    });
  }
  return r.cardinality_only ? count : out->size();
}

void SetOpGeneric(Call& c, SetOp op, bool store, bool cardinality_only) {
  Request r;
  r.op = op;
  r.cardinality_only = cardinality_only;
  if (store) r.dst = &c.arg(1);
  if (!ParseRequest(c, store ? 2 : 1, &r)) return;
  Entries entries;
  size_t n = Compute(r, &entries);
  if (cardinality_only) return c.w.Integer(static_cast<int64_t>(n));
  if (store) return StoreEntries(c, *r.dst, entries);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return keyspace::ZLess(a.second, a.first, b.second, b.first);
  });
  ReplyElementsHeader(c, entries.size(), r.withscores);
  for (const auto& [m, s] : entries) ReplyElement(c, m, s, r.withscores);
}

void ZUnion(Call& c) { SetOpGeneric(c, SetOp::kUnion, false, false); }
void ZInter(Call& c) { SetOpGeneric(c, SetOp::kInter, false, false); }
void ZDiff(Call& c) { SetOpGeneric(c, SetOp::kDiff, false, false); }
void ZUnionStore(Call& c) { SetOpGeneric(c, SetOp::kUnion, true, false); }
void ZInterStore(Call& c) { SetOpGeneric(c, SetOp::kInter, true, false); }
void ZDiffStore(Call& c) { SetOpGeneric(c, SetOp::kDiff, true, false); }
void ZInterCard(Call& c) { SetOpGeneric(c, SetOp::kInter, false, true); }

}  // namespace

void RegisterSetOpCommands(CommandTable& t) {
  t.Register("zunion", ZUnion);
  t.Register("zinter", ZInter);
  t.Register("zdiff", ZDiff);
  t.Register("zunionstore", ZUnionStore);
  t.Register("zinterstore", ZInterStore);
  t.Register("zdiffstore", ZDiffStore);
  t.Register("zintercard", ZInterCard);
}

}  // namespace tessera::commands::zset
