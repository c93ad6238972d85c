// Client commands.
#include "tessera/commands/engine.h"

namespace tessera::commands {

void RegisterClientCommands(CommandTable& t) { (void)t; }

}  // namespace tessera::commands
