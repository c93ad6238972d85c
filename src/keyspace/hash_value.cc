// HashValue: listpack and hashtable forms and the conversion between them (see hash.h).
#include <algorithm>
#include <string>

#include "keyspace/dense_table.h"
#include "tessera/keyspace/hash.h"

namespace tessera::keyspace {
namespace {

struct FieldKey {
  static std::string_view Get(const std::pair<std::string, std::string>& e) { return e.first; }
};

// malloc's usable size for a std::string's heap buffer, or 0 when it is stored inline.
constexpr size_t kMemorySamples = 16;

size_t StringHeap(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }

}  // namespace

struct HashValue::Table : DenseTable<std::pair<std::string, std::string>, FieldKey> {};

HashValue::HashValue() = default;
HashValue::HashValue(const HashValue& other)
    : lp_(other.lp_), table_(other.table_ ? std::make_unique<Table>(*other.table_) : nullptr) {}
HashValue::HashValue(HashValue&& other) noexcept = default;
HashValue::~HashValue() = default;

size_t HashValue::Size() const { return table_ ? table_->size() : lp_.count() / 2; }

size_t HashValue::FindPacked(std::string_view field) const {
  for (size_t p = lp_.Begin(); p < lp_.End(); p = lp_.Next(lp_.Next(p))) {
    if (lp_.At(p) == field) return p;
  }
  return lp_.End();
}

std::optional<std::string_view> HashValue::Get(std::string_view field) const {
  if (table_) {
    const auto* e = table_->Find(field);
    if (e == nullptr) return std::nullopt;
    return std::string_view(e->second);
  }
  size_t p = FindPacked(field);
  if (p == lp_.End()) return std::nullopt;
  return lp_.At(lp_.Next(p));
}

void HashValue::CheckLength(size_t len, const EncodingLimits& limits) {
  if (!table_ && len > limits.hash_max_listpack_value) ConvertToHashtable();
}

bool HashValue::Set(std::string_view field, std::string_view value, const EncodingLimits& limits) {
  CheckLength(field.size(), limits);
  CheckLength(value.size(), limits);
  if (table_) {
    if (auto* e = table_->Find(field)) {
      e->second.assign(value);
      return false;
    }
    table_->Add({std::string(field), std::string(value)});
    return true;
  }
  size_t p = FindPacked(field);
  if (p != lp_.End()) {
    lp_.Replace(lp_.Next(p), value);
    return false;
  }
  lp_.PushBack(field);
  lp_.PushBack(value);
  if (Size() > limits.hash_max_listpack_entries) ConvertToHashtable();
  return true;
}

bool HashValue::Delete(std::string_view field) {
  if (table_) return table_->Erase(field);
  size_t p = FindPacked(field);
  if (p == lp_.End()) return false;
  lp_.Erase(p, 2);
  return true;
}

void HashValue::ConvertToHashtable() {
  if (table_) return;
  auto t = std::make_unique<Table>();
  t->reserve(lp_.count() / 2);
  for (size_t p = lp_.Begin(); p < lp_.End(); p = lp_.Next(lp_.Next(p))) {
    t->Add({std::string(lp_.At(p)), std::string(lp_.At(lp_.Next(p)))});
  }
  lp_.Clear();
  table_ = std::move(t);
}

std::pair<std::string_view, std::string_view> HashValue::At(size_t i) const {
  if (table_) {
    const auto& e = table_->at(i);
    return {e.first, e.second};
  }
  size_t p = lp_.Begin();
  for (size_t k = 0; k < i; ++k) p = lp_.Next(lp_.Next(p));
  return {lp_.At(p), lp_.At(lp_.Next(p))};
}

void HashValue::ForEach(FieldFn fn) const {
  if (table_) {
    for (size_t i = 0; i < table_->size(); ++i) fn(table_->at(i).first, table_->at(i).second);
    return;
  }
  for (size_t p = lp_.Begin(); p < lp_.End(); p = lp_.Next(lp_.Next(p))) {
    fn(lp_.At(p), lp_.At(lp_.Next(p)));
  }
}

uint64_t HashValue::Scan(uint64_t cursor, size_t count, FieldFn fn) const {
  if (!table_) {
    ForEach(fn);
    return 0;
  }
  // The cursor is the number of positions still to visit, walking down from the end. Erasing
  // moves the last entry into the hole: that entry was visited already (then it is at worst seen
  // twice) unless nothing above the cursor is left, and then it stays below the cursor. Entries
  // added during the scan land above the cursor and may be missed, which SCAN allows.
  uint64_t left = cursor == 0 ? table_->size() : std::min<uint64_t>(cursor, table_->size());
  for (size_t n = 0; n < std::max<size_t>(count, 1) && left > 0; ++n) {
    --left;
    fn(table_->at(left).first, table_->at(left).second);
  }
  return left;
}

size_t HashValue::MemoryUsage() const {
  size_t n = sizeof(HashValue) + lp_.AllocatedBytes();
  if (table_) {
    n += sizeof(Table) + table_->OverheadBytes();
    // Like MEMORY USAGE's sampling: the first few entries stand for all of them.
    size_t sampled = std::min<size_t>(table_->size(), kMemorySamples), heap = 0;
    for (size_t i = 0; i < sampled; ++i) {
      heap += StringHeap(table_->at(i).first) + StringHeap(table_->at(i).second);
    }
    if (sampled > 0) n += heap * table_->size() / sampled;
  }
  return n;
}

}  // namespace tessera::keyspace
