// Private to the key-command files: each registers its part of the generic key commands, and
// RegisterKeyCommands (key_commands.cc) calls them all.
#pragma once

#include <string_view>

namespace tessera::commands {

class Call;
class CommandTable;

void RegisterExpireCommands(CommandTable& t);  // expire_commands.cc
void RegisterScanCommands(CommandTable& t);    // scan_commands.cc
void RegisterObjectCommands(CommandTable& t);  // object_commands.cc

// Parses a DB index argument like Redis's getIntFromObjectOrReply (COPY DB, MOVE): replies the
// integer or int-range error and returns false when it is not an int. Range against the
// configured databases is the caller's check.
bool ParseDbIndexArg(Call& c, std::string_view arg, int* out);

}  // namespace tessera::commands
