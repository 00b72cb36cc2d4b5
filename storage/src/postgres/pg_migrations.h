// The PostgreSQL schema as an ordered list of migrations, numbered like the
// SQLite tree (migrations.h): both backends are at the same schema version
// after the same zielwerk, whatever SQL each needs to get there. Migration i
// (1-based) upgrades from version i-1 to i. Never edit a released migration:
// append to both trees.
#pragma once

#include <string_view>
#include <vector>

namespace zielwerk::storage::pg {

const std::vector<std::string_view>& migrations();

}  // namespace zielwerk::storage::pg
