// NodesConfFile: lock, load and atomic save of nodes.conf (cluster-bus.md §8.2-§8.5).
#include "server/bus_config_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "fmt/format.h"
#include "tessera/core/status.h"

namespace tessera::server {
namespace {

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

absl::Status Errno(std::string_view what) {
  return absl::InternalError(fmt::format("{}: {}", what, std::strerror(errno)));
}

}  // namespace

NodesConfFile::~NodesConfFile() {
  if (lock_fd_ >= 0) close(lock_fd_);
}

absl::Status NodesConfFile::Lock() {
  int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::InternalError(
        fmt::format("Can't open {} in order to acquire a lock: {}", path_, std::strerror(errno)));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    close(fd);
    if (e == EWOULDBLOCK) {
      return absl::FailedPreconditionError(fmt::format(
          "Sorry, the cluster configuration file {} is already used by a different Redis "
          "Cluster node. Please make sure that different nodes use different cluster "
          "configuration files.",
          path_));
    }
    return absl::InternalError(fmt::format("Impossible to lock {}: {}", path_, std::strerror(e)));
  }
  lock_fd_ = fd;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<bus::NodesConf>> NodesConfFile::Load() const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return std::optional<bus::NodesConf>();
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.empty()) return std::optional<bus::NodesConf>();
  auto conf = bus::ParseNodesConf(text);
  if (!conf.ok()) {
    return absl::DataLossError(
        fmt::format("Unrecoverable error: corrupted cluster config file \"{}\": {}", path_,
                    core::Msg(conf.status())));
  }
  return std::optional<bus::NodesConf>(std::move(*conf));
}

absl::Status NodesConfFile::Save(const bus::NodesConf& conf, bool fsync_dir) {
  const std::string text = bus::FormatNodesConf(conf);
  const std::string tmp = fmt::format("{}.tmp-{}", path_, getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno(tmp);
  // Lock before the rename: once renamed, this inode is what another process would lock.
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    absl::Status st = Errno("flock " + tmp);
    close(fd);
    unlink(tmp.c_str());
    return st;
  }
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      absl::Status st = Errno("write " + tmp);
      close(fd);
      unlink(tmp.c_str());
      return st;
    }
    off += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || rename(tmp.c_str(), path_.c_str()) != 0) {
    absl::Status st = Errno("save " + path_);
    close(fd);
    unlink(tmp.c_str());
    return st;
  }
  if (fsync_dir) {
    int dfd = open(DirOf(path_).c_str(), O_RDONLY | O_CLOEXEC);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
  }
  if (lock_fd_ >= 0) close(lock_fd_);
  lock_fd_ = fd;
  return absl::OkStatus();
}

}  // namespace tessera::server
