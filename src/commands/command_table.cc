// Command metadata from redis-server 7.0.15 (generated) joined with Tessera's handlers.
#include "tessera/commands/command_table.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "tessera/core/status.h"

namespace tessera::commands {
namespace {

struct GeneratedInfo {
  const char* name;
  int arity;
  uint32_t flags;
  int first_key, last_key, key_step;
  std::string_view info2, info3, docs2, docs3;
};

const GeneratedInfo kGenerated[] = {
#include "commands/command_info_data.inc"
};

}  // namespace

void Command::KeyIndexes(const std::vector<std::string>& argv, std::vector<int>* out) const {
  out->clear();
  if (key_finder != nullptr) {
    key_finder(argv, out);
    return;
  }
  if (first_key <= 0) return;
  int argc = static_cast<int>(argv.size());
  int last = last_key < 0 ? argc + last_key : last_key;
  int step = key_step > 0 ? key_step : 1;
  for (int i = first_key; i <= last && i < argc; i += step) out->push_back(i);
}

CommandTable::CommandTable() {
  for (const auto& g : kGenerated) {
    auto c = std::make_unique<Command>();
    c->name = g.name;
    c->arity = g.arity;
    c->flags = g.flags;
    c->first_key = g.first_key;
    c->last_key = g.last_key;
    c->key_step = g.key_step;
    c->info2 = g.info2;
    c->info3 = g.info3;
    c->docs2 = g.docs2;
    c->docs3 = g.docs3;
    by_name_[c->name] = c.get();
    storage_.push_back(std::move(c));
  }
  for (auto& c : storage_) {
    size_t bar = c->name.find('|');
    if (bar == std::string::npos) continue;
    Command* parent = by_name_.at(c->name.substr(0, bar));
    c->parent = parent;
    parent->subcommands[c->name.substr(bar + 1)] = c.get();
  }
}

void CommandTable::Register(std::string_view name, Handler h, KeyFinder finder) {
  auto it = by_name_.find(name);
  TS_CHECK(it != by_name_.end());
  it->second->handler = h;
  it->second->key_finder = finder;
}

Command* CommandTable::Find(std::string_view name) {
  if (name.size() > 64) return nullptr;
  char lower[64];
  for (size_t i = 0; i < name.size(); ++i) lower[i] = absl::ascii_tolower(name[i]);
  auto it = by_name_.find(std::string_view(lower, name.size()));
  if (it == by_name_.end() || it->second->parent != nullptr) return nullptr;
  Command* c = it->second;
  // A container command counts as implemented when any subcommand is.
  if (c->handler == nullptr) {
    bool any = std::any_of(c->subcommands.begin(), c->subcommands.end(),
                           [](const auto& kv) { return kv.second->handler != nullptr; });
    if (!any) return nullptr;
  }
  return c;
}

std::vector<Command*> CommandTable::Implemented() const {
  std::vector<Command*> out;
  for (const auto& c : storage_) {
    if (c->parent != nullptr) continue;
    bool any = c->handler != nullptr;
    for (const auto& kv : c->subcommands) any = any || kv.second->handler != nullptr;
    if (any) out.push_back(c.get());
  }
  return out;
}

std::vector<Command*> CommandTable::AllImplemented() const {
  std::vector<Command*> out;
  for (const auto& c : storage_) {
    if (c->handler != nullptr) out.push_back(c.get());
  }
  return out;
}

}  // namespace tessera::commands
