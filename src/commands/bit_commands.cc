// Bit commands.
#include "tessera/commands/engine.h"

namespace tessera::commands {

void RegisterBitCommands(CommandTable& t) { (void)t; }

}  // namespace tessera::commands
