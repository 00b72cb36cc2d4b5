// What the file system says about a database file and the files SQLite keeps
// beside it in WAL mode (-wal, the log; -shm, its index). How to open the
// database (connection.h) and how to explain a failure to open it
// (sqlite_error.h) both decide on these facts, so they are read in one place.
#pragma once

#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace zielwerk::storage {

struct DatabaseFiles {
  std::string wal;  // the paths of the log and its index
  std::string shm;
  bool exists = false;
  bool readable = false;            // by this process
  bool writable = false;            // by this process
  bool directory_writable = false;  // by this process: SQLite creates -wal and -shm there
  bool wal_exists = false;
  bool wal_has_changes = false;  // a -wal that is not empty holds commits beyond the file
  bool shm_exists = false;       // another connection may have the database open
  // Nobody can change the file: a read-only file system, or no write
  // permission for anyone (a frozen copy).
  bool unchangeable = false;

  static DatabaseFiles inspect(const std::filesystem::path& path) {
    DatabaseFiles files;
    files.wal = path.string() + "-wal";
    files.shm = path.string() + "-shm";
    std::error_code error;
    files.exists = std::filesystem::exists(path, error);
    const auto parent =
        path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    files.directory_writable = access(parent.c_str(), W_OK) == 0;
    if (!files.exists) return files;
    files.readable = access(path.c_str(), R_OK) == 0;
    files.writable = access(path.c_str(), W_OK) == 0;
    files.wal_exists = std::filesystem::exists(files.wal, error);
    files.wal_has_changes =
        files.wal_exists && std::filesystem::file_size(files.wal, error) > 0 && !error;
    files.shm_exists = std::filesystem::exists(files.shm, error);
    struct statvfs file_system {};
    const bool read_only_mount =
        statvfs(path.c_str(), &file_system) == 0 && (file_system.f_flag & ST_RDONLY) != 0;
    using std::filesystem::perms;
    const auto permissions = std::filesystem::status(path, error).permissions();
    const bool no_write_permission =
        !error && (permissions & (perms::owner_write | perms::group_write | perms::others_write)) ==
                      perms::none;
    files.unchangeable = read_only_mount || no_write_permission;
    return files;
  }
};

}  // namespace zielwerk::storage
