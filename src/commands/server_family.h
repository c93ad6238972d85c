// Shared pieces of the server/introspection command files (server, command, debug/memory,
// client, info): registration of the split-out files and Redis's HELP / syntax-error replies.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "tessera/commands/engine.h"

namespace tessera::commands {

// COMMAND (command_commands.cc), DEBUG and MEMORY (debug_commands.cc); called by
// RegisterServerCommands so engine.cc needs no new entries.
void RegisterCommandCommands(CommandTable& t);
void RegisterDebugCommands(CommandTable& t);
// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] (dump_commands.cc).
void DebugReload(Call& c);

// Redis's addReplyHelp: "<NAME> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", the
// given lines, then "HELP" / "    Prints this help.", each as a simple string. NAME is argv[0]
// upper-cased.
void ReplyHelp(Call& c, std::initializer_list<std::string_view> lines);

// Redis's addReplySubcommandSyntaxError: "ERR unknown subcommand or wrong number of arguments
// for '<argv[1]>'. Try <NAME> HELP."
void SubcommandSyntaxError(Call& c);

// Whether a client address ("ip:port" or "[ip]:port") is a loopback peer, as Redis's
// islocalClient decides it (127.0.0.1 or ::1).
bool IsLocalAddr(std::string_view addr);

// The "NNN.NNK" text Redis prints for byte counts (used_memory_human and friends).
std::string BytesToHuman(uint64_t n);

}  // namespace tessera::commands
