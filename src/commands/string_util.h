// Helpers shared by the string and bit command files (string_*.cc, bit_commands.cc,
// bitfield.cc): typed lookups, new values, and Redis's size limits on strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tessera/commands/engine.h"
#include "tessera/keyspace/object.h"

namespace tessera::commands {

// Outcome of a typed lookup: the string object (nullptr when the key is missing), or a wrong
// type, in which case WRONGTYPE has already been replied.
struct StringLookup {
  keyspace::Object* obj = nullptr;
  bool wrong_type = false;
};

// Looks `key` up (with lazy expiry) and checks that it holds a string.
StringLookup FindString(Call& c, std::string_view key);

// A string value stamped with the current access time, as Redis stamps new objects.
keyspace::Object NewString(const Call& c, std::string s,
                           keyspace::StringHint hint = keyspace::StringHint::kAuto);

// Redis's checkStringLength: a string of offset + len bytes must fit in proto-max-bulk-len
// (not enforced for our master's link). Replies the error and returns false when it does not.
bool CheckStringLength(Call& c, uint64_t offset, uint64_t len);

// Redis's bit offset argument (SETBIT, GETBIT, BITFIELD). With `hash`, "#N" means N * bits.
// The offset must be >= 0 and address a byte below proto-max-bulk-len. Replies the error and
// returns nullopt when it is not.
std::optional<uint64_t> ParseBitOffset(Call& c, std::string_view arg, bool hash, int bits);

// Redis's lookupStringForBitCommand (SETBIT, BITFIELD writes): the string at argv[1], created
// when missing and zero-padded to hold bit `max_bit`; it is "raw" from now on even when
// unchanged. *grown says whether it was created or lengthened. nullptr after WRONGTYPE.
// Precondition: max_bit was checked by ParseBitOffset (the string stays within limits).
keyspace::Object* StringForBitWrite(Call& c, uint64_t max_bit, bool* grown);

// "ERR invalid expire time in '<command>' command".
void InvalidExpireError(Call& c);

// Parts of the family registered from their own files (called by Register{String,Bit}Commands).
void RegisterStringRangeCommands(CommandTable& t);
void RegisterStringIncrCommands(CommandTable& t);
void RegisterBitfieldCommands(CommandTable& t);

}  // namespace tessera::commands
