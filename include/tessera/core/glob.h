// Redis-style glob matching (stringmatchlen semantics) for KEYS, SCAN MATCH, PSUBSCRIBE and
// CONFIG GET. Iterative: a hostile pattern costs O(len(pattern) * len(str)), never stack depth.
#pragma once

#include <string_view>

namespace tessera::core {

// True if `str` matches `pattern`. Syntax, as in Redis 7.0:
//   *      any run of bytes (including none)       ?   exactly one byte
//   [abc]  one byte of the set; [^abc] any other;  [a-z] a range (reversed ranges are swapped)
//   \x     the byte x itself, also inside [...]; a trailing lone \ matches a backslash
// An unterminated [ class ends at the end of the pattern. `nocase` folds ASCII case.
// Like Redis, the empty string matches only the empty pattern (not even "*"); KEYS and SCAN
// treat the pattern "*" as "everything" before matching, and callers should do the same.
bool GlobMatch(std::string_view pattern, std::string_view str, bool nocase = false);

// True if `pattern` holds a glob metacharacter (* ? [ or \), i.e. it is not a plain name.
bool HasGlobChars(std::string_view pattern);

}  // namespace tessera::core
