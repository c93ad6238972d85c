#include <catch2/catch.hpp>
#include "server/config.h"
TEST_CASE("placeholder", "[config]") { tessera::server::Config c; CHECK(c.Get("port") == "6379"); }
