// Server commands.
#include "tessera/commands/engine.h"

namespace tessera::commands {

void RegisterServerCommands(CommandTable& t) { (void)t; }

}  // namespace tessera::commands
