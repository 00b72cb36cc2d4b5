// The SQLite connection behind a Database, shared by the storage module's
// classes. Not installed: no SQLite type leaves the storage module.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>

#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

struct Database::Connection {
  // A Database is used from one thread at a time (database.h), so SQLite's
  // per-connection mutex only costs time.
  explicit Connection(const std::filesystem::path& path)
      : db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX) {}
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
