// absl::Status helpers: the macros abseil 20220623 lacks, and Msg() for fmt (STYLE.md §5, §8).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tessera::core {

// fmt cannot print absl::string_view; this converts a status message to std::string.
inline std::string Msg(const absl::Status& st) { return std::string(st.message()); }

[[noreturn]] void CheckFailed(const char* file, int line, const char* cond);

}  // namespace tessera::core

#define TS_CONCAT_INNER_(a, b) a##b
#define TS_CONCAT_(a, b) TS_CONCAT_INNER_(a, b)

#define TS_RETURN_IF_ERROR(expr)                 \
  do {                                           \
    ::absl::Status ts_status_ = (expr);          \
    if (!ts_status_.ok()) return ts_status_;     \
  } while (0)

#define TS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(*tmp)

#define TS_ASSIGN_OR_RETURN(lhs, expr) \
  TS_ASSIGN_OR_RETURN_IMPL_(TS_CONCAT_(ts_statusor_, __LINE__), lhs, expr)

// Broken invariants are bugs: log and abort.
#define TS_CHECK(cond) \
  ((cond) ? (void)0 : ::tessera::core::CheckFailed(__FILE__, __LINE__, #cond))
