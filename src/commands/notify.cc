// Keyspace notifications (notify-keyspace-events): the two channels Redis 7.0 publishes on for
// each event of an enabled class. Handlers call Call::Notify after their writes.
#include "tessera/commands/notify.h"

#include <string>

#include "fmt/format.h"
#include "tessera/commands/engine.h"

namespace tessera::commands {

void Engine::NotifyKeyspaceEvent(uint32_t type, std::string_view event, std::string_view key,
                                 int db) {
  uint32_t flags = opts_.notify_keyspace_events;
  if ((flags & type) == 0 || (flags & (notify::kKeyspace | notify::kKeyevent)) == 0) return;
  if (flags & notify::kKeyspace) {
    std::string channel = fmt::format("__keyspace@{}__:", db);
    channel.append(key);
    Publish(channel, event);
  }
  if (flags & notify::kKeyevent) {
    std::string channel = fmt::format("__keyevent@{}__:", db);
    channel.append(event);
    Publish(channel, key);
  }
}

}  // namespace tessera::commands
