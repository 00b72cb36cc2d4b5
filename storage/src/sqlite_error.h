// SQLite's failures in words a user can act on. SQLite's own messages ("database
// is locked", "disk I/O error", "attempt to write a readonly database") name
// neither the cause nor what to do; the extended result code and the errno
// behind it do. Header-only: the storage module's internal helper.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "database_files.h"
#include "zielwerk/common/error.h"

namespace zielwerk::storage {

// The plain-words cause of `error`. `handle` (may be null) gives the errno of
// the failing system call, read before anything else runs on the connection.
inline std::string describe_sqlite_error(const SQLite::Exception& error, sqlite3* handle,
                                         int busy_timeout_ms) {
  const int extended = error.getExtendedErrorCode();
  const int primary = extended & 0xff;
  // The errno only where SQLite says a system call failed: it is not reset
  // after calls that succeed, so elsewhere it may be an old one.
  const bool system_failed =
      primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN;
  const int system_errno = system_failed && handle != nullptr ? sqlite3_system_errno(handle) : 0;
  // ENOSPC (or a quota) means no more bytes fit, whatever code SQLite chose
  // for it (SQLITE_FULL, or an I/O error while writing the log).
  if (primary == SQLITE_FULL || system_errno == ENOSPC || system_errno == EDQUOT) {
    return "the disk is full (no space left for the database or its write-ahead log)";
  }
  switch (extended) {
    case SQLITE_READONLY_DBMOVED:
      return "the database file was moved or deleted while zielwerk had it open";
    case SQLITE_READONLY_CANTINIT:
    case SQLITE_READONLY_RECOVERY:
      return "the database's shared index (the -shm file beside it) cannot be set up without "
             "write access while another process opens or closes the database; try again";
    case SQLITE_BUSY_SNAPSHOT:
      return error.what();  // a read turned into a write: a bug, in SQLite's words
    default:
      break;
  }
  if (primary == SQLITE_READONLY || system_errno == EROFS) {
    return "the database is read-only (the file, its directory or the file system does not "
           "allow writing)";
  }
  switch (primary) {
    case SQLITE_BUSY:
      return "another process (zielwerk, or a backup with sqlite3) holds the database and did "
             "not release it within " +
             std::to_string(busy_timeout_ms / 1000) + " s; try again";
    case SQLITE_IOERR:
      if (system_errno != 0) {
        return std::string("the disk failed to read or write the database (") +
               std::strerror(system_errno) + ")";
      }
      // SQLite often no longer knows the errno here (a failed write of the
      // log, then its rollback); the kind of operation still tells.
      switch (error.getExtendedErrorCode()) {
        case SQLITE_IOERR_READ:
        case SQLITE_IOERR_SHORT_READ:
          return "the database could not be read from the disk (an I/O error)";
        case SQLITE_IOERR_WRITE:
        case SQLITE_IOERR_FSYNC:
        case SQLITE_IOERR_TRUNCATE:
        case SQLITE_IOERR_SHMSIZE:
          return "the database could not be written (an I/O error: the disk may be full or "
                 "failing, or a file size limit was reached)";
        default:
          return "the disk failed to read or write the database (an I/O error)";
      }
    case SQLITE_CANTOPEN:
      return std::string("the database file cannot be opened or created") +
             (system_errno != 0 ? std::string(" (") + std::strerror(system_errno) + ")"
                                : std::string());
    case SQLITE_NOTADB:
      return "the file is not a zielwerk database (not SQLite)";
    case SQLITE_CORRUPT:
      return "the database file is damaged (restore a backup, docs/operations.md)";
    default:
      return error.what();
  }
}

// A storage error naming the database: "PATH: [CONTEXT: ]CAUSE[; nothing was changed]".
inline Error sqlite_storage_error(const std::filesystem::path& path, const std::string& context,
                                  const SQLite::Exception& error, sqlite3* handle,
                                  int busy_timeout_ms, bool nothing_changed = false) {
  std::string cause = describe_sqlite_error(error, handle, busy_timeout_ms);
  if ((error.getErrorCode() & 0xff) == SQLITE_CANTOPEN) {
    // A readable WAL database in a directory this process may not write:
    // SQLite reads it only through the -shm index, which it cannot create
    // here (see connection.h); its own error names only the missing file.
    const DatabaseFiles files = DatabaseFiles::inspect(path);
    if (files.exists && files.readable && !files.shm_exists && !files.directory_writable) {
      cause = files.wal_has_changes
                  ? "the database is read-only and has changes in its write-ahead log (" +
                        files.wal + ") that SQLite reads only with " + files.shm +
                        ", which cannot be created there; copy the database together with its "
                        "-wal file to a directory that can be written and open the copy"
                  : "the database cannot be read from here: SQLite reads it through " + files.shm +
                        ", which exists only while a process that may write the database has "
                        "it open, and which cannot be created in this directory; read it as a "
                        "user who may write the directory, or read a copy (docs/operations.md)";
    }
  }
  return Error::storage(path.string() + ": " + (context.empty() ? "" : context + ": ") + cause +
                        (nothing_changed ? "; nothing was changed" : ""));
}

}  // namespace zielwerk::storage
