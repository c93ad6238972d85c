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

enum class End { kHead, kTail };

// LEFT/RIGHT, case-insensitive; replies a syntax error otherwise.
std::optional<End> ParseEnd(Call& c, std::string_view s);

// Pops up to count elements from key's list (which exists and is not empty) as an array; deletes
// the key when the list empties.
void PopRange(Call& c, std::string_view key, keyspace::ListValue& l, End end, size_t count);
// Pops one element from key's list (which exists) and replies [key, element] (BLPOP's shape).
void PopWithKey(Call& c, std::string_view key, keyspace::ListValue& l, End end);

// LMOVE's work on argv[1] (source) and argv[2] (destination), shared with BLMOVE/BRPOPLPUSH.
void MoveGeneric(Call& c, End from, End to);

// LMPOP/BLMPOP arguments from numkeys at argv[numkeys_at]: the keys are
// argv[first_key, first_key + numkeys). Replies the error and returns false when invalid.
struct MPopArgs {
  size_t first_key = 0;
  size_t numkeys = 0;
  End end = End::kHead;
  size_t count = 1;
};
bool ParseMPopArgs(Call& c, size_t numkeys_at, MPopArgs* out);

void RegisterListAccessCommands(CommandTable& t);
void RegisterListBlockingCommands(CommandTable& t);

}  // namespace tessera::commands
