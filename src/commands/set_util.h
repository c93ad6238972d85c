// Shared by the set command files (set_commands.cc, set_algebra_commands.cc).
#pragma once

#include <optional>
#include <string_view>

#include "tessera/commands/engine.h"
#include "tessera/keyspace/set.h"

namespace tessera::commands {

// The set at key, nullptr when missing; nullopt after a WRONGTYPE reply. The SetValue lives in
// its own allocation, so the pointer survives changes to other keys.
std::optional<keyspace::SetValue*> FindSet(Call& c, std::string_view key);

void RegisterSetAlgebraCommands(CommandTable& t);

}  // namespace tessera::commands
