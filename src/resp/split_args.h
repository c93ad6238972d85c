// Splits an inline request line into arguments with Redis's quoting rules (sdssplitargs).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::resp {

// Splits `line` (no terminator, no NUL) into (*args)[0, *argc). Strings already in *args are
// reused as storage; entries past *argc are left alone. Returns false on unbalanced quotes,
// which includes a closing quote followed by anything but a space.
bool SplitInlineArgs(std::string_view line, std::vector<std::string>* args, size_t* argc);

}  // namespace tessera::resp
