// The only place that reads time (STYLE.md §6). State machines take `MonoTime now`;
// tests drive a ManualClock.
#pragma once

#include <chrono>
#include <cstdint>

namespace tessera::core {

using MonoClock = std::chrono::steady_clock;
using MonoTime = MonoClock::time_point;
using std::chrono::milliseconds;
using std::chrono::microseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic time, for timeouts and intervals.
  virtual MonoTime Now() const = 0;
  // Wall-clock time in milliseconds since the Unix epoch, for key expiry and LASTSAVE.
  virtual int64_t UnixMs() const = 0;
  int64_t UnixUs() const { return UnixMs() * 1000 + ExtraUs(); }

 protected:
  virtual int64_t ExtraUs() const { return 0; }
};

class SystemClock final : public Clock {
 public:
  MonoTime Now() const override;
  int64_t UnixMs() const override;

 protected:
  int64_t ExtraUs() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t unix_ms = 1'700'000'000'000) : unix_ms_(unix_ms) {}
  MonoTime Now() const override { return now_; }
  int64_t UnixMs() const override { return unix_ms_; }
  void Advance(std::chrono::milliseconds d) {
    now_ += d;
    unix_ms_ += d.count();
  }
  void SetUnixMs(int64_t ms) { unix_ms_ = ms; }

 private:
  MonoTime now_{std::chrono::hours(1)};
  int64_t unix_ms_;
};

}  // namespace tessera::core
