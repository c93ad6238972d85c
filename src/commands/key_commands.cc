// Key commands.
#include "tessera/commands/engine.h"

namespace tessera::commands {

void RegisterKeyCommands(CommandTable& t) { (void)t; }

}  // namespace tessera::commands
