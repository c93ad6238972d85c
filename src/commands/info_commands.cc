// Info commands.
#include "tessera/commands/engine.h"

namespace tessera::commands {

void RegisterInfoCommands(CommandTable& t) { (void)t; }

}  // namespace tessera::commands
