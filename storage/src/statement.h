// One SQL statement on either backend, with SQLiteCpp's calls: what the
// storage module's tables are read and written with. On SQLite it is exactly
// a SQLite::Statement (each call the call of the same name); on PostgreSQL a
// pg::Statement, its placeholders translated and its values typed. SQL that
// differs between the two is chosen by the caller (is_postgres). Internal to
// storage.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "connection.h"
#include "postgres/pg.h"

namespace zielwerk::storage {

class Statement;

// One column of the current row.
class Column {
 public:
  Column(Statement& statement, int index) : statement_(statement), index_(index) {}
  std::string getString() const;
  int getInt() const;
  std::int64_t getInt64() const;
  double getDouble() const;
  bool isNull() const;
  // A blob's bytes (the server's bytea decoded on PostgreSQL).
  std::string getBlobBytes() const;

 private:
  Statement& statement_;
  int index_;
};

class Statement {
 public:
  // `returning_id`: an INSERT whose new row's id inserted_id() gives (SQLite:
  // the rowid; PostgreSQL: the statement gets RETURNING id).
  enum class Returning { nothing, id };
  Statement(Database& database, std::string_view sql, Returning returning = Returning::nothing)
      : database_(database) {
    if (is_postgres(database)) {
      std::string text(sql);
      if (returning == Returning::id) text += " RETURNING id";
      pg_.emplace(postgres(database), text);
    } else {
      sqlite_.emplace(sqlite(database), std::string(sql));
    }
  }

  void bind(int index) {
    if (sqlite_) return sqlite_->bind(index);
    pg_->bind_null(index);
  }
  void bind(int index, int value) {
    if (sqlite_) return sqlite_->bind(index, value);
    pg_->bind(index, static_cast<std::int64_t>(value));
  }
  void bind(int index, long value) { bind(index, static_cast<long long>(value)); }
  void bind(int index, long long value) {
    if (sqlite_) return sqlite_->bind(index, static_cast<int64_t>(value));
    pg_->bind(index, static_cast<std::int64_t>(value));
  }
  void bind(int index, double value) {
    if (sqlite_) return sqlite_->bind(index, value);
    pg_->bind(index, value);
  }
  void bind(int index, const std::string& text) {
    if (sqlite_) return sqlite_->bind(index, text);
    pg_->bind_text(index, text);
  }
  void bind(int index, const char* text) {
    if (sqlite_) return sqlite_->bind(index, text);
    pg_->bind_text(index, text);
  }
  void bind(int index, const void* blob, int size) {
    if (sqlite_) return sqlite_->bind(index, blob, size);
    pg_->bind_blob(index, blob, static_cast<std::size_t>(size));
  }

  bool executeStep() {
    if (sqlite_) return sqlite_->executeStep();
    return pg_->step();
  }
  int exec() {
    if (sqlite_) return sqlite_->exec();
    const int changed = pg_->run();
    if (pg_->result().rows() > 0 && pg_->result().columns() > 0) {
      last_id_ = pg_->result().integer(0, 0);
    }
    return changed;
  }
  void reset() {
    if (sqlite_) return sqlite_->reset();
    pg_->reset();
  }
  // The id of the row the last exec() inserted (Returning::id).
  std::int64_t inserted_id() {
    if (sqlite_) return sqlite(database_).getLastInsertRowid();
    return last_id_;
  }

  Column getColumn(int index) { return {*this, index}; }

 private:
  friend class Column;
  Database& database_;
  std::optional<SQLite::Statement> sqlite_;
  std::optional<pg::Statement> pg_;
  std::int64_t last_id_ = 0;
};

inline std::string Column::getString() const {
  if (statement_.sqlite_) return statement_.sqlite_->getColumn(index_).getString();
  return std::string(statement_.pg_->text(index_));
}
inline int Column::getInt() const {
  if (statement_.sqlite_) return statement_.sqlite_->getColumn(index_).getInt();
  return static_cast<int>(statement_.pg_->integer(index_));
}
inline std::int64_t Column::getInt64() const {
  if (statement_.sqlite_) return statement_.sqlite_->getColumn(index_).getInt64();
  return statement_.pg_->integer(index_);
}
inline double Column::getDouble() const {
  if (statement_.sqlite_) return statement_.sqlite_->getColumn(index_).getDouble();
  return statement_.pg_->real(index_);
}
inline bool Column::isNull() const {
  if (statement_.sqlite_) return statement_.sqlite_->getColumn(index_).isNull();
  return statement_.pg_->is_null(index_);
}
inline std::string Column::getBlobBytes() const {
  if (statement_.sqlite_) {
    const SQLite::Column column = statement_.sqlite_->getColumn(index_);
    return std::string(static_cast<const char*>(column.getBlob()),
                       static_cast<std::size_t>(column.getBytes()));
  }
  return statement_.pg_->blob(index_);
}

}  // namespace zielwerk::storage
