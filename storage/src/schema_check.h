// The database's schema compared with the one zielwerk's migrations create.
//
// The expected schema is not written down a second time: it is what running
// the migrations (migrations.h) on an empty in-memory database leaves in its
// sqlite_schema, computed once per process and schema version. A database's
// sqlite_schema is compared with it row by row (type, name, table, SQL as
// SQLite stores it, byte for byte), so a trigger that differs only in a
// `WHEN 0`, an index or view nobody asked for, or a table with another column
// is each a finding. SQLite's own bookkeeping is handled as SQLite makes it:
// the statistics tables of ANALYZE (sqlite_stat1..4) are no finding; an
// automatic index (sqlite_autoindex_*, without SQL) of a zielwerk table is
// compared like any object, one of a foreign table is part of that table's
// finding. Not installed: no SQLite type leaves the storage module.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

namespace zielwerk::storage {

// One row of sqlite_schema.
struct SchemaObject {
  std::string type;  // table, index, trigger, view
  std::string name;
  std::string table;               // tbl_name: the table an index or trigger belongs to
  std::optional<std::string> sql;  // none for automatic indexes
};

struct SchemaFinding {
  enum class Kind {
    foreign,  // in the database, not created by the migrations
    missing,  // created by the migrations, not in the database
    altered,  // under a name the migrations use, but another definition
  };
  Kind kind;
  SchemaObject object;  // as found (foreign, altered) or as expected (missing)
  std::string message;  // names the object and what differs, in plain words
};

// Every difference between the schema of `db` and the one the migrations
// create at its schema version (PRAGMA user_version), ordered by type and
// name.
std::vector<SchemaFinding> check_schema(SQLite::Database& db);

// The first trigger of `db` that the migrations did not create as it is
// (foreign or altered), if any. A write must not run with one: a trigger runs
// inside zielwerk's own transaction and may change what zielwerk writes
// before its audit record vouches for it. Reads only the triggers' rows of
// sqlite_schema.
std::optional<SchemaFinding> first_foreign_trigger(SQLite::Database& db);

}  // namespace zielwerk::storage
