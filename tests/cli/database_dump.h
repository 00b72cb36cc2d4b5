// Every row of every table of a database as text, for tests that prove a
// refused command changed nothing: equal dumps, equal databases.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

namespace zielwerk::testing {

// Every row of every table (and the schema version) as text: equal dumps, equal databases.
inline std::string dump(const std::filesystem::path& db) {
  sqlite3* handle = nullptr;
  std::string text;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(handle);
    return "<cannot open " + db.string() + ">";
  }
  auto each_row = [&](const std::string& sql, auto on_row) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      text += "<cannot read: " + sql + ">";
      return;
    }
    while (sqlite3_step(statement) == SQLITE_ROW)
      on_row(statement);
    sqlite3_finalize(statement);
  };
  std::vector<std::string> tables;
  each_row("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", [&](auto* row) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(row, 0)));
  });
  each_row("PRAGMA user_version", [&](auto* row) {
    text += "user_version " + std::to_string(sqlite3_column_int(row, 0)) + "\n";
  });
  for (const auto& table : tables) {
    text += "== " + table + "\n";
    each_row("SELECT * FROM \"" + table + "\"", [&](auto* row) {
      for (int column = 0; column < sqlite3_column_count(row); ++column) {
        const auto* value = sqlite3_column_text(row, column);
        text += value != nullptr ? reinterpret_cast<const char*>(value) : "NULL";
        text += '|';
      }
      text += '\n';
    });
  }
  sqlite3_close(handle);
  return text;
}

}  // namespace zielwerk::testing
