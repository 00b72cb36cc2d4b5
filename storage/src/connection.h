// The connection behind a Database (a SQLite file or a PostgreSQL server),
// shared by the storage module's classes. Not installed: no SQLite or libpq
// type leaves the storage module.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "database_files.h"
#include "postgres/pg.h"
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
  const DatabaseFiles files = DatabaseFiles::inspect(path);
  if (!files.exists) return {path.string(), read_write};
  if (files.writable && (files.directory_writable || (files.wal_exists && files.shm_exists))) {
    return {path.string(), read_write};
  }
  const int read_only = SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX;
  if (!files.unchangeable || files.wal_has_changes || files.shm_exists) {
    return {path.string(), read_only};
  }
  std::error_code error;
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
  explicit Connection(const OpenTarget& target)
      : sqlite_db(std::make_unique<SQLite::Database>(target.name, target.flags)) {}
  explicit Connection(std::unique_ptr<pg::Connection> server) : pg(std::move(server)) {}
  // Exactly one of the two.
  std::unique_ptr<SQLite::Database> sqlite_db;
  std::unique_ptr<pg::Connection> pg;
  // PostgreSQL: the agreement this connection works on (zielwerk.agreement),
  // and whether forbid_writes() was called.
  std::string agreement;
  bool writes_forbidden = false;
  bool in_write = false;
  bool in_snapshot = false;
  // The schema cookie (PRAGMA schema_version) at which write() last found no
  // foreign trigger: any change of the schema by anyone changes the cookie.
  std::optional<int> triggers_checked_at;
};

inline bool is_postgres(Database& database) {
  return database.connection().pg != nullptr;
}

// The SQLite connection; code that has no PostgreSQL form calls it only on SQLite.
inline SQLite::Database& sqlite(Database& database) {
  if (!database.connection().sqlite_db) {
    throw std::logic_error("a SQLite-only storage operation on a PostgreSQL database");
  }
  return *database.connection().sqlite_db;
}

inline pg::Connection& postgres(Database& database) {
  if (!database.connection().pg) {
    throw std::logic_error("a PostgreSQL-only storage operation on a SQLite database");
  }
  return *database.connection().pg;
}

// Writers call this first: a change outside Database::write would bypass the
// one-transaction-per-step rule, which is a programming error.
inline void require_write_transaction(const Database& database) {
  if (!database.in_write_transaction()) {
    throw std::logic_error("a storage write outside Database::write");
  }
}

}  // namespace zielwerk::storage
