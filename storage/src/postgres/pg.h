// The PostgreSQL connection behind a Database on a server (libpq), and the
// statements the storage module runs on it. Not installed: no libpq type
// leaves the storage module.
//
// Statements are written once, in SQLite's placeholder notation (`?`, `?N`),
// and translated to PostgreSQL's (`$N`); values are sent with their types
// (bigint, double precision, text, bytea) so PostgreSQL never guesses, and
// text is sent and read back as the very bytes zielwerk wrote: nothing is
// re-rendered by the server (a document's JSON, an audit payload).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace zielwerk::storage::pg {

// A failure reported by libpq or the server, with its SQLSTATE ("" when the
// connection itself failed).
class Failure : public std::runtime_error {
 public:
  Failure(const std::string& message, std::string sqlstate)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// The type of a value as SQLite would name it; what the audit digests tag
// values with, so both backends digest the same rows to the same bytes.
enum class ValueType { null, integer, real, text, blob };

struct Value {
  ValueType type = ValueType::null;
  std::int64_t integer = 0;
  double real = 0;
  std::string bytes;  // text or blob
};

// One result set, read by row and column.
class Rows {
 public:
  explicit Rows(pg_result* result);
  ~Rows();
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;

  int rows() const;
  int columns() const;
  // The rows an INSERT, UPDATE or DELETE changed.
  int affected() const;
  bool is_null(int row, int column) const;
  ValueType type(int row, int column) const;
  std::string_view text(int row, int column) const;  // the value as the server wrote it
  std::int64_t integer(int row, int column) const;
  double real(int row, int column) const;
  // A bytea column's bytes (decoded from the server's hex form).
  std::string blob(int row, int column) const;

 private:
  pg_result* result_;
  std::vector<ValueType> types_;
};

class Connection {
 public:
  // Connects with a libpq connection URI (postgresql://...). The password
  // comes from PGPASSFILE or the passfile parameter, never from the URI.
  explicit Connection(const std::string& uri);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs statements without parameters (may be several, separated by ;).
  void exec(const std::string& sql);
  // Runs one statement written with $N placeholders.
  Rows query(const std::string& sql, const std::vector<Value>& params = {});

  // Whether a transaction is open (or failed and waiting for its ROLLBACK).
  bool in_transaction() const;
  // Rolls back whatever is open; never throws.
  void rollback() noexcept;

 private:
  pg_conn* conn_;
};

// `?` and `?N` outside quotes become `$N` (a bare `?` takes the number after
// the largest so far, as in SQLite).
std::string translate_placeholders(std::string_view sql);

// One statement with its bindings, stepped row by row like a SQLite
// statement: executed at the first step, its bindings kept across reset().
class Statement {
 public:
  Statement(Connection& connection, std::string_view sqlite_sql);

  void bind_null(int index);
  void bind(int index, std::int64_t value);
  void bind(int index, double value);
  void bind_text(int index, std::string_view text);
  void bind_blob(int index, const void* data, std::size_t size);

  // The next row; false at the end.
  bool step();
  // Runs the statement; the rows it changed (or returned).
  int run();
  // Back to before the first row, bindings kept.
  void reset();

  const Rows& result() const { return *result_; }
  int row() const { return row_; }
  bool is_null(int column) const { return result_->is_null(row_, column); }
  ValueType type(int column) const { return result_->type(row_, column); }
  std::int64_t integer(int column) const { return result_->integer(row_, column); }
  double real(int column) const { return result_->real(row_, column); }
  std::string_view text(int column) const { return result_->text(row_, column); }
  std::string blob(int column) const { return result_->blob(row_, column); }
  int columns() const { return result_->columns(); }

 private:
  void execute();
  Value& slot(int index);

  Connection& connection_;
  std::string sql_;
  std::vector<Value> params_;
  std::optional<Rows> result_;
  int row_ = -1;
};

}  // namespace zielwerk::storage::pg
