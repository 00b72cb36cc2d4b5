// Inside storage: keeping the Merkle tree over the audit trail (table
// audit_tree, the hashes of proofs/merkle.h in their stored order).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string_view>

#include "zielwerk/common/error.h"
#include "zielwerk/proofs/merkle.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

// Stores what appending leaf `index` (record seq index + 1) with `leaf`
// completes; inside the write that appends the record. Throws
// std::runtime_error when the stored tree does not hold the leaves before it.
void append_audit_tree_leaf(SQLite::Database& db, std::int64_t index, const proofs::Hash& leaf);
void append_audit_tree_leaf(Database& database, std::int64_t index, const proofs::Hash& leaf);

// The root of the first `size` leaves as the table holds them, and how many
// hashes it holds; for verify, which compares them with the records.
Result<proofs::Hash> stored_audit_tree_root(Database& database, std::int64_t size);
std::int64_t stored_audit_tree_hashes(Database& database);

// Builds the tree of the records that have none yet (a database from before
// the tree), oldest first; inside the migration that adds the table.
void backfill_audit_tree(SQLite::Database& db);

}  // namespace zielwerk::storage
