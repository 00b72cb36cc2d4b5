#include "pg_database.h"

#include <stdexcept>

#include "../connection.h"
#include "../fault_injection.h"
#include "pg_migrations.h"
#include "pg_schema_check.h"

namespace zielwerk::storage::pg {
namespace {

// Advisory lock keys: one for migrating, one per agreement for writing (the
// agreement's name hashed by the server: hashtext). Two processes on one
// agreement (a cron `run` beside `serve`, or a standby server's `serve`)
// therefore take turns, each step deciding on what the other committed.
constexpr std::int64_t kMigrationLock = 0x7a69656c7765726bLL;  // "zielwerk"

// A password in the URI would end up in process lists, shell histories and
// logs; libpq reads it from PGPASSFILE or the passfile parameter instead.
bool has_password(std::string_view uri) {
  const std::size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return false;
  const std::string_view rest = uri.substr(scheme + 3);
  const std::size_t authority_end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, authority_end);
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos) {
    return true;
  }
  if (authority_end != std::string_view::npos) {
    const std::string_view query = rest.substr(authority_end);
    for (std::size_t at_key = query.find("password="); at_key != std::string_view::npos;
         at_key = query.find("password=", at_key + 1)) {
      if (at_key > 0 && (query[at_key - 1] == '?' || query[at_key - 1] == '&')) return true;
    }
  }
  return false;
}

Value integer_value(std::int64_t number) {
  Value value;
  value.type = ValueType::integer;
  value.integer = number;
  return value;
}

int read_version(Connection& connection) {
  const Rows exists = connection.query("SELECT to_regclass('zielwerk_schema') IS NOT NULL");
  if (exists.integer(0, 0) == 0) return 0;
  const Rows version = connection.query("SELECT version FROM zielwerk_schema");
  return version.rows() == 0 ? 0 : static_cast<int>(version.integer(0, 0));
}

void migrate(Connection& connection, const std::string& uri) {
  const int current = current_schema_version();
  int version = read_version(connection);
  if (version > current) {
    throw std::runtime_error(uri + ": the database has schema version " + std::to_string(version) +
                             ", newer than this zielwerk knows (" + std::to_string(current) +
                             "); use a newer zielwerk");
  }
  if (version == current) return;
  connection.query("SELECT pg_advisory_lock($1)", {integer_value(kMigrationLock)});
  try {
    const auto& steps = migrations();
    for (int next = version + 1; next <= current; ++next) {
      connection.exec("BEGIN");
      // Another process may have migrated while this one waited for the lock.
      if (read_version(connection) >= next) {
        connection.exec("COMMIT");
        continue;
      }
      if (next == 1) {
        connection.exec(
            "CREATE TABLE zielwerk_schema (version integer NOT NULL, "
            "owner name NOT NULL DEFAULT current_user); "
            "INSERT INTO zielwerk_schema (version) VALUES (0)");
      }
      const std::string_view step = steps[static_cast<std::size_t>(next - 1)];
      if (!step.empty()) connection.exec(std::string(step));
      connection.query("UPDATE zielwerk_schema SET version = $1", {integer_value(next)});
      connection.exec("COMMIT");
    }
  } catch (...) {
    connection.rollback();
    connection.query("SELECT pg_advisory_unlock($1)", {integer_value(kMigrationLock)});
    throw;
  }
  connection.query("SELECT pg_advisory_unlock($1)", {integer_value(kMigrationLock)});
  version = read_version(connection);
  (void)version;
}

Value text_value(std::string_view text) {
  Value value;
  value.type = ValueType::text;
  value.bytes.assign(text);
  return value;
}

zielwerk::Error failure(const std::string& where, const pg::Failure& error) {
  return zielwerk::Error::storage(where + ": " + error.what());
}

}  // namespace

bool is_server_uri(std::string_view location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Database::Connection>> open(const std::string& uri,
                                                   std::string_view agreement) {
  if (has_password(uri)) {
    return zielwerk::Error::usage(
        "the database URI holds a password, which would show in process lists and logs; put "
        "it into a password file (PGPASSFILE, or ?passfile=PATH in the URI) and leave it out of "
        "the URI");
  }
  if (agreement.empty()) {
    return zielwerk::Error::usage(
        "a PostgreSQL database holds many agreements: zielwerk needs to know "
        "which one to work on");
  }
  try {
    auto server = std::make_unique<Connection>(uri);
    // Row-level security keeps agreements apart; a role it does not bind
    // would read and write every agreement's rows as one.
    const Rows role =
        server->query("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user");
    if (role.rows() == 1 && role.integer(0, 0) != 0) {
      return zielwerk::Error::usage(
          "the PostgreSQL role zielwerk connects as is a superuser or bypasses row-level "
          "security, which keeps agreements apart; connect as a role without SUPERUSER and "
          "BYPASSRLS (docs/deployment.md)");
    }
    server->exec("SET client_encoding = 'UTF8'");
    server->query("SELECT set_config('zielwerk.agreement', $1, false)", {text_value(agreement)});
    migrate(*server, uri);
    // The database's identity within checkpoints' origins (SQLite makes it
    // in migration 8), per agreement; a role that may only read makes none.
    server->exec(
        "INSERT INTO project_meta (key, value) SELECT 'instance', "
        "replace(gen_random_uuid()::text, '-', '') WHERE zielwerk_may_act() "
        "ON CONFLICT DO NOTHING");
    auto connection = std::make_unique<Database::Connection>(std::move(server));
    connection->agreement = std::string(agreement);
    return connection;
  } catch (const pg::Failure& error) {
    return zielwerk::Error::storage("cannot open the database: " + std::string(error.what()));
  } catch (const std::runtime_error& error) {
    return zielwerk::Error::storage(error.what());
  }
}

int schema_version(Database::Connection& connection) {
  return read_version(*connection.pg);
}

Status write(Database::Connection& connection, const std::string& where,
             const std::function<Status()>& work) {
  if (connection.in_write) throw std::logic_error("Database::write is not reentrant");
  Connection& server = *connection.pg;
  if (connection.writes_forbidden) {
    return zielwerk::Error::storage(where + ": this connection may not write (read-only)");
  }
  try {
    server.exec("BEGIN ISOLATION LEVEL READ COMMITTED");
    // Taken first, so every statement after it sees what the writer before
    // committed: the step decides on the latest state, as under SQLite's
    // write lock.
    server.query("SELECT pg_advisory_xact_lock(hashtext('zielwerk:' || $1))",
                 {text_value(connection.agreement)});
  } catch (const pg::Failure& error) {
    server.rollback();
    return zielwerk::Error::storage(where + ": cannot start a write: " + error.what());
  }
  // A trigger planted on a table would run inside the step and may change
  // what it writes before its record vouches for it (as on SQLite, checked
  // inside the lock, once per connection).
  if (!connection.triggers_checked_at) {
    try {
      if (const auto trigger = first_foreign_trigger(server)) {
        server.rollback();
        return zielwerk::Error::storage(
            where + ": " + trigger->message +
            " (it may change what zielwerk writes); run `zielwerk audit "
            "verify` to see what else differs; nothing was changed");
      }
    } catch (const pg::Failure& error) {
      server.rollback();
      return zielwerk::Error::storage(where + ": cannot start a write: " + error.what());
    }
    connection.triggers_checked_at = 0;
  }
  connection.in_write = true;
  auto rollback = [&] {
    connection.in_write = false;
    server.rollback();
  };
  try {
    Status status = work();
    if (!status.ok()) {
      rollback();
      return status;
    }
    fault_injection::before_commit();
    server.exec("COMMIT");
    connection.in_write = false;
    fault_injection::after_commit();
    return status;
  } catch (const pg::Failure& error) {
    zielwerk::Error result = failure(where, error);
    rollback();
    return result;
  } catch (...) {
    rollback();
    throw;
  }
}

Status read(Database::Connection& connection, const std::string& where,
            const std::function<Status()>& work) {
  (void)connection;
  try {
    return work();
  } catch (const pg::Failure& error) {
    return failure(where, error);
  }
}

Status snapshot(Database::Connection& connection, const std::string& where,
                const std::function<Status()>& work) {
  if (connection.in_snapshot || connection.in_write) return read(connection, where, work);
  Connection& server = *connection.pg;
  try {
    server.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    connection.in_snapshot = true;
    Status status = work();
    connection.in_snapshot = false;
    server.exec("COMMIT");
    return status;
  } catch (const pg::Failure& error) {
    connection.in_snapshot = false;
    zielwerk::Error result = failure(where, error);
    server.rollback();
    return result;
  } catch (...) {
    connection.in_snapshot = false;
    server.rollback();
    throw;
  }
}

std::optional<std::string> meta(Database::Connection& connection, std::string_view key) {
  const Rows value =
      connection.pg->query("SELECT value FROM project_meta WHERE key = $1", {text_value(key)});
  if (value.rows() == 0) return std::nullopt;
  return std::string(value.text(0, 0));
}

void set_meta(Database::Connection& connection, std::string_view key, std::string_view value) {
  connection.pg->query(
      "INSERT INTO project_meta (key, value) VALUES ($1, $2) "
      "ON CONFLICT (agreement, key) DO UPDATE SET value = excluded.value",
      {text_value(key), text_value(value)});
  if (key == "agreement") {
    connection.pg->query(
        "INSERT INTO zielwerk_agreement (agreement) VALUES ($1) ON CONFLICT DO NOTHING",
        {text_value(value)});
  }
}

std::vector<std::string> visible_agreements(Database::Connection& connection) {
  const Rows rows = connection.pg->query(
      "SELECT agreement FROM zielwerk_agreement "
      "WHERE zielwerk_may_read_region() OR zielwerk_may_act_for(agreement) ORDER BY agreement");
  std::vector<std::string> agreements;
  for (int row = 0; row < rows.rows(); ++row)
    agreements.emplace_back(rows.text(row, 0));
  return agreements;
}

void use_agreement(Database::Connection& connection, std::string_view agreement) {
  connection.pg->query("SELECT set_config('zielwerk.agreement', $1, false)",
                       {text_value(agreement)});
  connection.agreement = std::string(agreement);
}

}  // namespace zielwerk::storage::pg
