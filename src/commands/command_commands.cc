// COMMAND and its subcommands (COUNT, INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS, HELP): the
// generated Redis 7.0.15 metadata of the commands Tessera implements.
#include "absl/strings/ascii.h"
#include "commands/key_specs.h"
#include "commands/server_family.h"
#include "commands/util.h"
#include "tessera/commands/engine.h"
#include "tessera/core/glob.h"

namespace tessera::commands {
namespace {

// "get" or "config|get", case-insensitive; nullptr when unknown or not implemented.
Command* LookupFullName(CommandTable& t, std::string_view name) {
  size_t bar = name.find('|');
  Command* top = t.Find(name.substr(0, bar));
  if (top == nullptr || bar == std::string_view::npos) return top;
  auto it = top->subcommands.find(absl::AsciiStrToLower(std::string(name.substr(bar + 1))));
  if (it == top->subcommands.end() || it->second->handler == nullptr) return nullptr;
  return it->second;
}

void ReplyInfo(Call& c, const Command* cmd) {
  c.w.Raw(c.client.proto == 3 ? cmd->info3 : cmd->info2);
}

void CommandAll(Call& c) {
  auto all = c.engine.table().Implemented();
  c.w.ArrayHeader(static_cast<int64_t>(all.size()));
  for (const Command* cmd : all) ReplyInfo(c, cmd);
}

void CommandCount(Call& c) {
  c.w.Integer(static_cast<int64_t>(c.engine.table().Implemented().size()));
}

void CommandInfo(Call& c) {
  if (c.argc() == 2) {
    CommandAll(c);
    return;
  }
  c.w.ArrayHeader(static_cast<int64_t>(c.argc() - 2));
  for (size_t i = 2; i < c.argc(); ++i) {
    const Command* cmd = LookupFullName(c.engine.table(), c.arg(i));
    if (cmd == nullptr) {
      c.w.Null();
    } else {
      ReplyInfo(c, cmd);
    }
  }
}

void CommandDocs(Call& c) {
  std::vector<const Command*> found;
  if (c.argc() == 2) {
    for (const Command* cmd : c.engine.table().Implemented()) found.push_back(cmd);
  } else {
    for (size_t i = 2; i < c.argc(); ++i) {
      if (const Command* cmd = LookupFullName(c.engine.table(), c.arg(i))) found.push_back(cmd);
    }
  }
  c.w.MapHeader(static_cast<int64_t>(found.size()));
  for (const Command* cmd : found) {
    c.w.Bulk(cmd->name);
    c.w.Raw(c.client.proto == 3 ? cmd->docs3 : cmd->docs2);
  }
}

// The implemented commands and subcommands, as COMMAND LIST walks them.
std::vector<const Command*> ListAll(CommandTable& t) {
  std::vector<const Command*> out;
  for (const Command* cmd : t.Implemented()) {
    out.push_back(cmd);
    for (const auto& [n, sub] : cmd->subcommands) {
      if (sub->handler != nullptr) out.push_back(sub);
    }
  }
  return out;
}

bool InAclCategory(const Command* cmd, std::string_view category) {
  auto extra = ParseCommandInfo(cmd->info2);
  if (!extra) return false;
  for (const auto& cat : extra->acl_categories) {
    if (EqualsIgnoreCase(cat, category)) return true;
  }
  return false;
}

void CommandList(Call& c) {
  enum class Filter { kNone, kModule, kAclCat, kPattern } filter = Filter::kNone;
  if (c.argc() == 5 && EqualsIgnoreCase(c.arg(2), "filterby")) {
    if (EqualsIgnoreCase(c.arg(3), "module"))
      filter = Filter::kModule;
    else if (EqualsIgnoreCase(c.arg(3), "aclcat"))
      filter = Filter::kAclCat;
    else if (EqualsIgnoreCase(c.arg(3), "pattern"))
      filter = Filter::kPattern;
    else {
      c.SyntaxError();
      return;
    }
  } else if (c.argc() != 2) {
    c.SyntaxError();
    return;
  }
  std::vector<const Command*> out;
  for (const Command* cmd : ListAll(c.engine.table())) {
    bool keep = filter == Filter::kNone ||
                (filter == Filter::kAclCat && InAclCategory(cmd, c.arg(4))) ||
                (filter == Filter::kPattern && core::GlobMatch(c.arg(4), cmd->name, true));
    // Tessera has no modules, so FILTERBY MODULE matches nothing.
    if (keep) out.push_back(cmd);
  }
  c.w.ArrayHeader(static_cast<int64_t>(out.size()));
  for (const Command* cmd : out) c.w.Bulk(cmd->name);
}

// COMMAND GETKEYS resolves "config get" to the subcommand like the dispatcher does.
const Command* LookupForGetKeys(CommandTable& t, const std::vector<std::string>& argv) {
  Command* cmd = t.Find(argv[0]);
  if (cmd == nullptr || cmd->subcommands.empty() || argv.size() == 1) return cmd;
  auto it = cmd->subcommands.find(absl::AsciiStrToLower(argv[1]));
  if (it == cmd->subcommands.end() || it->second->handler == nullptr) return nullptr;
  return it->second;
}

// Flags as GETKEYSANDFLAGS prints them: the spec's, without the spec-only markers.
std::vector<std::string_view> KeyFlags(const KeySpec* spec) {
  std::vector<std::string_view> flags;
  if (spec == nullptr) return flags;
  for (const auto& f : spec->flags) {
    if (f != "incomplete" && f != "variable_flags") flags.push_back(f);
  }
  return flags;
}

// The two commands whose key flags depend on their arguments (VARIABLE_FLAGS specs), decided as
// Redis's SET and BITFIELD key callbacks do.
std::vector<std::string_view> VariableKeyFlags(const Command* cmd,
                                               const std::vector<std::string>& argv) {
  if (cmd->name == "set") {
    for (size_t i = 3; i < argv.size(); ++i) {
      if (EqualsIgnoreCase(argv[i], "get")) return {"RW", "access", "update"};
    }
    return {"OW", "update"};
  }
  for (size_t i = 2; i < argv.size(); ++i) {
    if (EqualsIgnoreCase(argv[i], "set") || EqualsIgnoreCase(argv[i], "incrby")) {
      return {"RW", "access", "update"};
    }
  }
  return {"RO", "access"};
}

void GetKeys(Call& c, bool with_flags) {
  std::vector<std::string> argv(c.argv.begin() + 2, c.argv.end());
  const Command* cmd = LookupForGetKeys(c.engine.table(), argv);
  if (cmd == nullptr) {
    c.Error("ERR Invalid command specified");
    return;
  }
  auto extra = ParseCommandInfo(cmd->info2);
  std::vector<KeySpec> specs = extra ? std::move(extra->key_specs) : std::vector<KeySpec>{};
  bool has_keyspec = false, has_varflags = false;
  for (const auto& s : specs) {
    has_keyspec = has_keyspec || !s.Has("not_key");
    has_varflags = has_varflags || s.Has("variable_flags");
  }
  if (!has_keyspec && cmd->key_finder == nullptr) {
    c.Error("ERR The command has no key arguments");
    return;
  }
  if (!cmd->ArityOk(argv.size())) {
    c.Error("ERR Invalid number of arguments specified for command");
    return;
  }
  // Redis prefers the specs when they are complete and their flags fixed; otherwise the
  // command's own key finder decides (a key then takes the flags of the spec at its rank).
  std::vector<KeyRef> keys;
  bool from_specs = has_keyspec && !has_varflags && KeysFromSpecs(specs, argv, &keys);
  if (!from_specs && cmd->key_finder != nullptr) {
    std::vector<int> idx;
    cmd->key_finder(argv, &idx);
    keys.clear();
    for (size_t i = 0; i < idx.size(); ++i) {
      const KeySpec* s = specs.empty() ? nullptr : &specs[std::min(i, specs.size() - 1)];
      keys.push_back(KeyRef{idx[i], s});
    }
  } else if (!from_specs && has_varflags) {
    KeysFromSpecs(specs, argv, &keys);
  }
  if (keys.empty()) {
    if (cmd->Has(kNoMandatoryKeys)) {
      c.w.ArrayHeader(0);
    } else {
      c.Error("ERR Invalid arguments specified for command");
    }
    return;
  }
  c.w.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (const KeyRef& k : keys) {
    if (with_flags) c.w.ArrayHeader(2);
    c.w.Bulk(argv[static_cast<size_t>(k.pos)]);
    if (!with_flags) continue;
    auto flags = has_varflags ? VariableKeyFlags(cmd, argv) : KeyFlags(k.spec);
    c.w.SetHeader(static_cast<int64_t>(flags.size()));
    for (auto f : flags) c.w.Simple(f);
  }
}

void CommandGetKeys(Call& c) { GetKeys(c, false); }
void CommandGetKeysAndFlags(Call& c) { GetKeys(c, true); }

// Bare COMMAND (with arguments the dispatcher picks a subcommand or rejects it).
void Command_(Call& c) { CommandAll(c); }

void CommandHelp(Call& c) {
  ReplyHelp(c, {"(no subcommand)", "    Return details about all Redis commands.", "COUNT",
                "    Return the total number of commands in this Redis server.", "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.", "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.", "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.", "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command."});
}

}  // namespace

void RegisterCommandCommands(CommandTable& t) {
  t.Register("command", Command_);
  t.Register("command|count", CommandCount);
  t.Register("command|info", CommandInfo);
  t.Register("command|docs", CommandDocs);
  t.Register("command|list", CommandList);
  t.Register("command|getkeys", CommandGetKeys);
  t.Register("command|getkeysandflags", CommandGetKeysAndFlags);
  t.Register("command|help", CommandHelp);
}

}  // namespace tessera::commands
