// What Database does on a PostgreSQL server: connecting and migrating, the
// write transaction (serialised per agreement by an advisory lock, as SQLite's
// BEGIN IMMEDIATE serialises a file), snapshots and metadata. Internal to
// storage; database.cpp dispatches here for a server.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "zielwerk/common/error.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage::pg {

// Whether `location` names a server (postgresql://... or postgres://...).
bool is_server_uri(std::string_view location);

// Connects to `uri`, refuses a password in it and a role that row-level
// security does not bind, sets the session's agreement and migrates.
Result<std::unique_ptr<Database::Connection>> open(const std::string& uri,
                                                   std::string_view agreement);

int schema_version(Database::Connection& connection);
Status write(Database::Connection& connection, const std::string& where,
             const std::function<Status()>& work);
Status read(Database::Connection& connection, const std::string& where,
            const std::function<Status()>& work);
Status snapshot(Database::Connection& connection, const std::string& where,
                const std::function<Status()>& work);
std::optional<std::string> meta(Database::Connection& connection, std::string_view key);
void set_meta(Database::Connection& connection, std::string_view key, std::string_view value);

// The agreements of the database that the session's role may read (its own,
// or all for a regional reader), sorted.
std::vector<std::string> visible_agreements(Database::Connection& connection);
// Switches the session to another agreement (outside any transaction).
void use_agreement(Database::Connection& connection, std::string_view agreement);

}  // namespace zielwerk::storage::pg
