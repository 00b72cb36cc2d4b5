// Reading and writing a database file through the plain SQLite C API, past
// the code under test: to check what it stored and to tamper with the file.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace zielwerk::testing {

// Runs `sql` through the plain SQLite C API on the file, independent of the
// code under test; returns "" on success, else SQLite's message.
inline std::string exec_raw(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string message;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    message = "cannot open";
  } else {
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      message = error != nullptr ? error : "failed";
    }
    sqlite3_free(error);
  }
  sqlite3_close(db);
  return message;
}

// The first column of the first row of `sql`, through the plain C API.
inline std::string query_raw(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string value = "<no row>";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(statement, 0);
      value = text != nullptr ? reinterpret_cast<const char*>(text) : "<null>";
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return value;
}

}  // namespace zielwerk::testing
