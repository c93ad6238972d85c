// SetValue: intset and hashtable forms and the conversion between them (see set.h).
#include <algorithm>
#include <charconv>

#include "keyspace/dense_table.h"
#include "tessera/keyspace/set.h"

namespace tessera::keyspace {
namespace {

struct MemberKey {
  static std::string_view Get(const std::string& s) { return s; }
};

constexpr size_t kMemorySamples = 16;

std::string IntToString(int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  (void)ec;
  return std::string(buf, end);
}

}  // namespace

struct SetValue::Table : DenseTable<std::string, MemberKey> {};

SetValue::SetValue() = default;
SetValue::SetValue(const SetValue& other)
    : ints_(other.ints_), table_(other.table_ ? std::make_unique<Table>(*other.table_) : nullptr) {}
SetValue::~SetValue() = default;

size_t SetValue::Size() const { return table_ ? table_->size() : ints_.size(); }

bool SetValue::Add(std::string_view member, const EncodingLimits& limits) {
  if (!table_) {
    if (auto v = ParseCanonicalInt(member)) {
      if (!ints_.Insert(*v)) return false;
      if (ints_.size() > limits.set_max_intset_entries) ConvertToHashtable();
      return true;
    }
    ConvertToHashtable();
  }
  if (table_->Find(member) != nullptr) return false;
  table_->Add(std::string(member));
  return true;
}

bool SetValue::Remove(std::string_view member) {
  if (table_) return table_->Erase(member);
  auto v = ParseCanonicalInt(member);
  return v && ints_.Erase(*v);
}

bool SetValue::Contains(std::string_view member) const {
  if (table_) return table_->Find(member) != nullptr;
  auto v = ParseCanonicalInt(member);
  return v && ints_.Contains(*v);
}

void SetValue::ConvertToHashtable() {
  if (table_) return;
  auto t = std::make_unique<Table>();
  // Exact: most sets that convert are about to get one member (SADD of a string).
  t->reserve(ints_.size() + 1);
  for (size_t i = 0; i < ints_.size(); ++i) t->Add(IntToString(ints_.At(i)));
  ints_ = IntSet();
  table_ = std::move(t);
}

void SetValue::Reserve(size_t n) {
  if (table_) table_->reserve(n);
}

std::string SetValue::At(size_t i) const {
  return table_ ? table_->at(i) : IntToString(ints_.At(i));
}

std::string SetValue::TakeAt(size_t i) {
  if (!table_) {
    std::string s = IntToString(ints_.At(i));
    ints_.EraseAt(i);
    return s;
  }
  return table_->TakeAt(i);
}

void SetValue::ForEach(MemberFn fn) const {
  if (table_) {
    for (size_t i = 0; i < table_->size(); ++i) fn(table_->at(i));
    return;
  }
  char buf[24];
  for (size_t i = 0; i < ints_.size(); ++i) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), ints_.At(i));
    (void)ec;
    fn(std::string_view(buf, static_cast<size_t>(end - buf)));
  }
}

uint64_t SetValue::Scan(uint64_t cursor, size_t count, MemberFn fn) const {
  if (!table_) {
    ForEach(fn);
    return 0;
  }
  // Same walk as HashValue::Scan (see there for why it keeps SCAN's guarantee).
  uint64_t left = cursor == 0 ? table_->size() : std::min<uint64_t>(cursor, table_->size());
  for (size_t n = 0; n < std::max<size_t>(count, 1) && left > 0; ++n) {
    --left;
    fn(table_->at(left));
  }
  return left;
}

size_t SetValue::MemoryUsage() const {
  size_t n = sizeof(SetValue) + ints_.bytes();
  if (table_) {
    n += sizeof(Table) + table_->OverheadBytes();
    size_t sampled = std::min<size_t>(table_->size(), kMemorySamples), heap = 0;
    for (size_t i = 0; i < sampled; ++i) {
      const std::string& s = table_->at(i);
      heap += s.capacity() > 15 ? s.capacity() + 1 : 0;
    }
    if (sampled > 0) n += heap * table_->size() / sampled;
  }
  return n;
}

}  // namespace tessera::keyspace
