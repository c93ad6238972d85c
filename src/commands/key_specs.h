// Redis 7.0 key specs, read back from a command's generated COMMAND INFO reply (Command::info2),
// and the key search they describe (COMMAND GETKEYS / GETKEYSANDFLAGS, COMMAND LIST FILTERBY).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::commands {

struct KeySpec {
  std::vector<std::string> flags;  // "RO", "access", "not_key", "incomplete", ...
  enum class Begin { kIndex, kKeyword, kUnknown } begin = Begin::kUnknown;
  int index = 0;        // kIndex: the first key's position
  std::string keyword;  // kKeyword: the key(s) follow this word...
  int startfrom = 0;    // ...searched from here (negative: backwards from the end)
  enum class Find { kRange, kKeynum, kUnknown } find = Find::kUnknown;
  int lastkey = 0, keystep = 1, limit = 0;  // kRange
  int keynumidx = 0, firstkey = 0;          // kKeynum (keystep shared)

  bool Has(std::string_view flag) const;
};

// What one command's generated info holds beyond its arity and flags.
struct CommandInfoExtra {
  std::vector<std::string> acl_categories;  // without the '@'
  std::vector<KeySpec> key_specs;
};

// Parses the RESP2 COMMAND INFO entry of one command; nullopt if it is malformed (a bug in the
// generated data).
std::optional<CommandInfoExtra> ParseCommandInfo(std::string_view info2);

struct KeyRef {
  int pos;
  const KeySpec* spec;  // whose flags apply
};

// Redis's key-spec search over argv (argv[0] is the command name). Returns false when a spec is
// incomplete or does not fit the arguments (a bad numkeys, keys past the end); `out` then holds
// nothing.
bool KeysFromSpecs(const std::vector<KeySpec>& specs, const std::vector<std::string>& argv,
                   std::vector<KeyRef>* out);

}  // namespace tessera::commands
