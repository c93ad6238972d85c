// Shared by the list command files (list_commands.cc, list_access_commands.cc).
#pragma once

#include <optional>
#include <string_view>

#include "tessera/commands/engine.h"
#include "tessera/keyspace/list.h"

namespace tessera::commands {

// The list at key, nullptr when missing; nullopt after a WRONGTYPE reply. The ListValue lives in
// its own allocation, so the pointer survives changes to other keys.
std::optional<keyspace::ListValue*> FindList(Call& c, std::string_view key);

void RegisterListAccessCommands(CommandTable& t);

}  // namespace tessera::commands
