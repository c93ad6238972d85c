// Startup configuration: the redis-server command line, redis.conf files with include, stdin,
// and Redis 7.0.15's "FATAL CONFIG FILE ERROR" report (config.h, docs/configuration.md).
#include <fmt/format.h>
#include <glob.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "server/config.h"
#include "server/config_internal.h"
#include "tessera/core/status.h"

namespace tessera::server {
namespace {

// Nested includes beyond this are refused, so `include` of itself cannot recurse forever.
constexpr int kMaxIncludeDepth = 16;

absl::Status Fatal(int line_no, std::string_view line, std::string_view reason) {
  return absl::InvalidArgumentError(
      fmt::format("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                  "Reading the configuration file, at line {}\n>>> '{}'\n{}\n",
                  line_no, line, reason));
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    return absl::NotFoundError(
        fmt::format("Fatal error, can't open config file '{}': {}", path, std::strerror(errno)));
  }
  std::string text;
  char buf[8192];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) text.append(buf, n);
  std::fclose(f);
  return text;
}

std::string_view Trim(std::string_view s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

int CountLines(std::string_view s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// Where the lines of one loaded text come from, for Tessera's own messages (Redis's report
// names only the line number).
struct Sources {
  std::string file;          // the config file, or empty
  int stdin_first_line = 0;  // 0: no stdin
  int options_first_line = 1 << 30;

  std::string Describe(int line_no) const {
    if (line_no >= options_first_line) return "in the command-line options";
    if (stdin_first_line > 0 && line_no >= stdin_first_line) return "in the standard input";
    return fmt::format("in file '{}'", file);
  }
};

// Command-line options become config lines the way redis-server 7.0 builds them.
struct CommandLine {
  std::string file;
  bool use_stdin = false;
  std::string options;
};

CommandLine ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  size_t j = 0;
  if (!args.empty() && !args[0].empty() && args[0][0] != '-') {
    cl.file = args[0];
    j = 1;
  }
  // After a bare `--name`, the next argument is its value even if it starts with "--".
  bool value_done = true;
  for (; j < args.size(); ++j) {
    const std::string& a = args[j];
    const bool last = j + 1 == args.size();
    if (a == "-" && (j == 0 || last)) {
      cl.use_stdin = true;
    } else if (value_done && a.starts_with("--")) {
      if (!cl.options.empty()) cl.options += "\n";
      cl.options += a.substr(2) + " ";
      std::optional<std::vector<std::string>> words = config::SplitArgs(a);
      if (words && words->size() == 1) {
        value_done = false;
        // `--save` followed by another option or nothing means `save ""` (Redis 7.0.1+).
        if (config::EqualsNoCase(a, "--save") && (last || args[j + 1].starts_with("--"))) {
          cl.options += "\"\"";
          value_done = true;
        }
      } else {
        value_done = true;
      }
    } else {
      cl.options += config::Quote(a) + " ";
      value_done = true;
    }
  }
  return cl;
}

}  // namespace

// Feeds config text into a Config line by line (a friend of Config).
class ConfigLoader {
 public:
  explicit ConfigLoader(Config& config) : config_(config), seen_(config::Table().size(), false) {}

  absl::Status LoadText(std::string_view text, const Sources& sources, int depth) {
    int line_no = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      ++line_no;
      TS_RETURN_IF_ERROR(LoadLine(Trim(text.substr(pos, end - pos)), line_no, sources, depth));
      pos = end + 1;
    }
    return absl::OkStatus();
  }

 private:
  absl::Status LoadLine(std::string_view line, int line_no, const Sources& sources, int depth) {
    if (line.empty() || line[0] == '#') return absl::OkStatus();
    std::optional<std::vector<std::string>> args = config::SplitArgs(line);
    if (!args) return Fatal(line_no, line, "Unbalanced quotes in configuration line");
    if (args->empty()) return absl::OkStatus();
    const std::string name = config::Lower((*args)[0]);
    size_t index = 0;
    if (const config::Directive* d = config::Find(name, &index)) {
      std::vector<std::string> values(args->begin() + 1, args->end());
      absl::StatusOr<std::string> v = config_.Prepare(index, std::move(values), seen_[index]);
      if (!v.ok()) return Fatal(line_no, line, core::Msg(v.status()));
      if (d->support == Support::kDefaultOnly && *v != d->default_value) {
        return Fatal(line_no, line,
                     fmt::format("Tessera does not support '{}' yet (only the default is "
                                 "accepted); {}",
                                 line, sources.Describe(line_no)));
      }
      seen_[index] = true;
      config_.values_[index] = std::move(*v);
      return absl::OkStatus();
    }
    if (config::IsDeprecated(name)) return absl::OkStatus();
    if (name == "include" && args->size() == 2) {
      if (depth >= kMaxIncludeDepth) {
        return Fatal(line_no, line,
                     fmt::format("Too many nested includes (more than {})", kMaxIncludeDepth));
      }
      return Include((*args)[1], depth + 1);
    }
    if (name == "rename-command" || name == "user" || name == "loadmodule") {
      return Fatal(
          line_no, line,
          fmt::format("Tessera does not support '{}' yet; {}", name, sources.Describe(line_no)));
    }
    if (name == "sentinel") {
      return Fatal(line_no, line, "sentinel directive while not in sentinel mode");
    }
    return Fatal(line_no, line, "Bad directive or wrong number of arguments");
  }

  // Paths are relative to the working directory, as in Redis. A pattern with wildcards loads
  // every match in alphabetical order, and none at all is not an error.
  absl::Status Include(const std::string& path, int depth) {
    if (path.find_first_of("*?[") == std::string::npos) return IncludeFile(path, depth);
    glob_t g{};
    int rc = ::glob(path.c_str(), 0, nullptr, &g);
    std::vector<std::string> files;
    if (rc == 0) files.assign(g.gl_pathv, g.gl_pathv + g.gl_pathc);
    ::globfree(&g);
    for (const std::string& f : files) TS_RETURN_IF_ERROR(IncludeFile(f, depth));
    return absl::OkStatus();
  }

  absl::Status IncludeFile(const std::string& path, int depth) {
    TS_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    Sources s;
    s.file = path;
    return LoadText(text, s, depth);
  }

  Config& config_;
  std::vector<bool> seen_;  // directives already set in this load: `save` lines accumulate
};

absl::StatusOr<Config> Config::Load(const std::vector<std::string>& args, std::istream& in) {
  CommandLine cl = ParseCommandLine(args);
  Config config;
  Sources sources;
  std::string text;
  if (!cl.file.empty()) {
    TS_ASSIGN_OR_RETURN(text, ReadFile(cl.file));
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(cl.file, ec);
    config.config_file_ = ec ? cl.file : abs.lexically_normal().string();
    sources.file = cl.file;
  }
  if (cl.use_stdin) {
    sources.stdin_first_line = CountLines(text) + 1;
    text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // Options follow on a new line, so a file without a final newline still ends its last line.
  text += "\n";
  sources.options_first_line = CountLines(text) + 1;
  text += cl.options;
  ConfigLoader loader(config);
  TS_RETURN_IF_ERROR(loader.LoadText(text, sources, 0));
  config.RebuildOptions();
  return config;
}

absl::StatusOr<Config> Config::LoadFromString(std::string_view text, std::string_view source) {
  Config config;
  Sources sources;
  sources.file = std::string(source);
  ConfigLoader loader(config);
  TS_RETURN_IF_ERROR(loader.LoadText(text, sources, 0));
  config.RebuildOptions();
  return config;
}

CommandLineAction ClassifyCommandLine(const std::vector<std::string>& args) {
  if (args.empty()) return CommandLineAction::kRun;
  if (args[0] == "-v" || args[0] == "--version") return CommandLineAction::kVersion;
  if (args[0] == "-h" || args[0] == "--help") return CommandLineAction::kHelp;
  return CommandLineAction::kRun;
}

std::string UsageText(std::string_view p) {
  return fmt::format(
      "Usage: {0} [/path/to/redis.conf] [options] [-]\n"
      "       {0} - (read config from stdin)\n"
      "       {0} -v or --version\n"
      "       {0} -h or --help\n\n"
      "Examples:\n"
      "       {0} (run the server with default conf)\n"
      "       echo 'maxmemory 128mb' | {0} -\n"
      "       {0} /etc/redis/6379.conf\n"
      "       {0} --port 7777\n"
      "       {0} --port 7777 --replicaof 127.0.0.1 8888\n"
      "       {0} /etc/myredis.conf --loglevel verbose -\n"
      "       {0} /etc/myredis.conf --loglevel verbose\n",
      p);
}

}  // namespace tessera::server
