// Helpers shared by the config tests (config_test.cc, config_set_test.cc).
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "server/config.h"

namespace tessera::server::testing {

namespace fs = std::filesystem;

inline std::string Msg(const absl::Status& st) { return std::string(st.message()); }

// The reason line of a FATAL report for a one-line config.
inline std::string LoadError(const std::string& text) {
  absl::StatusOr<Config> c = Config::LoadFromString(text);
  REQUIRE_FALSE(c.ok());
  std::string m = Msg(c.status());
  std::vector<std::string> lines;
  std::stringstream ss(m);
  for (std::string l; std::getline(ss, l);) lines.push_back(l);
  REQUIRE(lines.size() == 5);
  return lines[4];
}

inline Config Loaded(const std::string& text) {
  absl::StatusOr<Config> c = Config::LoadFromString(text);
  INFO((c.ok() ? std::string() : Msg(c.status())));
  REQUIRE(c.ok());
  return *c;
}

// A scratch directory removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "tessera-config-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
  std::string Read(const std::string& name) const {
    std::ifstream in(path / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
};

inline absl::StatusOr<Config> LoadArgs(const std::vector<std::string>& args,
                                       const std::string& input = "") {
  std::istringstream in(input);
  return Config::Load(args, in);
}

}  // namespace tessera::server::testing
