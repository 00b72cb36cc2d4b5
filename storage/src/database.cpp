#include "zielwerk/storage/database.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <stdexcept>

#include "connection.h"
#include "fault_injection.h"
#include "migrations.h"
#include "postgres/pg_database.h"
#include "postgres/pg_migrations.h"
#include "schema_check.h"
#include "sqlite_error.h"

namespace zielwerk::storage {

namespace {

// Another zielwerk process (a cron `run` next to `serve`) may hold the write lock briefly.
constexpr int kBusyTimeoutMs = 5000;
constexpr int kCacheKiB = 16 * 1024;

int read_user_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

// Why a write must not run with `trigger` in the database: in the words of
// what to do about it.
std::string refusal(const SchemaFinding& trigger) {
  const std::string what = trigger.object.name + " on " + trigger.object.table;
  if (trigger.kind == SchemaFinding::Kind::altered) {
    return "the database's trigger " + what +
           " is not as zielwerk created it (it may change what zielwerk writes); run `zielwerk "
           "audit verify` to see how it differs, and restore a backup or put the trigger back "
           "before zielwerk writes again";
  }
  return "the database has a trigger zielwerk did not create: " + what +
         " (it may change what zielwerk writes); run `zielwerk audit verify` to see what else "
         "differs, find out what it changed, and drop it before zielwerk writes again";
}

}  // namespace

int current_schema_version() {
  // One schema version for both backends: each tree has a step for each.
  return static_cast<int>(migrations().size());
}

bool is_server_location(std::string_view location) {
  return pg::is_server_uri(location);
}

Database::Database(std::filesystem::path path, std::unique_ptr<Connection> connection)
    : path_(std::move(path)), connection_(std::move(connection)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path,
                                                 std::string_view agreement) {
  if (pg::is_server_uri(path.string())) {
    if (pg::migrations().size() != migrations().size()) {
      throw std::logic_error("the PostgreSQL and SQLite migration trees differ in length");
    }
    auto connection = pg::open(path.string(), agreement);
    if (!connection) return connection.error();
    return std::unique_ptr<Database>(new Database(path, std::move(connection).value()));
  }
  // Outside the try: the catch reads the errno behind a failure from it.
  std::unique_ptr<Connection> connection;
  try {
    connection = std::make_unique<Connection>(path);
    SQLite::Database& db = (*connection->sqlite_db);
    db.setBusyTimeout(kBusyTimeoutMs);
    // Reading the version first also proves the file is a SQLite database.
    const int version = read_user_version(db);
    if (version > current_schema_version()) {
      return Error::storage(path.string() + ": the database has schema version " +
                            std::to_string(version) + ", newer than this zielwerk knows (" +
                            std::to_string(current_schema_version()) + "); use a newer zielwerk");
    }
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA synchronous = NORMAL");
    // A bounded page cache (SQLite's default is 2 MiB): large imports run
    // faster with it, and memory stays flat in the size of the file. 16 MiB
    // measured as fast as 64 MiB for a national import (docs/performance.md).
    db.exec("PRAGMA cache_size = -" + std::to_string(kCacheKiB));
    const auto& steps = migrations();
    for (int next = version + 1; next <= current_schema_version(); ++next) {
      SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
      // Another process opening the same new file may have migrated it while
      // this one waited for the lock: the version read above is stale then,
      // and running the step again would fail ("table ... already exists").
      if (read_user_version(db) >= next) continue;
      db.exec(std::string(steps[static_cast<std::size_t>(next - 1)]));
      complete_migration(next, db);
      db.exec("PRAGMA user_version = " + std::to_string(next));
      transaction.commit();
    }
    return std::unique_ptr<Database>(new Database(path, std::move(connection)));
  } catch (const SQLite::Exception& error) {
    return sqlite_storage_error(path, "cannot open the database", error,
                                connection ? (*connection->sqlite_db).getHandle() : nullptr,
                                kBusyTimeoutMs);
  }
}

Backend Database::backend() const {
  return connection_->pg ? Backend::postgresql : Backend::sqlite;
}

std::vector<std::string> Database::visible_agreements() {
  if (connection_->pg) return pg::visible_agreements(*connection_);
  std::vector<std::string> agreements;
  if (auto own = meta("agreement")) agreements.push_back(std::move(*own));
  return agreements;
}

std::string Database::current_agreement() const {
  return connection_->pg ? connection_->agreement : std::string();
}

Status Database::use_agreement(std::string_view agreement) {
  if (connection_->in_write || connection_->in_snapshot) {
    throw std::logic_error("Database::use_agreement inside a transaction");
  }
  if (connection_->pg) {
    return pg::read(*connection_, path_.string(), [&]() -> Status {
      pg::use_agreement(*connection_, agreement);
      return Ok{};
    });
  }
  const auto own = meta("agreement");
  if (own && *own == agreement) return Ok{};
  return Error::usage(path_.string() + ": the database holds no agreement '" +
                      std::string(agreement) + "'");
}

void Database::forbid_writes() {
  if (connection_->pg) {
    connection_->writes_forbidden = true;
    connection_->pg->exec("SET default_transaction_read_only = on");
    return;
  }
  (*connection_->sqlite_db).exec("PRAGMA query_only = ON");
}

int Database::schema_version() const {
  if (connection_->pg) return pg::schema_version(*connection_);
  return read_user_version((*connection_->sqlite_db));
}

bool Database::in_write_transaction() const {
  return connection_->in_write;
}

Status Database::write(const std::function<Status()>& work) {
  if (connection_->pg) return pg::write(*connection_, path_.string(), work);
  if (connection_->in_write) throw std::logic_error("Database::write is not reentrant");
  SQLite::Database& db = (*connection_->sqlite_db);
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (const SQLite::Exception& error) {
    return sqlite_storage_error(path_, "cannot start a write", error, db.getHandle(),
                                kBusyTimeoutMs);
  }
  // Inside the write lock: no trigger can be planted between the check and
  // the work. Checked once per connection and schema change: the cookie is in
  // the header SQLite reads for the transaction anyway.
  try {
    const int cookie = db.execAndGet("PRAGMA schema_version").getInt();
    if (connection_->triggers_checked_at != cookie) {
      if (const auto trigger = first_foreign_trigger(db)) {
        sqlite3_exec(db.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
        return Error::storage(path_.string() + ": " + refusal(*trigger) + "; nothing was changed");
      }
      connection_->triggers_checked_at = cookie;
    }
  } catch (const SQLite::Exception& error) {
    Error failure = sqlite_storage_error(path_, "cannot start a write", error, db.getHandle(),
                                         kBusyTimeoutMs, true);
    sqlite3_exec(db.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
    return failure;
  }
  connection_->in_write = true;
  auto rollback = [&] {
    connection_->in_write = false;
    // Fails only when SQLite already rolled back (e.g. after SQLITE_FULL).
    sqlite3_exec(db.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
  };
  try {
    // A change writes its rows (naming their audit record) before the record
    // itself, whose digests must see them: foreign keys hold at COMMIT.
    // SQLite turns this off again at the end of each transaction.
    db.exec("PRAGMA defer_foreign_keys = ON");
    Status status = work();
    if (!status.ok()) {
      rollback();
      return status;
    }
    fault_injection::before_commit();
    db.exec("COMMIT");
    connection_->in_write = false;
    fault_injection::after_commit();
    return status;
  } catch (const SQLite::Exception& error) {
    // Described before the rollback, which may overwrite the errno.
    Error failure = sqlite_storage_error(path_, "", error, db.getHandle(), kBusyTimeoutMs, true);
    rollback();
    return failure;
  } catch (...) {
    rollback();
    throw;
  }
}

Status Database::snapshot(const std::function<Status()>& work) {
  if (connection_->pg) return pg::snapshot(*connection_, path_.string(), work);
  SQLite::Database& db = (*connection_->sqlite_db);
  // Inside a snapshot already: the outer one's moment is the one to read in
  // (a page built from several documents reads them all at once). Inside a
  // write transaction, the transaction is the moment (a step reads what it
  // decides on).
  if (connection_->in_snapshot || connection_->in_write) return read(work);
  try {
    db.exec("BEGIN DEFERRED");
    connection_->in_snapshot = true;
    // The snapshot starts with the first read, not with BEGIN.
    db.execAndGet("SELECT count(*) FROM sqlite_schema");
    Status status = work();
    connection_->in_snapshot = false;
    db.exec("COMMIT");
    return status;
  } catch (const SQLite::Exception& error) {
    connection_->in_snapshot = false;
    Error failure = sqlite_storage_error(path_, "", error, db.getHandle(), kBusyTimeoutMs);
    sqlite3_exec(db.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
    return failure;
  } catch (...) {
    connection_->in_snapshot = false;
    sqlite3_exec(db.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

Status Database::read(const std::function<Status()>& work) {
  if (connection_->pg) return pg::read(*connection_, path_.string(), work);
  try {
    return work();
  } catch (const SQLite::Exception& error) {
    return sqlite_storage_error(path_, "", error, (*connection_->sqlite_db).getHandle(),
                                kBusyTimeoutMs);
  }
}

Status Database::make_durable() {
  if (connection_->in_write) throw std::logic_error("Database::make_durable inside write()");
  // A server's commit is durable when it returns (synchronous_commit).
  if (connection_->pg) return Ok{};
  try {
    SQLite::Statement checkpoint((*connection_->sqlite_db), "PRAGMA wal_checkpoint(FULL)");
    // One row: busy (1 when it could not finish), frames in the log, frames
    // checkpointed; a database not in WAL mode (an immutable copy) has no log.
    if (checkpoint.executeStep() && checkpoint.getColumn(0).getInt() != 0) {
      return Error::storage(path_.string() +
                            ": cannot make the trail durable: another process kept the database "
                            "busy; try again");
    }
    return Ok{};
  } catch (const SQLite::Exception& error) {
    return sqlite_storage_error(path_, "cannot make the trail durable", error,
                                (*connection_->sqlite_db).getHandle(), kBusyTimeoutMs);
  }
}

std::optional<std::string> Database::meta(std::string_view key) {
  if (connection_->pg) return pg::meta(*connection_, key);
  SQLite::Statement query((*connection_->sqlite_db),
                          "SELECT value FROM project_meta WHERE key = ?");
  query.bind(1, std::string(key));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

void Database::set_meta(std::string_view key, std::string_view value) {
  require_write_transaction(*this);
  if (connection_->pg) return pg::set_meta(*connection_, key, value);
  SQLite::Statement upsert((*connection_->sqlite_db),
                           "INSERT INTO project_meta (key, value) VALUES (?, ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  upsert.bind(1, std::string(key));
  upsert.bind(2, std::string(value));
  upsert.exec();
}

}  // namespace zielwerk::storage
