// Shared by the blocking commands (BLPOP and family in list_blocking_commands.cc, BZPOPMIN and
// family in zset_blocking.cc); the registry itself is Engine's (blocking.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/commands/engine.h"

namespace tessera::commands {

// Redis 7.0's getTimeoutFromObjectOrReply in seconds: a long double, truncated to whole
// milliseconds (so 0.0001 and -0.0001 both mean "forever"). Replies the error and returns nullopt
// when invalid, negative or too far in the future.
std::optional<int64_t> ParseBlockTimeout(Call& c, std::string_view arg);

// The end of a blocking command whose keys are all empty: blocks the client on `keys`, or, when it
// cannot block (inside EXEC), replies as a timeout would: `null_bulk` for BLMOVE/BRPOPLPUSH
// (Redis answers those with a null bulk there), a null array otherwise.
void BlockOrReplyNull(Call& c, std::vector<std::string> keys, int64_t timeout_ms,
                      BlockedServeFn serve, bool null_bulk = false);

}  // namespace tessera::commands
