// The project database: one SQLite file, or one agreement in a PostgreSQL
// database shared by many (a region's server), opened with the settings
// zielwerk relies on and migrated to the schema this build knows. Both
// backends keep the same tables with the same values and the same contract
// below; the store functions of this module work on either.
//
// Opening a SQLite file
//  - creates the file when it does not exist,
//  - sets WAL journaling, a busy timeout and foreign keys,
//  - runs every migration newer than the file's schema version, each in its
//    own transaction (a crash leaves the previous version intact),
//  - refuses a file written by a newer zielwerk (schema version too high) and
//    a file that is not a SQLite database.
// Opening a server (a location postgresql://... or postgres://..., a libpq
// connection URI)
//  - refuses a URI that holds a password (it would show in process lists and
//    logs: libpq reads it from PGPASSFILE or ?passfile=) and a role that
//    row-level security does not bind (superuser, BYPASSRLS),
//  - works on the agreement it is given: every row it reads or writes is
//    that agreement's, and row-level security lets a role act only for the
//    agreements it is a tenant of (docs/deployment.md),
//  - runs the PostgreSQL migrations newer than the database's version.
// The only module that includes SQLiteCpp and libpq; no type of either
// crosses this header.
// A Database is used from one thread at a time.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/error.h"

namespace zielwerk::storage {

// The schema version this build writes; see storage/src/migrations.cpp.
int current_schema_version();

enum class Backend { sqlite, postgresql };

// Whether a database location names a PostgreSQL server rather than a file.
bool is_server_location(std::string_view location);

class Database {
 public:
  // Opens (creating if needed) and migrates. Errors are ErrorKind::storage
  // (ErrorKind::usage for a server URI with a password or a role that is not
  // bound by row-level security). `agreement` is the agreement to work on,
  // required on a server and unused for a file (which knows its own).
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path,
                                                std::string_view agreement = {});

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // The schema version recorded in the file (== current_schema_version() after open).
  int schema_version() const;
  // The file, or the server's URI.
  const std::filesystem::path& path() const { return path_; }
  Backend backend() const;

  // On a server: the agreements the connection's role may read (its own, or
  // every one for a regional reader), sorted; on a file its one agreement
  // (none before its first change). use_agreement switches a server
  // connection to another of them (outside any transaction); on a file it
  // accepts only the file's own.
  std::vector<std::string> visible_agreements();
  Status use_agreement(std::string_view agreement);
  // The agreement a server connection works on now; empty for a file.
  std::string current_agreement() const;

  // Runs `work` as one write transaction (SQLite: BEGIN IMMEDIATE; a server:
  // an advisory lock per agreement, so writers of one agreement take turns
  // as on a file and those of different agreements do not wait): commits when it
  // returns Ok, rolls back when it returns an error or throws, so a failed
  // step leaves nothing behind. A failure of SQLite itself (disk full, busy
  // beyond the timeout) becomes ErrorKind::storage. Not reentrant.
  Status write(const std::function<Status()>& work);
  bool in_write_transaction() const;

  // Runs `work`, which reads (and may call write() for its changes), and turns
  // a failure of SQLite itself outside write() (an I/O error, a lock held
  // beyond the busy timeout) into ErrorKind::storage instead of an exception.
  Status read(const std::function<Status()>& work);

  // Runs `work`, which only reads, in one read transaction: everything it
  // reads belongs to the same moment, whatever other processes commit
  // meanwhile (WAL keeps that snapshot). Failures as for read(). Nested in
  // another snapshot, it reads in the outer one's moment; inside write(), in
  // the write transaction's.
  Status snapshot(const std::function<Status()>& work);

  // From now on this connection refuses every write (SQLite's query_only):
  // write() and any statement that would change the file fail with a storage
  // error. For readers that must never change anything, such as the
  // dashboard, whatever a bug in them would try.
  void forbid_writes();

  // Makes every committed change durable now (zielwerk commits with
  // synchronous = NORMAL, which a power cut may take the last commits of): a
  // full WAL checkpoint, syncing the log and the database file. Before a
  // signed checkpoint vouches for the records. ErrorKind::storage when it
  // cannot complete (a reader holds an old snapshot beyond the busy timeout).
  Status make_durable();

  // Project metadata (e.g. which agreement the database belongs to).
  std::optional<std::string> meta(std::string_view key);
  void set_meta(std::string_view key, std::string_view value);  // inside write()

  // For the storage module's own classes; opaque elsewhere.
  struct Connection;
  Connection& connection() { return *connection_; }

 private:
  Database(std::filesystem::path path, std::unique_ptr<Connection> connection);

  std::filesystem::path path_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace zielwerk::storage
