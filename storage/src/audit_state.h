// The state an audit record vouches for. Objects of a "state kind" live in
// tables; a record that touches one stores how many rows it has and a SHA-256
// over them, as they are at the end of the change. `audit verify` recomputes
// the digests to show that the tables still hold what the trail says.
//
// kind              rows digested (key: the object id)
// import            the import_batch row and every observation it wrote
//                   (with the series' metric and region, in key order)
// milestone         the milestone_done row ("goal/milestone")
// review            the review row
// review_entry      one line of a review's minutes
// measure           the measure row
// measure_followup  one entry of a measure's follow-up log
// escalation        the escalation row
// rule_set          a rule-set version zielwerk started using (key: the
//                   record's seq), with its files and goal definitions
// config_set        a configuration (zielwerk.yaml, workflows) zielwerk
//                   started using (key: the record's seq)
//
// Rows are encoded column by column with their SQLite type (see
// RowDigest), so a digest changes with any value, type, row count or order.
// Internal to storage.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "postgres/pg.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

bool is_state_kind(std::string_view kind);
// Whether objects of this state kind are numbered (1, 2, ...) rather than named.
bool has_numbered_ids(std::string_view kind);

struct StateDigest {
  std::int64_t rows = 0;
  std::string sha256;
};

// Digests objects' rows as they are now, keeping its statements prepared for
// the next object. Only for state kinds (std::logic_error otherwise).
class RowCursor;
class StateDigester {
 public:
  explicit StateDigester(Database& database);
  ~StateDigester();
  StateDigester(const StateDigester&) = delete;
  StateDigester& operator=(const StateDigester&) = delete;
  StateDigest digest(std::string_view kind, const std::string& id);

 private:
  Database& database_;
  std::map<std::string, std::vector<std::unique_ptr<RowCursor>>, std::less<>> statements_;
};

// A prepared statement read through SQLite's C API, for the loops that visit
// every record and row once (verification): SQLiteCpp's column objects cost
// an atomic reference count each, which adds up over millions of rows. On a
// server, the same over a pg::Statement, values typed as SQLite would.
class RowCursor {
 public:
  RowCursor(Database& database, std::string_view sql);
  ~RowCursor();
  RowCursor(const RowCursor&) = delete;
  RowCursor& operator=(const RowCursor&) = delete;

  bool step();  // the next row; false at the end (errors throw SQLite::Exception)
  // Back to before the first row, with ?1 bound to `value` (NULL when nullopt).
  void restart_with(std::optional<std::int64_t> value);
  void restart_with(std::string_view value);
  std::int64_t integer(int column) const;
  std::string_view text(int column) const;
  bool is_null(int column) const;
  int column_count() const;
  // The statement on SQLite; nullptr on a server.
  sqlite3_stmt* raw() const { return statement_; }
  const pg::Statement* server() const { return pg_.get(); }

 private:
  SQLite::Database* db_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  std::unique_ptr<pg::Statement> pg_;
};

// Feeds rows into one SHA-256, each value tagged with its type. Rows are
// gathered into a buffer and hashed a few KiB at a time: a call into the
// hash per row (of some 60 bytes) costs several times the hashing itself.
class RowDigest {
 public:
  // Adds the current row of `statement`, columns [first_column, column count).
  void add_row(const RowCursor& row, int first_column = 0);
  // Adds a row from its pieces: columns of `statement` in [first, last) are
  // encoded, `encoded` (columns encoded before, see encode_columns) is copied.
  void add_columns(const RowCursor& row, int first, int last);
  void add_encoded(std::string_view encoded);
  void end_row();
  StateDigest finish();
  // The same into `out`, reusing its storage.
  void finish(StateDigest& out);
  // Ready for the next object's rows.
  void reset();

  // Appends the encoding of columns [first, last) of the current row.
  static void encode_columns(std::string& out, const RowCursor& row, int first, int last);

 private:
  void spill();

  Sha256 sha_;
  std::string buffer_;
  std::int64_t rows_ = 0;
};

// Every object of a state kind that the tables hold, except imports, with
// its digest: one pass over each table (a digest equals what StateDigester
// gives for that id). Imports are digested by `digest_all_imports`.
void for_each_stored_object(
    Database& database,
    const std::function<void(std::string_view, const std::string&, const StateDigest&)>& visit);

// The digest of every import in one pass over the observations (a national
// database holds millions): import id -> digest, for the ids in import_batch
// and any import id an observation names.
std::vector<std::pair<std::string, StateDigest>> digest_all_imports(Database& database);

}  // namespace zielwerk::storage
