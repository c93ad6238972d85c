// nodes.conf on disk (cluster-bus.md §8): an exclusive flock held for the process lifetime,
// loading at startup, and saving through a temporary file that is fsynced and renamed over
// the old one. The new file is locked before the rename, so the path is never unlocked.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tessera/bus/nodes_conf.h"

namespace tessera::server {

class NodesConfFile {
 public:
  explicit NodesConfFile(std::string path) : path_(std::move(path)) {}
  ~NodesConfFile();
  NodesConfFile(const NodesConfFile&) = delete;
  NodesConfFile& operator=(const NodesConfFile&) = delete;

  // Opens (creating it empty if absent) and locks the file. Fails with Redis's "Sorry, the
  // cluster configuration file ... is already used" text when another process holds it.
  absl::Status Lock();
  // The parsed file; nullopt when it is missing or empty (a fresh node). A corrupt file is an
  // error naming the file and the line.
  absl::StatusOr<std::optional<bus::NodesConf>> Load() const;
  // Replaces the file's content. The temporary file is always fsynced before the rename;
  // `fsync_dir` also syncs the directory so the rename itself is durable.
  absl::Status Save(const bus::NodesConf& conf, bool fsync_dir);

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int lock_fd_ = -1;
};

}  // namespace tessera::server
