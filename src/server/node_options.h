// Translation from the config's typed snapshot to the settings of the server and the engine.
#pragma once

#include <string>

#include "server/config.h"
#include "server/server_settings.h"
#include "tessera/commands/engine.h"

namespace tessera::server {

ServerSettings ToServerSettings(const ServerOptions& o);
// Updates every engine option that follows the config (the engine's own flags stay).
void ApplyEngineOptions(const ServerOptions& o, commands::EngineOptions* e);
std::string LogLevelName(LogLevel l);

}  // namespace tessera::server
