// SetValue: the intset, packed and table forms and the conversions between them (see set.h).
#include <algorithm>
#include <charconv>

#include "keyspace/dense_table.h"
#include "tessera/keyspace/set.h"

namespace tessera::keyspace {
namespace {

// The packed form holds a "hashtable" set while it has at most this many members of at most
// kPackedMaxMemberBytes each (a linear search over them stays cheap). Redis 7.0 has no listpack
// sets, so these are not config limits, and OBJECT ENCODING still says "hashtable" for the packed
// form: only MEMORY USAGE and INFO's used_memory can tell.
constexpr size_t kPackedMaxMembers = 128;
constexpr size_t kPackedMaxMemberBytes = 64;

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

// Offset of the member's entry, or p.End().
size_t FindPacked(const PackedFields& p, std::string_view member) {
  for (size_t pos = p.Begin(); pos < p.End(); pos = p.Next(pos)) {
    if (p.At(pos) == member) return pos;
  }
  return p.End();
}

// Offset of the i-th entry; i <= p.count().
size_t PackedPos(const PackedFields& p, size_t i) {
  size_t pos = p.Begin();
  for (size_t k = 0; k < i; ++k) pos = p.Next(pos);
  return pos;
}

}  // namespace

struct SetValue::Table : DenseTable<std::string, MemberKey> {};

// Object keeps a value in place only when it fits 16 bytes (object.cc, kInPlace); a heap-allocated
// set would cost a pointer chase and a block per key.
static_assert(sizeof(SetValue) <= 16);
static_assert(sizeof(IntSet) == sizeof(void*));

SetValue::SetValue() = default;

SetValue::SetValue(const SetValue& other) {
  if (const auto* p = std::get_if<PackedFields>(&other.rep_)) {
    rep_ = *p;
  } else if (const auto* t = std::get_if<std::unique_ptr<Table>>(&other.rep_)) {
    rep_ = std::make_unique<Table>(**t);
  } else {
    rep_ = other.intset();
  }
}

SetValue::SetValue(SetValue&& other) noexcept : rep_(std::move(other.rep_)) {
  other.rep_.emplace<IntSet>();
}

SetValue::~SetValue() = default;

size_t SetValue::Size() const {
  if (const auto* p = std::get_if<PackedFields>(&rep_)) return p->count();
  if (const auto* t = std::get_if<std::unique_ptr<Table>>(&rep_)) return (*t)->size();
  return intset().size();
}

bool SetValue::Add(std::string_view member, const EncodingLimits& limits) {
  if (auto* ints = std::get_if<IntSet>(&rep_)) {
    if (auto v = ParseCanonicalInt(member)) {
      if (!ints->Insert(*v)) return false;
      if (ints->size() > limits.set_max_intset_entries) ConvertToHashtable();
      return true;
    }
    ConvertToHashtable();
  }
  if (auto* p = std::get_if<PackedFields>(&rep_)) {
    if (FindPacked(*p, member) != p->End()) return false;
    if (member.size() <= kPackedMaxMemberBytes && p->count() < kPackedMaxMembers) {
      p->PushBack(member);
      return true;
    }
    // Absent, so it is new to the table too.
    ConvertToTable(p->count() + 1);
    std::get<std::unique_ptr<Table>>(rep_)->Add(std::string(member));
    return true;
  }
  Table& t = *std::get<std::unique_ptr<Table>>(rep_);
  if (t.Find(member) != nullptr) return false;
  t.Add(std::string(member));
  return true;
}

bool SetValue::Remove(std::string_view member) {
  if (auto* p = std::get_if<PackedFields>(&rep_)) {
    size_t pos = FindPacked(*p, member);
    if (pos == p->End()) return false;
    p->Erase(pos);
    return true;
  }
  if (auto* t = std::get_if<std::unique_ptr<Table>>(&rep_)) return (*t)->Erase(member);
  auto v = ParseCanonicalInt(member);
  return v && std::get<IntSet>(rep_).Erase(*v);
}

bool SetValue::Contains(std::string_view member) const {
  if (const auto* p = std::get_if<PackedFields>(&rep_)) return FindPacked(*p, member) != p->End();
  if (const auto* t = std::get_if<std::unique_ptr<Table>>(&rep_)) {
    return (*t)->Find(member) != nullptr;
  }
  auto v = ParseCanonicalInt(member);
  return v && intset().Contains(*v);
}

void SetValue::ConvertToHashtable() {
  const auto* ints = std::get_if<IntSet>(&rep_);
  if (ints == nullptr) return;
  // Integers are at most 20 bytes, so only the count can rule the packed form out.
  if (ints->size() > kPackedMaxMembers) {
    // Exact: most sets that convert are about to get one member (SADD of a string).
    ConvertToTable(ints->size() + 1);
    return;
  }
  PackedFields p;
  for (size_t i = 0; i < ints->size(); ++i) p.PushBack(IntToString(ints->At(i)));
  rep_ = std::move(p);
}

void SetValue::ConvertToTable(size_t reserve) {
  if (auto* t = std::get_if<std::unique_ptr<Table>>(&rep_)) {
    (*t)->reserve(reserve);
    return;
  }
  auto t = std::make_unique<Table>();
  t->reserve(std::max(reserve, Size()));
  // In At's order, so a scan in progress keeps its place (see Scan).
  ForEach([&](std::string_view m) { t->Add(std::string(m)); });
  rep_ = std::move(t);
}

void SetValue::Reserve(size_t n) {
  if (IsIntset()) return;
  if (rep_.index() == kTableForm || n > kPackedMaxMembers) ConvertToTable(n);
}

std::string SetValue::At(size_t i) const {
  if (const auto* p = std::get_if<PackedFields>(&rep_)) {
    return std::string(p->At(PackedPos(*p, i)));
  }
  if (const auto* t = std::get_if<std::unique_ptr<Table>>(&rep_)) return (*t)->at(i);
  return IntToString(intset().At(i));
}

std::string SetValue::TakeAt(size_t i) {
  if (auto* p = std::get_if<PackedFields>(&rep_)) {
    size_t pos = PackedPos(*p, i);
    std::string s(p->At(pos));
    p->Erase(pos);
    return s;
  }
  if (auto* t = std::get_if<std::unique_ptr<Table>>(&rep_)) return (*t)->TakeAt(i);
  auto& ints = std::get<IntSet>(rep_);
  std::string s = IntToString(ints.At(i));
  ints.EraseAt(i);
  return s;
}

void SetValue::ForEach(MemberFn fn) const {
  if (const auto* p = std::get_if<PackedFields>(&rep_)) {
    p->ForEach(fn);
    return;
  }
  if (const auto* t = std::get_if<std::unique_ptr<Table>>(&rep_)) {
    for (size_t i = 0; i < (*t)->size(); ++i) fn((*t)->at(i));
    return;
  }
  char buf[24];
  const IntSet& ints = intset();
  for (size_t i = 0; i < ints.size(); ++i) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), ints.At(i));
    (void)ec;
    fn(std::string_view(buf, static_cast<size_t>(end - buf)));
  }
}

uint64_t SetValue::Scan(uint64_t cursor, size_t count, MemberFn fn) const {
  if (IsIntset()) {
    ForEach(fn);
    return 0;
  }
  // The walk of HashValue::Scan (see there for why it keeps SCAN's guarantee) over positions.
  // The packed form closes a hole by shifting later members down, which also never moves an
  // unvisited member above the cursor; converting to the table keeps every position.
  size_t size = Size();
  uint64_t left = cursor == 0 ? size : std::min<uint64_t>(cursor, size);
  uint64_t first = left - std::min<uint64_t>(std::max<size_t>(count, 1), left);
  if (const auto* p = std::get_if<PackedFields>(&rep_)) {
    size_t pos = PackedPos(*p, first);
    for (uint64_t i = first; i < left; ++i, pos = p->Next(pos)) fn(p->At(pos));
    return first;
  }
  const Table& t = *std::get<std::unique_ptr<Table>>(rep_);
  for (uint64_t i = left; i > first; --i) fn(t.at(i - 1));
  return first;
}

size_t SetValue::MemoryUsage() const {
  size_t n = sizeof(SetValue);
  if (const auto* p = std::get_if<PackedFields>(&rep_)) return n + p->AllocatedBytes();
  const auto* t = std::get_if<std::unique_ptr<Table>>(&rep_);
  if (t == nullptr) return n + intset().AllocatedBytes();
  const Table& table = **t;
  n += sizeof(Table) + table.OverheadBytes();
  // Like MEMORY USAGE's sampling: the first few members stand for all of them.
  size_t sampled = std::min<size_t>(table.size(), kMemorySamples), heap = 0;
  for (size_t i = 0; i < sampled; ++i) {
    const std::string& s = table.at(i);
    heap += s.capacity() > 15 ? s.capacity() + 1 : 0;
  }
  if (sampled > 0) n += heap * table.size() / sampled;
  return n;
}

}  // namespace tessera::keyspace
