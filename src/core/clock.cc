// SystemClock: the one caller of the std clocks.
#include "tessera/core/clock.h"

namespace tessera::core {

MonoTime SystemClock::Now() const { return MonoClock::now(); }

int64_t SystemClock::UnixMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t SystemClock::ExtraUs() const {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return us % 1000;
}

}  // namespace tessera::core
