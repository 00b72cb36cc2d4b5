// The SQLite connection behind a Database, shared by the storage module's
// classes. Not installed: no SQLite type leaves the storage module.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

// The name and flags to open `path` with.
//
// A database this process cannot change (a read-only mount, an auditor's
// copy, the service's database read by another account) is opened read-only,
// so reading works and a write fails as read-only. SQLite reads a WAL
// database only through its -shm index, which exists while a process with
// write access has the database open and which a read-only process cannot
// create where it may not write. Where nobody can change the file at all (a
// read-only file system, or a file without any write permission: a frozen
// copy) and no -wal holds changes beyond it, the file alone is the database
// and is opened immutable, which needs no index. Immutable takes no locks and
// never looks for changes, so it is not used for a file anyone may still
// write: reading it while a writer checkpoints could give stale or torn pages.
struct OpenTarget {
  std::string name;
  int flags;
};

inline OpenTarget open_target(const std::filesystem::path& path) {
  // A Database is used from one thread at a time (database.h), so SQLite's
  // per-connection mutex only costs time.
  const int read_write = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return {path.string(), read_write};
  const std::string wal = path.string() + "-wal";
  const std::string shm = path.string() + "-shm";
  const auto parent = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  const bool directory_writable = access(parent.c_str(), W_OK) == 0;
  const bool log_files_exist =
      std::filesystem::exists(wal, error) && std::filesystem::exists(shm, error);
  if (access(path.c_str(), W_OK) == 0 && (directory_writable || log_files_exist)) {
    return {path.string(), read_write};
  }
  const int read_only = SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX;
  struct statvfs file_system {};
  const bool read_only_mount =
      statvfs(path.c_str(), &file_system) == 0 && (file_system.f_flag & ST_RDONLY) != 0;
  const auto permissions = std::filesystem::status(path, error).permissions();
  using std::filesystem::perms;
  const bool no_write_permission =
      !error && (permissions & (perms::owner_write | perms::group_write | perms::others_write)) ==
                    perms::none;
  const bool log_has_changes =
      std::filesystem::exists(wal, error) && std::filesystem::file_size(wal, error) > 0 && !error;
  const bool index_exists = std::filesystem::exists(shm, error);
  if (!(read_only_mount || no_write_permission) || log_has_changes || index_exists) {
    return {path.string(), read_only};
  }
  std::string uri = "file:";
  for (const char c : std::filesystem::absolute(path, error).string()) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      const auto byte = static_cast<unsigned char>(c);
      uri += {'%', kHex[byte >> 4], kHex[byte & 15]};
    } else {
      uri += c;
    }
  }
  return {uri + "?immutable=1", read_only | SQLITE_OPEN_URI};
}

struct Database::Connection {
  explicit Connection(const std::filesystem::path& path) : Connection(open_target(path)) {}
  explicit Connection(const OpenTarget& target) : db(target.name, target.flags) {}
  SQLite::Database db;
  bool in_write = false;
  bool in_snapshot = false;
};

inline SQLite::Database& sqlite(Database& database) {
  return database.connection().db;
}

// Writers call this first: a change outside Database::write would bypass the
// one-transaction-per-step rule, which is a programming error.
inline void require_write_transaction(const Database& database) {
  if (!database.in_write_transaction()) {
    throw std::logic_error("a storage write outside Database::write");
  }
}

}  // namespace zielwerk::storage
