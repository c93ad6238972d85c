// The directives with their own syntax (config_special.cc), for the table in config_table.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/config_internal.h"

namespace tessera::server::config {

extern const Special kSave;
extern const Special kOutputLimit;
extern const Special kNotify;
extern const Special kOomValues;
extern const Special kPercentiles;
extern const Special kBind;
extern const Special kReplicaOf;
extern const Special kShutdown;
extern const Special kMaxmemoryClients;
extern const Special kHz;
extern const Special kDir;
extern const Special kDbfilename;
extern const Special kHostname;

// notify-keyspace-events letters to notify::k* bits; nullopt on an unknown letter.
std::optional<uint32_t> NotifyFlags(std::string_view classes);
// The class string Redis prints for `flags` ("A" stands for all type classes).
std::string NotifyString(uint32_t flags);

}  // namespace tessera::server::config
