// INFO's building blocks: a "field:value\r\n" line writer and one function per section.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fmt/format.h"
#include "tessera/commands/engine.h"

namespace tessera::commands {

// The INFO text for the given arguments (section names, "all", "everything", "default"; none
// means "default"). Unknown sections are skipped, as Redis does.
std::string GenerateInfo(Engine& e, const std::vector<std::string>& args);

namespace info {

// Appends "name:value\r\n" lines to a borrowed string.
class Lines {
 public:
  explicit Lines(std::string* out) : out_(out) {}
  template <typename T>
  void Add(std::string_view name, const T& value) {
    fmt::format_to(std::back_inserter(*out_), "{}:{}\r\n", name, value);
  }
  void Raw(std::string_view line) {
    out_->append(line);
    out_->append("\r\n");
  }

 private:
  std::string* out_;
};

void Server(Engine& e, Lines& l);
void Clients(Engine& e, Lines& l);
void Memory(Engine& e, Lines& l);
void Persistence(Engine& e, Lines& l);
void Stats(Engine& e, Lines& l);
void Replication(Engine& e, Lines& l);
void Cpu(Engine& e, Lines& l);
void CommandStats(Engine& e, Lines& l);
void ErrorStats(Engine& e, Lines& l);
void Cluster(Engine& e, Lines& l);
void Keyspace(Engine& e, Lines& l);

}  // namespace info
}  // namespace tessera::commands
