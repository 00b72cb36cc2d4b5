// The schema of a PostgreSQL database compared with what its migrations
// create, where it matters for the trail: the triggers on zielwerk's tables
// (only its own, enabled, as created) and row-level security (enabled and
// forced on every table that holds an agreement's rows, with its two
// policies). A trigger planted on a table runs inside zielwerk's transaction
// and may change what it writes before the record vouches for it; a table
// without row-level security shows one agreement's rows to another.
// Internal to storage.
#pragma once

#include <optional>
#include <vector>

#include "../schema_check.h"
#include "pg.h"

namespace zielwerk::storage::pg {

std::vector<SchemaFinding> check_schema(Connection& connection);

// The first trigger that is not zielwerk's as created, if any: a write must
// not run with one.
std::optional<SchemaFinding> first_foreign_trigger(Connection& connection);

}  // namespace zielwerk::storage::pg
