// The schema as an ordered list of migrations. Migration i (1-based) upgrades
// a database from version i-1 to i. Never edit a released migration: append.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string_view>
#include <vector>

namespace zielwerk::storage {

const std::vector<std::string_view>& migrations();

// What migration `version` needs beyond its SQL, in its transaction right
// after it (computing what SQL cannot, such as the Merkle tree's hashes).
void complete_migration(int version, SQLite::Database& db);

}  // namespace zielwerk::storage
