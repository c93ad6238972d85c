// Loads files from tests/data/bus (located from this header's path, so tests run from any dir).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace tessera::bus::testing {

inline std::filesystem::path DataDir() {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "data" / "bus";
}

inline std::string ReadFixture(const std::string& name) {
  std::ifstream in(DataDir() / name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::vector<uint8_t> Bytes(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace tessera::bus::testing
