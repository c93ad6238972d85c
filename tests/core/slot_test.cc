// Key->slot vectors from cluster-commands.md §2.3 (confirmed there against live Redis 7.0.15).
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "tessera/core/slot.h"

using tessera::core::Crc16;
using tessera::core::KeySlot;

TEST_CASE("CRC16 XMODEM of 123456789 is 0x31C3", "[core]") { CHECK(Crc16("123456789") == 0x31C3); }

TEST_CASE("keys hash to the slots Redis gives them", "[core]") {
  const std::vector<std::pair<std::string, int>> vectors = {
      {"foo", 12182}, {"bar", 5061}, {"hello", 866}, {"123456789", 12739}, {"", 0},
      {std::string(1, '\0'), 0}, {"{user1000}.following", 3443}, {"foo{bar}{zap}", 5061},
      {"foo{}{bar}", 8363}, {"{}", 15257}, {"x{}y{z}", 15453}, {"foo{{bar}}zap", 4015},
      {"{bar", 4015}, {"{{}}", 4092}, {"}{a}", 15495}, {"{ }", 9314}, {"{\xff}", 7920},
      {"\xc3\xa9t\xc3\xa9", 10087}};
  for (const auto& [key, slot] : vectors) {
    INFO("key " << key);
    CHECK(KeySlot(key) == slot);
  }
}
