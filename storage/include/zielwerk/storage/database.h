// The project database: one SQLite file, opened with the settings zielwerk
// relies on and migrated to the schema this build knows.
//
// Opening
//  - creates the file when it does not exist,
//  - sets WAL journaling, a busy timeout and foreign keys,
//  - runs every migration newer than the file's schema version, each in its
//    own transaction (a crash leaves the previous version intact),
//  - refuses a file written by a newer zielwerk (schema version too high) and
//    a file that is not a SQLite database.
// The only module that includes SQLiteCpp; no SQLite type crosses this header.
// A Database is used from one thread at a time.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "zielwerk/common/error.h"

namespace zielwerk::storage {

// The schema version this build writes; see storage/src/migrations.cpp.
int current_schema_version();

class Database {
 public:
  // Opens (creating if needed) and migrates. Errors are ErrorKind::storage.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // The schema version recorded in the file (== current_schema_version() after open).
  int schema_version() const;
  const std::filesystem::path& path() const { return path_; }

  // Runs `work` as one write transaction (BEGIN IMMEDIATE): commits when it
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
