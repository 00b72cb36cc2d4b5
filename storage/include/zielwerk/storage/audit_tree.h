// The Merkle tree over the audit trail (proofs/merkle.h; leaf N is the
// record with seq N + 1, its bytes storage/audit_line.h): written with each
// record in the same transaction, read for roots and proofs. Functions read
// inside the caller's snapshot when there is one.
#pragma once

#include <cstdint>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/proofs/merkle.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

// The root of the tree of the first `size` records; ErrorKind::storage when
// the stored tree lacks a hash it needs (the table was altered).
Result<proofs::Hash> audit_tree_root(Database& database, std::int64_t size);

// The inclusion proof of leaf `index` in the tree of `size` records.
Result<std::vector<proofs::Hash>> audit_inclusion_proof(Database& database, std::int64_t size,
                                                        std::int64_t index);

// The consistency proof from the tree of `old_size` records to that of `size`.
Result<std::vector<proofs::Hash>> audit_consistency_proof(Database& database, std::int64_t size,
                                                          std::int64_t old_size);

}  // namespace zielwerk::storage
