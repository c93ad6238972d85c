// Redis-format logging on spdlog: "pid:R 01 Dec 2026 13:19:36.123 * message".
#include "tessera/core/log.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace tessera::core {
namespace {

std::atomic<char> g_role{'M'};

// Redis marks levels with . - * # (debug, verbose, notice, warning).
class RedisLevelFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    char c = '*';
    switch (msg.level) {
      case spdlog::level::trace: c = '.'; break;
      case spdlog::level::debug: c = '-'; break;
      case spdlog::level::info: c = '*'; break;
      default: c = '#'; break;
    }
    dest.push_back(c);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RedisLevelFlag>();
  }
};

class RoleFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    dest.push_back(g_role.load());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RoleFlag>();
  }
};

constexpr std::array<const char*, 8> kNames = {"server", "resp", "keyspace", "bus",
                                               "replication", "failover", "commands", "core"};

std::mutex g_mu;
std::array<std::shared_ptr<spdlog::logger>, 8> g_loggers;

void Build(spdlog::sink_ptr sink, spdlog::level::level_enum lvl) {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<RoleFlag>('R').add_flag<RedisLevelFlag>('L');
  f->set_pattern(fmt::format("{}:%R %d %b %Y %H:%M:%S.%e %L %v", getpid()));
  sink->set_formatter(std::move(f));
  for (size_t i = 0; i < kNames.size(); ++i) {
    auto l = std::make_shared<spdlog::logger>(kNames[i], sink);
    l->set_level(lvl);
    l->flush_on(spdlog::level::trace);
    g_loggers[i] = l;
  }
}

}  // namespace

bool ParseLogLevel(const std::string& name, spdlog::level::level_enum* out) {
  if (name == "debug") *out = spdlog::level::trace;
  else if (name == "verbose") *out = spdlog::level::debug;
  else if (name == "notice") *out = spdlog::level::info;
  else if (name == "warning") *out = spdlog::level::warn;
  else if (name == "nothing") *out = spdlog::level::off;
  else return false;
  return true;
}

bool InitLogging(const LogOptions& opts) {
  std::lock_guard<std::mutex> lock(g_mu);
  spdlog::level::level_enum lvl = spdlog::level::info;
  ParseLogLevel(opts.level, &lvl);
  bool ok = true;
  spdlog::sink_ptr sink;
  if (!opts.file.empty()) {
    try {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(opts.file);
    } catch (const spdlog::spdlog_ex&) {
      ok = false;
    }
  }
  if (!sink) sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  Build(sink, lvl);
  return ok;
}

spdlog::logger& Log(Module m) {
  auto i = static_cast<size_t>(m);
  if (!g_loggers[i]) InitLogging({});
  return *g_loggers[i];
}

void SetLogRole(Role r) { g_role.store(static_cast<char>(r)); }

void CheckFailed(const char* file, int line, const char* cond) {
  Log(Module::kCore).critical("CHECK failed at {}:{}: {}", file, line, cond);
  std::abort();
}

}  // namespace tessera::core

namespace tessera::core {
void SetLogLevel(spdlog::level::level_enum lvl) {
  for (size_t i = 0; i < 8; ++i) Log(static_cast<Module>(i)).set_level(lvl);
}
}  // namespace tessera::core
